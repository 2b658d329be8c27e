"""The ``{{ }}`` placeholders a walk collected, read against the scope each one is in.

A name is defined by the ``variables`` of the movie, of the placeholder's scene
and of its element, or by an element of the same container with that ``id``
(``intro_end`` ...). A scene with ``iterate`` takes names from its array
items, so its placeholders are not checked; a movie that renders a saved
template gets its variables from the template, so none are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from moviekit._problems import Problem
from moviekit.service._placeholders import (
    EXPRESSION_WORDS,
    KNOWN_FUNCTIONS,
    TIMING_PARTS,
    expressions,
    functions_in,
    is_variable_name,
    names_in,
)
from moviekit.service._rules import RULES
from moviekit.validation._findings import Pos
from moviekit.validation._walk import Walk

__all__ = ["variable_problems"]


def _names(value: Any) -> frozenset[str]:
    return (
        frozenset(k for k in value if isinstance(k, str))
        if (type(value) is dict or isinstance(value, Mapping))
        else frozenset()
    )


class _Scopes:
    """Names defined at each level of one document, computed on first use."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        scenes = doc.get("scenes")
        self.scenes: list[Any] = scenes if isinstance(scenes, list) else []
        overlay = doc.get("elements")
        self.overlay: list[Any] = overlay if isinstance(overlay, list) else []
        self.movie = _names(doc.get("variables"))
        self._containers: dict[int, tuple[frozenset[str], frozenset[str]]] = {}

    def container(self, scene: int) -> tuple[frozenset[str], frozenset[str]]:
        """Variable names and element ids visible in scene ``scene`` (-1: movie-level elements).

        An element id defines its timing names (``<id>_start`` ...); they are
        matched against the ids when read (:func:`_defined`), not spelled out.
        """
        names = self._containers.get(scene)
        if names is None:
            if scene == -1:
                names = (self.movie, _ids(self.overlay))
            else:
                own = self.scenes[scene]
                names = (self.movie | _names(own.get("variables")), _ids(own.get("elements")))
            self._containers[scene] = names
        return names

    def element(self, scene: int, j: int) -> Mapping[str, Any]:
        elements = self.overlay if scene == -1 else self.scenes[scene].get("elements")
        return elements[j] if isinstance(elements, list) else {}


def variable_problems(doc: Mapping[str, Any], walk: Walk) -> Iterator[tuple[Pos, Problem]]:
    """Undefined variables, unknown functions and ambiguous element ids, with positions."""
    if walk.templated or not walk.uses:
        return
    scopes = _Scopes(doc)
    parsed: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    undefined, unknown_fn, ambiguous = (
        RULES["undefined-variable"],
        RULES["unknown-function"],
        RULES["duplicate-id"],
    )
    checked_ids: set[int] = set()
    for path, text, scene, j, pos in walk.uses:
        if scene == -2:
            continue  # an iterate scene: its array items name the values
        names, calls = parsed.get(text) or parsed.setdefault(text, _read(text))
        if not names and not calls:
            continue
        defined, ids = scopes.container(scene)
        if j >= 0:
            element = scopes.element(scene, j)
            defined = (
                defined | _names(element.get("variables")) if "variables" in element else defined
            )
        etype = _type_at(scopes, scene, j)
        late = (*pos[:3], pos[3] + 1)
        for name in names:
            if name not in defined and not _defined_by_id(name, ids):
                yield (
                    late,
                    Problem(
                        path,
                        "undefined-variable",
                        f"'{{{{{name}}}}}' is used but no variable '{name}' is defined",
                        undefined.severity,
                        f"define it: .variables({name}=...) on "
                        "the movie, scene or element (ignore this if a template or the request "
                        "supplies it)",
                        None,
                        etype,
                    ),
                )
        for call in calls:
            if call not in KNOWN_FUNCTIONS:
                yield (
                    late,
                    Problem(
                        path,
                        "unknown-function",
                        f"'{call}()' is not among the functions the docs "
                        f"show ({', '.join(sorted(KNOWN_FUNCTIONS))})",
                        unknown_fn.severity,
                        "check the name; the service evaluates it at render time",
                        None,
                        etype,
                    ),
                )
        if scene not in checked_ids and any(n.rsplit("_", 1)[-1] in TIMING_PARTS for n in names):
            checked_ids.add(scene)
            yield from _duplicate_ids(scopes, scene, ambiguous.severity)


def _ids(elements: Any) -> frozenset[str]:
    """The ids of one container's elements that can name timing variables (section 5.2a)."""
    if not isinstance(elements, list):
        return frozenset()
    found = (e.get("id") for e in elements if (type(e) is dict or isinstance(e, Mapping)))
    return frozenset(i for i in found if isinstance(i, str) and is_variable_name(i))


def _defined_by_id(name: str, ids: frozenset[str]) -> bool:
    """``hero_end`` is defined when an element of the container has the id ``hero``."""
    base, _, part = name.rpartition("_")
    return part in TIMING_PARTS and base in ids


def _read(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    names: dict[str, None] = {}
    calls: dict[str, None] = {}
    for body in expressions(text):
        names.update(dict.fromkeys(n for n in names_in(body) if n not in EXPRESSION_WORDS))
        calls.update(dict.fromkeys(functions_in(body)))
    return tuple(names), tuple(calls)


def _type_at(scopes: _Scopes, scene: int, j: int) -> str | None:
    if j < 0:
        return None
    kind = scopes.element(scene, j).get("type")
    return kind if isinstance(kind, str) else None


def _duplicate_ids(scopes: _Scopes, scene: int, severity: Any) -> Iterator[tuple[Pos, Problem]]:
    elements = scopes.overlay if scene == -1 else scopes.scenes[scene].get("elements")
    seen: dict[str, int] = {}
    for j, element in enumerate(elements if isinstance(elements, list) else ()):
        ident = (
            element.get("id") if (type(element) is dict or isinstance(element, Mapping)) else None
        )
        if not isinstance(ident, str):
            continue
        if ident in seen:
            prefix = "elements" if scene == -1 else f"scenes[{scene}].elements"
            pos = (2, 0, j, 0) if scene == -1 else (1, scene, j, 0)
            yield (
                pos,
                Problem(
                    f"{prefix}[{j}].id",
                    "duplicate-id",
                    f"id {ident!r} is also the id of element "
                    f"{seen[ident]} here, and its timing variables ({ident}_end ...) are used: "
                    "which "
                    "element they mean is undocumented",
                    severity,
                    "give every element a different id",
                    None,
                    element.get("type") if isinstance(element.get("type"), str) else None,
                ),
            )
        else:
            seen[ident] = j
