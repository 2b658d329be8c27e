"""Time expressions: place an element relative to others in the same container.

Users write::

    voice = Voice("Welcome to the show")
    title = Text("Welcome").after(voice, gap=0.5)          # starts 0.5 s after the voice ends
    logo = Image("logo.png").with_(voice).until(voice)     # shown exactly while the voice plays
    scene = Scene().add(voice, title, logo)

``voice.time.end`` (and ``.start``, ``.duration``, ``.extra_time``) are
:class:`TimeExpr` values; they combine with ``+ - * /`` and :func:`tmin` /
:func:`tmax`. An expression lives in the element's ``start`` / ``duration`` /
``extra-time`` property until :meth:`Movie.to_dict` compiles it (:func:`lower`):

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
both elements. Length hints (:meth:`Element.length_hint`) never change what is
sent: they only feed :meth:`Movie.timeline`.

This module also parses the subset of the service's ``{{ }}`` expressions the
timing engine evaluates (numbers, names, ``+ - * /``, parentheses, ``min`` /
``max``), so a compiled document's timeline can be computed from its JSON alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from moviekit._errors import BuildError

if TYPE_CHECKING:  # pragma: no cover - hints only; _builders imports this module
    from moviekit.builders._movie import Movie

__all__ = [
    "FIELDS",
    "LENGTH_HINT",
    "PREVIOUS",
    "SELF",
    "TimeExpr",
    "TimeRefs",
    "lower",
    "parse",
    "render",
    "sequence",
    "tmax",
    "tmin",
]

#: timing fields of an element, as the service names them in ``ID_<field>`` variables
FIELDS = ("start", "end", "duration", "extratime")
#: the element properties that may hold a :class:`TimeExpr` (wire names)
TIMED_PROPS = ("start", "duration", "extra-time")


class _HintKey:
    """The key under which a length hint sits in an element's properties (never sent)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "length_hint"


#: ``_props`` key of the length hint; not a string, so it can never clash with a wire name
LENGTH_HINT: Any = _HintKey()


class _Pending:
    """Counts compiled elements that still hold a time expression or a hint.

    ``Element._compile`` bumps it (only on its slow path, for elements that carry
    one); ``Movie._compile`` runs :func:`lower` only when the count moved, so
    movies without relative placement pay nothing. The count only grows, so a
    concurrent compile in another thread can at worst cause a needless (no-op)
    lowering pass, never a missed one.
    """

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


PENDING = _Pending()


# =========================================================================== expressions


class TimeExpr:
    """A time in seconds computed from other elements' timing (immutable).

    Build one from ``element.time.end`` and friends; combine with ``+ - * /``,
    :func:`tmin`, :func:`tmax` and numbers. ``str()`` shows it readably.
    """

    __slots__ = ()

    # -- arithmetic ---------------------------------------------------------------------
    def __add__(self, other: object) -> TimeExpr:
        return Bin("+", self, _coerce(other))

    def __radd__(self, other: object) -> TimeExpr:
        return Bin("+", _coerce(other), self)

    def __sub__(self, other: object) -> TimeExpr:
        return Bin("-", self, _coerce(other))

    def __rsub__(self, other: object) -> TimeExpr:
        return Bin("-", _coerce(other), self)

    def __mul__(self, other: object) -> TimeExpr:
        return Bin("*", self, _coerce(other))

    def __rmul__(self, other: object) -> TimeExpr:
        return Bin("*", _coerce(other), self)

    def __truediv__(self, other: object) -> TimeExpr:
        return Bin("/", self, _coerce(other))

    def __rtruediv__(self, other: object) -> TimeExpr:
        return Bin("/", _coerce(other), self)

    def __neg__(self) -> TimeExpr:
        return Bin("-", Num(0.0), self)

    def __bool__(self) -> bool:
        raise TypeError(
            "a time expression has no truth value before compile; compare numbers from "
            "movie.timeline() instead"
        )

    def __repr__(self) -> str:
        return f"TimeExpr({render(self, _repr_name)})"

    __str__ = __repr__

    # -- structure ----------------------------------------------------------------------
    def children(self) -> tuple[TimeExpr, ...]:
        """Sub-expressions (empty for leaves)."""
        return ()

    def walk(self) -> Iterator[TimeExpr]:
        """This node and every node below it, parents first."""
        yield self
        for child in self.children():
            yield from child.walk()


