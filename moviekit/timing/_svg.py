"""The timeline as an SVG picture: scenes as bands, elements as bars, unknown lengths hatched.

Used by ``Timeline.to_svg()`` and the notebook view; linear in the number of rows.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence

from moviekit.timing._spans import Span, TransitionSpan, fmt_seconds, seconds_text

__all__ = ["timeline_svg"]

_COLORS = {
    "video": "#4e79a7", "image": "#59a14f", "text": "#f28e2b", "html": "#b07aa1",
    "component": "#edc948", "audio": "#76b7b2", "voice": "#e15759", "audiogram": "#9c755f",
    "subtitles": "#bab0ac",
}  # fmt: skip


def timeline_svg(
    rows: Sequence[Span],
    transitions: Sequence[TransitionSpan],
    total: float,
    exact: bool,
    cost: str,
    width: int,
) -> str:
    """The picture of a timeline's ``rows`` (scenes each followed by their elements)."""
    esc = html.escape
    label_w, right_pad, row_h, top = 230, 20, 22, 34
    span_total = max(total, max((s.movie_end for s in rows), default=0.0), 1e-9)
    plot_w = width - label_w - right_pad
    scale = plot_w / span_total

    def x(t: float) -> float:
        return round(label_w + t * scale, 2)

    height = top + row_h * len(rows) + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        "<title>moviekit timeline: " + esc(seconds_text(total, exact)) + "</title>",
        '<defs><pattern id="unknown" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#888" stroke-width="3"/></pattern>'
        '<pattern id="overlap" width="4" height="4" patternUnits="userSpaceOnUse">'
        '<rect width="4" height="4" fill="#000" fill-opacity="0.15"/></pattern></defs>',
    ]
    # time axis
    step = _nice_step(span_total)
    t = 0.0
    while t <= span_total + 1e-9:
        out.append(
            f'<line class="tick" x1="{x(t)}" y1="{top - 6}" x2="{x(t)}" '
            f'y2="{height - 24}" stroke="#ddd"/>'
        )
        out.append(f'<text x="{x(t)}" y="{top - 10}" text-anchor="middle">{fmt_seconds(t)}s</text>')
        t += step
    # scene bands, behind their own rows: a scene's rows follow it, up to the next scene
    bands: list[tuple[Span, int, int]] = []  # scene, first row, last row
    for i, s in enumerate(rows):
        if s.kind == "scene":
            bands.append((s, i, i))
        elif bands and s.scene == bands[-1][0].index:
            bands[-1] = (bands[-1][0], bands[-1][1], i)
    for s, first, last in bands:
        y0, y1 = top + first * row_h, top + (last + 1) * row_h
        dash = "" if s.exact else ' stroke-dasharray="4 3"'
        out.append(
            f'<rect class="scene" data-path="{s.path}" data-start="{s.movie_start}" '
            f'data-end="{s.movie_end}" x="{x(s.movie_start)}" y="{y0}" '
            f'width="{max(x(s.movie_end) - x(s.movie_start), 1)}" height="{y1 - y0}" '
            f'fill="{"#eef2f7" if s.index % 2 == 0 else "#f7f3ee"}" stroke="#9aa"{dash}/>'
        )
    for tr in transitions:
        out.append(
            f'<rect class="transition" data-scene="{tr.scene}" x="{x(tr.movie_start)}" '
            f'y="{top - 6}" width="{max(x(tr.movie_end) - x(tr.movie_start), 2)}" '
            f'height="{height - top - 18}" fill="url(#overlap)">'
            f"<title>{esc(tr.style)} {fmt_seconds(tr.duration)}s: scenes overlap</title></rect>"
        )
    for i, s in enumerate(rows):
        out.extend(_row(s, top + i * row_h, row_h, x, span_total))
    out.append(
        f'<text x="{label_w}" y="{height - 8}">total: '
        f"{esc(seconds_text(total, exact))} · {esc(cost)}</text>"
    )
    out.append("</svg>")
    return "\n".join(out)


def _row(s: Span, y: int, row_h: int, x: Callable[[float], float], span_total: float) -> list[str]:
    esc = html.escape
    name = s.path if s.kind == "scene" or s.scene is None else "  " + s.path.split(".")[-1]
    text = f"{name} {s.type}" + ("" if s.kind == "scene" else f" · {s.label()}")
    out = [f'<text x="6" y="{y + 15}" xml:space="preserve">{esc(text)}</text>']
    if s.kind == "scene":
        return out
    color = _COLORS.get(s.type, "#888")
    x0, x1 = x(s.movie_start), x(s.movie_end)
    w = max(x1 - x0, 1.5)
    shown, more = s.unknowns.some(3)  # a title, not a list: a few are enough
    title = esc(
        f"{s.path} {s.type}: {fmt_seconds(s.movie_start)}–"
        f"{seconds_text(s.movie_end, s.exact)}"
        + (f" (depends on {'; '.join(shown)}{'; …' if more else ''})" if shown else "")
    )
    opacity = "0.35" if s.hidden else "1"
    out.append(
        f'<rect class="bar{" unknown" if not s.exact else ""}" data-path="{s.path}" '
        f'data-start="{s.movie_start}" data-end="{s.movie_end}" x="{x0}" y="{y + 4}" '
        f'width="{round(w, 2)}" height="{row_h - 8}" rx="3" fill="{color}" '
        f'fill-opacity="{opacity}"><title>{title}</title></rect>'
    )
    if not s.exact:
        # What may come after the lower bound: a hatched, dashed tail to the edge.
        tail_end = x(min(s.max_end if math.isfinite(s.max_end) else span_total, span_total))
        tail = max(tail_end - x1, 12)
        out.append(
            f'<rect class="unknown-tail" data-path="{s.path}" x="{x1}" y="{y + 4}" '
            f'width="{round(tail, 2)}" height="{row_h - 8}" fill="url(#unknown)" '
            f'stroke="{color}" stroke-dasharray="3 2"/>'
        )
    return out


def _nice_step(total: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600):
        if total / step <= 12:
            return float(step)
    return float(math.ceil(total / 12 / 600) * 600)
