"""A local, JSON2Video-compatible HTTP server for tests and offline work.

``FakeJSON2Video`` is a real ``ThreadingHTTPServer`` on 127.0.0.1 and a free
port. It follows the documented contract (endpoints, response shapes, error
bodies and messages) closely enough that code tested against it runs against
the service unchanged::

    with FakeJSON2Video(speed=50) as server:
        client = Client(api_key=server.api_key, base_url=server.base_url,
                        poll_policy=PollPolicy.for_local_testing())
        render = client.render(movie)

Time: jobs go ``pending`` -> ``running`` (with ``progress``) -> ``done`` or
``error`` on the server's clock. ``speed`` accelerates the real clock; pass
``clock=`` (e.g. a :class:`FakeClock` shared with the client's ``sleep``) to
drive it by hand.

Faults are scripted with :meth:`FakeJSON2Video.inject` and :class:`Fault`;
every request is recorded in :attr:`FakeJSON2Video.requests` with the API key
redacted.

Where the service's behaviour is unknown, the fake picks one documented
reading; those places are marked ``ASSUMPTION`` below.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import re
import secrets
import socket
import string
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["FakeClock", "FakeJSON2Video", "Fault", "RecordedRequest"]

JSONDict = dict[str, Any]

MAX_UPLOAD_BYTES = 524_288_000  # 500 MB, the documented media limit
UPLOAD_URL_TTL = 120.0  # seconds a presigned upload URL stays valid
FREE_STORAGE = 52_428_800

RESOLUTIONS: dict[str, tuple[int, int]] = {
    "sd": (640, 360),  # ASSUMPTION: the n8n label; a live test saw 640x480 (ref §10.1)
    "hd": (1280, 720),
    "full-hd": (1920, 1080),
    "squared": (1080, 1080),
    "instagram-story": (1080, 1920),
    "instagram-feed": (1080, 1080),
    "twitter-landscape": (1600, 900),
    "twitter-portrait": (1080, 1350),
}

UNKNOWN_PROJECT = "TypeError: Cannot read properties of null (reading 'success')"
#: ASSUMPTION: the service's wording for a resolution above the plan is not
#: documented; the client classifies any message naming "plan" + "resolution".
PLAN_LIMIT = "The requested resolution {w}x{h} exceeds the maximum allowed by your plan ({mw}x{mh})"


def _tiny_mp4(size: int = 48 * 1024) -> bytes:
    """A small ISO-BMFF file (ftyp + free + mdat boxes) that tools recognise as MP4."""
    ftyp = b"ftyp" + b"isom" + (512).to_bytes(4, "big") + b"isomiso2avc1mp41"
    ftyp = (8 + len(ftyp)).to_bytes(4, "big") + ftyp
    free = (8).to_bytes(4, "big") + b"free"
    payload = (b"moviekit fake render " * (size // 21 + 1))[: size - len(ftyp) - len(free) - 8]
    mdat = (8 + len(payload)).to_bytes(4, "big") + b"mdat" + payload
    return ftyp + free + mdat


MP4_BYTES = _tiny_mp4()


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


@dataclass
class _Project:
    project: str
    movie: JSONDict
    created: float
    created_at: str
    queue_seconds: float
    render_seconds: float
    duration: float
    width: int
    height: int
    failure: str | None
    charged: bool = False
    deleted_at: str | None = None
    forced: tuple[str, str] | None = None


@dataclass
class _MediaFile:
    name: str
    folder: str
    content_type: str
    size: int
    created_at: str
    token: str
    issued: float
    data: bytes | None = None

    @property
    def status(self) -> str:
        return "uploaded" if self.data is not None else "pending"


@dataclass
class _Template:
    id: str
    name: str
    movie: JSONDict
    tags: list[str] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""


class _Reply(Exception):
    """Raised inside a route to answer at once."""

    def __init__(self, status: int, body: JSONDict, headers: Mapping[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


def _fail(status: int, message: str, *, omit_success: bool = False) -> _Reply:
    body: JSONDict = (
        {"message": message} if omit_success else {"success": False, "message": message}
    )
    return _Reply(status, body)


def _random_id(n: int) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(n))


def _sanitize_name(name: str) -> str:
    return re.sub(r"[^a-zA-Z0-9._-]", "_", name)


def _sanitize_folder(folder: str) -> str:
    return re.sub(r"[^a-zA-Z0-9/_-]", "", folder).strip("/")


class FakeJSON2Video:
    """A JSON2Video-compatible server on 127.0.0.1 for tests (see module docs).

    Parameters:
        api_key: the primary key accepted (random when omitted)
        speed: how many server seconds pass per real second
        clock: a callable returning server seconds (overrides ``speed``)
        queue_seconds / render_seconds: how long a job stays pending / running
        credits: remaining credits; a finished render costs one per second
        movie_quota: legacy count quota; ``None`` for unlimited
        max_width / max_height: the plan's resolution ceiling
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
    ) -> None:
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
        self._lock = threading.RLock()
        self._projects: dict[str, _Project] = {}
        self._templates: dict[str, _Template] = {}
        self._media: dict[tuple[str, str], _MediaFile] = {}
        self._folders: set[str] = {"", "temp"}
        self._faults: list[_ScriptedFault] = []
        self.requests: list[RecordedRequest] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

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
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        """The API base to give ``Client(base_url=...)``: ``<origin>/v2``."""
        return self.origin + "/v2"

    # ------------------------------------------------------------ scripting
    def now(self) -> float:
        """Seconds on the server clock since it was created."""
        return self._clock() - self._clock_base

    def _iso(self, t: float | None = None) -> str:
        moment = self._wall_base + timedelta(seconds=self.now() if t is None else t)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

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

    def add_template(
        self,
        movie: Mapping[str, Any],
        *,
        name: str = "Template",
        tags: tuple[str, ...] = (),
        template_id: str | None = None,
    ) -> str:
        """Store a template (a Movie JSON with ``{{placeholders}}``); return its 20-char id."""
        tid = template_id or _random_id(20)
        now = self._iso()
        with self._lock:
            self._templates[tid] = _Template(
                tid, name, copy.deepcopy(dict(movie)), list(tags), now, now
            )
        return tid

    def add_media(
        self,
        name: str,
        data: bytes,
        *,
        folder: str = "",
        content_type: str = "application/octet-stream",
    ) -> str:
        """Store an already uploaded media file; return its ``fileUrl``."""
        with self._lock:
            f = _MediaFile(name, folder, content_type, len(data), self._iso(), "", self.now(), data)
            self._media[(folder, name)] = f
            self._folders.add(folder)
        return self._file_url(folder, name)

    def force_status(self, project_id: str, status: str, message: str = "") -> None:
        """Pin a project to ``status`` (e.g. ``"timeout"``) with ``message``."""
        with self._lock:
            self._projects[project_id].forced = (status, message)

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        """Recorded requests with this method and exact path."""
        return [r for r in self.requests if r.method == method.upper() and r.path == path]

    def projects(self) -> list[JSONDict]:
        """Every project as the status endpoint would return it (with ``json``)."""
        with self._lock:
            return [self._movie_view(p, simple=False) for p in self._projects.values()]

    def project(self, project_id: str) -> JSONDict:
        """One project as the status endpoint would return it."""
        with self._lock:
            return self._movie_view(self._projects[project_id], simple=False)

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
        return None

    def _file_url(self, folder: str, name: str) -> str:
        return f"{self.origin}/media/{folder + '/' if folder else ''}{name}"

    def _state(self, p: _Project) -> tuple[str, float]:
        """(status, progress) of a project now; charges credits once when done."""
        if p.forced is not None:
            return p.forced[0], 0.0
        elapsed = self.now() - p.created
        if elapsed < p.queue_seconds:
            return "pending", 0.0
        if p.failure is not None:
            return "error", 0.0
        if elapsed < p.queue_seconds + p.render_seconds:
            frac = (elapsed - p.queue_seconds) / max(p.render_seconds, 1e-9)
            return "running", round(min(99.0, 100.0 * frac), 1)
        if not p.charged:
            p.charged = True
            self.credits -= p.duration
        return "done", 100.0

    def _movie_view(self, p: _Project, *, simple: bool) -> JSONDict:
        status, progress = self._state(p)
        done = status == "done"
        ended = self._iso(p.created + p.queue_seconds + (p.render_seconds if done else 0.0))
        view: JSONDict = {
            "success": status not in ("error", "timeout"),
            "status": status,
            "message": (p.forced[1] if p.forced else p.failure or "")
            if status in ("error", "timeout")
            else "",
            "project": p.project,
            "url": f"{self.origin}/files/{p.project}.mp4" if done and not p.deleted_at else None,
            "ass": False,
            "created_at": p.created_at,
            "ended_at": ended if status in ("done", "error", "timeout") else None,
            "duration": p.duration if done else None,
            "size": len(MP4_BYTES) if done else None,
            "width": p.width,
            "height": p.height,
            "rendering_time": p.render_seconds if done else None,
            "consumed_credits": [{"credits": p.duration}] if done else [],
        }
        if status == "running":
            view["progress"] = progress
        if "client-data" in p.movie:
            view["client-data"] = p.movie["client-data"]
        if "id" in p.movie:
            view["id"] = p.movie["id"]
        if p.deleted_at:
            view["deleted_at"] = p.deleted_at
        if not simple:
            view["json"] = json.dumps(p.movie)
        return view

    def _quota(self) -> JSONDict:
        return {"time": round(self.credits, 3)}

    # ------------------------------------------------------------ movies
    def _create_project(self, body: bytes) -> JSONDict:
        if not body.strip():
            raise _fail(400, "No movie JSON received", omit_success=True)
        try:
            movie = json.loads(body)
        except ValueError:
            raise _fail(
                400, "Error parsing movie JSON or the movie was empty", omit_success=True
            ) from None
        if not isinstance(movie, dict) or not movie:
            raise _fail(400, "Error parsing movie JSON or the movie was empty", omit_success=True)
        if "template" in movie:
            movie = self._expand_template(movie)
        elif not isinstance(movie.get("scenes"), list):
            # ASSUMPTION: the message for a body without "scenes" is undocumented.
            raise _fail(400, "Error parsing movie JSON or the movie was empty", omit_success=True)
        width, height = self._size_of(movie)
        if width > self.max_width or height > self.max_height:
            raise _fail(
                400, PLAN_LIMIT.format(w=width, h=height, mw=self.max_width, mh=self.max_height)
            )
        with self._lock:
            if self.credits <= 0:
                raise _fail(400, "Insufficient credits")
            if self.movie_quota is not None and len(self._projects) >= self.movie_quota:
                raise _fail(
                    401,
                    "You exceeded the quota of movies in your plan. "
                    "Please upgrade your plan to continue.",
                )
            pid = _random_id(16)
            now = self.now()
            self._projects[pid] = _Project(
                project=pid,
                movie=movie,
                created=now,
                created_at=self._iso(now),
                queue_seconds=self.queue_seconds,
                render_seconds=self.render_seconds,
                duration=self._duration_of(movie),
                width=width,
                height=height,
                failure=self._render_failure(movie),
            )
        return {"success": True, "project": pid, "timestamp": self._iso()}

    def _expand_template(self, body: JSONDict) -> JSONDict:
        tid = body["template"]
        with self._lock:
            tpl = self._templates.get(tid) if isinstance(tid, str) else None
        if tpl is None:
            raise _fail(400, f"Template {tid} not found")
        variables = {**tpl.movie.get("variables", {}), **(body.get("variables") or {})}
        movie = _substitute(copy.deepcopy(tpl.movie), variables)
        for key, value in body.items():
            if key not in ("template", "variables", "scenes", "elements"):
                movie[key] = value
        movie["variables"] = variables
        return dict(movie)

    def _size_of(self, movie: JSONDict) -> tuple[int, int]:
        res = movie.get("resolution", "custom")
        if res in RESOLUTIONS:
            return RESOLUTIONS[res]
        w, h = movie.get("width", 640), movie.get("height", 360)
        try:
            return int(w), int(h)
        except (TypeError, ValueError):
            return 640, 360

    @staticmethod
    def _duration_of(movie: JSONDict) -> float:
        total = 0.0
        for scene in movie.get("scenes", []):
            d = scene.get("duration") if isinstance(scene, dict) else None
            if isinstance(d, (int, float)) and d > 0:
                total += float(d)
                continue
            ends = [
                float(e.get("start", 0) or 0) + float(e["duration"])
                for e in (scene.get("elements", []) if isinstance(scene, dict) else [])
                if isinstance(e, dict)
                and isinstance(e.get("duration"), (int, float))
                and e["duration"] > 0
                and isinstance(e.get("start", 0), (int, float))
            ]
            total += max(ends) if ends else 5.0  # natural-length assets: assume 5 s
        return total

    def _render_failure(self, movie: JSONDict) -> str | None:
        """The service-style message of a render-time fault, or None."""
        scenes = movie.get("scenes", [])
        if not scenes and not movie.get("elements"):
            return "Movie duration cannot be zero"
        for i, scene in enumerate(scenes, start=1):
            elements = scene.get("elements", []) if isinstance(scene, dict) else []
            for j, el in enumerate(elements, start=1):
                if not isinstance(el, dict):
                    continue
                kind = el.get("type")
                src = el.get("src")
                if kind in ("video", "image", "audio") and not src and not el.get("prompt"):
                    return (
                        f"Error: Scene #{i} Element #{j}: The element type '{kind}' "
                        f"requires a 'src' property."
                    )
                if isinstance(src, str) and src and not self._reachable(src):
                    return f"Scene #{i}, element #{j}: Failed to download '{src}' (404)"
        return None

    def _reachable(self, src: str) -> bool:
        if "{{" in src:
            return True
        if src.startswith(self.origin + "/media/"):
            rest = unquote(src[len(self.origin) + len("/media/") :])
            folder, _, name = rest.rpartition("/")
            f = self._media.get((folder, name))
            return f is not None and f.data is not None
        # Remote URLs are assumed to exist; local paths cannot be downloaded.
        return src.startswith(("http://", "https://"))

    def _get_movies(self, q: Mapping[str, str]) -> JSONDict:
        pid = q.get("project") or q.get("id")
        simple = q.get("format") == "simple"
        with self._lock:
            if pid is not None:
                p = self._projects.get(pid)
                if p is None:
                    raise _fail(400, UNKNOWN_PROJECT)
                return {
                    "success": True,
                    "movie": self._movie_view(p, simple=simple),
                    "remaining_quota": self._quota(),
                }
            now = self._wall_base + timedelta(seconds=self.now())
            start = _parse_iso(q.get("date_start") or q.get("from")) or now.replace(
                day=1, hour=0, minute=0, second=0, microsecond=0
            )
            end = _parse_iso(q.get("date_end") or q.get("to")) or now + timedelta(seconds=1)
            if end - start > timedelta(days=93):
                raise _fail(400, "The maximum date range is 93 days")
            try:
                limit = int(q.get("limit", "100"))
            except ValueError:
                raise _fail(400, "limit must be an integer between 1 and 100") from None
            if not 1 <= limit <= 100:
                raise _fail(400, "limit must be an integer between 1 and 100")
            chosen = [p for p in self._projects.values() if start <= _created(p) <= end]
            chosen.sort(key=lambda p: p.created, reverse=True)
            offset = 0
            if q.get("next_token"):
                try:
                    offset = int(base64.urlsafe_b64decode(q["next_token"]).decode())
                except ValueError:
                    raise _fail(400, "Invalid next_token") from None
            page = chosen[offset : offset + limit]
            has_next = offset + limit < len(chosen)
            body: JSONDict = {
                "success": True,
                # format=simple is ignored in list mode (observed, ref §8.2)
                "movies": [self._movie_view(p, simple=False) for p in page],
                "has_next": has_next,
                "next_token": base64.urlsafe_b64encode(str(offset + limit).encode()).decode()
                if has_next
                else "",
            }
            return body

    def _delete_movie(self, q: Mapping[str, str]) -> JSONDict:
        pid = q.get("project") or q.get("id") or ""
        if len(pid) != 16:
            raise _fail(
                400, "A 16-character project ID must be provided in the 'project' query parameter"
            )
        with self._lock:
            p = self._projects.get(pid)
            if p is None:
                raise _fail(400, UNKNOWN_PROJECT)
            if p.deleted_at is None:
                p.deleted_at = self._iso()
            return {
                "success": True,
                "project": pid,
                "deleted_at": p.deleted_at,
                "timestamp": self._iso(),
            }

    # ------------------------------------------------------------ templates
    def _templates_get(self, q: Mapping[str, str]) -> JSONDict:
        with self._lock:
            tid = q.get("id")
            if tid is not None:
                t = self._templates.get(tid)
                if t is None:
                    raise _fail(400, f"Template {tid} not found")
                return {
                    "success": True,
                    "timestamp": self._iso(),
                    "template": {
                        "id": t.id,
                        "name": t.name,
                        "tags": t.tags,
                        "movie": json.dumps(t.movie),
                        "created_at": t.created_at,
                        "updated_at": t.updated_at,
                        "owner": True,
                        "prompt": False,
                    },
                }
            tag = q.get("tag")
            items = [t for t in self._templates.values() if tag is None or tag in t.tags]
            items.sort(key=lambda t: t.updated_at, reverse=True)
            return {
                "success": True,
                "count": len(items),
                "templates": [
                    {
                        "id": t.id,
                        "name": t.name,
                        "tags": t.tags,
                        "created_at": t.created_at,
                        "updated_at": t.updated_at,
                    }
                    for t in items
                ],
            }

    def _templates_post(self, q: Mapping[str, str], body: JSONDict, role: str) -> JSONDict:
        if role == "render":
            raise _fail(403, "Insufficient permissions")
        tid = q.get("id")
        if tid is None:
            movie = body.get("movie")
            if not isinstance(movie, dict):
                raise _fail(400, "movie is required")
            tid = self.add_template(
                movie, name=str(body.get("name", "Untitled")), tags=tuple(body.get("tags", ()))
            )
            return {"success": True, "templateId": tid, "timestamp": self._iso()}
        with self._lock:
            t = self._templates.get(tid)
            if t is None:
                raise _fail(400, f"Template {tid} not found")
            for key in ("name", "movie", "tags"):
                if key in body:
                    setattr(t, key, body[key])
            t.updated_at = self._iso()
        return {"success": True, "templateId": tid, "timestamp": self._iso()}

    def _templates_delete(self, q: Mapping[str, str], role: str) -> JSONDict:
        if role == "render":
            raise _fail(403, "Insufficient permissions")
        tid = q.get("id")
        if not tid:
            raise _fail(400, "No template ID provided")
        with self._lock:
            if self._templates.pop(tid, None) is None:
                raise _fail(400, f"Template {tid} not found")
        return {"success": True, "timestamp": self._iso()}

    # ------------------------------------------------------------ media
    def _media_view(self, f: _MediaFile) -> JSONDict:
        major = f.content_type.split("/", 1)[0]
        return {
            "name": f.name,
            "folder": f.folder,
            "type": major if major in ("image", "video", "audio") else "other",
            "contentType": f.content_type,
            "size": f.size,
            "url": self._file_url(f.folder, f.name),
            "status": f.status,
            "temporary": f.folder == "temp",
            "created_at": f.created_at,
        }

    def _media_file_post(self, body: JSONDict) -> JSONDict:
        name = body.get("name")
        if not name or not isinstance(name, str):
            raise _fail(400, "name is required")
        size = body.get("size")
        if not isinstance(size, int) or size <= 0:
            raise _fail(400, "size must be a positive integer")
        if size > MAX_UPLOAD_BYTES:
            raise _fail(413, "File exceeds maximum size of 500 MB")
        content_type = str(body.get("contentType") or "application/octet-stream")
        folder = _sanitize_folder(str(body.get("folder") or ""))
        name = _sanitize_name(name)
        with self._lock:
            if (folder, name) in self._media:
                raise _fail(409, "A file with this name already exists. Delete it first.")
            token = secrets.token_urlsafe(16)
            self._media[(folder, name)] = _MediaFile(
                name, folder, content_type, size, self._iso(), token, self.now()
            )
            self._folders.add(folder)
        return {
            "success": True,
            "uploadUrl": f"{self.origin}/upload/{token}?X-Fake-Expires=120",
            "fileUrl": self._file_url(folder, name),
            "expiresIn": int(UPLOAD_URL_TTL),
        }

    def _presigned_put(self, token: str, headers: Mapping[str, str], body: bytes) -> JSONDict:
        with self._lock:
            f = next((m for m in self._media.values() if m.token == token and token), None)
            if f is None:
                raise _fail(403, "AccessDenied: unknown or used upload URL")
            if self.now() - f.issued > UPLOAD_URL_TTL:
                raise _fail(403, "AccessDenied: Request has expired")
            if headers.get("content-type", "") != f.content_type:
                raise _fail(
                    403,
                    "SignatureDoesNotMatch: Content-Type differs from the one "
                    "given when the upload URL was created",
                )
            if len(body) != f.size:
                raise _fail(400, f"Expected {f.size} bytes, got {len(body)}")
            f.data = body
        return {}

    def _media_file_get(self, q: Mapping[str, str]) -> JSONDict:
        path = q.get("path", "").strip("/")
        folder, _, name = path.rpartition("/")
        with self._lock:
            f = self._media.get((folder, name))
            if f is None:
                raise _fail(404, "File not found")
            return {"success": True, "file": self._media_view(f)}

    def _media_file_delete(self, body: JSONDict) -> JSONDict:
        if not body.get("name"):
            raise _fail(400, "name is required")
        if "folder" not in body:
            raise _fail(400, "folder is required")
        key = (_sanitize_folder(str(body["folder"])), str(body["name"]))
        with self._lock:
            if self._media.pop(key, None) is None:
                raise _fail(404, "File not found")
        return {"success": True, "timestamp": self._iso()}

    def _media_file_move(self, body: JSONDict) -> JSONDict:
        if not body.get("name"):
            raise _fail(400, "name is required")
        if "folder" not in body:
            raise _fail(400, "folder is required")
        if "destination" not in body:
            raise _fail(400, "destination is required")
        src = (_sanitize_folder(str(body["folder"])), str(body["name"]))
        dest = _sanitize_folder(str(body["destination"]))
        with self._lock:
            f = self._media.get(src)
            if f is None:
                raise _fail(404, "File not found")
            if (dest, f.name) in self._media:
                raise _fail(409, "A file with this name already exists in the destination folder")
            del self._media[src]
            f.folder = dest
            self._media[(dest, f.name)] = f
            self._folders.add(dest)
        return {"success": True, "timestamp": self._iso()}

    def _media_folder_get(self, q: Mapping[str, str]) -> JSONDict:
        with self._lock:
            if q.get("tree") == "true":
                return {
                    "success": True,
                    "tree": [
                        {
                            "path": "/" + f if f else "/",
                            "files": sum(1 for m in self._media.values() if m.folder == f),
                            "size": sum(m.size for m in self._media.values() if m.folder == f),
                        }
                        for f in sorted(self._folders)
                    ],
                }
            path = q.get("path", "/").strip("/")
            try:
                page, page_size = int(q.get("page", "0")), int(q.get("page_size", "100"))
            except ValueError:
                raise _fail(400, "page and page_size must be integers") from None
            page_size = max(1, min(page_size, 100))
            files = [m for m in self._media.values() if m.folder == path]
            total_size = sum(m.size for m in files)
            if q.get("type"):
                files = [m for m in files if self._media_view(m)["type"] == q["type"]]
            if q.get("q"):
                files = [m for m in files if q["q"].lower() in m.name.lower()]
            files.sort(key=lambda m: m.name)
            prefix = path + "/" if path else ""
            sub = sorted(
                {
                    f[len(prefix) :].split("/")[0]
                    for f in self._folders
                    if f.startswith(prefix) and f != path and f
                }
            )
            return {
                "success": True,
                "path": "/" + path,
                "folders": sub,
                "files": [
                    self._media_view(m) for m in files[page * page_size : (page + 1) * page_size]
                ],
                "total": len(files),
                "total_files": sum(1 for m in self._media.values() if m.folder == path),
                "total_size": total_size,
            }

    def _media_folder_post(self, body: JSONDict) -> JSONDict:
        folder = _sanitize_folder(str(body.get("folder") or ""))
        if not folder:
            raise _fail(400, "Invalid folder name")
        with self._lock:
            if folder in self._folders:
                return {"success": True, "message": "Folder already exists"}
            parts = folder.split("/")
            for i in range(1, len(parts) + 1):
                self._folders.add("/".join(parts[:i]))
        return {"success": True}

    def _media_folder_delete(self, body: JSONDict) -> JSONDict:
        if "folder" not in body:
            raise _fail(400, "folder is required")
        folder = _sanitize_folder(str(body["folder"]))
        if not folder:
            raise _fail(400, "Cannot delete root folder")
        if folder == "temp":
            raise _fail(400, "Cannot delete the temp folder")
        with self._lock:
            if folder not in self._folders:
                raise _fail(404, "Folder not found")
            if any(
                m.folder == folder or m.folder.startswith(folder + "/")
                for m in self._media.values()
            ) or any(f.startswith(folder + "/") for f in self._folders):
                raise _fail(400, "Folder is not empty. Delete all files first.")
            self._folders.discard(folder)
        return {"success": True, "timestamp": self._iso()}

    def _storage(self) -> JSONDict:
        with self._lock:
            used = sum(m.size for m in self._media.values() if m.folder != "temp")
        return {
            "success": True,
            "storage": {
                "used_bytes": used,
                "free_allowance": FREE_STORAGE,
                "credits_per_week": 10,
                "blocked": False,
                "blocked_at": None,
            },
        }

    # ------------------------------------------------------------ dispatch
    def _route(
        self, method: str, path: str, q: Mapping[str, str], headers: Mapping[str, str], raw: bytes
    ) -> tuple[int, JSONDict | bytes, dict[str, str]]:
        if path.startswith("/upload/") and method == "PUT":
            if "x-api-key" in headers:
                # Stricter than S3: a key here means the client leaked it to a third party.
                raise _fail(400, "The API key must not be sent to a presigned upload URL")
            self._presigned_put(path[len("/upload/") :], headers, raw)
            return 200, b"", {}
        if path.startswith("/files/") and method in ("GET", "HEAD"):
            pid = path[len("/files/") :].removesuffix(".mp4")
            with self._lock:
                p = self._projects.get(pid)
                ok = p is not None and self._state(p)[0] == "done" and not p.deleted_at
            if not ok:
                return 404, b"Not Found", {"Content-Type": "text/plain"}
            return 200, MP4_BYTES, {"Content-Type": "video/mp4"}
        if path.startswith("/media/") and method == "GET":
            rest = unquote(path[len("/media/") :])
            folder, _, name = rest.rpartition("/")
            with self._lock:
                f = self._media.get((folder, name))
            if f is None or f.data is None:
                return 404, b"Not Found", {"Content-Type": "text/plain"}
            return 200, f.data, {"Content-Type": f.content_type}
        if not path.startswith("/v2/"):
            return 404, {"success": False, "message": f"Cannot {method} {path}"}, {}

        key = headers.get("x-api-key")
        if not key:
            raise _fail(400, "Error: API Key not provided")
        role = self._keys.get(key)
        if role is None:
            raise _fail(400, "Error: Invalid API Key")
        body: JSONDict = {}
        if raw and path != "/v2/movies":
            try:
                parsed = json.loads(raw)
            except ValueError:
                raise _fail(400, "Invalid JSON body") from None
            body = parsed if isinstance(parsed, dict) else {}

        route = (method, path)
        if route == ("POST", "/v2/movies"):
            return 200, self._create_project(raw), {}
        if route == ("GET", "/v2/movies"):
            return 200, self._get_movies(q), {}
        if route == ("DELETE", "/v2/movies"):
            return 200, self._delete_movie(q), {}
        if route == ("GET", "/v2/templates"):
            return 200, self._templates_get(q), {}
        if route == ("POST", "/v2/templates"):
            return 200, self._templates_post(q, body, role), {}
        if route == ("DELETE", "/v2/templates"):
            return 200, self._templates_delete(q, role), {}
        if route == ("GET", "/v2/media"):
            return 200, self._storage(), {}
        if route == ("POST", "/v2/media/file"):
            return 200, self._media_file_post(body), {}
        if route == ("GET", "/v2/media/file"):
            return 200, self._media_file_get(q), {}
        if route == ("PUT", "/v2/media/file"):
            return 200, self._media_file_move(body), {}
        if route == ("DELETE", "/v2/media/file"):
            return 200, self._media_file_delete(body), {}
        if route == ("GET", "/v2/media/folder"):
            return 200, self._media_folder_get(q), {}
        if route == ("POST", "/v2/media/folder"):
            return 200, self._media_folder_post(body), {}
        if route == ("DELETE", "/v2/media/folder"):
            return 200, self._media_folder_delete(body), {}
        return 404, {"success": False, "message": f"Cannot {method} {path}"}, {}


def _created(p: _Project) -> datetime:
    moment = _parse_iso(p.created_at)
    assert moment is not None  # always set by _create_project
    return moment


def _parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _fail(400, f"Invalid date: {value}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}")


def _substitute(value: Any, variables: Mapping[str, Any]) -> Any:
    """Replace ``{{name}}`` placeholders; a string that is only one keeps the value's type."""
    if isinstance(value, dict):
        return {k: _substitute(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, variables) for v in value]
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value.strip())
        if whole and whole[1] in variables:
            return variables[whole[1]]
        return _PLACEHOLDER.sub(
            lambda m: str(variables[m[1]]) if m[1] in variables else m[0], value
        )
    return value


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
            try:
                status, body, extra = server._route(method, path, query, headers, raw)
            except _Reply as reply:
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
