"""The :class:`Timeline`: when every scene and element of a movie plays, and what it costs.

``movie.timeline()`` compiles the movie (lowering relative placement), resolves
it with :mod:`moviekit.timing._engine` and returns plain data:

* ``timeline.total`` (seconds; a lower bound unless ``timeline.exact``),
* ``timeline.scenes`` / ``timeline.elements`` / ``timeline.rows``: :class:`Span`
  objects with times in the container and in the movie,
* ``timeline.transitions``: where scenes overlap,
* ``timeline.at(t)``, ``timeline.credits``, and pictures: ``str()`` (a table),
  ``gantt()`` (text), ``to_svg()``, ``_repr_html_()`` for notebooks.

It is a data API first: the local preview renderer reads spans, not pictures.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from moviekit.timing._engine import (
    INF,
    ElementTiming,
    Iv,
    MovieTiming,
    SceneTiming,
    resolve_document,
)
from moviekit.timing._expr import LENGTH_HINT

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.builders._elements import Element
    from moviekit.builders._movie import Movie

__all__ = ["Credits", "Span", "Timeline", "TransitionSpan"]


def _fmt(value: float) -> str:
    return (
        "∞"
        if math.isinf(value)
        else f"{value:.2f}".rstrip("0").rstrip(".")
        if value % 1
        else f"{value:.0f}"
    )


def seconds_text(value: float, exact: bool) -> str:
    """``"4 s"`` or ``"≥ 4 s"`` (at least) for a lower bound."""
    return f"{'' if exact else '≥ '}{_fmt(value)} s"


@dataclass(frozen=True)
class Span:
    """One scene or element on the timeline. Times are seconds; lower bounds unless ``exact``.

    ``start`` / ``end`` are in the container (the scene, or the movie for
    movie-level elements and for scenes); ``movie_start`` / ``movie_end`` are in
    the movie. Ends are *shown* ends: an element trimmed by its scene's
    explicit duration ends there (``trimmed`` says so).
    """

    kind: Literal["scene", "element"]
    path: str
    """``scenes[0]``, ``scenes[0].elements[1]`` or ``elements[0]`` (movie level)."""
    type: str
    """``"scene"`` or the element's type (``"video"``...)."""
    scene: int | None
    """The scene index, or None for movie-level elements."""
    index: int
    """Position in its container (array order = layering order before z-index)."""
    start: float
    end: float
    length: float
    movie_start: float
    movie_end: float
    exact: bool
    """Start and end are known exactly (no unknown natural length is involved)."""
    depends_on: tuple[str, ...]
    """What is unknown when not exact (e.g. ``scenes[0].elements[0] (voice): natural length``)."""
    props: Mapping[str, Any] = field(repr=False)
    """The compiled wire properties (what the service receives)."""
    element: Element | None = field(default=None, repr=False)
    """The builder of this element (None for scenes and for timelines built from JSON)."""
    max_end: float = INF
    """Upper bound of ``movie_end`` (``inf`` when unbounded)."""
    fitted: bool = False
    """Its length is its container's (``CONTAINER_LENGTH``, or an image without duration)."""
    trimmed: bool = False
    """Cut short by an explicit scene duration."""
    hidden: bool = False
    """Starts at or after its scene's explicit end: never shown."""
    overlap: float = 0.0
    """Scenes: seconds of transition overlap with the previous scene."""
    start_exact: bool = True
    """The start alone is known exactly (``exact`` covers start and end)."""

    @property
    def known(self) -> bool:
        """Same as ``exact``."""
        return self.exact

    def label(self) -> str:
        """A short human description: the src file name, the text, or the type."""
        props = self.props
        for key in ("text", "src", "component", "prompt", "captions", "html"):
            value = props.get(key)
            if isinstance(value, str) and value:
                text = value.rsplit("/", 1)[-1] if key == "src" else value
                text = " ".join(text.split())
                return text if len(text) <= 28 else text[:27] + "…"
        return str(props.get("id") or self.type)


