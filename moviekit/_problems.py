"""The record of a problem found in a movie, and the report that collects them.

The floor of the house: every layer may import this module, and it imports
nothing from moviekit. :class:`Problem` is what validation, the batch dry run
and the CLI all speak (:class:`RowProblem` is a problem in one row of a batch);
:func:`format_path` spells the paths they carry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = [
    "Problem",
    "RowProblem",
    "Severity",
    "ValidationReport",
    "describe_row_problems",
    "format_path",
    "json_type",
    "short_json",
    "short_repr",
    "shorten",
]

Severity = Literal["error", "warning"]

_MAX_VALUE = 60


def shorten(text: str, limit: int = _MAX_VALUE) -> str:
    """``text`` cut to ``limit`` characters, ending in ``...`` when cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def short_repr(value: Any, limit: int = _MAX_VALUE) -> str:
    """``repr(value)``, cut to a readable length (for messages about Python values)."""
    return shorten(repr(value), limit)


#: ``json.dumps(value, ensure_ascii=False)`` without making an encoder per call
_TO_JSON = json.JSONEncoder(ensure_ascii=False).encode


def short_json(value: Any, limit: int = _MAX_VALUE) -> str:
    """``value`` as JSON (``repr`` for what JSON cannot carry), cut to a readable length."""
    try:
        # an int is written as json writes it, without the encoder's machinery (a warning
        # about a number is common: a movie with thousands of them explains each one)
        text = int.__repr__(value) if type(value) is int else _TO_JSON(value)
    except (TypeError, ValueError):
        text = repr(value)
    return shorten(text, limit)


@dataclass(frozen=True, init=False)
class Problem:
    """One thing wrong (an error) or suspicious (a warning) in a movie."""

    path: str
    """Where: ``scenes[1].elements[0].src``; ``""`` for the movie itself."""
    code: str
    """Stable identifier, e.g. ``enum``, ``required``, ``unknown-property``, ``missing-src``."""
    message: str
    """What is wrong, in a sentence."""
    severity: Severity = "error"
    hint: str = ""
    """How to fix it."""
    value: str | None = None
    """The offending value, as short JSON (truncated)."""
    element_type: str | None = None
    """The ``type`` of the element the path is in, when it is in one."""

    def __init__(
        self,
        path: str,
        code: str,
        message: str,
        severity: Severity = "error",
        hint: str = "",
        value: str | None = None,
        element_type: str | None = None,
    ) -> None:
        # What the dataclass would write, in a third of its time: a frozen dataclass sets
        # each field with object.__setattr__, and validating a large template movie makes
        # thousands of problems.
        fields = self.__dict__
        fields["path"] = path
        fields["code"] = code
        fields["message"] = message
        fields["severity"] = severity
        fields["hint"] = hint
        fields["value"] = value
        fields["element_type"] = element_type

    def __str__(self) -> str:
        where = self.path or "(movie)"
        text = f"{where}: {self.message} [{self.code}]"
        return f"{text}\n    hint: {self.hint}" if self.hint else text

    def to_dict(self) -> dict[str, Any]:
        """The problem as plain JSON data (what ``moviekit validate --json`` prints)."""
        return asdict(self)


@dataclass(frozen=True)
class RowProblem(Problem):
    """A :class:`Problem` in one row of a batch: the same fields plus the row's key.

    ``path`` starts at the row: ``rows[12].price`` for a variable,
    ``rows[12].movie.scenes[0].elements[1].src`` for the movie built from it.
    The index is the row's position in the input (0-based), so it points into
    the file even when rows are keyed by a column.
    """

    row_key: str = field(default="", kw_only=True)
    """The row's key (its key column's value, else its position)."""

    def __str__(self) -> str:
        shown = self.value is not None and self.value.strip('"') not in self.message
        got = f" (got {self.value})" if shown else ""
        text = f"row {self.row_key!r} {self.path}: {self.message}{got} [{self.code}]"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


#: Row problems shown in a message; the full list stays on ``.problems``.
_ROW_PROBLEMS_SHOWN = 20


