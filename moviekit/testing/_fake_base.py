"""What the fake service's endpoint modules share: its state, answers and small helpers.

:class:`ServiceState` declares the state every endpoint reads (the clock, the
lock, the stored projects, templates and media); ``FakeJSON2Video`` fills it in.
An endpoint answers by returning a JSON object, or by raising :class:`Reply`
(built with :func:`fail` for the service's ``{"success": false, "message": ...}``).
"""

from __future__ import annotations

import re
import secrets
import string
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

__all__ = [
    "JSONDict",
    "MediaRecord",
    "ProjectRecord",
    "Reply",
    "ServiceState",
    "TemplateRecord",
    "fail",
    "parse_iso",
    "random_id",
    "sanitize_folder",
    "sanitize_name",
]

JSONDict = dict[str, Any]


class Reply(Exception):
    """Raised inside an endpoint to answer at once."""

    def __init__(
        self, status: int, body: JSONDict, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


def fail(status: int, message: str, *, omit_success: bool = False) -> Reply:
    """The service's error answer (``POST /v2/movies`` validation errors omit ``success``)."""
    body: JSONDict = (
        {"message": message} if omit_success else {"success": False, "message": message}
    )
    return Reply(status, body)


def random_id(n: int) -> str:
    """An id of ``n`` letters and digits, like the service's project and template ids."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(n))


def sanitize_name(name: str) -> str:
    """A media name as the service stores it: characters outside ``[a-zA-Z0-9._-]`` -> ``_``."""
    return re.sub(r"[^a-zA-Z0-9._-]", "_", name)


def sanitize_folder(folder: str) -> str:
    """A folder path as the service stores it: only letters, digits, ``/``, ``_``, ``-``."""
    return re.sub(r"[^a-zA-Z0-9/_-]", "", folder).strip("/")


def parse_iso(value: str | None) -> datetime | None:
    """An ISO-8601 query value (UTC when it has no zone); a 400 answer when unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise fail(400, f"Invalid date: {value}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass
class ProjectRecord:
    """A submitted project, and what its render will be (length, cost, file)."""

    project: str
    movie: JSONDict
    created: float
    created_at: str
    queue_seconds: float
    render_seconds: float
    duration: float
    credits: float
    width: int
    height: int
    fps: int
    failure: str | None
    file: bytes | None = None
    """The rendered MP4 once it exists (a draft renders in the background)."""
    charged: bool = False
    deleted_at: str | None = None
    forced: tuple[str, str] | None = None


@dataclass
class MediaRecord:
    """A file in the account's media storage (``pending`` until its bytes arrive)."""

    name: str
    folder: str
    content_type: str
    size: int
    created_at: str
    token: str
    issued: float
    data: bytes | None = None
    arrived: float = 0.0
    """Server time the bytes arrived."""


@dataclass
class TemplateRecord:
    """A saved template."""

    id: str
    name: str
    movie: JSONDict
    tags: list[str] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""


class ServiceState:
    """The fake service's state and clock, shared by its endpoint mixins."""

    _clock: Callable[[], float]
    _clock_base: float
    _wall_base: datetime
    _lock: threading.RLock
    _port: int
    _projects: dict[str, ProjectRecord]
    _templates: dict[str, TemplateRecord]
    _media: dict[tuple[str, str], MediaRecord]
    _folders: set[str]

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self._port}"

    def now(self) -> float:
        """Seconds on the server clock since it was created."""
        return self._clock() - self._clock_base

    def _iso(self, t: float | None = None) -> str:
        moment = self._wall_base + timedelta(seconds=self.now() if t is None else t)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def _file_url(self, folder: str, name: str) -> str:
        return f"{self.origin}/media/{folder + '/' if folder else ''}{name}"
