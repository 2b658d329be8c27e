"""Relative placement: place an element relative to others in the same container.

Users write::

    voice = Voice("Welcome to the show")
    title = Text("Welcome").after(voice, gap=0.5)          # starts 0.5 s after the voice ends
    logo = Image("logo.png").with_(voice).until(voice)     # shown exactly while the voice plays
    scene = Scene().add(voice, title, logo)

The element methods (``after``, ``with_``, ``until``, ``after_previous``) store
a :class:`~moviekit.timing._expr.TimeExpr` in the element's ``start`` or
``duration``; compile calls :func:`lower`, which turns it into wire values:

* every input fixed by the document itself (explicit starts and durations) ->
  a plain number;
* otherwise (a natural length only the service knows: a voice-over, a remote
  video) -> the service's own element timing variables, e.g.
  ``"start": "{{voice1_end + 0.5}}"`` (reference §5.2a), and the referenced
  element gets a valid id (``voice1``) when it has none.

References are by **identity**: builders are values, so "the voice" means the
very object added to the scene. ``title.after(voice)`` followed by
``voice = voice.volume(0.5)`` refers to the *old* voice; compile then says the
referenced Voice is not in this scene. A reference to an element of another
scene, to a later element, or a cycle is a :class:`~moviekit.BuildError` naming
both elements. Length hints (``Element.length_hint``) never change what is
sent: they only feed the timeline.

This module never imports the builders: :func:`lower` works on the compiled
document plus, for each container, the builders behind its elements (opaque
objects, compared by identity).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from moviekit._errors import BuildError
from moviekit.timing._engine import ElementTiming, resolve_document, split_field_name
from moviekit.timing._expr import (
    PREVIOUS,
    SELF,
    Bin,
    Call,
    Name,
    Num,
    Ref,
    TimeExpr,
    TimeRefs,
    clean_number,
    names_in,
    parse_wire,
    postorder,
    rebuild,
    render,
)
from moviekit.timing._interval import Iv, evaluate
from moviekit.timing._numbers import MAX_SECONDS, as_seconds, short_value

__all__ = [
    "LENGTH_HINT",
    "TIMED_PROPS",
    "after",
    "after_previous",
    "check_length_hint",
    "fold",
    "lower",
    "sequence",
    "until",
    "with_",
]

#: the element properties that may hold a :class:`TimeExpr` (wire names)
TIMED_PROPS = ("start", "duration", "extra-time")


class _HintKey:
    """The key under which a length hint sits in an element's properties (never sent)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "length_hint"


#: ``_props`` key of the length hint; not a string, so it can never clash with a wire name
LENGTH_HINT: Any = _HintKey()

E_ = TypeVar("E_")


# =========================================================================== element API
# These functions are the bodies of Element's methods (moviekit/builders/_elements.py);
# they live here so everything about relative placement is in one module.


def after(element: E_, other: Any, gap: float | TimeExpr = 0) -> E_:
    """Return a copy that starts ``gap`` seconds after ``other`` ends (gap may be negative)."""
    _check_target(other, "after")
    return _placed(element, "start", _plus(Ref(other, "end"), gap))


def with_(element: E_, other: Any, offset: float | TimeExpr = 0) -> E_:
    """Return a copy that starts when ``other`` starts (plus ``offset`` seconds)."""
    _check_target(other, "with_")
    return _placed(element, "start", _plus(Ref(other, "start"), offset))


def until(element: E_, other: Any, gap: float | TimeExpr) -> E_:
    """Return a copy whose duration makes it end when ``other`` ends (plus ``gap``).

    The duration is ``other.end - own start``; ``extra-time``, if any, still
    comes after it.
    """
    _check_target(other, "until")
    return _placed(element, "duration", _plus(Ref(other, "end") - Ref(SELF, "start"), gap))


def after_previous(element: E_, gap: float | TimeExpr = 0) -> E_:
    """Return a copy that starts ``gap`` seconds after the element before it in its container."""
    return _placed(element, "start", _plus(Ref(PREVIOUS, "end"), gap))


def check_length_hint(seconds: object) -> float:
    """``seconds`` as a length hint (a number of seconds >= 0), or a :class:`BuildError`.

    The hint is stored under :data:`LENGTH_HINT` by ``Element.length_hint``;
    compile takes it out of the document and hands it to the timeline.
    """
    value = as_seconds(seconds)
    if value is None:
        raise BuildError(
            f"a length hint is a number of seconds from 0 to {MAX_SECONDS:g}, "
            f"got {short_value(seconds)}"
        )
    return value


def _plus(expr: TimeExpr, gap: float | TimeExpr) -> TimeExpr:
    return expr + gap if isinstance(gap, TimeExpr) or gap != 0 else expr