@dataclass(frozen=True, eq=True, repr=False)
class Num(TimeExpr):
    """A number of seconds."""

    value: float


@dataclass(frozen=True, eq=True, repr=False)
class Name(TimeExpr):
    """A service variable by name: ``voice1_end`` or a user variable such as ``pause``."""

    name: str


class _Anchor:
    """A stand-in target resolved by the container at compile time."""

    __slots__ = ("label",)

    def __init__(self, label: str) -> None:
        self.label = label

    def __repr__(self) -> str:
        return self.label


#: the element just before this one in its container (``after_previous``)
PREVIOUS: Any = _Anchor("previous")
#: the element that holds the expression (``until`` needs its own start)
SELF: Any = _Anchor("self")


@dataclass(frozen=True, eq=False, repr=False)
class Ref(TimeExpr):
    """One timing field of another element, held by identity (see the module docs)."""

    target: Any  # an Element builder, PREVIOUS or SELF
    field: str  # one of FIELDS

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and other.target is self.target and other.field == self.field

    def __hash__(self) -> int:
        return hash((id(self.target), self.field))


@dataclass(frozen=True, eq=True, repr=False)
class Bin(TimeExpr):
    """``left op right`` with op one of ``+ - * /``."""

    op: str
    left: TimeExpr
    right: TimeExpr

    def children(self) -> tuple[TimeExpr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, eq=True, repr=False)
class Call(TimeExpr):
    """``min(a, b)`` or ``max(a, b)`` (the two functions the service documents)."""

    fn: str
    args: tuple[TimeExpr, ...]

    def children(self) -> tuple[TimeExpr, ...]:
        return self.args


def _coerce(value: object) -> TimeExpr:
    if isinstance(value, TimeExpr):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        from moviekit.values._values import Expr

        if isinstance(value, Expr):  # a service placeholder such as Var("pause")
            parsed = parse(value.source)
            if parsed is None:
                raise BuildError(
                    f"{value!r} cannot be used in a time expression: only numbers, names, "
                    "+ - * /, min and max are understood"
                )
            return parsed
        raise BuildError(
            f"a time expression takes numbers (seconds), element times or Var(); "
            f"got {type(value).__name__} {value!r}"
        )
    if not math.isfinite(value):
        raise BuildError(f"{value!r} is not a finite number of seconds")
    return Num(float(value))


def tmin(a: TimeExpr | float, b: TimeExpr | float) -> TimeExpr:
    """The earlier of two times: ``tmin(voice.time.end, 10)`` (the service's ``min(a, b)``)."""
    return Call("min", (_coerce(a), _coerce(b)))


def tmax(a: TimeExpr | float, b: TimeExpr | float) -> TimeExpr:
    """The later of two times: ``tmax(voice.time.end, music.time.end)`` (``max(a, b)``)."""
    return Call("max", (_coerce(a), _coerce(b)))


class TimeRefs:
    """``element.time``: the element's timing as expressions (``.start``, ``.end``, ...)."""

    __slots__ = ("_target",)

    def __init__(self, target: Any) -> None:
        self._target = target

    @property
    def start(self) -> TimeExpr:
        """When the element starts, in seconds from its container's start."""
        return Ref(self._target, "start")

    @property
    def end(self) -> TimeExpr:
        """When the element ends (start + duration + extra-time)."""
        return Ref(self._target, "end")

    @property
    def duration(self) -> TimeExpr:
        """How long the element plays, without extra-time."""
        return Ref(self._target, "duration")

    @property
    def extra_time(self) -> TimeExpr:
        """The element's ``extra-time``."""
        return Ref(self._target, "extratime")

    def __repr__(self) -> str:
        return f"TimeRefs({self._target!r})"


# =========================================================================== rendering

