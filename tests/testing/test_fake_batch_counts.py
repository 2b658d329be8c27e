"""What the fake service counts for the batch tests: projects per ``client-data`` key, and the
most renders it had at once."""

from __future__ import annotations

from moviekit import Client, Movie, PollPolicy, Scene, Text
from moviekit.testing import FakeClock, FakeJSON2Video


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


def test_max_simultaneous_renders_is_the_most_projects_on_the_service_at_once() -> None:
    clock = FakeClock()
    with FakeJSON2Video(clock=clock, queue_seconds=1, render_seconds=4) as server:
        client = Client(
            api_key=server.api_key,
            base_url=server.base_url,
            clock=clock,
            sleep=clock.sleep,
            poll_policy=PollPolicy.for_local_testing(),
        )
        assert server.max_simultaneous_renders == 0
        client.submit(movie("a"))  # on the service over [0, 5)
        clock.advance(2)
        client.submit(movie("b"))  # [2, 7)
        client.submit(movie("c"))  # [2, 7)
        assert server.max_simultaneous_renders == 3
        clock.advance(3)
        client.submit(movie("d"))  # [5, 10): "a" ended at 5 exactly
        assert server.max_simultaneous_renders == 3
        clock.advance(1)
        client.submit(movie("e"))  # [6, 11): b, c, d, e
        assert server.max_simultaneous_renders == 4
