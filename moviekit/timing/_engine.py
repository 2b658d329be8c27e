"""Timing resolution: when every scene and element starts and ends, without rendering.

Pure: a Movie JSON document (a dict; builders are compiled first by
:func:`resolve_movie`) plus known lengths in, numbers out. No I/O, no schema.

The rules (reference §5), as moviekit reads them
-------------------------------------------------
* An element's ``start`` is relative to its container (its scene, or the movie
  for movie-level elements); its length is its ``duration`` plus ``extra-time``.
  Its end is ``start + duration + extra-time`` (moviekit reads the service's
  ``ID_end`` variable the same way).
* ``duration``: a positive number; ``-1`` the natural length of the asset
  (video, audio, voice, text animation, the audio an audiogram shows),
  shortened by ``seek``; with ``loop: n`` it is between one and n plays (the
  docs do not say which); ``-2`` the container's length. Defaults:
  text, component and audiogram ``-2``; the others ``-1``.
* Images and HTML have no natural length (reference §5.3, §10.11). moviekit
  reads their ``-1`` as "fitted to the container, contributing nothing to its
  length", like ``-2``: an image beside a video lasts as long as the video, and
  a movie of images with no duration anywhere has length zero (the service's
  "Movie duration cannot be zero").
* ``start: -1`` places the element at the end of the container's timeline as
  computed from the elements that do not have ``start: -1`` or ``duration: -2``.
* Container length: an explicit scene ``duration`` wins and trims its elements;
  otherwise the latest element end. Container-length elements are fitted after
  the others (so they never lengthen a scene).
* Scenes play one after another; a scene ``transition`` overlaps the scene with
  the previous one (see :func:`xfade_overlap`, the one place that reading lives).
  Movie-level elements are laid over the scenes and may lengthen the movie.

Unknowns are never guessed
--------------------------
Every value is an interval :class:`Iv` ``[lo, hi]`` with the list of unknowns it
depends on. A natural length nobody supplied is ``[0, inf)``; a scene holding
such a voice-over is "at least" as long as its known parts. ``lo`` is what the
timeline shows; ``exact`` is ``lo == hi``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from moviekit.timing._expr import Bin, Call, Name, Num, TimeExpr, parse_wire

__all__ = [
    "ElementTiming",
    "Iv",
    "MovieTiming",
    "SceneTiming",
    "fold",
    "resolve_document",
    "xfade_overlap",
]

INF = math.inf


# =========================================================================== intervals


@dataclass(frozen=True)
class Iv:
    """A time in seconds known to lie in ``[lo, hi]``; ``deps`` names what is unknown."""

    lo: float
    hi: float
    deps: frozenset[str] = frozenset()

    @staticmethod
    def of(value: float) -> Iv:
        """An exactly known value."""
        return Iv(value, value)

    @staticmethod
    def unknown(dep: str, lo: float = 0.0, hi: float = INF) -> Iv:
        """A value moviekit cannot know offline, because of ``dep``."""
        return Iv(lo, hi, frozenset((dep,)))

    @property
    def exact(self) -> bool:
        """True when the value is known exactly."""
        return self.lo == self.hi and math.isfinite(self.lo)

    def _with(self, lo: float, hi: float, other: Iv | None = None) -> Iv:
        deps = self.deps | other.deps if other is not None else self.deps
        if lo == hi and math.isfinite(lo):
            deps = frozenset()  # known exactly after all (e.g. min(unknown, 0) for lengths)
        return Iv(lo, hi, deps)

    def __add__(self, other: Iv) -> Iv:
        return self._with(self.lo + other.lo, self.hi + other.hi, other)

    def __sub__(self, other: Iv) -> Iv:
        return self._with(_sub(self.lo, other.hi), _sub(self.hi, other.lo), other)

    def __mul__(self, other: Iv) -> Iv:
        products = [_mul(a, b) for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return self._with(min(products), max(products), other)

    def __truediv__(self, other: Iv) -> Iv:
        if other.lo <= 0 <= other.hi:
            if other.exact:  # x / 0: the service's problem; the value is unknown here
                return Iv(-INF, INF, self.deps | {"a division by zero"})
            return Iv(-INF, INF, self.deps | other.deps)
        quotients = [_div(a, b) for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return self._with(min(quotients), max(quotients), other)

    def max(self, other: Iv) -> Iv:
        """The later of two times."""
        return self._with(max(self.lo, other.lo), max(self.hi, other.hi), other)

    def min(self, other: Iv) -> Iv:
        """The earlier of two times."""
        return self._with(min(self.lo, other.lo), min(self.hi, other.hi), other)

    def at_least(self, floor: float) -> Iv:
        """Clamp from below (a length or a start is never negative)."""
        return self._with(max(self.lo, floor), max(self.hi, floor))

    def __repr__(self) -> str:
        if self.exact:
            return f"Iv({self.lo:g})"
        return f"Iv({self.lo:g}..{self.hi:g}, deps={sorted(self.deps)})"


ZERO = Iv.of(0.0)


def _sub(a: float, b: float) -> float:
    return a - b if not (math.isinf(a) and math.isinf(b) and a == b) else -INF


def _mul(a: float, b: float) -> float:
    return 0.0 if a == 0 or b == 0 else a * b


def _div(a: float, b: float) -> float:
    return 0.0 if a == 0 else a / b


# =========================================================================== results


@dataclass
class ElementTiming:
    """The resolved timing of one element (times in seconds from its container's start)."""

    path: str
    index: int
    type: str
    props: Mapping[str, Any]
    start: Iv = ZERO
    duration: Iv = ZERO
    """Length without extra-time."""
    extra: Iv = ZERO
    end: Iv = ZERO
    """``start + duration + extra`` before any trimming by the container."""
    shown_end: Iv = ZERO
    """``end`` trimmed to an explicit container length."""
    fitted: bool = False
    """The length is the container's (``-2``, or an image with no duration)."""
    optional: bool = False
    """The element has a ``condition`` and may be dropped by the service."""
    resolved: bool = False

    @property
    def shown_start(self) -> Iv:
        """The start, trimmed like the end (an element starting after its scene's end)."""
        return self.start.min(self.shown_end)


@dataclass
class SceneTiming:
    """The resolved timing of one scene."""

    path: str
    index: int
    props: Mapping[str, Any]
    length: Iv
    explicit: bool
    """The scene has an explicit ``duration`` (which trims its elements)."""
    elements: list[ElementTiming]
    start: Iv = ZERO
    """Start in the movie."""
    overlap: Iv = ZERO
    """How much it overlaps the previous scene (its transition; see :func:`xfade_overlap`)."""
    count: Iv = field(default_factory=lambda: Iv.of(1.0))
    """How many times it plays: ``[0, 1]`` with a condition, unknown with ``iterate``."""

    @property
    def end(self) -> Iv:
        """End in the movie."""
        return self.start + self.length


@dataclass
class MovieTiming:
    """The resolved timing of a whole movie: :func:`resolve_document`'s result."""

    scenes: list[SceneTiming]
    elements: list[ElementTiming]
    total: Iv
    scenes_total: Iv
    templated: bool = False

    def container(self, prefix: str) -> list[ElementTiming]:
        """The elements of ``scenes[i]`` (``prefix="scenes[i]"``) or of the movie (``""``)."""
        if not prefix:
            return self.elements
        index = int(prefix[len("scenes[") : -1])
        return self.scenes[index].elements


# =========================================================================== the transition reading


def xfade_overlap(previous: Iv, current: Iv, transition: Any, path: str) -> Iv:
    """How many seconds a scene's ``transition`` overlaps it with the previous scene.

    THE transition reading (undocumented by the service, reference §10.5), kept
    here and nowhere else: a scene's transition is an FFmpeg ``xfade`` *into* that
    scene from the previous one. As with an xfade chain, the two scenes overlap by
    the transition's duration, so the movie is shorter than the sum of its scenes
    by that much. A transition on the first scene has nothing to blend from and
    is ignored (the caller never asks). The overlap is capped by both scenes'
    lengths. A transition without a ``duration`` (its default is undocumented)
    overlaps by an unknown amount.
    """
    if not isinstance(transition, Mapping):
        return ZERO
    cap = previous.min(current)
    value = transition.get("duration")
    if value is None:
        return Iv.unknown(
            f"{path}.transition: its duration is not given (the service's default is undocumented)",
            0.0,
            cap.hi,
        )
    expr = parse_wire(value)
    if expr is None:
        return Iv.unknown(
            f"{path}.transition.duration: {value!r} is decided by the service", 0.0, cap.hi
        )
    overlap = _evaluate(expr, lambda name: Iv.unknown(f"variable '{name}'"))
    overlap = overlap.at_least(0.0)
    return overlap.min(cap) if cap.hi < INF or cap.lo < overlap.lo else overlap


# =========================================================================== expressions


def _evaluate(expr: TimeExpr, lookup: Any) -> Iv:
    """Evaluate a (Name-based) expression; ``lookup(name) -> Iv`` may raise _Wait."""
    if isinstance(expr, Num):
        return Iv.of(expr.value)
    if isinstance(expr, Name):
        result: Iv = lookup(expr.name)
        return result
    if isinstance(expr, Bin):
        left, right = _evaluate(expr.left, lookup), _evaluate(expr.right, lookup)
        if expr.op == "+":
            return left + right
        if expr.op == "-":
            return left - right
        if expr.op == "*":
            return left * right
        return left / right
    if isinstance(expr, Call):
        a, b = (_evaluate(x, lookup) for x in expr.args)
        return a.min(b) if expr.fn == "min" else a.max(b)
    return Iv.unknown("an element reference that was not compiled")


class _Wait(Exception):
    """An expression needs an element of its container that is not resolved yet."""


_FIELD_NAME = re.compile(r"^(.+)_(start|end|duration|extratime)$")


def fold(expr: TimeExpr, records: Sequence[ElementTiming]) -> TimeExpr:
    """Replace ``ID_field`` names with their values where exactly known, then fold constants."""
    by_id = {r.props.get("id"): r for r in records if r.resolved}

    def go(node: TimeExpr) -> TimeExpr:
        if isinstance(node, Name):
            value = _field_value(node.name, by_id)
            return Num(value.lo) if value is not None and value.exact else node
        if isinstance(node, Bin):
            left, right = go(node.left), go(node.right)
            if isinstance(left, Num) and isinstance(right, Num):
                result = _evaluate(Bin(node.op, left, right), None)
                if result.exact:
                    return Num(result.lo)
            # x + 0, x - 0, 0 + x, x * 1, x / 1, 1 * x: keep the wire readable
            if isinstance(right, Num) and (
                right.value == 0 and node.op in "+-" or right.value == 1 and node.op in "*/"
            ):
                return left
            if isinstance(left, Num) and (
                left.value == 0 and node.op == "+" or left.value == 1 and node.op == "*"
            ):
                return right
            if node.op in "+-" and isinstance(right, Num):
                # (x + a) - b -> x + (a - b); x + -1 -> x - 1
                offset = right.value if node.op == "+" else -right.value
                if isinstance(left, Bin) and left.op in "+-" and isinstance(left.right, Num):
                    offset += left.right.value if left.op == "+" else -left.right.value
                    left = left.left
                if offset == 0:
                    return left
                return Bin("+" if offset > 0 else "-", left, Num(abs(offset)))
            return Bin(node.op, left, right)
        if isinstance(node, Call):
            args = tuple(go(a) for a in node.args)
            if all(isinstance(a, Num) for a in args):
                return Num(_evaluate(Call(node.fn, args), None).lo)
            return Call(node.fn, args)
        return node

    return go(expr)


def _field_value(name: str, by_id: Mapping[Any, ElementTiming]) -> Iv | None:
    match = _FIELD_NAME.match(name)
    if not match or match.group(1) not in by_id:
        return None
    record = by_id[match.group(1)]
    return {
        "start": record.start,
        "end": record.end,
        "duration": record.duration,
        "extratime": record.extra,
    }[match.group(2)]


# =========================================================================== resolution

NATURAL_TYPES = frozenset({"video", "audio", "voice"})
CONTAINER_DEFAULT_TYPES = frozenset({"text", "component", "audiogram"})
LENGTHLESS_TYPES = frozenset({"image", "html"})


class _Context:
    def __init__(
        self,
        lengths: Mapping[str, float],
        hints: Mapping[str, float],
        strict: bool,
        variables: Mapping[str, Any],
    ) -> None:
        self.lengths = lengths
        self.hints = hints
        self.strict = strict
        self.variables = variables

    def natural(self, props: Mapping[str, Any], kind: str, path: str) -> Iv:
        if not self.strict:
            for key in (props.get("id"), props.get("src")):
                if isinstance(key, str) and key in self.lengths:
                    return Iv.of(float(self.lengths[key]))
            if path in self.hints:
                return Iv.of(float(self.hints[path]))
        what = {
            "voice": "the spoken text",
            "text": "the text animation",
            "component": "the component animation",
            "audiogram": "the audio it shows",
        }.get(kind, "the file")
        return Iv.unknown(f"{path} ({kind}): natural length of {what}")


def resolve_document(
    doc: Mapping[str, Any],
    lengths: Mapping[str, float] | None = None,
    hints: Mapping[str, float] | None = None,
    *,
    strict: bool = False,
) -> MovieTiming:
    """Resolve the timing of a Movie JSON document.

    ``lengths`` maps an element ``id`` or a ``src`` to its natural length in
    seconds; ``hints`` maps element paths (``scenes[0].elements[1]``) to natural
    lengths. With ``strict=True`` only what the document itself fixes counts as
    known (natural lengths and container fitting are left to the service): that
    is what compile may fold into plain numbers.
    """
    movie_vars = _numeric_vars(doc.get("variables"))
    ctx = _Context(lengths or {}, hints or {}, strict, movie_vars)
    raw_scenes = doc.get("scenes")
    scenes: list[SceneTiming] = []
    if isinstance(raw_scenes, list):
        for i, scene in enumerate(raw_scenes):
            if isinstance(scene, Mapping):
                scenes.append(_scene(scene, i, ctx))
    cursor = ZERO
    previous: SceneTiming | None = None
    for scene in scenes:
        if previous is not None:
            scene.overlap = xfade_overlap(
                previous.length, scene.length, scene.props.get("transition"), scene.path
            )
        scene.start = (cursor - scene.overlap).at_least(0.0) if previous is not None else cursor
        cursor = (
            scene.start + scene.length * scene.count
            if scene.count.exact
            else (scene.start + scene.length * scene.count)
        )
        previous = scene
    scenes_total = cursor
    raw_elements = doc.get("elements")
    items = raw_elements if isinstance(raw_elements, list) else []
    elements, total = _container(items, "", None, scenes_total, ctx, movie_vars)
    templated = "template" in doc
    if templated:
        total = Iv.unknown("template: the saved template decides the timing", total.lo)
    return MovieTiming(scenes, elements, total, scenes_total, templated)


def _numeric_vars(values: Any) -> dict[str, Any]:
    return dict(values) if isinstance(values, Mapping) else {}


def _scene(scene: Mapping[str, Any], i: int, ctx: _Context) -> SceneTiming:
    path = f"scenes[{i}]"
    variables = {**ctx.variables, **_numeric_vars(scene.get("variables"))}
    explicit: Iv | None = None
    value = scene.get("duration")
    if value is not None and value != -1:
        expr = parse_wire(value)
        if expr is None:
            explicit = Iv.unknown(f"{path}.duration: {value!r} is decided by the service", 0.0)
        else:
            explicit = _evaluate(expr, lambda name: _variable(name, variables, path)).at_least(0.0)
    raw = scene.get("elements")
    items = raw if isinstance(raw, list) else []
    elements, length = _container(items, path, explicit, None, ctx, variables)
    count = Iv.of(1.0)
    if "iterate" in scene:
        name = scene.get("iterate")
        array = variables.get(name) if isinstance(name, str) else None
        count = (
            Iv.of(float(len(array)))
            if isinstance(array, list) and "{{" not in str(array)
            else Iv.unknown(f"{path}: repeated once per item of {name!r} (iterate)")
        )
    if "condition" in scene:
        count = count * Iv.unknown(f"{path}: may be skipped (condition)", 0.0, 1.0)
    return SceneTiming(path, i, scene, length, explicit is not None, elements, count=count)


def _variable(name: str, variables: Mapping[str, Any], path: str) -> Iv:
    value = variables.get(name)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return Iv.of(float(value))
    if isinstance(value, str):
        expr = parse_wire(value)
        if isinstance(expr, Num):
            return Iv.of(expr.value)
    return Iv.unknown(f"variable '{name}' (at {path}) is decided by the service")


def _container(
    items: Sequence[Any],
    prefix: str,
    explicit: Iv | None,
    floor: Iv | None,
    ctx: _Context,
    variables: Mapping[str, Any],
) -> tuple[list[ElementTiming], Iv]:
    """Resolve one container's elements; return them and the container's length."""
    records: list[ElementTiming] = []
    for j, item in enumerate(items):
        props: Mapping[str, Any] = item if isinstance(item, Mapping) else {}
        kind = props.get("type")
        path = f"{prefix}.elements[{j}]" if prefix else f"elements[{j}]"
        records.append(
            ElementTiming(
                path,
                j,
                kind if isinstance(kind, str) else "unknown",
                props,
                optional="condition" in props,
            )
        )
    ids = {r.props.get("id"): r for r in records if isinstance(r.props.get("id"), str)}
    fits = [_is_fitted(r) for r in records]
    at_end = [r.props.get("start") == -1 for r in records]

    def run(indices: Iterable[int], base: Iv, fit_len: Iv | None, force: bool) -> None:
        todo = [j for j in indices if not records[j].resolved]
        progress = True
        while todo and progress:
            progress = False
            for j in list(todo):
                if _attempt(records[j], ids, ctx, variables, base, fit_len, force=False):
                    todo.remove(j)
                    progress = True
        if force:
            for j in todo:
                _attempt(records[j], ids, ctx, variables, base, fit_len, force=True)

    n = len(records)
    zero = floor if floor is not None else ZERO
    # 1. elements with their own start and a length of their own
    run((j for j in range(n) if not fits[j] and not at_end[j]), zero, None, force=False)
    base = _latest(records, zero)
    # 2. start=-1 elements go to the end of that timeline
    run((j for j in range(n) if not fits[j]), base, None, force=False)
    other = _latest(records, base)
    # 3. container-length elements are fitted to the length the others give
    fit_len = explicit if explicit is not None else other
    run((j for j in range(n) if fits[j]), other, fit_len, force=False)
    # 4. whatever referred to fitted elements; unresolvable references become unknown
    run(range(n), other, fit_len, force=True)
    length = (
        explicit if explicit is not None else _latest([r for r in records if not r.fitted], other)
    )
    for record in records:
        record.shown_end = record.end.min(explicit) if explicit is not None else record.end
        if record.fitted and explicit is None:
            record.shown_end = record.end.min(length)
    return records, length


def _latest(records: Iterable[ElementTiming], floor: Iv) -> Iv:
    latest = floor
    for record in records:
        if record.resolved and not record.fitted:
            end = record.end
            if record.optional:  # it may be dropped: it cannot raise the lower bound
                end = Iv(min(end.lo, floor.lo), end.hi, end.deps | {f"{record.path}: condition"})
            latest = latest.max(end)
    return latest


def _duration_mode(record: ElementTiming) -> str:
    """ "fit", "natural" or "value" for this element's duration."""
    value = record.props.get("duration")
    kind = record.type
    if kind == "subtitles":
        return "fit"
    if value is None:
        if kind in CONTAINER_DEFAULT_TYPES or kind in LENGTHLESS_TYPES:
            return "fit"
        return "natural"
    if value == -2 and not isinstance(value, bool):
        return "fit"
    if value == -1 and not isinstance(value, bool):
        return "fit" if kind in LENGTHLESS_TYPES else "natural"
    return "value"


def _is_fitted(record: ElementTiming) -> bool:
    return _duration_mode(record) == "fit"


def _attempt(
    record: ElementTiming,
    ids: Mapping[Any, ElementTiming],
    ctx: _Context,
    variables: Mapping[str, Any],
    base: Iv,
    fit_len: Iv | None,
    *,
    force: bool,
) -> bool:
    """Resolve ``record`` if everything it refers to is resolved (or ``force``)."""
    props = record.props
    scope = {**variables, **_numeric_vars(props.get("variables"))}
    path = record.path

    def lookup(name: str) -> Iv:
        match = _FIELD_NAME.match(name)
        if match and match.group(1) in ids:
            other = ids[match.group(1)]
            if other is record:
                return Iv.unknown(f"{path} refers to its own timing")
            if not other.resolved:
                if force:
                    return Iv.unknown(
                        f"{path} refers to {other.path}, which is not resolved "
                        "before it (a later element or a cycle)",
                        -INF,
                    )
                raise _Wait
            return _field_value(name, {match.group(1): other}) or ZERO
        return _variable(name, scope, path)

    def value_of(key: str, default: float) -> Iv:
        value = props.get(key, default)
        expr = parse_wire(value)
        if expr is None:
            return Iv.unknown(f"{path}.{key}: {value!r} is decided by the service")
        return _evaluate(expr, lookup)

    try:
        if props.get("start") == -1:
            start = (
                base
                if not ctx.strict
                else Iv.unknown(f"{path}: start at the container's end (decided by the service)")
            )
        else:
            start = value_of("start", 0.0).at_least(0.0)
        extra = value_of("extra-time", 0.0)
        mode = _duration_mode(record)
        if mode == "fit":
            record.fitted = True
            if ctx.strict or fit_len is None:
                duration = Iv.unknown(f"{path}: the container's length (decided by the service)")
            else:
                duration = (fit_len - start).at_least(0.0)
        elif mode == "natural":
            duration = _natural(record, ctx, lookup)
        else:
            duration = value_of("duration", 0.0).at_least(0.0)
    except _Wait:
        return False
    record.start, record.duration, record.extra = start, duration, extra
    record.end = (start + duration + extra).at_least(0.0)
    record.resolved = True
    return True


def _natural(record: ElementTiming, ctx: _Context, lookup: Any) -> Iv:
    props = record.props
    length = ctx.natural(props, record.type, record.path)
    seek = parse_wire(props.get("seek", 0))
    if isinstance(seek, Num) and seek.value != 0:
        cut = Iv.of(seek.value)
        length = (length - cut).at_least(0.0) if seek.value > 0 else length.min(Iv.of(-seek.value))
    loop = props.get("loop")
    if isinstance(loop, int) and not isinstance(loop, bool) and loop > 1:
        # Undocumented: does loop n with the natural length play n times, or once? A range.
        plays = Iv.unknown(
            f"{record.path}: loop {loop} without a duration may play once "
            f"or {loop} times (give it a duration)",
            1.0,
            float(loop),
        )
        length = length * plays
    return length
