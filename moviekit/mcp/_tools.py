"""What each MCP tool does, over moviekit's public API; no MCP types here.

Every tool takes the agent's (untrusted) arguments, returns a :class:`Reply`
(a text an agent reads, the same as JSON data, and a PNG for the picture
tools) or raises a :class:`~moviekit.MoviekitError` whose message is the line
the ``moviekit`` command prints. ``moviekit.mcp._server`` turns both into MCP
tool results.

The order an agent is steered to: ``validate`` -> ``timeline`` /
``estimate_credits`` -> ``frame`` / ``storyboard`` / ``render_draft`` (free,
local) -> ``render`` (credits, with a budget) -> ``status``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moviekit import Client, MovieValidationError, SubmitUncertainError, Timeline, preview
from moviekit import validate as validate_document
from moviekit.mcp._documents import (
    DEFAULT_MAX_BYTES,
    ToolRefused,
    confine_local_files,
    read_document,
)
from moviekit.transport._config import API_KEY_ENV

__all__ = [
    "MAX_DRAFT_SECONDS",
    "MAX_STORYBOARD_FRAMES",
    "Reply",
    "Toolbox",
]

#: drafts longer than this (by the timeline, a lower bound) are refused: a tool call must end
MAX_DRAFT_SECONDS = 600.0
#: a storyboard draws at most this many frames (each one is an ffmpeg run)
MAX_STORYBOARD_FRAMES = 48

_DRAFT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


@dataclass(frozen=True)
class Reply:
    """A tool's answer: ``text`` for the agent to read, ``data`` as JSON, an optional PNG."""

    text: str
    data: dict[str, Any] | None = None
    png: bytes | None = None


