"""The studio's web server: one page, its state as JSON, change events, and the draft files.

Python's own ``http.server`` (threaded), bound to 127.0.0.1 only: the page is
for the person at this machine, so a web framework would add dependencies and
nothing the page needs. Routes:

=================  ==========================================================
``GET /``          the page (:mod:`moviekit.studio._page`)
``GET /state``     the current :class:`~moviekit.studio._session.State` as JSON
``GET /events``    server-sent events: ``data: <seq>`` whenever the state changes
``GET /files/X``   a draft or storyboard a build published (HTTP ranges: the
                   ``<video>`` element seeks with them)
``POST /row``      body ``N``: draft row N of a template script
=================  ==========================================================
"""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from moviekit.studio._page import page
from moviekit.studio._session import Studio

_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
_TYPES = {".mp4": "video/mp4", ".png": "image/png"}
#: seconds between keep-alive comments on the event stream (proxies, sleeping laptops)
HEARTBEAT = 15.0


class StudioServer(ThreadingHTTPServer):
    """Serves one :class:`Studio` on ``127.0.0.1:port`` (port 0: any free port)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, studio: Studio, port: int) -> None:
        self.studio = studio
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _Handler(BaseHTTPRequestHandler):
    server: StudioServer
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle on, the body of a kept-alive answer
    # waits for the browser's delayed ACK (40 ms on Linux), on every poll of the page.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # the terminal shows the studio's URL and errors, not every request

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        path = self.path.split("?", 1)[0]
        studio = self.server.studio
        if path == "/":
            self._send(page(studio.state.title).encode(), "text/html; charset=utf-8")
        elif path == "/state":
            body = json.dumps(studio.state.to_dict()).encode()
            self._send(body, "application/json", cache=False)
        elif path == "/events":
            self._events()
        elif path.startswith("/files/"):
            file = studio.file(path[len("/files/") :])
            if file is None or not file.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
            else:
                self._file(file)
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:  # noqa: N802
        if self.path != "/row":
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        length = int(self.headers.get("Content-Length") or 0)
        text = self.rfile.read(min(length, 32)).decode("ascii", "replace").strip()
        if not text.isdigit():
            self.send_error(HTTPStatus.BAD_REQUEST, "the body must be a row number")
            return
        self.server.studio.select_row(int(text))
        self._send(b"{}", "application/json", cache=False)

    def _send(self, body: bytes, kind: str, *, cache: bool = True) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if not cache:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _file(self, file: Path) -> None:
        size = file.stat().st_size
        start, end = 0, size - 1
        wanted = _RANGE.match(self.headers.get("Range", ""))
        if wanted and (wanted.group(1) or wanted.group(2)):
            if wanted.group(1):
                start = int(wanted.group(1))
                end = min(int(wanted.group(2)), size - 1) if wanted.group(2) else size - 1
            else:  # the last N bytes
                start = max(0, size - int(wanted.group(2)))
            if start > end:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(HTTPStatus.PARTIAL_CONTENT)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        else:
            self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", _TYPES.get(file.suffix, "application/octet-stream"))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            with file.open("rb") as source:
                source.seek(start)
                left = end - start + 1
                while left > 0:
                    chunk = source.read(min(left, 1 << 16))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    left -= len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser cancels ranges it no longer needs

    def _events(self) -> None:
        studio = self.server.studio
        self.close_connection = True  # the stream ends with the connection
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            while not studio.stopped:
                seq = studio.wait(seen, HEARTBEAT)
                self.wfile.write(b": ping\n\n" if seq == seen else f"data: {seq}\n\n".encode())
                self.wfile.flush()
                seen = seq
        except (BrokenPipeError, ConnectionResetError):
            return
