"""Timing resolution: when every scene and element starts and ends, without rendering.

Pure: a Movie JSON document (a dict) plus known lengths in, numbers out. No I/O,
no schema, no builders. :func:`resolve_document` never raises, whatever the
document holds: a value timing cannot read is an unknown (validation explains
it), so validation can call it for its lints on any input. It is linear in the
document's size, expressions included.

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
  the others (so they never lengthen a scene). An element with a ``condition``
  may be dropped, so it raises only the upper bound of its container's length.
* Scenes play one after another; a scene ``transition`` overlaps the scene with
  the previous one (see :func:`xfade_overlap`, the one place that reading lives).
  Movie-level elements are laid over the scenes and may lengthen the movie.

Values are intervals (:mod:`moviekit.timing._interval`): unknowns are never guessed.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from moviekit.timing._expr import Num, names_in, parse_wire
from moviekit.timing._interval import INF, ZERO, Deps, Iv, evaluate
from moviekit.timing._numbers import short_value, to_float

__all__ = [
    "ElementTiming",
    "MovieTiming",
    "SceneTiming",
    "resolve_document",
    "split_field_name",
    "xfade_overlap",
]


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

    def field(self, name: str) -> Iv:
        """The value of the service's ``ID_<name>`` variable (``start``, ``end``, ...)."""
        return {
            "start": self.start,
            "end": self.end,
            "duration": self.duration,
            "extratime": self.extra,
        }[name]


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
    used_lengths: frozenset[str] = frozenset()
    """The keys of ``lengths`` that gave some element its natural length."""

    _by_path: dict[str, SceneTiming] | None = field(default=None, init=False, repr=False)

    def container(self, prefix: str) -> list[ElementTiming]:
        """The elements of ``scenes[i]`` (``prefix="scenes[i]"``) or of the movie (``""``)."""
        if not prefix:
            return self.elements
        if self._by_path is None:
            self._by_path = {scene.path: scene for scene in self.scenes}
        scene = self._by_path.get(prefix)
        return scene.elements if scene is not None else []


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
            f"{path}.transition.duration: {short_value(value)} is decided by the service",
            0.0,
            cap.hi,
        )
    overlap = evaluate(expr, lambda name: Iv.unknown(f"variable '{name}'")).at_least(0.0)
    return overlap.min(cap) if cap.hi < INF or cap.lo < overlap.lo else overlap


# =========================================================================== names

_FIELD_NAME = re.compile(r"^(.+)_(start|end|duration|extratime)$")


def split_field_name(name: str) -> tuple[str, str] | None:
    """``"voice1_end"`` -> ``("voice1", "end")``; None for other names."""
    match = _FIELD_NAME.match(name)
    return (match.group(1), match.group(2)) if match else None


# =========================================================================== resolution

CONTAINER_DEFAULT_TYPES = frozenset({"text", "component", "audiogram"})
LENGTHLESS_TYPES = frozenset({"image", "html"})
#: the properties that may name an element in ``lengths`` (besides its path), in priority order
LENGTH_KEYS = ("id", "src", "text")


class _Context:
    def __init__(
        self, lengths: Mapping[str, float], hints: Mapping[str, float], strict: bool
    ) -> None:
        self.lengths = lengths
        self.hints = hints
        self.strict = strict
        self.used: set[str] = set()
        self._placeholders: dict[int, bool] = {}  # id(array) -> holds a {{ }} string

    def natural(self, props: Mapping[str, Any], kind: str, path: str) -> Iv:
        if not self.strict:
            keys = [props.get(key) for key in LENGTH_KEYS]
            for key in (*keys, path):
                if isinstance(key, str) and key in self.lengths:
                    self.used.add(key)
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

    def has_placeholder(self, array: list[Any]) -> bool:
        """Does ``array`` hold a ``{{ }}`` string anywhere (iteratively; once per array)?"""
        known = self._placeholders.get(id(array))
        if known is None:
            known = False
            stack: list[Any] = [array]
            while stack and not known:
                item = stack.pop()
                if isinstance(item, str):
                    known = "{{" in item
                elif isinstance(item, Mapping):
                    stack.extend(item.values())
                elif isinstance(item, list):
                    stack.extend(item)
            self._placeholders[id(array)] = known
        return known


