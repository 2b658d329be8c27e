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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from moviekit.batch._errors import RowProblem, RowsError

__all__ = ["Row", "read_rows"]

RowFormat = Literal["csv", "json", "jsonl"]

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

    @property
    def path(self) -> str:
        """Where the row is: ``rows[12]`` (problems under it add ``.column``)."""
        return f"rows[{self.index}]"

    def __repr__(self) -> str:
        return f"Row(key={self.key!r}, index={self.index}, columns={len(self.values)})"


def read_rows(
    source: Any,
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
    keys, entries that are not objects, lines that are not JSON.
    """
    problems: list[RowProblem] = []
    raw = list(_records(source, format, problems))
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
                    RowProblem(
                        str(index),
                        f"rows[{index}].{key}",
                        "missing-key",
                        f"the key column {key!r} is empty or missing",
                        hint=f"give every row a unique {key!r}, or drop key= to key rows by "
                        "position",
                    )
                )
                continue
            row_key = str(value).strip()
        if row_key in seen:
            problems.append(
                RowProblem(
                    row_key,
                    f"rows[{index}].{key}" if key else f"rows[{index}]",
                    "duplicate-key",
                    f"the key {row_key!r} is already used by rows[{seen[row_key]}]",
                    hint="keys identify rows in the ledger across runs; make them unique",
                )
            )
            continue
        seen[row_key] = index
        rows.append(Row(row_key, index, values))
    if problems:
        raise RowsError(f"cannot read rows from {_describe(source)}", problems=problems)
    return rows


def _describe(source: Any) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return type(source).__name__


def _records(
    source: Any, fmt: RowFormat | None, problems: list[RowProblem]
) -> Iterator[Mapping[str, Any] | None]:
    """Each entry of the source as a mapping, or ``None`` after reporting why it is not one."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        fmt = fmt or _SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            raise RowsError(
                f"cannot tell the format of {path.name}: use a .csv, .json, .jsonl or .ndjson "
                "file, or pass format='csv' | 'json' | 'jsonl'"
            )
        if not path.is_file():
            raise RowsError(f"no such file: {path}")
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
            f"expected many rows, got one {type(source).__name__}; wrap it in a list: [row]"
        )
    if not isinstance(source, Iterable):
        raise RowsError(
            f"cannot read rows from {type(source).__name__}: pass a file path, a list of "
            "dicts or a pandas DataFrame"
        )
    for index, item in enumerate(source):
        yield _mapping(item, index, problems)


def _mapping(item: Any, index: int, problems: list[RowProblem]) -> Mapping[str, Any] | None:
    if isinstance(item, Mapping):
        return item
    problems.append(
        RowProblem(
            str(index),
            f"rows[{index}]",
            "not-an-object",
            f"a row must be a mapping of column -> value, got {type(item).__name__}",
            hint="give each row as a dict (a JSON object)",
        )
    )
    return None


def _csv(path: Path, problems: list[RowProblem]) -> Iterator[Mapping[str, Any] | None]:
    # utf-8-sig: spreadsheet programs often start CSV files with a byte-order mark.
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        duplicates = sorted({h for h in header if header.count(h) > 1})
        if duplicates:
            raise RowsError(
                f"{path.name}: the header repeats column(s) {', '.join(map(repr, duplicates))}; "
                "give every column a unique name"
            )
        for index, record in enumerate(reader):
            if None in record:  # more cells than header names
                problems.append(
                    RowProblem(
                        str(index),
                        f"rows[{index}]",
                        "extra-cells",
                        f"line {reader.line_num} has more cells than the header has columns",
                        hint="quote cells that contain commas, or add the missing header names",
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
            except json.JSONDecodeError as exc:
                problems.append(
                    RowProblem(
                        str(index),
                        f"rows[{index}]",
                        "bad-json",
                        f"line {line_no} is not valid JSON: {exc.msg}",
                        hint="each line of a JSONL file holds one JSON object",
                    )
                )
                yield None
            else:
                yield _mapping(item, index, problems)
            index += 1


def _json(path: Path, problems: list[RowProblem]) -> Iterator[Mapping[str, Any] | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise RowsError(f"{path.name} is not valid JSON: {exc}") from None
    if not isinstance(data, list):
        raise RowsError(f"{path.name} must hold a JSON array of objects, got {type(data).__name__}")
    for index, item in enumerate(data):
        yield _mapping(item, index, problems)


def _is_dataframe(source: Any) -> bool:
    # Only look for pandas if the caller imported it: it is never a dependency.
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(source, pandas.DataFrame)


def _dataframe(frame: Any) -> Iterator[Mapping[str, Any]]:
    for record in frame.to_dict(orient="records"):
        yield {str(k): _plain(v) for k, v in record.items()}


def _plain(value: Any) -> Any:
    """numpy scalars -> Python values, NaN/NaT -> None (a missing cell)."""
    if hasattr(value, "item") and not isinstance(value, (list, dict, str, bytes)):
        with contextlib.suppress(TypeError, ValueError):
            value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    return value
