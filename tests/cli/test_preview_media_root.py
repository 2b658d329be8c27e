"""Relative media paths on the command line are read next to the script (or JSON file)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support.preview import FPS, H, W, info, make_media, png_size
from typer.testing import CliRunner

from moviekit.cli import app

SCRIPT = f"""
from moviekit import Image, Movie, Scene, Video

movie = Movie(resolution="custom", width={W}, height={H}, fps={FPS}).add(
    Scene(duration=0.6).add(Image("photo.png")),
    Scene().add(Video("clips/red_blue.mp4")),
)
"""


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``sub/recipe.py`` and ``sub/movie.json`` with their media next to them; cwd elsewhere."""
    media = make_media(tmp_path / "media")
    sub = tmp_path / "sub"
    (sub / "clips").mkdir(parents=True)
    shutil.copy(media.green, sub / "photo.png")
    shutil.copy(media.red_blue, sub / "clips" / "red_blue.mp4")
    (sub / "recipe.py").write_text(SCRIPT)
    doc = {
        "resolution": "custom",
        "width": W,
        "height": H,
        "fps": FPS,
        "scenes": [{"duration": 1.2, "elements": [{"type": "image", "src": "photo.png"}]}],
    }
    (sub / "movie.json").write_text(json.dumps(doc))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("JSON2VIDEO_API_KEY", raising=False)
    monkeypatch.setenv("MOVIEKIT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_render_reads_media_next_to_the_script(project: Path) -> None:
    code, output = run("render", "../sub/recipe.py", "-o", "draft.mp4")
    assert code == 0, output
    got = info(project / "elsewhere" / "draft.mp4")
    assert got.frames == round(0.6 * FPS) + 2 * FPS  # the photo scene, then the 2 s clip


def test_frame_and_storyboard_read_media_next_to_the_script(project: Path) -> None:
    code, output = run("frame", "../sub/recipe.py", "--at", "0.1", "-o", "f.png")
    assert code == 0, output
    assert png_size((project / "elsewhere" / "f.png").read_bytes()) == (W, H)
    code, output = run("storyboard", "../sub/recipe.py:movie", "-o", "b.png")
    assert code == 0, output
    assert (project / "elsewhere" / "b.png").is_file()


def test_json_media_is_read_next_to_the_json_file(project: Path) -> None:
    code, output = run("render", str(project / "sub" / "movie.json"), "-o", "j.mp4")
    assert code == 0, output
    assert info(project / "elsewhere" / "j.mp4").frames == round(1.2 * FPS)


def test_a_missing_file_says_where_it_was_looked_for(project: Path) -> None:
    (project / "sub" / "photo.png").unlink()
    code, output = run("render", "../sub/recipe.py")
    assert code == 1
    looked = project / "sub" / "photo.png"
    assert (
        "error: ../sub/recipe.py: scenes[0].elements[0]: file not found: photo.png "
        f"(looked for {looked})"
    ) in " ".join(output.split()), output


def test_a_service_render_uploads_media_from_next_to_the_script(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue #15.4: with a key, `photo.png` was looked for in the current directory.
    import requests

    from moviekit.testing import FakeJSON2Video

    with FakeJSON2Video(speed=100, renders="tiny") as server:
        monkeypatch.setenv("JSON2VIDEO_API_KEY", server.api_key)
        monkeypatch.setenv("JSON2VIDEO_BASE_URL", server.base_url)
        monkeypatch.setenv("JSON2VIDEO_POLL_INTERVAL", "0.1")  # as moviekit fake-server prints
        code, output = run("render", "../sub/recipe.py", "-o", "out.mp4")
        assert code == 0, output
        (posted,) = [
            r.json() for r in server.requests if r.method == "POST" and r.path == "/v2/movies"
        ]
        image, video = posted["scenes"][0]["elements"][0], posted["scenes"][1]["elements"][0]
        for element, local in ((image, "photo.png"), (video, "clips/red_blue.mp4")):
            assert element["src"].startswith("http://127.0.0.1:"), element
            uploaded = requests.get(element["src"], timeout=10).content
            assert uploaded == (project / "sub" / local).read_bytes()
    assert (project / "elsewhere" / "out.mp4").is_file()
    assert not (project / "elsewhere" / "photo.png").exists()
