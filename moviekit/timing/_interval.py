"""Intervals: a time moviekit knows only within bounds, and what it depends on.

Every timing value is an :class:`Iv` ``[lo, hi]`` with the :class:`Deps` it
depends on that nobody knows offline (a voice-over's length, a variable the
service fills in). A natural length nobody supplied is ``[0, inf)``; ``lo`` is
what the timeline shows; ``exact`` is ``lo == hi``.

Two properties keep hostile documents cheap and safe:

* :class:`Deps` is a persistent union: combining two values is O(1), whatever
  they depend on, and the names are listed only when someone asks. A movie of
  100,000 scenes, each after a voice-over of unknown length, would otherwise
  copy 100,000 growing sets.
* Bounds never overflow into nonsense: a bound beyond :data:`MAX_SECONDS` is
  widened to infinity (a lower bound to at most ``MAX_SECONDS``), with a note in
  ``deps``, and NaN never appears.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterator

from moviekit.timing._expr import Bin, Call, Name, Num, TimeExpr, postorder
from moviekit.timing._numbers import MAX_SECONDS

__all__ = ["INF", "NO_DEPS", "ZERO", "Deps", "Iv", "evaluate"]

INF = math.inf
_BEYOND = f"a time beyond {MAX_SECONDS:g} s (too large to compute with)"
_NAN = "a number that is not a number (NaN, or infinity divided by infinity)"


class Deps:
    """What a value depends on that is unknown: a set of descriptions, shared, built in O(1).

    ``a | b`` makes a node pointing at both; :meth:`names` flattens on first use
    and remembers the result. Iterating, ``len``, ``in`` and ``bool`` read like a set.
    """

    __slots__ = ("_names", "_parts", "flat_children", "_listed")

    def __init__(self, names: frozenset[str] = frozenset(), parts: tuple[Deps, ...] = ()) -> None:
        self._names = names
        self._parts = parts
        self.flat_children: frozenset[str] | None = None if parts else names
        self._listed: tuple[str, ...] | None = None

    @staticmethod
    def of(*names: str) -> Deps:
        """The dependencies named."""
        return Deps(frozenset(names))

    def __or__(self, other: Deps) -> Deps:
        if other is NO_DEPS or other is self:
            return self
        if self is NO_DEPS:
            return other
        if not other:
            return self
        return Deps(parts=(self, other)) if self else other

    def names(self) -> frozenset[str]:
        """Every dependency, flattened (each shared part visited once)."""
        if self.flat_children is None:
            found: set[str] = set()
            seen: set[int] = set()
            stack: list[Deps] = [self]
            while stack:
                node = stack.pop()
                if id(node) in seen:
                    continue
                seen.add(id(node))
                if node.flat_children is not None:
                    found.update(node.flat_children)
                    continue
                found.update(node._names)
                stack.extend(node._parts)
            self.flat_children = frozenset(found)
        return self.flat_children

    def some(self, limit: int) -> tuple[tuple[str, ...], bool]:
        """Up to ``limit`` dependencies and whether there are more; cheap however many there are."""
        if self._listed is not None:
            return self._listed[:limit], len(self._listed) > limit
        # Breadth first: a value's own unknowns sit near the top, what it inherits (the
        # scenes before it) deep down a chain; depth first would walk the whole chain.
        found: dict[str, None] = {}
        seen: set[int] = set()
        queue: deque[Deps] = deque([self])
        while queue:
            node = queue.popleft()
            if id(node) in seen:
                continue
            seen.add(id(node))
            for name in sorted(node._names):  # leaves hold one name or a few
                if len(found) == limit and name not in found:
                    return tuple(found), True
                found[name] = None
            queue.extend(node._parts)
        return tuple(found), False

    def listed(self) -> tuple[str, ...]:
        """Every dependency, sorted (made once)."""
        if self._listed is None:
            self._listed = tuple(sorted(self.names()))
        return self._listed

    def __bool__(self) -> bool:
        return bool(self._names or self._parts)  # parts are never empty

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())

    def __contains__(self, name: object) -> bool:
        return name in self.names()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Deps):
            return self.names() == other.names()
        if isinstance(other, (set, frozenset)):
            return self.names() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.names())

    def __repr__(self) -> str:
        return f"Deps({sorted(self.names())})"


NO_DEPS = Deps()


def _bounded(lo: float, hi: float, deps: Deps) -> Iv:
    """``Iv(lo, hi, deps)`` with bounds kept in range: sound, finite where it matters."""
    if lo >= -MAX_SECONDS and hi <= MAX_SECONDS:  # the common case (False for NaN)
        if lo == hi:
            return Iv(lo, hi, NO_DEPS)  # known exactly after all (e.g. min(unknown, 0))
        return Iv(lo, hi, deps)
    if lo != lo or hi != hi:  # NaN (inf / inf): nothing is known
        return Iv(-INF, INF, deps | Deps.of(_NAN))
    # An unknown's infinite bound is normal; a number that grew beyond the range is noted.
    beyond = (
        lo > MAX_SECONDS or hi < -MAX_SECONDS or -INF < lo < -MAX_SECONDS or MAX_SECONDS < hi < INF
    )
    if lo < -MAX_SECONDS:
        lo = -INF
    elif lo > MAX_SECONDS:
        lo = MAX_SECONDS  # still a true lower bound
    if hi > MAX_SECONDS:
        hi = INF
    elif hi < -MAX_SECONDS:
        hi = -MAX_SECONDS
    return Iv(lo, hi, deps | Deps.of(_BEYOND) if beyond else deps)


class Iv:
    """A time in seconds known to lie in ``[lo, hi]``; ``deps`` names what is unknown.

    A value: never changed after it is made (a plain slotted class because the
    engine makes many, and a frozen dataclass costs three times as much to make).
    """

    __slots__ = ("lo", "hi", "deps")

    def __init__(self, lo: float, hi: float, deps: Deps = NO_DEPS) -> None:
        self.lo = lo
        self.hi = hi
        self.deps = deps

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Iv):
            return NotImplemented
        return (self.lo, self.hi, self.deps) == (other.lo, other.hi, other.deps)

    def __hash__(self) -> int:
        return hash((self.lo, self.hi, self.deps))

    @staticmethod
    def of(value: float) -> Iv:
        """A known value (one beyond :data:`MAX_SECONDS` is only known to be large)."""
        if -MAX_SECONDS <= value <= MAX_SECONDS:
            return Iv(value, value, NO_DEPS)
        return _bounded(value, value, NO_DEPS)

    @staticmethod
    def unknown(dep: str, lo: float = 0.0, hi: float = INF) -> Iv:
        """A value moviekit cannot know offline, because of ``dep``."""
        return Iv(lo, hi, Deps.of(dep))

    @property
    def exact(self) -> bool:
        """True when the value is known exactly."""
        return self.lo == self.hi and math.isfinite(self.lo)

    def _with(self, lo: float, hi: float, other: Iv | None = None) -> Iv:
        if lo == hi and -MAX_SECONDS <= lo <= MAX_SECONDS:  # exact: no dependency left
            return Iv(lo, hi, NO_DEPS)
        return _bounded(lo, hi, self.deps | other.deps if other is not None else self.deps)

    def __add__(self, other: Iv) -> Iv:
        if self.deps is NO_DEPS is other.deps and self.lo == self.hi and other.lo == other.hi:
            return Iv.of(self.lo + other.lo)  # the common case: two known numbers
        return self._with(_add(self.lo, other.lo, -INF), _add(self.hi, other.hi, INF), other)

    def __sub__(self, other: Iv) -> Iv:
        return self._with(_add(self.lo, -other.hi, -INF), _add(self.hi, -other.lo, INF), other)

    def __mul__(self, other: Iv) -> Iv:
        products = [_mul(a, b) for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return self._with(min(products), max(products), other)

    def __truediv__(self, other: Iv) -> Iv:
        if other.lo <= 0 <= other.hi:
            if other.exact:  # x / 0: the service's problem; the value is unknown here
                return Iv(-INF, INF, self.deps | Deps.of("a division by zero"))
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
        if self.lo >= floor:
            return self
        return self._with(floor, max(self.hi, floor))

    def __repr__(self) -> str:
        if self.exact:
            return f"Iv({self.lo:g})"
        return f"Iv({self.lo:g}..{self.hi:g}, deps={sorted(self.deps)})"


ZERO = Iv.of(0.0)


def _add(a: float, b: float, opposite: float) -> float:
    # inf + -inf: a bound that cannot be known; give the widest one for its side.
    total = a + b
    return opposite if total != total else total


def _mul(a: float, b: float) -> float:
    return 0.0 if a == 0 or b == 0 else a * b


def _div(a: float, b: float) -> float:
    if a == 0:
        return 0.0
    quotient = a / b if math.isfinite(b) else 0.0 if math.isfinite(a) else math.copysign(INF, a * b)
    return quotient


#: ``lookup(name) -> Iv``: the value of a variable or an ``ID_field`` name
Lookup = Callable[[str], Iv]


def evaluate(expr: TimeExpr, lookup: Lookup) -> Iv:
    """Evaluate a (Name-based) expression; linear in its size, never recursive."""
    if type(expr) is Num:  # the common case: a plain number of seconds
        return Iv.of(expr.value)

    def leaf(node: TimeExpr) -> Iv:
        if isinstance(node, Num):
            return Iv.of(node.value)
        if isinstance(node, Name):
            return lookup(node.name)
        return Iv.unknown("an element reference that was not compiled")

    def combine(node: TimeExpr, values: list[Iv]) -> Iv:
        if isinstance(node, Call):
            a, b = values
            return a.min(b) if node.fn == "min" else a.max(b)
        assert isinstance(node, Bin)
        left, right = values
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        return left / right

    return postorder(expr, leaf, combine)
