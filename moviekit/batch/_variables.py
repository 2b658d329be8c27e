"""Template variables: the declaration (name, type, default, required) and the typing of values.

A :class:`Variable` says what one ``{{name}}`` (or one row column) holds.
:meth:`Variable.coerce` turns a row's value into that type, CSV text included
(``"19.90"`` becomes ``19.9``, ``"yes"`` becomes ``True``), or raises
:class:`~moviekit.VariableValueError` saying what is wrong and how to fix it;
the template turns that into a :class:`~moviekit.RowProblem` at
``rows[12].price``. Declarations also come from the service's variable
descriptors (:func:`variables_from_descriptors`) or from a placeholder movie
itself (:func:`infer_variables`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal
from urllib.parse import urlsplit

from moviekit._errors import TemplateError, VariableValueError
from moviekit._problems import json_type, short_json, short_repr
from moviekit.service._placeholders import as_text, is_variable_name, names_in_document

__all__ = [
    "NO_DEFAULT",
    "Variable",
    "VariableType",
    "infer_variables",
    "is_missing",
    "short_value",
    "variables_from_descriptors",
]

VariableType = Literal[
    "text", "number", "integer", "boolean", "url", "select", "array", "object", "any"
]
_TYPES: frozenset[str] = frozenset(
    {"text", "number", "integer", "boolean", "url", "select", "array", "object", "any"}
)
# Spellings seen in the service's descriptors (format=make) and in Python.
_ALIASES = {
    "string": "text",
    "str": "text",
    "textarea": "text",
    "float": "number",
    "int": "integer",
    "bool": "boolean",
    "list": "array",
    "collection": "array",
    "dict": "object",
    "image": "url",
    "video": "url",
    "audio": "url",
}
# Make.com artefacts present in many saved templates' variable lists (reference §6.5).
_SERVICE_ARTEFACTS = frozenset({"make_webhook_url", "client_data"})
_TRUE = frozenset({"true", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "no", "n", "0", "off"})
_VALUE_CHARS = 60


class _NoDefault:
    """The "no default value" marker (``None`` is a legitimate default)."""

    _instance: _NoDefault | None = None

    def __new__(cls) -> _NoDefault:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_DEFAULT"

    def __reduce__(self) -> str:
        return "NO_DEFAULT"


#: A variable without a default value.
NO_DEFAULT: Final = _NoDefault()


# Python writes no int of more than 4,300 digits as text (sys.int_info.default_max_str_digits).
_MAX_INT_BITS = 14_000


def short_value(value: object) -> str:
    """A value as short JSON, for messages and a problem's ``value``."""
    try:
        return short_json(value, _VALUE_CHARS)
    except (ValueError, RecursionError):  # an int too long to print, a structure too deep
        return f"<{type(value).__name__}>"


