"""Time expressions: the values relative placement is written in, and the service's syntax.

``voice.time.end`` (and ``.start``, ``.duration``, ``.extra_time``) are
:class:`TimeExpr` values; they combine with ``+ - * /`` and :func:`tmin` /
:func:`tmax`. Placement (:mod:`moviekit.timing._place`) stores them in an
element's ``start`` / ``duration`` / ``extra-time`` until compile lowers them
to numbers or to the service's ``{{voice1_end + 0.5}}`` variables.

This module also reads the subset of the service's ``{{ }}`` expressions the
timing engine evaluates (numbers, names, ``+ - * /``, parentheses, ``min`` /
``max``), so a document's timeline can be computed from its JSON alone.

Every walk over an expression here is iterative, and every one is linear in the
expression's size: a document may hold ``((((...))))`` 10,000 deep or a sum of
100,000 terms, and must get an answer, not a ``RecursionError``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, TypeVar

from moviekit._errors import BuildError
from moviekit.timing._numbers import MAX_SECONDS, short_value, to_float
from moviekit.values._values import Expr

__all__ = [
    "FIELDS",
    "PREVIOUS",
    "SELF",
    "Bin",
    "Call",
    "Name",
    "Num",
    "Ref",
    "TimeExpr",
    "TimeRefs",
    "clean_number",
    "coerce",
    "names_in",
    "parse",
    "parse_wire",
    "postorder",
    "render",
    "tmax",
    "tmin",
]

#: timing fields of an element, as the service names them in ``ID_<field>`` variables
FIELDS = ("start", "end", "duration", "extratime")

# =========================================================================== the nodes


class TimeExpr:
    """A time in seconds computed from other elements' timing (immutable).

    Build one from ``element.time.end`` and friends; combine with ``+ - * /``,
    :func:`tmin`, :func:`tmax` and numbers. ``str()`` shows it readably.
    """

    __slots__ = ("_hash",)

    _hash: int

    # -- arithmetic ---------------------------------------------------------------------
    def __add__(self, other: object) -> TimeExpr:
        return Bin("+", self, coerce(other))

    def __radd__(self, other: object) -> TimeExpr:
        return Bin("+", coerce(other), self)

    def __sub__(self, other: object) -> TimeExpr:
        return Bin("-", self, coerce(other))

    def __rsub__(self, other: object) -> TimeExpr:
        return Bin("-", coerce(other), self)

    def __mul__(self, other: object) -> TimeExpr:
        return Bin("*", self, coerce(other))

    def __rmul__(self, other: object) -> TimeExpr:
        return Bin("*", coerce(other), self)

    def __truediv__(self, other: object) -> TimeExpr:
        return Bin("/", self, coerce(other))

    def __rtruediv__(self, other: object) -> TimeExpr:
        return Bin("/", coerce(other), self)

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

    def _label(self) -> object:
        """What, besides the children, makes two nodes of one class equal."""
        raise NotImplementedError

    def walk(self) -> Iterator[TimeExpr]:
        """This node and every node below it, parents first."""
        stack: list[TimeExpr] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children()))

    # Equality is structural and iterative (a deep tree must not recurse); the hash
    # is computed once, from the children's, when a node is made.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TimeExpr):
            return NotImplemented
        pairs: list[tuple[TimeExpr, TimeExpr]] = [(self, other)]
        while pairs:
            a, b = pairs.pop()
            if a is b:
                continue
            if type(a) is not type(b) or a._hash != b._hash or a._label() != b._label():
                return False
            kids_a, kids_b = a.children(), b.children()
            if len(kids_a) != len(kids_b):
                return False
            pairs.extend(zip(kids_a, kids_b, strict=True))
        return True

    def __hash__(self) -> int:
        return self._hash


class Num(TimeExpr):
    """A number of seconds."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = value
        self._hash = hash(("num", value))

    def _label(self) -> object:
        return self.value


