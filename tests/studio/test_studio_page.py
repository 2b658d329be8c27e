"""``moviekit studio`` in a real headless browser: the draft, live updates, errors, rows.

The studio runs as a real subprocess (``python -m moviekit studio``) on loopback;
the page is driven by Chromium. Edits are real file writes the watcher sees.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.browser import browser, console_errors, wait_for

from moviekit import preview
from moviekit.studio._load import load

pytest.importorskip("imageio_ffmpeg", reason="needs moviekit-json2video[preview]")
pytest.importorskip("watchfiles", reason="needs moviekit-json2video[studio]")

RECIPE = """
from moviekit import Movie, Scene, Text

movie = Movie(resolution="custom", width=320, height=180, fps=25).add(
    Scene(background_color="#FF0000", duration={first}).add(Text("one").style("004")),
    Scene(background_color="#0000FF", duration=1.5).transition("fade", 0.5).add(Text("two")),
)
"""


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    yield from browser()


class StudioProcess:
    def __init__(self, script: Path, *args: str) -> None:
        env = {**os.environ, "MOVIEKIT_CACHE_DIR": str(script.parent / "cache")}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "moviekit",
                "studio",
                str(script),
                "--port",
                "0",
                "--no-open",
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=script.parent.parent,
        )
        assert self.proc.stdout is not None
        self.first_line = self.proc.stdout.readline().strip()
        assert self.first_line.startswith("studio: http://127.0.0.1:"), (
            self.first_line,
            self.proc.stderr.read() if self.proc.poll() is not None else "",
        )
        self.url = self.first_line.split(" ", 1)[1]

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return err


@pytest.fixture()
def script(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    path = folder / "recipe.py"
    path.write_text(RECIPE.format(first=2))
    return path


def total_of(path: Path) -> float:
    loaded = load(path)
    assert loaded.movie is not None
    return float(
        loaded.movie.timeline(
            lengths=preview.probe_lengths(
                loaded.movie, base_dir=path.parent, cache_dir=path.parent / "cache"
            )
        ).total
    )


def video_duration(driver: Any) -> float | None:
    value = driver.execute_script(
        "const v = document.getElementById('video');"
        "return document.body.dataset.status === 'ready' && v.readyState >= 1 ? v.duration : null;"
    )
    return float(value) if value else None


def write(path: Path, text: str) -> None:
    # A new mtime for sure, even on file systems with coarse timestamps.
    path.write_text(text)
    later = time.time() + 1
    os.utime(path, (later, later))


def test_the_page_follows_the_script(driver: Any, script: Path) -> None:
    studio = StudioProcess(script)
    try:
        console_errors(driver)  # drained: only this page's messages count
        driver.get(studio.url)
        first = total_of(script)
        assert first == pytest.approx(3.0)
        duration = wait_for(lambda: video_duration(driver), 60, "the first draft")
        assert abs(duration - first) <= 0.05, (duration, first)
        assert driver.find_element("css selector", "#timeline-svg svg") is not None
        assert driver.find_element("css selector", "#storyboard img").get_attribute("src")
        assert "credit" in driver.find_element("id", "cost").text
        assert console_errors(driver) == []

        # The playhead follows the video.
        driver.execute_script("document.getElementById('video').currentTime = 2.0")
        x0 = float(driver.find_element("id", "playhead").get_attribute("x1"))
        driver.execute_script("document.getElementById('video').currentTime = 0.5")
        wait_for(
            lambda: float(driver.find_element("id", "playhead").get_attribute("x1")) < x0,
            5,
            "the playhead to move back",
        )

        # A problem's path leads to its timeline row.
        link = driver.find_element(
            "css selector", "#problems a.path[data-path='scenes[0].elements[0]']"
        )
        link.click()
        selected = driver.find_elements("css selector", "#timeline-svg .selected")
        assert [e.get_attribute("data-path") for e in selected] == ["scenes[0].elements[0]"]

        # An edit re-renders without a reload: 2 s -> 3.5 s for the first scene.
        version = driver.execute_script("return document.body.dataset.version")
        driver.execute_script(  # record every text the status badge shows from now on
            "const s = document.getElementById('status'); window.badges = [];"
            "new MutationObserver(() => window.badges.push(s.textContent))"
            ".observe(s, {childList: true, characterData: true, subtree: true});"
        )
        marker = driver.execute_script("window.notReloaded = true; return 1")
        write(script, RECIPE.format(first=3.5))
        second = total_of(script)
        assert second == pytest.approx(4.5)
        started = time.monotonic()
        duration = wait_for(
            lambda: (d := video_duration(driver)) and abs(d - second) <= 0.05 and d,
            30,
            "the edited draft",
        )
        assert time.monotonic() - started < 30
        assert driver.execute_script("return window.notReloaded") == marker
        badges = driver.execute_script("return window.badges")
        assert any(b.startswith("rendering...") for b in badges), badges
        assert badges[-1] == "ready"
        assert driver.execute_script("return document.body.dataset.version") != version

        # A broken script shows its one-line error in the page; the fix brings the video back.
        write(script, RECIPE.format(first=3.5) + "\ndef broken(:\n")
        error = wait_for(lambda: driver.find_element("id", "error").text, 30, "the error")
        assert error.startswith("recipe.py, line 9: SyntaxError"), error
        assert "\n" not in error
        assert not driver.find_element("id", "video").is_displayed()
        write(script, RECIPE.format(first=2))
        wait_for(lambda: driver.find_element("id", "video").is_displayed(), 30, "the video back")
        duration = wait_for(lambda: video_duration(driver), 30, "the fixed draft")
        assert abs(duration - first) <= 0.05
        assert console_errors(driver) == []
    finally:
        driver.get("about:blank")  # leave the page before its server goes away
        err = studio.stop()
    assert "Traceback" not in err, err


TEMPLATE = """
from moviekit import Movie, MovieTemplate, Scene, Text, Variable

def promo(row):
    return Movie(resolution="custom", width=320, height=180, fps=25).add(
        Scene(duration=row["seconds"]).add(Text(row["title"])))

template = MovieTemplate(promo, [Variable("title"), Variable("seconds", "number")])
"""


def test_a_template_gets_a_row_picker(driver: Any, tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    script = folder / "promo.py"
    script.write_text(TEMPLATE)
    (folder / "rows.csv").write_text("sku,title,seconds\nA,First,1\nB,Second,2.5\n")
    studio = StudioProcess(script, "--rows", str(folder / "rows.csv"), "--key", "sku")
    try:
        console_errors(driver)  # drained: only this page's messages count
        driver.get(studio.url)
        duration = wait_for(lambda: video_duration(driver), 60, "row A's draft")
        assert abs(duration - 1.0) <= 0.05
        options = driver.find_elements("css selector", "#rows option")
        assert [o.text for o in options] == ["0: A", "1: B"]
        options[1].click()
        wait_for(
            lambda: (d := video_duration(driver)) and abs(d - 2.5) <= 0.05, 30, "row B's draft"
        )
        assert console_errors(driver) == []
    finally:
        driver.get("about:blank")
        studio.stop()


def test_a_template_without_rows_says_what_to_do(driver: Any, tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    script = folder / "promo.py"
    script.write_text(TEMPLATE)
    studio = StudioProcess(script)
    try:
        console_errors(driver)  # drained: only this page's messages count
        driver.get(studio.url)
        error = wait_for(lambda: driver.find_element("id", "error").text, 30, "the error")
        assert error == (
            "promo.py defines a template: pass the rows to draft one of "
            "(moviekit studio promo.py --rows data.csv)"
        )
    finally:
        driver.get("about:blank")
        studio.stop()
