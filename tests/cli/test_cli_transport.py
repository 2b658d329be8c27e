"""CLI commands render/status/download/upload/templates, in-process, against the fake server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from moviekit.cli import app
from moviekit.testing import FakeJSON2Video

MOVIE = {
    "resolution": "hd",
    "scenes": [{"duration": 2, "elements": [{"type": "text", "text": "cli"}]}],
}


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJSON2Video]:
    # Renders finish at once, so the default 5 s poll cadence never sleeps.
    with FakeJSON2Video(queue_seconds=0, render_seconds=0) as server:
        monkeypatch.setenv("JSON2VIDEO_API_KEY", server.api_key)
        monkeypatch.setenv("JSON2VIDEO_BASE_URL", server.base_url)
        yield server


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_render_status_download(live: FakeJSON2Video, tmp_path: Path) -> None:
    source = tmp_path / "movie.json"
    source.write_text(json.dumps(MOVIE))
    code, output = _run("render", str(source), "-o", str(tmp_path / "out.mp4"))
    assert code == 0, output
    (project,) = [p["project"] for p in live.projects()]
    assert f"/files/{project}.mp4" in output
    assert (tmp_path / "out.mp4").read_bytes()[4:8] == b"ftyp"
    code, output = _run("status", project)
    assert code == 0 and '"status": "done"' in output
    code, output = _run("download", project, "-o", str(tmp_path))
    assert code == 0 and (tmp_path / f"{project}.mp4").exists()
    assert live.api_key not in output


def test_upload_and_templates(live: FakeJSON2Video, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"png" * 100)
    code, output = _run("upload", str(logo), "--folder", "brand")
    assert code == 0 and output.strip().endswith("/media/brand/logo.png")
    tid = live.add_template(MOVIE, name="Promo", tags=("sales",))
    code, output = _run("templates", "--tag", "sales")
    assert code == 0 and tid in output and "Promo" in output
    code, output = _run("templates", "show", tid)
    assert code == 0 and json.loads(output) == MOVIE


def test_errors_are_one_line_without_the_key(
    live: FakeJSON2Video, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = _run("status", "Z" * 16)
    assert code == 1 and "TypeError: Cannot read properties of null" in output
    assert output.startswith(f"error: [project {'Z' * 16}, request ")  # what support asks for
    assert output.count("\n") == 1 and "(hint: check the 16-character project id" in output
    assert "Traceback" not in output
    monkeypatch.setenv("JSON2VIDEO_API_KEY", "sk-very-secret-value")
    code, output = _run("status", "Z" * 16)
    assert code == 1 and "Invalid API Key" in output and "sk-very-secret-value" not in output
    assert output.endswith(
        "(hint: check JSON2VIDEO_API_KEY: copy the key again from the JSON2Video dashboard)\n"
    )
    assert "Client(" not in output


def test_a_failed_render_and_its_markup_are_one_verbatim_line(
    live: FakeJSON2Video, tmp_path: Path
) -> None:
    source = tmp_path / "movie.json"
    source.write_text(json.dumps(MOVIE))
    code, output = _run("render", str(source), "--no-wait")
    assert code == 0
    project = output.strip().splitlines()[-1]
    live.force_status(project, "error", "[/x] render [red]failed :boom:")
    code, output = _run("status", project, "--wait")
    assert code == 1
    assert output.splitlines()[-1] == f"error: [project {project}] [/x] render [red]failed :boom:"


def test_status_of_no_project_is_one_line_and_sends_nothing(live: FakeJSON2Video) -> None:
    code, output = _run("status", "")
    assert code != 0 and "no project id given" in output and "Traceback" not in output
    assert len(output.strip().splitlines()) <= 2 and live.requests == []