_NUMBER_DIGITS = 9  # seconds: nanosecond precision hides float noise such as 0.30000000000000004


def clean_number(value: float) -> float | int:
    """``3.0`` -> ``3``; ``0.30000000000000004`` -> ``0.3`` (what goes on the wire)."""
    value = round(value, _NUMBER_DIGITS)
    return int(value) if value == int(value) and abs(value) < 2**53 else value


def _repr_name(ref: Ref) -> str:
    target = ref.target
    label = target.label if isinstance(target, _Anchor) else type(target).__name__
    return f"{label}.{ref.field}"


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def render(expr: TimeExpr, name_of: Callable[[Ref], str] | None = None) -> str:
    """The expression in the service's syntax (``voice1_end + 0.5``), minimal parentheses."""

    def walk(node: TimeExpr, parent: int, strict_right: bool) -> str:
        if isinstance(node, Num):
            return repr(clean_number(node.value))
        if isinstance(node, Name):
            return node.name
        if isinstance(node, Ref):
            if name_of is None:
                raise BuildError("an element reference cannot be rendered before compile")
            return name_of(node)
        if isinstance(node, Call):
            return f"{node.fn}({', '.join(walk(a, 0, False) for a in node.args)})"
        assert isinstance(node, Bin)
        mine = _PRECEDENCE[node.op]
        text = f"{walk(node.left, mine, False)} {node.op} {walk(node.right, mine, node.op in '-/')}"
        # a - (b + c) and a / (b * c) keep their parentheses; a + (b + c) needs none.
        return f"({text})" if mine < parent or (mine == parent and strict_right) else text

    return walk(expr, 0, False)


# =========================================================================== parsing

_TOKEN = re.compile(r"\s*(?:(\d+\.\d*|\.\d+|\d+)|([A-Za-z_][A-Za-z0-9_]*)|(.))")


def parse(text: str) -> TimeExpr | None:
    """Parse the arithmetic subset of a service expression, or return None.

    Accepts what the body of ``{{ ... }}`` may hold for timing: numbers, names,
    unary minus, ``+ - * /``, parentheses and ``min(a, b)`` / ``max(a, b)``.
    Anything else (comparisons, ternaries, strings) returns None: the value is
    then the service's to decide.
    """
    tokens: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text.strip()):
        number, name, other = match.groups()
        if number is not None:
            tokens.append(("num", number))
        elif name is not None:
            tokens.append(("name", name))
        elif other is not None and other.strip():
            tokens.append(("op", other))
    pos = 0

    def peek() -> tuple[str, str] | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> tuple[str, str]:
        nonlocal pos
        token = tokens[pos]
        pos += 1
        return token

    def expect(op: str) -> None:
        token = peek()
        if token != ("op", op):
            raise ValueError(op)
        take()

    def expression() -> TimeExpr:
        node = term()
        while (token := peek()) is not None and token[0] == "op" and token[1] in "+-":
            take()
            node = Bin(token[1], node, term())
        return node

    def term() -> TimeExpr:
        node = unary()
        while (token := peek()) is not None and token[0] == "op" and token[1] in "*/":
            take()
            node = Bin(token[1], node, unary())
        return node

    def unary() -> TimeExpr:
        token = peek()
        if token == ("op", "-"):
            take()
            return Bin("-", Num(0.0), unary())
        if token == ("op", "+"):
            take()
            return unary()
        return atom()

    def atom() -> TimeExpr:
        if peek() is None:
            raise ValueError("end")
        kind, value = take()
        if kind == "num":
            return Num(float(value))
        if kind == "name":
            if value in ("min", "max") and peek() == ("op", "("):
                take()
                first = expression()
                expect(",")
                second = expression()
                expect(")")
                return Call(value, (first, second))
            return Name(value)
        if value == "(":
            node = expression()
            expect(")")
            return node
        raise ValueError(value)

    if not tokens:
        return None
    try:
        node = expression()
    except (ValueError, IndexError):
        return None
    return node if pos == len(tokens) else None


