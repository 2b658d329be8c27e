"""Finding and running ffmpeg, and writing filter-graph text safely.

The binary comes from the ``imageio-ffmpeg`` wheel (the ``preview`` extra), so
``pip install "moviekit-json2video[preview]"`` is the whole set-up: no system ffmpeg, no
ffprobe (that wheel has none; :mod:`moviekit.preview._media` probes with ffmpeg
itself). ``MOVIEKIT_FFMPEG`` may point at another ffmpeg (tests, packagers).
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from collections.abc import Sequence

from moviekit._errors import PreviewError, PreviewUnavailableError

INSTALL_HINT = 'pip install "moviekit-json2video[preview]"'


@functools.lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """The ffmpeg executable to run; raises :class:`PreviewUnavailableError` with the fix."""
    override = os.environ.get("MOVIEKIT_FFMPEG")
    if override:
        if not os.path.isfile(override):
            raise PreviewUnavailableError(f"MOVIEKIT_FFMPEG={override!r} is not a file")
        return override
    try:
        import imageio_ffmpeg  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise PreviewUnavailableError(
            "the local preview needs the ffmpeg shipped in the imageio-ffmpeg wheel: "
            f"{INSTALL_HINT}"
        ) from None
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:  # a platform the wheel has no binary for
        raise PreviewUnavailableError(
            f"imageio-ffmpeg has no ffmpeg binary for this platform ({exc}); "
            "set MOVIEKIT_FFMPEG to an ffmpeg executable"
        ) from None


@functools.lru_cache(maxsize=1)
def ffmpeg_version() -> str:
    """The version line of the ffmpeg in use (part of every cache key)."""
    result = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-version"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return result.stdout.splitlines()[0] if result.stdout else "unknown"


def run(args: Sequence[str], *, what: str, path: str = "", timeout: float | None = None) -> str:
    """Run ffmpeg with ``args`` (no shell); return its stderr; raise :class:`PreviewError`.

    ``what`` says which job failed (``"scenes[1]"``), so the message points at
    the movie, with the last lines ffmpeg printed.
    """
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args]
    try:
        result = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, check=False, errors="replace"
        )
    except subprocess.TimeoutExpired:
        raise PreviewError(f"{what}: ffmpeg took longer than {timeout:.0f} s", path=path) from None
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-6:])
        raise PreviewError(f"{what}: ffmpeg failed (exit {result.returncode}): {tail}", path=path)
    return result.stderr


# ----------------------------------------------------------------------------- escaping
# A value inside a filter graph is parsed twice: once by the graph parser (which
# splits on , ; [ ] and strips one level of quotes/backslashes) and once by the
# filter's option parser (which splits on :). Quote for the option level, then
# backslash-escape for the graph level; then paths and expressions with any
# character (colons, commas, quotes) arrive intact.

_GRAPH_SPECIAL = re.compile(r"([\\'\[\],;])")


def q(value: object) -> str:
    """Escape ``value`` as one filter option value."""
    text = "'" + str(value).replace("'", "'\\''") + "'"
    return _GRAPH_SPECIAL.sub(r"\\\1", text)


def num(value: float) -> str:
    """A number for a filter graph: short, no exponent."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
