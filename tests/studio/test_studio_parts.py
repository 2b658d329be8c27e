"""The studio's parts on their own: the script loader, the server's files and rows, the notebook."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moviekit import Image, Movie, MovieTemplate, Scene, StudioError, Text, Voice
from moviekit.studio import movie_html
from moviekit.studio._load import load
from moviekit.studio._server import StudioServer
from moviekit.studio._session import Studio

MOVIE = "from moviekit import Movie, Scene\nmovie = Movie().add(Scene(duration=1))\n"


def script(tmp_path: Path, text: str, name: str = "recipe.py") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_load_finds_the_movie_or_the_template(tmp_path: Path) -> None:
    assert isinstance(load(script(tmp_path, MOVIE)).movie, Movie)
    two = script(tmp_path, MOVIE + "other = Movie()\n")
    assert isinstance(load(two).movie, Movie)  # 'movie' wins
    picked = load(two, "other")
    assert picked.movie is not None and picked.movie.scenes == ()
    function = script(tmp_path, "def make(row):\n    return None\n")
    assert isinstance(load(function, "make").template, MovieTemplate)
    data = tmp_path / "movie.json"
    data.write_text('{"scenes": [{"duration": 1}]}')
    assert isinstance(load(data).movie, Movie)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "x = 1\n",
            "recipe.py defines no movie: assign a Movie to a module-level variable named "
            "'movie' (or a MovieTemplate to 'template'), or pick one: recipe.py:NAME",
        ),
        ("def f(:\n", "recipe.py, line 1: SyntaxError: invalid syntax"),
        ("\n\nraise ValueError('bad\\nvalue')\n", "recipe.py, line 3: ValueError: bad value"),
        (
            "from moviekit import Scene\nScene().add(5)\n",
            "recipe.py, line 2: Scene.add() takes elements such as Text or Video; "
            "argument 0 is int",
        ),
        ("import sys\nsys.exit(3)\n", "recipe.py: the script called exit(3)"),
    ],
)
def test_a_broken_script_is_one_line(tmp_path: Path, text: str, error: str) -> None:
    with pytest.raises(StudioError) as caught:
        load(script(tmp_path, text))
    assert str(caught.value) == error
    assert "\n" not in str(caught.value)


def test_a_bad_json_movie_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "movie.json"
    data.write_text("{oops")
    with pytest.raises(StudioError, match=r"^movie.json: not valid JSON: .* line 1 column 2$"):
        load(data)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet="abc()=:'\"\n 1.+[]", max_size=60))
def test_any_script_text_loads_or_is_one_studio_error(tmp_path: Path, text: str) -> None:
    path = script(tmp_path, text, "any.py")
    try:
        load(path)
    except StudioError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("any.py")


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[Studio, StudioServer]]:
    pytest.importorskip("imageio_ffmpeg", reason="needs moviekit-json2video[preview]")
    session = Studio(
        script(tmp_path, MOVIE), workdir=tmp_path / "work", cache_dir=tmp_path / "cache"
    )
    (tmp_path / "work").mkdir()
    session.build()
    server = StudioServer(session, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield session, server
    server.shutdown()
    server.server_close()


def get(
    server: StudioServer,
    path: str,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    answer = conn.getresponse()
    data = answer.read()
    conn.close()
    return answer.status, dict(answer.getheaders()), data


def test_the_draft_is_served_with_ranges(served: tuple[Studio, StudioServer]) -> None:
    session, server = served
    state = session.state
    assert state.status == "ready" and state.draft == "/files/draft-1.mp4"
    draft = session.file("draft-1.mp4")
    assert draft is not None
    whole = draft.read_bytes()
    status, headers, data = get(server, state.draft)
    assert (status, data, headers["Accept-Ranges"]) == (200, whole, "bytes")
    status, headers, data = get(server, state.draft, {"Range": "bytes=10-19"})
    assert (status, data) == (206, whole[10:20])
    assert headers["Content-Range"] == f"bytes 10-19/{len(whole)}"
    status, _, data = get(server, state.draft, {"Range": "bytes=-5"})
    assert (status, data) == (206, whole[-5:])
    status, headers, _ = get(server, state.draft, {"Range": f"bytes={len(whole)}-"})
    assert status == 416 and headers["Content-Range"] == f"bytes */{len(whole)}"
    assert get(server, "/files/../recipe.py")[0] == 404  # only what a build published
    assert get(server, "/files/draft-9.mp4")[0] == 404


def test_rows_are_numbers(served: tuple[Studio, StudioServer]) -> None:
    _, server = served
    assert get(server, "/row", method="POST", body="x")[0] == 400
    assert get(server, "/row", method="POST", body="1")[0] == 200
    assert get(server, "/nowhere")[0] == 404


def test_the_notebook_view_has_timeline_storyboard_and_problems() -> None:
    pytest.importorskip("imageio_ffmpeg", reason="needs moviekit-json2video[preview]")
    movie = Movie(resolution="custom", width=320, height=180).add(
        Scene(duration=2).add(Text("hello"), Image("https://example.com/a.jpg").x(-5)),
        Scene().add(Voice("Some words here")),
    )
    page = movie_html(movie, storyboard=True)
    assert page.startswith('<div class="moviekit"><style>')
    assert "<svg" in page and 'data-path="scenes[0].elements[0]"' in page
    assert '<img alt="storyboard" src="data:image/png;base64,' in page
    assert "≥ 2 s" in page and "at least 2 credits" in page
    assert 'data-path="scenes[1].elements[0]">scenes[1].elements[0]</a> length unknown' in page
    assert "<script" not in page  # notebooks may strip scripts: the view needs none
    assert ".moviekit h2{" in page and "\nh2{" not in page  # styles stay inside the block
    quick = movie_html(movie, storyboard=False)
    assert "data:image/png" not in quick


def test_saving_a_media_file_rebuilds(tmp_path: Path) -> None:
    pytest.importorskip("watchfiles", reason="needs moviekit-json2video[studio]")
    from support.preview import make_media

    from moviekit.studio._watch import Watcher

    media = make_media(tmp_path / "media")
    (tmp_path / "photos").mkdir()
    photo = tmp_path / "photos" / "photo.png"
    photo.write_bytes(media.green.read_bytes())
    path = script(
        tmp_path,
        "from moviekit import Image, Movie, Scene\nmovie = Movie(resolution="
        "'custom', width=320, height=180).add(Scene(duration=1).add(Image("
        "'photos/photo.png')))\n",
    )
    (tmp_path / "work").mkdir()
    session = Studio(path, workdir=tmp_path / "work", cache_dir=tmp_path / "cache")
    watcher = Watcher(lambda changed: session.rebuild(), debounce_ms=50)
    session.on_watch = watcher.follow
    watcher.follow(session.watched)
    watcher.start()
    session.start()
    try:
        seen = session.wait(-1, 0)
        while session.state.status != "ready":
            seen = session.wait(seen, 30)
        assert session.watched == {path.resolve(), photo.resolve()}
        first = session.state.version
        photo.write_bytes(media.magenta.read_bytes())  # an edit of the media, not the script
        while session.state.version == first or session.state.status != "ready":
            before = seen
            seen = session.wait(seen, 30)
            assert seen != before, "no rebuild after the media changed"
        assert session.state.draft == f"/files/draft-{first + 1}.mp4"
    finally:
        session.stop()
        watcher.stop()
