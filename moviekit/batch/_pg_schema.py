"""The tables of the PostgreSQL ledger, and the migrations that create them (versioned).

``moviekit_meta.version`` says which of :data:`MIGRATIONS` a database has had;
:func:`migrate_schema` applies the missing ones under an advisory lock, so
workers that start together create the tables once, and refuses a database a
newer moviekit wrote. See :mod:`moviekit.batch._postgres` for what the tables
and the ``moviekit_intent`` function are for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from moviekit._errors import LedgerError
from moviekit.batch._store import LEDGER_COLUMNS_SQL

if TYPE_CHECKING:  # pragma: no cover
    import psycopg

__all__ = ["IN_FLIGHT_SQL", "MIGRATIONS", "SCHEMA_LOCK", "SCHEMA_VERSION", "migrate_schema"]

#: The version of the tables this moviekit writes (``moviekit_meta.version``).
SCHEMA_VERSION = 1

# pg_advisory_xact_lock key held while the schema is created or migrated ("mkledger").
SCHEMA_LOCK = 0x6D6B6C6564676572
#: The statuses of rows in flight, as an SQL list.
IN_FLIGHT_SQL = "('submitting', 'submitted', 'rendering')"

# Each migration takes the tables from the version before it to its own.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        f"""
        CREATE TABLE moviekit_meta (
            id            INTEGER PRIMARY KEY CHECK (id = 1),
            version       INTEGER NOT NULL,
            max_in_flight INTEGER CHECK (max_in_flight >= 1),
            created_at    TEXT NOT NULL
        );
        INSERT INTO moviekit_meta (id, version, created_at)
            VALUES (1, 0, to_char(clock_timestamp() AT TIME ZONE 'UTC',
                                  'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
        CREATE TABLE moviekit_workers (
            id           TEXT PRIMARY KEY,
            host         TEXT NOT NULL,
            pid          INTEGER NOT NULL,
            started_at   TIMESTAMPTZ NOT NULL,
            heartbeat_at TIMESTAMPTZ NOT NULL,
            expires_at   TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE moviekit_rows (
{LEDGER_COLUMNS_SQL},
            worker_id      TEXT
        );
        CREATE INDEX moviekit_rows_in_flight ON moviekit_rows (row_index)
            WHERE status IN {IN_FLIGHT_SQL};
        -- record_intent in one call (see PostgresLedger.record_intent and the module docs):
        -- 'recorded', 'taken', 'full', or 'lost' (the worker's lease ran out: nothing changed)
        CREATE FUNCTION moviekit_intent(p_key TEXT, p_index INTEGER, p_hash TEXT, p_skey TEXT,
                                        p_attempts INTEGER, p_worker TEXT,
                                        p_lease DOUBLE PRECISION, p_now TEXT)
        RETURNS TEXT LANGUAGE plpgsql AS $$
        DECLARE
            v_limit  INTEGER;
            v_seen   INTEGER;
            v_holder TEXT;
            v_alive  BOOLEAN;
        BEGIN
            SELECT max_in_flight INTO v_limit FROM moviekit_meta WHERE id = 1 FOR UPDATE;
            IF p_worker IS NOT NULL THEN
                UPDATE moviekit_workers
                   SET heartbeat_at = clock_timestamp(),
                       expires_at = clock_timestamp() + make_interval(secs => p_lease)
                 WHERE id = p_worker AND expires_at > clock_timestamp();
                IF NOT FOUND THEN
                    RETURN 'lost';
                END IF;
            END IF;
            SELECT r.attempts, r.worker_id, coalesce(w.expires_at > clock_timestamp(), false)
              INTO v_seen, v_holder, v_alive
              FROM moviekit_rows r LEFT JOIN moviekit_workers w ON w.id = r.worker_id
             WHERE r.row_key = p_key
               FOR UPDATE OF r;
            IF FOUND AND (v_seen <> p_attempts OR (v_holder IS DISTINCT FROM p_worker
                                                   AND v_holder IS NOT NULL AND v_alive)) THEN
                RETURN 'taken';
            END IF;
            IF v_limit IS NOT NULL AND (SELECT count(*) FROM moviekit_rows
                                         WHERE status IN {IN_FLIGHT_SQL}
                                           AND row_key <> p_key) >= v_limit THEN
                RETURN 'full';
            END IF;
            INSERT INTO moviekit_rows (row_key, row_index, payload_hash, submission_key, status,
                                       attempts, created_at, updated_at, worker_id)
            VALUES (p_key, p_index, p_hash, p_skey, 'submitting', 1, p_now, p_now, p_worker)
            ON CONFLICT (row_key) DO UPDATE SET
                row_index = excluded.row_index,
                payload_hash = excluded.payload_hash,
                submission_key = excluded.submission_key,
                project_id = NULL, status = 'submitting', url = NULL, error = NULL,
                file = NULL, attempts = moviekit_rows.attempts + 1,
                updated_at = excluded.updated_at, submitted_at = NULL, finished_at = NULL,
                worker_id = excluded.worker_id;
            RETURN 'recorded';
        END
        $$;
        """,
    ),
)
assert [v for v, _ in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))


def migrate_schema(cur: psycopg.Cursor[tuple[Any, ...]], where: str) -> None:
    """Inside a transaction: bring the tables to :data:`SCHEMA_VERSION` (``where`` names them)."""
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
    cur.execute("SELECT to_regclass('moviekit_meta') IS NOT NULL")
    found = cur.fetchone()
    version = 0
    if found is not None and found[0]:
        cur.execute("SELECT version FROM moviekit_meta WHERE id = 1")
        row = cur.fetchone()
        version = int(row[0]) if row is not None else 0
    if version > SCHEMA_VERSION:
        raise LedgerError(
            f"{where} was written by a newer moviekit (ledger format {version}); "
            "upgrade moviekit to resume this batch"
        )
    for target, statements in MIGRATIONS:
        if target > version:
            cur.execute(statements)
            cur.execute("UPDATE moviekit_meta SET version = %s WHERE id = 1", (target,))
