"""The compiler: one movie's compile state, and the :class:`Compiled` result every consumer reads.

``compile_movie(movie)`` (in :mod:`moviekit.builders._movie`, re-exported by
:mod:`moviekit.builders`) walks a builder tree with a :class:`Compiler` and
returns a :class:`Compiled`: the Movie JSON document (what ``Movie.to_dict``
validates and returns), the length hints by element path (never sent) and the
builder behind each element path. ``to_dict``, ``Movie.timeline()`` and the
preview all start there.

As in SQLAlchemy, the walk keeps its state in a compiler object, never in a
module global: two compiles (in two threads) cannot see each other. The fast
path, a node without nested values, time expressions or hints, is one dict
copy per node.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import Any

from moviekit._errors import BuildError
from moviekit.builders._elements import Element
from moviekit.builders._nodes import Node
from moviekit.timing._expr import TimeExpr
from moviekit.timing._place import LENGTH_HINT, TIMED_PROPS, lower

__all__ = ["Compiled", "Compiler"]

_NO_HINTS: Mapping[str, float] = MappingProxyType({})


def _prefix(scene: int) -> str:
    """The path of container ``scene`` (a scene index; -1 for the movie's own elements)."""
    return f"scenes[{scene}]" if scene >= 0 else ""


def _element_path(scene: int, j: int) -> str:
    return f"scenes[{scene}].elements[{j}]" if scene >= 0 else f"elements[{j}]"


def _shared(value: Any) -> Any:
    """The builder's own data, not a copy (a compile with ``share_data``)."""
    return value


def _json_copy(value: Any) -> Any:
    """A copy of a builder's stored JSON data (plain types, string keys: see ``._json_values``).

    The same value as a ``json.dumps`` / ``json.loads`` round trip, several times faster.
    """
    kind = type(value)
    if kind is dict:
        out = value.copy()  # then replace what is not flat (same keys: safe while iterating)
        for key, item in out.items():
            if type(item) is dict or type(item) is list:
                out[key] = _json_copy(item)
        return out
    if kind is list:
        items = value.copy()
        for i, item in enumerate(items):
            if type(item) is dict or type(item) is list:
                items[i] = _json_copy(item)
        return items
    return value


@dataclass(frozen=True)
class Compiled:
    """A compiled movie: the document and what the timeline and the preview need besides.

    ``document`` is the plain Movie JSON dict, not yet validated (the caller
    owns it); ``length_hints`` maps element paths (``scenes[0].elements[1]``)
    to the natural lengths given with ``Element.length_hint`` (never sent);
    ``builders`` maps every element path to the builder behind it.
    """

    document: dict[str, Any]
    length_hints: Mapping[str, float]
    containers: tuple[tuple[int, tuple[Element, ...]], ...] = field(repr=False)
    """Each container's scene index (-1 for the movie's own elements) and its elements."""

    @cached_property
    def builders(self) -> Mapping[str, Element]:
        """Element path -> the builder the user added there (made on first use)."""
        return MappingProxyType(
            {
                _element_path(scene, j): element
                for scene, elements in self.containers
                for j, element in enumerate(elements)
            }
        )

    def with_hints(self, hints: Mapping[str, float]) -> Compiled:
        """Return a copy whose length hints are ``hints`` (the preview adds measured lengths)."""
        return replace(self, length_hints=MappingProxyType(dict(hints)))


class Compiler:
    """The state of one compile: found hints, whether relative placement needs lowering.

    ``Movie`` and ``Scene`` drive the walk (they know their children); the
    compiler copies each node's properties and :meth:`finish` completes the
    document. Every dict of the document is new; with ``share_data`` the data
    inside them (``settings``, ``variables`` ...) is the builders' own, not a
    copy: only for a caller that writes the document out and drops it
    (``Movie.to_json``), since an edit to it would change the builders.
    """

    __slots__ = ("_hints", "_timed", "_containers", "_copy")

    def __init__(self, *, share_data: bool = False) -> None:
        self._hints: dict[str, float] = {}
        self._timed = False
        self._containers: list[tuple[int, tuple[Element, ...]]] = []
        self._copy = _shared if share_data else _json_copy

    def props(self, node: Node, scene: int) -> dict[str, Any]:
        """A compiled copy of scene ``scene``'s (-1: the movie's) own properties."""
        out = node._props.copy()
        if node._deep:
            for key, value in out.items():
                if isinstance(value, TimeExpr):
                    raise BuildError(
                        "a time expression (such as voice.time.end) can only be an element's "
                        "start, duration or extra-time; give a number here",
                        path=f"{_prefix(scene)}.{key}" if scene >= 0 else key,
                    )
                if type(value) is dict or type(value) is list:
                    out[key] = self._copy(value)
        return out

    def elements(self, elements: tuple[Element, ...], scene: int) -> list[dict[str, Any]]:
        """The compiled elements of scene ``scene`` (-1: the movie's own elements)."""
        self._containers.append((scene, elements))
        return [
            e._props.copy() if not e._deep else self._element(e, scene, j)
            for j, e in enumerate(elements)
        ]

    def _element(self, element: Element, scene: int, j: int) -> dict[str, Any]:
        # The slow path: nested values to copy, time expressions to lower, a hint to take out.
        out: dict[Any, Any] = element._props.copy()
        hint = None
        for key, value in out.items():
            kind = type(value)
            if kind is dict or kind is list:
                out[key] = self._copy(value)
            elif isinstance(value, TimeExpr):
                if key not in TIMED_PROPS:
                    raise BuildError(
                        "a time expression (such as voice.time.end) can only be an element's "
                        "start, duration or extra-time",
                        path=f"{_element_path(scene, j)}.{key}",
                    )
                self._timed = True
            elif key is LENGTH_HINT:
                hint = value
        if hint is not None:
            del out[LENGTH_HINT]
            self._hints[_element_path(scene, j)] = hint
        return out

    def finish(self, document: dict[str, Any]) -> Compiled:
        """Lower relative placement (when there is any) and return the result."""
        containers = tuple(self._containers)
        if self._timed:
            document = lower(document, [(_prefix(i), elements) for i, elements in containers])
        hints = MappingProxyType(self._hints) if self._hints else _NO_HINTS
        return Compiled(document, hints, containers)