def _placed(element: E_, prop: str, value: object) -> E_:
    # The public setter (element.start / element.duration) keeps canonical order.
    return cast(E_, getattr(element, prop)(value))


def _check_target(other: Any, method: str) -> None:
    # Anything with element timing (``.time``) can be placed against; builders are
    # not imported here (timing sits below them).
    if getattr(other, "type", None) == "subtitles":
        raise BuildError(f".{method}(): subtitles have no timing to place against")
    if not isinstance(getattr(other, "time", None), TimeRefs):
        raise BuildError(
            f".{method}() takes the element to place against (e.g. a Voice already built); "
            f"got {type(other).__name__}"
        )


def sequence(
    *elements: Any, gap: float = 0, start: float | TimeExpr | None = None
) -> tuple[Any, ...]:
    """Return the elements placed one after another, ``gap`` seconds apart (a slideshow).

    The first keeps its own start (or gets ``start``); each next one starts when
    the one before it ends. Add the result to a scene as a whole:
    ``scene.add(voice, sequence(img1, img2, img3))``. The returned elements are
    new builders: refer to *them* (``slides[-1].time.end``), not the originals.
    """
    items = [
        item
        for group in elements
        for item in (
            group
            if isinstance(group, Iterable) and not isinstance(group, (str, bytes, Mapping))
            else (group,)
        )
    ]
    if not items:
        return ()
    for item in items:
        _check_target(item, "sequence")
    first = items[0] if start is None else _placed(items[0], "start", start)
    placed = [first]
    for item in items[1:]:
        placed.append(after(item, placed[-1], gap))
    return tuple(placed)


# =========================================================================== lowering

#: one container of a compiled document: its path prefix (``scenes[0]``, or ``""``
#: for the movie's own elements) and the builders behind its elements, in order
Container = tuple[str, Sequence[object]]


@dataclass
class _Slot:
    """One element of a container during lowering."""

    builder: object
    out: dict[Any, Any]
    path: str
    exprs: dict[str, TimeExpr]


def _label(builder: object, path: str) -> str:
    return f"{type(builder).__name__} at {path}"


def _element_path(prefix: str, j: int) -> str:
    return f"{prefix}.elements[{j}]" if prefix else f"elements[{j}]"


def _outputs(doc: Mapping[str, Any], prefix: str) -> list[dict[Any, Any]]:
    if not prefix:
        return cast(list[dict[Any, Any]], doc.get("elements", []))
    scene = doc["scenes"][int(prefix[len("scenes[") : -1])]
    return cast(list[dict[Any, Any]], scene.get("elements", []))


def lower(doc: dict[str, Any], containers: Sequence[Container]) -> dict[str, Any]:
    """Turn the time expressions in a freshly compiled ``doc`` into wire values.

    ``containers`` is the identity map: for each container of ``doc``, its prefix
    and the builders behind its compiled elements (``doc``'s elements at that
    prefix, in the same order). Expressions sit in the elements' ``start``,
    ``duration`` and ``extra-time``. ``doc`` is changed in place and returned.
    """
    groups = [(prefix, builders, _outputs(doc, prefix)) for prefix, builders in containers]
    taken: set[str] = set()
    for _, _, outs in groups:
        for out in outs:
            if isinstance(out.get("id"), str):
                taken.add(out["id"])

    where: dict[int, str] | None = None  # element identity -> path, built only for errors

    def locate(target: object) -> str | None:
        nonlocal where
        if where is None:
            where = {}
            for prefix, builders, _ in groups:
                for j, b in enumerate(builders):
                    where.setdefault(id(b), _element_path(prefix, j))
        return where.get(id(target))

    auto_ids: dict[int, str] = {}  # id(out dict) -> auto-assigned id
    counters: dict[str, int] = {}
    timed: list[tuple[str, list[_Slot], list[dict[Any, Any]]]] = []
    for prefix, builders, outs in groups:
        slots = [
            _Slot(
                b,
                o,
                _element_path(prefix, j),
                {k: o[k] for k in TIMED_PROPS if isinstance(o.get(k), TimeExpr)},
            )
            for j, (b, o) in enumerate(zip(builders, outs, strict=True))
        ]
        if not any(s.exprs for s in slots):
            continue
        timed.append((prefix, slots, outs))
        index = {id(s.builder): j for j, s in enumerate(slots)}
        for j, slot in enumerate(slots):
            for key, expr in slot.exprs.items():
                slot.exprs[key] = _bind(expr, j, key, slots, index, locate, prefix)
        # Give every referenced element a usable id; map Refs to Names.
        for slot in slots:
            for key, expr in slot.exprs.items():
                slot.out[key] = _to_names(
                    expr,
                    lambda ref, me=slot, all_=slots: _name_for(  # type: ignore[misc]
                        ref, me, all_, counters, taken, auto_ids
                    ),
                )
    if not timed:
        return doc
    # Fold: where the document itself fixes every input, send a plain number.
    resolution = resolve_document(doc, strict=True)
    still_used: set[str] = set()
    for prefix, slots, _ in timed:
        records = resolution.container(prefix)
        known = {
            r.props["id"]: r for r in records if r.resolved and isinstance(r.props.get("id"), str)
        }
        for slot in slots:
            for key in TIMED_PROPS:
                value = slot.out.get(key)
                if not isinstance(value, TimeExpr):
                    continue
                folded = fold(value, known)
                if isinstance(folded, Num):
                    slot.out[key] = _checked_number(folded.value, key, slot)
                else:
                    slot.out[key] = "{{" + render(folded) + "}}"
                    still_used.update(name.rsplit("_", 1)[0] for name in names_in(folded))
    # Drop ids moviekit added but folding made unnecessary; put kept ones in canonical place.
    for _, _, outs in timed:
        for k, out in enumerate(outs):
            auto = auto_ids.get(id(out))
            if auto is not None and auto not in still_used:
                del out["id"]
            elif auto is not None:
                outs[k] = _id_first(out)
    return doc