def describe_row_problems(
    problems: Sequence[RowProblem], *, limit: int = _ROW_PROBLEMS_SHOWN
) -> str:
    """Row problems as text: a count line, then one block per problem (at most ``limit``)."""
    errors = [p for p in problems if p.severity == "error"]
    rows = len({p.row_key for p in errors})
    lines = [f"{len(errors)} error(s) in {rows} row(s)"]
    lines.extend(str(p) for p in problems[:limit])
    if len(problems) > limit:
        lines.append(f"... and {len(problems) - limit} more (see .problems, or --json)")
    return "\n".join(lines)


class ValidationReport:
    """The outcome of :func:`validate`: errors, warnings, and ``ok`` when there are no errors.

    A value: equal reports compare equal, and nothing changes it after it is
    made. A large template movie has thousands of warnings that most callers
    never read (``Movie.to_json`` asks only whether there are errors), so
    validation may hand over its warnings as a function that writes them: they
    are written on the first read of :attr:`warnings`, from what validation
    recorded (never from the document again, which may have changed since).
    """

    __slots__ = ("_pending", "_warnings", "errors")

    errors: tuple[Problem, ...]
    _warnings: tuple[Problem, ...]
    _pending: Callable[[], tuple[Problem, ...]] | None

    def __init__(
        self, errors: tuple[Problem, ...] = (), warnings: tuple[Problem, ...] = ()
    ) -> None:
        _set = object.__setattr__
        _set(self, "errors", tuple(errors))
        _set(self, "_warnings", tuple(warnings))
        _set(self, "_pending", None)

    @classmethod
    def with_pending_warnings(
        cls, errors: tuple[Problem, ...], write: Callable[[], tuple[Problem, ...]]
    ) -> ValidationReport:
        """A report whose warnings ``write()`` makes on their first read (once, in any thread)."""
        report = cls(errors)
        object.__setattr__(report, "_pending", write)
        return report

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Everything suspicious that is not an error, in document order."""
        pending = self._pending
        if pending is not None:
            # Two threads may both write them: the same tuple either way, and one is kept.
            object.__setattr__(self, "_warnings", pending())
            object.__setattr__(self, "_pending", None)
        return self._warnings

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a ValidationReport does not change: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a ValidationReport does not change: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, ValidationReport)
        return self.errors == other.errors and self.warnings == other.warnings

    def __hash__(self) -> int:
        return hash((self.errors, self.warnings))

    def __repr__(self) -> str:
        return f"ValidationReport(errors={self.errors!r}, warnings={self.warnings!r})"

    def __reduce__(self) -> tuple[type[ValidationReport], tuple[Any, ...]]:
        return (ValidationReport, (self.errors, self.warnings))

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Errors first, then warnings."""
        return self.errors + self.warnings

    def __bool__(self) -> bool:
        return self.ok

    def describe(self, *, warnings: bool = False) -> str:
        """The errors (and, if asked, warnings) as text, grouped by path."""
        shown = self.problems if warnings else self.errors
        if not shown:
            return (
                "no problems found"
                if warnings or not self.warnings
                else (f"no errors ({len(self.warnings)} warning(s))")
            )
        counts = f"{len(self.errors)} error(s)"
        if warnings:
            counts += f", {len(self.warnings)} warning(s)"
        lines = [f"{counts} in movie"]
        groups: dict[str, list[Problem]] = {}
        for problem in shown:
            groups.setdefault(problem.path, []).append(problem)
        for path, problems in groups.items():
            lines.append(path or "(movie)")
            for p in problems:
                tag = "" if p.severity == "error" else "warning: "
                got = (
                    f" (got {p.value})" if p.value is not None and p.value not in p.message else ""
                )
                lines.append(f"  {tag}{p.message}{got} [{p.code}]")
                if p.hint:
                    lines.append(f"    hint: {p.hint}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe(warnings=True)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON data."""
        return {
            "ok": self.ok,
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
        }


def format_path(parts: Iterable[Any]) -> str:
    """``["scenes", 1, "elements", 0, "src"]`` -> ``scenes[1].elements[0].src``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def json_type(value: Any) -> str:
    """The JSON Schema type name of a Python value (``"integer"``, ``"string"``...)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return "null" if value is None else type(value).__name__