_PLACEHOLDER = re.compile(r"^\s*\{\{(.*)\}\}\s*$", re.S)
_NUMERIC = re.compile(r"^\s*-?[0-9]+(\.[0-9]+)?\s*$")


def parse_wire(value: Any) -> TimeExpr | None:
    """A timing property's wire value as an expression: numbers, ``"5"``, ``"{{a_end + 1}}"``."""
    if isinstance(value, TimeExpr):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Num(float(value))
    if isinstance(value, str):
        if _NUMERIC.match(value):
            return Num(float(value))
        match = _PLACEHOLDER.match(value)
        if match:
            return parse(match.group(1))
    return None


E_ = TypeVar("E_")

# =========================================================================== element API
# These functions become methods of Element (see moviekit/builders/_elements.py); they live here
# so everything about relative placement is in one module.


def after(element: E_, other: Any, gap: float | TimeExpr = 0) -> E_:
    """Return a copy that starts ``gap`` seconds after ``other`` ends (gap may be negative)."""
    _check_target(other, "after")
    return _set(element, "start", Ref(other, "end") + gap if _nonzero(gap) else Ref(other, "end"))


def with_(element: E_, other: Any, offset: float | TimeExpr = 0) -> E_:
    """Return a copy that starts when ``other`` starts (plus ``offset`` seconds)."""
    _check_target(other, "with_")
    start = Ref(other, "start")
    return _set(element, "start", start + offset if _nonzero(offset) else start)


def until(element: E_, other: Any, gap: float | TimeExpr = 0) -> E_:
    """Return a copy whose duration makes it end when ``other`` ends (plus ``gap``).

    The duration is ``other.end - own start``; ``extra-time``, if any, still
    comes after it.
    """
    _check_target(other, "until")
    duration = Ref(other, "end") - Ref(SELF, "start")
    return _set(element, "duration", duration + gap if _nonzero(gap) else duration)


def after_previous(element: E_, gap: float | TimeExpr = 0) -> E_:
    """Return a copy that starts ``gap`` seconds after the element before it in its container."""
    end = Ref(PREVIOUS, "end")
    return _set(element, "start", end + gap if _nonzero(gap) else end)


def length_hint(element: E_, seconds: float) -> E_:
    """Return a copy that tells the timeline this element's natural length (never sent).

    Use it for a voice-over or a remote video whose length you know; the
    service still measures it, so compiled output does not change.
    """
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, (int, float))
        or not (math.isfinite(seconds) and seconds >= 0)
    ):
        raise BuildError(f"a length hint is a number of seconds >= 0, got {seconds!r}")
    return _set(element, LENGTH_HINT, float(seconds))


def _nonzero(value: float | TimeExpr) -> bool:
    return isinstance(value, TimeExpr) or value != 0


def _check_target(other: Any, method: str) -> None:
    from moviekit.builders._elements import Element

    if not isinstance(other, Element):
        raise BuildError(
            f".{method}() takes the element to place against (e.g. a Voice already built); "
            f"got {type(other).__name__}"
        )
    if other.type == "subtitles":
        raise BuildError(f".{method}(): subtitles have no timing to place against")


def _set(element: E_, key: Any, value: Any) -> E_:
    # _with_prop goes through the generated setter, which keeps canonical order and
    # marks the node so compile looks at it (see _props.to_json_value / _make_setter).
    return cast(E_, cast(Any, element)._with_prop(key, value))


def sequence(
    *elements: Any, gap: float = 0, start: float | TimeExpr | None = None
) -> tuple[Any, ...]:
    """Return the elements placed one after another, ``gap`` seconds apart (a slideshow).

    The first keeps its own start (or gets ``start``); each next one starts when
    the one before it ends. Add the result to a scene as a whole:
    ``scene.add(voice, sequence(img1, img2, img3))``. The returned elements are
    new builders: refer to *them* (``slides[-1].time.end``), not the originals.
    """
    from moviekit.builders._movie import _flatten

    items = _flatten(elements)
    if not items:
        return ()
    for item in items:
        _check_target(item, "sequence")
    first = items[0] if start is None else _set(items[0], "start", start)
    placed = [first]
    for item in items[1:]:
        placed.append(after(item, placed[-1], gap))
    return tuple(placed)


