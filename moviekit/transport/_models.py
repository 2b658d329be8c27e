"""Typed views of the service's answers.

Frozen pydantic models with ``extra="allow"``: fields the service adds later
are kept (``model.model_extra``) instead of breaking old clients. Numbers sent
as strings (webhook examples do that) are coerced.
"""

from __future__ import annotations

import json
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from moviekit._errors import MalformedResponseError
from moviekit._problems import short_json
from moviekit.builders._movie import Movie

#: Every status a movie can report. ``timeout`` is not in the docs but the
#: official n8n node treats it as a terminal failure, and so do we.
MovieStatusValue = Literal["pending", "running", "done", "error", "timeout"]
TERMINAL_STATUSES: frozenset[str] = frozenset({"done", "error", "timeout"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)


_M = TypeVar("_M", bound=BaseModel)


def parse(model: type[_M], data: object, *, what: str = "", project_id: str | None = None) -> _M:
    """``data`` (decoded JSON from the service) as ``model``; a wrong shape is a
    :class:`~moviekit.MalformedResponseError` naming the first problem's place."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise MalformedResponseError(
            f"unexpected shape of {what or model.__name__}: {exc.error_count()} problem(s), "
            f"first: {where}: {first['msg']}",
            project_id=project_id,
            body=short_json(data, 500),
        ) from None


def _json_value(text: str) -> object:
    """``text`` decoded as JSON; a ValueError (pydantic reports it) when it is not."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


class RemainingQuota(_Model):
    """``remaining_quota``: ``time`` (credits) on current plans, counters on legacy ones."""

    time: float | None = None
    movies: int | None = None
    drafts: int | None = None


class MovieStatus(_Model):
    """The state of one rendering project (``GET /v2/movies?project=...``).

    ``status`` is kept as a plain string so an unknown future status does not
    crash a poller; :attr:`is_terminal` decides whether waiting is over.
    """

    project: str
    status: str
    success: bool | None = None
    message: str = ""
    progress: float | None = None
    url: str | None = None
    ass: str | bool | None = None
    created_at: str | None = None
    ended_at: str | None = None
    deleted_at: str | None = None
    duration: float | None = None
    size: int | None = None
    width: int | None = None
    height: int | None = None
    rendering_time: float | None = None
    thumbnail: str | None = None
    """A preview image URL; only one guide shows it (reference §8.2), so it may be absent."""
    audio_url: str | None = None
    """The MP3 of the mix, for a movie rendered with ``audio-track`` (paid plans; movie.md)."""
    client_data: dict[str, Any] | None = Field(default=None, alias="client-data")
    movie_json: str | None = Field(default=None, alias="json")
    remaining_quota: RemainingQuota | None = None

    @field_validator("message", mode="before")
    @classmethod
    def _none_message(cls, value: Any) -> Any:
        return "" if value is None else value

    @property
    def is_terminal(self) -> bool:
        """True for ``done``, ``error`` and ``timeout``."""
        return self.status in TERMINAL_STATUSES

    @property
    def submitted_movie(self) -> dict[str, Any] | None:
        """The Movie JSON as submitted (absent with ``format=simple``, or unreadable)."""
        if self.movie_json is None:
            return None
        try:
            value = _json_value(self.movie_json)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    @property
    def remaining_credits(self) -> float | None:
        """Credits left on the account when this status was read."""
        return self.remaining_quota.time if self.remaining_quota else None


class SubmitResult(_Model):
    """``POST /v2/movies`` answer: ``project`` and ``timestamp``."""

    success: bool = True
    project: str
    timestamp: str | None = None


class MoviePage(_Model):
    """One page of ``GET /v2/movies`` in list mode."""

    movies: list[MovieStatus]
    """Required: a page without it proves nothing (a reconcile must not read it as "absent")."""
    has_next: bool = False
    next_token: str | None = None
    has_prev: bool | None = None
    count: int | None = None
    limit: int | None = None
    from_: str | None = Field(default=None, alias="from")
    """The window's start (the list's ``from``)."""
    to: str | None = None


class DeleteResult(_Model):
    """``DELETE /v2/movies`` answer. Only the file is removed; the history row stays."""

    project: str | None = None
    deleted_at: str | None = None
    timestamp: str | None = None


class UploadTicket(_Model):
    """``POST /v2/media/file`` answer: where to PUT the bytes, and the final URL."""

    upload_url: str = Field(alias="uploadUrl")
    file_url: str = Field(alias="fileUrl")
    expires_in: float = Field(default=120.0, alias="expiresIn")


class MediaFile(_Model):
    """A file in the account's media storage."""

    name: str
    folder: str = ""
    url: str | None = None
    type: str | None = None
    content_type: str | None = Field(default=None, alias="contentType")
    size: int | None = None
    status: str | None = None
    temporary: bool | None = None
    created_at: str | None = None


class MediaFolder(_Model):
    """One page of ``GET /v2/media/folder``."""

    path: str = "/"
    folders: list[str] = Field(default_factory=list)
    files: list[MediaFile] = Field(default_factory=list)
    total: int | None = None
    total_files: int | None = None
    total_size: int | None = None


class StorageInfo(_Model):
    """``GET /v2/media``: storage use and allowance."""

    used_bytes: int | None = None
    free_allowance: int | None = None
    credits_per_week: float | None = None
    blocked: bool | None = None
    blocked_at: str | None = None


class TemplateSummary(_Model):
    """A template in ``GET /v2/templates`` (list mode)."""

    id: str
    name: str = ""
    tags: list[str] = Field(default_factory=list)
    created_at: str | None = None
    updated_at: str | None = None


class Template(TemplateSummary):
    """A template with its movie (``GET /v2/templates?id=...``)."""

    movie: dict[str, Any] | None = None
    owner: bool | None = None
    ai_prompt: str | None = None

    @field_validator("movie", mode="before")
    @classmethod
    def _movie_from_string(cls, value: Any) -> Any:
        # The service sends the movie as a JSON string or as an object.
        if isinstance(value, str):
            return _json_value(value) if value.strip() else None
        return value

    def to_movie(self) -> Movie:
        """The template's movie as moviekit builders (``Movie.from_dict``)."""
        if self.movie is None:
            raise MalformedResponseError(f"template {self.id} came without its movie")
        return Movie.from_dict(self.movie)


class TemplateSaved(_Model):
    """``POST /v2/templates`` (create, update, duplicate): the template's id.

    The service answers ``templateId`` (20 characters; observed also as ``id``).
    """

    template_id: str = Field(alias="templateId", min_length=1)
    name: str | None = None
    timestamp: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _id_alias(cls, value: Any) -> Any:
        if isinstance(value, dict) and "templateId" not in value and "id" in value:
            return {**value, "templateId": value["id"]}
        return value


class TemplateDeleted(_Model):
    """``DELETE /v2/templates?id=...`` answer."""

    timestamp: str | None = None
