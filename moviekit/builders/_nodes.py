"""The machinery under every builder: declared properties, copy-on-write nodes, child lists.

A builder is a small immutable value: a dict of wire properties plus, for
containers, a persistent list of children. Every chained call returns a new
builder that shares everything it did not change with the old one, the way
SQLAlchemy's generative ``select()`` does.

* :class:`Prop` declares one Movie JSON property on a builder class. The class
  attribute becomes a chaining setter (``Text("hi").start(2)``), the constructor
  accepts it as a keyword (``Text("hi", start=2)``) and the wire name is
  derived from the Python name (``extra_time`` -> ``extra-time``).
* :class:`Node` keeps the properties in a canonical order, so compiled output
  is byte-stable whatever order the calls came in.
* A node's children are a tuple while they are few and a :class:`_Chain`
  beyond that, so ``add()`` is O(1): adding 10,000 children one by one is
  linear, not quadratic, and an earlier builder never sees later additions.
"""

from __future__ import annotations

import difflib
import math
import typing
from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter
from types import MappingProxyType
from typing import Any, ClassVar, Generic, TypeVar, overload

from moviekit._errors import BuildError
from moviekit._problems import short_repr as _short
from moviekit.builders._json_values import json_container, to_json_value
from moviekit.builders._own_code import own_code
from moviekit.timing._expr import TimeExpr
from moviekit.values._values import Expr, Special

__all__ = ["Node", "Prop"]

T = TypeVar("T")
N = TypeVar("N", bound="Node")

_new_object = object.__new__  # an instance without running __init__ (copies set every slot)


class Prop(Generic[T]):
    """Declare a Movie JSON property on a builder class.

    ``T`` is what the setter accepts (an ``Expr`` placeholder is always accepted
    too). ``wire`` overrides the derived wire name. ``named`` lists the special
    numbers read back as named constants (``duration`` -1 -> ``NATURAL_LENGTH``).
    """

    def __init__(
        self,
        doc: str,
        *,
        wire: str | None = None,
        named: Iterable[Special] = (),
    ) -> None:
        self.doc = doc
        self.wire = wire or ""
        self.named: dict[int, Special] = {int(c): c for c in named}
        self.name = ""
        self.custom = False

    def __set_name__(self, owner: type[Node], name: str) -> None:
        # ``_settings = Prop(...)`` declares the property but leaves the public
        # method of that name to the class (for setters that merge dicts).
        self.custom = name.startswith("_")
        name = name.lstrip("_")
        self.name = name
        self.wire = self.wire or name.replace("_", "-")
        owner._declared = {**owner.__dict__.get("_declared", {}), name: self}
        if self.custom:
            delattr(owner, "_" + name)
        # Node.__init_subclass__ (which runs next) replaces this Prop with the
        # chaining setter made for the class.

    @overload
    def __get__(self, node: None, owner: type[Any]) -> Prop[T]: ...

    @overload
    def __get__(self, node: N, owner: type[N]) -> Callable[[T | Expr], N]: ...

    def __get__(
        self, node: Any, owner: Any
    ) -> Any:  # pragma: no cover - replaced at class creation
        raise AttributeError(self.name)


class _Chain:
    """A persistent append-only sequence: each node adds items to an older chain.

    Use it through :func:`appended_children` and :func:`flat_children`, which keep small child
    lists as plain tuples.
    """

    __slots__ = ("_prev", "_items", "_size", "_cached")

    _size: int

    def __init__(self, prev: _Chain | None, items: tuple[Any, ...]) -> None:
        self._prev = prev
        self._items = items
        self._size = (prev._size if prev else 0) + len(items)
        self._cached: tuple[Any, ...] | None = None

    def __len__(self) -> int:
        return self._size

    def extended(self, items: tuple[Any, ...]) -> _Chain:
        """A chain with ``items`` appended; ``self`` is unchanged.

        Small appends copy the last node's items (at most ``_CHUNK``) instead of
        adding a node, so long chains hold few nodes: cheaper to build and to
        walk, and fewer objects for the garbage collector.
        """
        if len(self._items) + len(items) <= _CHUNK:
            return _Chain(self._prev, self._items + items)
        return _Chain(self, items)

    def as_tuple(self) -> tuple[Any, ...]:
        if self._cached is None:
            parts: list[tuple[Any, ...]] = []
            node: _Chain | None = self
            while node is not None and node._cached is None:
                parts.append(node._items)
                node = node._prev
            flat = list(node._cached) if node is not None and node._cached else []
            for items in reversed(parts):
                flat.extend(items)
            self._cached = tuple(flat)
        return self._cached


