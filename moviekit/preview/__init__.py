"""Local preview: a draft MP4 of any movie, on your machine, with no API key and no credits.

::

    from moviekit import preview

    result = preview.render(movie, "draft.mp4")   # the movie's size and fps, timeline.total long
    print(result.report)                           # what the draft approximates, by path
    png = preview.frame(movie, 2.5)                # one frame as PNG bytes (also movie.frame(2.5))
    preview.storyboard(movie, "board.png")         # a contact sheet, one frame per scene
    movie.timeline(lengths=preview.probe_lengths(movie))   # exact where the media can be read

It compiles the movie into ffmpeg filter graphs (one job per scene and per
transition, joined without re-encoding; scenes are cached by content hash and
rendered in parallel) and runs the static ffmpeg of the ``imageio-ffmpeg``
wheel: ``pip install "moviekit-json2video[preview]"``. Natural lengths come from the real
media files, so the draft's length is the timeline's total.

Drawn faithfully: scene background colours; images, videos (seek, loop, trims,
volume, muted) and text (size, colour, weight, alignment, position, box);
audio (volume, seek, loop, fades); fade-in/out; array order and z-index;
extra-time; movie-level elements; transitions by name (ffmpeg xfade, the
service's own names). Approximated, never dropped (see ``result.report``):
text animations (static text), voice (silence of an estimated length), html,
component, audiogram, subtitles and AI images (labelled boxes for their exact
time span), unreachable URLs (placeholders), zoom/pan (static), masks.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moviekit.preview._engine import PreviewResult, Progress, default_cache_dir
from moviekit.preview._ffmpeg import INSTALL_HINT, ffmpeg_exe
from moviekit.preview._report import Approximation, Report
from moviekit.timing._probed import ProbedLengths

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.builders._movie import Movie

__all__ = [
    "INSTALL_HINT",
    "PNG",
    "Approximation",
    "PreviewResult",
    "ProbedLengths",
    "Report",
    "available",
    "default_cache_dir",
    "frame",
    "probe_lengths",
    "render",
    "storyboard",
]


class PNG(bytes):
    """PNG image bytes that notebooks display (``_repr_png_``) and that can be saved."""

    def _repr_png_(self) -> bytes:
        return bytes(self)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the PNG to ``path``; return it."""
        target = Path(path)
        target.write_bytes(self)
        return target

    def __repr__(self) -> str:
        return f"PNG({len(self)} bytes)"


def available() -> bool:
    """True when the preview can run (the ``preview`` extra is installed)."""
    try:
        ffmpeg_exe()
    except Exception:
        return False
    return True


def _movie(movie: Movie | Mapping[str, Any]) -> Movie:
    from moviekit.builders._movie import Movie

    if isinstance(movie, Movie):
        return movie
    return Movie.from_dict(movie)  # anything else than a dict: a BuildError saying so


