"""The ``{{ ... }}`` placeholder syntax of Movie JSON, in one place.

Layer 1 (the service model): imports nothing from moviekit.

Any string of a Movie JSON document may hold placeholders that the service
fills at render time (reference §6): a variable, ``{{title}}``, or an
expression, ``{{ price * 1.2 }}``, ``{{ceil(n / 2)}}``, ``{{lang == 'en' and
show}}``. This module is the one place that knows

- the syntax: where each ``{{ ... }}`` starts and ends (:func:`expressions`,
  :func:`whole_expression`, :func:`has_placeholder`);
- the variable-name rule (:data:`VARIABLE_NAME`, :func:`is_variable_name`);
- which variables an expression uses (:func:`names_in`, :func:`names_used`,
  :func:`names_in_document`): function names (``ceil(``, ``min(``), the words
  ``and or not true false null``, properties after a dot and string literals
  are not variables;
- how values fill placeholders: in one string (:func:`fill`) or in a whole
  document compiled once and filled per row (:class:`Substitution`).

Scopes follow the service: a ``variables`` object on a scene or an element
defines names for everything inside it, and an element with an ``id`` defines
``<id>_start``, ``<id>_end``, ``<id>_duration`` and ``<id>_extratime`` in its
container (§5.2a). Those names are the service's to fill, as are the
placeholders of a scene with ``iterate`` (their values come from array items).

Only ``{{name}}`` is substituted locally; an expression is left for the
service. A string that is nothing but one ``{{name}}`` takes the value itself
(a number stays a number); inside longer text a value is written as the
service writes it (``true``, ``12``, JSON for arrays and objects).

Every scan is linear in the text: an opening ``{{`` with no ``}}`` after it
ends the scan rather than being searched again from each later ``{{``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

__all__ = [
    "EXPRESSION_WORDS",
    "KNOWN_FUNCTIONS",
    "TIMING_PARTS",
    "VARIABLE_NAME",
    "Substitution",
    "as_text",
    "expressions",
    "fill",
    "functions_in",
    "has_placeholder",
    "is_variable_name",
    "names_in",
    "names_in_document",
    "names_used",
    "simple_name",
    "whole_expression",
]

OPEN, CLOSE = "{{", "}}"

#: A variable name: a letter, then letters, digits and ``_`` (the service renames others).
VARIABLE_NAME = r"^[A-Za-z][A-Za-z0-9_]*$"
# fullmatch, not VARIABLE_NAME's "$": in Python "$" also matches before a final newline.
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

#: Words of the expression language that are not variables.
EXPRESSION_WORDS: frozenset[str] = frozenset(
    {"and", "or", "not", "true", "false", "null", "True", "False"}
)

#: Functions the docs show in expressions: min and max (A-expressions), ceil (T12). The docs
#: speak of "a handful of built-in functions" without naming the rest, so another name is a
#: warning, not an error.
KNOWN_FUNCTIONS: frozenset[str] = frozenset({"min", "max", "ceil"})

#: The timing variables an element with an ``id`` defines: ``<id>_start`` ... (§5.2a).
TIMING_PARTS = ("start", "end", "duration", "extratime")

# One token of an expression. Each alternative either matches or fails at its
# first character, and a string without its closing quote runs to the end, so
# finditer reads every character once.
_TOKEN = re.compile(
    r"""(?P<string>'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?)"""
    r"|(?P<number>[0-9][A-Za-z0-9_.]*)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.S,
)


def is_variable_name(name: object) -> bool:
    """True for a usable variable name (``price``, ``photo_2``), false otherwise."""
    return isinstance(name, str) and _NAME.fullmatch(name) is not None


def has_placeholder(value: object) -> bool:
    """True when ``value`` is a string that opens a ``{{`` placeholder."""
    return isinstance(value, str) and OPEN in value