# =========================================================================== lowering


@dataclass
class _Slot:
    """One element of a container during lowering."""

    builder: Any
    out: dict[Any, Any]
    path: str
    exprs: dict[str, TimeExpr]


def _label(builder: Any, path: str) -> str:
    return f"{type(builder).__name__} at {path}"


def lower(movie: Movie, doc: dict[str, Any]) -> dict[str, Any]:
    """Turn time expressions and hints in a freshly compiled ``doc`` into wire values.

    ``doc`` is ``movie``'s own compile output (so ``doc["scenes"][i]["elements"][j]``
    is ``movie.scenes[i].elements[j]``); it is changed in place and returned.
    """
    from moviekit.timing import _engine as _timing

    containers: list[tuple[str, tuple[Any, ...], list[dict[Any, Any]]]] = []
    for i, (scene, scene_out) in enumerate(zip(movie.scenes, doc.get("scenes", ()), strict=True)):
        containers.append((f"scenes[{i}]", scene.elements, scene_out.get("elements", [])))
    containers.append(("", movie.elements, doc.get("elements", [])))

    taken: set[str] = set()
    for _, _, outs in containers:
        for out in outs:
            out.pop(LENGTH_HINT, None)
            if isinstance(out.get("id"), str):
                taken.add(out["id"])

    where: dict[int, str] | None = None  # element identity -> path, built only for errors

    def locate(target: Any) -> str | None:
        nonlocal where
        if where is None:
            where = {}
            for prefix, builders, _ in containers:
                for j, b in enumerate(builders):
                    where.setdefault(
                        id(b), f"{prefix}.elements[{j}]" if prefix else f"elements[{j}]"
                    )
        return where.get(id(target))

    auto_ids: dict[int, str] = {}  # id(out dict) -> auto-assigned id
    counters: dict[str, int] = {}
    touched = False
    for prefix, builders, outs in containers:
        slots = [
            _Slot(
                b,
                o,
                f"{prefix}.elements[{j}]" if prefix else f"elements[{j}]",
                {k: o[k] for k in TIMED_PROPS if isinstance(o.get(k), TimeExpr)},
            )
            for j, (b, o) in enumerate(zip(builders, outs, strict=True))
        ]
        if not any(s.exprs for s in slots):
            continue
        touched = True
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
    if not touched:
        return doc
    # Fold: where the document itself fixes every input, send a plain number.
    resolution = _timing.resolve_document(doc, strict=True)
    still_used: set[str] = set()
    for prefix, _builders, outs in containers:  # noqa: B007 - _builders used for messages
        records = resolution.container(prefix)
        for j, out in enumerate(outs):
            for key in TIMED_PROPS:
                value = out.get(key)
                if not isinstance(value, TimeExpr):
                    continue
                folded = _timing.fold(value, records)
                if isinstance(folded, Num):
                    number = clean_number(folded.value)
                    if number < 0 or (key == "duration" and number == 0):
                        builder = _builders[j]
                        path = f"{prefix}.elements[{j}]" if prefix else f"elements[{j}]"
                        raise BuildError(
                            f"{_label(builder, path)}: its {key} works out to {number} s; "
                            + (
                                "it starts after (or as) the element it lasts until ends"
                                if key == "duration"
                                else "a start cannot be negative"
                            )
                            + ": check the gap and the elements it refers to",
                            path=f"{path}.{key}",
                        )
                    out[key] = number
                else:
                    out[key] = "{{" + render(folded) + "}}"
                    still_used.update(
                        n.name.rsplit("_", 1)[0] for n in folded.walk() if isinstance(n, Name)
                    )
    # Drop ids moviekit added but folding made unnecessary; put kept ones in canonical place.
    for _prefix, _builders, outs in containers:
        for k, out in enumerate(outs):
            auto = auto_ids.get(id(out))
            if auto is not None and auto not in still_used:
                del out["id"]
            elif auto is not None:
                outs[k] = _id_first(out)
    return doc


