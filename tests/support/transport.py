"""Shared fixtures for the transport tests: a fake server and a client on a shared clock.

Everything runs over real sockets; only sleep, clock and jitter are injected.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from moviekit.testing import FakeClock, FakeJSON2Video
from moviekit.transport._client import Client


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(clock: FakeClock) -> Iterator[FakeJSON2Video]:
    with FakeJSON2Video(clock=clock, queue_seconds=1.0, render_seconds=4.0) as srv:
        yield srv


@pytest.fixture
def client(server: FakeJSON2Video, clock: FakeClock) -> Iterator[Client]:
    with Client(
        api_key=server.api_key,
        base_url=server.base_url,
        sleep=clock.sleep,
        clock=clock,
        random_fn=lambda: 0.0,
        timeout=(2.0, 2.0),
    ) as c:
        yield c


@pytest.fixture(autouse=True)
def _debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    # Every test runs with moviekit's logs captured at DEBUG, so key-leak checks see them.
    caplog.set_level(logging.DEBUG, logger="moviekit")
    caplog.set_level(logging.DEBUG, logger="urllib3")


def movie(seconds: float = 3.0, **extra: Any) -> dict[str, Any]:
    """A small valid movie as a plain dict."""
    return {
        "resolution": "hd",
        "scenes": [{"duration": seconds, "elements": [{"type": "text", "text": "Hello"}]}],
        **extra,
    }


def assert_key_absent(key: str, *texts: object) -> None:
    """The API key appears in none of ``texts`` (reprs, messages, logs, recordings)."""
    for text in texts:
        assert key not in str(text), f"API key leaked into: {str(text)[:200]}"
        assert key not in repr(text), f"API key leaked into: {repr(text)[:200]}"


def leak_check(server: FakeJSON2Video, caplog: pytest.LogCaptureFixture, *extra: object) -> None:
    """No key in logs, recorded requests, or the given objects."""
    assert_key_absent(
        server.api_key,
        caplog.text,
        *[r.getMessage() for r in caplog.records],
        *server.requests,
        *extra,
    )