def _spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each ``{{ ... }}`` in ``text``; the first ``}}`` closes it."""
    start = text.find(OPEN)
    while start != -1:
        close = text.find(CLOSE, start + 2)
        if close == -1:
            return
        yield start, close + 2
        start = text.find(OPEN, close + 2)


def expressions(text: str) -> list[str]:
    """The body of each placeholder, in order: ``"{{a}} {{ b+1 }}"`` -> ``["a", " b+1 "]``."""
    return [text[start + 2 : end - 2] for start, end in _spans(text)]


def whole_expression(text: str) -> str | None:
    """The body when ``text`` is one placeholder and nothing else (outer spaces aside)."""
    stripped = text.strip()
    first = next(_spans(stripped), None)
    if first is None or first != (0, len(stripped)):
        return None
    return stripped[2:-2]


def simple_name(expression: str) -> str | None:
    """The variable when an expression is just one name: ``" title "`` -> ``"title"``."""
    name = expression.strip()
    return name if _NAME.fullmatch(name) and name not in EXPRESSION_WORDS else None


def names_in(expression: str) -> tuple[str, ...]:
    """The variables an expression uses, each once, in order of first use.

    ``"ceil(total / per_page) + offset"`` -> ``("total", "per_page", "offset")``:
    a word followed by ``(`` is a function, a word after ``.`` a property, a
    quoted string no name at all, and ``and``/``or``/``true``... are words of
    the language.
    """
    tokens = [
        (match.lastgroup, match.group())
        for match in _TOKEN.finditer(expression)
        if match.lastgroup != "space"
    ]
    found: dict[str, None] = {}
    for i, (kind, text) in enumerate(tokens):
        if kind != "word" or text in EXPRESSION_WORDS:
            continue
        if i > 0 and tokens[i - 1][1] == ".":
            continue  # a property: item.title
        if i + 1 < len(tokens) and tokens[i + 1][1] == "(":
            continue  # a function: ceil(x)
        found.setdefault(text, None)
    return tuple(found)


def functions_in(expression: str) -> tuple[str, ...]:
    """The functions an expression calls, each once: ``"ceil(a) + f(b)"`` -> ``("ceil", "f")``."""
    found: dict[str, None] = {}
    previous = ""
    pending = ""
    for match in _TOKEN.finditer(expression):
        kind, text = match.lastgroup, match.group()
        if kind == "space":
            continue
        if text == "(" and pending and previous != ".":
            found.setdefault(pending, None)
        pending = text if kind == "word" else ""
        previous = text if kind != "word" else previous
    return tuple(found)


def names_used(text: str) -> tuple[str, ...]:
    """The variables every placeholder of ``text`` uses, each once, in order."""
    found: dict[str, None] = {}
    for body in expressions(text):
        for name in names_in(body):
            found.setdefault(name, None)
    return tuple(found)


def _scope(
    node: Mapping[str, Any], shadowed: frozenset[str], *, top: bool = False
) -> frozenset[str]:
    """The names ``node`` leaves to the service: its ``variables`` and its elements' timing.

    The document's own (``top``) ``variables`` are what the names get, not a scope.
    """
    names: set[str] = set()
    own = node.get("variables")
    if isinstance(own, Mapping) and not top:
        names.update(k for k in own if isinstance(k, str))
    elements = node.get("elements")
    if isinstance(elements, list):
        for element in elements:
            ident = element.get("id") if isinstance(element, Mapping) else None
            if isinstance(ident, str):
                names.update(f"{ident}_{part}" for part in TIMING_PARTS)
    return shadowed | names if names else shadowed


def names_in_document(document: object) -> frozenset[str]:
    """The variables a Movie JSON document uses that its own scopes do not define.

    Placeholders of ``iterate`` scenes and names an inner scope defines (a
    scene's or element's ``variables``, element timing names) are left out: the
    service fills them, not the movie's (or a row's) variables. The document's
    top-level ``variables`` are not read: they are what the names get.
    """
    found: set[str] = set()
    _collect(document, found, frozenset(), top=True)
    return frozenset(found)


def _collect(node: object, found: set[str], shadowed: frozenset[str], *, top: bool = False) -> None:
    if isinstance(node, str):
        if OPEN in node:
            found.update(name for name in names_used(node) if name not in shadowed)
    elif isinstance(node, Mapping):
        if "iterate" in node:
            return
        scope = _scope(node, shadowed, top=top)
        for key, value in node.items():
            if key != "variables":
                _collect(value, found, scope)
    elif isinstance(node, list):
        for item in node:
            _collect(item, found, shadowed)


# --------------------------------------------------------------------------- substitution


def _number_text(value: float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def as_text(value: object) -> str:
    """A value as it reads inside text: ``true``, ``12`` (not ``12.0``), JSON for the rest."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number_text(value)
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


#: Resolves one node for a set of values: ``(values, texts)`` -> the node, placeholders filled.
_Resolver = Callable[[Mapping[str, object], Mapping[str, str]], Any]
#: A string split once: literal text, and ``(name, as written)`` for each ``{{name}}``.
_Pieces = list[str | tuple[str, str]]