@dataclass(frozen=True)
class TransitionSpan:
    """Where scene ``scene`` blends in from the previous one (see ``_timing.xfade_overlap``)."""

    scene: int
    style: str
    movie_start: float
    movie_end: float
    duration: float
    exact: bool


@dataclass(frozen=True)
class Credits:
    """A cost estimate from the billing rule (reference §8.1).

    1 credit per output second up to Full HD (1920x1080 / 1080x1920), 4 above
    (up to 4K). moviekit counts started seconds (``ceil``). Not included:
    AI-generated images and ElevenLabs voices, billed per item by a live
    catalog; connections to your own provider keys cost no credits.
    """

    amount: int
    """Credits; a lower bound unless ``exact``."""
    exact: bool
    seconds: float
    per_second: int
    note: str = ""

    def __int__(self) -> int:
        return self.amount

    def __str__(self) -> str:
        bound = "" if self.exact else "at least "
        return (
            f"{bound}{self.amount} credit{'s' if self.amount != 1 else ''} "
            f"({seconds_text(self.seconds, self.exact)} x {self.per_second}/s)"
        )


_PRESET_SIZES = {
    "sd": (640, 360), "hd": (1280, 720), "full-hd": (1920, 1080), "squared": (1080, 1080),
    "instagram-story": (1080, 1920), "instagram-feed": (1080, 1080),
    "twitter-landscape": (1600, 900), "twitter-portrait": (1080, 1350),
}  # fmt: skip


def _rate(doc: Mapping[str, Any]) -> tuple[int, str]:
    resolution = doc.get("resolution", "custom")
    if resolution in _PRESET_SIZES:
        width, height = _PRESET_SIZES[resolution]
    elif resolution == "custom":
        width, height = doc.get("width", 640), doc.get("height", 360)
    else:
        return 1, "resolution decided by the service: 1 credit/s assumed (4 above Full HD)"
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (width, height)):
        return 1, "size decided by the service: 1 credit/s assumed (4 above Full HD)"
    long_side, short_side = max(width, height), min(width, height)
    return (1, "") if long_side <= 1920 and short_side <= 1080 else (4, "above Full HD")


