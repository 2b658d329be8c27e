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
from moviekit.validation._findings import Found, Pos
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
        self._names: dict[int, frozenset[str]] = {-1: self.movie}
        self._ids: dict[int, frozenset[str]] = {}

    def names(self, scene: int) -> frozenset[str]:
        """Variable names visible in scene ``scene`` (-1: movie-level elements)."""
        names = self._names.get(scene)
        if names is None:
            own = self.scenes[scene]
            names = self.movie | _names(own["variables"]) if "variables" in own else self.movie
            self._names[scene] = names
        return names

    def ids(self, scene: int) -> frozenset[str]:
        """Element ids of scene ``scene`` (-1: movie-level elements) that name timing variables.

        An element id defines its timing names (``<id>_start`` ...); they are
        matched against the ids when read (:func:`_defined_by_id`), not spelled out.
        """
        ids = self._ids.get(scene)
        if ids is None:
            ids = _ids(self.overlay if scene == -1 else self.scenes[scene].get("elements"))
            self._ids[scene] = ids
        return ids

    def element(self, scene: int, j: int) -> Mapping[str, Any]:
        elements = self.overlay if scene == -1 else self.scenes[scene].get("elements")
        return elements[j] if isinstance(elements, list) else {}


#: what a placeholder's text says: its variable names, its function calls, and whether a
#: name may be an element's timing variable (``intro_end``)
_Reading = tuple[tuple[str, ...], tuple[str, ...], bool]


def variable_problems(doc: Mapping[str, Any], walk: Walk) -> Iterator[Found]:
    """Undefined variables, unknown functions and ambiguous element ids, with positions."""
    if walk.templated or not walk.uses:
        return
    scopes = _Scopes(doc)
    readings: dict[str, _Reading] = {}
    words: dict[str, tuple[str, str]] = {}
    undefined, unknown_fn, ambiguous = (
        RULES["undefined-variable"],
        RULES["unknown-function"],
        RULES["duplicate-id"],
    )
    checked_ids: set[int] = set()
    severity = undefined.severity
    for path, text, scene, j, pos in walk.uses:
        if scene == -2:
            continue  # an iterate scene: its array items name the values
        reading = readings.get(text)
        if reading is None:
            reading = readings[text] = _read(text)
        names, calls, timing = reading
        if not names and not calls:
            continue
        defined = scopes.names(scene)
        element = scopes.element(scene, j) if j >= 0 else None
        if element is not None and "variables" in element:
            defined = defined | _names(element.get("variables"))
        kind = element.get("type") if element is not None else None
        etype = kind if isinstance(kind, str) else None
        late = (pos[0], pos[1], pos[2], pos[3] + 1)
        for name in names:
            if name not in defined and not (timing and _defined_by_id(name, scopes.ids(scene))):
                said = words.get(name)
                if said is None:
                    said = words[name] = _undefined_words(name)
                # one of thousands in a template movie: written only if the report is read
                args = (path, "undefined-variable", said[0], severity, said[1], None, etype)
                yield (late, (severity, Problem, args))
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
        if timing and scene not in checked_ids:
            checked_ids.add(scene)
            yield from _duplicate_ids(scopes, scene, ambiguous.severity)


def _undefined_words(name: str) -> tuple[str, str]:
    """The message and hint of an undefined variable."""
    return (
        f"'{{{{{name}}}}}' is used but no variable '{name}' is defined",
        f"define it: .variables({name}=...) on the movie, scene or element (ignore this if a "
        "template or the request supplies it)",
    )


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


def _read(text: str) -> _Reading:
    names: dict[str, None] = {}
    calls: dict[str, None] = {}
    for body in expressions(text):
        names.update(dict.fromkeys(n for n in names_in(body) if n not in EXPRESSION_WORDS))
        calls.update(dict.fromkeys(functions_in(body)))
    timing = any(n.rsplit("_", 1)[-1] in TIMING_PARTS for n in names)
    return tuple(names), tuple(calls), timing


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
