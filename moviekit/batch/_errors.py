"""Exceptions of the batch layer: rows, templates, the dry run and the ledger.

They hang under the package root, so ``except moviekit.MoviekitError`` still
catches everything::

    MoviekitError
    └── BatchError                  anything the batch layer refuses
        ├── RowsError               rows cannot be read (bad file, missing or duplicate keys)
        ├── TemplateError           a template's variable declaration is unusable
        ├── BatchValidationError    the dry run found bad rows; ``.problems`` lists all of them
        └── LedgerError             the ledger file cannot be used (not a ledger, in use, newer)

Messages name the row key, the path (``rows[12].price``) and the fix. Transport
failures during a batch keep their own classes (``APIError`` and below).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from moviekit._errors import MoviekitError

__all__ = [
    "BatchError",
    "BatchValidationError",
    "LedgerError",
    "RowProblem",
    "RowsError",
    "TemplateError",
]

#: Problems shown in an exception message; the full list stays on ``.problems``.
_SHOWN = 20


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with one row: which row, where, what, and how to fix it.

    ``path`` starts at the row: ``rows[12].price`` for a variable,
    ``rows[12].movie.scenes[0].elements[1].src`` for the movie built from it.
    The index is the row's position in the input (0-based), so it points into
    the file even when rows are keyed by a column.
    """

    row_key: str
    path: str
    code: str
    message: str
    hint: str = ""
    value: str | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        shown = self.value is not None and self.value.strip('"') not in self.message
        got = f" (got {self.value})" if shown else ""
        text = f"row {self.row_key!r} {self.path}: {self.message}{got} [{self.code}]"
        return f"{text}\n    hint: {self.hint}" if self.hint else text

    def to_dict(self) -> dict[str, Any]:
        """The problem as plain JSON data."""
        return asdict(self)


def describe_problems(problems: Sequence[RowProblem], *, limit: int = _SHOWN) -> str:
    """Problems as text: a count line, then one block per problem (at most ``limit``)."""
    errors = [p for p in problems if p.severity == "error"]
    rows = len({p.row_key for p in errors})
    lines = [f"{len(errors)} error(s) in {rows} row(s)"]
    lines.extend(str(p) for p in problems[:limit])
    if len(problems) > limit:
        lines.append(f"... and {len(problems) - limit} more (see .problems, or --json)")
    return "\n".join(lines)


class BatchError(MoviekitError):
    """Root of the batch layer's own errors (rows, templates, dry run, ledger)."""


class RowsError(BatchError, ValueError):
    """The rows cannot be read or keyed. ``problems`` lists every bad row found."""

    def __init__(self, message: str, *, problems: Iterable[RowProblem] = ()) -> None:
        self.problems = list(problems)
        if self.problems:
            message = f"{message}\n{describe_problems(self.problems)}"
        super().__init__(message)


class TemplateError(BatchError, ValueError):
    """A template or one of its variable declarations cannot be used."""


class BatchValidationError(BatchError, ValueError):
    """The dry run found bad rows; nothing was submitted.

    ``problems`` holds every problem of every row (not only the first), so one
    run shows everything to fix. Pass ``skip_bad_rows=True`` to render the good
    rows anyway.
    """

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = list(problems)
        super().__init__(
            describe_problems(self.problems)
            + "\nnothing was submitted; fix these rows, or pass skip_bad_rows=True "
            "(CLI: --skip-bad-rows) to render the good ones"
        )

    @property
    def row_keys(self) -> list[str]:
        """Keys of the bad rows, in input order, each once."""
        return list(dict.fromkeys(p.row_key for p in self.problems if p.severity == "error"))


class LedgerError(BatchError):
    """The ledger file cannot be used: not a moviekit ledger, a newer format, or in use."""
