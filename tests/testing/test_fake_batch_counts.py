"""What the fake service counts for the batch tests: projects per ``client-data`` key, and the
most renders it had at once."""

from __future__ import annotations

from moviekit import Client, Movie, Scene, Text
from moviekit.testing import FakeJSON2Video


def movie(row: str) -> Movie:
    return Movie().client_data(row=row).add(Scene(duration=1).add(Text(row)))


def test_submit_counts_count_created_projects_per_client_data_value() -> None:
    with FakeJSON2Video() as server:
        client = Client(api_key=server.api_key, base_url=server.base_url)
        jobs = [client.submit(movie(row)) for row in ("a", "b", "a")]
        client.submit(Movie().add(Scene(duration=1).add(Text("no row"))))
        assert server.submit_counts("row") == {"a": 2, "b": 1}
        # moviekit's own submission key: one project per submit
        assert sorted(server.submit_counts().values()) == [1, 1, 1, 1]
        assert {j.submission_key for j in jobs} <= set(server.submit_counts())
