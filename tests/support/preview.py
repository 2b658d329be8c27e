"""Helpers for the preview tests: tiny media made by ffmpeg's test sources, and output checks.

Everything is generated locally (no network): 320x180 at 15 fps, 1-2 s clips,
so the whole preview suite stays within a few seconds per test on 2 cores.
"""

from __future__ import annotations

import http.server
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg", reason="needs moviekit-json2video[preview]")
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
W, H, FPS = 320, 180, 15


def ff(*args: str) -> str:
    result = subprocess.run(
        [FFMPEG, "-hide_banner", "-nostdin", "-y", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stderr


@dataclass(frozen=True)
class MediaKit:
    """Paths of the generated test media."""

    dir: Path
    red_blue: Path
    """2 s video at 15 fps: red for the first second, blue for the second; a 440 Hz tone."""
    bars: Path
    """1 s testsrc2 video, no audio."""
    tone: Path
    """2 s 440 Hz tone (wav)."""
    green: Path
    """80x40 solid green PNG."""
    magenta: Path
    """80x40 solid magenta PNG."""
    not_media: Path
    """a text file named .mp4"""
    truncated: Path
    """the first 300 bytes of an MP4 (unreadable)"""


def make_media(folder: Path) -> MediaKit:
    folder.mkdir(parents=True, exist_ok=True)
    red_blue = folder / "red_blue.mp4"
    ff(
        "-f",
        "lavfi",
        "-i",
        f"color=c=red:s={W}x{H}:r={FPS}:d=1",
        "-f",
        "lavfi",
        "-i",
        f"color=c=blue:s={W}x{H}:r={FPS}:d=1",
        "-f",
        "lavfi",
        "-i",
        "sine=f=440:d=2:sample_rate=48000",
        "-filter_complex",
        "[0:v][1:v]concat=n=2:v=1:a=0[v]",
        "-map",
        "[v]",
        "-map",
        "2:a",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-g",
        "30",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        str(red_blue),
    )
    bars = folder / "bars.mp4"
    ff(
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=s={W}x{H}:r={FPS}:d=1",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        str(bars),
    )
    tone = folder / "tone.wav"
    ff("-f", "lavfi", "-i", "sine=f=440:d=2:sample_rate=48000", str(tone))
    green = folder / "green.png"
    ff("-f", "lavfi", "-i", "color=c=0x00FF00:s=80x40", "-frames:v", "1", str(green))
    magenta = folder / "magenta.png"
    ff("-f", "lavfi", "-i", "color=c=0xFF00FF:s=80x40", "-frames:v", "1", str(magenta))
    not_media = folder / "notes.mp4"
    not_media.write_text("this is not a video\n")
    truncated = folder / "truncated.mp4"
    truncated.write_bytes(red_blue.read_bytes()[:300])
    return MediaKit(folder, red_blue, bars, tone, green, magenta, not_media, truncated)


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """``folder`` served over HTTP on loopback while the block runs: its base URL."""
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass(frozen=True)
class Info:
    width: int
    height: int
    fps: float
    frames: int
    duration: float
    audio: str


def info(path: Path) -> Info:
    """Size, fps, exact frame count, container duration and audio codec of an MP4."""
    text = ff("-i", str(path), "-map", "0:v:0", "-c", "copy", "-f", "null", "-")
    video = re.search(r"Video: .*?, (\d+)x(\d+).*?, ([\d.]+) fps", text)
    audio = re.search(r"Audio: (\w+)", text)
    frames = re.findall(r"frame=\s*(\d+)", text)
    h, m, s = re.search(r"Duration: (\d+):(\d+):([\d.]+)", text).groups()  # type: ignore[union-attr]
    assert video, text
    return Info(
        int(video.group(1)),
        int(video.group(2)),
        float(video.group(3)),
        int(frames[-1]) if frames else 0,
        int(h) * 3600 + int(m) * 60 + float(s),
        audio.group(1) if audio else "",
    )


def rgb_frame(path: Path, t: float) -> tuple[int, int, bytes]:
    """The frame at time ``t`` as raw RGB24 (width, height, bytes); accurate seek."""
    text_size = info(path)
    data = subprocess.run(
        [
            FFMPEG,
            "-hide_banner",
            "-nostdin",
            "-loglevel",
            "error",
            "-ss",
            f"{t:.4f}",
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return text_size.width, text_size.height, data


def png_rgb(png: bytes) -> tuple[int, int, bytes]:
    """Decode PNG bytes to raw RGB24 with ffmpeg."""
    result = subprocess.run(
        [
            FFMPEG,
            "-hide_banner",
            "-nostdin",
            "-loglevel",
            "error",
            "-i",
            "-",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        input=png,
        capture_output=True,
        check=True,
    )
    width, height = png_size(png)
    return width, height, result.stdout


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def pixel(frame: tuple[int, int, bytes], x: int, y: int) -> tuple[int, int, int]:
    width, _, data = frame
    i = (y * width + x) * 3
    return data[i], data[i + 1], data[i + 2]


def near(rgb: tuple[int, int, int], expected: tuple[int, int, int], tol: int = 40) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(rgb, expected, strict=True))


def busy(
    frame: tuple[int, int, bytes],
    box: tuple[int, int, int, int],
    background: tuple[int, int, int],
    tol: int = 60,
) -> int:
    """How many pixels in ``box`` (x, y, w, h) differ from ``background``."""
    x0, y0, w, h = box
    return sum(
        1
        for y in range(y0, y0 + h)
        for x in range(x0, x0 + w)
        if not near(pixel(frame, x, y), background, tol)
    )


def mean_volume(path: Path, start: float = 0.0, length: float | None = None) -> float:
    """Mean volume (dB) of the audio, via ffmpeg's volumedetect."""
    args = ["-ss", f"{start}", "-i", str(path)]
    if length is not None:
        args += ["-t", f"{length}"]
    text = ff(*args, "-map", "0:a:0", "-af", "volumedetect", "-f", "null", "-")
    match = re.search(r"mean_volume: (-?[\d.]+|-inf) dB", text)
    assert match, text
    return float(match.group(1)) if match.group(1) != "-inf" else -200.0


def ffmpeg_working_in(folder: Path) -> list[int]:
    """Process ids of the ffmpeg processes whose arguments name a path in ``folder``.

    Read from ``/proc`` (Linux); elsewhere the list is empty: the check is then skipped,
    never failed.
    """
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:  # the process ended meanwhile
            continue
        if b"ffmpeg" in args[0] and any(str(folder).encode() in a for a in args):
            found.append(int(cmdline.parent.name))
    return found
