"""Value checks made once from the service model, and the words that explain a failed one.

Each documented property gets one small function that answers, for a value:
fine (``None``), a ``{{ }}`` placeholder to look at later (:data:`PLACEHOLDER`),
an object or data to walk into (:data:`NESTED`, :data:`DATA`), or not what the
docs describe (:data:`BAD`). The walk calls these for every value, so they are
flat and cheap; only a ``BAD`` value pays for :func:`explain`, which says in
plain words what was expected.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Final

from moviekit._problems import json_type, short_json
from moviekit.service._model import Obj, Prop
from moviekit.service._movie_json import ELEMENTS, GROUPS
from moviekit.service._objects import OBJECTS
from moviekit.values._values import CONTAINER_END, CONTAINER_LENGTH, NATURAL_LENGTH, Special

__all__ = [
    "BAD",
    "DATA",
    "LARGEST_NUMBER",
    "NESTED",
    "NUMERIC_TEXT",
    "PLACEHOLDER",
    "Check",
    "Explanation",
    "element_table",
    "explain",
    "number_bounds",
    "object_table",
    "unknown_key_hint",
]

PLACEHOLDER: Final = 2
BAD: Final = 1
NESTED: Final = 3
DATA: Final = 4

#: the largest magnitude a JSON number can have for the service (a double)
LARGEST_NUMBER = 1.7976931348623157e308
#: a number written as text, which official examples use and the service reads
NUMERIC_TEXT = re.compile(r"^\s*-?[0-9]+(\.[0-9]+)?\s*$")
_SPECIALS: dict[str, Special] = {
    "NATURAL_LENGTH": NATURAL_LENGTH,
    "CONTAINER_LENGTH": CONTAINER_LENGTH,
    "CONTAINER_END": CONTAINER_END,
}

Check = Callable[[Any], int | None]


@dataclass(frozen=True)
class Entry:
    """One documented property of one object: its check and its model."""

    check: Check
    prop: Prop


def _string(prop: Prop) -> Check:
    choices = frozenset(prop.choices)
    if choices:

        def check(value: Any) -> int | None:
            if type(value) is str:
                if value in choices:
                    return None
                if "{{" in value:
                    return PLACEHOLDER
            return BAD

        return check

    def check_text(value: Any) -> int | None:
        if type(value) is str:
            return PLACEHOLDER if "{{" in value else None
        return BAD

    return check_text


def number_bounds(prop: Prop) -> tuple[float, float]:
    """The lowest and highest value a number property takes (a double's range at most)."""
    low = prop.minimum if prop.minimum is not None else -LARGEST_NUMBER
    high = prop.maximum if prop.maximum is not None else LARGEST_NUMBER
    return max(low, -LARGEST_NUMBER), min(high, LARGEST_NUMBER)


def _number(prop: Prop) -> Check:
    low, high = number_bounds(prop)
    above = prop.above
    specials = frozenset(prop.specials)
    whole = prop.kind == "integer"

    def check(value: Any) -> int | None:
        kind = type(value)
        if kind is int or (kind is float and (not whole or value.is_integer())):
            if (low <= value <= high if above is None else above < value <= high) or (
                value in specials
            ):
                return None
            return BAD
        if kind is str:
            if "{{" in value:
                return PLACEHOLDER
            return None if NUMERIC_TEXT.match(value) else BAD
        return BAD

    return check


def _boolean(value: Any) -> int | None:
    if type(value) is bool:
        return None
    if type(value) is str and "{{" in value:
        return PLACEHOLDER
    return BAD


def _object(prop: Prop) -> Check:
    inner = NESTED if prop.nested and not OBJECTS[prop.nested].open else DATA
    if prop.nested and OBJECTS[prop.nested].open and OBJECTS[prop.nested].props:
        inner = NESTED  # an open object with documented keys: its values are checked too

    def check(value: Any) -> int | None:
        if type(value) is dict or isinstance(value, Mapping):
            return inner
        if type(value) is str and "{{" in value:
            return PLACEHOLDER
        return BAD

    return check


def _array(prop: Prop) -> Check:
    inner = NESTED if prop.nested else DATA

    def check(value: Any) -> int | None:
        if type(value) is list:
            return inner
        if type(value) is str and "{{" in value:
            return PLACEHOLDER
        return BAD

    return check


def _any(value: Any) -> int | None:
    return DATA


def make_check(prop: Prop) -> Check:
    """The check of one property, chosen by its kind."""
    if prop.kind == "string":
        return _string(prop)
    if prop.kind in ("number", "integer"):
        return _number(prop)
    if prop.kind == "boolean":
        return _boolean
    if prop.kind == "object":
        return _object(prop)
    if prop.kind == "array":
        return _array(prop)
    return _any


def _table(props: tuple[Prop, ...]) -> dict[str, Entry]:
    return {p.wire: Entry(make_check(p), p) for p in props}


@cache
def object_table(name: str) -> dict[str, Entry]:
    """The checks of a Movie JSON object's documented properties, by wire name."""
    return _table(OBJECTS[name].props)


@cache
def element_table(kind: str) -> dict[str, Entry]:
    """The checks of an element type's properties (its own and its groups'), by wire name."""
    model = ELEMENTS[kind]
    props = model.own + tuple(p for group in model.groups for p in GROUPS[group])
    return _table(props)


# --------------------------------------------------------------------------- explaining


@dataclass(frozen=True)
class Explanation:
    """Why a value failed its check: a problem code, a sentence, a hint, and the value."""

    code: str
    message: str
    hint: str
    value: str


_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "a JSON object",
    "array": "a list",
}
_GOT = {
    "string": "the text",
    "integer": "the number",
    "number": "the number",
    "boolean": "",
    "object": "an object",
    "array": "a list",
    "null": "null",
}