def resolve_document(
    doc: Mapping[str, Any],
    lengths: Mapping[str, float] | None = None,
    hints: Mapping[str, float] | None = None,
    *,
    strict: bool = False,
) -> MovieTiming:
    """Resolve the timing of a Movie JSON document; never raises, whatever it holds.

    ``lengths`` maps an element's ``id``, ``src``, ``text`` or path to its natural
    length in seconds; ``hints`` maps element paths (``scenes[0].elements[1]``)
    to natural lengths (a builder's ``length_hint``). With ``strict=True`` only
    what the document itself fixes counts as known (natural lengths and
    container fitting are left to the service): that is what compile may fold
    into plain numbers.
    """
    if not isinstance(doc, Mapping):
        return MovieTiming([], [], ZERO, ZERO)
    movie_vars = _Scope().inner(doc.get("variables"))
    ctx = _Context(lengths or {}, hints or {}, strict)
    raw_scenes = doc.get("scenes")
    scenes: list[SceneTiming] = []
    if isinstance(raw_scenes, list):
        for i, scene in enumerate(raw_scenes):
            if isinstance(scene, Mapping):
                scenes.append(_scene(scene, i, ctx, movie_vars))
    cursor = ZERO
    previous: SceneTiming | None = None
    for scene in scenes:
        if previous is not None:
            scene.overlap = xfade_overlap(
                previous.length, scene.length, scene.props.get("transition"), scene.path
            )
            scene.start = (cursor - scene.overlap).at_least(0.0)
        else:
            scene.start = cursor
        cursor = scene.start + scene.length * scene.count
        previous = scene
    raw_elements = doc.get("elements")
    items = raw_elements if isinstance(raw_elements, list) else []
    elements, total = _container(items, "", None, cursor, ctx, movie_vars)
    templated = "template" in doc
    if templated:
        total = Iv.unknown("template: the saved template decides the timing", total.lo)
    return MovieTiming(scenes, elements, total, cursor, templated, frozenset(ctx.used))


class _Scope:
    """The variables visible at one place: the element's, its scene's, the movie's (read-only).

    Made in O(1) per element, however many variables the movie has.
    """

    __slots__ = ("_maps",)

    def __init__(self, *maps: Mapping[Any, Any]) -> None:
        self._maps = maps

    def inner(self, values: Any) -> _Scope:
        """This scope with ``values`` (a ``variables`` object) in front, if it is one."""
        return _Scope(values, *self._maps) if isinstance(values, Mapping) and values else self

    def get(self, name: str) -> Any:
        """The innermost value of ``name``, or None."""
        for values in self._maps:
            if name in values:
                return values[name]
        return None


def _scene(scene: Mapping[str, Any], i: int, ctx: _Context, outer: _Scope) -> SceneTiming:
    path = f"scenes[{i}]"
    variables = outer.inner(scene.get("variables"))
    explicit: Iv | None = None
    value = scene.get("duration")
    if value is not None and value != -1:
        expr = parse_wire(value)
        if expr is None:
            explicit = Iv.unknown(
                f"{path}.duration: {short_value(value)} is decided by the service", 0.0
            )
        else:
            explicit = evaluate(expr, lambda name: _variable(name, variables, path)).at_least(0.0)
    raw = scene.get("elements")
    items = raw if isinstance(raw, list) else []
    elements, length = _container(items, path, explicit, None, ctx, variables)
    count = Iv.of(1.0)
    if "iterate" in scene:
        name = scene.get("iterate")
        array = variables.get(name) if isinstance(name, str) else None
        count = (
            Iv.of(float(len(array)))
            if isinstance(array, list) and not ctx.has_placeholder(array)
            else Iv.unknown(f"{path}: repeated once per item of {short_value(name)} (iterate)")
        )
    if "condition" in scene:
        count = count * Iv.unknown(f"{path}: may be skipped (condition)", 0.0, 1.0)
    return SceneTiming(path, i, scene, length, explicit is not None, elements, count=count)


