"""`moviekit batch run` in-process against FakeJSON2Video: exit codes, the drawn progress, no key.

Exit 0 only when every row is done (and saved, when a folder is given); a
failed, unfinished or invalid row, or a video not saved, exits 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.cli import assert_one_error, invoke
from typer.testing import CliRunner, Result

from moviekit.cli import app
from moviekit.testing import FakeJSON2Video, Fault

TEMPLATE = """
from moviekit import Movie, MovieTemplate, Scene, Text, Variable, Video

template = MovieTemplate(
    lambda row: Movie().add(Scene(duration=2).add(Video(row["clip"]), Text(row["sku"]))),
    [Variable("sku"), Variable("clip", "url")],
)
"""


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJSON2Video]:
    with FakeJSON2Video(queue_seconds=0, render_seconds=0) as fake:
        fake.add_media("ok.mp4", b"x" * 10, content_type="video/mp4")
        monkeypatch.setenv("JSON2VIDEO_API_KEY", fake.api_key)
        monkeypatch.setenv("JSON2VIDEO_BASE_URL", fake.base_url)
        yield fake


def run(server: FakeJSON2Video, tmp_path: Path, clips: list[str], *extra: str) -> Result:
    (tmp_path / "t.py").write_text(TEMPLATE)
    lines = ["sku,clip"] + [f"R{i},{server.origin}/media/{clip}" for i, clip in enumerate(clips)]
    (tmp_path / "rows.csv").write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(
        app,
        [
            "batch",
            "run",
            str(tmp_path / "t.py"),
            str(tmp_path / "rows.csv"),
            "--key",
            "sku",
            "--ledger",
            str(tmp_path / "l.db"),
            "--poll-interval",
            "0.05",
            *extra,
        ],
    )
    assert server.api_key not in result.output
    return result


def test_every_row_done_exits_0_and_draws_the_progress(
    server: FakeJSON2Video, tmp_path: Path
) -> None:
    result = run(server, tmp_path, ["ok.mp4", "ok.mp4"])
    assert result.exit_code == 0, result.output
    assert "2/2" in result.output and "done 2 · failed 0" in result.output
    assert "batch summary" in result.output


def test_a_failed_row_exits_1(server: FakeJSON2Video, tmp_path: Path) -> None:
    result = run(server, tmp_path, ["ok.mp4", "missing.mp4"])
    assert result.exit_code == 1, result.output
    assert "1 done, 1 failed" in result.output and "--retry-failed" in result.output
    again = run(server, tmp_path, ["ok.mp4", "missing.mp4"])  # the ledger remembers it
    assert again.exit_code == 1 and len(server.projects()) == 2


def test_an_unfinished_row_exits_1(server: FakeJSON2Video, tmp_path: Path) -> None:
    server.inject(Fault.status(503, times=4), method="GET", path="/v2/movies")
    result = run(server, tmp_path, ["ok.mp4"])
    assert result.exit_code == 1, result.output
    assert "1 row(s) unfinished: run again to resume" in result.output
    assert run(server, tmp_path, ["ok.mp4"]).exit_code == 0


def test_an_invalid_row_skipped_exits_1(server: FakeJSON2Video, tmp_path: Path) -> None:
    (tmp_path / "t.py").write_text(TEMPLATE)
    (tmp_path / "rows.csv").write_text(f"sku,clip\nA,{server.origin}/media/ok.mp4\nB,nope\n")
    result = CliRunner().invoke(
        app,
        [
            "batch",
            "run",
            str(tmp_path / "t.py"),
            str(tmp_path / "rows.csv"),
            "--key",
            "sku",
            "--ledger",
            str(tmp_path / "l.db"),
            "--poll-interval",
            "0.05",
            "--skip-bad-rows",
        ],
    )
    assert result.exit_code == 1 and "1 invalid" in result.output


def test_a_video_not_saved_exits_1(server: FakeJSON2Video, tmp_path: Path) -> None:
    # The file host has no file yet: refused at once (a 5xx would be retried with backoff
    # first, which tests/transport covers; the exit code only needs the video not saved).
    server.inject(Fault.status(404, message="Not Found"), method="GET", path="/files/")
    result = run(server, tmp_path, ["ok.mp4"], "--download", str(tmp_path / "videos"))
    assert result.exit_code == 1, result.output
    assert "video(s) not saved" in result.output
    saved = run(server, tmp_path, ["ok.mp4"], "--download", str(tmp_path / "videos"))
    assert saved.exit_code == 0 and len(list((tmp_path / "videos").glob("*.mp4"))) == 1


# --------------------------------------------------------------------------- loading templates


@pytest.mark.parametrize(
    ("name", "content", "code", "said"),
    [
        ("t.json", "{not json", 1, "t.json: not valid JSON: Expecting property name"),
        ("t.json", None, 2, "t.json: this is a directory"),
        ("gone.json", "", 2, "no such file: "),
        ("gone.py", "", 2, "no such file: "),
        ("t.py", "raise ValueError('boom')\n", 1, "t.py:1: ValueError: boom"),
        ("t.py", "x = 1\n", 2, "t.py defines no 'template'"),
    ],
)
def test_a_template_that_cannot_be_loaded_is_one_line_naming_it(
    tmp_path: Path, name: str, content: str | None, code: int, said: str
) -> None:
    (tmp_path / "rows.csv").write_text("title\nA\n")
    target = tmp_path / name
    if content is None:
        target.mkdir()
    elif not name.startswith("gone"):
        target.write_text(content)
    for command in ("check", "run", "report"):
        extra = [] if command == "check" else ["--ledger", str(tmp_path / "l.db")]
        if command == "report":
            (tmp_path / "l.db").touch()
        result = invoke("batch", command, target, tmp_path / "rows.csv", *extra)
        line = assert_one_error(
            result.exit_code, result.stderr, result.stdout, expected_code=code, names=said
        )
        assert "unexpected" not in line, command


def test_the_command_module_loads_the_batch_layer_only_inside_its_commands() -> None:
    """``moviekit.cli.batch`` imports Typer, Rich and the CLI's own modules at the top."""
    import ast

    import moviekit.cli.batch as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    names = {a.name for n in top if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in top if isinstance(n, ast.ImportFrom)}
    lower = {n for n in names if n.startswith(("moviekit.batch", "moviekit.transport"))}
    assert not lower and "moviekit.cli._load" in names
