"""Assertions for tests of movies: validity, and the timeline.

:func:`assert_valid` fails with the whole validation report.

The timeline assertions (scene count, a scene's length, what is on screen at a
time, the total length) take a :class:`~moviekit.Movie` (its ``timeline()`` is
computed, ``lengths=`` passed through), a Movie JSON dict, or a ready
:class:`~moviekit.Timeline`. A failure shows the part of the timeline that
matters, as rows of the timeline table::

    AssertionError: scenes[1] lasts 6 s, expected 5 s (± 0.001)
    path           type   what           start  end  length  in movie
    -------------  -----  -------------  -----  ---  ------  --------
    scenes[1]      scene                 4      10   6       4–10
      elements[0]  video  run.mp4        0      6    6       4–10
      elements[1]  text   Free shipping  0      6    6       4–10

    total: 10 s; cost: 10 credits (10 s x 1/s)

Unknown lengths are never guessed: when a natural length is unknown offline,
an assertion passes only if it holds for every possible length (the timeline's
lower and upper bounds), and otherwise fails saying what is unknown and how to
supply it (``lengths=`` or ``.length_hint()``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NoReturn

from moviekit._problems import ValidationReport
from moviekit.builders._elements import ELEMENT_TYPES, Element
from moviekit.builders._movie import Movie
from moviekit.timing._timeline import Span, Timeline
from moviekit.validation._validate import validate

__all__ = [
    "assert_not_on_screen",
    "assert_on_screen",
    "assert_scene_count",
    "assert_scene_length",
    "assert_total_between",
    "assert_valid",
    "timeline_of",
]

#: Excerpts longer than this many lines are cut (a 500-element movie stays readable).
MAX_EXCERPT_LINES = 30

#: What ``assert_on_screen`` accepts: an element builder (matched by value), an element
#: class, a wire type (``"text"``) or a path (``"scenes[0].elements[1]"``).
OnScreen = Element | type[Element] | str

_UNKNOWN_HINT = (
    "give the natural lengths with movie.timeline(lengths={src or id: seconds}) "
    "(lengths= here) or element.length_hint(seconds)"
)


# --------------------------------------------------------------------------- validity


def assert_valid(movie: Any, *, warnings: bool = False) -> ValidationReport:
    """Assert that ``movie`` (a Movie or a Movie JSON dict) has no validation errors.

    The failure message is the whole validation report, errors and warnings,
    grouped by path with their hints. With ``warnings=True`` a warning fails
    too. Warnings of a passing movie are printed, so pytest shows them with
    the captured output of a test that fails later. Returns the report.
    """
    __tracebackhide__ = True
    report = validate(movie)
    if not report.ok or (warnings and report.warnings):
        what = "errors" if not report.ok else "warnings (warnings=True)"
        raise AssertionError(f"the movie has validation {what}:\n{report.describe(warnings=True)}")
    if report.warnings:
        print(f"moviekit: the movie is valid, with warnings:\n{report.describe(warnings=True)}")
    return report


# --------------------------------------------------------------------------- timeline


def timeline_of(subject: Any, lengths: Mapping[str, float] | None = None) -> Timeline:
    """The :class:`~moviekit.Timeline` of a Movie, a Movie JSON dict, or a Timeline itself."""
    if isinstance(subject, Movie):
        timeline: Timeline = subject.timeline(lengths)
        return timeline
    if isinstance(subject, Mapping):
        # Through the builders, so spans carry their element (for matching by value).
        movie_timeline: Timeline = Movie.from_dict(subject).timeline(lengths)
        return movie_timeline
    if isinstance(subject, Timeline):
        if lengths is not None:
            raise ValueError("lengths= applies to a movie; this timeline is already computed")
        return subject
    raise TypeError(
        f"expected a Movie, a Movie JSON dict or a Timeline, got {type(subject).__name__}"
    )


# --------------------------------------------------------------------------- excerpts


def excerpt(
    timeline: Timeline,
    *,
    scenes: Iterable[int] = (),
    paths: Iterable[str] = (),
    with_elements: bool = True,
) -> str:
    """The timeline table reduced to some scenes (with their elements) and element rows.

    ``scenes`` are shown with all their elements (unless ``with_elements`` is
    false); each element of ``paths`` is shown under its scene's row, without
    that scene's other elements.
    """
    full, path_set = set(scenes), set(paths)
    rows = [
        e for e in timeline.elements if e.path in path_set or (with_elements and e.scene in full)
    ]
    shown = full | {e.scene for e in rows if e.scene is not None}
    # The table is Timeline.__str__ of a timeline holding only these rows: one format
    # for the whole package, and the footer (total, what it depends on) comes with it.
    part = dataclasses.replace(
        timeline,
        scenes=tuple(s for s in timeline.scenes if s.index in shown),
        elements=tuple(rows),
        transitions=tuple(t for t in timeline.transitions if t.scene in shown),
    )
    lines = str(part).splitlines()
    if len(lines) > MAX_EXCERPT_LINES:
        # Keep the header, the first rows and the footer (total and what it depends on).
        footer = lines[lines.index("") :] if "" in lines else []
        lines = lines[: MAX_EXCERPT_LINES - len(footer) - 1] + ["  ..."] + footer
    return "\n".join(lines)


def _fail(message: str, timeline: Timeline, **parts: Any) -> NoReturn:
    __tracebackhide__ = True
    raise AssertionError(f"{message}\n{excerpt(timeline, **parts)}")


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _bound(value: float, exact: bool) -> str:
    return _seconds(value) if exact else f"at least {_seconds(value)}"


def _unknown(span_or_timeline: Span | Timeline) -> str:
    deps = "; ".join(span_or_timeline.depends_on) or "a natural length"
    return f"unknown offline: {deps}; {_UNKNOWN_HINT}"


# --------------------------------------------------------------------------- scenes


def assert_scene_count(
    subject: Any, expected: int, *, lengths: Mapping[str, float] | None = None
) -> None:
    """The movie has ``expected`` scenes."""
    __tracebackhide__ = True
    timeline = timeline_of(subject, lengths)
    count = len(timeline.scenes)
    if count != expected:
        _fail(
            f"the movie has {count} scene{'s' if count != 1 else ''}, expected {expected}",
            timeline,
            scenes=range(count),
            with_elements=False,
        )


def assert_scene_length(
    subject: Any,
    index: int,
    seconds: float,
    *,
    tolerance: float = 1e-3,
    lengths: Mapping[str, float] | None = None,
) -> None:
    """Scene ``index`` (negative counts from the end) lasts ``seconds`` (± ``tolerance``)."""
    __tracebackhide__ = True
    timeline = timeline_of(subject, lengths)
    count = len(timeline.scenes)
    if not -count <= index < count:
        _fail(
            f"there is no scene {index}: the movie has {count} scene(s)",
            timeline,
            scenes=range(count),
            with_elements=False,
        )
    scene = timeline.scenes[index]
    if not scene.exact:
        _fail(
            f"{scene.path} lasts {_bound(scene.length, False)}, expected {_seconds(seconds)}: "
            f"its length is {_unknown(scene)}",
            timeline,
            scenes=[scene.index],
        )
    if abs(scene.length - seconds) > tolerance:
        _fail(
            f"{scene.path} lasts {_seconds(scene.length)}, expected {_seconds(seconds)} "
            f"(± {tolerance:g})",
            timeline,
            scenes=[scene.index],
        )


# --------------------------------------------------------------------------- on screen


def _matches(span: Span, want: OnScreen) -> bool:
    if isinstance(want, Element):
        return span.element is not None and (span.element is want or span.element == want)
    if isinstance(want, type):
        if span.element is not None:
            return isinstance(span.element, want)
        return span.type == want.type
    if "[" in want:
        return span.path == want
    return span.type == want


def _check_wanted(wanted: Sequence[OnScreen]) -> None:
    for want in wanted:
        if isinstance(want, (Element, type)):
            continue
        if isinstance(want, str) and ("[" in want or want in ELEMENT_TYPES or want == "scene"):
            continue
        raise TypeError(
            f"expected an element builder, an element class, a type such as 'text' or a path "
            f"such as 'scenes[0].elements[1]', got {want!r}"
        )


def _label(want: OnScreen) -> str:
    return want.__name__ if isinstance(want, type) else repr(want)


def _span_text(span: Span) -> str:
    what = span.label() if span.kind == "element" else "scene"
    end = _seconds(span.movie_end) if span.exact else f"≥ {_seconds(span.movie_end)}"
    return f"{span.path} ({what}, {span.movie_start:g}–{end})"


def _scenes_at(timeline: Timeline, t: float) -> list[int]:
    hits = [s.index for s in timeline.scenes if s.movie_start <= t < s.movie_end]
    if hits or not timeline.scenes:
        return hits
    # After the end (or in a gap): show the scene closest to t.
    nearest = min(timeline.scenes, key=lambda s: min(abs(t - s.movie_start), abs(t - s.movie_end)))
    return [nearest.index]


def assert_on_screen(
    subject: Any, t: float, *expected: OnScreen, lengths: Mapping[str, float] | None = None
) -> None:
    """Each of ``expected`` is on screen (or audible) at movie time ``t`` seconds.

    ``expected`` items are element builders (the same value you added), element
    classes (``Text``), wire types (``"text"``) or paths (``"scenes[1].elements[0]"``).
    With no ``expected``, asserts that *something* plays at ``t``.
    """
    __tracebackhide__ = True
    _check_wanted(expected)
    timeline = timeline_of(subject, lengths)
    now = timeline.at(t)
    now_elements = [s for s in now if s.kind == "element"]
    missing = [w for w in expected if not any(_matches(s, w) for s in now_elements)]
    if expected and not missing:
        return
    if not expected and now:
        return
    lines = []
    if expected:
        lines.append(f"at {_seconds(t)}, not on screen: {', '.join(_label(w) for w in missing)}")
    else:
        lines.append(
            f"nothing plays at {_seconds(t)} (the movie lasts "
            f"{_bound(timeline.total, timeline.exact)})"
        )
    lines.append("on screen then: " + (", ".join(_span_text(s) for s in now) or "nothing"))
    elsewhere: list[Span] = []
    for want in missing:
        for span in timeline.elements:
            if _matches(span, want):
                elsewhere.append(span)
                note = ""
                if span.hidden:
                    note = " and is never shown (it starts after its scene's explicit end)"
                elif not span.exact and span.movie_start <= t < span.max_end:
                    note = (
                        f"; it may still be playing at {_seconds(t)}: its end is {_unknown(span)}"
                    )
                lines.append(f"{_label(want)} plays at {_span_text(span)}{note}")
    _fail(
        "\n".join(lines),
        timeline,
        scenes=_scenes_at(timeline, t),
        paths=[s.path for s in elsewhere + now_elements],
    )


def assert_not_on_screen(
    subject: Any, t: float, *unexpected: OnScreen, lengths: Mapping[str, float] | None = None
) -> None:
    """None of ``unexpected`` is on screen (or audible) at movie time ``t`` seconds.

    An element whose end is unknown offline fails if it *may* still play at ``t``.
    """
    __tracebackhide__ = True
    if not unexpected:
        raise TypeError("assert_not_on_screen needs at least one element, class, type or path")
    _check_wanted(unexpected)
    timeline = timeline_of(subject, lengths)
    present = [
        s for s in timeline.at(t) if s.kind == "element" and any(_matches(s, w) for w in unexpected)
    ]
    maybe = [
        s
        for s in timeline.elements
        if not s.exact
        and not s.hidden
        and s.movie_end <= t < s.max_end
        and s.movie_start <= t
        and any(_matches(s, w) for w in unexpected)
    ]
    if not present and not maybe:
        return
    lines = [f"at {_seconds(t)}, on screen: " + ", ".join(_span_text(s) for s in present)]
    lines += [
        f"may still be playing at {_seconds(t)}: {_span_text(s)}; its end is {_unknown(s)}"
        for s in maybe
    ]
    if not present:
        lines.pop(0)
    _fail(
        "\n".join(lines),
        timeline,
        scenes=_scenes_at(timeline, t),
        paths=[s.path for s in present + maybe],
    )


# --------------------------------------------------------------------------- total


def assert_total_between(
    subject: Any, minimum: float, maximum: float, *, lengths: Mapping[str, float] | None = None
) -> None:
    """The movie lasts at least ``minimum`` and at most ``maximum`` seconds.

    With unknown lengths the assertion holds only when every possible length
    is within bounds: the timeline's lower bound is at least ``minimum`` and
    its upper bound (infinite when a length is unbounded) at most ``maximum``.
    """
    __tracebackhide__ = True
    if minimum > maximum:
        raise ValueError(f"minimum {minimum:g} is above maximum {maximum:g}")
    timeline = timeline_of(subject, lengths)
    total, upper = timeline.total, timeline.total if timeline.exact else timeline.max_total
    wanted = f"expected {_seconds(minimum)} to {_seconds(maximum)}"
    every = range(len(timeline.scenes))
    if total < minimum and (timeline.exact or upper < minimum):
        _fail(
            f"the movie lasts {_bound(total, timeline.exact)}, {wanted}"
            + ("" if timeline.exact else f" (at most {_seconds(upper)})"),
            timeline,
            scenes=every,
            with_elements=False,
        )
    if total > maximum:
        _fail(
            f"the movie lasts {_bound(total, timeline.exact)}, {wanted}",
            timeline,
            scenes=every,
            with_elements=False,
        )
    if not timeline.exact and (total < minimum or upper > maximum):
        most = "no upper bound" if upper == float("inf") else f"at most {_seconds(upper)}"
        _fail(
            f"the movie lasts at least {_seconds(total)} ({most}), {wanted}; its length is "
            f"{_unknown(timeline)}",
            timeline,
            scenes=every,
            with_elements=False,
        )
