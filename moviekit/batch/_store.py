"""What a batch run needs of a ledger: the record of one row, and the interface a ledger implements.

The runner talks only to :class:`LedgerStore`; :class:`~moviekit.Ledger` (one
SQLite file, one run at a time) and :class:`~moviekit.PostgresLedger` (one
database that many runs on many machines share) implement it. The contract
that makes runs resumable and free of duplicates is in the method docs; a
store that keeps it can be passed as ``Batch(..., ledger=store)``.

Claims. A store shared by several runs hands each in-flight row to one run at
a time: a run *claims* a new row by recording its intent, takes over rows no
live run follows with :meth:`LedgerStore.take_over`, and lets go of them when
they end (done, failed) or when it stops following them. A store for one run
at a time holds every row for that run (its run lock is the claim).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from moviekit.batch._files import write_results

__all__ = [
    "IN_FLIGHT",
    "LEDGER_COLUMNS",
    "LEDGER_COLUMNS_SQL",
    "IntentOutcome",
    "LedgerBase",
    "LedgerRow",
    "LedgerStatus",
    "LedgerStore",
    "now_text",
]

LedgerStatus = Literal["submitting", "submitted", "rendering", "done", "failed"]
#: Statuses whose project may still be rendering on the service.
IN_FLIGHT: frozenset[str] = frozenset({"submitting", "submitted", "rendering"})

#: What :meth:`LedgerStore.record_intent` did: ``recorded`` (post now); ``taken``
#: (another run recorded an intent for the row since the caller looked: leave the
#: row to it); ``full`` (the shared limit of rows in flight is reached: try later).
IntentOutcome = Literal["recorded", "taken", "full"]


def now_text() -> str:
    """The time now as a ledger writes it: ISO-8601 UTC with milliseconds and ``Z``."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


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


#: The columns of a :class:`LedgerRow`, in order (as SQL selects them).
LEDGER_COLUMNS = ", ".join(f.name for f in fields(LedgerRow))

#: The same columns as a table declares them (SQLite and PostgreSQL read them alike).
LEDGER_COLUMNS_SQL = """
    row_key        TEXT PRIMARY KEY,
    row_index      INTEGER NOT NULL,
    payload_hash   TEXT NOT NULL,
    submission_key TEXT,
    project_id     TEXT UNIQUE,
    status         TEXT NOT NULL CHECK (status IN
                       ('submitting', 'submitted', 'rendering', 'done', 'failed')),
    url            TEXT,
    error          TEXT,
    file           TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    submitted_at   TEXT,
    finished_at    TEXT""".strip("\n")


class LedgerStore(Protocol):
    """The durable record of a batch that :class:`~moviekit.Batch` runs against.

    Every method is safe to call from several threads, and each ``record_*``
    is atomic: after it returns, a crash of this process cannot undo it.
    """

    #: Seconds between two looks for rows that another run left behind
    #: (:meth:`take_over`); ``None`` for a store that one run at a time drives.
    takeover_interval: float | None

    def acquire(self) -> None:
        """Join the batch: from now until :meth:`release` this run may record intents.

        A store for one run at a time takes its run lock and raises
        :class:`~moviekit.LedgerError` when another live run holds it; a shared
        store registers the run (with a lease it keeps alive). A run that dies
        must not keep its lock or its claims beyond its lease.
        """

    def release(self) -> None:
        """Leave the batch (idempotent): drop the lock, or let go of every claim."""

    def close(self) -> None:
        """Release the lock and free the store's resources."""

    def rows(self) -> list[LedgerRow]:
        """Every record, in input order (``row_index``), then by key."""
        ...

    def set_limit(self, limit: int, *, replace: bool) -> int:
        """The most rows in flight at once across every run of this ledger (the plan's limit).

        A shared store keeps one number for all its runs: it stores ``limit``
        when ``replace`` is true or none is stored yet, and returns the stored
        one. A store for one run at a time returns ``limit``.
        """
        ...

    def record_intent(
        self,
        row_key: str,
        row_index: int,
        payload_hash: str,
        submission_key: str,
        *,
        attempts: int = 0,
    ) -> IntentOutcome:
        """Record, durably, that ``row_key`` is about to be POSTed under ``submission_key``.

        Called *before* the POST: if anything dies later, the next run looks
        the project up by this key instead of posting again. Resets a previous
        attempt (project, url, error, file), counts the attempt and claims the
        row for this run. ``attempts`` is the count the caller saw (0: a new
        row); a shared store records only while it is still so and no other
        live run follows the row (else ``"taken"``), and only within the limit
        (else ``"full"``). Raises :class:`~moviekit.LedgerError` when this run
        no longer holds the lock or its lease.
        """
        ...

    def record_submitted(self, row_key: str, project_id: str) -> None:
        """The POST (or a reconcile) gave ``project_id``; only a ``submitting`` row changes."""

    def record_rendering(self, row_key: str) -> None:
        """The service reports the project running; only a ``submitted`` row changes."""

    def record_done(self, row_key: str, url: str | None) -> None:
        """The render finished; ``url`` is the video. The row's claim ends."""

    def record_failed(self, row_key: str, error: str) -> None:
        """The render (or a definite refusal of its submit) failed: ``error``. The claim ends."""

    def record_file(self, row_key: str, file: str) -> None:
        """The finished video was saved at ``file``."""

    def forget_intent(self, row_key: str) -> None:
        """Drop a ``submitting`` row the service provably never created: it is new again."""

    def take_over(self, skip: Collection[str] = ()) -> list[LedgerRow]:
        """Claim, for this run, the in-flight rows no live run follows (but ``skip``); return them.

        A store for one run at a time returns the in-flight rows it has not
        handed to this run yet (at the start of a run: all of them).
        """
        ...

    def unclaim(self, row_key: str) -> None:
        """This run stops following ``row_key`` (still in flight): another run may take it over."""

    def followed_elsewhere(self, skip: Collection[str] = ()) -> bool:
        """Whether another run follows an in-flight row, or a dead run holds one not in ``skip``.

        While it does, a run with nothing left to do waits and looks again
        (:meth:`take_over`), so a batch ends only when no row may still need it.
        """
        ...


_Ledger = TypeVar("_Ledger", bound="LedgerBase")


class LedgerBase:
    """What the ledgers do alike on top of their ``rows()`` and ``close()``."""

    def rows(self) -> list[LedgerRow]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _Ledger) -> _Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[LedgerRow]:
        return iter(self.rows())

    def export(self, path: str | os.PathLike[str]) -> Path:
        """Write every record to ``path`` (``.csv``, ``.jsonl`` or ``.json``)."""
        return write_results(path, [r.to_dict() for r in self.rows()])
