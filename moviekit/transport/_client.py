"""``moviekit.Client``: submit, poll, wait, download — and never render twice.

Layering (after httpx): the rules live in I/O-free procedures
(:mod:`~moviekit.transport._movies`, ``_media``, ``_templates``)
that ``AsyncClient`` runs too; this module runs them blocking
(:func:`~moviekit.transport._ops.run_blocking`) over
:class:`~moviekit.transport._http.HTTP`, which sends one attempt at a time
through a ``requests.Session`` that can be injected. Sleep, clock and jitter
are injected too, so the rules are tested in milliseconds against
``moviekit.testing.FakeJSON2Video``.

Why submits are special: ``POST /v2/movies`` is not idempotent (each call is a
new, billed project). See :mod:`~moviekit.transport._movies` for how a
submit with an unknown outcome is reconciled instead of resent.
"""

from __future__ import annotations

import functools
import logging
import os
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypedDict, TypeVar

import requests

from moviekit.builders._movie import Movie
from moviekit.service._subtitles import SubtitleTrack
from moviekit.transport._budget import check_budget, estimate_movie
from moviekit.transport._config import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    configure,
)
from moviekit.transport._deadline import deadline_adapter
from moviekit.transport._download import DownloadProgress
from moviekit.transport._handles import BaseJob, BaseRender, ClientBasics, Resource
from moviekit.transport._http import HTTP
from moviekit.transport._media import MediaOps, UploadCache
from moviekit.transport._models import MovieStatus
from moviekit.transport._movies import (
    MAX_LIST_PAGES,
    SUBMISSION_KEY_FIELD,
    MovieList,
    MovieOps,
    ProgressCallback,
    Settings,
    Submission,
)
from moviekit.transport._ops import Op, run_blocking
from moviekit.transport._polling import PollPolicy, RetryPolicy
from moviekit.transport._templates import TemplateOps

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Unpack

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "MAX_LIST_PAGES",
    "SUBMISSION_KEY_FIELD",
    "Client",
    "ClientOptions",
    "Job",
    "Media",
    "Render",
    "Submission",
    "Templates",
]

#: pooled connections per host on a session the client makes (requests' default is 10)
_DEFAULT_CONNECTIONS = 16
_P = ParamSpec("_P")
_T = TypeVar("_T")
_O = TypeVar("_O")
logger = logging.getLogger("moviekit")