def is_missing(value: object) -> bool:
    """True when a row gives no value: an absent key, ``None``, or an empty CSV cell."""
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class Variable:
    """One declared template variable.

    Args:
        name: the ``{{name}}``; a letter, then letters, digits, ``_``.
        type: ``text`` (default), ``number``, ``integer``, ``boolean``,
            ``url`` (http/https), ``select`` (one of ``choices``), ``array``,
            ``object`` or ``any``. Service spellings (``string``,
            ``collection`` ...) are accepted.
        default: used when a row has no value; without one the variable is
            required unless ``required=False``.
        required: ``None`` means "required when there is no default".
        description: shown in errors and in the JSON Schema.
        choices: the allowed values of a ``select``.
        minimum / maximum: bounds of a ``number`` or ``integer``.
        pattern: a regular expression a ``text`` value must match.
    """

    name: str
    type: str = "text"
    default: object = NO_DEFAULT
    required: bool | None = None
    description: str = ""
    choices: tuple[object, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None

    def __post_init__(self) -> None:
        if not is_variable_name(self.name):
            raise TemplateError(
                f"invalid variable name {self.name!r}: start with a letter, then use only "
                "letters, digits and '_' (the service silently renames others)"
            )
        kind = _ALIASES.get(str(self.type).lower(), str(self.type).lower())
        if kind not in _TYPES:
            raise TemplateError(
                f"variable {self.name!r}: unknown type {self.type!r}; use one of "
                f"{', '.join(sorted(_TYPES))}"
            )
        object.__setattr__(self, "type", kind)
        object.__setattr__(self, "choices", tuple(self.choices))
        if kind == "select" and not self.choices:
            raise TemplateError(
                f"variable {self.name!r} is a select without choices; pass choices=(...)"
            )
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise TemplateError(
                    f"variable {self.name!r}: pattern {self.pattern!r} is not a valid regular "
                    f"expression ({exc})"
                ) from None
        if self.default is not NO_DEFAULT and self.default is not None:
            try:
                object.__setattr__(self, "default", self.coerce(self.default))
            except VariableValueError as bad:
                raise TemplateError(
                    f"variable {self.name!r}: the default {short_value(self.default)} is not "
                    f"valid: {bad.message}"
                ) from None

    @property
    def is_required(self) -> bool:
        """True when a row must give a value (no default, and not declared optional)."""
        if self.required is not None:
            return self.required
        return self.default is NO_DEFAULT

    def coerce(self, value: object) -> object:
        """The value as this variable's type (CSV text included).

        Raises :class:`~moviekit.VariableValueError` (with ``code`` and ``hint``)
        when the value cannot be one.
        """
        kind = self.type
        if kind == "any":
            return value
        if kind in ("text", "url", "select"):
            return self._text(value)
        if kind in ("number", "integer"):
            return self._number(value)
        if kind == "boolean":
            return _boolean(value)
        if kind == "array":
            return _container(value, list, "array", "a JSON array such as [1, 2]")
        return _container(value, dict, "object", 'a JSON object such as {"a": 1}')

    def _text(self, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise VariableValueError(
                "type", f"expected text, got {type(value).__name__}", "give a string"
            )
        if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
            raise VariableValueError(
                "range", "the number is too long to be written as text", "give it as a string"
            )
        text = value if isinstance(value, str) else as_text(value)
        if self.type == "select":
            for choice in self.choices:
                if text == choice or text == str(choice):
                    return choice
            raise VariableValueError(
                "choice",
                f"{short_repr(text, _VALUE_CHARS)} is not one of "
                f"{', '.join(map(repr, self.choices))}",
                "use one of the listed choices",
            )
        if self.type == "url":
            parts = urlsplit(text.strip())
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise VariableValueError(
                    "url",
                    f"{short_repr(text, _VALUE_CHARS)} is not an http(s) URL",
                    "give a full URL: https://...",
                )
            return text.strip()
        if self.pattern is not None and not re.fullmatch(self.pattern, text):
            raise VariableValueError(
                "pattern",
                f"{short_repr(text, _VALUE_CHARS)} does not match {self.pattern!r}",
                self.description or "fix the value to match the pattern",
            )
        return text

    def _number(self, value: object) -> int | float:
        number: int | float
        if isinstance(value, bool):
            raise VariableValueError(
                "type", "expected a number, got a boolean", "give a number such as 12.5"
            )
        if isinstance(value, (int, float)):
            number = value
        elif isinstance(value, str):
            text = value.strip()
            try:
                number = int(text)
            except ValueError:
                try:
                    number = float(text)
                except ValueError:
                    raise VariableValueError(
                        "type",
                        f"{short_repr(value, _VALUE_CHARS)} is not a number",
                        "write it with digits and a '.' decimal point, e.g. 1299.5",
                    ) from None
        else:
            raise VariableValueError(
                "type", f"expected a number, got {type(value).__name__}", "give a number"
            )
        if not _finite(number):
            raise VariableValueError(
                "type", f"{short_value(value)} is not a finite number", "give a finite number"
            )
        if self.type == "integer" and isinstance(number, float):
            if not number.is_integer():
                raise VariableValueError(
                    "type",
                    f"{short_repr(value, _VALUE_CHARS)} is not a whole number",
                    "drop the decimals",
                )
            number = int(number)
        if self.minimum is not None and number < self.minimum:
            raise VariableValueError(
                "minimum",
                f"{number} is below the minimum {self.minimum:g}",
                f"use a value >= {self.minimum:g}",
            )
        if self.maximum is not None and number > self.maximum:
            raise VariableValueError(
                "maximum",
                f"{number} is above the maximum {self.maximum:g}",
                f"use a value <= {self.maximum:g}",
            )
        return number

    def json_schema(self) -> dict[str, Any]:
        """This variable as a JSON Schema (draft 2020-12) property."""
        schema: dict[str, Any]
        if self.type == "select":
            schema = {"enum": list(self.choices)}
        elif self.type == "any":
            schema = {}
        else:
            schema = {
                "type": {
                    "text": "string",
                    "url": "string",
                    "number": "number",
                    "integer": "integer",
                    "boolean": "boolean",
                    "array": "array",
                    "object": "object",
                }[self.type]
            }
        if self.type == "url":
            schema["format"] = "uri"
            schema["pattern"] = "^https?://"
        if self.pattern is not None:
            schema["pattern"] = self.pattern
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.description:
            schema["description"] = self.description
        if self.default is not NO_DEFAULT:
            schema["default"] = self.default
        return schema


def _finite(number: int | float) -> bool:
    try:  # an int beyond a float's range is no number the service (or JSON tools) can read
        return math.isfinite(float(number))
    except OverflowError:
        return False


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise VariableValueError(
        "type", f"{short_value(value)} is not a boolean", "write true or false (or yes / no)"
    )


def _container(value: object, kind: type[object], name: str, example: str) -> object:
    if isinstance(value, str):  # CSV cells carry arrays and objects as JSON text
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise VariableValueError(
                "type", f"{short_value(value)} is not valid JSON", f"write {example}"
            ) from None
    if not isinstance(value, kind):
        raise VariableValueError(
            "type", f"expected {name}, got {type(value).__name__}", f"write {example}"
        )
    return value


_JSON_KINDS = frozenset({"boolean", "integer", "number", "array", "object"})


def _infer_type(value: object) -> str:
    """The declared-variable type of a default value (JSON's names, in template words)."""
    kind = json_type(value)
    return {"string": "text", "null": "any"}.get(kind, kind if kind in _JSON_KINDS else "any")


def infer_variables(doc: Mapping[str, Any]) -> list[Variable]:
    """Variables of a placeholder movie: its movie-level ``variables`` (their values are
    the defaults, their types inferred) and every other ``{{name}}`` it uses (required)."""
    declared = doc.get("variables")
    declared = declared if isinstance(declared, dict) else {}
    out: list[Variable] = []
    for name, default in declared.items():
        if is_variable_name(name):
            out.append(Variable(name, _infer_type(default), default=default))
    for name in sorted(names_in_document(doc) - set(declared)):
        # Used but given no value: required, of any type (a number, a text, a URL ...).
        out.append(Variable(name, "any", description="used in the movie"))
    return out


def variables_from_descriptors(descriptors: Sequence[object]) -> list[Variable]:
    """Variables from the service's descriptors (``format=make``: name, type, default ...).

    Make.com artefacts (``make_webhook_url``, ``client_data``) are skipped.
    Defaults come back as strings; they are coerced to the declared type.
    """
    out: list[Variable] = []
    for item in descriptors:
        if not isinstance(item, Mapping):
            continue
        name = item.get("name")
        if not isinstance(name, str) or name in _SERVICE_ARTEFACTS or not is_variable_name(name):
            continue
        kind = str(item.get("type") or "text").lower()
        kind = _ALIASES.get(kind, kind)
        if kind not in _TYPES:
            kind = "any"  # a type the service added later: accept any value
        choices = tuple(
            (c.get("value", c.get("label")) if isinstance(c, Mapping) else c)
            for c in (item.get("options") or item.get("choices") or ())
        )
        if kind == "select" and not choices:
            kind = "text"
        default = item.get("default", NO_DEFAULT)
        if default == "" and kind != "text":
            default = NO_DEFAULT
        description = str(item.get("help") or item.get("label") or "")
        required = item.get("required")
        try:
            var = Variable(
                name,
                kind,
                default=default,
                required=bool(required) if required is not None else None,
                description=description,
                choices=choices,
            )
        except TemplateError:
            # A default the declared type cannot hold: keep the variable, drop the default.
            var = Variable(name, kind, required=True, description=description, choices=choices)
        out.append(var)
    return out