def _checked_number(value: float, key: str, slot: _Slot) -> float | int:
    number = clean_number(value)
    if number < 0 or (key == "duration" and number == 0):
        raise BuildError(
            f"{_label(slot.builder, slot.path)}: its {key} works out to {number} s; "
            + (
                "it starts after (or as) the element it lasts until ends"
                if key == "duration"
                else "a start cannot be negative"
            )
            + ": check the gap and the elements it refers to",
            path=f"{slot.path}.{key}",
        )
    return number


def _name_for(
    ref: Ref,
    slot: _Slot,
    slots: list[_Slot],
    counters: MutableMapping[str, int],
    taken: set[str],
    auto_ids: dict[int, str],
) -> str:
    """The service variable for ``ref`` (``voice1_end``), giving its target an id if needed."""
    target = slots[ref.target]
    ident = target.out.get("id")
    if ident is None:
        ident = _new_id(target.out.get("type"), counters, taken)
        target.out["id"] = ident
        auto_ids[id(target.out)] = ident
    elif not isinstance(ident, str) or not _ID.match(ident):
        raise BuildError(
            f"{_label(target.builder, target.path)} is referred to by "
            f"{_label(slot.builder, slot.path)}, but its id {short_value(ident)} cannot "
            "be used in a service expression; use letters, digits and '_', "
            "starting with a letter",
            path=f"{target.path}.id",
        )
    return f"{ident}_{ref.field}"


def _id_first(out: dict[Any, Any]) -> dict[Any, Any]:
    # Compiled elements read "type", "id", ...: keep that order for added ids.
    fixed: dict[Any, Any] = (
        {"type": out["type"], "id": out["id"]} if "type" in out else {"id": out["id"]}
    )
    fixed.update((k, v) for k, v in out.items() if k not in fixed)
    return fixed


_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _new_id(kind: object, counters: MutableMapping[str, int], taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_]", "_", kind) if isinstance(kind, str) and kind else "element"
    if not base[0].isalpha():
        base = "element"
    while True:
        counters[base] = counters.get(base, 0) + 1
        candidate = f"{base}{counters[base]}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def _bind(
    expr: TimeExpr,
    j: int,
    key: str,
    slots: list[_Slot],
    index: Mapping[int, int],
    locate: Callable[[object], str | None],
    prefix: str,
) -> TimeExpr:
    """Replace element targets by container indexes; inline SELF; check every reference."""
    me = slots[j]
    container = f"{prefix} (a scene)" if prefix else "the movie's elements"

    def leaf(node: TimeExpr) -> TimeExpr:
        if not isinstance(node, Ref):
            return node
        target = node.target
        if target is SELF:
            return _own_start(
                me, node, key, lambda own: _bind(own, j, "start", slots, index, locate, prefix)
            )
        if target is PREVIOUS:
            if j == 0:
                raise BuildError(
                    f"{_label(me.builder, me.path)} is placed after the previous element, "
                    f"but it is the first element of {container}; give it a start instead",
                    path=f"{me.path}.{key}",
                )
            return Ref(j - 1, node.field)
        found = index.get(id(target))
        if found is None:
            elsewhere = locate(target)
            name = type(target).__name__
            if elsewhere is not None:
                raise BuildError(
                    f"{_label(me.builder, me.path)} refers to the {name} at {elsewhere}, which "
                    f"is in another container; timing variables are only visible inside one "
                    f"scene (or among the movie's own elements): move one of them",
                    path=f"{me.path}.{key}",
                )
            raise BuildError(
                f"{_label(me.builder, me.path)} refers to a {name} that is not in {container}; "
                f"add the same object you refer to (builders are values: a changed copy such "
                f"as voice.volume(0.5) is a different element)",
                path=f"{me.path}.{key}",
            )
        if found == j:
            raise BuildError(
                f"{_label(me.builder, me.path)} refers to its own timing", path=f"{me.path}.{key}"
            )
        if found > j:
            other = slots[found]
            if _refers_to(other, j, slots, index):
                raise BuildError(
                    f"cycle: {_label(me.builder, me.path)} and {_label(other.builder, other.path)} "
                    "are each placed relative to the other; anchor one of them to a number or "
                    "to an earlier element",
                    path=f"{me.path}.{key}",
                )
            raise BuildError(
                f"{_label(me.builder, me.path)} refers to {_label(other.builder, other.path)}, "
                "which comes later in the container; the service resolves timing in order: "
                "add the referenced element before the one that refers to it",
                path=f"{me.path}.{key}",
            )
        return Ref(found, node.field)

    return postorder(expr, leaf, rebuild)


