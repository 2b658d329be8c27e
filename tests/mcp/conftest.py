"""MCP test fixtures: the fake service, and a server session whose environment points at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.mcp_session import McpSession, mcp_session, server_env

from moviekit.testing import FakeJSON2Video


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeJSON2Video]:
    """A fake JSON2Video whose renders finish within a fraction of a second."""
    with FakeJSON2Video(speed=50, queue_seconds=0.5, render_seconds=2) as server:
        yield server


@pytest.fixture(scope="module")
def service_session(
    fake: FakeJSON2Video, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[McpSession]:
    """``moviekit mcp --log-level DEBUG`` with the fake's key and URL in its environment only.

    At the end of the module: the key came back in no result and reached no log line.
    """
    workdir = tmp_path_factory.mktemp("mcp-service")
    env = server_env(
        JSON2VIDEO_API_KEY=fake.api_key,
        JSON2VIDEO_BASE_URL=fake.base_url,
        MOVIEKIT_CACHE_DIR=str(workdir / "cache"),
    )
    with mcp_session(workdir, "--log-level", "DEBUG", env=env) as connected:
        yield connected
        assert fake.api_key not in connected.stderr()
        assert not [said for said in connected.seen if fake.api_key in said]