def _variable(name: str, variables: _Scope, path: str) -> Iv:
    value = variables.get(name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Iv.of(to_float(value))
    if isinstance(value, str):
        expr = parse_wire(value)
        if isinstance(expr, Num):
            return Iv.of(expr.value)
    return Iv.unknown(f"variable '{name}' (at {path}) is decided by the service")


def _duration_mode(props: Mapping[str, Any], kind: str) -> str:
    """ "fit", "natural" or "value" for an element's duration."""
    value = props.get("duration")
    if kind == "subtitles":
        return "fit"
    if value is None:
        if kind in CONTAINER_DEFAULT_TYPES or kind in LENGTHLESS_TYPES:
            return "fit"
        return "natural"
    if isinstance(value, bool):
        return "value"
    if value == -2:
        return "fit"
    if value == -1:
        return "fit" if kind in LENGTHLESS_TYPES else "natural"
    return "value"


class _Plan:
    """What one element needs to be resolved, read from its props once."""

    __slots__ = ("record", "mode", "at_end", "exprs", "needs", "cursor", "scope")

    def __init__(self, record: ElementTiming, variables: _Scope) -> None:
        props = record.props
        self.record = record
        self.mode = _duration_mode(props, record.type)
        self.at_end = props.get("start") == -1
        keys = ["extra-time"]
        if not self.at_end:
            keys.append("start")
        if self.mode == "value":
            keys.append("duration")
        self.exprs = {key: parse_wire(props.get(key, 0)) for key in keys}
        self.needs: list[ElementTiming] = []
        self.cursor = 0
        self.scope = variables.inner(props.get("variables"))

    def link(self, ids: Mapping[str, ElementTiming]) -> None:
        """Find the elements of the container this one's expressions refer to."""
        seen: set[int] = set()
        for expr in self.exprs.values():
            if expr is None:
                continue
            for name in names_in(expr):
                split = split_field_name(name)
                other = ids.get(split[0]) if split else None
                if other is not None and other is not self.record and id(other) not in seen:
                    seen.add(id(other))
                    self.needs.append(other)

    def blocker(self) -> ElementTiming | None:
        """The first element this one refers to that is not resolved yet, if any."""
        while self.cursor < len(self.needs) and self.needs[self.cursor].resolved:
            self.cursor += 1
        return self.needs[self.cursor] if self.cursor < len(self.needs) else None


def _container(
    items: Sequence[Any],
    prefix: str,
    explicit: Iv | None,
    floor: Iv | None,
    ctx: _Context,
    variables: _Scope,
) -> tuple[list[ElementTiming], Iv]:
    """Resolve one container's elements; return them and the container's length.

    Each element is resolved once everything it refers to is: an element waiting
    for another is queued behind it, so the work is linear in the container's
    size whatever the order of its references (later elements, chains, cycles).
    """
    records: list[ElementTiming] = []
    for j, item in enumerate(items):
        props: Mapping[str, Any] = item if isinstance(item, Mapping) else {}
        kind = props.get("type")
        records.append(
            ElementTiming(
                f"{prefix}.elements[{j}]" if prefix else f"elements[{j}]",
                j,
                kind if isinstance(kind, str) else "unknown",
                props,
                optional="condition" in props,
            )
        )
    ids: dict[str, ElementTiming] = {}
    for record in records:
        ident = record.props.get("id")
        if isinstance(ident, str):
            ids[ident] = record
    plans = [_Plan(record, variables) for record in records]
    for plan in plans:
        plan.link(ids)

    def run(chosen: Iterable[int], base: Iv, fit_len: Iv | None, *, force: bool) -> None:
        members = [j for j in chosen if not records[j].resolved]
        waiting: dict[int, list[int]] = {}
        queue = deque(members)
        while queue:
            j = queue.popleft()
            if records[j].resolved:
                continue
            blocker = plans[j].blocker()
            if blocker is not None:
                waiting.setdefault(id(blocker), []).append(j)
                continue
            _resolve(plans[j], ids, ctx, base, fit_len)
            queue.extend(waiting.pop(id(records[j]), ()))
        if force:  # what is left refers to a later element or is part of a cycle
            for j in members:
                if not records[j].resolved:
                    _resolve(plans[j], ids, ctx, base, fit_len)

    n = len(records)
    zero = floor if floor is not None else ZERO
    fits = [plan.mode == "fit" for plan in plans]
    # 1. elements with their own start and a length of their own
    run((j for j in range(n) if not fits[j] and not plans[j].at_end), zero, None, force=False)
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
                dropped = Deps.of(f"{record.path}: condition")
                end = Iv(min(end.lo, floor.lo), end.hi, end.deps | dropped)
            latest = latest.max(end)
    return latest


def _resolve(
    plan: _Plan,
    ids: Mapping[str, ElementTiming],
    ctx: _Context,
    base: Iv,
    fit_len: Iv | None,
) -> None:
    """Resolve ``plan``'s element; what it refers to that is unresolved is unknown."""
    record = plan.record
    path = record.path

    def lookup(name: str) -> Iv:
        split = split_field_name(name)
        other = ids.get(split[0]) if split else None
        if other is None or split is None:
            return _variable(name, plan.scope, path)
        if other is record:
            return Iv.unknown(f"{path} refers to its own timing")
        if not other.resolved:
            return Iv.unknown(
                f"{path} refers to {other.path}, which is not resolved "
                "before it (a later element or a cycle)",
                -INF,
            )
        return other.field(split[1])

    def value_of(key: str) -> Iv:
        expr = plan.exprs[key]
        if expr is None:
            shown = short_value(record.props.get(key))
            return Iv.unknown(f"{path}.{key}: {shown} is decided by the service")
        return evaluate(expr, lookup)

    if plan.at_end:
        start = (
            base
            if not ctx.strict
            else Iv.unknown(f"{path}: start at the container's end (decided by the service)")
        )
    else:
        start = value_of("start").at_least(0.0)
    extra = value_of("extra-time")
    if plan.mode == "fit":
        record.fitted = True
        if ctx.strict or fit_len is None:
            duration = Iv.unknown(f"{path}: the container's length (decided by the service)")
        else:
            duration = (fit_len - start).at_least(0.0)
    elif plan.mode == "natural":
        duration = _natural(record, ctx)
    else:
        duration = value_of("duration").at_least(0.0)
    record.start, record.duration, record.extra = start, duration, extra
    record.end = (start + duration + extra).at_least(0.0)
    record.resolved = True


def _natural(record: ElementTiming, ctx: _Context) -> Iv:
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
            f"{record.path}: loop {short_value(loop)} without a duration may play once "
            f"or {short_value(loop)} times (give it a duration)",
            1.0,
            to_float(loop),
        )
        length = length * plays
    return length
