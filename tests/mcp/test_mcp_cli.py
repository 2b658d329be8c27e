"""The ``moviekit mcp`` command itself: its options, its exit, and the hint without the extra."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ENV = {k: v for k, v in os.environ.items() if not k.startswith("JSON2VIDEO_")}


def moviekit(*args: str, code: str = "", cwd: Path) -> subprocess.CompletedProcess[str]:
    """``moviekit ARGS`` in a real interpreter (after running ``code``), stdin at EOF."""
    script = f"{code}\nfrom moviekit.cli import main\nmain({list(args)!r})"
    return subprocess.run(
        [sys.executable, "-c", script],
        input="", capture_output=True, text=True, timeout=60, env=ENV, cwd=cwd,
    )  # fmt: skip


def test_without_the_extra_it_says_how_to_install_it(tmp_path: Path) -> None:
    run = moviekit("mcp", code="import sys; sys.modules['mcp'] = None", cwd=tmp_path)
    assert run.returncode == 1
    assert (
        run.stderr.strip()
        == 'error: the MCP server needs the mcp extra: pip install "moviekit-json2video[mcp]"'
    )


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["--log-level", "LOUD"],
            "--log-level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'LOUD'",
        ),
        (["--root", "nowhere"], "--root must be a directory: nowhere"),
    ],
)
def test_misuse_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    pytest.importorskip("mcp", reason="needs moviekit-json2video[mcp]")
    run = moviekit("mcp", *args, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip() == f"error: {message}"


def test_the_server_ends_when_its_client_hangs_up(tmp_path: Path) -> None:
    pytest.importorskip("mcp", reason="needs moviekit-json2video[mcp]")
    run = moviekit("mcp", cwd=tmp_path)  # stdin at EOF: no client
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    assert not (tmp_path / "moviekit-drafts").exists()  # nothing written before it is asked
