"""A scripted hostile (or broken) JSON2Video service on loopback, for the transport tests.

``HostileServer`` is a real ``ThreadingHTTPServer``: each test gives it one
``script(request) -> Answer`` and checks what the client makes of the answers.
An :class:`Answer` can trickle its bytes (headers too), stream a body without
end, redirect, gzip, lie about its type. The server records every request
(with the ``x-api-key`` it received, so a test can see where the key went)
and counts the body bytes it managed to send.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

API_KEY = "hostile-test-key-0123456789abcdef"


@dataclass(frozen=True)
class Seen:
    """A request the hostile server received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Answer:
    """What to send back.

    ``body`` is bytes or an iterable of byte chunks (streamed, chunk by chunk,
    ``pause`` seconds apart). ``trickle_head`` sends the status line and headers
    one byte per ``pause`` too. ``length`` overrides Content-Length (None:
    the length of a bytes body; omitted for an iterable body, which then ends
    when the connection closes).
    """

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    pause: float = 0.0
    trickle_head: bool = False
    length: int | None = None


def json_answer(value: Any, status: int = 200, **options: Any) -> Answer:
    """An answer with ``value`` as its JSON body."""
    headers = {"Content-Type": "application/json", **options.pop("headers", {})}
    return Answer(status, json.dumps(value).encode(), headers, **options)


def trickled(data: bytes, size: int = 1) -> Iterator[bytes]:
    """``data`` in pieces of ``size`` bytes."""
    for i in range(0, len(data), size):
        yield data[i : i + size]


def endless(chunk: bytes = b"x" * 65536) -> Iterator[bytes]:
    """The same chunk for ever."""
    while True:
        yield chunk


def movie(project: str, status: str = "done", **fields: Any) -> dict[str, Any]:
    """A movie object as the status endpoint shows it."""
    return {"project": project, "status": status, "success": True, "message": "", **fields}


Script = Callable[[Seen], Answer]


class HostileServer:
    """Serves ``script``'s answers on 127.0.0.1; ``with HostileServer(script) as srv: ...``."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[Seen] = []
        self.sent_bytes = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def base_url(self) -> str:
        return self.origin + "/v2"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def seen(self, method: str, path: str) -> list[Seen]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def _count(self, n: int) -> None:
        with self._lock:
            self.sent_bytes += n


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


def _handler(server: HostileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length", "0") or 0)
            seen = Seen(
                self.command,
                parts.path,
                {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length) if length else b"",
            )
            server.requests.append(seen)
            answer = server.script(seen)
            with contextlib.suppress(OSError):
                self._answer(answer)
            self.close_connection = True

        def _answer(self, answer: Answer) -> None:
            body = answer.body
            headers = dict(answer.headers)
            if isinstance(body, bytes):
                headers.setdefault("Content-Length", str(len(body)))
            if answer.length is not None:
                headers["Content-Length"] = str(answer.length)
            headers.setdefault("Connection", "close")
            head = f"HTTP/1.1 {answer.status} Hostile\r\n" + "".join(
                f"{k}: {v}\r\n" for k, v in headers.items()
            )
            head_bytes = (head + "\r\n").encode("latin-1")
            if answer.trickle_head:
                for byte in trickled(head_bytes):
                    if server._stop.is_set():
                        return
                    self.wfile.write(byte)
                    self.wfile.flush()
                    time.sleep(answer.pause)
            else:
                self.wfile.write(head_bytes)
            chunks = [body] if isinstance(body, bytes) else body
            for chunk in chunks:
                if server._stop.is_set():
                    return
                self.wfile.write(chunk)
                self.wfile.flush()
                server._count(len(chunk))
                if answer.pause:
                    time.sleep(answer.pause)
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_WR)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

    return Handler


def client_options(server: HostileServer, **options: Any) -> dict[str, Any]:
    """Settings for a client of ``server``: short timeouts, quick retries, fast polls."""
    from moviekit import PollPolicy, RetryPolicy

    settings: dict[str, Any] = {
        "api_key": API_KEY,
        "base_url": server.base_url,
        "timeout": (1.0, 2.0),
        "retry_policy": RetryPolicy(base=0.01, cap=0.02, jitter=0.0),
        "poll_policy": PollPolicy.for_local_testing(),
    }
    settings.update(options)
    return settings


def files_under(folder: Any) -> list[str]:
    """Every file and folder below ``folder``, relative, sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


class Clock:
    """``with Clock() as clock: ...`` then ``clock.seconds``: the wall time the block took."""

    def __enter__(self) -> Clock:
        self.start = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.monotonic() - self.start
