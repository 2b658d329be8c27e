"""Rows in: iterables of dicts, CSV, JSON and JSONL files, pandas DataFrames.

Every row gets a stable key, because the ledger remembers rows by key across
runs: the value of a column the user names (``key="sku"``), else the row's
position (``"0"``, ``"1"``, ...). Positions are stable only while the input
keeps its order, so a named column is the better choice for data that changes.

Reading reports every bad row at once (missing or duplicate keys, lines that
are not JSON objects), not only the first one.

pandas is never imported here unless the caller already did: a DataFrame is
recognised by its class, so pandas stays an optional, user-side library.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, TypeAlias, TypeGuard

from moviekit._errors import RowsError
from moviekit._problems import RowProblem, short_repr

__all__ = ["DataFrameLike", "Row", "RowFormat", "RowSource", "read_rows"]

RowFormat = Literal["csv", "json", "jsonl"]


class DataFrameLike(Protocol):
    """What rows need of a pandas DataFrame (pandas itself is never imported here)."""

    def to_dict(self, orient: Literal["records"]) -> Any:
        """The rows as a list of ``{column: value}`` dicts."""


#: Where rows come from: a file path, dicts, a DataFrame, or rows already read.
RowSource: TypeAlias = (
    "str | os.PathLike[str] | Iterable[Mapping[str, object]] | Iterable[Row] | DataFrameLike"
)
# Errors a text file's content can raise while it is parsed: each becomes a RowsError.
_UNREADABLE = (UnicodeDecodeError, csv.Error, RecursionError)

_SUFFIXES: dict[str, RowFormat] = {
    ".csv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


@dataclass(frozen=True)
class Row:
    """One input row: its stable ``key``, its 0-based ``index`` in the input, its ``values``."""

    key: str
    index: int
    values: Mapping[str, Any]
    """The row's columns; values are as read (CSV cells are text)."""

    @property
    def path(self) -> str:
        """Where the row is: ``rows[12]`` (problems under it add ``.column``)."""
        return f"rows[{self.index}]"

    def __repr__(self) -> str:
        return f"Row(key={self.key!r}, index={self.index}, columns={len(self.values)})"


def read_rows(
    source: RowSource,
    *,
    key: str | None = None,
    format: RowFormat | None = None,  # noqa: A002 - the natural name for callers
) -> list[Row]:
    """Read rows from ``source`` and give each a stable key.

    Args:
        source: a ``.csv``, ``.json`` (an array of objects), ``.jsonl`` /
            ``.ndjson`` file; any iterable of mappings; or a pandas DataFrame.
        key: the column whose value identifies a row across runs (e.g.
            ``"sku"``). Without it, a row's key is its position.
        format: force a file format instead of guessing from the suffix.

    Raises :class:`RowsError` listing every bad row: missing or duplicate
    keys, entries that are not objects, lines that are not JSON. Rows already
    read (:class:`Row` objects) are returned as they are.
    """
    if isinstance(source, (list, tuple)) and source and all(isinstance(r, Row) for r in source):
        return list(source)
    problems: list[RowProblem] = []
    where = _describe(source)
    try:
        raw = list(_records(source, format, problems))
    except _UNREADABLE as exc:
        raise RowsError(f"cannot read rows from {where}: {_reason(exc)}", source=where) from None
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for index, values in enumerate(raw):
        if values is None:  # unreadable entry, already reported
            continue
        if key is None:
            row_key = str(index)
        else:
            value = values.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                problems.append(
                    _problem(
                        f"rows[{index}].{key}",
                        "missing-key",
                        f"the key column {key!r} is empty or missing",
                        f"give every row a unique {key!r}, or drop key= to key rows by position",
                        str(index),
                    )
                )
                continue
            try:
                row_key = str(value).strip()
            except ValueError:  # an int too long to write out
                problems.append(
                    _problem(
                        f"rows[{index}].{key}",
                        "bad-key",
                        f"the key column {key!r} holds a value that cannot be written as text",
                        "use short text or numbers as keys",
                        str(index),
                    )
                )
                continue
        if row_key in seen:
            problems.append(
                _problem(
                    f"rows[{index}].{key}" if key else f"rows[{index}]",
                    "duplicate-key",
                    f"the key {short_repr(row_key)} is already used by rows[{seen[row_key]}]",
                    "keys identify rows in the ledger across runs; make them unique",
                    row_key,
                )
            )
            continue
        seen[row_key] = index
        rows.append(Row(row_key, index, values))
    if problems:
        raise RowsError(f"cannot read rows from {where}", problems=problems, source=where)
    return rows