class Name(TimeExpr):
    """A service variable by name: ``voice1_end`` or a user variable such as ``pause``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name
        self._hash = hash(("name", name))

    def _label(self) -> object:
        return self.name


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


class Ref(TimeExpr):
    """One timing field of another element, held by identity (see :mod:`._place`).

    ``target`` is an element builder, :data:`PREVIOUS` or :data:`SELF`, or, once
    compile has bound it, the target's index in its container.
    """

    __slots__ = ("target", "field")

    def __init__(self, target: Any, field: str) -> None:
        self.target = target
        self.field = field  # one of FIELDS
        self._hash = hash(("ref", self._identity(), field))

    def _identity(self) -> object:
        # Builders compare by identity (see the module docs); bound indexes by value.
        return self.target if type(self.target) is int else id(self.target)

    def _label(self) -> object:
        return (self._identity(), self.field)


class Bin(TimeExpr):
    """``left op right`` with op one of ``+ - * /``."""

    __slots__ = ("op", "left", "right")

    def __init__(self, op: str, left: TimeExpr, right: TimeExpr) -> None:
        self.op = op
        self.left = left
        self.right = right
        self._hash = hash((op, left._hash, right._hash))

    def children(self) -> tuple[TimeExpr, ...]:
        return (self.left, self.right)

    def _label(self) -> object:
        return self.op


class Call(TimeExpr):
    """``min(a, b)`` or ``max(a, b)`` (the two functions the service documents)."""

    __slots__ = ("fn", "args")

    def __init__(self, fn: str, args: tuple[TimeExpr, ...]) -> None:
        self.fn = fn
        self.args = args
        self._hash = hash((fn, *(a._hash for a in args)))

    def children(self) -> tuple[TimeExpr, ...]:
        return self.args

    def _label(self) -> object:
        return self.fn


R = TypeVar("R")


def postorder(
    expr: TimeExpr,
    leaf: Callable[[TimeExpr], R],
    node: Callable[[TimeExpr, list[R]], R],
) -> R:
    """Fold ``expr`` bottom-up without recursion: ``leaf(n)`` for leaves, ``node(n, results)``.

    ``results`` are the children's values, in order. Linear in the expression's size.
    """
    results: list[R] = []
    stack: list[tuple[TimeExpr, bool]] = [(expr, False)]
    while stack:
        current, visited = stack.pop()
        kids = current.children()
        if not kids:
            results.append(leaf(current))
        elif visited:
            values = results[-len(kids) :]
            del results[-len(kids) :]
            results.append(node(current, values))
        else:
            stack.append((current, True))
            stack.extend((kid, False) for kid in reversed(kids))
    return results[0]


def rebuild(node: TimeExpr, kids: list[TimeExpr]) -> TimeExpr:
    """``node`` with new children (for :func:`postorder` transforms)."""
    if isinstance(node, Bin):
        left, right = kids
        return node if left is node.left and right is node.right else Bin(node.op, left, right)
    assert isinstance(node, Call)
    return Call(node.fn, tuple(kids))


def names_in(expr: TimeExpr) -> Iterator[str]:
    """Every variable name an expression uses."""
    return (n.name for n in expr.walk() if isinstance(n, Name))


# =========================================================================== building


def coerce(value: object) -> TimeExpr:
    """``value`` as a time expression: a :class:`TimeExpr`, a number of seconds or a ``Var``."""
    if isinstance(value, TimeExpr):
        return value
    if isinstance(value, Expr):  # a service placeholder such as Var("pause")
        parsed = parse(value.source)
        if parsed is None:
            raise BuildError(
                f"{value!r} cannot be used in a time expression: only numbers, names, "
                "+ - * /, min and max are understood"
            )
        for leaf in parsed.walk():
            if isinstance(leaf, Num) and not abs(leaf.value) <= MAX_SECONDS:
                raise BuildError(f"{value!r} holds a number beyond {MAX_SECONDS:g} s")
        return parsed
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BuildError(
            f"a time expression takes numbers (seconds), element times or Var(); "
            f"got {type(value).__name__} {short_value(value)}"
        )
    seconds = to_float(value)
    if not abs(seconds) <= MAX_SECONDS:  # also NaN
        raise BuildError(
            f"{short_value(value)} is not a number of seconds moviekit can compute with "
            f"(a finite number up to {MAX_SECONDS:g})"
        )
    return Num(seconds)


def tmin(a: TimeExpr | float, b: TimeExpr | float) -> TimeExpr:
    """The earlier of two times: ``tmin(voice.time.end, 10)`` (the service's ``min(a, b)``)."""
    return Call("min", (coerce(a), coerce(b)))


def tmax(a: TimeExpr | float, b: TimeExpr | float) -> TimeExpr:
    """The later of two times: ``tmax(voice.time.end, music.time.end)`` (``max(a, b)``)."""
    return Call("max", (coerce(a), coerce(b)))


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
    if not math.isfinite(value):
        return value
    value = round(value, _NUMBER_DIGITS)
    return int(value) if value == int(value) and abs(value) < 2**53 else value


def _number_text(value: float) -> str:
    # The service's expressions have no exponent notation: 1e+16 is written out.
    text = repr(clean_number(value))
    return format(Decimal(text), "f") if "e" in text and math.isfinite(value) else text


def _repr_name(ref: Ref) -> str:
    target = ref.target
    label = target.label if isinstance(target, _Anchor) else type(target).__name__
    return f"{label}.{ref.field}"


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def render(expr: TimeExpr, name_of: Callable[[Ref], str] | None = None) -> str:
    """The expression in the service's syntax (``voice1_end + 0.5``), minimal parentheses."""
    out: list[str] = []
    # Items: text to emit as is, or (node, parent precedence, is a right operand of - or /).
    stack: list[str | tuple[TimeExpr, int, bool]] = [(expr, 0, False)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node, parent, strict_right = item
        if isinstance(node, Num):
            out.append(_number_text(node.value))
        elif isinstance(node, Name):
            out.append(node.name)
        elif isinstance(node, Ref):
            if name_of is None:
                raise BuildError("an element reference cannot be rendered before compile")
            out.append(name_of(node))
        elif isinstance(node, Call):
            stack.append(")")
            for i, arg in enumerate(reversed(node.args)):
                stack.append((arg, 0, False))
                if i < len(node.args) - 1:
                    stack.append(", ")
            stack.append(f"{node.fn}(")
        else:
            assert isinstance(node, Bin)
            mine = _PRECEDENCE[node.op]
            # a - (b + c) and a / (b * c) keep their parentheses; a + (b + c) needs none.
            wrap = mine < parent or (mine == parent and strict_right)
            if wrap:
                stack.append(")")
            # a + (0 - b) is how "a + -b" parses: keep its parentheses so it reads back as it was
            negation = (
                isinstance(node.right, Bin)
                and node.right.op == "-"
                and isinstance(node.right.left, Num)
                and node.right.left.value == 0
            )
            stack.append((node.right, mine, node.op in "-/" or negation))
            stack.append(f" {node.op} ")
            stack.append((node.left, mine, False))
            if wrap:
                stack.append("(")
    return "".join(out)


# =========================================================================== parsing

_TOKEN = re.compile(r"\s*(?:(\d+\.\d*|\.\d+|\d+)|([A-Za-z_][A-Za-z0-9_]*)|(.))", re.S)
_UNARY = "neg"  # the unary minus on the operator stack
_BINARY_RANK = {"+": 1, "-": 1, "*": 2, "/": 2, _UNARY: 3}


class _Open:
    """A ``(`` on the operator stack; ``call`` names the function it opens, if any."""

    __slots__ = ("call", "args")

    def __init__(self, call: str | None) -> None:
        self.call = call
        self.args = 1


def parse(text: str) -> TimeExpr | None:
    """Parse the arithmetic subset of a service expression, or return None.

    Accepts what the body of ``{{ ... }}`` may hold for timing: numbers, names,
    unary minus, ``+ - * /``, parentheses and ``min(a, b)`` / ``max(a, b)``.
    Anything else (comparisons, ternaries, strings) returns None: the value is
    then the service's to decide. An operator-precedence parser with explicit
    stacks: linear, and no nesting depth makes it recurse.
    """
    output: list[TimeExpr] = []
    ops: list[str | _Open] = []

    def apply(op: str) -> bool:
        if op == _UNARY:
            if not output:
                return False
            output.append(Bin("-", Num(0.0), output.pop()))
            return True
        if len(output) < 2:
            return False
        right = output.pop()
        output.append(Bin(op, output.pop(), right))
        return True

    def unwind_to_open() -> _Open | None:
        while ops and isinstance(ops[-1], str):
            if not apply(ops.pop()):  # type: ignore[arg-type]
                return None
        top = ops[-1] if ops else None
        return top if isinstance(top, _Open) else None

    tokens = _TOKEN.finditer(text)
    expect_operand = True
    pending_call: str | None = None  # "min" / "max" just read; "(" must follow
    for match in tokens:
        number, name, other = match.groups()
        if other is not None and not other.strip():
            continue
        if pending_call is not None:
            if other != "(":
                output.append(Name(pending_call))
                pending_call = None
                expect_operand = False
            else:
                ops.append(_Open(pending_call))
                pending_call = None
                continue
        if expect_operand:
            if number is not None:
                output.append(Num(float(number)))
                expect_operand = False
            elif name is not None:
                if name in ("min", "max"):
                    pending_call = name
                else:
                    output.append(Name(name))
                    expect_operand = False
            elif other == "(":
                ops.append(_Open(None))
            elif other == "-":
                ops.append(_UNARY)
            elif other != "+":  # a unary plus changes nothing
                return None
            continue
        if other in _PRECEDENCE:
            rank = _BINARY_RANK[other]
            while ops and isinstance(ops[-1], str) and _BINARY_RANK[ops[-1]] >= rank:
                if not apply(ops.pop()):  # type: ignore[arg-type]
                    return None
            ops.append(other)
            expect_operand = True
        elif other == ")":
            opened = unwind_to_open()
            if opened is None or (opened.call is not None and opened.args != 2):
                return None
            ops.pop()
            if opened.call is not None:
                second, first = output.pop(), output.pop()
                output.append(Call(opened.call, (first, second)))
        elif other == ",":
            opened = unwind_to_open()
            if opened is None or opened.call is None or opened.args != 1:
                return None
            opened.args = 2
            expect_operand = True
        else:
            return None
    if pending_call is not None:
        output.append(Name(pending_call))
        expect_operand = False
    if expect_operand:
        return None  # empty, or ends with an operator
    while ops:
        op = ops.pop()
        if isinstance(op, _Open) or not apply(op):
            return None
    return output[0] if len(output) == 1 else None


_PLACEHOLDER = re.compile(r"^\s*\{\{(.*)\}\}\s*$", re.S)
_NUMERIC = re.compile(r"^\s*-?[0-9]+(\.[0-9]+)?\s*$")


def parse_wire(value: Any) -> TimeExpr | None:
    """A timing property's wire value as an expression: numbers, ``"5"``, ``"{{a_end + 1}}"``.

    Never raises: what it cannot read (a list, a comparison) is None. Numbers
    beyond what a float holds become ``±inf``; the engine reads those as "a time
    beyond :data:`MAX_SECONDS`".
    """
    if isinstance(value, TimeExpr):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Num(to_float(value))
    if isinstance(value, str):
        if _NUMERIC.match(value):
            return Num(float(value))
        match = _PLACEHOLDER.match(value)
        if match:
            return parse(match.group(1))
    return None
