"""Subtitles round trip: fetch a finished movie's transcript as cues, edit, render again with them.

Against FakeJSON2Video (which serves an ASS transcript for movies with
subtitles) over real sockets, with Client and AsyncClient; a hostile server
for the file itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from anyio.from_thread import start_blocking_portal
from support.hostile import API_KEY, Answer, HostileServer, Seen, endless, json_answer, movie
from support.twins import Blocking

from moviekit import (
    AsyncClient,
    Client,
    MalformedResponseError,
    Movie,
    NotFoundError,
    PollPolicy,
    RetryPolicy,
    Scene,
    Subtitles,
    Text,
    Voice,
    with_captions,
)
from moviekit.testing import FakeJSON2Video

SAID = "Welcome to Jason Street, where every flat faces the sea and the sunset."
NARRATED = Movie(resolution="hd").add(
    Scene().add(Text("Jason Street"), Voice(SAID).id("tour")), Subtitles()
)


@pytest.fixture
def fake() -> Iterator[FakeJSON2Video]:
    with FakeJSON2Video(speed=200) as server:
        yield server


@pytest.fixture(params=["Client", "AsyncClient"])
def client(request: pytest.FixtureRequest, fake: FakeJSON2Video) -> Iterator[Any]:
    options = {"api_key": fake.api_key, "base_url": fake.base_url,
               "poll_policy": PollPolicy.for_local_testing()}  # fmt: skip
    if request.param == "Client":
        with Client(**options) as sync:
            yield sync
        return

    async def make() -> AsyncClient:
        return AsyncClient(**options)

    with start_blocking_portal() as portal:
        aclient = portal.call(make)
        yield Blocking(aclient, portal)
        portal.call(aclient.aclose)


def test_fetch_edit_and_render_again_with_the_edited_captions(
    client: Any, fake: FakeJSON2Video
) -> None:
    render = client.render(NARRATED)
    track = render.subtitles()
    assert " ".join(track.text.split()) == SAID  # the transcript, as typed cues
    assert all(0 <= c.start < c.end <= render.status.duration for c in track)
    assert client.subtitles(render.project_id) == track  # by project id too

    fixed = track.replace({"Jason": "JSON"}).rebreak(max_chars=24, max_lines=1)
    assert all(len(line) <= 24 for cue in fixed for line in cue.lines)
    submitted = client.get(render.project_id, simple=False).submitted_movie
    again = client.render(with_captions(submitted, fixed))
    sent = fake.project(again.project_id)["json"]
    assert '"captions": "1\\n00:00:' in sent and "JSON Street" in sent
    assert again.subtitles().text.split() == fixed.text.split()  # the service used them
    assert [round(c.start, 2) for c in again.subtitles()] == [round(c.start, 2) for c in fixed]


def test_a_movie_without_subtitles_has_no_file_to_fetch(client: Any, fake: FakeJSON2Video) -> None:
    render = client.render(Movie(resolution="hd").add(Scene(duration=1).add(Text("x"))))
    assert render.status.ass is False
    with pytest.raises(NotFoundError, match="no subtitle file") as info:
        render.subtitles()
    assert "add Subtitles() to the movie" in str(info.value)
    assert not [r for r in fake.requests if r.path.endswith(".ass")]


def _status_with_ass(ass: Any) -> Any:
    def script(seen: Seen) -> Answer:
        if seen.path == "/v2/movies":
            url = ass(seen) if callable(ass) else ass
            return json_answer({"success": True, "movie": movie("A" * 16, ass=url)})
        if seen.path == "/subs.ass":
            return Answer(200, b"<html>no subtitles here</html>", {"Content-Type": "text/html"})
        return Answer(200, endless(b"Dialogue: 0,0:00:01.00,0:00:02.00,,,0,0,0,,la\n"))

    return script


@pytest.mark.parametrize(
    ("ass", "error"),
    [
        ("javascript:alert(1)", "not an http"),
        (lambda seen: f"http://127.0.0.1:{seen.headers['host'].split(':')[1]}/subs.ass",
         "cannot be read: no subtitle cue found"),
        (lambda seen: f"http://127.0.0.1:{seen.headers['host'].split(':')[1]}/endless.ass",
         "larger than 16,777,216 bytes"),
    ],
)  # fmt: skip
def test_a_bad_subtitle_file_is_a_clear_error_and_the_key_stays_home(ass: Any, error: str) -> None:
    with HostileServer(_status_with_ass(ass)) as server:
        client = Client(api_key=API_KEY, base_url=server.base_url,
                        retry_policy=RetryPolicy(max_retries=0))  # fmt: skip
        with pytest.raises(MalformedResponseError, match=error):
            client.subtitles("A" * 16)
        files = [r for r in server.requests if r.path.endswith(".ass")]
        assert all("x-api-key" not in r.headers for r in files)
