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
import threading
import time
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


#: seconds between two looks at the cancel switch while ffmpeg runs
CANCEL_POLL = 0.05


def check_cancel(cancel: threading.Event | None, what: str, path: str = "") -> None:
    """Raise :class:`PreviewError` once ``cancel`` is set: a cancelled render starts no more."""
    if cancel is not None and cancel.is_set():
        raise PreviewError(f"{what}: stopped (the render was cancelled)", path=path)


def capture(
    cmd: Sequence[str],
    *,
    what: str,
    path: str = "",
    timeout: float | None = None,
    cancel: threading.Event | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` and collect its output (``subprocess.run`` with a cancel switch).

    When ``cancel`` is set the process is killed and reaped, then
    :class:`PreviewError` is raised; any exception (a Ctrl-C included) kills it
    too, so no ffmpeg outlives the call that started it. ``timeout`` raises
    :class:`subprocess.TimeoutExpired`, as ``subprocess.run`` does.
    """
    check_cancel(cancel, what, path)
    deadline = None if timeout is None else time.monotonic() + timeout
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace"
    )
    try:
        while True:
            wait = None if cancel is None else CANCEL_POLL
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise subprocess.TimeoutExpired(cmd, timeout or 0.0)
                wait = left if wait is None else min(wait, left)
            try:
                stdout, stderr = proc.communicate(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                check_cancel(cancel, what, path)
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)


def run(
    args: Sequence[str],
    *,
    what: str,
    path: str = "",
    timeout: float | None = None,
    cancel: threading.Event | None = None,
) -> str:
    """Run ffmpeg with ``args`` (no shell); return its stderr; raise :class:`PreviewError`.

    ``what`` says which job failed (``"scenes[1]"``), so the message points at
    the movie, with the last lines ffmpeg printed. ``cancel``: see :func:`capture`.
    """
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args]
    try:
        result = capture(cmd, what=what, path=path, timeout=timeout, cancel=cancel)
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
