"""The fake service's movies: ``/v2/movies`` and the rendered files.

Believable answers: a project's ``duration`` and its cost come from moviekit's
own timing engine (:meth:`moviekit.Timeline.from_dict`, scene transitions
overlapping as ``movie.timeline()`` says), and the file it delivers is a real,
playable MP4 of that length and size: the local draft when ``renders="draft"``
(needs ``moviekit-json2video[preview]``), else a tiny grey H.264 file written by hand
(:mod:`moviekit.testing._mp4`).

Templates (``/v2/templates`` and ``{"template": id}`` movies) are in
:mod:`moviekit.testing._fake_templates`.

Where the service's behaviour is unknown, the fake picks one documented
reading; those places are marked ``ASSUMPTION``.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import tempfile
import threading
from collections.abc import Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

from moviekit.service._catalog import DEFAULT_SIZE, MAX_BODY_BYTES, PRESET_SIZES
from moviekit.service._rules import RULES
from moviekit.testing._fake_base import (
    JSONDict,
    ProjectRecord,
    fail,
    parse_iso,
    random_id,
)
from moviekit.testing._fake_subtitles import has_subtitles, transcript
from moviekit.testing._fake_templates import TemplateEndpoints
from moviekit.testing._mp4 import grey_mp4
from moviekit.timing._timeline import Timeline
from moviekit.validation._validate import service_failure

__all__ = [
    "NATURAL_SECONDS",
    "PLAN_LIMIT",
    "UNKNOWN_PROJECT",
    "MovieEndpoints",
    "Renders",
]

logger = logging.getLogger("moviekit.testing")

#: How rendered files are made: a local draft, the tiny grey MP4, or a draft when possible.
Renders = Literal["tiny", "draft", "auto"]


UNKNOWN_PROJECT = "TypeError: Cannot read properties of null (reading 'success')"
#: The documented message (401) for a movie above the plan's resolution.
PLAN_LIMIT = "Movie is larger ({w}x{h}) than your plan allowance ({mw}x{mh})"
#: ASSUMPTION: a video, audio or voice file's natural length, which the fake cannot know.
NATURAL_SECONDS = 5.0


def _elements(movie: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    scenes = movie.get("scenes")
    for scene in scenes if isinstance(scenes, list) else []:
        if isinstance(scene, dict) and isinstance(scene.get("elements"), list):
            yield from (e for e in scene["elements"] if isinstance(e, dict))
    if isinstance(movie.get("elements"), list):
        yield from (e for e in movie["elements"] if isinstance(e, dict))


def natural_lengths(movie: Mapping[str, Any]) -> dict[str, float]:
    """The lengths the fake gives what it cannot know (a video's file, a voice): NATURAL_SECONDS."""
    lengths: dict[str, float] = {}
    for element in _elements(movie):
        for key in ("src", "id"):
            if isinstance(element.get(key), str) and element[key]:
                lengths[element[key]] = NATURAL_SECONDS
    return lengths


def measure(movie: Mapping[str, Any]) -> tuple[float, float]:
    """``(seconds, credits)`` of a render of ``movie``, from moviekit's timing engine and estimate.

    Natural lengths the fake cannot know (a video's file) count as
    :data:`NATURAL_SECONDS`.
    """
    lengths = natural_lengths(movie)
    try:
        timeline = Timeline.from_dict(movie, lengths)
    except Exception:  # noqa: BLE001 - a document the engine refuses still gets an answer
        logger.debug("fake service: the timing engine refused a movie; estimating")
        seconds = NATURAL_SECONDS * max(1, len(movie.get("scenes") or []))
        return seconds, float(math.ceil(seconds))
    seconds = timeline.total
    if seconds <= 0 and not timeline.exact:
        # Lengths the service decides (a {{variable}} left unset): assume a natural length.
        seconds = NATURAL_SECONDS * max(1, len(timeline.scenes))
        return seconds, float(math.ceil(seconds))
    return seconds, float(timeline.estimate().credits)


class MovieEndpoints(TemplateEndpoints):
    """The movie routes of ``FakeJSON2Video`` (a mixin over its state, with its templates)."""

    queue_seconds: float
    render_seconds: float
    credits: float
    movie_quota: int | None
    max_width: int
    max_height: int
    renders: Renders

    # ------------------------------------------------------------ public helpers
    def force_status(self, project_id: str, status: str, message: str = "") -> None:
        """Pin a project to ``status`` (e.g. ``"timeout"``) with ``message``."""
        with self._lock:
            self._projects[project_id].forced = (status, message)

    def projects(self) -> list[JSONDict]:
        """Every project as the status endpoint would return it (with ``json``)."""
        with self._lock:
            return [self._movie_view(p, simple=False) for p in self._projects.values()]

    def project(self, project_id: str) -> JSONDict:
        """One project as the status endpoint would return it."""
        with self._lock:
            return self._movie_view(self._projects[project_id], simple=False)

    def submit_counts(self, field: str = "moviekit-submission") -> dict[str, int]:
        """How many projects were created per value of ``client-data[field]``.

        The default field is the submission key moviekit's client adds to
        every submit; a template can put a row's own key in ``client-data``
        to count renders per row. Projects without the field are not counted.
        """
        counts: dict[str, int] = {}
        with self._lock:
            for p in self._projects.values():
                data = p.movie.get("client-data")
                value = data.get(field) if isinstance(data, dict) else None
                if isinstance(value, str):
                    counts[value] = counts.get(value, 0) + 1
        return counts

    @property
    def max_simultaneous_renders(self) -> int:
        """The most projects that were on the service at once (queued or rendering).

        A project is on the service from its creation until it ends on the
        server's clock (after ``queue_seconds``, plus ``render_seconds`` unless
        it fails): what a plan's concurrency limit counts.
        """
        events: list[tuple[float, int]] = []
        with self._lock:
            for p in self._projects.values():
                ends = p.created + p.queue_seconds + (0.0 if p.failure else p.render_seconds)
                events += [(p.created, 1), (ends, -1)]
        most = now = 0
        for _, change in sorted(events):  # an end sorts before a start at the same moment
            now += change
            most = max(most, now)
        return most

    # ------------------------------------------------------------ routes
    def _movie_route(
        self, method: str, path: str, q: Mapping[str, str], body: JSONDict, raw: bytes, role: str
    ) -> JSONDict | None:
        """The answer of a movies or templates route, or None when no such route exists."""
        route = (method, path)
        if route == ("POST", "/v2/movies"):
            return self._create_project(raw)
        if route == ("GET", "/v2/movies"):
            return self._get_movies(q)
        if route == ("DELETE", "/v2/movies"):
            return self._delete_movie(q)
        if route == ("GET", "/v2/templates"):
            return self._templates_get(q)
        if route == ("POST", "/v2/templates"):
            return self._templates_post(q, body, role)
        if route == ("DELETE", "/v2/templates"):
            return self._templates_delete(q, role)
        return None

    def _serve_file(self, path: str) -> tuple[int, bytes, dict[str, str]]:
        name = unquote(path[len("/files/") :])
        subtitles = name.endswith(".ass")
        pid = name.removesuffix(".ass") if subtitles else name.removesuffix(".mp4")
        with self._lock:
            p = self._projects.get(pid)
            ok = p is not None and self._state(p)[0] == "done" and not p.deleted_at
        if subtitles and ok and p is not None and has_subtitles(p.movie):
            text = transcript(p.movie, natural_lengths(p.movie))
            return 200, text.encode(), {"Content-Type": "text/plain; charset=utf-8"}
        if subtitles or not ok or p is None or p.file is None:
            return 404, b"Not Found", {"Content-Type": "text/plain"}
        return 200, p.file, {"Content-Type": "video/mp4"}

    # ------------------------------------------------------------ projects
    def _state(self, p: ProjectRecord) -> tuple[str, float]:
        """(status, progress) of a project now; charges credits once when done."""
        if p.forced is not None:
            return p.forced[0], 0.0
        elapsed = self.now() - p.created
        if elapsed < p.queue_seconds:
            return "pending", 0.0
        if p.failure is not None:
            return "error", 0.0
        if elapsed < p.queue_seconds + p.render_seconds or p.file is None:
            # A draft still rendering keeps the job running, whatever the clock says.
            frac = (elapsed - p.queue_seconds) / max(p.render_seconds, 1e-9)
            return "running", round(min(99.0, 100.0 * frac), 1)
        if not p.charged:
            p.charged = True
            self.credits -= p.credits
        return "done", 100.0

    def _movie_view(self, p: ProjectRecord, *, simple: bool) -> JSONDict:
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
            "ass": f"{self.origin}/files/{p.project}.ass"
            if done and not p.deleted_at and has_subtitles(p.movie)
            else False,
            "created_at": p.created_at,
            "ended_at": ended if status in ("done", "error", "timeout") else None,
            "duration": p.duration if done else None,
            "size": len(p.file) if done and p.file is not None else None,
            "width": p.width,
            "height": p.height,
            "rendering_time": p.render_seconds if done else None,
            "consumed_credits": [{"credits": p.credits}] if done else [],
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

    def _create_project(self, body: bytes) -> JSONDict:
        if not body.strip():
            raise fail(400, "No movie JSON received", omit_success=True)
        if len(body) > MAX_BODY_BYTES:  # before reading it, as the service does (413)
            too_large = RULES["too-large"].service
            assert too_large is not None and too_large.status is not None
            raise fail(too_large.status, too_large.text)
        try:
            movie = json.loads(body)
        except (ValueError, RecursionError):
            raise fail(
                400, "Error parsing movie JSON or the movie was empty", omit_success=True
            ) from None
        if not isinstance(movie, dict) or not movie:
            raise fail(400, "Error parsing movie JSON or the movie was empty", omit_success=True)
        if "template" in movie:
            movie = self._expand_template(movie)
        elif not isinstance(movie.get("scenes"), list):
            # ASSUMPTION: the message for a body without "scenes" is undocumented.
            raise fail(400, "Error parsing movie JSON or the movie was empty", omit_success=True)
        # What the service model says the service refuses at once, it refuses the same way
        # (the plan's size limit is the fake's own setting, checked below).
        refused = service_failure(movie)
        if refused is not None and refused[0].status not in (None, 401):
            raise fail(refused[0].status, refused[1])
        width, height = self._size_of(movie)
        if width > self.max_width or height > self.max_height:
            raise fail(
                401, PLAN_LIMIT.format(w=width, h=height, mw=self.max_width, mh=self.max_height)
            )
        seconds, cost = measure(movie)
        fps = movie.get("fps")
        fps = int(fps) if isinstance(fps, (int, float)) and 1 <= fps <= 120 else 25
        with self._lock:
            if self.credits <= 0:
                raise fail(400, "Insufficient credits")
            if self.movie_quota is not None and len(self._projects) >= self.movie_quota:
                raise fail(
                    401,
                    "You exceeded the quota of movies in your plan. "
                    "Please upgrade your plan to continue.",
                )
            pid = random_id(16)
            now = self.now()
            project = ProjectRecord(
                project=pid,
                movie=movie,
                created=now,
                created_at=self._iso(now),
                queue_seconds=self.queue_seconds,
                render_seconds=self.render_seconds,
                duration=seconds,
                credits=cost,
                width=width,
                height=height,
                fps=fps,
                failure=self._render_failure(movie, seconds),
            )
            self._projects[pid] = project
        if project.failure is None:
            self._make_file(project)
        return {"success": True, "project": pid, "timestamp": self._iso()}

    def _make_file(self, p: ProjectRecord) -> None:
        if self.renders == "tiny" or (self.renders == "auto" and not _preview_available()):
            p.file = grey_mp4(p.duration, p.width, p.height, p.fps)
            return
        threading.Thread(
            target=self._render_draft, args=(p,), name=f"fake-draft-{p.project}", daemon=True
        ).start()

    def _render_draft(self, p: ProjectRecord) -> None:
        from moviekit import preview  # lazy: only with renders="draft", needs ffmpeg

        try:
            with tempfile.TemporaryDirectory(prefix="moviekit-fake-") as folder:
                out = Path(folder) / f"{p.project}.mp4"
                preview.render(p.movie, out, fetch_timeout=2.0)
                data = out.read_bytes()
        except Exception as exc:  # noqa: BLE001 - any draft failure: deliver the grey file
            logger.warning(
                "fake service: draft of %s failed (%s); grey MP4 instead", p.project, exc
            )
            data = grey_mp4(p.duration, p.width, p.height, p.fps)
        with self._lock:
            p.file = data

    def _size_of(self, movie: JSONDict) -> tuple[int, int]:
        res = movie.get("resolution", "custom")
        if isinstance(res, str) and res in PRESET_SIZES:
            return PRESET_SIZES[res]
        w, h = movie.get("width", DEFAULT_SIZE[0]), movie.get("height", DEFAULT_SIZE[1])
        try:
            return max(16, min(int(w), 8192)), max(16, min(int(h), 8192))
        except (TypeError, ValueError, OverflowError):
            return DEFAULT_SIZE

    def _render_failure(self, movie: JSONDict, seconds: float) -> str | None:
        """The service-style message of a render-time fault, or None."""
        refused = service_failure(movie)
        if refused is not None and refused[0].status is None:
            return refused[1]  # a failure the service model documents, in the service's words
        scenes = movie.get("scenes", [])
        if (not scenes and not movie.get("elements")) or seconds <= 0:
            return "Movie duration cannot be zero"
        for i, scene in enumerate(scenes, start=1):
            elements = scene.get("elements", []) if isinstance(scene, dict) else []
            for j, el in enumerate(elements if isinstance(elements, list) else [], start=1):
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

    def _get_movies(self, q: Mapping[str, str], *, hide_newest: bool = False) -> JSONDict:
        pid = q.get("project") or q.get("id")
        simple = q.get("format") == "simple"
        with self._lock:
            if pid is not None:
                p = self._projects.get(pid)
                if p is None:
                    raise fail(400, UNKNOWN_PROJECT)
                return {
                    "success": True,
                    "movie": self._movie_view(p, simple=simple),
                    "remaining_quota": {"time": round(self.credits, 3)},
                }
            now = self._wall_base + timedelta(seconds=self.now())
            start = parse_iso(q.get("date_start") or q.get("from")) or now.replace(
                day=1, hour=0, minute=0, second=0, microsecond=0
            )
            end = parse_iso(q.get("date_end") or q.get("to")) or now + timedelta(seconds=1)
            if end - start > timedelta(days=93):
                raise fail(400, "The maximum date range is 93 days")
            try:
                limit = int(q.get("limit", "100"))
            except ValueError:
                raise fail(400, "limit must be an integer between 1 and 100") from None
            if not 1 <= limit <= 100:
                raise fail(400, "limit must be an integer between 1 and 100")
            chosen = [
                p
                for p in self._projects.values()
                if start <= (parse_iso(p.created_at) or start) <= end
            ]
            chosen.sort(key=lambda p: p.created, reverse=True)
            if hide_newest:
                # The list lags behind: the newest project is not in it yet.
                chosen = chosen[1:]
            offset = 0
            if q.get("next_token"):
                try:
                    offset = int(base64.urlsafe_b64decode(q["next_token"]).decode())
                except ValueError:
                    raise fail(400, "Invalid next_token") from None
            page = chosen[offset : offset + limit]
            has_next = offset + limit < len(chosen)
            return {
                "success": True,
                # format=simple is ignored in list mode (observed, ref §8.2)
                "movies": [self._movie_view(p, simple=False) for p in page],
                "has_next": has_next,
                "next_token": base64.urlsafe_b64encode(str(offset + limit).encode()).decode()
                if has_next
                else "",
            }

    def _delete_movie(self, q: Mapping[str, str]) -> JSONDict:
        pid = q.get("project") or q.get("id") or ""
        if len(pid) != 16:
            raise fail(
                400, "A 16-character project ID must be provided in the 'project' query parameter"
            )
        with self._lock:
            p = self._projects.get(pid)
            if p is None:
                raise fail(400, UNKNOWN_PROJECT)
            if p.deleted_at is None:
                p.deleted_at = self._iso()
            return {
                "success": True,
                "project": pid,
                "deleted_at": p.deleted_at,
                "timestamp": self._iso(),
            }


def _preview_available() -> bool:
    from moviekit import preview  # lazy: the preview extra is optional

    return preview.available()
