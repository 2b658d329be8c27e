"""Moving a batch from its SQLite ledger to a PostgreSQL one (``moviekit batch migrate``).

Every row moves as it is, in flight or not: a ``submitting`` row keeps its
submission key, so the first PostgreSQL worker to take it over reconciles it
by its ``client-data`` key, exactly as a resumed SQLite run would. While the
rows move, the SQLite ledger's run lock is held (no run may record anything)
and the PostgreSQL ledger must be empty with no worker joined. Afterwards the
SQLite file is marked as moved and refuses runs, so no row can be rendered
once from each ledger; it stays readable (``batch report``).
"""

from __future__ import annotations

import os
from pathlib import Path

from moviekit._errors import LedgerError
from moviekit.batch._ledger import Ledger
from moviekit.batch._postgres import PostgresLedger

__all__ = ["migrate_ledger"]


def migrate_ledger(source: str | os.PathLike[str], target: str) -> int:
    """Move the batch in the SQLite ledger ``source`` to the PostgreSQL ledger at ``target``.

    Returns the number of rows moved. Raises :class:`~moviekit.LedgerError`
    when a run holds ``source``, ``source`` was moved already, or ``target``
    is not empty or has workers joined; nothing changes then.
    """
    if not Path(source).is_file():
        raise LedgerError(f"no ledger at {source}: nothing to move")
    with Ledger(source) as sqlite:
        sqlite.acquire()  # no run records anything while the rows move (and not moved yet)
        records = sqlite.rows()
        with PostgresLedger(target) as shared:
            moved = shared.import_rows(records)
            sqlite.mark_moved(shared.where)
    return moved
