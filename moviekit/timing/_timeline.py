"""The :class:`Timeline`: when every scene and element of a movie plays, and what it costs.

``movie.timeline()`` compiles the movie (``compile_movie`` in the builders),
resolves it with :mod:`moviekit.timing._engine` and returns plain data:

* ``timeline.total`` (seconds; a lower bound unless ``timeline.exact``),
* ``timeline.scenes`` / ``timeline.elements`` / ``timeline.rows``: :class:`Span`
  objects with times in the container and in the movie,
* ``timeline.transitions``: where scenes overlap,
* ``timeline.warnings``: ``lengths`` keys that gave no element its length,
* ``timeline.not_probed``: why lengths it still lacks could not be read from the media,
* ``timeline.at(t)``, ``timeline.estimate()`` (credits), and pictures: ``str()`` (a table),
  ``gantt()`` (text), ``to_svg()``, ``_repr_html_()`` for notebooks.

It is a data API first: the local preview renderer reads spans, not pictures.
Building one and every view of it are linear in the movie's size.
"""

from __future__ import annotations

import difflib
import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from moviekit._errors import BuildError
from moviekit._problems import Problem, short_repr
from moviekit.service._billing import DEFAULT_PRICES, PriceTable
from moviekit.timing._engine import (
    LENGTH_KEYS,
    ElementTiming,
    MovieTiming,
    SceneTiming,
    resolve_document,
)
from moviekit.timing._estimate import CreditEstimate, estimate_credits
from moviekit.timing._interval import INF, NO_DEPS, Deps, Iv
from moviekit.timing._numbers import as_seconds, short_value
from moviekit.timing._probed import ProbedLengths
from moviekit.timing._spans import (
    Credits,
    ElementBuilder,
    Span,
    TransitionSpan,
    credit_rate,
    fmt_seconds,
    seconds_text,
)
from moviekit.timing._svg import timeline_svg

__all__ = [
    "CompiledMovie",
    "Credits",
    "Span",
    "Timeline",
    "TransitionSpan",
    "seconds_text",
]


