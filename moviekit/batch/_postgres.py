"""The shared ledger: one PostgreSQL database that many batch runs, on many machines, drive at once.

``PostgresLedger("postgresql://user@host/db")`` keeps what the SQLite
:class:`~moviekit.Ledger` keeps (the same rows, statuses, intent before every
POST, resume, report) and adds what several workers on one batch need::

    moviekit_meta     one row: the schema version, the plan's limit (max_in_flight)
    moviekit_rows     the ledger's rows, as SQLite's, plus worker_id: the run that claims it
    moviekit_workers  one row per run: its lease (expires_at), renewed by a heartbeat

The ledger creates its tables, and migrates them to this version, itself (under
an advisory lock, so workers starting together do it once); a database written
by a newer moviekit is refused. Any number of batches can live in one server:
one database (or schema, ``?options=-csearch_path%3Dname``) per batch.

Claims. A run joins the batch with :meth:`PostgresLedger.acquire`: it gets a
lease (``lease`` seconds) that a heartbeat thread renews every third of it.
A run claims a new row by recording its intent, and rows no live run follows
(their run's lease ran out: it was killed, its machine died) by
:meth:`PostgresLedger.take_over` (``FOR UPDATE SKIP LOCKED``); a claim ends
when the row is done or failed, or when the run lets go of it or leaves.
Every intent and every take-over runs in one transaction that locks the
``moviekit_meta`` row first, so they happen one after another across all
workers, and each checks, inside that transaction, that:

- the run's own lease is still alive (and renews it); a run that lost it is
  stopped with a :class:`~moviekit.LedgerError` before it posts anything more;
- the row is as the run planned it (the same number of attempts) and no other
  live run claims it, else the intent is ``taken`` and the run skips the row;
- fewer than ``max_in_flight`` rows are in flight across all runs, else
  ``full`` and the run waits: the plan's limit is one number for the batch,
  not one per worker.

Why no row is rendered twice: a row is posted only by the run whose intent
claimed it; a row taken over is in flight, and a taker reconciles an
interrupted submit by its ``client-data`` key (the movie list) before it
posts again, which it does only when the project provably does not exist.
The dead run's POST, if it left at all, left before its lease ran out.

What a lease cannot cover: a run *frozen* (not dead) for longer than its lease
between its intent and its POST, whose row another run took over, reconciled
and posted meanwhile. The intent renews the lease a moment before the POST,
so it takes a pause of a whole lease at that exact point; keep the lease
(default 30 s) well above any pause your machines can have.

Timestamps in rows are ISO-8601 text, as in SQLite; leases use the server's
clock only, so the workers' clocks never need to agree. Needs psycopg 3
(``pip install 'moviekit-json2video[postgresql]'``), imported when a ledger is opened.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
import threading
from collections.abc import Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from moviekit._errors import LedgerError
from moviekit.batch._pg_schema import IN_FLIGHT_SQL, migrate_schema
from moviekit.batch._store import (
    LEDGER_COLUMNS,
    IntentOutcome,
    LedgerBase,
    LedgerRow,
    now_text,
)

if TYPE_CHECKING:  # pragma: no cover
    import psycopg

__all__ = ["PostgresLedger", "is_database_url", "redacted_url"]

logger = logging.getLogger("moviekit")

_SCHEMES = ("postgresql://", "postgres://")

# Renew this run's lease, only while it is still alive: an expired lease is never revived
# (another run may have taken the rows over), so its holder learns it has lost them.
_RENEW = """
    UPDATE moviekit_workers
       SET heartbeat_at = clock_timestamp(),
           expires_at = clock_timestamp() + make_interval(secs => %(lease)s)
     WHERE id = %(me)s AND expires_at > clock_timestamp()
    RETURNING id
"""
_LIVE_WORKERS = "SELECT id FROM moviekit_workers WHERE expires_at > clock_timestamp()"


def is_database_url(text: str) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) URL: a :class:`PostgresLedger`."""
    return text.startswith(_SCHEMES)


