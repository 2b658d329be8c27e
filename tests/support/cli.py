"""Driving the ``moviekit`` command in-process (Typer's CliRunner) and as a real process.

``invoke`` runs the real application object in this process; ``run_process``
runs ``python -m moviekit`` in a child process with the given environment, as a
user's shell would. ``assert_one_error`` is the contract every failure keeps:
an exit code, one ``error:`` line naming what it is about, no traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result

from moviekit.cli import app

#: every command that takes a movie, but ``validate`` (which reports instead of stopping)
MOVIE_COMMANDS = {
    "build": ["build"],
    "timeline": ["timeline"],
    "render": ["render", "--local"],
    "frame": ["frame", "--at", "0.5"],
    "storyboard": ["storyboard"],
}


def invoke(*args: str | Path) -> Result:
    """``moviekit ARGS...`` in-process; stdout and stderr kept apart."""
    return CliRunner().invoke(app, [str(a) for a in args])


def run_process(*args: str | Path, cwd: Path, env: dict[str, str] | None = None,
                timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m moviekit ARGS...`` in a child process, without an API key by default."""
    environ = {k: v for k, v in os.environ.items() if k != "JSON2VIDEO_API_KEY"}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "moviekit", *map(str, args)], cwd=cwd,
                          env=environ, capture_output=True, text=True, timeout=timeout,
                          check=False)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def assert_one_error(code: int, stderr: str, stdout: str, *, expected_code: int,
                     names: str = "") -> str:
    """The failure contract; returns the error line."""
    assert code == expected_code, stderr
    assert "Traceback" not in stderr + stdout
    (line,) = error_lines(stderr)
    assert names in line
    return line
