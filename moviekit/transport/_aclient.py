"""``moviekit.AsyncClient``: the same client, awaited (``moviekit-json2video[async]``).

Same methods, errors, retry and reconciliation rules as :class:`~moviekit.Client`,
because they are the same code: the I/O-free procedures of
:mod:`~moviekit.transport._movies`, ``_media`` and ``_templates``, here run by
:func:`~moviekit.transport._ops.run_async` over httpx2
(:mod:`~moviekit.transport._ahttp`, imported when the first client is made, so
``import moviekit`` never needs it)::

    async with AsyncClient() as client:
        render = await client.render(movie)
        await render.download("out.mp4")

Many renders at once are many tasks: each waits on its own schedule, and one
connection pool (``max_connections``) serves them all.
"""

from __future__ import annotations

import functools
import os
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from moviekit._errors import ClientConfigError
from moviekit.builders._movie import Movie
from moviekit.service._subtitles import SubtitleTrack
from moviekit.transport._budget import check_budget, estimate_movie
from moviekit.transport._config import configure
from moviekit.transport._download import DownloadProgress
from moviekit.transport._handles import BaseJob, BaseRender, ClientBasics, Resource
from moviekit.transport._media import MediaOps, UploadCache
from moviekit.transport._models import MovieStatus
from moviekit.transport._movies import (
    MAX_LIST_PAGES,
    MovieList,
    MovieOps,
    ProgressCallback,
    Settings,
    Submission,
)
from moviekit.transport._ops import Op, run_async
from moviekit.transport._polling import PollPolicy, RetryPolicy
from moviekit.transport._templates import TemplateOps

if TYPE_CHECKING:  # pragma: no cover
    import httpx2

    from moviekit.transport._ahttp import AsyncHTTP

__all__ = ["AsyncClient", "AsyncJob", "AsyncMedia", "AsyncRender", "AsyncTemplates"]

_P = ParamSpec("_P")
_T = TypeVar("_T")
_O = TypeVar("_O")


