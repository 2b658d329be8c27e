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

Either way the template *declares* its variables (:class:`~moviekit.Variable`,
see ``_variables``). Each row is checked against that declaration before
anything is sent: a missing required value or a word in a number column is a
:class:`~moviekit.RowProblem` at ``rows[12].price`` naming the fix. The
declaration exports as a JSON Schema (:meth:`MovieTemplate.json_schema`) for
other tools (form builders, data pipelines).

For a placeholder movie, the dry run also substitutes each row's values
locally (:class:`moviekit.service._placeholders.Substitution`, the service's
scoping rules) and validates the *resolved* document, so a value that breaks
the movie (a ``src`` URL of the wrong kind) is caught before a credit is
spent; what is sent is still the placeholder movie plus ``variables``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from moviekit._errors import MoviekitError, TemplateError, VariableValueError
from moviekit._problems import Problem, RowProblem
from moviekit.batch._built import BuiltRow, payload_hash
from moviekit.batch._rows import Row
from moviekit.batch._variables import (
    NO_DEFAULT,
    Variable,
    infer_variables,
    is_missing,
    short_value,
    variables_from_descriptors,
)
from moviekit.builders._movie import Movie
from moviekit.service._placeholders import Substitution
from moviekit.validation._validate import validate

if TYPE_CHECKING:  # pragma: no cover - imported for type hints only
    from moviekit.transport._client import Client

__all__ = ["MovieTemplate", "RowFunction", "TemplateSource"]

#: Python-side templating: a row's values (typed by the declaration) -> its movie.
RowFunction: TypeAlias = Callable[[dict[str, Any]], "Movie | Mapping[str, Any]"]
#: What a :class:`MovieTemplate` is made from: a row function, a placeholder movie
#: (a Movie or Movie JSON), or a saved template's id.
TemplateSource: TypeAlias = "RowFunction | Movie | Mapping[str, Any] | str"


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
        source: TemplateSource,
        variables: Iterable[Variable] | Mapping[str, str | Variable] | None = None,
        *,
        name: str = "",
        overrides: Mapping[str, Any] | None = None,
    ) -> None:
        self.name = name
        self._function: RowFunction | None = None
        self._template_id: str | None = None
        self._base: dict[str, Any] | None = None
        self._substitution: Substitution | None = None
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
            self._substitution = Substitution(self._base)
        elif callable(source):
            self.kind = "function"
            self._function = source
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
    def from_service(
        cls,
        client: Client,
        template_id: str,
        *,
        name: str = "",
        overrides: Mapping[str, Any] | None = None,
    ) -> MovieTemplate:
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
        return cls(template_id, variables, name=name or saved.name, overrides=overrides)

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
    def check(self, row: Row | Mapping[str, object]) -> tuple[dict[str, Any], list[RowProblem]]:
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
            if is_missing(raw):
                if var.default is not NO_DEFAULT:
                    values[var.name] = var.default
                elif var.is_required:
                    about = f" ({var.description})" if var.description else ""
                    problems.append(
                        RowProblem(
                            path=f"{row.path}.{var.name}",
                            code="required",
                            message=f"missing required "
                            f"{'' if var.type == 'any' else var.type + ' '}"
                            f"variable {var.name!r}{about}",
                            hint=f"add a {var.name!r} column/value, or give the variable a default",
                            row_key=row.key,
                        )
                    )
                continue
            try:
                values[var.name] = var.coerce(raw)
            except VariableValueError as bad:
                problems.append(
                    RowProblem(
                        path=f"{row.path}.{var.name}",
                        code=bad.code,
                        message=bad.message,
                        hint=bad.hint,
                        value=short_value(raw),
                        row_key=row.key,
                    )
                )
        return values, problems

    def build(self, row: Row | Mapping[str, object], *, validate_movie: bool = True) -> BuiltRow:
        """Check ``row``, build its payload and validate it; never raises for a bad row.

        The payload is the exact Movie JSON to submit (before moviekit adds its
        submission key to ``client-data``); a payload JSON cannot carry (a
        ``bytes`` value, ``NaN``) is a problem of the row, not a later crash.
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
        try:
            digest = payload_hash(payload)
        except (TypeError, ValueError, RecursionError) as exc:
            return BuiltRow(row, None, (_not_json_problem(row, exc),))
        if not validate_movie:
            return BuiltRow(row, payload, payload_hash=digest)
        report = validate(checked)
        errors = tuple(_movie_problem(row, p) for p in report.errors)
        warnings = tuple(_movie_problem(row, p) for p in report.warnings)
        if errors:
            return BuiltRow(row, None, errors, warnings)
        return BuiltRow(row, payload, (), warnings, payload_hash=digest)

    def _payload(self, row: Row, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """(what to send, what to validate) for one row."""
        if self._function is not None:
            arguments = {**row.values, **values}
            made: object = self._function(arguments)
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
        if self._substitution is None or not self._substitution.names:
            return payload, payload
        resolved = self._substitution(merged)
        resolved["variables"] = merged
        return payload, resolved


def _as_row(row: Row | Mapping[str, object]) -> Row:
    if isinstance(row, Row):
        return row
    return Row("0", 0, row)


def _build_problem(row: Row, exc: BaseException, where: str) -> RowProblem:
    path = f"{row.path}.movie.{where}" if where else f"{row.path}.movie"
    return RowProblem(
        path=path,
        code="build-failed",
        message=f"building the movie failed: {type(exc).__name__}: {exc}",
        hint="fix the row's data or the template function for this row",
        row_key=row.key,
    )


def _not_json_problem(row: Row, exc: BaseException) -> RowProblem:
    return RowProblem(
        path=f"{row.path}.movie",
        code="not-json",
        message=f"the movie cannot be sent as JSON: {exc}",
        hint="give values JSON can carry: text, finite numbers, true/false, lists, objects",
        row_key=row.key,
    )


def _movie_problem(row: Row, problem: Problem) -> RowProblem:
    path = f"{row.path}.movie.{problem.path}" if problem.path else f"{row.path}.movie"
    return RowProblem(
        path=path,
        code=problem.code,
        message=problem.message,
        severity=problem.severity,
        hint=problem.hint,
        value=problem.value,
        element_type=problem.element_type,
        row_key=row.key,
    )
