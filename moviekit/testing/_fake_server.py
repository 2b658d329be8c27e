"""A local, JSON2Video-compatible HTTP server for tests and offline work: the plumbing.

``FakeJSON2Video`` is a real ``ThreadingHTTPServer`` on 127.0.0.1 and a free
port. It follows the documented contract (endpoints, response shapes, error
bodies and messages) closely enough that code tested against it runs against
the service unchanged::

    with FakeJSON2Video(speed=50) as server:
        client = Client(api_key=server.api_key, base_url=server.base_url,
                        poll_policy=PollPolicy.for_local_testing())
        render = client.render(movie)

This module is the plumbing: lifecycle, the clock, scripted faults, the record
of requests and the HTTP handler. The endpoints live in
:mod:`moviekit.testing._fake_movies` (movies, templates, rendered files) and
:mod:`moviekit.testing._fake_media` (media storage, presigned uploads).

Time: jobs go ``pending`` -> ``running`` (with ``progress``) -> ``done`` or
``error`` on the server's clock. ``speed`` accelerates the real clock; pass
``clock=`` (e.g. a :class:`FakeClock` shared with the client's ``sleep``) to
drive it by hand.

Faults are scripted with :meth:`FakeJSON2Video.inject` and :class:`Fault`;
every request is recorded in :attr:`FakeJSON2Video.requests` with the API key
redacted.

Templates: the fake fills ``{{ }}`` placeholders with its own small
substitution, on purpose: it stands in for the service (which does this
server-side), so it must not reuse the client-side template code it checks.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from moviekit.testing._fake_base import (
    JSONDict,
    MediaRecord,
    ProjectRecord,
    Reply,
    TemplateRecord,
    fail,
)
from moviekit.testing._fake_media import MediaEndpoints
from moviekit.testing._fake_movies import MovieEndpoints, Renders

__all__ = ["FakeClock", "FakeJSON2Video", "Fault", "RecordedRequest"]


class FakeClock:
    """A manual clock: ``clock()`` reads it, ``sleep(s)`` and ``advance(s)`` move it.

    Share one between ``Client(sleep=clock.sleep, clock=clock)`` and
    ``FakeJSON2Video(clock=clock)``: every poll wait then moves the server's
    jobs forward instantly, and the test can assert the exact cadence.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()
        #: Every ``sleep`` duration, in order.
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        """Record the sleep and move the clock forward without waiting."""
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        """Move the clock forward without recording a sleep."""
        with self._lock:
            self._now += seconds

    def __repr__(self) -> str:
        return f"FakeClock(now={self():.3f}, sleeps={len(self.sleeps)})"


@dataclass
class Fault:
    """A scripted misbehaviour. Build with the class methods, pass to ``inject``.

    - ``status(code)``: answer ``code`` with an error body; the request is
      *not* processed (no project is created)
    - ``rate_limit(retry_after)``: 429 with a ``Retry-After`` header, not processed
    - ``slow(seconds)``: process, then wait ``seconds`` (real time) before answering
    - ``drop()``: process, then close the connection without answering
      (the ambiguous case: the work was done but the client cannot know)
    - ``malformed()``: process, then answer with broken JSON (a file: cut in half)
    - ``late()``: the movie list lags: the newest project is missing from the
      next list answer (a reconcile's first lookup misses what its second finds)
    """

    kind: str
    times: int = 1
    status_code: int = 503
    retry_after: float | None = None
    delay: float = 0.0
    message: str = ""

    @classmethod
    def status(cls, code: int = 503, *, times: int = 1, message: str = "") -> Fault:
        """Answer ``code`` without processing the request."""
        return cls(
            "status",
            times=times,
            status_code=code,
            message=message or f"Service unavailable (fake {code})",
        )

    @classmethod
    def rate_limit(cls, retry_after: float = 1.0, *, times: int = 1) -> Fault:
        """Answer 429 with ``Retry-After: retry_after`` without processing."""
        return cls(
            "status",
            times=times,
            status_code=429,
            retry_after=retry_after,
            message="Too many requests",
        )

    @classmethod
    def slow(cls, seconds: float, *, times: int = 1) -> Fault:
        """Process, then hold the answer back for ``seconds`` of real time."""
        return cls("slow", times=times, delay=seconds)

    @classmethod
    def drop(cls, *, times: int = 1) -> Fault:
        """Process, then close the connection without an answer."""
        return cls("drop", times=times)

    @classmethod
    def malformed(cls, *, times: int = 1) -> Fault:
        """Process, then answer 200 with a truncated JSON body."""
        return cls("malformed", times=times)

    @classmethod
    def late(cls, *, times: int = 1) -> Fault:
        """List movies without the newest project (inject on ``GET /v2/movies``)."""
        return cls("late", times=times)