#: A node's children: a plain tuple while there are at most _CHUNK, else a _Chain.
Children = tuple[Any, ...] | _Chain

_CHUNK = 32  # items copied per append at most: linear growth, few nodes
NO_CHILDREN: Children = ()


class _KeptEmpty(tuple[Any, ...]):
    """No children, but compiled as ``[]``: a document read with ``"elements": []`` keeps it.

    A type rather than one sentinel object, so it survives pickling and copying.
    """

    __slots__ = ()


KEPT_EMPTY: Children = _KeptEmpty()


def is_kept_empty(children: Children) -> bool:
    """True for an empty child list that must still be written out (see :class:`_KeptEmpty`)."""
    return type(children) is _KeptEmpty


def appended_children(children: Children, items: tuple[Any, ...]) -> Children:
    """``children`` with ``items`` after them; ``children`` itself is unchanged.

    Up to ``_CHUNK`` children stay one tuple, copied on append: cheap at that
    size, and one object fewer per ``add()`` than a chain node. Beyond that a
    :class:`_Chain` keeps every append O(len(items)).
    """
    if isinstance(children, tuple):
        if len(children) + len(items) <= _CHUNK:
            return children + items
        return _Chain(_Chain(None, children) if children else None, items)
    return children.extended(items)


def flat_children(children: Children) -> tuple[Any, ...]:
    """All the children, in order, as one tuple."""
    return children if isinstance(children, tuple) else children.as_tuple()


UNRANKED = 10_000  # properties moviekit does not know go last, in the order they were set