def render(
    movie: Movie | Mapping[str, Any],
    output: str | os.PathLike[str] = "draft.mp4",
    *,
    workers: int | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    base_dir: str | os.PathLike[str] | None = None,
    fetch_timeout: float = 5.0,
    quality: str | None = None,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> PreviewResult:
    """Render a draft MP4 of ``movie`` (a builder or a Movie JSON dict) to ``output``.

    Args:
        workers: ffmpeg jobs run at once (default: up to 4, by CPU count).
        cache_dir: where fetched media and rendered scenes are kept (default
            :func:`default_cache_dir`); an unchanged scene is not rendered twice.
        use_cache: False renders everything afresh in a temporary directory.
        base_dir: the media root: where relative local ``src`` paths are read from
            (default: the current directory; the command line passes the script's
            folder).
        fetch_timeout: seconds to wait for a remote URL before using a placeholder.
        quality: ``"low"``, ``"medium"`` or ``"high"`` (default: the movie's own).
        on_progress: called ``(done, total, what)`` as jobs finish.
        cancel: an event another thread may set to stop the render: the ffmpeg
            processes running are killed, no job starts, nothing half-made is left in
            the cache or at ``output``, and the call raises :class:`~moviekit.PreviewError`.

    Returns a :class:`PreviewResult` (path, duration, size, fps, the timeline and
    the approximation :class:`Report`). Raises :class:`~moviekit.PreviewMediaError`
    for a missing or unusable local file (naming the element path and the file),
    :class:`~moviekit.PreviewUnavailableError` without the ``preview`` extra.
    """
    from moviekit.preview import _engine

    ffmpeg_exe()  # fail first, with the install hint
    return _engine.render(
        _movie(movie),
        output,
        workers=workers,
        cache_dir=cache_dir,
        use_cache=use_cache,
        base_dir=base_dir,
        fetch_timeout=fetch_timeout,
        quality=quality,
        on_progress=on_progress,
        cancel=cancel,
    )


def frame(
    movie: Movie | Mapping[str, Any],
    t: float,
    *,
    size: tuple[int, int] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    base_dir: str | os.PathLike[str] | None = None,
    fetch_timeout: float = 5.0,
) -> PNG:
    """The picture at movie time ``t`` (seconds) as :class:`PNG` bytes (``size`` scales it).

    The other options are :func:`render`'s (``base_dir``: the media root).
    """
    from moviekit.preview import _engine

    ffmpeg_exe()
    return PNG(
        _engine.frame(
            _movie(movie),
            t,
            size=size,
            cache_dir=cache_dir,
            use_cache=use_cache,
            base_dir=base_dir,
            fetch_timeout=fetch_timeout,
        )
    )


def storyboard(
    movie: Movie | Mapping[str, Any],
    output: str | os.PathLike[str] = "storyboard.png",
    *,
    every: float | None = None,
    columns: int = 4,
    thumb_width: int = 320,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    base_dir: str | os.PathLike[str] | None = None,
    fetch_timeout: float = 5.0,
    workers: int | None = None,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """A contact sheet PNG: one labelled frame per scene, or one every ``every`` seconds.

    The other options are :func:`render`'s (``base_dir``: the media root; ``cancel``).
    """
    from moviekit.preview import _engine

    ffmpeg_exe()
    path, _ = _engine.storyboard(
        _movie(movie),
        output,
        every=every,
        columns=columns,
        thumb_width=thumb_width,
        cache_dir=cache_dir,
        use_cache=use_cache,
        base_dir=base_dir,
        fetch_timeout=fetch_timeout,
        workers=workers,
        on_progress=on_progress,
        cancel=cancel,
    )
    return path


def probe_lengths(
    movie: Movie | Mapping[str, Any],
    *,
    base_dir: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    fetch_timeout: float = 5.0,
    cancel: threading.Event | None = None,
) -> ProbedLengths:
    """The natural lengths of the movie's video and audio files, read from the files.

    Local paths are read in place (relative ones from ``base_dir``, the media
    root; default: the current directory); remote URLs are fetched once into the
    preview's cache (``cache_dir``, default :func:`default_cache_dir`) with a
    ``fetch_timeout``. Returns a :class:`ProbedLengths`: ``src -> seconds`` that
    ``movie.timeline(lengths=...)`` takes as is, and ``.reasons`` (element path
    -> why) for every natural length still unknown. Never raises for media it
    cannot read; raises :class:`~moviekit.PreviewUnavailableError` without the
    ``preview`` extra (it probes with ffmpeg), and :class:`~moviekit.PreviewError`
    once ``cancel`` (as for :func:`render`) is set.
    """
    from moviekit.preview import _probe

    ffmpeg_exe()
    doc = movie if isinstance(movie, Mapping) else _movie(movie).to_dict(validate=False)
    return _probe.probe_lengths(
        doc,
        base_dir=base_dir,
        cache_dir=Path(cache_dir) if cache_dir is not None else default_cache_dir(),
        fetch_timeout=fetch_timeout,
        cancel=cancel,
    )
