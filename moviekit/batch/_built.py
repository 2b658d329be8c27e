"""A row built into its payload, and the hash that tells a changed payload from the same one.

Below the batch's results and its estimate, which both read built rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from moviekit._problems import RowProblem
from moviekit.batch._rows import Row

__all__ = ["BuiltRow", "payload_hash"]

# One encoder for every row: json.dumps(**options) would build a new one per call.
# allow_nan=False: NaN is not JSON, and the service would refuse the document.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
)


def payload_hash(payload: Mapping[str, Any]) -> str:
    """SHA-256 of the payload's canonical JSON: equal documents, equal hashes, across runs.

    Raises ``TypeError`` / ``ValueError`` for a payload JSON cannot carry.
    """
    return hashlib.sha256(_CANONICAL.encode(payload).encode("ascii")).hexdigest()


@dataclass(frozen=True)
class BuiltRow:
    """A row built into its payload (the exact JSON to send), or the problems that stop it.

    ``payload_hash`` is the payload's :func:`payload_hash` (what the ledger
    compares to flag a changed row).
    """

    row: Row
    payload: dict[str, Any] | None
    problems: tuple[RowProblem, ...] = ()
    warnings: tuple[RowProblem, ...] = field(default=(), repr=False)
    payload_hash: str | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """True when the row can be submitted."""
        return self.payload is not None and not self.problems