@dataclass(frozen=True)
class Timeline:
    """When everything in a movie plays. Build it with ``movie.timeline(lengths=...)``."""

    total: float
    """The movie's length in seconds (a lower bound unless ``exact``)."""
    exact: bool
    """True when ``total`` is exact: no unknown length anywhere it depends on."""
    scenes: tuple[Span, ...]
    elements: tuple[Span, ...]
    """Every element span: scenes' elements in order, then movie-level ones."""
    transitions: tuple[TransitionSpan, ...]
    depends_on: tuple[str, ...]
    """What ``total`` depends on that is unknown."""
    document: Mapping[str, Any] = field(repr=False)
    """The compiled Movie JSON the timeline was computed from."""
    max_total: float = INF
    """Upper bound of the total (``inf`` when unbounded)."""

    # -- construction -------------------------------------------------------------------

    @classmethod
    def of(cls, movie: Movie, lengths: Mapping[str, float] | None = None) -> Timeline:
        """The timeline of a :class:`~moviekit.Movie` builder (hints on elements included)."""
        hints: dict[str, float] = {}
        builders: dict[str, Element] = {}
        for i, scene in enumerate(movie.scenes):
            _collect(scene.elements, f"scenes[{i}].", hints, builders)
        _collect(movie.elements, "", hints, builders)
        doc = movie._compile()
        return cls.from_dict(doc, lengths, _hints=hints, _builders=builders)

    @classmethod
    def from_dict(
        cls,
        doc: Mapping[str, Any],
        lengths: Mapping[str, float] | None = None,
        *,
        _hints: Mapping[str, float] | None = None,
        _builders: Mapping[str, Element] | None = None,
    ) -> Timeline:
        """The timeline of a Movie JSON document (``{{X_end}}`` timing variables included)."""
        timing = resolve_document(doc, _check_lengths(lengths), _hints)
        return _build(doc, timing, _builders or {})

    # -- views ----------------------------------------------------------------------------

    @property
    def rows(self) -> tuple[Span, ...]:
        """Scenes each followed by its elements, then movie-level elements: the table's rows."""
        out: list[Span] = []
        for scene in self.scenes:
            out.append(scene)
            out.extend(e for e in self.elements if e.scene == scene.index)
        out.extend(e for e in self.elements if e.scene is None)
        return tuple(out)

    def at(self, t: float) -> tuple[Span, ...]:
        """The scenes and elements on screen or audible at movie time ``t`` (seconds).

        A span counts when ``movie_start <= t < movie_end``; with unknown lengths
        these are lower bounds, so something may still be playing after its
        shown end (see ``span.exact`` and ``span.max_end``).
        """
        return tuple(s for s in self.rows if s.movie_start <= t < s.movie_end and not s.hidden)

    @property
    def credits(self) -> Credits:
        """Estimated render cost (reference §8.1): exact, or a lower bound."""
        rate, note = _rate(self.document)
        amount = rate * math.ceil(self.total - 1e-9) if self.total > 0 else 0
        return Credits(
            amount,
            self.exact and not note.startswith(("resolution", "size")),
            self.total,
            rate,
            note,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (what ``moviekit timeline --json`` prints)."""

        def span(s: Span) -> dict[str, Any]:
            return {
                "path": s.path,
                "type": s.type,
                "start": s.start,
                "end": s.end,
                "length": s.length,
                "movie_start": s.movie_start,
                "movie_end": s.movie_end,
                "exact": s.exact,
                "depends_on": list(s.depends_on),
            }

        return {
            "total": self.total,
            "exact": self.exact,
            "depends_on": list(self.depends_on),
            "credits": self.credits.amount,
            "rows": [span(s) for s in self.rows],
        }

    # -- pictures -------------------------------------------------------------------------

    def __str__(self) -> str:
        headers = ("path", "type", "what", "start", "end", "length", "in movie")
        table = [headers]
        for s in self.rows:
            indent = "" if s.kind == "scene" or s.scene is None else "  "
            note = " (trimmed)" if s.trimmed else " (never shown)" if s.hidden else ""
            table.append(
                (
                    indent + s.path.split(".")[-1] if indent else s.path,
                    s.type,
                    (s.label() if s.kind == "element" else "") + note,
                    ("" if s.start_exact else "≥ ") + _fmt(s.start),
                    seconds_text(s.end, s.exact)[:-2],
                    seconds_text(s.length, s.exact)[:-2],
                    f"{'' if s.start_exact else '≥ '}{_fmt(s.movie_start)}–"
                    f"{'' if s.exact else '≥ '}{_fmt(s.movie_end)}",
                )
            )
        widths = [max(len(str(row[c])) for row in table) for c in range(len(headers))]
        lines = [
            "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            for row in table
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.append("")
        lines.append(f"total: {seconds_text(self.total, self.exact)}; cost: {self.credits}")
        if self.depends_on:
            lines.append("depends on: " + "; ".join(self.depends_on))
        return "\n".join(lines)

    def gantt(self, width: int = 60) -> str:
        """A text chart: one line per row; █ known, ▒ a lower bound that may run longer (…)."""
        scale = width / max(self.total, 1e-9) if self.total > 0 else 0.0
        label_width = max((len(s.path) for s in self.rows), default=4)
        lines = []
        for s in self.rows:
            begin = int(round(s.movie_start * scale))
            stop = max(
                begin + (1 if s.movie_end > s.movie_start else 0), int(round(s.movie_end * scale))
            )
            mark = "█" if s.exact else "▒"
            bar = " " * begin + mark * (stop - begin) + ("" if s.exact else "…")
            lines.append(f"{s.path.ljust(label_width)} |{bar.ljust(width + 1)}|")
        for tr in self.transitions:
            begin, stop = int(round(tr.movie_start * scale)), int(round(tr.movie_end * scale))
            lines.append(
                f"{('transition→' + str(tr.scene)).ljust(label_width)} |"
                f"{(' ' * begin + '╳' * max(1, stop - begin)).ljust(width + 1)}|"
            )
        lines.append(
            f"{''.ljust(label_width)}  0{seconds_text(self.total, self.exact).rjust(width)}"
        )
        return "\n".join(lines)

    def to_svg(self, width: int = 900) -> str:
        """An SVG picture: scenes as bands, elements as bars, unknown lengths hatched."""
        return _svg(self, width)

    def _repr_html_(self) -> str:
        return (
            f"<div>{self.to_svg()}<p>total: {html.escape(seconds_text(self.total, self.exact))}"
            f"; cost: {html.escape(str(self.credits))}</p></div>"
        )

    def __repr__(self) -> str:
        return (
            f"Timeline(total={seconds_text(self.total, self.exact)!r}, "
            f"scenes={len(self.scenes)}, elements={len(self.elements)})"
        )


def _check_lengths(lengths: Mapping[str, float] | None) -> dict[str, float]:
    from moviekit._errors import BuildError

    out: dict[str, float] = {}
    for key, value in (lengths or {}).items():
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not (math.isfinite(value) and value >= 0)
        ):
            raise BuildError(f"lengths[{key!r}] must be a number of seconds >= 0, got {value!r}")
        out[str(key)] = float(value)
    return out


def _collect(
    elements: tuple[Element, ...],
    prefix: str,
    hints: dict[str, float],
    builders: dict[str, Element],
) -> None:
    for j, element in enumerate(elements):
        path = f"{prefix}elements[{j}]"
        builders[path] = element
        hint = element._props.get(LENGTH_HINT)
        if hint is not None:
            hints[path] = float(hint)


def _deps(*values: Iv) -> tuple[str, ...]:
    return tuple(sorted(set().union(*(v.deps for v in values))))


def _build(
    doc: Mapping[str, Any], timing: MovieTiming, builders: Mapping[str, Element]
) -> Timeline:
    scenes: list[Span] = []
    elements: list[Span] = []
    transitions: list[TransitionSpan] = []
    for scene in timing.scenes:
        scenes.append(_scene_span(scene))
        if scene.index > 0 and scene.overlap.hi > 0:
            style = scene.props.get("transition", {}).get("style", "fade")
            transitions.append(
                TransitionSpan(
                    scene.index,
                    str(style),
                    scene.start.lo,
                    scene.start.lo + scene.overlap.lo,
                    scene.overlap.lo,
                    scene.overlap.exact,
                )
            )
        for record in scene.elements:
            elements.append(
                _element_span(
                    record, scene.index, scene.start, scene.explicit, scene.length, builders
                )
            )
    for record in timing.elements:
        elements.append(_element_span(record, None, Iv.of(0.0), False, timing.total, builders))
    total = timing.total
    return Timeline(
        max(total.lo, 0.0),
        total.exact,
        tuple(scenes),
        tuple(elements),
        tuple(transitions),
        _deps(total),
        doc,
        total.hi,
    )


def _scene_span(scene: SceneTiming) -> Span:
    exact = scene.start.exact and scene.length.exact and scene.count.exact
    return Span(
        "scene",
        scene.path,
        "scene",
        scene.index,
        scene.index,
        scene.start.lo,
        scene.end.lo,
        scene.length.lo,
        scene.start.lo,
        scene.end.lo,
        exact,
        _deps(scene.start, scene.length, scene.count),
        scene.props,
        max_end=scene.end.hi,
        overlap=scene.overlap.lo,
        start_exact=scene.start.exact,
    )


def _element_span(
    record: ElementTiming,
    scene: int | None,
    offset: Iv,
    explicit: bool,
    container: Iv,
    builders: Mapping[str, Element],
) -> Span:
    start, end = record.shown_start, record.shown_end
    exact = start.exact and end.exact
    hidden = explicit and record.start.lo >= container.hi and container.exact
    trimmed = explicit and not hidden and record.end.lo > container.hi
    return Span(
        "element",
        record.path,
        record.type,
        scene,
        record.index,
        start.lo,
        max(end.lo, start.lo),
        max(end.lo - start.lo, 0.0),
        offset.lo + start.lo,
        offset.lo + max(end.lo, start.lo),
        exact,
        _deps(start, end, offset),
        record.props,
        builders.get(record.path),
        max_end=offset.hi + end.hi,
        fitted=record.fitted,
        trimmed=trimmed,
        hidden=hidden,
        start_exact=(offset + start).exact,
    )


# =========================================================================== SVG

_COLORS = {
    "video": "#4e79a7", "image": "#59a14f", "text": "#f28e2b", "html": "#b07aa1",
    "component": "#edc948", "audio": "#76b7b2", "voice": "#e15759", "audiogram": "#9c755f",
    "subtitles": "#bab0ac",
}  # fmt: skip


def _svg(tl: Timeline, width: int) -> str:
    esc = html.escape
    label_w, right_pad, row_h, top = 230, 20, 22, 34
    rows = tl.rows
    span_total = max(tl.total, max((s.movie_end for s in rows), default=0.0), 1e-9)
    plot_w = width - label_w - right_pad
    scale = plot_w / span_total

    def x(t: float) -> float:
        return round(label_w + t * scale, 2)

    height = top + row_h * len(rows) + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        "<title>moviekit timeline: " + esc(seconds_text(tl.total, tl.exact)) + "</title>",
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
        out.append(f'<text x="{x(t)}" y="{top - 10}" text-anchor="middle">{_fmt(t)}s</text>')
        t += step
    # scene bands: behind their own rows
    y_of = {s.path: top + i * row_h for i, s in enumerate(rows)}
    for s in tl.scenes:
        members = [
            r for r in rows if r.path == s.path or r.scene == s.index and r.kind == "element"
        ]
        y0 = y_of[s.path]
        y1 = max(y_of[r.path] for r in members) + row_h
        dash = "" if s.exact else ' stroke-dasharray="4 3"'
        out.append(
            f'<rect class="scene" data-path="{s.path}" data-start="{s.movie_start}" '
            f'data-end="{s.movie_end}" x="{x(s.movie_start)}" y="{y0}" '
            f'width="{max(x(s.movie_end) - x(s.movie_start), 1)}" height="{y1 - y0}" '
            f'fill="{"#eef2f7" if s.index % 2 == 0 else "#f7f3ee"}" stroke="#9aa"{dash}/>'
        )
    for tr in tl.transitions:
        out.append(
            f'<rect class="transition" data-scene="{tr.scene}" x="{x(tr.movie_start)}" '
            f'y="{top - 6}" width="{max(x(tr.movie_end) - x(tr.movie_start), 2)}" '
            f'height="{height - top - 18}" fill="url(#overlap)">'
            f"<title>{esc(tr.style)} {_fmt(tr.duration)}s: scenes overlap</title></rect>"
        )
    # rows
    for s in rows:
        y = y_of[s.path]
        name = s.path if s.kind == "scene" or s.scene is None else "  " + s.path.split(".")[-1]
        text = f"{name} {s.type}" + ("" if s.kind == "scene" else f" · {s.label()}")
        out.append(f'<text x="6" y="{y + 15}" xml:space="preserve">{esc(text)}</text>')
        if s.kind == "scene":
            continue
        color = _COLORS.get(s.type, "#888")
        x0, x1 = x(s.movie_start), x(s.movie_end)
        w = max(x1 - x0, 1.5)
        title = esc(
            f"{s.path} {s.type}: {_fmt(s.movie_start)}–"
            f"{seconds_text(s.movie_end, s.exact)}"
            + (f" (depends on {'; '.join(s.depends_on)})" if s.depends_on else "")
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
    out.append(
        f'<text x="{label_w}" y="{height - 8}">total: '
        f"{esc(seconds_text(tl.total, tl.exact))} · {esc(str(tl.credits))}</text>"
    )
    out.append("</svg>")
    return "\n".join(out)


def _nice_step(total: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600):
        if total / step <= 12:
            return float(step)
    return float(math.ceil(total / 12 / 600) * 600)


# Keep the Scene import used for type checkers only.
_ = "Scene" if TYPE_CHECKING else None
