"""Drive ``Client`` and ``AsyncClient`` with the same test code: do they follow the same rules?

:func:`twin_clients` yields a ``Client`` and a blocking view of an
``AsyncClient`` (its coroutines run on an anyio portal's event loop), each
against its own ``FakeJSON2Video`` on its own ``FakeClock``. A scenario written
once runs on both; the test compares what each server received.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from anyio.from_thread import BlockingPortal, start_blocking_portal

from moviekit import AsyncClient, Client
from moviekit.testing import FakeClock, FakeJSON2Video
from moviekit.transport._aclient import AsyncJob, AsyncMedia, AsyncRender, AsyncTemplates

_ASYNC_TYPES = (AsyncClient, AsyncJob, AsyncRender, AsyncMedia, AsyncTemplates)


class Blocking:
    """A blocking view of an async moviekit object: its coroutines run on ``portal``."""

    def __init__(self, target: Any, portal: BlockingPortal) -> None:
        self._target = target
        self._portal = portal

    def __repr__(self) -> str:
        return f"Blocking({self._target!r})"

    def _wrap(self, value: Any) -> Any:
        return Blocking(value, self._portal) if isinstance(value, _ASYNC_TYPES) else value

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if inspect.iscoroutinefunction(value):

            def call(*args: Any, **kwargs: Any) -> Any:
                return self._wrap(self._portal.call(functools.partial(value, *args, **kwargs)))

            return call
        if inspect.isasyncgenfunction(value):

            def listing(*args: Any, **kwargs: Any) -> list[Any]:
                async def collect() -> list[Any]:
                    return [item async for item in value(*args, **kwargs)]

                return self._portal.call(collect)

            return listing
        if inspect.ismethod(value):
            return lambda *args, **kwargs: self._wrap(value(*args, **kwargs))
        return self._wrap(value)


@dataclass
class Side:
    """One client of a twin run, its server and its clock."""

    name: str
    client: Any
    server: FakeJSON2Video
    clock: FakeClock

    def requests(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """What the server received: method, path and the query's names, in order.

        Paths below ``/files/`` and ``/upload/`` end in random ids; only their start counts.
        """
        return [(r.method, _shape(r.path), tuple(sorted(r.query))) for r in self.server.requests]


def _shape(path: str) -> str:
    for prefix in ("/files/", "/upload/"):
        if path.startswith(prefix):
            return prefix + "…"
    return path


def _server(clock: FakeClock) -> FakeJSON2Video:
    return FakeJSON2Video(clock=clock, queue_seconds=1.0, render_seconds=4.0)


@contextmanager
def twin_clients(**options: Any) -> Iterator[tuple[Side, Side]]:
    """A blocking ``Client`` and a blocking view of an ``AsyncClient`` with the same settings."""
    sync_clock, async_clock = FakeClock(), FakeClock()

    async def async_sleep(seconds: float) -> None:
        async_clock.sleep(seconds)

    settings: dict[str, Any] = {"random_fn": lambda: 0.0, "timeout": (2.0, 2.0), **options}
    with (
        _server(sync_clock) as sync_server,
        _server(async_clock) as async_server,
        start_blocking_portal() as portal,
    ):
        client = Client(
            api_key=sync_server.api_key,
            base_url=sync_server.base_url,
            sleep=sync_clock.sleep,
            clock=sync_clock,
            **settings,
        )
        aclient = portal.call(
            functools.partial(
                _make_async,
                api_key=async_server.api_key,
                base_url=async_server.base_url,
                sleep=async_sleep,
                clock=async_clock,
                **settings,
            )
        )
        try:
            yield (
                Side("Client", client, sync_server, sync_clock),
                Side("AsyncClient", Blocking(aclient, portal), async_server, async_clock),
            )
        finally:
            client.close()
            portal.call(aclient.aclose)


async def _make_async(**settings: Any) -> AsyncClient:
    # Made inside the portal's event loop, where its connection pool will live.
    return AsyncClient(**settings)