def _awaitable(
    op: Callable[Concatenate[_O, _P], Op[_T]],
) -> Callable[Concatenate[Any, _P], Coroutine[Any, Any, _T]]:
    """A façade coroutine method that runs the procedure ``op`` (docs and signature kept)."""

    async def method(self: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        result: _T = await self._run(op(self._ops, *args, **kwargs))
        return result

    functools.update_wrapper(method, op)
    return method


def _transport() -> Any:
    """The httpx2 transport module, or a clear error naming the extra to install."""
    try:
        from moviekit.transport import _ahttp
    except ImportError as exc:
        raise ClientConfigError(
            f"AsyncClient needs httpx2 ({exc.name or exc}): "
            'pip install "moviekit-json2video[async]" (Python 3.11 or newer)'
        ) from None
    return _ahttp


class AsyncClient(ClientBasics):
    """A JSON2Video API client for asyncio and trio (the awaited twin of :class:`Client`).

    Takes :class:`~moviekit.Client`'s options, with an ``httpx2.AsyncClient``
    (``http_client``) in place of a ``requests.Session``, an async ``sleep``,
    and ``max_connections`` (the pool every concurrent call shares, default
    100). Use it in ``async with``, or ``await client.aclose()`` when done.
    The deadline of each request covers the whole exchange, as with ``Client``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        http_client: httpx2.AsyncClient | None = None,
        timeout: float | tuple[float, float] = (10.0, 60.0),
        deadline: float | None = None,
        download_deadline: float = 3600.0,
        max_response_bytes: int = 32 * 1024 * 1024,
        max_connections: int = 100,
        retry_policy: RetryPolicy | None = None,
        poll_policy: PollPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
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
        if max_connections < 1:
            raise ClientConfigError(f"max_connections must be >= 1, got {max_connections!r}")
        transport = _transport()
        self._key = config.key
        self.base_url = config.base_url
        self.poll_policy = config.poll_policy
        self.deadline = config.deadline
        self.download_deadline = download_deadline
        self.retry_policy = retry_policy or RetryPolicy()
        self.upload_folder = upload_folder
        self._http: AsyncHTTP = transport.AsyncHTTP(
            api_key=self._key,
            client=http_client,
            connect_timeout=config.connect_timeout,
            read_timeout=config.read_timeout,
            deadline=config.deadline,
            file_deadline=download_deadline,
            max_response_bytes=max_response_bytes,
            max_connections=max_connections,
        )
        self._sleep: Callable[[float], Awaitable[None]] = sleep or transport.sleep
        self._in_thread: Callable[[Callable[[], Any]], Awaitable[Any]] = transport.in_thread
        self._clock = clock
        settings = Settings(self.base_url, self.retry_policy, self.poll_policy, random_fn)
        self._ops = MovieOps(settings)
        self.media = AsyncMedia(MediaOps(settings, upload_folder, UploadCache()), self)
        self.templates = AsyncTemplates(TemplateOps(settings), self)

    # ------------------------------------------------------------ basics
    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool if this client made it."""
        await self._http.aclose()

    async def _run(self, op: Op[_T]) -> _T:
        return await run_async(op, self._http.exchange, self._sleep, self._clock, self._in_thread)

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` with the client's sleep (``anyio.sleep`` unless injected)."""
        await self._sleep(seconds)

    # ------------------------------------------------------------ submitting
    async def submit(
        self,
        movie: Movie | Mapping[str, Any],
        *,
        validate: bool = True,
        submission_key: str | None = None,
        upload_local_files: bool = True,
        max_credits: float | None = None,
    ) -> AsyncJob:
        """Validate, upload local ``src`` files, POST the movie; its :class:`AsyncJob`.

        Never creates two projects for one call (see :meth:`Client.submit`).
        """
        submission = self.prepare(movie, validate=validate, submission_key=submission_key)
        if max_credits is not None:
            check_budget(estimate_movie(movie, submission.payload), max_credits)
        if upload_local_files:
            submission.payload = await self.media.upload_local_sources(submission.payload)
        return await self.submit_prepared(submission)

    async def submit_prepared(self, submission: Submission) -> AsyncJob:
        """POST a prepared submission; reconcile through its key when the outcome is unknown."""
        project = await self._run(self._ops.submit_prepared(submission))
        return AsyncJob(self, project, source=submission.source, submission_key=submission.key)

    async def reconcile(
        self,
        submission_key: str,
        *,
        source: Movie | Mapping[str, Any] | None = None,
        since: datetime | None = None,
    ) -> AsyncJob | None:
        """Find the project created by a submission, by its ``client-data`` key.

        See :meth:`Client.reconcile`.
        """
        project = await self._run(self._ops.find_submission(submission_key, since))
        if project is None:
            return None
        return AsyncJob(self, project, source=source, submission_key=submission_key)

    def job(self, project_id: str, *, source: Movie | Mapping[str, Any] | None = None) -> AsyncJob:
        """A handle on an existing project (to resume waiting, or to download)."""
        return AsyncJob(self, project_id, source=source)

    async def render(
        self,
        movie: Movie | Mapping[str, Any],
        *,
        validate: bool = True,
        timeout: float | None = None,
        on_progress: ProgressCallback | None = None,
        max_credits: float | None = None,
    ) -> AsyncRender:
        """Submit and wait (see :meth:`Client.render`); ``on_progress`` may be a coroutine."""
        job = await self.submit(movie, validate=validate, max_credits=max_credits)
        return await job.wait(timeout=timeout, on_progress=on_progress)

    # ------------------------------------------------------------ reading
    get = _awaitable(MovieOps.get)
    delete = _awaitable(MovieOps.delete)
    subtitles = _awaitable(MovieOps.subtitles)
    list_movies_page = _awaitable(MovieOps.list_page)

    async def list_movies(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        page_size: int = 100,
        max_pages: int = MAX_LIST_PAGES,
    ) -> AsyncIterator[MovieStatus]:
        """Every movie in the window, following ``next_token`` (``async for``).

        See :meth:`Client.list_movies`.
        """
        pages = MovieList(max_pages)
        while not pages.done:
            page = await self.list_movies_page(
                since=since, until=until, limit=page_size, next_token=pages.token
            )
            for movie in page.movies:
                yield movie
            pages.take(page)

    async def download(
        self,
        url: str,
        path: str | os.PathLike[str],
        *,
        on_progress: DownloadProgress | None = None,
        project_id: str | None = None,
    ) -> Path:
        """Stream ``url`` to the file ``path`` (see :meth:`Client.download`)."""
        op = self._ops.download(url, Path(path), on_progress=on_progress, project_id=project_id)
        return await self._run(op)


@dataclass(frozen=True)
class AsyncRender(BaseRender):
    """A finished render: its final status, and ``await render.download(path)``."""

    client: AsyncClient = field(repr=False)

    async def subtitles(self) -> SubtitleTrack:
        """The movie's subtitle transcript as typed cues (a movie with a ``Subtitles`` element)."""
        ops = self.client._ops
        return await self.client._run(ops.subtitle_file(self.status.ass, self.project_id))

    async def download(
        self, path: str | os.PathLike[str], on_progress: DownloadProgress | None = None
    ) -> Path:
        """Stream the MP4 to ``path``, a file or a folder (see :meth:`Render.download`)."""
        return await self.client.download(
            self.url, self.target(path), on_progress=on_progress, project_id=self.project_id
        )


class AsyncJob(BaseJob["AsyncClient"]):
    """A submitted project: ``await job.status()``, ``await job.wait()``."""

    async def status(self) -> MovieStatus:
        """The current status (retried on transient failures)."""
        return await self.client.get(self.project_id)

    async def wait(
        self,
        timeout: float | None = None,
        on_progress: ProgressCallback | None = None,
        *,
        poll_policy: PollPolicy | None = None,
    ) -> AsyncRender:
        """Poll until the job ends; the :class:`AsyncRender` when done (see :meth:`Job.wait`)."""
        status = await self.client._run(self._waiting(timeout, on_progress, poll_policy))
        return AsyncRender(status, self.client)


class AsyncMedia(Resource[MediaOps, "AsyncClient"]):
    """Media storage (``client.media``), awaited: the methods of :class:`Media`."""

    async def _run(self, op: Op[_T]) -> _T:
        return await self._client._run(op)

    upload = _awaitable(MediaOps.upload)
    upload_local_sources = _awaitable(MediaOps.upload_local_sources)
    get = _awaitable(MediaOps.get)
    wait_uploaded = _awaitable(MediaOps.wait_uploaded)
    move = _awaitable(MediaOps.move)
    list = _awaitable(MediaOps.list)
    create_folder = _awaitable(MediaOps.create_folder)
    delete = _awaitable(MediaOps.delete)
    delete_folder = _awaitable(MediaOps.delete_folder)
    storage = _awaitable(MediaOps.storage)


class AsyncTemplates(Resource[TemplateOps, "AsyncClient"]):
    """Saved templates (``client.templates``), awaited: the methods of :class:`Templates`."""

    async def _run(self, op: Op[_T]) -> _T:
        return await self._client._run(op)

    list = _awaitable(TemplateOps.list)
    get = _awaitable(TemplateOps.get)
    create = _awaitable(TemplateOps.create)
    update = _awaitable(TemplateOps.update)
    duplicate = _awaitable(TemplateOps.duplicate)
    delete = _awaitable(TemplateOps.delete)

    async def submit(
        self,
        template_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        overrides: Mapping[str, Any] | None = None,
        submission_key: str | None = None,
        check: bool = True,
        max_credits: float | None = None,
    ) -> AsyncJob:
        """Render a saved template with ``variables`` (see :meth:`Templates.submit`)."""
        body = await self._run(
            self._ops.render_payload(
                template_id, variables, overrides, check=check, max_credits=max_credits
            )
        )
        return await self._client.submit(body, validate=False, submission_key=submission_key)

    async def render(
        self,
        template_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        overrides: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        on_progress: ProgressCallback | None = None,
        max_credits: float | None = None,
    ) -> AsyncRender:
        """Submit a template and wait for the render (``max_credits``: see :meth:`submit`)."""
        job = await self.submit(
            template_id, variables, overrides=overrides, max_credits=max_credits
        )
        return await job.wait(timeout=timeout, on_progress=on_progress)
