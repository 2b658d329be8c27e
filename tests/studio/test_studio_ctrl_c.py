"""Ctrl-C ends ``moviekit studio`` promptly at any moment, and leaves nothing behind.

Each test starts the studio as a real subprocess (``python -m moviekit studio``),
sends it one real SIGINT at one moment of its life and times its exit: while
Python itself starts, as soon as the studio prints its address (its threads
starting, its first build beginning), and while ffmpeg renders a draft that
takes minutes. Only the studio is signalled, not its ffmpeg processes (as a
test harness, a supervisor or ``kill -INT`` does; a terminal's Ctrl-C signals
them too): the studio must stop them itself.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from support.preview import ffmpeg_working_in

pytest.importorskip("imageio_ffmpeg", reason="needs moviekit-json2video[preview]")
pytest.importorskip("watchfiles", reason="needs moviekit-json2video[studio]")

#: seconds from SIGINT to the exit; the long draft below takes minutes to render
PROMPT = 8.0
#: a first scene that renders at once, then ten minutes of full HD: the render is still
#: running when the first scene's progress shows up, and for long after
LONG = """
from moviekit import Movie, Scene, Text

movie = Movie(resolution="full-hd", fps=30, quality="high").add(
    Scene(background_color="#202020", duration=0.2),
    Scene(background_color="#0000FF", duration=600).add(Text("long")),
)
"""


class Studio:
    """``moviekit studio`` in a folder of its own: its cache, its temporary folder."""

    def __init__(self, tmp_path: Path, recipe: str) -> None:
        self.script = tmp_path / "project" / "recipe.py"
        self.script.parent.mkdir()
        self.script.write_text(recipe)
        self.cache = tmp_path / "cache"
        self.tmp = tmp_path / "tmp"
        self.tmp.mkdir()
        env = {**os.environ, "MOVIEKIT_CACHE_DIR": str(self.cache), "TMPDIR": str(self.tmp)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "moviekit", "studio", str(self.script)]
            + ["--port", "0", "--no-open"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )

    def address(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        assert re.fullmatch(r"studio: http://127\.0\.0\.1:\d+/", line), line
        return line.split(" ", 1)[1]

    def interrupt(self) -> tuple[int, str]:
        """SIGINT; (exit code, stderr). Killed, and the test failed, unless it ends promptly."""
        self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=PROMPT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            for pid in ffmpeg_working_in(self.cache):  # not left running for the next tests
                os.kill(pid, signal.SIGKILL)
            pytest.fail(f"the studio still ran {PROMPT} s after Ctrl-C")
        return self.proc.returncode, err

    def leftovers(self) -> list[str]:
        """What a stopped studio must not leave: its work folder, half-made cache entries."""
        left = [p.name for p in self.tmp.iterdir()]
        if self.cache.is_dir():
            left += [
                str(p.relative_to(self.cache))
                for p in self.cache.rglob("*")
                if p.name.endswith((".tmp", ".part")) or p.name.startswith("moviekit-join-")
            ]
        left += [f"ffmpeg (pid {pid})" for pid in ffmpeg_working_in(self.cache)]
        return left


def status(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url + "state", timeout=10) as reply:
        state: dict[str, object] = json.load(reply)
    return state


def test_ctrl_c_while_python_starts(tmp_path: Path) -> None:
    studio = Studio(tmp_path, LONG)
    code, err = studio.interrupt()  # at once: the interpreter is still starting
    # Before moviekit's own code runs, Ctrl-C ends it as it ends any Python program: killed
    # by the signal, or a KeyboardInterrupt traceback from Python's start-up (exit 1), or
    # Typer's 130; from the command's first line on, the studio's own 0.
    assert code in (0, 1, 130, -signal.SIGINT), (code, err)
    if code == 1:
        assert err.rstrip().endswith("KeyboardInterrupt"), err
    assert studio.leftovers() == []


def test_ctrl_c_as_soon_as_the_address_is_printed(tmp_path: Path) -> None:
    studio = Studio(tmp_path, LONG)
    studio.address()  # the watcher and the first build start right after this line
    code, err = studio.interrupt()
    assert (code, "Traceback" in err) == (0, False), err
    assert studio.leftovers() == []


def test_ctrl_c_while_ffmpeg_renders(tmp_path: Path) -> None:
    studio = Studio(tmp_path, LONG)
    url = studio.address()
    deadline = time.monotonic() + 60
    # A job's progress ("scenes[0] (1/4)") while still rendering: the short scene is done,
    # the ten minutes are not.
    while not (
        (state := status(url))["status"] == "rendering"
        and re.search(r"\(\d+/\d+\)$", str(state["message"]))
    ):
        assert time.monotonic() < deadline, state
        time.sleep(0.02)
    if Path("/proc/self/cmdline").exists():
        assert ffmpeg_working_in(studio.cache), "no render in progress to interrupt"
    code, err = studio.interrupt()
    assert (code, "Traceback" in err) == (0, False), err
    assert studio.leftovers() == []
