"""``moviekit.Client``: submit, poll, wait, download — and never render twice.

Layering (after httpx): the client holds the rules (defaults, retries,
reconciling, polling); a ``requests.Session`` does the I/O and can be
injected. Sleep, clock and jitter are injected too, so the rules are tested
in milliseconds against ``moviekit.testing.FakeJSON2Video``.

Why submits are special: ``POST /v2/movies`` is not idempotent (each call is a
new, billed project). It is retried only when the request provably never left
(connection refused / connect timeout). When the outcome is unknown (read
timeout, reset after sending, 5xx, unreadable answer), the client looks for
its own unique key in ``client-data`` in the movie list, and resubmits only
when that lookup proves the project was not created.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import random
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter

from moviekit._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ClientConfigError,
    MalformedResponseError,
    MovieValidationError,
    RateLimitError,
    RenderFailedError,
    ServerError,
    SubmitUncertainError,
    WaitTimeoutError,
    error_from_response,
    path_from_message,
)
from moviekit._version import __version__
from moviekit.transport._models import DeleteResult, MoviePage, MovieStatus, SubmitResult
from moviekit.transport._polling import PollPolicy, RetryPolicy, backoff_delay

__all__ = ["DEFAULT_BASE_URL", "SUBMISSION_KEY_FIELD", "Client", "Job", "Render", "Submission"]

DEFAULT_BASE_URL = "https://api.json2video.com/v2"
#: pooled connections per host on a session the client makes (requests' default is 10)
_DEFAULT_CONNECTIONS = 16
API_KEY_ENV = "JSON2VIDEO_API_KEY"
#: The ``client-data`` entry that carries a submission's unique key.
SUBMISSION_KEY_FIELD = "moviekit-submission"

logger = logging.getLogger("moviekit")
_M = TypeVar("_M", bound=BaseModel)

ProgressCallback = Callable[[MovieStatus], None]
DownloadProgress = Callable[[int, "int | None"], None]
_LOOPBACK_NAMES = {"localhost"}


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _provably_unsent(exc: BaseException) -> bool:
    """True when the request cannot have reached the server (refused, DNS, connect timeout)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    from urllib3.exceptions import NewConnectionError

    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if id(item) in seen or item is None:
            continue
        seen.add(id(item))
        if isinstance(item, NewConnectionError):
            return True
        if isinstance(item, BaseException):
            todo.extend(
                [item.__cause__, item.__context__, getattr(item, "reason", None), *item.args]
            )
    return False


def _compile(movie: object, validate: bool) -> dict[str, Any]:
    """The JSON document to send, as a fresh dict the caller can change freely."""
    if isinstance(movie, Mapping):
        document: Any = dict(movie)
        if validate:
            from moviekit.validation._validate import (
                validate as run_validation,  # lazy: see contract
            )

            report = run_validation(document)
            if not report.ok:
                raise MovieValidationError(report)
    elif hasattr(movie, "to_dict"):
        document = movie.to_dict(validate=validate)
    else:
        raise TypeError(f"submit() expects a Movie or a dict, got {type(movie).__name__}")
    try:
        # A JSON round trip is the deep copy that also proves the body serialises.
        fresh = json.loads(json.dumps(document))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"the movie is not JSON-serialisable: {exc}") from None
    if not isinstance(fresh, dict):
        raise TypeError("the movie must compile to a JSON object")
    return fresh


@dataclass
class Submission:
    """A movie ready to POST: the exact body and its unique submission key.

    Build with :meth:`Client.prepare`; a batch runner records ``key`` (and a
    hash of ``payload``) before calling :meth:`Client.submit_prepared`, so an
    interrupted run can :meth:`Client.reconcile` instead of resubmitting.
    """

    payload: dict[str, Any]
    key: str
    source: object = None


@dataclass(frozen=True)
class Render:
    """A finished render: its final status and the way to fetch the file."""

    status: MovieStatus
    client: Client = field(repr=False)

    @property
    def project_id(self) -> str:
        """The 16-character project id."""
        return self.status.project

    @property
    def url(self) -> str:
        """The MP4 URL (files expire after 7 days on the service)."""
        if not self.status.url:
            raise MalformedResponseError(
                "the finished movie has no url", project_id=self.project_id
            )
        return self.status.url

    def download(
        self, path: str | os.PathLike[str], on_progress: DownloadProgress | None = None
    ) -> Path:
        """Stream the MP4 to ``path`` (a file, or a directory to put ``<project>.mp4`` in)."""
        target = Path(path)
        if target.is_dir():
            target = target / f"{self.project_id}.mp4"
        return self.client.download(
            self.url, target, on_progress=on_progress, project_id=self.project_id
        )


