"""The command line without an API key renders locally (and says so); frame and storyboard."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support.preview import FPS, H, W, info, png_size
from typer.testing import CliRunner

from moviekit.cli import app
from moviekit.cli._load import load_movie
from moviekit.preview import _engine

ROOT = Path(__file__).resolve().parents[2]
MOVIE = {
    "resolution": "custom",
    "width": W,
    "height": H,
    "fps": FPS,
    "scenes": [
        {
            "background-color": "#FF0000",
            "duration": 0.6,
            "elements": [{"type": "text", "text": "cli", "style": "004"}],
        },
        {
            "background-color": "#0000FF",
            "duration": 0.6,
            "transition": {"style": "slideleft", "duration": 0.2},
        },
    ],
}


@pytest.fixture()
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("JSON2VIDEO_API_KEY", raising=False)
    monkeypatch.setenv("MOVIEKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "movie.json"
    path.write_text(json.dumps(MOVIE))
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_no_key_renders_a_local_draft_and_says_so(source: Path, tmp_path: Path) -> None:
    code, output = run("render", str(source), "-o", "out.mp4")
    assert code == 0, output
    assert "no API key (JSON2VIDEO_API_KEY is not set): rendering a local draft" in output
    assert output.strip().endswith("out.mp4")
    got = info(tmp_path / "out.mp4")
    assert (got.width, got.height, got.frames) == (W, H, round(1.0 * FPS))
    assert "static-text" in output  # the approximation report


def test_default_output_name(source: Path, tmp_path: Path) -> None:
    code, output = run("render", str(source))
    assert code == 0, output
    assert (tmp_path / "movie.draft.mp4").is_file()


def test_service_without_key_fails_clearly(source: Path) -> None:
    code, output = run("render", str(source), "--service")
    assert code == 1
    assert "JSON2VIDEO_API_KEY" in output and "local draft" not in output


def test_local_flag_wins_over_a_key(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSON2VIDEO_API_KEY", "k" * 20)
    code, output = run("render", str(source), "--local", "-o", "x.mp4")
    assert code == 0, output
    assert "(--local)" in output and (tmp_path / "x.mp4").is_file()
    code, output = run("render", str(source), "--local", "--no-wait")
    assert code == 2


def test_frame_and_storyboard(source: Path, tmp_path: Path) -> None:
    code, output = run("frame", str(source), "--at", "0.3", "-o", "f.png")
    assert code == 0, output
    assert png_size((tmp_path / "f.png").read_bytes()) == (W, H)
    code, output = run("storyboard", str(source), "-o", "b.png", "--width", "160")
    assert code == 0, output
    assert png_size((tmp_path / "b.png").read_bytes())[0] == 6 + 2 * (160 + 6)


def test_bad_media_is_one_clear_line(source: Path, tmp_path: Path) -> None:
    doc = {**MOVIE, "scenes": [{"elements": [{"type": "video", "src": "nope.mp4"}]}]}
    source.write_text(json.dumps(doc))
    code, output = run("render", str(source))
    assert code == 1
    assert f"error: {source}: scenes[0].elements[0]: file not found: nope.mp4" in output
    assert "Traceback" not in output


def _render_recipe(name: str, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "cookbook", tmp_path / "cookbook")
    code, output = run("render", f"cookbook/{name}.py", "-o", "draft.mp4", "--quality", "low")
    assert code == 0, output
    movie = load_movie(f"cookbook/{name}.py")
    got = info(tmp_path / "draft.mp4")
    # Every remote URL in the recipes is unreachable here: placeholders, with lengths from
    # the approximation rules. The draft is exactly as long as the timeline it was cut from.
    plan = _engine.plan_only(movie, cache_dir=tmp_path / "cache", fetch_timeout=1)
    assert got.frames == plan.total_frames
    assert abs(got.frames / plan.fps - plan.timeline.total) <= 1 / plan.fps
    assert (got.width, got.height, got.fps, got.audio) == (plan.width, plan.height, plan.fps, "aac")
    assert "approximation" in output


def test_readme_main_job_hello_world(source: Path, tmp_path: Path) -> None:
    """`moviekit render cookbook/hello_world.py -o draft.mp4` with no key: the quickstart."""
    shutil.copytree(ROOT / "cookbook", tmp_path / "cookbook")
    code, output = run("render", "cookbook/hello_world.py", "-o", "draft.mp4")
    assert code == 0, output
    got = info(tmp_path / "draft.mp4")
    assert (got.width, got.height, got.fps, got.audio) == (1920, 1080, 25, "aac")
    assert got.frames == 5 * 25  # the scene's 5 s; the unreachable music does not stretch it


@pytest.mark.parametrize("name", ["render_against_fake_server", "picture_in_picture"])
def test_cookbook_recipes_render_locally(name: str, source: Path, tmp_path: Path) -> None:
    _render_recipe(name, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "photo_slideshow",
        "product_promos_csv",
        "real_estate_listing",
        "vertical_social",
        "watermark_and_music",
        "subtitles",
        "html_title_card",
        "exports_webhook_ftp",
    ],
)
def test_more_cookbook_recipes_render_locally(name: str, source: Path, tmp_path: Path) -> None:
    _render_recipe(name, tmp_path)