def _own_start(me: _Slot, ref: Ref, key: str, bind: Callable[[TimeExpr], TimeExpr]) -> TimeExpr:
    """What ``until()``'s reference to the element's own start stands for."""
    if key == "start":
        raise BuildError(
            f"{_label(me.builder, me.path)}: its start cannot depend on itself",
            path=f"{me.path}.start",
        )
    if ref.field != "start":
        raise BuildError(
            f"{_label(me.builder, me.path)}: only its own start may be used in its "
            f"duration, not its {ref.field}",
            path=me.path,
        )
    own = me.out.get("start", 0)
    if isinstance(own, TimeExpr):
        return bind(own)  # a start holding SELF again raises above: no loop
    if own == -1:
        raise BuildError(
            f"{_label(me.builder, me.path)}: until() needs a start moviekit can "
            "express; it cannot be combined with start=CONTAINER_END",
            path=f"{me.path}.start",
        )
    parsed = parse_wire(own)
    if parsed is None or any(
        isinstance(n, Num) and not abs(n.value) <= MAX_SECONDS for n in parsed.walk()
    ):
        raise BuildError(
            f"{_label(me.builder, me.path)}: its start {short_value(own)} cannot be "
            "used in a time expression",
            path=f"{me.path}.start",
        )
    return parsed


def _refers_to(slot: _Slot, target: int, slots: list[_Slot], index: Mapping[int, int]) -> bool:
    """Does ``slot`` (transitively, through builder references) refer to slot ``target``?"""
    seen: set[int] = set()
    todo = [slot]
    while todo:
        for expr in todo.pop().exprs.values():
            for node in expr.walk():
                if not isinstance(node, Ref):
                    continue
                found = node.target if isinstance(node.target, int) else index.get(id(node.target))
                if found is None or found in seen:
                    continue
                if found == target:
                    return True
                seen.add(found)
                todo.append(slots[found])
    return False


def _to_names(expr: TimeExpr, name_of: Callable[[Ref], str]) -> TimeExpr:
    return postorder(
        expr, lambda node: Name(name_of(node)) if isinstance(node, Ref) else node, rebuild
    )


def _no_names(name: str) -> Iv:
    return Iv.unknown(f"variable '{name}'")  # fold evaluates numbers only: never called


def fold(expr: TimeExpr, known: Mapping[str, ElementTiming]) -> TimeExpr:
    """Replace ``ID_field`` names with their values where exactly known, then fold constants.

    ``known`` maps ids to resolved elements of the container.
    """

    def leaf(node: TimeExpr) -> TimeExpr:
        if isinstance(node, Name):
            split = split_field_name(node.name)
            record = known.get(split[0]) if split else None
            if record is not None and split is not None:
                value = record.field(split[1])
                if value.exact:
                    return Num(value.lo)
        return node

    def combine(node: TimeExpr, kids: list[TimeExpr]) -> TimeExpr:
        if isinstance(node, Call):
            if all(isinstance(a, Num) for a in kids):
                result = evaluate(Call(node.fn, tuple(kids)), _no_names)
                if result.exact:
                    return Num(result.lo)
            return Call(node.fn, tuple(kids))
        assert isinstance(node, Bin)
        left, right = kids
        if isinstance(left, Num) and isinstance(right, Num):
            result = evaluate(Bin(node.op, left, right), _no_names)
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

    return postorder(expr, leaf, combine)