def _blocking(op: Callable[Concatenate[_O, _P], Op[_T]]) -> Callable[Concatenate[Any, _P], _T]:
    """A façade method that runs the procedure ``op`` to its end (docs and signature kept)."""

    def method(self: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        result: _T = self._run(op(self._ops, *args, **kwargs))
        return result

    functools.update_wrapper(method, op)
    return method


class ClientOptions(TypedDict, total=False):
    """The settings :meth:`Client.with_options` can change (see :class:`Client`)."""

    api_key: str | None
    base_url: str | None
    session: requests.Session | None
    timeout: float | tuple[float, float]
    deadline: float | None
    download_deadline: float
    max_response_bytes: int
    retry_policy: RetryPolicy | None
    poll_policy: PollPolicy | None
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    random_fn: Callable[[], float]
    upload_folder: str


class Client(ClientBasics):
    """A JSON2Video API client (blocking; :class:`~moviekit.AsyncClient` is the async twin).

    Args:
        api_key: the key; else ``JSON2VIDEO_API_KEY``. Checked at the first
            request, never shown in any repr, ``vars()``, log or message.
        base_url: API base; else ``JSON2VIDEO_BASE_URL``, else the service.
            Plain ``http://`` only for loopback hosts.
        session: a ``requests.Session`` to use (pooling, proxies, test transports).
            Only a session the client makes cuts a stalled transfer at its deadline
            from the inside; with yours the deadline is checked between reads.
        timeout: seconds (or ``(connect, read)``) to connect and between two reads.
        deadline: the most one API request may take, connect to last byte
            (default: connect + read timeout).
        download_deadline: the same for a file download or upload (default 1 h).
        max_response_bytes: the largest API answer read (default 32 MiB).
        retry_policy: how often one call is tried again (every kind of failure).
        poll_policy: how :meth:`Job.wait` polls; faster than 5 s only for loopback.
        sleep / clock / random_fn: injectable for tests.
        upload_folder: media folder for local files referenced by ``src``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        session: requests.Session | None = None,
        timeout: float | tuple[float, float] = (10.0, 60.0),
        deadline: float | None = None,
        download_deadline: float = 3600.0,
        max_response_bytes: int = 32 * 1024 * 1024,
        retry_policy: RetryPolicy | None = None,
        poll_policy: PollPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        random_fn: Callable[[], float] = random.random,
        upload_folder: str = "moviekit",
    ) -> None:
        config = configure(
            api_key,
            base_url,
            timeout=timeout,
            deadline=deadline,
            download_deadline=download_deadline,
            poll_policy=poll_policy,
        )
        self._key = config.key
        self.base_url = config.base_url
        self.poll_policy = config.poll_policy
        self.timeout = timeout
        self.deadline = config.deadline
        self.download_deadline = download_deadline
        self.max_response_bytes = max_response_bytes
        self.retry_policy = retry_policy or RetryPolicy()
        self.upload_folder = upload_folder
        self._session = session or requests.Session()
        self._owns_session = session is None
        self._pool_size = 0
        if self._owns_session:
            self.ensure_connections(_DEFAULT_CONNECTIONS)
        self._sleep = sleep
        self._clock = clock
        self._random = random_fn
        self._http = HTTP(
            api_key=self._key,
            session=self._session,
            timeout=timeout,
            deadline=self.deadline,
            file_deadline=download_deadline,
            max_response_bytes=max_response_bytes,
        )
        settings = Settings(self.base_url, self.retry_policy, self.poll_policy, random_fn)
        self._ops = MovieOps(settings)
        self.media = Media(MediaOps(settings, upload_folder, UploadCache()), self)
        self.templates = Templates(TemplateOps(settings), self)

    # ------------------------------------------------------------ basics
    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, op: Op[_T]) -> _T:
        return run_blocking(op, self._http.exchange, self._sleep, self._clock)

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` with the client's sleep (``time.sleep`` unless injected)."""
        self._sleep(seconds)

    def ensure_connections(self, count: int) -> None:
        """Keep up to ``count`` pooled connections per host (only on a session this client made).

        requests keeps 10 per host; a batch with more rows in flight would open
        and drop connections. An injected session is left as its owner set it up.
        """
        if not self._owns_session or count <= self._pool_size:
            return
        adapter = deadline_adapter(count)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        self._pool_size = count

    def close(self) -> None:
        """Close the session if this client created it."""
        if self._owns_session:
            self._session.close()

    def with_options(self, **changes: Unpack[ClientOptions]) -> Client:
        """A new client with some settings changed (shares session and upload cache)."""
        settings: dict[str, object] = {
            "api_key": self._key.reveal(),
            "base_url": self.base_url,
            "session": self._session,
            "timeout": self.timeout,
            "deadline": self.deadline,
            "download_deadline": self.download_deadline,
            "max_response_bytes": self.max_response_bytes,
            "retry_policy": self.retry_policy,
            "poll_policy": self.poll_policy,
            "sleep": self._sleep,
            "clock": self._clock,
            "random_fn": self._random,
            "upload_folder": self.upload_folder,
        }
        unknown = set(changes) - set(settings)
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
        settings.update(changes)
        clone = Client(**settings)  # type: ignore[arg-type]  # the same names, checked above
        clone._owns_session = False
        ops = MediaOps(clone._ops.settings, clone.upload_folder, self.media.cache)
        clone.media = Media(ops, clone)
        return clone

    # ------------------------------------------------------------ submitting
    def submit(
        self,
        movie: Movie | Mapping[str, Any],
        *,
        validate: bool = True,
        submission_key: str | None = None,
        upload_local_files: bool = True,
        max_credits: float | None = None,
    ) -> Job:
        """Validate, upload local ``src`` files, POST the movie; return its :class:`Job`.

        Never creates two projects for one call (see the module docstring).
        """
        submission = self.prepare(movie, validate=validate, submission_key=submission_key)
        if max_credits is not None:
            check_budget(estimate_movie(movie, submission.payload), max_credits)
        if upload_local_files:
            submission.payload = self.media.upload_local_sources(submission.payload)
        return self.submit_prepared(submission)

    def submit_prepared(self, submission: Submission) -> Job:
        """POST a prepared submission; reconcile through its key when the outcome is unknown."""
        project = self._run(self._ops.submit_prepared(submission))
        return Job(self, project, source=submission.source, submission_key=submission.key)

    def reconcile(
        self,
        submission_key: str,
        *,
        source: Movie | Mapping[str, Any] | None = None,
        since: datetime | None = None,
    ) -> Job | None:
        """Find the project created by a submission, by its ``client-data`` key.

        Lists movies created since ``since`` (default: the last 2 days).
        Returns ``None`` when the whole list was read and no project carries the
        key; raises :class:`MalformedResponseError` when the list cannot be read
        to its end (so absence is never guessed).
        """
        project = self._run(self._ops.find_submission(submission_key, since))
        if project is None:
            return None
        return Job(self, project, source=source, submission_key=submission_key)

    def job(self, project_id: str, *, source: Movie | Mapping[str, Any] | None = None) -> Job:
        """A handle on an existing project (to resume waiting, or to download)."""
        return Job(self, project_id, source=source)

    def render(
        self,
        movie: Movie | Mapping[str, Any],
        *,
        validate: bool = True,
        timeout: float | None = None,
        on_progress: ProgressCallback | None = None,
        max_credits: float | None = None,
    ) -> Render:
        """Submit and wait: the whole round trip. See :meth:`submit` and :meth:`Job.wait`.

        ``max_credits``: refuse (:class:`~moviekit.BudgetExceededError`, nothing
        sent) when the movie's estimate, or its lower bound, is above it.
        """
        job = self.submit(movie, validate=validate, max_credits=max_credits)
        return job.wait(timeout=timeout, on_progress=on_progress)

    # ------------------------------------------------------------ reading
    get = _blocking(MovieOps.get)
    delete = _blocking(MovieOps.delete)
    subtitles = _blocking(MovieOps.subtitles)
    list_movies_page = _blocking(MovieOps.list_page)

    def list_movies(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        page_size: int = 100,
        max_pages: int = MAX_LIST_PAGES,
    ) -> Iterator[MovieStatus]:
        """Every movie in the window (default: this month), following ``next_token``.

        Raises :class:`MalformedResponseError` when the service hands out a
        token it gave before, or more than ``max_pages`` pages: a list that
        does not end is not followed forever.
        """
        pages = MovieList(max_pages)
        while not pages.done:
            page = self.list_movies_page(
                since=since, until=until, limit=page_size, next_token=pages.token
            )
            yield from page.movies
            pages.take(page)

    # ------------------------------------------------------------ download
    def download(
        self,
        url: str,
        path: str | os.PathLike[str],
        *,
        on_progress: DownloadProgress | None = None,
        project_id: str | None = None,
    ) -> Path:
        """Stream ``url`` to the file ``path`` through a temporary file renamed into place.

        A failed or interrupted download leaves no partial file behind; a page
        instead of a video is refused. The API key is not sent (the file lives
        on a CDN). Retried like a status check; the whole transfer has
        ``download_deadline`` seconds.
        """
        op = self._ops.download(url, Path(path), on_progress=on_progress, project_id=project_id)
        return self._run(op)


@dataclass(frozen=True)
class Render(BaseRender):
    """A finished render: its final status and the way to fetch the file."""

    client: Client = field(repr=False)

    def subtitles(self) -> SubtitleTrack:
        """The movie's subtitle transcript as typed cues (a movie with a ``Subtitles`` element)."""
        return self.client._run(self.client._ops.subtitle_file(self.status.ass, self.project_id))

    def download(
        self, path: str | os.PathLike[str], on_progress: DownloadProgress | None = None
    ) -> Path:
        """Stream the MP4 to ``path``: a file, or an existing folder to put ``<project>.mp4`` in.

        The file appears only when complete (no half file is ever left), and
        only where asked: a project id from the service that is not a plain
        name (``../x``, an absolute path, a NUL) is refused, not followed.
        """
        return self.client.download(
            self.url, self.target(path), on_progress=on_progress, project_id=self.project_id
        )


class Job(BaseJob["Client"]):
    """A submitted project. ``status()`` reads it, ``wait()`` follows it to the end."""

    def status(self) -> MovieStatus:
        """The current status (retried on transient failures)."""
        return self.client.get(self.project_id)

    def wait(
        self,
        timeout: float | None = None,
        on_progress: ProgressCallback | None = None,
        *,
        poll_policy: PollPolicy | None = None,
    ) -> Render:
        """Poll until the job ends; return the :class:`Render` when done.

        Cadence: a first check at once, then 5, 8, 11, 17, 25 s and every 30 s;
        a few failed checks in a row are tolerated. Raises
        :class:`RenderFailedError` when the job ends in ``error`` or
        ``timeout``, :class:`WaitTimeoutError` when ``timeout`` seconds (default:
        the policy's 10 minutes) pass; the job keeps running then and ``wait()``
        can be called again.
        """
        status = self.client._run(self._waiting(timeout, on_progress, poll_policy))
        return Render(status, self.client)


class Media(Resource[MediaOps, "Client"]):
    """Media storage (``client.media``): upload, folders, list, get, move, delete."""

    def _run(self, op: Op[_T]) -> _T:
        return self._client._run(op)

    @property
    def upload_folder(self) -> str:
        """The folder local ``src`` files are uploaded to."""
        return self._ops.upload_folder

    @property
    def cache(self) -> UploadCache:
        """What this client (and its :meth:`Client.with_options` copies) uploaded already."""
        return self._ops.cache

    upload = _blocking(MediaOps.upload)
    upload_local_sources = _blocking(MediaOps.upload_local_sources)
    get = _blocking(MediaOps.get)
    wait_uploaded = _blocking(MediaOps.wait_uploaded)
    move = _blocking(MediaOps.move)
    list = _blocking(MediaOps.list)
    create_folder = _blocking(MediaOps.create_folder)
    delete = _blocking(MediaOps.delete)
    delete_folder = _blocking(MediaOps.delete_folder)
    storage = _blocking(MediaOps.storage)


class Templates(Resource[TemplateOps, "Client"]):
    """Saved templates (``client.templates``): list, get, create, update, duplicate, delete,
    submit and render."""

    def _run(self, op: Op[_T]) -> _T:
        return self._client._run(op)

    list = _blocking(TemplateOps.list)
    get = _blocking(TemplateOps.get)
    create = _blocking(TemplateOps.create)
    update = _blocking(TemplateOps.update)
    duplicate = _blocking(TemplateOps.duplicate)
    delete = _blocking(TemplateOps.delete)

    def submit(
        self,
        template_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        overrides: Mapping[str, Any] | None = None,
        submission_key: str | None = None,
        check: bool = True,
        max_credits: float | None = None,
    ) -> Job:
        """Render a saved template with ``variables``; return the :class:`Job`.

        ``overrides`` are top-level movie properties applied on top of the
        template (``resolution``, ``quality``, ``client-data``, ``exports`` ...).
        With ``check`` (the default) the template is read first and
        ``variables`` checked against its movie: an unknown or missing variable
        is a :class:`~moviekit.MovieValidationError` and nothing is submitted.
        """
        body = self._run(
            self._ops.render_payload(
                template_id, variables, overrides, check=check, max_credits=max_credits
            )
        )
        return self._client.submit(body, validate=False, submission_key=submission_key)

    def render(
        self,
        template_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        overrides: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        on_progress: ProgressCallback | None = None,
        max_credits: float | None = None,
    ) -> Render:
        """Submit a template and wait for the render (``max_credits``: see :meth:`submit`)."""
        job = self.submit(template_id, variables, overrides=overrides, max_credits=max_credits)
        return job.wait(timeout=timeout, on_progress=on_progress)
