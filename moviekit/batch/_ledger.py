"""The batch ledger: one SQLite file that remembers every row across runs and crashes.

One table, one line per row key::

    row_key  row_index  payload_hash  submission_key  project_id  status
    url  error  file  attempts  created_at  updated_at  submitted_at  finished_at

Statuses and how a re-run treats them:

============  ==============================================  =========================
status        meaning                                         on resume
============  ==============================================  =========================
submitting    intent recorded; the POST may or may not have   reconcile by the
              reached the service                             submission key, then poll
submitted     the service gave a project id                   poll, never resubmit
rendering     the service reported it running                 poll, never resubmit
done          finished; ``url`` is set (``file`` once saved)  skip (download if asked)
failed        the render or the submit failed; ``error``      skip unless retrying
============  ==============================================  =========================

Why it survives a kill at any moment: every change is one SQLite transaction
in WAL mode, and the intent (row, payload hash, submission key) is committed
*before* the POST. A process killed after the POST but before recording the
project id leaves ``submitting``; the next run finds the project by the key
the client put in ``client-data`` instead of posting again.

Durability: the intent is committed with ``synchronous=FULL`` (fsynced: it must
survive even a power cut, or a re-run could post again); every later record is
committed with ``synchronous=NORMAL`` (it survives any process kill, and after
a power cut it can be re-derived from the service by reconciling and polling).

Two runs never drive one ledger at once. The run lock is an OS file lock on
``<ledger>.lock`` beside the ledger's *real* file (symlinks and relative paths
resolved, so every name of the file meets the same lock; the OS drops it when
the holder dies). A ledger with several hard links is refused: SQLite keeps its
write-ahead log beside the name it was opened by, so a run resumed through
another name would not see what a killed run recorded. Inside SQLite, the run
that took the lock last writes its token to ``run_lock``, and every intent is
recorded only if that token is still its own; a run whose OS lock was lost
behind its back (the ``.lock`` file deleted) stops before its next submit.

Standard library only.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sqlite3
import threading
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO, Any

from moviekit._errors import LedgerError
from moviekit.batch._store import (
    IN_FLIGHT,
    LEDGER_COLUMNS,
    LEDGER_COLUMNS_SQL,
    IntentOutcome,
    LedgerBase,
    LedgerRow,
    now_text,
)

__all__ = ["LEDGER_VERSION", "Ledger"]

LEDGER_VERSION = 1

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS rows (
{LEDGER_COLUMNS_SQL}
);
CREATE INDEX IF NOT EXISTS rows_by_status ON rows (status);
CREATE TABLE IF NOT EXISTS run_lock (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    token       TEXT NOT NULL,
    pid         INTEGER NOT NULL,
    host        TEXT NOT NULL,
    acquired_at TEXT NOT NULL
);
"""

# Written by ``moviekit batch migrate`` when the batch moved to another ledger: no run here then.
_MOVED = """
CREATE TABLE IF NOT EXISTS moved (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    target   TEXT NOT NULL,
    moved_at TEXT NOT NULL
)
"""


