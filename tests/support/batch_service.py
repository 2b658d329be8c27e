"""The fake service in a process of its own, as the real one is to a batch's workers.

Several worker processes share one :class:`FakeJSON2Video`; the test asks it,
over a pipe, what it counted: projects per row key (``client-data.row``), the
most renders it had at once, how many projects it made.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

from moviekit.testing import FakeJSON2Video


def _serve(conn: Connection, options: dict[str, Any]) -> None:
    with FakeJSON2Video(**options) as server:
        conn.send((server.base_url, server.api_key))
        while True:
            question = conn.recv()
            if question == "stop":
                return
            if question == "renders per row":
                conn.send(server.submit_counts("row"))
            elif question == "most at once":
                conn.send(server.max_simultaneous_renders)
            elif question == "projects":
                conn.send(len(server.projects()))


class ServiceProcess:
    """``with ServiceProcess(render_seconds=0.3) as service:`` then ``service.base_url``."""

    def __init__(self, **options: Any) -> None:
        self.options = {"credits": 1e12, **options}
        self._conn: Connection | None = None
        self._process: Any = None
        self.base_url = self.api_key = ""

    def __enter__(self) -> ServiceProcess:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, self.options), daemon=True)
        self._process.start()
        self._conn = parent
        self.base_url, self.api_key = parent.recv()
        return self

    def ask(self, question: str) -> Any:
        assert self._conn is not None
        self._conn.send(question)
        return self._conn.recv()

    def renders_per_row(self) -> dict[str, int]:
        """How many projects the service made for each row key."""
        counts: dict[str, int] = self.ask("renders per row")
        return counts

    def most_at_once(self) -> int:
        """The most renders the service had at once (queued or rendering)."""
        return int(self.ask("most at once"))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._conn is not None:
            self._conn.send("stop")
        if self._process is not None:
            self._process.join(timeout=10)
            if self._process.is_alive():
                self._process.kill()
