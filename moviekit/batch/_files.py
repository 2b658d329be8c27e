"""Files a batch writes: one video per row key, and results tables written atomically.

A row's video is named after its key so a person can find it, but two keys must
never share a file (a shared name means one video silently overwrites another),
the name must stay inside the download folder, and it must fit a file system's
name limit. :func:`safe_file_name` keeps a plain key as it is and gives every
other key a name that carries a hash of the whole key.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from moviekit._errors import LedgerError

__all__ = ["RESULT_COLUMNS", "safe_file_name", "write_results"]

#: The first columns of a results file, in order; other keys follow, sorted.
RESULT_COLUMNS = ("row_key", "status", "project_id", "url", "error", "file")

_SUFFIX = ".mp4"
_MAX_KEY = 120  # characters of a key kept in a name; the name stays under 128
_PLAIN = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
#: Only hashed names contain it (a plain key cannot), so the two kinds never meet.
_MARK = "~"


def safe_file_name(row_key: str) -> str:
    """The file name of a row's video: ``<key>.mp4`` when the key is a plain name.

    A plain key (ASCII letters, digits, ``.``, ``_``, ``-``; not starting or
    ending with a dot; at most 120 characters; not already ending in ``.mp4``)
    is kept. Any other key becomes its cleaned start, ``~``, 16 hex digits of
    the SHA-256 of the whole key, and ``.mp4``: ``x.mp4`` -> ``x~1c2e....mp4``.
    Distinct keys give distinct names (a plain name has no ``~``; hashed names
    differ unless SHA-256 collides), and no name leaves the folder.
    """
    if (
        _PLAIN.fullmatch(row_key)
        and len(row_key) <= _MAX_KEY
        and not row_key.endswith(".")
        and not row_key.lower().endswith(_SUFFIX)
    ):
        return row_key + _SUFFIX
    stem = row_key[: -len(_SUFFIX)] if row_key.lower().endswith(_SUFFIX) else row_key
    stem = _UNSAFE.sub("_", stem[:100]).strip(".") or "row"
    digest = hashlib.sha256(row_key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{stem}{_MARK}{digest}{_SUFFIX}"


def write_results(path: str | os.PathLike[str], records: Sequence[Mapping[str, object]]) -> Path:
    """Write result records as CSV, JSONL (one object a line) or JSON (an array), by suffix.

    Written to a temporary file renamed into place, so a reader never sees half a file.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".json", ".jsonl", ".ndjson"):
        raise LedgerError(
            f"cannot tell the results format of {target.name}: use .csv, .jsonl or .json"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    if suffix == ".csv":
        with tmp.open("w", newline="", encoding="utf-8") as handle:
            columns = list(RESULT_COLUMNS) + sorted(
                {k for r in records for k in r} - set(RESULT_COLUMNS)
            )
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for record in records:
                writer.writerow({k: ("" if v is None else v) for k, v in record.items()})
    elif suffix == ".json":
        tmp.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    else:
        with tmp.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.replace(tmp, target)
    return target