@dataclass
class Toolbox:
    """The tools of one server: its root directory, where drafts go, its size cap.

    ``root`` bounds the local files a document may use (see
    :func:`~moviekit.mcp._documents.confine_local_files`); drafts are written
    to ``drafts`` only, under names the agent may choose but not path.
    """

    root: Path
    drafts: Path
    max_bytes: int = DEFAULT_MAX_BYTES
    _submitted: dict[str, str | None] = field(default_factory=dict, repr=False)
    """Movies submitted in this session, by content hash: the project id, None while in
    flight, ``?`` and the submission key when the service never said whether it took it."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # ------------------------------------------------------------ reading documents
    def _document(self, movie: object) -> Any:
        return read_document(movie, self.max_bytes)

    def _valid(self, movie: object) -> dict[str, Any]:
        """The document, validated (``invalid movie: ...`` otherwise)."""
        doc = self._document(movie)
        report = validate_document(doc)
        if not report.ok:
            raise MovieValidationError(report)
        result: dict[str, Any] = doc
        return result

    def _scenes(self, movie: object, what: str) -> dict[str, Any]:
        """A valid document that has scenes to time or draw (not a saved-template reference)."""
        doc = self._valid(movie)
        if "template" in doc:
            raise ToolRefused(
                f"this document renders the saved template {doc['template']!r}, whose scenes "
                f"are on the service; for its {what}, call template_get and pass its movie "
                "(with these variables) instead",
                path="template",
            )
        return doc

    # ------------------------------------------------------------ offline tools
    def validate(self, movie: object, strict: bool = False) -> Reply:
        """Check Movie JSON against the schema and lints: every problem with its path and hint."""
        report = validate_document(self._document(movie))
        ok = report.ok and not (strict and report.warnings)
        verdict = "valid" if ok else "invalid"
        if report.ok and not ok:
            verdict += " (strict: warnings count as errors)"
        return Reply(f"{verdict}: {report.describe(warnings=True)}", {**report.to_dict(), "ok": ok})

    def timeline(self, movie: object, lengths: Mapping[str, float] | None = None) -> Reply:
        """When every scene and element plays, the total length, whether it is exact, the cost."""
        timeline = _timeline(self._scenes(movie, "timeline"), lengths)
        data = timeline.to_dict()
        data["credits_text"] = str(timeline.estimate())
        return Reply(str(timeline), data)

    def estimate_credits(self, movie: object, lengths: Mapping[str, float] | None = None) -> Reply:
        """The render's cost in credits: exact, or a lower bound with what it depends on."""
        found = _timeline(self._scenes(movie, "cost"), lengths).estimate()
        lines = [f"estimate: {found.text}"]
        lines += [f"cost: {item}" for item in found.items]
        lines += [f"depends on: {d}" for d in found.depends_on]
        lines += [f"note: {n}" for n in found.notes]
        return Reply("\n".join(lines), found.to_dict())

    # ------------------------------------------------------------ local drafts (free)
    def _drawable(self, movie: object) -> dict[str, Any]:
        result: dict[str, Any] = confine_local_files(self._scenes(movie, "draft"), self.root)
        return result  # relative paths stay relative: the preview reads them from the root

    def frame(self, movie: object, t: float = 0.0) -> Reply:
        """One frame of the local draft at movie time ``t`` seconds, as a PNG."""
        if not math.isfinite(t) or t < 0:
            raise ToolRefused(f"must be a time in seconds >= 0, got {t!r}", path="t")
        png = preview.frame(self._drawable(movie), t, base_dir=self.root)
        return Reply(f"frame at {t:g} s: PNG, {len(png):,} bytes", {"t": t, "bytes": len(png)}, png)

    def storyboard(
        self, movie: object, every: float | None = None, columns: int = 4, width: int = 320
    ) -> Reply:
        """A contact sheet of the local draft: one labelled frame per scene (or every N s)."""
        doc = self._drawable(movie)
        if every is not None and not (math.isfinite(every) and every > 0):
            raise ToolRefused(f"must be a number of seconds > 0, got {every!r}", path="every")
        count = len(doc.get("scenes", ()))
        if every is not None:
            count = math.ceil(_timeline(doc).total / every)
        if count > MAX_STORYBOARD_FRAMES:
            raise ToolRefused(
                f"a storyboard of {count} frames is too many (at most {MAX_STORYBOARD_FRAMES}); "
                "pass a larger `every`",
                path="every" if every is not None else "scenes",
            )
        with tempfile.TemporaryDirectory(prefix="moviekit-mcp-") as scratch:
            board = preview.storyboard(
                doc,
                Path(scratch) / "storyboard.png",
                every=every,
                columns=columns,
                thumb_width=width,
                base_dir=self.root,
            )
            png = board.read_bytes()
        return Reply(
            f"storyboard: PNG, {len(png):,} bytes", {"frames": count, "bytes": len(png)}, png
        )

    def render_draft(
        self, movie: object, name: str | None = None, quality: str | None = "low"
    ) -> Reply:
        """Render a local draft MP4 with ffmpeg (no credits); return its path and approximations."""
        doc = self._drawable(movie)
        total = _timeline(doc).total
        if total > MAX_DRAFT_SECONDS:
            raise ToolRefused(
                f"the movie runs at least {total:g} s; drafts here are at most "
                f"{MAX_DRAFT_SECONDS:g} s (draft a part of it, or use `moviekit render --local`)"
            )
        file = _draft_name(name, doc)
        self.drafts.mkdir(parents=True, exist_ok=True)
        result = preview.render(doc, self.drafts / file, quality=quality, base_dir=self.root)
        data = {
            "path": str(result.path),
            "duration": result.duration,
            "width": result.width,
            "height": result.height,
            "fps": result.fps,
            "approximations": [str(a) for a in result.report.approximations],
            "warnings": list(result.report.warnings),
        }
        text = (
            f"draft: {result.path} ({result.width}x{result.height} {result.fps} fps, "
            f"{result.duration:.2f} s); {result.report.summary()}"
        )
        return Reply(text, data)

    # ------------------------------------------------------------ the service (credits)
    def _client(self) -> Client:
        if not os.environ.get(API_KEY_ENV):
            raise ToolRefused(
                f"no API key: set {API_KEY_ENV} in this MCP server's environment (the `env` of "
                "its entry in your MCP client's configuration); nothing was sent"
            )
        return Client()  # the key, base URL and poll interval of this server's environment

    def render(
        self,
        movie: object,
        max_credits: float,
        lengths: Mapping[str, float] | None = None,
        resubmit: bool = False,
    ) -> Reply:
        """Submit the movie to JSON2Video if its estimate fits ``max_credits``; return its id."""
        doc = confine_local_files(self._valid(movie), self.root, absolute=True)
        client = self._client() if "template" in doc else None
        found = _timeline(_for_estimate(client, doc), lengths).estimate()
        if found.over(max_credits):
            raise ToolRefused(
                f"the estimate is {found.text}, over max_credits={max_credits:g}; nothing was "
                "sent (shorten the movie or raise max_credits)",
                path="max_credits",
            )
        client = client or self._client()
        key = hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()
        with self._lock:
            earlier = self._submitted.get(key, "")
            if earlier is None:
                raise ToolRefused(
                    "an earlier call in this session is submitting this exact movie right now; "
                    "nothing was sent again (its project id comes back from that call)"
                )
            if earlier.startswith("?") and not resubmit:
                raise ToolRefused(
                    "an earlier submit of this exact movie in this session may have created a "
                    f"project (the service never said; submission key {earlier[1:]}); nothing "
                    "was sent again: pass resubmit=true only once you know it did not"
                )
            if earlier and not resubmit:
                return Reply(
                    f"not sent again: this exact movie was submitted in this session as project "
                    f"{earlier}; call status with it (pass resubmit=true to pay for a second "
                    "render)",
                    {"project_id": earlier, "submitted": False, "estimate": found.to_dict()},
                )
            self._submitted[key] = None  # in flight: a retry while it is must not send again
        try:
            job = client.submit(doc)
        except SubmitUncertainError as exc:
            with self._lock:
                self._submitted[key] = "?" + exc.submission_key
            raise
        except BaseException:
            with self._lock:  # not submitted (or not known to be): as it was before
                if earlier:
                    self._submitted[key] = earlier
                else:
                    self._submitted.pop(key, None)
            raise
        with self._lock:
            self._submitted[key] = job.project_id
        bound = "" if found.exact else " (a lower bound: the real cost may be higher)"
        return Reply(
            f"submitted project {job.project_id}; estimate {found.text}{bound}; "
            "call status with the project id until it is done",
            {"project_id": job.project_id, "submitted": True, "estimate": found.to_dict()},
        )

    def status(self, project_id: str) -> Reply:
        """A project's status (pending, running, done with its url, error with the message)."""
        if not project_id:
            # The client refuses it unsent too; here the agent is told which argument it was.
            raise ToolRefused(
                "empty; pass the project id render returned (nothing was sent)", path="project_id"
            )
        current = self._client().get(project_id)
        data = current.model_dump(by_alias=True, exclude_none=True)
        progress = f" {current.progress:.0f}%" if current.progress is not None else ""
        extra = (
            f": {current.url}" if current.url else f": {current.message}" if current.message else ""
        )
        return Reply(f"{current.project}: {current.status}{progress}{extra}", data)

    def templates_list(self, tag: str | None = None) -> Reply:
        """The account's saved templates (id, name, tags)."""
        found = self._client().templates.list(tag=tag)
        rows = [{"id": t.id, "name": t.name, "tags": list(t.tags)} for t in found]
        text = "\n".join(f"{r['id']}  {r['name']}  {','.join(r['tags'])}" for r in rows)
        return Reply(text or "no templates", {"templates": rows})

    def template_get(self, template_id: str) -> Reply:
        """One saved template's movie (Movie JSON with its {{placeholders}})."""
        found = self._client().templates.get(template_id)
        data = {"id": found.id, "name": found.name, "movie": found.movie}
        return Reply(json.dumps(found.movie, indent=1, ensure_ascii=False), data)