class Job:
    """A submitted project. ``status()`` reads it, ``wait()`` follows it to the end."""

    def __init__(
        self,
        client: Client,
        project_id: str,
        *,
        source: object = None,
        submission_key: str | None = None,
    ) -> None:
        self.client = client
        self.project_id = project_id
        self.source = source
        self.submission_key = submission_key

    def __repr__(self) -> str:
        return f"Job(project_id={self.project_id!r})"

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

        Cadence: a first check at once, then 5, 8, 11, 17, 25 s and every 30 s.
        Up to ``max_failed_checks`` failed checks in a row (connection, 5xx,
        429, unreadable answers) are tolerated; any other 4xx stops at once.

        Raises :class:`RenderFailedError` when the job ends in ``error`` or
        ``timeout`` and :class:`WaitTimeoutError` when ``timeout`` seconds
        (default: the policy's 10 minutes) pass; the job keeps running then
        and ``wait()`` can be called again.
        """
        client = self.client
        policy = poll_policy or client.poll_policy
        deadline = policy.deadline if timeout is None else timeout
        start = client._clock()
        checks = failures = 0
        last: MovieStatus | None = None
        while True:
            retry_after: float | None = None
            try:
                current = client.get(self.project_id, retries=False)
            except (APIConnectionError, MalformedResponseError, ServerError, RateLimitError) as exc:
                failures += 1
                logger.info(
                    "status check %d of project %s failed (%d in a row): %s",
                    checks + 1,
                    self.project_id,
                    failures,
                    type(exc).__name__,
                )
                if failures > policy.max_failed_checks:
                    raise
                if isinstance(exc, RateLimitError):
                    retry_after = exc.retry_after
            else:
                failures = 0
                last = current
                if on_progress is not None:
                    on_progress(current)
                if current.status == "done":
                    return Render(current, client)
                if current.is_terminal:
                    raise self._failure(current)
            delay = policy.delay(checks)
            checks += 1
            if retry_after is not None:
                delay = max(delay, min(retry_after, client.retry_policy.retry_after_cap))
            remaining = deadline - (client._clock() - start)
            if remaining < min(delay, policy.schedule[0]) or remaining <= 0:
                raise WaitTimeoutError(
                    f"gave up waiting after {deadline:g} s; the last status was "
                    f"{last.status if last else 'unknown'!r}",
                    project_id=self.project_id,
                    last_status=last,
                )
            client._sleep(min(delay, remaining))

    def _failure(self, status: MovieStatus) -> RenderFailedError:
        message = status.message or f"the render ended with status {status.status!r}"
        path = path_from_message(message)
        builder = _builder_at(self.source, path) if path else None
        return RenderFailedError(
            message, path=path, builder=builder, status=status, project_id=self.project_id
        )


def _builder_at(source: object, path: str) -> object | None:
    """The builder at ``scenes[i].elements[j]`` of a moviekit Movie, if there is one."""
    if source is None or isinstance(source, Mapping):
        return None
    import re

    match = re.fullmatch(r"scenes\[(\d+)\]\.elements\[(\d+)\]", path)
    if not match:
        return None
    try:
        scene = source.scenes[int(match[1])]  # type: ignore[attr-defined]
        return scene.elements[int(match[2])]  # type: ignore[no-any-return]
    except (AttributeError, IndexError, TypeError):
        return None


class Client:
    """A JSON2Video API client.

    Args:
        api_key: the key; else ``JSON2VIDEO_API_KEY``. Checked at the first
            request, never shown in any repr, log or message.
        base_url: API base; plain ``http://`` only for loopback hosts.
        session: a ``requests.Session`` to use (pooling, proxies, test transports).
        timeout: seconds (or ``(connect, read)``) for every request.
        retry_policy: retries of idempotent requests (status, list, download, PUT).
        poll_policy: how :meth:`Job.wait` polls; faster than 5 s only for loopback.
        sleep / clock / random_fn: injectable for tests.
        upload_folder: media folder for local files referenced by ``src``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        session: requests.Session | None = None,
        timeout: float | tuple[float, float] = (10.0, 60.0),
        retry_policy: RetryPolicy | None = None,
        poll_policy: PollPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        random_fn: Callable[[], float] = random.random,
        upload_folder: str = "moviekit",
    ) -> None:
        self.__api_key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
        base_url = base_url.rstrip("/")
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
        self.base_url = base_url
        self.timeout = timeout
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
        self._uploaded: dict[str, str] = {}  # sha256 of bytes -> fileUrl, shared by copies
        self._upload_lock = threading.Lock()
        from moviekit.transport._resources import Media, Templates

        self.media = Media(self)
        self.templates = Templates(self)

    # ------------------------------------------------------------ basics
    def __repr__(self) -> str:
        key = "set" if self.__api_key else "missing"
        return f"Client(base_url={self.base_url!r}, api_key=<{key}>)"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ensure_connections(self, count: int) -> None:
        """Keep up to ``count`` pooled connections per host (only on a session this client made).

        requests keeps 10 per host; a batch with more rows in flight would open
        and drop connections. An injected session is left as its owner set it up.
        """
        if not self._owns_session or count <= self._pool_size:
            return
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=count)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        self._pool_size = count

    def close(self) -> None:
        """Close the session if this client created it."""
        if self._owns_session:
            self._session.close()

    def with_options(self, **changes: Any) -> Client:
        """A new client with some settings changed (shares session and upload cache)."""
        settings: dict[str, Any] = {
            "api_key": self.__api_key,
            "base_url": self.base_url,
            "session": self._session,
            "timeout": self.timeout,
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
        clone = Client(**settings)
        clone._owns_session = False
        clone._uploaded = self._uploaded
        clone._upload_lock = self._upload_lock
        return clone

    # ------------------------------------------------------------ transport
    def _url(self, path: str) -> str:
        return self.base_url + path

    def _request(
        self,
        method: str,
        url: str,
        *,
        idempotent: bool,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
        stream: bool = False,
        retries: bool = True,
        project_id: str | None = None,
    ) -> requests.Response:
        """Send one logical request with the retry rules; raise :class:`APIError` on failure.

        Connection failures that provably happened before sending are retried
        for every method; everything else only when ``idempotent``.
        """
        all_headers = {"User-Agent": f"moviekit/{__version__}", "Accept": "application/json"}
        if auth:
            if not self.__api_key:
                raise AuthenticationError(
                    f"no API key: pass Client(api_key=...) or set {API_KEY_ENV}",
                    method=method,
                    url=url,
                    project_id=project_id,
                )
            all_headers["x-api-key"] = self.__api_key
        if headers:
            all_headers.update(headers)
        max_retries = self.retry_policy.max_retries if retries else 0
        shown = _safe_url(url)  # presigned URLs carry credentials in the query
        attempt = 0
        while True:
            retry_after: float | None = None
            try:
                response = self._session.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    data=data,
                    headers=all_headers,
                    timeout=self.timeout,
                    stream=stream,
                    allow_redirects=not auth,
                )
            except requests.exceptions.RequestException as exc:
                unsent = _provably_unsent(exc)
                cls = (
                    APITimeoutError
                    if isinstance(exc, requests.exceptions.Timeout)
                    else (APIConnectionError)
                )
                what = "timed out" if cls is APITimeoutError else "failed"
                error: APIError = cls(
                    f"{method} request {what} {'before it was sent' if unsent else ''}: "
                    f"{type(exc).__name__}".replace("  ", " "),
                    method=method,
                    url=shown,
                    project_id=project_id,
                )
                error.request_sent = not unsent  # type: ignore[attr-defined]
                retryable = unsent or idempotent
                cause: BaseException = exc
            else:
                if response.status_code < 400:
                    return response
                error = self._status_error(response, method, shown or url, project_id)
                retryable = idempotent and (
                    response.status_code == 429 or response.status_code >= 500
                )
                if isinstance(error, RateLimitError):
                    retry_after = error.retry_after
                response.close()
                cause = error
            if not retryable or attempt >= max_retries:
                if cause is error:
                    raise error
                raise error from None  # the requests exception adds nothing but noise
            delay = backoff_delay(
                attempt, self.retry_policy, retry_after=retry_after, random_fn=self._random
            )
            logger.info(
                "%s %s failed (%s); retry %d/%d in %.2f s",
                method,
                shown,
                type(error).__name__,
                attempt + 1,
                max_retries,
                delay,
            )
            self._sleep(delay)
            attempt += 1

    def _status_error(
        self, response: requests.Response, method: str, url: str, project_id: str | None
    ) -> APIStatusError:
        raw = response.text[:2000]
        try:
            body = response.json()
        except ValueError:
            body = None
        return error_from_response(
            response.status_code,
            body if isinstance(body, dict) else None,
            raw=raw,
            headers=response.headers,
            project_id=project_id,
            method=method,
            url=url,
        )

    def _json(
        self, response: requests.Response, *, project_id: str | None = None
    ) -> dict[str, Any]:
        """The decoded body; raise for unreadable JSON or ``success: false``."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise MalformedResponseError(
                "the service answered with a body that is not a JSON object",
                status_code=response.status_code,
                project_id=project_id,
                method=response.request.method,
                url=_safe_url(response.url),
                body=response.text,
            )
        if body.get("success") is False:
            raise error_from_response(
                response.status_code,
                body,
                raw=response.text,
                headers=response.headers,
                project_id=project_id,
                method=response.request.method,
                url=_safe_url(response.url),
            )
        return body

    def _request_json(
        self,
        method: str,
        url: str,
        *,
        idempotent: bool = True,
        retries: bool = True,
        project_id: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """``_request`` + ``_json``; an unreadable answer to an idempotent call is retried."""
        max_retries = self.retry_policy.max_retries if retries and idempotent else 0
        attempt = 0
        while True:
            response = self._request(
                method, url, idempotent=idempotent, retries=retries, project_id=project_id, **kwargs
            )
            try:
                return self._json(response, project_id=project_id)
            except MalformedResponseError:
                if attempt >= max_retries:
                    raise
            delay = backoff_delay(attempt, self.retry_policy, random_fn=self._random)
            logger.info(
                "%s %s: unreadable answer; retry %d/%d in %.2f s",
                method,
                _safe_url(url),
                attempt + 1,
                max_retries,
                delay,
            )
            self._sleep(delay)
            attempt += 1

    def _model(
        self, model: type[_M], data: Any, *, project_id: str | None = None, what: str = ""
    ) -> _M:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise MalformedResponseError(
                f"unexpected shape of {what or model.__name__}: {exc.error_count()} problem(s), "
                f"first: {exc.errors()[0]['loc']} {exc.errors()[0]['msg']}",
                project_id=project_id,
                body=json.dumps(data)[:500],
            ) from None

    # ------------------------------------------------------------ movies
    def prepare(
        self, movie: object, *, validate: bool = True, submission_key: str | None = None
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
        movie: object,
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
        resubmits = 0
        while True:
            failure: APIError
            try:
                response = self._request(
                    "POST", self._url("/movies"), idempotent=False, json_body=submission.payload
                )
                result = self._model(SubmitResult, self._json(response), what="submit answer")
            except (APIConnectionError, ServerError, RateLimitError, MalformedResponseError) as exc:
                failure = exc
            else:
                logger.info("submitted project %s", result.project)
                return Job(
                    self, result.project, source=submission.source, submission_key=submission.key
                )
            job = self._reconcile_after(submission, failure)
            if job is not None:
                return job
            # The lookup proved the project does not exist: resubmitting is safe.
            if resubmits >= self.retry_policy.max_retries:
                raise failure
            delay = backoff_delay(
                resubmits,
                self.retry_policy,
                random_fn=self._random,
                retry_after=getattr(failure, "retry_after", None),
            )
            logger.info(
                "submit %s not created (%s); resubmitting in %.2f s",
                submission.key,
                type(failure).__name__,
                delay,
            )
            self._sleep(delay)
            resubmits += 1

    def _reconcile_after(self, submission: Submission, failure: APIError) -> Job | None:
        lookups = 2  # a second look covers a project written just after our first list
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
                self._sleep(backoff_delay(attempt, self.retry_policy, random_fn=self._random))
        return None

    def reconcile(
        self, submission_key: str, *, source: object = None, since: datetime | None = None
    ) -> Job | None:
        """Find the project created by a submission, by its ``client-data`` key.

        Lists movies created since ``since`` (default: the last 2 days).
        Returns ``None`` when no project carries the key.
        """
        since = since or datetime.now(timezone.utc) - timedelta(days=2)
        for movie in self.list_movies(since=since):
            data = movie.client_data or {}
            if data.get(SUBMISSION_KEY_FIELD) == submission_key:
                return Job(self, movie.project, source=source, submission_key=submission_key)
        return None

    def job(self, project_id: str, *, source: object = None) -> Job:
        """A handle on an existing project (to resume waiting, or to download)."""
        return Job(self, project_id, source=source)

    def render(
        self,
        movie: object,
        *,
        validate: bool = True,
        timeout: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Render:
        """Submit and wait: the whole round trip. See :meth:`submit` and :meth:`Job.wait`."""
        return self.submit(movie, validate=validate).wait(timeout=timeout, on_progress=on_progress)

    def get(self, project_id: str, *, retries: bool = True, simple: bool = True) -> MovieStatus:
        """The status of a project by id (no :class:`Job` needed).

        ``retries=False`` makes exactly one attempt (pollers count failures
        themselves); ``simple=False`` also returns the submitted JSON.
        """
        params = {"project": project_id}
        if simple:
            params["format"] = "simple"
        body = self._request_json(
            "GET", self._url("/movies"), params=params, retries=retries, project_id=project_id
        )
        movie = body.get("movie")
        if not isinstance(movie, dict):
            raise MalformedResponseError(
                "the status answer has no 'movie' object",
                project_id=project_id,
                body=json.dumps(body),
            )
        movie = {**movie, "remaining_quota": body.get("remaining_quota")}
        movie.setdefault("project", project_id)
        return self._model(MovieStatus, movie, project_id=project_id, what="movie status")

    def delete(self, project_id: str) -> DeleteResult:
        """Delete a project's video file (the history row stays; idempotent)."""
        body = self._request_json(
            "DELETE", self._url("/movies"), params={"project": project_id}, project_id=project_id
        )
        return self._model(DeleteResult, body, project_id=project_id)

    def list_movies_page(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
        next_token: str | None = None,
    ) -> MoviePage:
        """One page of the movie list (newest first). See :meth:`list_movies`."""
        params: dict[str, Any] = {"limit": limit}
        if since is not None:
            params["from"] = _iso(since)
        if until is not None:
            params["to"] = _iso(until)
        if next_token:
            params["next_token"] = next_token
        body = self._request_json("GET", self._url("/movies"), params=params)
        return self._model(MoviePage, body, what="movie list")

    def list_movies(
        self, *, since: datetime | None = None, until: datetime | None = None, page_size: int = 100
    ) -> Iterator[MovieStatus]:
        """Every movie in the window (default: this month), following ``next_token``."""
        token: str | None = None
        while True:
            page = self.list_movies_page(
                since=since, until=until, limit=page_size, next_token=token
            )
            yield from page.movies
            if not page.has_next or not page.next_token:
                return
            token = page.next_token

    # ------------------------------------------------------------ download
    def download(
        self,
        url: str,
        path: str | os.PathLike[str],
        *,
        on_progress: DownloadProgress | None = None,
        project_id: str | None = None,
        chunk_size: int = 64 * 1024,
    ) -> Path:
        """Stream ``url`` to ``path`` through a temporary file renamed into place.

        A failed or interrupted download leaves no partial file behind. The
        API key is not sent (the file lives on a CDN). Retried like a status check.
        """
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        attempt = 0
        while True:
            response = self._request(
                "GET",
                url,
                idempotent=True,
                auth=False,
                stream=True,
                project_id=project_id,
                headers={"Accept": "*/*"},
            )
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".part", dir=target.parent
            )
            try:
                total = int(response.headers.get("Content-Length", "0")) or None
                done = 0
                with os.fdopen(fd, "wb") as out:
                    for chunk in response.iter_content(chunk_size):
                        out.write(chunk)
                        done += len(chunk)
                        if on_progress is not None:
                            on_progress(done, total)
                if total is not None and done != total:
                    raise APIConnectionError(
                        f"download ended after {done} of {total} bytes",
                        method="GET",
                        url=_safe_url(url),
                        project_id=project_id,
                    )
                os.replace(tmp_name, target)
                return target
            except (requests.exceptions.RequestException, APIConnectionError) as exc:
                os.unlink(tmp_name)
                if attempt >= self.retry_policy.max_retries:
                    if isinstance(exc, APIError):
                        raise
                    raise APIConnectionError(
                        f"download interrupted: {type(exc).__name__}",
                        method="GET",
                        url=_safe_url(url),
                        project_id=project_id,
                    ) from None
                self._sleep(backoff_delay(attempt, self.retry_policy, random_fn=self._random))
                attempt += 1
            except BaseException:
                os.unlink(tmp_name)
                raise
            finally:
                response.close()


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _safe_url(url: str | None) -> str | None:
    """The URL without its query string (presigned URLs carry credentials there)."""
    if url is None:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