class Ledger(LedgerBase):
    """A durable record of a batch in one SQLite file (see the module docs).

    Implements :class:`~moviekit.LedgerStore`. Use as a context manager.

    ``Ledger(path)`` creates the file (and its directory) when missing and
    refuses files that are not moviekit ledgers or were written by a newer
    moviekit. All methods are thread-safe; each ``record_*`` is one transaction.
    """

    #: One run at a time: nothing is ever left behind by a live run to take over.
    takeover_interval: float | None = None

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._lock_file: IO[str] | None = None
        self._token: str | None = None
        # The in-flight rows handed to this run (take_over) or claimed by its intents.
        self._handed: set[str] = set()
        _refuse_hard_links(self.path)
        try:
            # isolation_level=None: we open transactions ourselves (BEGIN IMMEDIATE),
            # so a write never waits for a read lock to upgrade.
            self._db = sqlite3.connect(
                str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as exc:
            raise LedgerError(
                f"{self.path} is not a moviekit ledger ({exc}); pass another path"
            ) from None
        if version > LEDGER_VERSION:
            self._db.close()
            raise LedgerError(
                f"{self.path} was written by a newer moviekit (ledger format {version}); "
                "upgrade moviekit to resume this batch"
            )
        if tables and "rows" not in tables:
            self._db.close()
            raise LedgerError(
                f"{self.path} is an SQLite file but not a moviekit ledger (no 'rows' table); "
                "pass another path"
            )
        with self._transaction() as db:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version={LEDGER_VERSION}")

    # ------------------------------------------------------------ plumbing
    def __repr__(self) -> str:
        return f"Ledger({str(self.path)!r})"

    def __enter__(self) -> Ledger:
        return self

    def close(self) -> None:
        """Release the run lock and close the database."""
        self.release()
        with self._lock:
            self._db.close()

    @property
    def lock_path(self) -> Path:
        """The OS lock file: beside the ledger's real file, whichever name opened it."""
        real = Path(os.path.realpath(self.path))
        return real.with_name(real.name + ".lock")

    class _Tx:
        def __init__(self, ledger: Ledger, durable: bool) -> None:
            self.ledger = ledger
            self.durable = durable

        def __enter__(self) -> sqlite3.Connection:
            self.ledger._lock.acquire()
            db = self.ledger._db
            try:
                if self.durable:
                    db.execute("PRAGMA synchronous=FULL")
                db.execute("BEGIN IMMEDIATE")
            except BaseException:
                self.ledger._lock.release()
                raise
            return db

        def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
            db = self.ledger._db
            try:
                db.execute("ROLLBACK" if exc_type is not None else "COMMIT")
                if self.durable:
                    db.execute("PRAGMA synchronous=NORMAL")
            finally:
                self.ledger._lock.release()

    def _transaction(self, durable: bool = False) -> Ledger._Tx:
        return Ledger._Tx(self, durable)

    # ------------------------------------------------------------ run lock
    def acquire(self) -> None:
        """Take the run lock, so two processes never drive one batch at once.

        First an OS file lock on :attr:`lock_path` (the same for every name of
        the ledger), which the OS drops when the holder dies, so a killed run
        never leaves a stale lock; then this run's token in the ledger's
        ``run_lock`` table, which fences off a run that lost its OS lock.
        Raises :class:`LedgerError` when another live process holds the lock.
        """
        if self._token is not None:
            return
        moved = self.moved_to
        if moved is not None:
            raise LedgerError(
                f"this batch was moved to {moved} (moviekit batch migrate); run it there: "
                f"a run on {self.path} could render its rows a second time"
            )
        handle = _os_lock(self.lock_path)
        token = secrets.token_hex(16)
        try:
            with self._transaction(durable=True) as db:
                db.execute(
                    """
                    INSERT INTO run_lock (id, token, pid, host, acquired_at)
                    VALUES (1, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET token = excluded.token,
                        pid = excluded.pid, host = excluded.host,
                        acquired_at = excluded.acquired_at
                    """,
                    (token, os.getpid(), socket.gethostname(), now_text()),
                )
        except BaseException:
            if handle is not None:
                handle.close()
            raise
        self._lock_file, self._token = handle, token
        self._handed.clear()

    def release(self) -> None:
        """Drop the run lock (also done by :meth:`close` and by the OS on exit)."""
        if self._token is not None:
            token, self._token = self._token, None
            # A run that is going down may find the database unusable; the next
            # acquire overwrites the token anyway.
            with contextlib.suppress(sqlite3.Error), self._transaction() as db:
                db.execute("DELETE FROM run_lock WHERE id = 1 AND token = ?", (token,))
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def _check_fence(self, db: sqlite3.Connection) -> None:
        """Inside a write transaction: refuse when another run took the lock since ours."""
        if self._token is None:
            return
        holder = db.execute("SELECT token, pid, host FROM run_lock WHERE id = 1").fetchone()
        if holder is None or holder[0] != self._token:
            who = f" (pid {holder[1]} on {holder[2]})" if holder is not None else ""
            raise LedgerError(
                f"another process took this ledger over{who}, so this run stops before "
                f"submitting anything more (was {self.lock_path} deleted?); what this run "
                "recorded stays, and the other run resumes it"
            )

    # ------------------------------------------------------------ reading
    def _row(self, values: tuple[Any, ...] | None) -> LedgerRow | None:
        return LedgerRow(*values) if values is not None else None

    def get(self, row_key: str) -> LedgerRow | None:
        """The record of ``row_key``, or ``None`` if the ledger has never seen it."""
        with self._lock:
            cur = self._db.execute(
                f"SELECT {LEDGER_COLUMNS} FROM rows WHERE row_key = ?", (row_key,)
            )
            return self._row(cur.fetchone())

    def rows(self) -> list[LedgerRow]:
        """Every record, in input order (``row_index``), then by key."""
        with self._lock:
            cur = self._db.execute(f"SELECT {LEDGER_COLUMNS} FROM rows ORDER BY row_index, row_key")
            return [LedgerRow(*r) for r in cur.fetchall()]

    def __iter__(self) -> Iterator[LedgerRow]:
        return iter(self.rows())

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM rows").fetchone()[0])

    def counts(self) -> dict[str, int]:
        """Number of rows per status."""
        with self._lock:
            cur = self._db.execute("SELECT status, COUNT(*) FROM rows GROUP BY status")
            return {status: int(n) for status, n in cur.fetchall()}

    # ------------------------------------------------------------ claims (one run: all of them)
    def set_limit(self, limit: int, *, replace: bool) -> int:
        """One run at a time: the run's own limit is the limit."""
        return limit

    def take_over(self, skip: Collection[str] = ()) -> list[LedgerRow]:
        """The in-flight rows not handed to this run yet (at its start: every one)."""
        with self._lock:
            found = [
                r
                for r in self.rows()
                if r.status in IN_FLIGHT and r.row_key not in self._handed and r.row_key not in skip
            ]
            self._handed.update(r.row_key for r in found)
            return found

    def unclaim(self, row_key: str) -> None:
        """This run stops following ``row_key``; the next run resumes it."""
        with self._lock:
            self._handed.discard(row_key)

    def followed_elsewhere(self, skip: Collection[str] = ()) -> bool:
        """Never: no other run drives this ledger while this one does."""
        return False

    # ------------------------------------------------------------ moving
    @property
    def moved_to(self) -> str | None:
        """Where ``moviekit batch migrate`` moved this batch (no password), or ``None``."""
        with self._lock:
            try:
                found = self._db.execute("SELECT target FROM moved WHERE id = 1").fetchone()
            except sqlite3.OperationalError:  # no such table: never moved
                return None
            return str(found[0]) if found else None

    def mark_moved(self, target: str) -> None:
        """Record that the batch now lives in ``target``: no run may use this file from now on."""
        with self._transaction(durable=True) as db:
            db.execute(_MOVED)
            db.execute(
                "INSERT OR REPLACE INTO moved (id, target, moved_at) VALUES (1, ?, ?)",
                (target, now_text()),
            )

    # ------------------------------------------------------------ writing
    def record_intent(
        self,
        row_key: str,
        row_index: int,
        payload_hash: str,
        submission_key: str,
        *,
        attempts: int = 0,
    ) -> IntentOutcome:
        """Record that ``row_key`` is about to be POSTed with ``submission_key``.

        Committed durably (fsync) *before* the POST: if the process dies at
        any later point, the next run reconciles by this key instead of posting
        again. A previous attempt's project, url, error and file are cleared.
        The run lock is the claim, so this always records (``attempts`` is
        for shared stores).
        """
        now = now_text()
        with self._transaction(durable=True) as db:
            self._check_fence(db)
            db.execute(
                """
                INSERT INTO rows (row_key, row_index, payload_hash, submission_key, status,
                                  attempts, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'submitting', 1, ?, ?)
                ON CONFLICT (row_key) DO UPDATE SET
                    row_index = excluded.row_index,
                    payload_hash = excluded.payload_hash,
                    submission_key = excluded.submission_key,
                    project_id = NULL, status = 'submitting', url = NULL, error = NULL,
                    file = NULL, attempts = rows.attempts + 1, updated_at = excluded.updated_at,
                    submitted_at = NULL, finished_at = NULL
                """,
                (row_key, row_index, payload_hash, submission_key, now, now),
            )
        self._handed.add(row_key)
        return "recorded"

    def record_submitted(self, row_key: str, project_id: str) -> None:
        """The POST (or a reconcile) gave ``project_id``: from now on the row is only polled."""
        now = now_text()
        self._update(
            row_key,
            "status = 'submitted', project_id = ?, error = NULL, submitted_at = ?",
            (project_id, now),
            only_if="status = 'submitting'",
        )

    def record_rendering(self, row_key: str) -> None:
        """The service reports the project running (for progress and reports)."""
        self._update(row_key, "status = 'rendering'", (), only_if="status = 'submitted'")

    def record_done(self, row_key: str, url: str | None) -> None:
        """The render finished; ``url`` is the video."""
        self._update(
            row_key, "status = 'done', url = ?, error = NULL, finished_at = ?", (url, now_text())
        )

    def record_failed(self, row_key: str, error: str) -> None:
        """The render (or a definitive submit refusal) failed with ``error``."""
        self._update(row_key, "status = 'failed', error = ?, finished_at = ?", (error, now_text()))

    def record_file(self, row_key: str, file: str) -> None:
        """The finished video was saved at ``file`` (after it was renamed into place)."""
        self._update(row_key, "file = ?", (file,))

    def record_hash(self, row_key: str, payload_hash: str) -> None:
        """Accept ``payload_hash`` as the row's payload (the user chose to keep the result)."""
        self._update(row_key, "payload_hash = ?", (payload_hash,))

    def forget_intent(self, row_key: str) -> None:
        """Drop an intent the service provably refused (nothing was created): back to new.

        Used when the submit answer proves no project exists (e.g. out of
        credits): the row is deleted, so the next run submits it again.
        """
        with self._transaction() as db:
            db.execute("DELETE FROM rows WHERE row_key = ? AND status = 'submitting'", (row_key,))

    def _update(
        self, row_key: str, assignments: str, params: tuple[Any, ...], *, only_if: str = "1"
    ) -> None:
        with self._transaction() as db:
            db.execute(
                f"UPDATE rows SET {assignments}, updated_at = ? WHERE row_key = ? AND {only_if}",
                (*params, now_text(), row_key),
            )


def _refuse_hard_links(path: Path) -> None:
    try:
        links = path.stat().st_nlink
    except FileNotFoundError:
        return
    if links > 1:
        raise LedgerError(
            f"{path} has {links} names (hard links); SQLite keeps its write-ahead log beside "
            "the name it was opened by, so a run resumed through another name would miss "
            "what a killed run recorded. Remove the other links (a symlink is fine)"
        )


def _os_lock(lock_path: Path) -> IO[str] | None:
    """An exclusive, non-blocking OS lock on ``lock_path``, held while the handle is open."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: only the lock inside SQLite; documented
        return None
    handle = open(lock_path, "a+")  # noqa: SIM115 - held until release()
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise LedgerError(
            f"another process is running this batch (lock {lock_path} is held); "
            "wait for it to finish, or stop it, then re-run to resume"
        ) from None
    return handle
