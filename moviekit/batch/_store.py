"""What a batch run needs of a ledger: the record of one row, and the interface a ledger implements.

The runner talks only to :class:`LedgerStore`; :class:`~moviekit.Ledger` (one
SQLite file) implements it, and another store (a shared database for runs on
several machines) can too. The contract that makes runs resumable and free of
duplicates is in the method docs; a store that keeps it can be passed as
``Batch(..., ledger=store)``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal, Protocol

__all__ = ["IN_FLIGHT", "LedgerRow", "LedgerStatus", "LedgerStore"]

LedgerStatus = Literal["submitting", "submitted", "rendering", "done", "failed"]
#: Statuses whose project may still be rendering on the service.
IN_FLIGHT: frozenset[str] = frozenset({"submitting", "submitted", "rendering"})


@dataclass(frozen=True)
class LedgerRow:
    """One row's record in the ledger (timestamps are ISO-8601 UTC)."""

    row_key: str
    row_index: int
    payload_hash: str
    submission_key: str | None
    project_id: str | None
    status: str
    url: str | None
    error: str | None
    file: str | None
    attempts: int
    created_at: str
    updated_at: str
    submitted_at: str | None
    finished_at: str | None

    def to_dict(self) -> dict[str, Any]:
        """The record as plain data."""
        return asdict(self)


class LedgerStore(Protocol):
    """The durable record of a batch that :class:`~moviekit.Batch` runs against.

    Every method is safe to call from several threads, and each ``record_*``
    is atomic: after it returns, a crash of this process cannot undo it.
    """

    def acquire(self) -> None:
        """Take the run lock: from now until :meth:`release`, no other run may record intents.

        Raises :class:`~moviekit.LedgerError` when another live run holds it.
        A run that dies must not keep it.
        """

    def release(self) -> None:
        """Drop the run lock (idempotent)."""

    def close(self) -> None:
        """Release the lock and free the store's resources."""

    def rows(self) -> list[LedgerRow]:
        """Every record, in input order (``row_index``), then by key."""
        ...

    def record_intent(
        self, row_key: str, row_index: int, payload_hash: str, submission_key: str
    ) -> None:
        """Record, durably, that ``row_key`` is about to be POSTed under ``submission_key``.

        Called *before* the POST: if anything dies later, the next run looks
        the project up by this key instead of posting again. Resets a previous
        attempt (project, url, error, file) and counts the attempt. Raises
        :class:`~moviekit.LedgerError` when this run no longer holds the lock.
        """

    def record_submitted(self, row_key: str, project_id: str) -> None:
        """The POST (or a reconcile) gave ``project_id``; only a ``submitting`` row changes."""

    def record_rendering(self, row_key: str) -> None:
        """The service reports the project running; only a ``submitted`` row changes."""

    def record_done(self, row_key: str, url: str | None) -> None:
        """The render finished; ``url`` is the video."""

    def record_failed(self, row_key: str, error: str) -> None:
        """The render, or a definitive refusal of its submit, failed with ``error``."""

    def record_file(self, row_key: str, file: str) -> None:
        """The finished video was saved at ``file``."""

    def forget_intent(self, row_key: str) -> None:
        """Drop a ``submitting`` row the service provably never created: it is new again."""
