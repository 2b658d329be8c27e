"""``moviekit.Client``: submit, poll, wait, download — and never render twice.

Layering (after httpx): the client holds the rules (defaults, reconciling,
what each endpoint answers); :class:`~moviekit.transport._http.HTTP` sends,
bounds and retries every request in one loop; a ``requests.Session`` does the
I/O and can be injected. Sleep, clock and jitter are injected too, so the
rules are tested in milliseconds against ``moviekit.testing.FakeJSON2Video``.

Why submits are special: ``POST /v2/movies`` is not idempotent (each call is a
new, billed project). It is resent only when the request provably never left
(connection refused / connect timeout). When the outcome is unknown (read
timeout, reset after sending, 5xx, 429, unreadable answer), the client looks
for its own unique key in ``client-data`` in the movie list, and resubmits only
when that lookup proves the project was not created. Every POST counts against
the same retry budget: at most ``max_retries + 1`` POSTs per submit.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import random
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlsplit

import requests

from moviekit._errors import (
    APIError,
    BuildError,
    ClientConfigError,
    MalformedResponseError,
    SubmitUncertainError,
)
from moviekit.builders._movie import Movie
from moviekit.transport._deadline import deadline_adapter
from moviekit.transport._download import DownloadProgress
from moviekit.transport._download import download as download_file
from moviekit.transport._http import HTTP, Reading, Request, Secret
from moviekit.transport._jobs import Job, ProgressCallback, Render, Submission
from moviekit.transport._models import DeleteResult, MoviePage, MovieStatus, SubmitResult, parse
from moviekit.transport._polling import PollPolicy, RetryPolicy, backoff_delay
from moviekit.transport._resources import Media, Templates, UploadCache
from moviekit.validation._validate import ensure_valid

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
    "Render",
    "Submission",
]

DEFAULT_BASE_URL = "https://api.json2video.com/v2"
API_KEY_ENV = "JSON2VIDEO_API_KEY"
BASE_URL_ENV = "JSON2VIDEO_BASE_URL"
#: The ``client-data`` entry that carries a submission's unique key.
SUBMISSION_KEY_FIELD = "moviekit-submission"
#: Pages of the movie list followed at most by one ``list_movies()`` (100 movies a page).
MAX_LIST_PAGES = 1000
#: Pages a reconcile reads before it calls the outcome unknown (two days of movies).
RECONCILE_PAGES = 100
#: pooled connections per host on a session the client makes (requests' default is 10)
_DEFAULT_CONNECTIONS = 16
_LOOPBACK_NAMES = {"localhost"}

logger = logging.getLogger("moviekit")


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _compile(movie: Movie | Mapping[str, Any], validate: bool) -> dict[str, Any]:
    """The JSON document to send, as a fresh dict the caller can change freely."""
    document: object
    if isinstance(movie, Movie):
        document = movie.to_dict(validate=validate)
    elif isinstance(movie, Mapping):
        document = dict(movie)
        if validate:
            ensure_valid(document)
    else:
        raise BuildError(f"submit() expects a Movie or a dict, got {type(movie).__name__}")
    try:
        # A JSON round trip is the deep copy that also proves the body serialises.
        fresh = json.loads(json.dumps(document, allow_nan=False))
    except (TypeError, ValueError, RecursionError) as exc:
        raise BuildError(f"the movie is not JSON-serialisable: {exc}") from None
    return fresh  # type: ignore[no-any-return]  # a dict in, a dict out


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


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


class Client:
    """A JSON2Video API client.

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
        self._key = Secret(api_key if api_key is not None else os.environ.get(API_KEY_ENV))
        base_url = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
        parts = urlsplit(base_url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ClientConfigError(f"base_url must be an https:// URL, got {base_url!r}")
        loopback = _is_loopback(parts.hostname)
        if parts.scheme == "http" and not loopback:
            raise ClientConfigError(
                f"refusing plain http:// to {parts.hostname}: the API key would travel in clear "
                "text; use https:// (http is allowed only for 127.0.0.1/localhost test servers)"
            )
        self.poll_policy = poll_policy or PollPolicy()
        if not self.poll_policy.respects_floor and not loopback:
            raise ClientConfigError(
                "the service asks clients never to poll faster than every 5 s; faster poll "
                "policies are allowed only against a loopback test server"
            )
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        for name, value in (("deadline", deadline), ("download_deadline", download_deadline)):
            if value is not None and not value > 0:
                raise ClientConfigError(f"{name} must be a number of seconds > 0, got {value!r}")
        self.base_url = base_url
        self.timeout = timeout
        self.deadline = deadline if deadline is not None else connect + read
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
            retry_policy=self.retry_policy,
            sleep=self.sleep,
            clock=self.clock,
            random_fn=random_fn,
            max_response_bytes=max_response_bytes,
        )
        self.media = Media(self._http, base_url, upload_folder, UploadCache())
        self.templates = Templates(self, self._http)

    # ------------------------------------------------------------ basics
    def __repr__(self) -> str:
        key = "set" if self._key else "missing"
        return f"Client(base_url={self.base_url!r}, api_key=<{key}>)"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def clock(self) -> float:
        """Seconds on the client's clock (``time.monotonic`` unless injected)."""
        return self._clock()

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
        clone.media = Media(clone._http, clone.base_url, clone.upload_folder, self.media.cache)
        return clone

    def _url(self, path: str) -> str:
        return self.base_url + path

    # ------------------------------------------------------------ submitting
    def prepare(
        self,
        movie: Movie | Mapping[str, Any],
        *,
        validate: bool = True,
        submission_key: str | None = None,
    ) -> Submission:
        """Compile (and validate) ``movie`` and tag it with a unique submission key.

        The key goes into a copy's ``client-data`` under ``moviekit-submission``;
        the user's object is never changed.
        """
        payload = _compile(movie, validate)
        key = submission_key or uuid.uuid4().hex
        client_data = payload.get("client-data")
        client_data = dict(client_data) if isinstance(client_data, Mapping) else {}
        client_data[SUBMISSION_KEY_FIELD] = key
        payload["client-data"] = client_data
        return Submission(payload=payload, key=key, source=movie)

    def submit(
        self,
        movie: Movie | Mapping[str, Any],
        *,
        validate: bool = True,
        submission_key: str | None = None,
        upload_local_files: bool = True,
    ) -> Job:
        """Validate, upload local ``src`` files, POST the movie; return its :class:`Job`.

        Never creates two projects for one call (see the module docstring).
        """
        submission = self.prepare(movie, validate=validate, submission_key=submission_key)
        if upload_local_files:
            submission.payload = self.media.upload_local_sources(submission.payload)
        return self.submit_prepared(submission)

    def submit_prepared(self, submission: Submission) -> Job:
        """POST a prepared submission; reconcile through its key when the outcome is unknown."""

        def created(reading: Reading) -> Job:
            result = parse(SubmitResult, self._http.read_json(reading), what="submit answer")
            logger.info("submitted project %s", result.project)
            return Job(
                self, result.project, source=submission.source, submission_key=submission.key
            )

        def reconcile(failure: APIError) -> Job | None:
            return self._reconcile_after(submission, failure)

        request = Request("POST", self._url("/movies"), json_body=submission.payload)
        return self._http.call(request, created, resend_safe=False, reconcile=reconcile)

    def _reconcile_after(self, submission: Submission, failure: APIError) -> Job | None:
        lookups = 2  # a second look covers a project listed only after our first list
        for attempt in range(lookups):
            try:
                job = self.reconcile(submission.key, source=submission.source)
            except APIError as exc:
                raise SubmitUncertainError(
                    f"the submit failed ({type(failure).__name__}: {failure.message}) and the "
                    f"movie list could not be read to check whether it was created "
                    f"({type(exc).__name__})",
                    submission_key=submission.key,
                    status_code=failure.status_code,
                ) from exc
            if job is not None:
                logger.info(
                    "submit %s was created after all: project %s", submission.key, job.project_id
                )
                return job
            if attempt + 1 < lookups:
                self.sleep(backoff_delay(attempt, self.retry_policy, random_fn=self._random))
        logger.info("submit %s was not created (%s)", submission.key, type(failure).__name__)
        return None

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
        since = since or datetime.now(timezone.utc) - timedelta(days=2)
        for movie in self.list_movies(since=since, max_pages=RECONCILE_PAGES):
            data = movie.client_data or {}
            if data.get(SUBMISSION_KEY_FIELD) == submission_key:
                return Job(self, movie.project, source=source, submission_key=submission_key)
        return None

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
    ) -> Render:
        """Submit and wait: the whole round trip. See :meth:`submit` and :meth:`Job.wait`."""
        return self.submit(movie, validate=validate).wait(timeout=timeout, on_progress=on_progress)

    # ------------------------------------------------------------ reading
    def get(
        self,
        project_id: str,
        *,
        retries: bool = True,
        simple: bool = True,
        deadline: float | None = None,
    ) -> MovieStatus:
        """The status of a project by id (no :class:`Job` needed).

        ``retries=False`` makes exactly one attempt (pollers count failures
        themselves); ``simple=False`` also returns the submitted JSON;
        ``deadline`` caps the seconds each attempt may take.
        """
        params: dict[str, str | int] = {"project": project_id}
        if simple:
            params["format"] = "simple"

        def status(reading: Reading) -> MovieStatus:
            body = self._http.read_json(reading)
            movie = body.get("movie")
            if not isinstance(movie, dict):
                raise MalformedResponseError(
                    "the status answer has no 'movie' object", project_id=project_id
                )
            movie = {**movie, "remaining_quota": body.get("remaining_quota")}
            movie.setdefault("project", project_id)
            return parse(MovieStatus, movie, what="movie status", project_id=project_id)

        request = Request("GET", self._url("/movies"), params=params, project_id=project_id)
        return self._http.call(request, status, retries=retries, budget=deadline)

    def delete(self, project_id: str) -> DeleteResult:
        """Delete a project's video file (the history row stays; idempotent)."""
        request = Request(
            "DELETE", self._url("/movies"), params={"project": project_id}, project_id=project_id
        )
        return self._http.call_model(request, DeleteResult, what="delete answer")

    def list_movies_page(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
        next_token: str | None = None,
    ) -> MoviePage:
        """One page of the movie list (newest first). See :meth:`list_movies`."""
        params: dict[str, str | int] = {"limit": limit}
        if since is not None:
            params["from"] = _iso(since)
        if until is not None:
            params["to"] = _iso(until)
        if next_token:
            params["next_token"] = next_token
        request = Request("GET", self._url("/movies"), params=params)
        return self._http.call_model(request, MoviePage, what="movie list")

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
        token: str | None = None
        seen: set[str] = set()
        for _ in range(max_pages):
            page = self.list_movies_page(
                since=since, until=until, limit=page_size, next_token=token
            )
            yield from page.movies
            if not page.has_next:
                return
            if not page.next_token or page.next_token in seen:
                raise MalformedResponseError(
                    "the movie list says it has more pages but gives "
                    + ("no next_token" if not page.next_token else "a next_token it gave before")
                    + "; stopped following it"
                )
            seen.add(page.next_token)
            token = page.next_token
        raise MalformedResponseError(
            f"the movie list did not end after {max_pages} pages; stopped following it "
            "(narrow the window with since= and until=)"
        )

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
        return download_file(
            self._http, url, Path(path), on_progress=on_progress, project_id=project_id
        )
