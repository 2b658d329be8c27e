"""Every code block in README.md runs: Python blocks execute, JSON blocks match, CLI lines succeed.

The quickstart block is run by ``.ci/run`` itself (it installs the package), so
here it is only checked to hold exactly two commands.
"""

from __future__ import annotations

import glob
import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from moviekit._cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = [
    (m.group(1), m.group(2), README[: m.start()].count("\n") + 1)
    for m in re.finditer(r"```(\w+)\n(.*?)```", README, re.S)
]


def _quickstart() -> list[str]:
    section = README.split("<!-- quickstart:start -->", 1)[1].split("<!-- quickstart:end -->")[0]
    return [line for line in section.splitlines() if line and not line.startswith("```")]


def test_quickstart_is_exactly_two_commands() -> None:
    commands = _quickstart()
    assert len(commands) == 2
    assert "moviekit build cookbook/" in commands[0]
    assert ".[test]" in commands[1] and "pytest" in commands[1]


def _python_blocks() -> list[tuple[str, int]]:
    return [(code, line) for lang, code, line in BLOCKS if lang == "python"]


@pytest.mark.parametrize(
    "code,line", _python_blocks(), ids=lambda v: f"line{v}" if isinstance(v, int) else ""
)
def test_python_block_runs(
    code: str, line: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # examples may write files (out.mp4)
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    exec(compile(code, f"README.md:{line}", "exec"), namespace)


def test_json_block_is_the_output_of_the_example_before_it() -> None:
    for i, (lang, code, line) in enumerate(BLOCKS):
        if lang != "json":
            continue
        previous = next(c for lg, c, _ in reversed(BLOCKS[:i]) if lg == "python")
        namespace: dict[str, Any] = {}
        exec(previous, namespace)
        assert json.loads(code) == namespace["doc"], f"README.md:{line} is out of date"


def _cli_lines() -> list[str]:
    quick = set(_quickstart())
    return [
        line.split("#", 1)[0].strip()
        for lang, code, _ in BLOCKS
        if lang == "bash"
        for line in code.splitlines()
        if line.strip() and line not in quick and line.strip().startswith("moviekit ")
    ]


def test_cli_lines_run_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "cookbook", tmp_path / "cookbook")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    lines = _cli_lines()
    assert lines, "the README shows the command line"
    for line in lines:
        args = []
        for word in shlex.split(line)[1:]:
            args.extend(sorted(glob.glob(word)) if "*" in word else [word])
        result = runner.invoke(app, args)
        assert result.exit_code == 0, f"{line!r} failed:\n{result.output}"