def redacted_url(url: str) -> str:
    """``postgresql://user@host:port/db`` for a ledger URL: never its password. Safe to print."""
    pg = _psycopg()
    try:
        info = pg.conninfo.conninfo_to_dict(url)
    except pg.Error:
        return "<the ledger URL>"
    user = f"{info['user']}@" if info.get("user") else ""
    host = info.get("host") or "localhost"
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{host}{port}/{info.get('dbname') or ''}"


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise LedgerError(
            "a PostgreSQL ledger needs psycopg 3: pip install 'moviekit-json2video[postgresql]'"
        ) from None
    return psycopg


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class PostgresLedger(LedgerBase):
    """A batch's ledger in a PostgreSQL database, shared by every worker (see the module docs).

    Implements :class:`~moviekit.LedgerStore`; use as a context manager. ``url``
    is a libpq URL (``postgresql://user:password@host:5432/db``); its password
    never appears in a repr, a message or a log line. ``lease``: seconds a run
    keeps its claims without a heartbeat, so how long a killed worker's rows
    wait before another worker takes them over.
    """

    def __init__(self, url: str, *, lease: float = 30.0) -> None:
        if not lease > 0:
            raise LedgerError(f"lease must be a positive number of seconds, got {lease!r}")
        pg = _psycopg()
        try:
            pg.conninfo.conninfo_to_dict(url)  # a malformed URL is refused before connecting
        except pg.Error:
            raise LedgerError(
                "the ledger URL is not a valid PostgreSQL URL "
                "(postgresql://user:password@host:5432/database)"
            ) from None
        self._conninfo = url
        #: The database, as messages name it: ``postgresql://user@host:port/db`` (no password).
        self.where = redacted_url(url)
        self.lease = float(lease)
        #: A run looks for rows left behind this often (a third of the lease).
        self.takeover_interval: float | None = self.lease / 3
        self._lock = threading.RLock()
        self._worker: str | None = None
        self._lost: str | None = None
        self._heartbeat: _Heartbeat | None = None
        self._db = self._connect()
        try:
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    # ------------------------------------------------------------ plumbing
    def __repr__(self) -> str:
        return f"PostgresLedger({self.where!r})"

    def __enter__(self) -> PostgresLedger:
        return self

    def _connect(self) -> psycopg.Connection[tuple[Any, ...]]:
        pg = _psycopg()
        options: dict[str, Any] = {"autocommit": True}
        info = pg.conninfo.conninfo_to_dict(self._conninfo)
        options.setdefault("connect_timeout", info.get("connect_timeout", 10))
        options.setdefault("application_name", info.get("application_name", "moviekit batch"))
        try:
            conn: psycopg.Connection[tuple[Any, ...]] = pg.connect(self._conninfo, **options)
        except pg.Error as exc:
            raise LedgerError(f"cannot open the ledger {self.where}: {_first_line(exc)}") from None
        return conn

    @contextlib.contextmanager
    def _cursor(self, transaction: bool = False) -> Iterator[psycopg.Cursor[tuple[Any, ...]]]:
        """A cursor on the ledger's connection (one statement, or one transaction)."""
        pg = _psycopg()
        with self._lock:
            try:
                with contextlib.ExitStack() as stack:
                    if transaction:
                        stack.enter_context(self._db.transaction())
                    yield stack.enter_context(self._db.cursor())
            except pg.Error as exc:
                raise LedgerError(f"the ledger {self.where}: {_first_line(exc)}") from None

    def _migrate(self) -> None:
        with self._cursor(transaction=True) as cur:
            migrate_schema(cur, self.where)

    def close(self) -> None:
        """Leave the batch (if joined) and close the connection."""
        self.release()
        with self._lock:
            self._db.close()

    # ------------------------------------------------------------ joining and leaving
    def acquire(self) -> None:
        """Join the batch: register this run with a lease and start its heartbeat.

        Other runs may be working on the same batch at the same time; they
        share it through claims (see the module docs), never by waiting.
        """
        if self._worker is not None:
            return
        worker = secrets.token_hex(8)
        with self._cursor(transaction=True) as cur:
            # Runs long gone that claim nothing are forgotten.
            cur.execute(
                """
                DELETE FROM moviekit_workers w
                 WHERE w.expires_at < clock_timestamp() - interval '1 day'
                   AND NOT EXISTS (SELECT 1 FROM moviekit_rows r WHERE r.worker_id = w.id)
                """
            )
            cur.execute(
                """
                INSERT INTO moviekit_workers (id, host, pid, started_at, heartbeat_at, expires_at)
                VALUES (%s, %s, %s, clock_timestamp(), clock_timestamp(),
                        clock_timestamp() + make_interval(secs => %s))
                """,
                (worker, socket.gethostname(), os.getpid(), self.lease),
            )
        self._worker, self._lost = worker, None
        self._heartbeat = _Heartbeat(self, worker)
        self._heartbeat.start()

    def release(self) -> None:
        """Leave the batch: stop the heartbeat and let go of every claim (idempotent)."""
        if self._heartbeat is not None:
            self._heartbeat.stop()
            self._heartbeat = None
        worker, self._worker = self._worker, None
        if worker is None:
            return
        # A run going down may find the database gone; its lease then runs out by itself.
        with contextlib.suppress(LedgerError), self._cursor(transaction=True) as cur:
            cur.execute("UPDATE moviekit_rows SET worker_id = NULL WHERE worker_id = %s", (worker,))
            cur.execute("DELETE FROM moviekit_workers WHERE id = %s", (worker,))

    def _renew(self, cur: psycopg.Cursor[tuple[Any, ...]]) -> str | None:
        """Inside a transaction: renew this run's lease, or stop it when the lease is lost."""
        me = self._worker
        if me is None:
            return None
        if self._lost is None:
            cur.execute(_RENEW, {"lease": self.lease, "me": me})
            if cur.fetchone() is None:
                self._lost = f"its lease ran out (no heartbeat for {self.lease:g} s)"
        if self._lost is not None:
            self._stop_lost()
        return me

    def _stop_lost(self) -> NoReturn:
        raise LedgerError(
            f"this run lost its claim on the batch in {self.where}: {self._lost}; other "
            "workers may have taken its rows over, so it stops before submitting anything "
            "more (what it recorded stays, and is resumed)"
        )

    # ------------------------------------------------------------ reading
    def get(self, row_key: str) -> LedgerRow | None:
        """The record of ``row_key``, or ``None`` if the ledger has never seen it."""
        with self._cursor() as cur:
            cur.execute(
                f"SELECT {LEDGER_COLUMNS} FROM moviekit_rows WHERE row_key = %s", (row_key,)
            )
            found = cur.fetchone()
        return LedgerRow(*found) if found is not None else None

    def rows(self) -> list[LedgerRow]:
        """Every record, in input order (``row_index``), then by key."""
        with self._cursor() as cur:
            cur.execute(f"SELECT {LEDGER_COLUMNS} FROM moviekit_rows ORDER BY row_index, row_key")
            return [LedgerRow(*r) for r in cur.fetchall()]

    def __iter__(self) -> Iterator[LedgerRow]:
        return iter(self.rows())

    def __len__(self) -> int:
        with self._cursor() as cur:
            cur.execute("SELECT count(*) FROM moviekit_rows")
            return int(_one(cur)[0])

    def counts(self) -> dict[str, int]:
        """Number of rows per status."""
        with self._cursor() as cur:
            cur.execute("SELECT status, count(*) FROM moviekit_rows GROUP BY status")
            return {str(status): int(n) for status, n in cur.fetchall()}

    def workers(self) -> list[dict[str, Any]]:
        """The runs joined to the batch: id, host, pid, and whether their lease is alive."""
        with self._cursor() as cur:
            cur.execute(
                """
                SELECT id, host, pid, expires_at > clock_timestamp(),
                       (SELECT count(*) FROM moviekit_rows r WHERE r.worker_id = w.id)
                  FROM moviekit_workers w ORDER BY started_at
                """
            )
            keys = ("id", "host", "pid", "alive", "claims")
            return [dict(zip(keys, r, strict=True)) for r in cur.fetchall()]

    # ------------------------------------------------------------ the shared limit and claims
    def set_limit(self, limit: int, *, replace: bool) -> int:
        """Store the plan's limit (always with ``replace``, else only when none is); return it."""
        with self._cursor() as cur:
            cur.execute(
                """
                UPDATE moviekit_meta
                   SET max_in_flight = CASE WHEN %(replace)s THEN %(limit)s
                                            ELSE coalesce(max_in_flight, %(limit)s) END
                 WHERE id = 1
                RETURNING max_in_flight
                """,
                {"limit": limit, "replace": replace},
            )
            return int(_one(cur)[0])

    def take_over(self, skip: Collection[str] = ()) -> list[LedgerRow]:
        """Claim the in-flight rows no live run follows (but ``skip``) for this run; return them."""
        with self._cursor(transaction=True) as cur:
            cur.execute("SELECT 1 FROM moviekit_meta WHERE id = 1 FOR UPDATE")
            me = self._renew(cur)
            if me is None:
                raise LedgerError("take_over() needs a run that joined the batch: acquire() first")
            cur.execute(
                f"""
                UPDATE moviekit_rows SET worker_id = %(me)s
                 WHERE row_key IN (
                       SELECT row_key FROM moviekit_rows
                        WHERE status IN {IN_FLIGHT_SQL}
                          AND (worker_id IS NULL OR worker_id NOT IN ({_LIVE_WORKERS}))
                          AND row_key <> ALL(%(skip)s)
                          FOR UPDATE SKIP LOCKED)
                RETURNING {LEDGER_COLUMNS}
                """,
                {"me": me, "skip": list(skip)},
            )
            taken = [LedgerRow(*r) for r in cur.fetchall()]
        if taken:
            logger.info("took over %d row(s) in flight from %s", len(taken), self.where)
        return sorted(taken, key=lambda r: (r.row_index, r.row_key))

    def unclaim(self, row_key: str) -> None:
        """This run stops following ``row_key``: another run may take it over."""
        with self._cursor() as cur:
            cur.execute(
                "UPDATE moviekit_rows SET worker_id = NULL WHERE row_key = %s AND worker_id = %s",
                (row_key, self._worker),
            )

    def followed_elsewhere(self, skip: Collection[str] = ()) -> bool:
        """Whether a live run claims an in-flight row, or one waits for a taker (not ``skip``)."""
        with self._cursor() as cur:
            cur.execute(
                f"""
                SELECT EXISTS (
                    SELECT 1 FROM moviekit_rows r
                      LEFT JOIN moviekit_workers w ON w.id = r.worker_id
                     WHERE r.status IN {IN_FLIGHT_SQL}
                       AND r.worker_id IS DISTINCT FROM %(me)s
                       AND (w.expires_at > clock_timestamp() OR r.row_key <> ALL(%(skip)s)))
                """,
                {"me": self._worker, "skip": list(skip)},
            )
            return bool(_one(cur)[0])

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
        """Claim ``row_key`` and record that it is about to be POSTed with ``submission_key``.

        Committed before the POST, in one transaction (one call of the
        ledger's ``moviekit_intent`` function) that also renews this run's
        lease and checks the row and the limit (see the module docs):
        ``"taken"`` when another run recorded an intent for the row since this
        one saw ``attempts`` of them, or claims it; ``"full"`` when the plan's
        limit of rows in flight is reached.
        """
        if self._lost is not None:
            self._stop_lost()
        with self._cursor() as cur:
            # One round trip: the server holds the batch's lock only while the function runs.
            cur.execute(
                "SELECT moviekit_intent(%s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    row_key,
                    row_index,
                    payload_hash,
                    submission_key,
                    attempts,
                    self._worker,
                    self.lease,
                    now_text(),
                ),
            )
            outcome = str(_one(cur)[0])
        if outcome == "lost":
            self._lost = f"its lease ran out (no heartbeat for {self.lease:g} s)"
            self._stop_lost()
        assert outcome in ("recorded", "taken", "full"), outcome
        return outcome  # type: ignore[return-value]  # one of the three, checked above

    def record_submitted(self, row_key: str, project_id: str) -> None:
        """The POST (or a reconcile) gave ``project_id``: from now on the row is only polled."""
        self._update(
            row_key,
            "status = 'submitted', project_id = %s, error = NULL, submitted_at = %s",
            (project_id, now_text()),
            only_if="status = 'submitting'",
        )

    def record_rendering(self, row_key: str) -> None:
        """The service reports the project running (for progress and reports)."""
        self._update(row_key, "status = 'rendering'", (), only_if="status = 'submitted'")

    def record_done(self, row_key: str, url: str | None) -> None:
        """The render finished; ``url`` is the video. The claim ends."""
        self._update(
            row_key,
            "status = 'done', url = %s, error = NULL, finished_at = %s, worker_id = NULL",
            (url, now_text()),
        )

    def record_failed(self, row_key: str, error: str) -> None:
        """The render (or a definite submit refusal) failed with ``error``. The claim ends."""
        self._update(
            row_key,
            "status = 'failed', error = %s, finished_at = %s, worker_id = NULL",
            (error, now_text()),
        )

    def record_file(self, row_key: str, file: str) -> None:
        """The finished video was saved at ``file``."""
        self._update(row_key, "file = %s", (file,))

    def forget_intent(self, row_key: str) -> None:
        """Drop an intent the service provably refused (nothing was created): back to new."""
        with self._cursor() as cur:
            cur.execute(
                "DELETE FROM moviekit_rows WHERE row_key = %s AND status = 'submitting'",
                (row_key,),
            )

    def _update(
        self, row_key: str, assignments: str, params: tuple[Any, ...], *, only_if: str = "true"
    ) -> None:
        with self._cursor() as cur:
            cur.execute(
                f"UPDATE moviekit_rows SET {assignments}, updated_at = %s "
                f"WHERE row_key = %s AND {only_if}",
                (*params, now_text(), row_key),
            )

    # ------------------------------------------------------------ moving a batch here
    def import_rows(self, records: Sequence[LedgerRow]) -> int:
        """Copy ``records`` (another ledger's rows) into this empty ledger; return how many.

        Refused (:class:`~moviekit.LedgerError`) when this ledger already holds
        rows or a live run is joined to it: the moved rows must not meet a run
        that planned without them.
        """
        columns = [name.strip() for name in LEDGER_COLUMNS.split(",")]
        with self._cursor(transaction=True) as cur:
            cur.execute("SELECT 1 FROM moviekit_meta WHERE id = 1 FOR UPDATE")
            cur.execute("SELECT count(*) FROM moviekit_rows")
            held = int(_one(cur)[0])
            if held:
                raise LedgerError(
                    f"{self.where} already holds {held} row(s); move a batch into an empty "
                    "ledger (a new database, or another schema)"
                )
            cur.execute(f"SELECT count(*) FROM ({_LIVE_WORKERS}) AS live")
            live = int(_one(cur)[0])
            if live:
                raise LedgerError(
                    f"{live} worker(s) are running on {self.where}; stop them before moving a "
                    "batch into it"
                )
            copy_sql = f"COPY moviekit_rows ({', '.join(columns)}) FROM STDIN"
            with cur.copy(copy_sql) as copy:
                for record in records:
                    copy.write_row(tuple(getattr(record, name) for name in columns))
        return len(records)


