"""Templates: one movie design, many rows of data, typed variables checked locally.

Two ways to template (issue: "templated videos from data"):

(a) **Python-side**: a function from a row to a :class:`~moviekit.Movie` (or a
    Movie JSON dict). Anything Python can do is allowed; each row builds its
    own document::

        MovieTemplate(lambda row: Movie().add(Scene().add(Text(row["title"]))),
                      variables=[Variable("title")])

(b) **Service-side**: a movie with ``{{name}}`` placeholders plus ``variables``
    (the service substitutes them), or a saved template id plus variables::

        MovieTemplate(Movie().variables(title="").add(Scene().add(Text("{{title}}"))))
        MovieTemplate("aBcDeFgHiJkLmNoPqRsT", variables=[Variable("title")])
        MovieTemplate.from_service(client, "aBcDeFgHiJkLmNoPqRsT")  # its variable list

Either way the template *declares* its variables (:class:`Variable`: name,
type, default, required, description). Each row is checked against that
declaration before anything is sent: CSV text such as ``"19.90"`` becomes the
number ``19.9``, a missing required value or a word in a number column is a
:class:`~moviekit.RowProblem` at ``rows[12].price`` naming the fix. The
declaration exports as a JSON Schema (:meth:`MovieTemplate.json_schema`) for
other tools (form builders, data pipelines).

For a placeholder movie, the dry run also substitutes each row's values
locally and validates the *resolved* document, so a value that breaks the
movie (a ``src`` URL of the wrong kind) is caught before a credit is spent;
what is sent is still the placeholder movie plus ``variables``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast
from urllib.parse import urlsplit

from moviekit._errors import MoviekitError
from moviekit._problems import Problem, json_type, short_json
from moviekit.batch._errors import RowProblem, TemplateError
from moviekit.batch._rows import Row
from moviekit.builders._movie import Movie
from moviekit.service._schema import VARIABLE_NAME
from moviekit.validation._validate import validate

__all__ = ["NO_DEFAULT", "BuiltRow", "MovieTemplate", "Template", "Variable"]

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
_NAME = re.compile(VARIABLE_NAME)
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
NO_DEFAULT: Any = _NoDefault()


def _short(value: Any) -> str:
    return short_json(value, _VALUE_CHARS)


class _Bad(Exception):
    """A value a variable cannot take (internal; becomes a RowProblem)."""

    def __init__(self, code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


def _is_missing(value: Any) -> bool:
    # An empty CSV cell means "no value", like an absent key or a JSON null.
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
    default: Any = NO_DEFAULT
    required: bool | None = None
    description: str = ""
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME.match(self.name):
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
            except _Bad as bad:
                raise TemplateError(
                    f"variable {self.name!r}: the default {_short(self.default)} is not valid: "
                    f"{bad.message}"
                ) from None

    @property
    def is_required(self) -> bool:
        """True when a row must give a value (no default, and not declared optional)."""
        if self.required is not None:
            return self.required
        return self.default is NO_DEFAULT

    def coerce(self, value: Any) -> Any:
        """The value as this variable's type (CSV text included), or raise ``_Bad``."""
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

    def _text(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise _Bad("type", f"expected text, got {type(value).__name__}", "give a string")
        text = value if isinstance(value, str) else _number_text(value)
        if self.type == "select":
            for choice in self.choices:
                if text == choice or text == str(choice):
                    return choice
            raise _Bad(
                "choice",
                f"{text!r} is not one of {', '.join(map(repr, self.choices))}",
                "use one of the listed choices",
            )
        if self.type == "url":
            parts = urlsplit(text.strip())
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise _Bad("url", f"{text!r} is not an http(s) URL", "give a full URL: https://...")
            return text.strip()
        if self.pattern is not None and not re.fullmatch(self.pattern, text):
            raise _Bad(
                "pattern",
                f"{text!r} does not match {self.pattern!r}",
                self.description or "fix the value to match the pattern",
            )
        return text

    def _number(self, value: Any) -> int | float:
        number: int | float
        if isinstance(value, bool):
            raise _Bad("type", "expected a number, got a boolean", "give a number such as 12.5")
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
                    raise _Bad(
                        "type",
                        f"{value!r} is not a number",
                        "write it with digits and a '.' decimal point, e.g. 1299.5",
                    ) from None
        else:
            raise _Bad("type", f"expected a number, got {type(value).__name__}", "give a number")
        if isinstance(number, float) and not math.isfinite(number):
            raise _Bad("type", f"{value!r} is not a finite number", "give a finite number")
        if self.type == "integer" and isinstance(number, float):
            if not number.is_integer():
                raise _Bad("type", f"{value!r} is not a whole number", "drop the decimals")
            number = int(number)
        if self.minimum is not None and number < self.minimum:
            raise _Bad(
                "minimum",
                f"{number} is below the minimum {self.minimum:g}",
                f"use a value >= {self.minimum:g}",
            )
        if self.maximum is not None and number > self.maximum:
            raise _Bad(
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


def _number_text(value: int | float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _boolean(value: Any) -> bool:
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
    raise _Bad("type", f"{_short(value)} is not a boolean", "write true or false (or yes / no)")


def _container(value: Any, kind: type, name: str, example: str) -> Any:
    if isinstance(value, str):  # CSV cells carry arrays and objects as JSON text
        try:
            value = json.loads(value)
        except ValueError:
            raise _Bad("type", f"{_short(value)} is not valid JSON", f"write {example}") from None
    if not isinstance(value, kind):
        raise _Bad("type", f"expected {name}, got {type(value).__name__}", f"write {example}")
    return value


_JSON_KINDS = frozenset({"boolean", "integer", "number", "array", "object"})


def _infer_type(value: Any) -> str:
    """The declared-variable type of a default value (JSON's names, in template words)."""
    kind = json_type(value)
    return {"string": "text", "null": "any"}.get(kind, kind if kind in _JSON_KINDS else "any")


# ----------------------------------------------------------------- placeholders

_WHOLE = re.compile(r"\s*\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}\s*")
_SIMPLE = re.compile(r"\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}")
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)
_IDENT = re.compile(r"(?<![\w.'\"])([A-Za-z_][A-Za-z0-9_]*)")
_STRING_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
_EXPR_WORDS = frozenset(
    {"and", "or", "not", "true", "false", "null", "min", "max", "True", "False"}
)

#: Resolves one node for a row: ``(values, texts)`` -> the node with placeholders filled.
Resolver = Callable[[Mapping[str, Any], Mapping[str, str]], Any]


def _segments(text: str, shadowed: frozenset[str]) -> list[str | tuple[str, str]]:
    """``"{{a}} at {{b}}"`` -> ``[("a", "{{a}}"), " at ", ("b", "{{b}}")]``, split once."""
    out: list[str | tuple[str, str]] = []
    last = 0
    for match in _SIMPLE.finditer(text):
        if match[1] in shadowed:
            continue
        if match.start() > last:
            out.append(text[last : match.start()])
        out.append((match[1], match[0]))
        last = match.end()
    if last < len(text):
        out.append(text[last:])
    return out


def _compile_substitution(node: Any, shadowed: frozenset[str] = frozenset()) -> Resolver | None:
    """A function that resolves ``{{name}}`` placeholders in ``node``, or None if there are none.

    Subtrees without placeholders are shared, not copied, and strings are split
    into pieces once: the resolved document of each row costs only the
    containers on the way to a placeholder and one join per templated string.
    Names defined in an inner scope (scene / element ``variables``) are left
    alone, because the service resolves them from that scope, and so are the
    placeholders of scenes with ``iterate`` (their values come from array items).
    """
    if isinstance(node, str):
        if "{{" not in node:
            return None
        whole = _WHOLE.fullmatch(node)
        if whole and whole[1] not in shadowed:
            name = whole[1]
            return lambda values, texts: values.get(name, node)
        pieces = _segments(node, shadowed)
        if all(isinstance(p, str) for p in pieces):
            return None  # only expressions or shadowed names: the service resolves them

        def embedded(values: Mapping[str, Any], texts: Mapping[str, str]) -> Any:
            return "".join(p if isinstance(p, str) else texts.get(p[0], p[1]) for p in pieces)

        return embedded
    if isinstance(node, dict):
        if "iterate" in node:
            return None
        inner = node.get("variables")
        scope = shadowed | frozenset(inner) if isinstance(inner, dict) else shadowed
        parts = [
            (key, _compile_substitution(value, scope))
            for key, value in node.items()
            if key != "variables"
        ]
        dynamic = [(k, r) for k, r in parts if r is not None]
        if not dynamic:
            return None

        def resolve_dict(values: Mapping[str, Any], texts: Mapping[str, str]) -> Any:
            out = dict(node)
            for key, resolver in dynamic:
                out[key] = resolver(values, texts)
            return out

        return resolve_dict
    if isinstance(node, list):
        items = [_compile_substitution(item, shadowed) for item in node]
        if all(r is None for r in items):
            return None
        pairs = [(i, r) for i, r in enumerate(items) if r is not None]

        def resolve_list(values: Mapping[str, Any], texts: Mapping[str, str]) -> Any:
            out = list(node)
            for index, resolver in pairs:
                out[index] = resolver(values, texts)
            return out

        return resolve_list
    return None


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number_text(value)
    return json.dumps(value)


def _placeholder_names(node: Any, out: set[str], shadowed: frozenset[str]) -> None:
    """Collect the names used in ``{{ }}`` outside inner scopes and ``iterate`` scenes."""
    if isinstance(node, str):
        for expr in _EXPRESSION.findall(node):
            for name in _IDENT.findall(_STRING_LITERAL.sub("", expr)):
                if name not in _EXPR_WORDS and name not in shadowed:
                    out.add(name)
    elif isinstance(node, dict):
        if "iterate" in node:
            return
        inner = node.get("variables")
        scope = shadowed | frozenset(inner) if isinstance(inner, dict) else shadowed
        for key, value in node.items():
            if key != "variables":
                _placeholder_names(value, out, scope)
    elif isinstance(node, list):
        for item in node:
            _placeholder_names(item, out, shadowed)


def infer_variables(doc: Mapping[str, Any]) -> list[Variable]:
    """Variables of a placeholder movie: its movie-level ``variables`` (their values are
    the defaults, their types inferred) and every other ``{{name}}`` it uses (required)."""
    declared = doc.get("variables")
    declared = declared if isinstance(declared, dict) else {}
    out: list[Variable] = []
    for name, default in declared.items():
        if _NAME.match(name):
            out.append(Variable(name, _infer_type(default), default=default))
    used: set[str] = set()
    _placeholder_names({k: v for k, v in doc.items() if k != "variables"}, used, frozenset())
    for name in sorted(used - set(declared)):
        # Used but given no value: required, of any type (a number, a text, a URL ...).
        out.append(Variable(name, "any", description="used in the movie"))
    return out


# ----------------------------------------------------------------- the template


@dataclass(frozen=True)
class BuiltRow:
    """A row built into its payload (the exact JSON to send), or the problems that stop it."""

    row: Row
    payload: dict[str, Any] | None
    problems: tuple[RowProblem, ...] = ()
    warnings: tuple[RowProblem, ...] = field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        """True when the row can be submitted."""
        return self.payload is not None and not self.problems


RowFunction = Callable[[dict[str, Any]], Any]


class MovieTemplate:
    """One movie design for many rows, with declared, typed variables.

    Args:
        source: a function ``row -> Movie | dict`` (Python-side templating); a
            :class:`~moviekit.Movie` or Movie JSON dict with ``{{placeholders}}``
            (service-side); or a saved template's 20-character id.
        variables: the declaration: :class:`Variable` objects, or a mapping
            ``{"price": "number", "title": Variable("title", ...)}``. Omitted
            for a placeholder movie, it is inferred from the movie (its
            ``variables`` are defaults, other placeholders are required). Omitted
            for a function or a saved id, rows are passed as they are.
        name: a title for reports and the JSON Schema.
        overrides: top-level properties sent with a saved template
            (``resolution``, ``client-data`` ...).

    Raises :class:`~moviekit.TemplateError` when the declaration or a
    placeholder movie is unusable (the movie is validated once, here).
    """

    def __init__(
        self,
        source: Any,
        variables: Iterable[Variable] | Mapping[str, str | Variable] | None = None,
        *,
        name: str = "",
        overrides: Mapping[str, Any] | None = None,
    ) -> None:
        self.name = name
        self._function: RowFunction | None = None
        self._template_id: str | None = None
        self._base: dict[str, Any] | None = None
        self._resolve: Resolver | None = None
        self._overrides = dict(overrides or {})
        if isinstance(source, str):
            self.kind: Literal["function", "movie", "saved"] = "saved"
            self._template_id = source
            report = validate({"template": source, "variables": {}, **self._overrides})
            if not report.ok:
                raise TemplateError(f"template {source!r}: {report.describe()}")
        elif isinstance(source, (Movie, Mapping)):
            self.kind = "movie"
            base = source.to_dict(validate=False) if isinstance(source, Movie) else dict(source)
            report = validate(base)
            if not report.ok:
                raise TemplateError(
                    "the template movie itself is invalid (every row would fail):\n"
                    + report.describe()
                )
            self._base = json.loads(json.dumps(base))  # a private copy the rows share
            self._resolve = _compile_substitution(
                {k: v for k, v in self._base.items() if k != "variables"}
            )
        elif callable(source):
            self.kind = "function"
            self._function = cast(RowFunction, source)
            self.name = name or getattr(source, "__name__", "")
        else:
            raise TemplateError(
                f"a template is a function row -> Movie, a Movie with {{{{placeholders}}}}, or a "
                f"saved template id; got {type(source).__name__}"
            )
        self.variables: tuple[Variable, ...] = self._declare(variables)
        self._by_name = {v.name: v for v in self.variables}
        if len(self._by_name) != len(self.variables):
            dupes = sorted(
                {
                    v.name
                    for v in self.variables
                    if sum(w.name == v.name for w in self.variables) > 1
                }
            )
            raise TemplateError(f"variable(s) declared twice: {', '.join(dupes)}")

    def _declare(
        self, variables: Iterable[Variable] | Mapping[str, str | Variable] | None
    ) -> tuple[Variable, ...]:
        if variables is None:
            if self.kind == "movie" and self._base is not None:
                return tuple(infer_variables(self._base))
            return ()
        if isinstance(variables, Mapping):
            out = []
            for name, spec in variables.items():
                if isinstance(spec, Variable):
                    if spec.name != name:
                        raise TemplateError(
                            f"variables[{name!r}] declares a variable named {spec.name!r}"
                        )
                    out.append(spec)
                else:
                    out.append(Variable(name, spec))
            return tuple(out)
        items = tuple(variables)
        for item in items:
            if not isinstance(item, Variable):
                raise TemplateError(
                    f"variables must be Variable objects, got {type(item).__name__}"
                )
        return items

    # ------------------------------------------------------------ constructors
    @classmethod
    def from_service(cls, client: Any, template_id: str, **kwargs: Any) -> MovieTemplate:
        """A saved template with the variable list the service gives for it.

        Uses the template's variable descriptors when the answer carries them
        (``variables``: name, type, default, required, help); otherwise infers
        them from the template's movie (its ``variables`` and placeholders).
        """
        saved = client.templates.get(template_id)
        extra = getattr(saved, "model_extra", None) or {}
        descriptors = extra.get("variables")
        if isinstance(descriptors, list):
            variables = variables_from_descriptors(descriptors)
        elif isinstance(saved.movie, dict):
            variables = infer_variables(saved.movie)
        else:
            variables = []
        kwargs.setdefault("name", saved.name)
        return cls(template_id, variables, **kwargs)

    # ------------------------------------------------------------ repr / schema
    def __repr__(self) -> str:
        what = {
            "function": f"function={self.name or '<lambda>'}",
            "movie": "movie=<placeholders>",
            "saved": f"template_id={self._template_id!r}",
        }[self.kind]
        names = ", ".join(v.name for v in self.variables)
        return f"MovieTemplate({what}, variables=[{names}])"

    @property
    def template_id(self) -> str | None:
        """The saved template's id (``None`` for other kinds)."""
        return self._template_id

    def json_schema(self) -> dict[str, Any]:
        """The variable declaration as a JSON Schema (draft 2020-12) for one row."""
        schema: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": self.name or "moviekit template row",
            "type": "object",
            "properties": {v.name: v.json_schema() for v in self.variables},
            "required": [v.name for v in self.variables if v.is_required],
            # Rows usually carry more columns (the key, notes): they are allowed.
            "additionalProperties": True,
        }
        return schema

    # ------------------------------------------------------------ rows
    def check(self, row: Row | Mapping[str, Any]) -> tuple[dict[str, Any], list[RowProblem]]:
        """The row's declared variables, typed, and every problem with them.

        Returns ``(values, problems)``: ``values`` holds each declared variable
        (a row value coerced to its type, else its default); undeclared columns
        are left out. Without a declaration, every column is a value.
        """
        row = _as_row(row)
        data = row.values
        if not self.variables:
            return dict(data), []
        values: dict[str, Any] = {}
        problems: list[RowProblem] = []
        for var in self.variables:
            raw = data.get(var.name)
            if _is_missing(raw):
                if var.default is not NO_DEFAULT:
                    values[var.name] = var.default
                elif var.is_required:
                    about = f" ({var.description})" if var.description else ""
                    problems.append(
                        RowProblem(
                            row.key,
                            f"{row.path}.{var.name}",
                            "required",
                            f"missing required {'' if var.type == 'any' else var.type + ' '}"
                            f"variable {var.name!r}{about}",
                            hint=f"add a {var.name!r} column/value, or give the variable a default",
                        )
                    )
                continue
            try:
                values[var.name] = var.coerce(raw)
            except _Bad as bad:
                problems.append(
                    RowProblem(
                        row.key,
                        f"{row.path}.{var.name}",
                        bad.code,
                        bad.message,
                        hint=bad.hint,
                        value=_short(raw),
                    )
                )
        return values, problems

    def build(self, row: Row | Mapping[str, Any], *, validate_movie: bool = True) -> BuiltRow:
        """Check ``row``, build its payload and validate it; never raises for a bad row.

        The payload is the exact Movie JSON to submit (before moviekit adds its
        submission key to ``client-data``).
        """
        row = _as_row(row)
        values, problems = self.check(row)
        if problems:
            return BuiltRow(row, None, tuple(problems))
        try:
            payload, checked = self._payload(row, values)
        except MoviekitError as exc:
            return BuiltRow(row, None, (_build_problem(row, exc, getattr(exc, "path", "")),))
        except Exception as exc:  # the user's row function failed on this row
            return BuiltRow(row, None, (_build_problem(row, exc, ""),))
        if not validate_movie:
            return BuiltRow(row, payload)
        report = validate(checked)
        errors = tuple(_movie_problem(row, p) for p in report.errors)
        warnings = tuple(_movie_problem(row, p) for p in report.warnings)
        return BuiltRow(row, None if errors else payload, errors, warnings)

    def _payload(self, row: Row, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """(what to send, what to validate) for one row."""
        if self._function is not None:
            arguments = {**row.values, **values}
            made = self._function(arguments)
            if isinstance(made, Movie):
                doc = made.to_dict(validate=False)
            elif isinstance(made, Mapping):
                doc = dict(made)
            else:
                raise TemplateError(
                    f"the row function must return a Movie or a dict, got {type(made).__name__}"
                )
            return doc, doc
        if self._template_id is not None:
            payload = {**self._overrides, "template": self._template_id, "variables": values}
            return payload, payload
        assert self._base is not None  # a movie template
        base_vars = self._base.get("variables")
        merged = {**(base_vars if isinstance(base_vars, dict) else {}), **values}
        payload = {**self._base, "variables": merged}
        if self._resolve is None:
            return payload, payload
        # Each value turned into text once per row, however often the movie uses it.
        resolved = self._resolve(merged, {k: _as_text(v) for k, v in merged.items()})
        resolved["variables"] = merged
        return payload, resolved


def _as_row(row: Row | Mapping[str, Any]) -> Row:
    if isinstance(row, Row):
        return row
    return Row("0", 0, row)


def _build_problem(row: Row, exc: BaseException, where: str) -> RowProblem:
    path = f"{row.path}.movie.{where}" if where else f"{row.path}.movie"
    return RowProblem(
        row.key,
        path,
        "build-failed",
        f"building the movie failed: {type(exc).__name__}: {exc}",
        hint="fix the row's data or the template function for this row",
    )


def _movie_problem(row: Row, problem: Problem) -> RowProblem:
    path = f"{row.path}.movie.{problem.path}" if problem.path else f"{row.path}.movie"
    return RowProblem(
        row.key,
        path,
        problem.code,
        problem.message,
        hint=problem.hint,
        value=problem.value,
        severity=problem.severity,
    )


def variables_from_descriptors(descriptors: Sequence[Any]) -> list[Variable]:
    """Variables from the service's descriptors (``format=make``: name, type, default ...).

    Make.com artefacts (``make_webhook_url``, ``client_data``) are skipped.
    Defaults come back as strings; they are coerced to the declared type.
    """
    out: list[Variable] = []
    for item in descriptors:
        if not isinstance(item, Mapping):
            continue
        name = item.get("name")
        if not isinstance(name, str) or name in _SERVICE_ARTEFACTS or not _NAME.match(name):
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


#: The brief's name for the class; ``moviekit.Template`` is the service's saved
#: template (``client.templates.get``), so the package exports ``MovieTemplate``.
Template = MovieTemplate