def _name_for(
    ref: Ref,
    _slot: _Slot,
    slots: list[_Slot],
    counters: MutableMapping[str, int],
    taken: set[str],
    auto_ids: dict[int, str],
) -> str:
    """The service variable for ``ref`` (``voice1_end``), giving its target an id if needed."""
    target = slots[ref.target]
    ident = target.out.get("id")
    if ident is None:
        ident = _new_id(target.builder, counters, taken)
        target.out["id"] = ident
        auto_ids[id(target.out)] = ident
    elif not isinstance(ident, str) or not _ID.match(ident):
        raise BuildError(
            f"{_label(target.builder, target.path)} is referred to by "
            f"{_label(_slot.builder, _slot.path)}, but its id {ident!r} cannot "
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


def _new_id(builder: Any, counters: MutableMapping[str, int], taken: set[str]) -> str:
    base = str(getattr(builder, "type", None) or "element")
    base = re.sub(r"[^A-Za-z0-9_]", "_", base)
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
    locate: Callable[[Any], str | None],
    prefix: str,
) -> TimeExpr:
    """Replace element targets by container indexes; inline SELF; check every reference."""
    me = slots[j]
    container = f"{prefix} (a scene)" if prefix else "the movie's elements"

    def go(node: TimeExpr) -> TimeExpr:
        if isinstance(node, Bin):
            return Bin(node.op, go(node.left), go(node.right))
        if isinstance(node, Call):
            return Call(node.fn, tuple(go(a) for a in node.args))
        if not isinstance(node, Ref):
            return node
        target = node.target
        if target is SELF:
            if key == "start":
                raise BuildError(
                    f"{_label(me.builder, me.path)}: its start cannot depend on itself",
                    path=f"{me.path}.start",
                )
            own = me.out.get("start", 0)
            if isinstance(own, TimeExpr):
                return go(own) if node.field == "start" else _self_error(me, node)
            if node.field != "start":
                return _self_error(me, node)
            if own == -1:
                raise BuildError(
                    f"{_label(me.builder, me.path)}: until() needs a start moviekit can "
                    "express; it cannot be combined with start=CONTAINER_END",
                    path=f"{me.path}.start",
                )
            parsed = parse_wire(own)
            if parsed is None:
                raise BuildError(
                    f"{_label(me.builder, me.path)}: its start {own!r} cannot be "
                    "used in a time expression",
                    path=f"{me.path}.start",
                )
            return parsed
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
            if _refers_to(other, j, slots, index, set()):
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

    return go(expr)


def _self_error(slot: _Slot, ref: Ref) -> TimeExpr:
    raise BuildError(
        f"{_label(slot.builder, slot.path)}: only its own start may be used in its "
        f"duration, not its {ref.field}",
        path=slot.path,
    )


def _refers_to(
    slot: _Slot, target: int, slots: list[_Slot], index: Mapping[int, int], seen: set[int]
) -> bool:
    """Does ``slot`` (transitively, through builder references) refer to slot ``target``?"""
    for expr in slot.exprs.values():
        for node in expr.walk():
            if not isinstance(node, Ref):
                continue
            found = node.target if isinstance(node.target, int) else index.get(id(node.target))
            if found is None or found in seen:
                continue
            if found == target:
                return True
            seen.add(found)
            if _refers_to(slots[found], target, slots, index, seen):
                return True
    return False


def _to_names(expr: TimeExpr, name_of: Callable[[Ref], str]) -> TimeExpr:
    if isinstance(expr, Ref):
        return Name(name_of(expr))
    if isinstance(expr, Bin):
        return Bin(expr.op, _to_names(expr.left, name_of), _to_names(expr.right, name_of))
    if isinstance(expr, Call):
        return Call(expr.fn, tuple(_to_names(a, name_of) for a in expr.args))
    return expr


def names_in(expr: TimeExpr) -> Iterable[str]:
    """Every variable name an expression uses."""
    return (n.name for n in expr.walk() if isinstance(n, Name))