def _problem(path: str, code: str, message: str, hint: str, row_key: str) -> RowProblem:
    return RowProblem(path=path, code=code, message=message, hint=hint, row_key=row_key)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"it is not UTF-8 text (byte {exc.start})"
    if isinstance(exc, RecursionError):
        return "it nests too deeply"
    return str(exc)


def _describe(source: object) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return type(source).__name__


def _records(
    source: object, fmt: RowFormat | None, problems: list[RowProblem]
) -> Iterator[Mapping[str, Any] | None]:
    """Each entry of the source as a mapping, or ``None`` after reporting why it is not one."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        fmt = fmt or _SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            raise RowsError(
                f"cannot tell the format of {path.name}: use a .csv, .json, .jsonl or .ndjson "
                "file, or pass format='csv' | 'json' | 'jsonl'",
                source=str(path),
            )
        if not path.is_file():
            raise RowsError(f"no such file: {path}", source=str(path))
        if fmt == "csv":
            yield from _csv(path, problems)
        elif fmt == "jsonl":
            yield from _jsonl(path, problems)
        else:
            yield from _json(path, problems)
        return
    if _is_dataframe(source):
        yield from _dataframe(source)
        return
    if isinstance(source, (Mapping, bytes, bytearray)):
        raise RowsError(
            f"expected many rows, got one {type(source).__name__}; wrap it in a list: [row]",
            source=type(source).__name__,
        )
    if not isinstance(source, Iterable):
        raise RowsError(
            f"cannot read rows from {type(source).__name__}: pass a file path, a list of "
            "dicts or a pandas DataFrame",
            source=type(source).__name__,
        )
    for index, item in enumerate(source):
        yield _mapping(item, index, problems)


def _mapping(item: object, index: int, problems: list[RowProblem]) -> Mapping[str, Any] | None:
    if isinstance(item, Mapping):
        return item
    problems.append(
        _problem(
            f"rows[{index}]",
            "not-an-object",
            f"a row must be a mapping of column -> value, got {type(item).__name__}",
            "give each row as a dict (a JSON object)",
            str(index),
        )
    )
    return None


def _csv(path: Path, problems: list[RowProblem]) -> Iterator[Mapping[str, Any] | None]:
    # utf-8-sig: spreadsheet programs often start CSV files with a byte-order mark.
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        duplicates = sorted(name for name, n in Counter(header).items() if n > 1)
        if duplicates:
            shown = ", ".join(short_repr(name) for name in duplicates[:10])
            raise RowsError(
                f"{path.name}: the header repeats column(s) {shown}; "
                "give every column a unique name",
                path="rows",
                source=str(path),
            )
        for index, record in enumerate(reader):
            if None in record:  # more cells than header names
                problems.append(
                    _problem(
                        f"rows[{index}]",
                        "extra-cells",
                        f"line {reader.line_num} has more cells than the header has columns",
                        "quote cells that contain commas, or add the missing header names",
                        str(index),
                    )
                )
                yield None
                continue
            # Short lines give None for the missing cells; treat them as empty cells.
            yield {k: ("" if v is None else v) for k, v in record.items()}


def _jsonl(path: Path, problems: list[RowProblem]) -> Iterator[Mapping[str, Any] | None]:
    index = 0
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except (ValueError, RecursionError) as exc:
                reason = exc.msg if isinstance(exc, json.JSONDecodeError) else _reason(exc)
                problems.append(
                    _problem(
                        f"rows[{index}]",
                        "bad-json",
                        f"line {line_no} is not valid JSON: {reason}",
                        "each line of a JSONL file holds one JSON object",
                        str(index),
                    )
                )
                yield None
            else:
                yield _mapping(item, index, problems)
            index += 1


def _json(path: Path, problems: list[RowProblem]) -> Iterator[Mapping[str, Any] | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:
        reason = exc if isinstance(exc, ValueError) else _reason(exc)
        raise RowsError(f"{path.name} is not valid JSON: {reason}", source=str(path)) from None
    if not isinstance(data, list):
        raise RowsError(
            f"{path.name} must hold a JSON array of objects, got {type(data).__name__}",
            source=str(path),
        )
    for index, item in enumerate(data):
        yield _mapping(item, index, problems)


def _is_dataframe(source: object) -> TypeGuard[DataFrameLike]:
    # Only look for pandas if the caller imported it: it is never a dependency.
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(source, pandas.DataFrame)


def _dataframe(frame: DataFrameLike) -> Iterator[Mapping[str, Any]]:
    for record in frame.to_dict(orient="records"):
        yield {str(k): _plain(v) for k, v in record.items()}


def _plain(value: object) -> object:
    """numpy scalars -> Python values, NaN/NaT -> None (a missing cell)."""
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (list, dict, str, bytes)):
        with contextlib.suppress(TypeError, ValueError):
            value = item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    return value
