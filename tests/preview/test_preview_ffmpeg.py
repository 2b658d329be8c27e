"""Finding and running ffmpeg: the override, a missing binary, failures and time-outs, escaping.

Every test that changes which ffmpeg is found clears the cached choice before and after, so
no other test (in any order, on any worker) sees the ffmpeg this one picked.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.preview import FFMPEG, H, W, ff

from moviekit import Movie, PreviewError, PreviewUnavailableError, Scene, preview
from moviekit.preview import _ffmpeg


@pytest.fixture()
def fresh_choice(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """No override in the environment and no cached ffmpeg, before and after the test."""
    monkeypatch.delenv("MOVIEKIT_FFMPEG", raising=False)
    _ffmpeg.ffmpeg_exe.cache_clear()
    yield monkeypatch
    _ffmpeg.ffmpeg_exe.cache_clear()


def one_scene() -> Movie:
    return Movie(resolution="custom", width=W, height=H, fps=10).add(Scene(duration=0.2))


def test_an_override_that_is_not_a_file_says_so(
    fresh_choice: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-ffmpeg"
    fresh_choice.setenv("MOVIEKIT_FFMPEG", str(missing))
    with pytest.raises(PreviewUnavailableError, match=r"MOVIEKIT_FFMPEG=.*no-such-ffmpeg.*file"):
        preview.render(one_scene(), tmp_path / "x.mp4", cache_dir=tmp_path / "c")
    assert not preview.available()
    assert not (tmp_path / "x.mp4").exists()


def test_the_override_is_the_ffmpeg_that_runs(
    fresh_choice: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    log = tmp_path / "calls.log"
    wrapper = tmp_path / "my-ffmpeg"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{FFMPEG}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    fresh_choice.setenv("MOVIEKIT_FFMPEG", str(wrapper))
    result = preview.render(one_scene(), tmp_path / "x.mp4", cache_dir=tmp_path / "c")
    assert result.path.is_file()
    assert "draft.mp4" in log.read_text()  # the join that wrote the draft went through it


def test_a_platform_without_a_bundled_binary_names_the_way_out(
    fresh_choice: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def no_binary() -> str:
        raise RuntimeError("No ffmpeg exe could be found")

    wheel = types.ModuleType("imageio_ffmpeg")
    wheel.get_ffmpeg_exe = no_binary  # type: ignore[attr-defined]
    fresh_choice.setitem(sys.modules, "imageio_ffmpeg", wheel)
    with pytest.raises(PreviewUnavailableError) as caught:
        preview.render(one_scene(), tmp_path / "x.mp4", cache_dir=tmp_path / "c")
    assert "No ffmpeg exe could be found" in str(caught.value)
    assert "set MOVIEKIT_FFMPEG" in str(caught.value)


def test_a_failing_ffmpeg_is_a_preview_error_with_its_last_lines(tmp_path: Path) -> None:
    with pytest.raises(PreviewError) as caught:
        _ffmpeg.run(
            ["-i", str(tmp_path / "missing.mp4"), str(tmp_path / "out.mp4")],
            what="scenes[3]",
            path="scenes[3]",
        )
    message = str(caught.value)
    assert re.match(r"scenes\[3\]: ffmpeg failed \(exit \d+\): ", message), message
    assert "missing.mp4" in message
    assert caught.value.path == "scenes[3]"
    assert len(message.splitlines()) <= 7


def test_ffmpeg_that_runs_too_long_is_stopped(tmp_path: Path) -> None:
    endless = ["-f", "lavfi", "-i", "testsrc2=s=640x360:r=30", "-f", "null", "-"]
    with pytest.raises(PreviewError, match=r"^transitions\[0\]: ffmpeg took longer than 0 s"):
        _ffmpeg.run(endless, what="transitions[0]", timeout=0.3)


def test_a_successful_run_returns_what_ffmpeg_printed(tmp_path: Path) -> None:
    out = tmp_path / "one.png"
    printed = _ffmpeg.run(
        ["-f", "lavfi", "-i", "color=c=red:s=8x8", "-frames:v", "1", str(out)], what="frame"
    )
    assert out.is_file() and isinstance(printed, str)


def test_the_version_line_is_part_of_the_cache_key() -> None:
    assert _ffmpeg.ffmpeg_version().startswith("ffmpeg version")


@pytest.mark.parametrize(
    "name",
    ["plain.png", "it's.png", "a,b;c.png", "[brackets].png", "co:lon.png", "back\\slash.png"],
)
def test_escaped_paths_reach_the_filter_intact(tmp_path: Path, name: str) -> None:
    if os.sep == "\\" and ("\\" in name or ":" in name):
        pytest.skip("not a file name on Windows")
    picture = tmp_path / name
    ff("-f", "lavfi", "-i", "color=c=blue:s=8x8", "-frames:v", "1", str(picture))
    out = tmp_path / "copy.png"
    _ffmpeg.run(
        ["-filter_complex", f"movie={_ffmpeg.q(picture)}", "-frames:v", "1", str(out)],
        what="escaping",
    )
    assert out.is_file()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (-0.0, "0"),
        (1.5, "1.5"),
        (2.0, "2"),
        (-2.25, "-2.25"),
        (1e-7, "0"),
        (-1e-7, "0"),
        (123456.1234567, "123456.123457"),
        (1e20, "100000000000000000000"),
    ],
)
def test_numbers_are_short_and_never_exponents(value: float, text: str) -> None:
    assert _ffmpeg.num(value) == text
