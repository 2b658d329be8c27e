"""A movie as one self-contained HTML block: what a notebook shows for a :class:`Movie`.

``movie_html(movie)`` gives the timeline (SVG), the storyboard (one frame per
scene, drawn by the local preview when its extra is installed), the length and
cost, and the problems by path. No server, no script, no other file: the
storyboard is inlined, so the block survives being saved in the notebook.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from moviekit import preview
from moviekit._errors import MoviekitError
from moviekit.studio._html import (
    cost_html,
    esc,
    png_img,
    problems_html,
    scoped_css,
    unknown_lengths,
)

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.builders._movie import Movie


def movie_html(
    movie: Movie,
    *,
    storyboard: bool = True,
    base_dir: str | os.PathLike[str] | None = None,
) -> str:
    """The notebook view of ``movie``: timeline, storyboard, length and cost, problems.

    ``storyboard=False`` leaves out the pictures (no ffmpeg run); without the
    ``preview`` extra the block says how to get them. ``base_dir`` is the media
    root for relative paths (default: the current directory).
    """
    report = movie.validate()
    try:
        timeline = movie.timeline()
    except MoviekitError as exc:
        return _block(f'<p class="error">{esc(str(exc))}</p>' + problems_html(report))
    parts = [
        f'<div class="mk-timeline">{timeline.to_svg(width=820)}</div>',
        cost_html(timeline),
    ]
    if storyboard:
        if not preview.available():
            parts.append(f'<p class="muted">storyboard: {esc(preview.INSTALL_HINT)}</p>')
        else:
            with tempfile.TemporaryDirectory(prefix="moviekit-notebook-") as tmp:
                board = Path(tmp) / "storyboard.png"
                try:
                    preview.storyboard(movie, board, thumb_width=200, base_dir=base_dir)
                    parts.append(png_img(board.read_bytes(), "storyboard"))
                except MoviekitError as exc:
                    parts.append(f'<p class="error">storyboard: {esc(str(exc))}</p>')
    parts.append(problems_html(report, (), unknown_lengths(timeline.depends_on)))
    return _block("".join(parts))


def _block(body: str) -> str:
    # Scoped by the wrapper class: a notebook page holds many of these, and other output.
    return f'<div class="moviekit"><style>{scoped_css(".moviekit")}</style>{body}</div>'