def _timeline(doc: Mapping[str, Any], lengths: Mapping[str, float] | None = None) -> Timeline:
    """The timeline of a valid document; refused when its length is not a finite number."""
    timeline = Timeline.from_dict(doc, lengths)
    if not math.isfinite(timeline.total):
        raise ToolRefused(
            "the movie's length is not a finite number of seconds (its durations add up past "
            "the largest number); use durations a movie can have"
        )
    return timeline


def _draft_name(name: str | None, doc: Mapping[str, Any]) -> str:
    """A file name in the drafts folder: the agent's (checked) or one from the content."""
    if name is None:
        digest = hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:12]
        return f"draft-{digest}.mp4"
    stem = name[:-4] if name.lower().endswith(".mp4") else name
    if not _DRAFT_NAME.match(stem):
        raise ToolRefused(
            f"{name!r} is not a plain file name: use letters, digits, '.', '_' and '-' "
            "(no folders; drafts are written to this server's drafts folder)",
            path="name",
        )
    return f"{stem}.mp4"


def _for_estimate(client: Client | None, doc: dict[str, Any]) -> dict[str, Any]:
    """The movie whose length a render of ``doc`` has: for a template, its saved movie.

    Reading a template costs no credits; its own ``variables`` are overlaid
    with the document's, as the service does.
    """
    if client is None:
        return doc
    saved = client.templates.get(str(doc["template"])).movie
    own = doc.get("variables")
    merged = dict(saved) if isinstance(saved, dict) else {}
    base = merged.get("variables")
    merged["variables"] = {
        **(base if isinstance(base, dict) else {}),
        **(own if isinstance(own, dict) else {}),
    }
    if not saved or not validate_document(merged).ok or "template" in merged:
        raise ToolRefused(
            f"template {doc['template']}: its saved movie is missing or not valid Movie JSON, "
            "so its cost cannot be estimated; nothing was sent",
            path="template",
        )
    return merged
