"""Every code block of the preview README section runs (it will move into README.md)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
from support.readme import section
from typer.testing import CliRunner

from moviekit.cli import app

pytest.importorskip("imageio_ffmpeg", reason="needs moviekit-json2video[preview]")
ROOT = Path(__file__).resolve().parents[2]
SECTION = section("## See it before you pay for it")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", SECTION, re.S)


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "cookbook", tmp_path / "cookbook")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JSON2VIDEO_API_KEY", raising=False)
    monkeypatch.setenv("MOVIEKIT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def test_python_blocks_run(workdir: Path) -> None:
    for lang, code in BLOCKS:
        if lang == "python":
            namespace: dict[str, Any] = {"__name__": "__docs__"}
            exec(compile(code, "README.md", "exec"), namespace)
    assert (workdir / "draft.mp4").is_file() and (workdir / "board.png").is_file()


def test_cli_lines_run(workdir: Path) -> None:
    lines = [
        line.split("#", 1)[0].strip()
        for lang, code in BLOCKS
        if lang == "bash"
        for line in code.splitlines()
        if line.strip().startswith("moviekit ")
    ]
    assert lines
    for line in lines:
        result = CliRunner().invoke(app, shlex.split(line)[1:])
        assert result.exit_code == 0, f"{line!r}:\n{result.output}"
