"""The conformance corpus (tests/data/conformance): real Movie JSON documents and their facts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "data" / "conformance"
FAILURE = "documented-failure"


@dataclass(frozen=True)
class Entry:
    """One document of the corpus, with its index row."""

    file: str
    kind: str
    row: dict[str, Any]

    @property
    def path(self) -> Path:
        return CORPUS / self.file

    def document(self) -> Any:
        return json.loads(self.path.read_text(encoding="utf-8"))

    @property
    def expected_error(self) -> dict[str, Any] | None:
        expected: dict[str, Any] | None = self.row.get("expected_error")
        return expected

    @property
    def checkable(self) -> bool:
        return bool(self.row.get("checkable", True))


@cache
def entries() -> tuple[Entry, ...]:
    rows = json.loads((CORPUS / "index.json").read_text(encoding="utf-8"))
    return tuple(Entry(row["file"], row["kind"], row) for row in rows)


def accepted() -> list[Entry]:
    """Every document the service accepts or the docs show working: none may have an error."""
    return [e for e in entries() if e.kind != FAILURE]


def failures() -> list[Entry]:
    """Documented failures moviekit can recognise offline."""
    return [e for e in entries() if e.kind == FAILURE and e.checkable]