def _pieces(text: str, shadowed: frozenset[str]) -> _Pieces:
    out: _Pieces = []
    last = 0
    for start, end in _spans(text):
        name = simple_name(text[start + 2 : end - 2])
        if name is None or name in shadowed:
            continue  # an expression, or the service's own name: left as written
        if start > last:
            out.append(text[last:start])
        out.append((name, text[start:end]))
        last = end
    if last < len(text):
        out.append(text[last:])
    return out


def _compile_text(text: str, shadowed: frozenset[str], names: set[str]) -> _Resolver | None:
    if OPEN not in text:
        return None
    pieces = _pieces(text, shadowed)
    slots = [p for p in pieces if not isinstance(p, str)]
    if not slots:
        return None
    names.update(name for name, _ in slots)
    if len(slots) == 1 and all(isinstance(p, tuple) or not p.strip() for p in pieces):
        # Only one {{name}} (spaces aside): the value itself, keeping its type.
        name, _ = slots[0]
        return lambda values, texts: values.get(name, text)

    def embedded(values: Mapping[str, object], texts: Mapping[str, str]) -> str:
        return "".join(p if isinstance(p, str) else texts.get(p[0], p[1]) for p in pieces)

    return embedded


def _filler(copy: Callable[[], Any], parts: list[tuple[Any, _Resolver]]) -> _Resolver:
    """Fill a container: a fresh copy of it, each templated part resolved into its slot."""

    def fill_in(values: Mapping[str, object], texts: Mapping[str, str]) -> Any:
        out = copy()
        for slot, resolver in parts:
            out[slot] = resolver(values, texts)
        return out

    return fill_in


def _compile(
    node: object, shadowed: frozenset[str], names: set[str], *, top: bool = False
) -> _Resolver | None:
    """A function filling ``node``'s ``{{name}}`` placeholders, or None if it has none.

    Subtrees without placeholders are shared, not copied, and strings are
    split once, so filling costs only the containers on the way to a
    placeholder and one join per templated string.
    """
    if isinstance(node, str):
        return _compile_text(node, shadowed, names)
    if isinstance(node, Mapping):
        if "iterate" in node:
            return None
        scope = _scope(node, shadowed, top=top)
        dynamic = [
            (key, resolver)
            for key, value in node.items()
            if key != "variables" and (resolver := _compile(value, scope, names)) is not None
        ]
        return _filler(lambda: dict(node), dynamic) if dynamic else None
    if isinstance(node, list):
        items = [
            (index, resolver)
            for index, item in enumerate(node)
            if (resolver := _compile(item, shadowed, names)) is not None
        ]
        return _filler(lambda: list(node), items) if items else None
    return None


def _texts(values: Mapping[str, object], names: set[str] | frozenset[str]) -> dict[str, str]:
    # Each value written as text once, however often the document uses it.
    return {name: as_text(values[name]) for name in names if name in values}


def fill(text: str, values: Mapping[str, object]) -> object:
    """``text`` with its ``{{name}}`` placeholders filled from ``values``.

    ``"{{n}}"`` with ``n=3`` gives ``3`` (the value, typed); ``"{{a}} at {{b}}"``
    gives text. Names without a value and expressions stay as written.
    """
    names: set[str] = set()
    resolver = _compile_text(text, frozenset(), names)
    return text if resolver is None else resolver(values, _texts(values, names))


class Substitution:
    """A Movie JSON document compiled once, then filled with one set of values at a time.

    ``Substitution(doc)(values)`` is ``doc`` with every ``{{name}}`` whose name
    has a value replaced, following the service's scopes (see the module
    docs). The document's top-level ``variables`` are kept as they are. The
    result shares every untouched subtree with ``doc``: treat it as read-only.
    """

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = dict(document)
        names: set[str] = set()
        self._resolve = _compile(self._document, frozenset(), names, top=True)
        #: The names this document's placeholders take from the values.
        self.names: frozenset[str] = frozenset(names)

    def __repr__(self) -> str:
        return f"Substitution(names={sorted(self.names)})"

    def __call__(self, values: Mapping[str, object]) -> dict[str, Any]:
        if self._resolve is None:
            return dict(self._document)
        filled: dict[str, Any] = self._resolve(values, _texts(values, self.names))
        return filled