class Node:
    """Base of every builder: wire properties in canonical order, plus optional children.

    Subclasses declare properties with :class:`Prop`. Builders are values:
    methods never change ``self``; they return a new node.
    """

    __slots__ = ("_props", "_chain", "_deep", "_tail")

    _declared: ClassVar[dict[str, Prop[Any]]] = {}
    #: every known property, Python name -> Prop, in canonical output order
    _by_name: ClassVar[dict[str, Prop[Any]]] = {}
    _by_wire: ClassVar[dict[str, Prop[Any]]] = {}
    _rank: ClassVar[dict[str, int]] = {}
    #: Python name -> (canonical rank, wire name): what a constructor keyword sets
    _keywords: ClassVar[dict[str, tuple[int, str]]] = {}
    #: wire properties every node of the class carries, set by the class (an element's ``type``)
    _fixed: ClassVar[dict[str, Any]] = {}
    #: wire name -> the generated setter for this class (see _make_setter)
    _setters: ClassVar[dict[str, Callable[[Any, Any], Any]]] = {}
    #: what this node is called in messages ("scene", "text element", ...)
    _label: ClassVar[str] = "node"
    #: properties that lead the output, then the most derived class's own, then bases'
    _lead: ClassVar[tuple[str, ...]] = ("id",)

    #: containers carry more slots than these two; they override _finish_copy
    _extra_slots: ClassVar[bool] = False

    _props: dict[str, Any]
    _chain: Children
    #: True once a property holds a dict or list: compile must copy those
    _deep: bool
    #: canonical rank of the last property in ``_props`` (-1 when empty)
    _tail: int

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = [c.__dict__.get("_declared", {}) for c in cls.__mro__ if issubclass(c, Node)]
        by_name: dict[str, Prop[Any]] = {}
        for lead in cls._lead:
            for table in own:
                if lead in table:
                    by_name[lead] = table[lead]
        for table in own:
            for name, prop in table.items():
                by_name.setdefault(name, prop)
        cls._by_name = by_name
        cls._by_wire = {p.wire: p for p in by_name.values()}
        cls._rank = {p.wire: i for i, p in enumerate(by_name.values())}
        cls._rank.update((wire, -1) for wire in cls._fixed)  # fixed ones lead the output
        cls._keywords = {name: (cls._rank[p.wire], p.wire) for name, p in by_name.items()}
        # One setter per property and class, so each bakes in this class's ranks; the
        # class's setters and constructor run their own copy of the code (see _own_code).
        cls._init = own_code(Node._init)  # type: ignore[method-assign]
        make_setter = own_code(_make_setter)
        cls._setters = {}
        for name, prop in by_name.items():
            setter = cls._setters[prop.wire] = make_setter(cls, prop.wire)
            current = next((c.__dict__[name] for c in cls.__mro__ if name in c.__dict__), None)
            if not prop.custom and (isinstance(current, Prop) or hasattr(current, _GENERATED)):
                _describe(setter, cls, name, prop)
                setattr(cls, name, setter)

    # -- construction ------------------------------------------------------------------

    def _init(self, props: Mapping[str, Any], main: str = "", value: Any = None) -> None:
        """Set up a new node from constructor arguments.

        ``main`` / ``value`` is the element's positional argument (``src`` of a
        Video, ``text`` of a Text), given separately to keep construction cheap.
        """
        self._chain = NO_CHILDREN
        if not props and type(value) is str:  # the common case: Text("Hi"), Video(url)
            self._props = self._fixed.copy()
            self._props[main] = value
            self._deep = False
            self._tail = self._rank[main]
            return
        # Collect every argument, then order once: no intermediate nodes.
        keywords = self._keywords
        pairs = [(self._rank[main], main, value)] if main and value is not None else []
        for name, item in props.items():
            slot = keywords.get(name)
            if slot is None:
                raise BuildError(self._unknown_name_message(name))
            pairs.append((*slot, item))
        if len(pairs) > 1:
            pairs.sort(key=_first)  # stable: a keyword repeating the positional one wins
        given: dict[str, Any] = self._fixed.copy()
        deep = False
        for _, wire, item in pairs:
            kind = type(item)
            if not (kind is str or kind is int or (kind is float and -_INF < item < _INF)):
                item, nested = _stored(item, wire)
                deep = deep or nested
            given[wire] = item
        self._props = given
        self._deep = deep
        self._tail = pairs[-1][0] if pairs else -1

    @classmethod
    def _unknown_name_message(cls, name: str) -> str:
        close = difflib.get_close_matches(name, list(cls._by_name), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return (
            f"{cls.__name__} has no property {name!r}; {hint}"
            "to send a property moviekit does not know, use "
            f".set({name.replace('_', '-')!r}, value)"
        )

    def _copy(self: N, chain: Children | None = None) -> N:
        """A copy of this node; with ``chain``, holding those children instead."""
        new = _new_object(type(self))
        new._props = self._props
        new._chain = self._chain if chain is None else chain
        new._deep = self._deep
        new._tail = self._tail
        return self._finish_copy(new) if self._extra_slots else new

    def _with_prop(self: N, wire: str, value: Any) -> N:
        """Return a copy with one wire property set (known to moviekit or not)."""
        setter: Callable[[N, Any], N] = self._setters.get(wire) or _make_setter(type(self), wire)
        return setter(self, value)

    def _finish_copy(self: N, new: N) -> N:
        """Copy the slots a subclass adds (containers override this)."""
        return new

    # -- the escape hatch and reading ----------------------------------------------------

    def set(self: N, wire_name: str, value: Any) -> N:
        """Return a copy with any property set by its wire name, known to moviekit or not.

        Use it for properties the service accepts but moviekit does not know yet;
        validation reports unknown ones as warnings and they are always sent.
        """
        if not isinstance(wire_name, str) or not wire_name:
            raise BuildError(f"a property name must be a non-empty string, got {wire_name!r}")
        if wire_name == "type":
            raise BuildError(
                "'type' is fixed by the builder class; pick the class for the element type"
            )
        return self._with_prop(wire_name, value)

    def unset(self: N, name: str) -> N:
        """Return a copy without the property ``name`` (Python or wire name)."""
        wire = self._wire_name(name)
        if wire not in self._props or wire in self._fixed:
            return self
        new = self._copy()
        new._props = {k: v for k, v in self._props.items() if k != wire}
        return new  # _deep may stay True: that only costs a copy at compile

    def get(self, name: str, default: Any = None) -> Any:
        """The value of a property by Python name (``extra_time``) or wire name (``extra-time``).

        Dicts and lists come back as copies: changing them never changes the builder.
        """
        wire = self._wire_name(name)
        return self._reading(wire, self._props.get(wire, default))

    def _reading(self, wire: str, value: Any) -> Any:
        # Containers come back as copies; special numbers as their named constants.
        if isinstance(value, (dict, list)):
            return to_json_value(value, wire)
        prop = self._by_wire.get(wire)
        if prop is not None and prop.named and type(value) is int:
            return prop.named.get(value, value)
        return value

    @property
    def props(self) -> Mapping[str, Any]:
        """The properties set on this builder, by wire name (a read-only copy)."""
        return MappingProxyType(
            {k: self._reading(k, v) for k, v in self._props.items() if k not in self._fixed}
        )

    def _wire_name(self, name: str) -> str:
        prop = self._by_name.get(name)
        return prop.wire if prop is not None else name

    # -- values ---------------------------------------------------------------------------

    def _value_key(self) -> tuple[Any, ...]:
        return (type(self), self._props, flat_children(self._chain))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        return self._value_key() == other._value_key()

    __hash__ = None  # type: ignore[assignment]  # values holding dicts are not hashable

    def __repr__(self) -> str:
        props = self.props
        shown = [f"{k}={_short(v, 40)}" for k, v in list(props.items())[:4]]
        if len(props) > 4:
            shown.append("...")
        shown.extend(self._repr_extra())
        return f"{type(self).__name__}({', '.join(shown)})"

    def _repr_extra(self) -> Iterable[str]:
        return ()

    def __copy__(self: N) -> N:
        return self  # immutable: a copy is the same value

    def __deepcopy__(self: N, memo: dict[int, Any]) -> N:
        return self


def _stored(value: Any, wire: str) -> tuple[Any, bool]:
    """``value`` as a builder stores it, and whether compile must look inside it.

    Containers are copied at compile; a ``TimeExpr`` is lowered there (timing hook).
    """
    kind = type(value)
    if kind is dict or kind is list or kind is tuple:  # what to_json_value would do, directly
        return json_container(value, wire), True
    value = to_json_value(value, wire)
    return value, isinstance(value, (dict, list, TimeExpr))


_first = itemgetter(0)
_GENERATED = "_moviekit_setter"  # marks generated setters, so subclasses replace them
_INF = math.inf


def _make_setter(cls: type[N], wire: str) -> Callable[[N, Any], N]:
    """Build the function that returns a copy of a ``cls`` node with ``wire`` set.

    Every chained call runs one of these, so it is a single flat function with
    the property's canonical rank baked in: building 10,000 elements should
    take milliseconds, not a second.
    """
    rank = cls._rank.get(wire, UNRANKED)
    ranks = cls._rank
    new_node = _new_object
    finish = cls._finish_copy if cls._extra_slots else None

    def setter(node: N, value: Any) -> N:
        if type(node) is not cls:  # a subclass's override called this one (super().start(...))
            return node._with_prop(wire, value)
        kind = type(value)
        if kind is str or kind is int or (kind is float and -_INF < value < _INF):  # NaN fails
            deep = node._deep
        else:  # containers, typed values, non-finite floats, bad values
            value, nested = _stored(value, wire)
            deep = nested or node._deep
        old = node._props
        tail = node._tail
        if rank >= tail or wire in old:
            props = old.copy()
            props[wire] = value
            if rank > tail:
                tail = rank
        else:
            props = _insert(old, wire, value, rank, ranks)
        new = new_node(cls)
        new._props = props
        new._chain = node._chain
        new._deep = deep
        new._tail = tail
        return new if finish is None else finish(node, new)

    setattr(setter, _GENERATED, True)
    return setter


def _describe(setter: Callable[..., Any], cls: type[Node], name: str, prop: Prop[Any]) -> None:
    """Give a generated setter the name, docs and real annotations of a method.

    help(), IPython and typing.get_type_hints then show the accepted values
    (the Literal choices).
    """
    accepted = typing.get_args(getattr(prop, "__orig_class__", Prop[Any]))[0]
    setter.__annotations__ = {"value": accepted | Expr, "return": cls}
    setter.__name__ = name
    setter.__qualname__ = f"{cls.__name__}.{name}"
    setter.__doc__ = f"Return a copy with ``{prop.wire}`` set: {prop.doc}"


def _insert(
    old: dict[str, Any], wire: str, value: Any, mine: int, rank: Mapping[str, int]
) -> dict[str, Any]:
    """A copy of ``old`` with ``wire`` inserted at its canonical position."""
    props: dict[str, Any] = {}
    placed = False
    for key, item in old.items():
        if not placed and rank.get(key, UNRANKED) > mine:
            props[wire] = value
            placed = True
        props[key] = item
    if not placed:
        props[wire] = value
    return props
