"""Fixtures of the batch tests: a throwaway PostgreSQL server for the shared ledger.

One server per test session (started on first use, from the binaries installed
on the machine; see ``support.batch_postgres``) and a new database per test.
Tests that need it skip, with the reason, only where no server can be had.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.batch_postgres import PostgresServer, postgres_server, unavailable


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    reason = unavailable()
    if reason is not None:
        pytest.skip(f"no PostgreSQL server: {reason}")
    with postgres_server() as server:
        yield server


@pytest.fixture
def pg_url(postgres: PostgresServer) -> str:
    """The URL of a new, empty database: one batch's shared ledger."""
    return postgres.database()