class CompiledMovie(Protocol):
    """What :meth:`Timeline.from_compiled` reads: a compiled movie (``compile_movie``'s result)."""

    @property
    def document(self) -> Mapping[str, Any]:
        """The Movie JSON document."""

    @property
    def length_hints(self) -> Mapping[str, float]:
        """Natural lengths by element path, from ``Element.length_hint``."""

    @property
    def builders(self) -> Mapping[str, ElementBuilder]:
        """The builder behind each element path."""


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
    document: Mapping[str, Any] = field(repr=False)
    """The compiled Movie JSON the timeline was computed from."""
    max_total: float = INF
    """Upper bound of the total (``inf`` when unbounded)."""
    warnings: tuple[Problem, ...] = ()
    """``lengths`` keys that gave no element its natural length, each with why."""
    unknowns: Deps = field(default=NO_DEPS, repr=False, compare=False)
    """What the total depends on, listed by :attr:`depends_on`."""
    not_probed: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Lengths were read from the media (``lengths`` is a :class:`ProbedLengths`,
    ``movie.timeline(probe=True)``) and these could not be: element path -> why,
    for each element whose own natural length the timeline still lacks."""

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_compiled(
        cls, compiled: CompiledMovie, lengths: Mapping[str, float] | None = None
    ) -> Timeline:
        """The timeline of a compiled movie (``compile_movie(movie)``), hints and builders included.

        ``Movie.timeline()`` is this applied to the movie's compiled form.
        """
        checked = _check_lengths(lengths)
        doc = compiled.document
        timing = resolve_document(doc, checked, compiled.length_hints)
        warnings = _length_warnings(timing, checked)
        return _build(doc, timing, compiled.builders, warnings, _reasons(lengths))

    @classmethod
    def from_dict(
        cls, doc: Mapping[str, Any], lengths: Mapping[str, float] | None = None
    ) -> Timeline:
        """The timeline of a Movie JSON document (``{{X_end}}`` timing variables included).

        ``lengths`` maps an element's ``id``, ``src``, ``text`` or path to its
        natural length in seconds. A value timing cannot read counts as unknown
        (``moviekit.validate`` explains it); a document that is not a JSON
        object is a :class:`~moviekit.BuildError`.
        """
        if not isinstance(doc, Mapping):
            raise BuildError(f"a Movie JSON document is a JSON object, got {type(doc).__name__}")
        checked = _check_lengths(lengths)
        timing = resolve_document(doc, checked)
        return _build(doc, timing, {}, _length_warnings(timing, checked), _reasons(lengths))

    # -- views ----------------------------------------------------------------------------

    @property
    def depends_on(self) -> tuple[str, ...]:
        """What ``total`` depends on that is unknown."""
        return self.unknowns.listed()

    @cached_property
    def rows(self) -> tuple[Span, ...]:
        """Scenes each followed by its elements, then movie-level elements: the table's rows."""
        by_scene: dict[int | None, list[Span]] = {}
        for element in self.elements:
            by_scene.setdefault(element.scene, []).append(element)
        out: list[Span] = []
        for scene in self.scenes:
            out.append(scene)
            out.extend(by_scene.get(scene.index, ()))
        out.extend(by_scene.get(None, ()))
        return tuple(out)

    def at(self, t: float) -> tuple[Span, ...]:
        """The scenes and elements on screen or audible at movie time ``t`` (seconds).

        A span counts when ``movie_start <= t < movie_end``; with unknown lengths
        these are lower bounds, so something may still be playing after its
        shown end (see ``span.exact`` and ``span.max_end``).
        """
        return tuple(s for s in self.rows if s.movie_start <= t < s.movie_end and not s.hidden)

    def estimate(self, prices: PriceTable = DEFAULT_PRICES) -> CreditEstimate:
        """What a render would cost: rendering seconds plus AI generation by model.

        Exact, or a lower bound while a length is unknown; prices in doubt are
        listed (``estimate.uncertain``). ``prices`` replaces the bundled price
        table (``moviekit.service._billing``). See ``moviekit.timing._estimate``.
        """
        return estimate_credits(self.credits, self.elements, self.depends_on, prices)

    @property
    def credits(self) -> Credits:
        """The rendering part of the cost (the billing rule): exact, or a lower bound."""
        rate, note = credit_rate(self.document)
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

        estimate = self.estimate()
        return {
            "total": self.total,
            "exact": self.exact,
            "depends_on": list(self.depends_on),
            "credits": estimate.credits,
            "estimate": estimate.to_dict(),
            "rows": [span(s) for s in self.rows],
            "warnings": [p.to_dict() for p in self.warnings],
            "not_probed": dict(self.not_probed),
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
                    ("" if s.start_exact else "≥ ") + fmt_seconds(s.start),
                    seconds_text(s.end, s.exact)[:-2],
                    seconds_text(s.length, s.exact)[:-2],
                    f"{'' if s.start_exact else '≥ '}{fmt_seconds(s.movie_start)}–"
                    f"{'' if s.exact else '≥ '}{fmt_seconds(s.movie_end)}",
                )
            )
        widths = [max(len(str(row[c])) for row in table) for c in range(len(headers))]
        lines = [
            "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            for row in table
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.append("")
        cost = self.estimate()
        lines.append(f"total: {seconds_text(self.total, self.exact)}; cost: {cost}")
        lines.extend(f"  {item}" for item in cost.items)
        unknown = self.depends_on
        if unknown:
            more = len(unknown) - _SHOWN_DEPENDENCIES
            lines.append(
                "depends on: "
                + "; ".join(unknown[:_SHOWN_DEPENDENCIES])
                + (f"; and {more:,} more (timeline.depends_on lists them)" if more > 0 else "")
            )
        lines.extend(f"not probed: {path}: {why}" for path, why in self.not_probed.items())
        lines.extend(f"warning: {problem}" for problem in self.warnings)
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
        return timeline_svg(
            self.rows, self.transitions, self.total, self.exact, str(self.estimate()), width
        )

    def _repr_html_(self) -> str:
        return (
            f"<div>{self.to_svg()}<p>total: {html.escape(seconds_text(self.total, self.exact))}"
            f"; cost: {html.escape(str(self.estimate()))}</p></div>"
        )

    def __repr__(self) -> str:
        return (
            f"Timeline(total={seconds_text(self.total, self.exact)!r}, "
            f"scenes={len(self.scenes)}, elements={len(self.elements)})"
        )


# =========================================================================== lengths


def _reasons(lengths: Mapping[str, float] | None) -> Mapping[str, str]:
    """Why a probe could not read some lengths (none unless ``lengths`` were probed)."""
    return lengths.reasons if isinstance(lengths, ProbedLengths) else {}


def _check_lengths(lengths: Mapping[str, float] | None) -> dict[str, float]:
    if lengths is None:
        return {}
    if not isinstance(lengths, Mapping):
        raise BuildError(
            "lengths maps element ids, srcs, texts or paths to seconds; "
            f"got {type(lengths).__name__}",
            path="lengths",
        )
    out: dict[str, float] = {}
    for key, value in lengths.items():
        if not isinstance(key, str):
            raise BuildError(
                f"a key of lengths is an element's id, src, text or path (a string), "
                f"got {short_value(key)}",
                path="lengths",
            )
        seconds = as_seconds(value)
        if seconds is None:
            raise BuildError(
                f"must be a number of seconds >= 0, got {short_value(value)}",
                path=f"lengths[{short_repr(key)}]",
            )
        out[key] = seconds
    return out


_SHOWN_DEPENDENCIES = 10  # in str(): the rest are in timeline.depends_on
_SUGGESTED = 10  # unknown keys that get a "did you mean" (each compares with every element)


def _length_warnings(timing: MovieTiming, lengths: Mapping[str, float]) -> tuple[Problem, ...]:
    """A warning for every ``lengths`` key that gave no element its natural length."""
    unused = [key for key in lengths if key not in timing.used_lengths]
    if not unused:
        return ()
    named: dict[str, ElementTiming] = {}  # every key an element answers to -> the first one
    for record in (*(e for scene in timing.scenes for e in scene.elements), *timing.elements):
        for key in (*(record.props.get(k) for k in LENGTH_KEYS), record.path):
            if isinstance(key, str):
                named.setdefault(key, record)
    hint = (
        "give the id, src, text or path (as in the timeline's first column) of a voice, "
        "video or audio element whose length the service measures"
    )
    problems = []
    for n, key in enumerate(unused):
        where = f"lengths[{short_repr(key)}]"
        match = named.get(key)
        if match is not None:
            problems.append(
                Problem(
                    where,
                    "unused-length",
                    f"not used: {match.path} ({match.type}) takes no natural length here "
                    "(it has a duration of its own, fits its container, or another key gave "
                    "its length first)",
                    "warning",
                    hint="remove it, or set the element's duration to NATURAL_LENGTH",
                )
            )
            continue
        close = difflib.get_close_matches(key, list(named), n=1) if n < _SUGGESTED else []
        problems.append(
            Problem(
                where,
                "unknown-length-key",
                "matches no element's id, src, text or path: it is ignored"
                + (f"; did you mean {short_repr(close[0])}?" if close else ""),
                "warning",
                hint=hint,
            )
        )
    return tuple(problems)


# =========================================================================== spans


def _build(
    doc: Mapping[str, Any],
    timing: MovieTiming,
    builders: Mapping[str, ElementBuilder],
    warnings: tuple[Problem, ...],
    reasons: Mapping[str, str],
) -> Timeline:
    scenes: list[Span] = []
    elements: list[Span] = []
    transitions: list[TransitionSpan] = []
    for scene in timing.scenes:
        scenes.append(_scene_span(scene))
        if scene.index > 0 and scene.overlap.hi > 0:
            transition = scene.props.get("transition")
            style = transition.get("style") if isinstance(transition, Mapping) else None
            transitions.append(
                TransitionSpan(
                    scene.index,
                    style if isinstance(style, str) else "fade",
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
        doc,
        total.hi,
        warnings,
        total.deps,
        _still_unknown(reasons, elements),
    )


def _still_unknown(reasons: Mapping[str, str], elements: list[Span]) -> dict[str, str]:
    """The probe's reasons for the elements whose own natural length is still unknown.

    A reason for an element that needs no natural length (it has a duration) is
    left out: the timeline does not depend on it.
    """
    if not reasons:
        return {}
    by_path = {span.path: span for span in elements}
    out: dict[str, str] = {}
    for path, why in reasons.items():
        span = by_path.get(path)
        own = f"{path} ("
        if span is not None and any(d.startswith(own) for d in span.unknowns):
            out[path] = why
    return out


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
        scene.props,
        max_end=scene.end.hi,
        overlap=scene.overlap.lo,
        start_exact=scene.start.exact,
        unknowns=scene.start.deps | scene.length.deps | scene.count.deps,
    )


def _element_span(
    record: ElementTiming,
    scene: int | None,
    offset: Iv,
    explicit: bool,
    container: Iv,
    builders: Mapping[str, ElementBuilder],
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
        record.props,
        builders.get(record.path),
        max_end=offset.hi + end.hi,
        fitted=record.fitted,
        trimmed=trimmed,
        hidden=hidden,
        start_exact=(offset + start).exact,
        unknowns=start.deps | end.deps | offset.deps,
    )
