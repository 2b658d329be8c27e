"""Deadlines for a whole request (the blocking transport's).

requests only knows per-read timeouts: a server sending one byte a second
keeps a transfer alive forever. Here every attempt gets a :class:`Deadline`;
one watchdog thread shuts the socket of an attempt that outlives it (from
another thread, the only way to interrupt a blocked read), so the reading
thread gets an error at once. The socket is found by the connection classes of
:func:`deadline_adapter`, which attach themselves to the deadline of the thread
that sends through them.
"""

from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["Deadline", "deadline_adapter", "within"]


class Deadline:
    """One attempt's deadline; the watchdog shuts its connections' sockets when it passes."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._connections: list[HTTPConnection] = []
        self._over = False
        self.fired = False

    @property
    def expired(self) -> bool:
        """True once the deadline passed (whether or not the watchdog fired yet)."""
        return self.fired or time.monotonic() >= self.expires

    def attach(self, connection: HTTPConnection) -> None:
        """Put ``connection`` (about to send) under this deadline."""
        with self._lock:
            if self._over:
                return
            self._connections.append(connection)
        if self.expired:
            self.fire()

    def fire(self) -> None:
        """Shut the sockets of the attached connections: their blocked reads return."""
        with self._lock:
            if self._over:
                return
            self.fired = True
            connections = list(self._connections)
        for connection in connections:
            sock = connection.sock
            if sock is not None:
                # The base-class shutdown: an SSL socket's own would unwrap it under
                # the reading thread's feet. Either way the blocked read returns.
                with suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def finish(self) -> None:
        """The attempt is over: later firing touches nothing."""
        with self._lock:
            self._over = True
            self._connections.clear()


class _Watchdog:
    """One daemon thread that fires deadlines in order of expiry."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Deadline]] = []
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, deadline: Deadline) -> None:
        """Fire ``deadline`` when it expires."""
        with self._cond:
            heapq.heappush(self._heap, (deadline.expires, next(self._ids), deadline))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="moviekit-deadlines", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                expires, _, deadline = self._heap[0]
                wait = expires - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
            deadline.fire()


_WATCHDOG = _Watchdog()
_CURRENT = threading.local()


@contextmanager
def within(seconds: float) -> Iterator[Deadline]:
    """A deadline for the requests this thread sends inside the ``with`` block."""
    deadline = Deadline(seconds)
    _CURRENT.deadline = deadline
    _WATCHDOG.watch(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.deadline = None
        deadline.finish()


def _attach(connection: HTTPConnection) -> None:
    """Put ``connection`` under the deadline of the thread about to send through it."""
    deadline: Deadline | None = getattr(_CURRENT, "deadline", None)
    if deadline is not None:
        deadline.attach(connection)


class _DeadlineHTTPConnection(HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach(self)
        super().request(*args, **kwargs)


class _DeadlineHTTPSConnection(HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach(self)
        super().request(*args, **kwargs)


class _DeadlineHTTPPool(HTTPConnectionPool):
    ConnectionCls = _DeadlineHTTPConnection


class _DeadlineHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _DeadlineHTTPSConnection


class _DeadlineAdapter(HTTPAdapter):
    """requests' adapter with connections the watchdog can cut at an attempt's deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _DeadlineHTTPPool,
            "https": _DeadlineHTTPSPool,
        }


def deadline_adapter(pool_size: int) -> HTTPAdapter:
    """An adapter keeping ``pool_size`` connections per host, whose attempts have deadlines."""
    return _DeadlineAdapter(pool_connections=4, pool_maxsize=pool_size)