@dataclass
class _ScriptedFault:
    fault: Fault
    method: str | None
    path: str | None
    remaining: int


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received. The ``x-api-key`` value is redacted."""

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes
    had_api_key: bool
    server_time: float

    def json(self) -> Any:
        """The body decoded as JSON (``None`` when empty)."""
        return json.loads(self.body) if self.body else None


class FakeJSON2Video(MovieEndpoints, MediaEndpoints):
    """A JSON2Video-compatible server on 127.0.0.1 for tests (see module docs).

    Parameters:
        api_key: the primary key accepted (random when omitted)
        speed: how many server seconds pass per real second
        clock: a callable returning server seconds (overrides ``speed``)
        queue_seconds / render_seconds: how long a job stays pending / running
        credits: remaining credits; a finished render costs what
            ``movie.timeline().estimate()`` says (1 per started second, 4 above Full
            HD, plus AI generation by the price table)
        movie_quota: legacy count quota; ``None`` for unlimited
        max_width / max_height: the plan's resolution ceiling
        renders: the files delivered: ``"tiny"`` (a grey H.264 MP4 of the movie's
            length and size, a few KB, instant), ``"draft"`` (the local preview
            draft, rendered in the background; needs ``moviekit-json2video[preview]``) or
            ``"auto"`` (a draft when the preview can run)
        upload_confirm_seconds: how long an uploaded media file stays
            ``pending`` after its bytes arrived (the service confirms later)
        failure_rate: the chance that an API request (``/v2/...``) is answered
            503 without being processed, on top of any scripted fault
        port: the port to listen on (0: a free one)
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        speed: float = 1.0,
        clock: Callable[[], float] | None = None,
        queue_seconds: float = 1.0,
        render_seconds: float = 4.0,
        credits: float = 600.0,
        movie_quota: int | None = None,
        max_width: int = 3840,
        max_height: int = 3840,
        renders: Renders = "tiny",
        upload_confirm_seconds: float = 0.0,
        failure_rate: float = 0.0,
        port: int = 0,
    ) -> None:
        if not 0.0 <= failure_rate <= 1.0:
            raise ValueError(f"failure_rate must be within [0, 1], got {failure_rate!r}")
        if renders not in ("tiny", "draft", "auto"):
            raise ValueError(f"renders must be 'tiny', 'draft' or 'auto', got {renders!r}")
        self.api_key: str = api_key or "fake-" + secrets.token_hex(12)
        self._keys: dict[str, str] = {self.api_key: "primary"}
        if clock is None:
            start = time.monotonic()
            self._clock: Callable[[], float] = lambda: (time.monotonic() - start) * speed
        else:
            self._clock = clock
        self._wall_base = datetime.now(timezone.utc)
        self._clock_base = self._clock()
        self.queue_seconds = queue_seconds
        self.render_seconds = render_seconds
        self.credits = credits
        self.movie_quota = movie_quota
        self.max_width = max_width
        self.max_height = max_height
        self.renders: Renders = renders
        self.upload_confirm_seconds = upload_confirm_seconds
        self.failure_rate = failure_rate
        self._lock = threading.RLock()
        self._projects: dict[str, ProjectRecord] = {}
        self._templates: dict[str, TemplateRecord] = {}
        self._media: dict[tuple[str, str], MediaRecord] = {}
        self._folders: set[str] = {"", "temp"}
        self._faults: list[_ScriptedFault] = []
        self.requests: list[RecordedRequest] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port = port

    # ------------------------------------------------------------ lifecycle
    def start(self) -> FakeJSON2Video:
        """Bind a free port on 127.0.0.1 and serve in a background thread."""
        self._serve(self._port)
        return self

    def _serve(self, port: int) -> None:
        handler = _make_handler(self)
        httpd = _HTTPServer(("127.0.0.1", port), handler)
        self._httpd = httpd
        self._port = httpd.server_address[1]
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeJSON2Video:{self._port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def pause(self) -> None:
        """Close the listening socket: new connections are refused until :meth:`resume`."""
        self.stop()

    def resume(self) -> None:
        """Listen again on the same port after :meth:`pause`."""
        if self._httpd is None:
            self._serve(self._port)

    def __enter__(self) -> FakeJSON2Video:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self._httpd is not None else "stopped"
        return f"FakeJSON2Video(origin={self.origin!r}, {state}, projects={len(self._projects)})"

    @property
    def base_url(self) -> str:
        """The API base to give ``Client(base_url=...)``: ``<origin>/v2``."""
        return self.origin + "/v2"

    # ------------------------------------------------------------ scripting
    def add_key(self, key: str, role: str = "render") -> None:
        """Accept a secondary key with ``role`` (``render``, ``editor``, ``manager``)."""
        self._keys[key] = role

    def inject(self, fault: Fault, *, method: str | None = None, path: str | None = None) -> None:
        """Apply ``fault`` to the next ``fault.times`` matching requests.

        ``path`` matches the request path exactly or as a prefix ending at
        ``/`` (``"/files/"`` matches every download); ``None`` matches all.
        """
        with self._lock:
            self._faults.append(_ScriptedFault(fault, method and method.upper(), path, fault.times))

    @property
    def pending_faults(self) -> list[Fault]:
        """Scripted faults not yet used up."""
        with self._lock:
            return [s.fault for s in self._faults if s.remaining > 0]

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        """Recorded requests with this method and exact path."""
        return [r for r in self.requests if r.method == method.upper() and r.path == path]

    # ------------------------------------------------------------ internals
    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for s in self._faults:
                if s.remaining <= 0:
                    continue
                if s.method and s.method != method:
                    continue
                if s.path and not (
                    path == s.path or (s.path.endswith("/") and path.startswith(s.path))
                ):
                    continue
                s.remaining -= 1
                return s.fault
        random_failure = self.failure_rate and secrets.SystemRandom().random() < self.failure_rate
        if random_failure and path.startswith("/v2/"):
            return Fault.status(503, message="Service unavailable (fake failure_rate)")
        return None

    # ------------------------------------------------------------ dispatch
    def _route(
        self,
        method: str,
        path: str,
        q: Mapping[str, str],
        headers: Mapping[str, str],
        raw: bytes,
        *,
        late: bool = False,
    ) -> tuple[int, JSONDict | bytes, dict[str, str]]:
        """The answer to one request: status, JSON object or bytes, extra headers.

        ``late``: a :meth:`Fault.late` applies (the movie list misses its newest project).
        """
        if path.startswith("/upload/") and method == "PUT":
            self._presigned_put(q, headers, raw)
            return 200, b"", {}
        if path.startswith("/files/") and method in ("GET", "HEAD"):
            return self._serve_file(path)
        if path.startswith("/media/") and method == "GET":
            return self._serve_media(path)
        if not path.startswith("/v2/"):
            return 404, {"success": False, "message": f"Cannot {method} {path}"}, {}

        key = headers.get("x-api-key")
        if not key:
            raise fail(400, "Error: API Key not provided")
        role = self._keys.get(key)
        if role is None:
            raise fail(400, "Error: Invalid API Key")
        body: JSONDict = {}
        if raw and path != "/v2/movies":
            try:
                parsed = json.loads(raw)
            except (ValueError, RecursionError):
                raise fail(400, "Invalid JSON body") from None
            body = parsed if isinstance(parsed, dict) else {}
        if late and (method, path) == ("GET", "/v2/movies"):
            return 200, self._get_movies(q, hide_newest=True), {}
        answer = self._movie_route(method, path, q, body, raw, role)
        if answer is None:
            answer = self._media_route(method, path, q, body)
        if answer is None:
            return 404, {"success": False, "message": f"Cannot {method} {path}"}, {}
        return 200, answer, {}


class _HTTPServer(ThreadingHTTPServer):
    """The stdlib server with a production-like listen backlog.

    The default backlog of 5 drops connections when dozens of clients arrive at
    once (a batch run), stalling each for a second; a real service does not.
    """

    request_queue_size = 128
    daemon_threads = True


def _make_handler(server: FakeJSON2Video) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "FakeJSON2Video/1.0"
        # Keep-alive, like the real service: a client polling many jobs reuses
        # its pooled connections instead of opening one per request.
        protocol_version = "HTTP/1.1"
        # The headers and the body leave in two writes; with Nagle on, the body waits for
        # the client's delayed ACK of the headers: 40 ms per kept-alive answer on Linux.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # quiet: tests read server.requests instead

        def _handle(self) -> None:
            if server._httpd is None:
                # Paused or stopped: a kept-alive connection is dropped, as a restarted
                # service would drop it; the client's next connection is refused.
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            method = self.command
            parts = urlsplit(self.path)
            path = parts.path
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            headers = {k.lower(): v for k, v in self.headers.items()}
            length = int(headers.get("content-length", "0") or 0)
            raw = self.rfile.read(length) if length else b""
            had_key = "x-api-key" in headers
            recorded = dict(headers)
            if had_key:
                recorded["x-api-key"] = "<redacted>"
            server.requests.append(
                RecordedRequest(method, path, query, recorded, raw, had_key, server.now())
            )
            fault = server._take_fault(method, path)
            if fault is not None and fault.kind == "status":
                extra = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after else {}
                self._send(fault.status_code, {"success": False, "message": fault.message}, extra)
                return
            late = fault is not None and fault.kind == "late"
            try:
                status, body, extra = server._route(method, path, query, headers, raw, late=late)
            except Reply as reply:
                status, body, extra = reply.status, reply.body, reply.headers
            except Exception as exc:  # a bug in the fake must not hang the client
                status, body, extra = (
                    500,
                    {"success": False, "message": f"Fake crashed: {exc!r}"},
                    {},
                )
            if fault is not None and fault.kind == "drop":
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault is not None and fault.kind == "slow":
                time.sleep(fault.delay)
            if fault is not None and fault.kind == "malformed":
                if isinstance(body, bytes):
                    # A file: promise all of it, send half, hang up (a truncated transfer).
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(socket.SHUT_RDWR)
                    return
                body = b'{"success": true, "movie": {"status": "runn'
                extra = {"Content-Type": "application/json"}
            # A client that gave up (timeout) is what a slow fault is for.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._send(status, body, extra, head_only=method == "HEAD")

        def _send(
            self,
            status: int,
            body: JSONDict | bytes,
            extra: Mapping[str, str],
            head_only: bool = False,
        ) -> None:
            if isinstance(body, dict):
                data = json.dumps(body).encode()
                ctype = "application/json; charset=utf-8"
            else:
                data = body
                ctype = "application/octet-stream"
            self.send_response(status)
            headers = {
                "Content-Type": ctype,
                "Content-Length": str(len(data)),
                "X-Request-Id": str(uuid.uuid4()),
                **extra,
            }
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if not head_only:
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

    return Handler