class _Heartbeat(threading.Thread):
    """Renews a run's lease every third of it, on its own connection, until stopped.

    When the lease is found gone (the run was frozen or cut off for longer than
    the lease), it tells the ledger, which stops the run at its next intent.
    """

    def __init__(self, ledger: PostgresLedger, worker: str) -> None:
        super().__init__(name="moviekit-ledger-heartbeat", daemon=True)
        self.ledger = ledger
        self.worker = worker
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout=self.ledger.lease)

    def run(self) -> None:
        pg = _psycopg()
        conn: psycopg.Connection[tuple[Any, ...]] | None = None
        params = {"lease": self.ledger.lease, "me": self.worker}
        interval = self.ledger.lease / 3
        try:
            while not self._stopping.wait(interval):
                try:
                    if conn is None:
                        conn = self.ledger._connect()
                    if conn.execute(_RENEW, params).fetchone() is None:
                        self.ledger._lost = "its lease ran out before the heartbeat renewed it"
                        return
                except (pg.Error, LedgerError) as exc:
                    # The next beat tries again; the lease covers a few missed beats.
                    logger.warning("ledger heartbeat failed: %s", _first_line(exc))
                    if conn is not None:
                        conn.close()
                    conn = None
        finally:
            if conn is not None:
                conn.close()


def _one(cur: psycopg.Cursor[tuple[Any, ...]]) -> tuple[Any, ...]:
    found = cur.fetchone()
    assert found is not None, "the statement returns one row"
    return found
