"""A failed render points at the builder the service named, at the edges of the movie.

The service says "Scene #2, element #1"; the error carries ``scenes[1].elements[0]``, the
builder there (when the movie was built with moviekit and the indexes exist) and the
status it ended with. Found by the mutation run: only a symmetric index (1, 1) was tested.
"""

from __future__ import annotations

import pytest

from moviekit import Movie, Scene, Text, Video
from moviekit._errors import RenderFailedError
from moviekit.testing import FakeJSON2Video
from moviekit.transport._client import Client

FIRST = Text("intro").duration(2)
SECOND = Video("https://example.com/a.mp4")
THIRD = Text("outro").duration(1)
MOVIE = Movie(resolution="hd").add(Scene().add(FIRST, SECOND), Scene().add(THIRD))


def fail_with(server: FakeJSON2Video, client: Client, message: str) -> RenderFailedError:
    job = client.submit(MOVIE)
    server.force_status(job.project_id, "error", message)
    with pytest.raises(RenderFailedError) as info:
        job.wait()
    assert info.value.project_id == job.project_id
    return info.value


@pytest.mark.parametrize(
    ("said", "path", "builder"),
    [
        ("Scene #1, element #1: bad", "scenes[0].elements[0]", FIRST),
        ("Scene #1, element #2: bad", "scenes[0].elements[1]", SECOND),
        ("Scene #2, element #1: bad", "scenes[1].elements[0]", THIRD),
        ("Scene #1, element #3: bad", "scenes[0].elements[2]", None),  # one past the last
        ("Scene #2, element #2: bad", "scenes[1].elements[1]", None),
        ("Scene #3, element #1: bad", "scenes[2].elements[0]", None),  # no third scene
    ],
)
def test_the_named_element_and_its_builder(
    server: FakeJSON2Video, client: Client, said: str, path: str, builder: object
) -> None:
    err = fail_with(server, client, said)
    assert err.path == path
    assert err.builder is builder
    assert err.status is not None and err.status.status == "error"
    assert err.status.message == said


def test_a_message_naming_no_element_has_no_path_nor_builder(
    server: FakeJSON2Video, client: Client
) -> None:
    err = fail_with(server, client, "Rendering failed")
    assert err.path is None and err.builder is None
    assert err.status is not None and err.status.status == "error"