def not_json(value: Any) -> str | None:
    """What makes ``value`` itself (not its contents) something JSON cannot carry, or None."""
    if value is None or isinstance(value, (str, bool)):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{value!r} is not a number JSON can carry"
    if isinstance(value, int):
        if -LARGEST_NUMBER <= value <= LARGEST_NUMBER:
            return None
        return "a number too large for the service (beyond a double's range)"
    if isinstance(value, (list, Mapping)):
        return None
    return f"{type(value).__name__} is not a JSON value"


def _special_words(prop: Prop) -> list[str]:
    words = []
    for number in prop.specials:
        named = next(
            (_SPECIALS[n] for n in prop.named if n in _SPECIALS and int(_SPECIALS[n]) == number),
            None,
        )
        words.append(f"{number} ({named.description})" if named else str(number))
    return words


def _range_words(prop: Prop) -> str:
    if prop.above is not None:
        base = f"a number above {prop.above:g}"
    elif prop.minimum is not None and prop.maximum is not None:
        base = f"a number from {prop.minimum:g} to {prop.maximum:g}"
    elif prop.minimum is not None:
        base = f"a number of at least {prop.minimum:g}"
    elif prop.maximum is not None:
        base = f"a number of at most {prop.maximum:g}"
    else:
        base = "a number"
    if prop.kind == "integer":
        base = base.replace("a number", "a whole number")
    specials = _special_words(prop)
    return base + (", or " + " or ".join(specials) if specials else "")


def _options(values: tuple[str, ...], limit: int = 10) -> str:
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")


def explain(prop: Prop, value: Any) -> Explanation:
    """Why ``value`` fails ``prop``'s check, in words a newcomer reads without the docs."""
    shown = short_json(value)
    broken = not_json(value)
    if broken is not None:
        return Explanation("not-json", broken, "use a finite number within a double's range", shown)
    got = json_type(value)
    expected = "number" if prop.kind == "integer" else prop.kind
    if got != expected and not (got == "integer" and expected == "number"):
        return Explanation(
            "type",
            " ".join(
                f"expected {_TYPE_WORDS.get(prop.kind, prop.kind)}, got {_GOT.get(got, got)} "
                f"{shown}".split()
            ),
            'a {{ }} placeholder, or a number written as text such as "12", is accepted too'
            if expected in ("number", "boolean")
            else "",
            shown,
        )
    if prop.kind == "string":
        return Explanation(
            "enum",
            f"{shown} is not a documented value; documented: {_options(prop.values)}",
            _did_you_mean(str(value), prop.choices),
            shown,
        )
    if prop.kind == "integer" and isinstance(value, float) and not value.is_integer():
        return Explanation("type", f"expected a whole number, got {shown}", "round it", shown)
    return Explanation(
        "range",
        f"{shown} is not a documented {prop.wire}: give {_range_words(prop)}",
        "the docs describe no other values; the service may refuse, clamp or ignore it",
        shown,
    )


def _did_you_mean(word: str, options: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


@lru_cache(maxsize=4096)  # bounded: the keys come from the user's document
def unknown_key_hint(key: str, known: tuple[str, ...]) -> str:
    """A "did you mean" for an unknown key (cached: the same typo repeats across a movie)."""
    near = difflib.get_close_matches(key.replace("_", "-"), list(known), n=1, cutoff=0.6)
    if near:
        return f"did you mean {near[0]!r}?"
    return "it is sent as given; remove it if it is a typo"


def known_keys(obj: Obj) -> tuple[str, ...]:
    """Every key of an object a "did you mean" may suggest."""
    return tuple(p.wire for p in obj.props) + obj.keys
