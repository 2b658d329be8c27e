"""The one place a request is sent, read, retried and counted (after httpx's single ``send``).

:meth:`HTTP.call` sends a :class:`Request`, reads its answer with a reader the
caller gives (JSON for the API, a file for a download), and applies the one
retry rule of :func:`moviekit.transport._polling.retry_decision`: one budget of
attempts per call, whatever went wrong. A request that is not safe to send
twice (a submit, a media ticket) passes a ``reconcile`` function that looks
for its effect instead of resending blindly.

Every attempt has a **deadline** for the whole exchange (connect, send, the
last byte of the body), not only per socket read: a watchdog thread shuts the
socket of an attempt that outlives it, so a server trickling one byte a second
cannot hold the caller. Answers are **bounded**: JSON bodies by
``max_bytes``, error bodies by :data:`ERROR_BODY_LIMIT`. The API key travels
only in the ``x-api-key`` header of API requests (never to a file host, never
through a redirect), and is redacted from every answer before it is parsed;
presigned upload URLs are redacted from urllib3's debug log.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.client import HTTPException
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from pydantic import BaseModel
from urllib3.exceptions import HTTPError as URLLib3Error
from urllib3.exceptions import NewConnectionError

from moviekit._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    MalformedResponseError,
)
from moviekit._version import __version__
from moviekit.transport._classify import (
    REDACTED,
    clean_text,
    error_from_response,
    parse_retry_after,
)
from moviekit.transport._deadline import Deadline, hiding_url, within
from moviekit.transport._models import parse
from moviekit.transport._polling import Failure, RetryDecision, RetryPolicy, retry_decision

__all__ = [
    "ERROR_BODY_LIMIT",
    "HTTP",
    "JSONObject",
    "Request",
    "Secret",
    "safe_url",
]

logger = logging.getLogger("moviekit")
_T = TypeVar("_T")
_M = TypeVar("_M", bound=BaseModel)

#: A decoded JSON object as the service sends it.
JSONObject = dict[str, Any]
#: Bytes of an error answer read to find its message; the rest is not read.
ERROR_BODY_LIMIT = 64 * 1024
_CHUNK = 64 * 1024
_TRANSPORT_ERRORS = (requests.exceptions.RequestException, URLLib3Error, OSError)
#: Failures of the transfer itself while a body is read (http.client raises a bare
#: ValueError for a garbled chunk size).
_READ_ERRORS = (*_TRANSPORT_ERRORS, HTTPException, ValueError)
_UNFOLLOWABLE = (
    requests.exceptions.TooManyRedirects,
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
)


class Secret:
    """A value (the API key) that no repr, ``vars()`` or log shows."""

    __slots__ = ("_value",)

    def __init__(self, value: str | None) -> None:
        self._value = value or None

    def reveal(self) -> str | None:
        """The value itself, for the one header that carries it."""
        return self._value

    def __bool__(self) -> bool:
        return self._value is not None

    def __repr__(self) -> str:
        return "<secret>" if self._value else "<missing>"

    def __reduce__(self) -> tuple[Any, ...]:
        raise TypeError("a moviekit Secret cannot be pickled")


def safe_url(url: str | None, *, keep_path: bool = True) -> str | None:
    """``url`` without its query string (presigned URLs carry credentials there)."""
    if url is None:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path if keep_path else '/…'}"


@dataclass(frozen=True)
class Request:
    """One logical request. ``auth=False`` for a file host (CDN, presigned storage URL).

    ``secret_url``: the URL itself is a credential (a presigned upload URL); it
    is shown as ``scheme://host/…`` and redacted from urllib3's debug log.
    """

    method: str
    url: str
    params: Mapping[str, str | int] | None = None
    json_body: object = None
    data: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    auth: bool = True
    project_id: str | None = None
    secret_url: bool = False

    @property
    def shown_url(self) -> str | None:
        """The URL as messages and logs show it."""
        return safe_url(self.url, keep_path=not self.secret_url)


class AttemptFailed(Exception):
    """One attempt failed: the error to raise, what kind of failure, and a Retry-After."""

    def __init__(self, error: APIError, failure: Failure, retry_after: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.failure = failure
        self.retry_after = retry_after


# ----------------------------------------------------------------- sending


def provably_unsent(exc: BaseException) -> bool:
    """True when the request cannot have reached the server (refused, DNS, connect timeout)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
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


@dataclass
class Reading:
    """What a reader gets: the response, the attempt's deadline, and the request."""

    response: requests.Response
    deadline: Deadline
    request: Request
    secrets: tuple[str, ...]

    def chunks(self, limit: int, *, what: str = "answer") -> Iterator[bytes]:
        """The body as it arrives (decoded), checked against the deadline and ``limit`` bytes."""
        raw = self.response.raw
        total = 0
        while True:
            if self.deadline.expired:
                raise self.timed_out()
            try:
                chunk = raw.read1(_CHUNK, decode_content=True)
            except _READ_ERRORS as exc:
                if self.deadline.expired:
                    raise self.timed_out() from None
                cut = f"the {what} broke off while it was read ({type(exc).__name__})"
                raise self.failed(APIConnectionError, cut, Failure.LOST) from None
            if not chunk:
                return
            total += len(chunk)
            if total > limit:
                big = f"the {what} is larger than {limit:,} bytes; moviekit stopped reading it"
                raise self.failed(MalformedResponseError, big, Failure.REFUSED)
            yield chunk

    def failed(
        self, cls: type[APIError], message: str, failure: Failure, *, body: str | None = None
    ) -> AttemptFailed:
        """An attempt's failure about this answer: ``cls(message)`` with the request's details."""
        status = self.response.status_code
        return _failure(self.request, cls, message, failure, status_code=status, body=body)

    def body(self, limit: int, *, what: str = "answer") -> bytes:
        """The whole body (at most ``limit`` bytes), with the API key redacted."""
        data = bytearray()
        for chunk in self.chunks(limit, what=what):
            data += chunk
        for secret in self.secrets:
            if len(secret) >= 8 and secret.encode() in data:
                data = data.replace(secret.encode(), REDACTED.encode())
        return bytes(data)

    def timed_out(self) -> AttemptFailed:
        """The failure of an attempt whose deadline passed."""
        return _timed_out(self.request, self.deadline)


def _failure(
    request: Request, cls: type[APIError], message: str, failure: Failure, **details: Any
) -> AttemptFailed:
    error = cls(
        message,
        method=request.method,
        url=request.shown_url,
        project_id=request.project_id,
        **details,
    )
    return AttemptFailed(error, failure)


def _timed_out(request: Request, deadline: Deadline) -> AttemptFailed:
    message = (
        f"{request.method} did not complete within its {deadline.seconds:g} s "
        "deadline (connect, send and the whole answer)"
    )
    return _failure(request, APITimeoutError, message, Failure.LOST)


Reader = Callable[[Reading], _T]
Reconcile = Callable[[APIError], _T | None]


class HTTP:
    """Sends requests for a :class:`~moviekit.Client`: headers, deadlines, bounds, retries."""

    def __init__(
        self,
        *,
        api_key: Secret,
        session: requests.Session,
        timeout: float | tuple[float, float],
        deadline: float,
        file_deadline: float,
        retry_policy: RetryPolicy,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        random_fn: Callable[[], float],
        max_response_bytes: int,
    ) -> None:
        self.api_key = api_key
        self.session = session
        self.timeout = timeout
        self.deadline = deadline
        self.file_deadline = file_deadline
        self.retry_policy = retry_policy
        self.sleep = sleep
        self.clock = clock
        self.random_fn = random_fn
        self.max_response_bytes = max_response_bytes

    def __repr__(self) -> str:
        return f"HTTP(api_key={self.api_key!r})"

    @property
    def secrets(self) -> tuple[str, ...]:
        key = self.api_key.reveal()
        return (key,) if key else ()

    # ------------------------------------------------------------ the one loop
    def call(
        self,
        request: Request,
        read: Reader[_T],
        *,
        resend_safe: bool = True,
        reconcile: Reconcile[_T] | None = None,
        retries: bool = True,
        budget: float | None = None,
    ) -> _T:
        """Send ``request`` and ``read`` its answer, retrying by the one rule.

        At most ``retry_policy.max_retries + 1`` attempts (one with
        ``retries=False``). When a request that is not ``resend_safe`` may have
        taken effect, ``reconcile(error)`` looks for that effect: it returns the
        result, or ``None`` when it proved there was none (then resending is safe).
        ``budget`` caps each attempt's deadline (seconds), e.g. a wait's time left.
        """
        policy = self.retry_policy if retries else RetryPolicy(max_retries=0)
        retries_done = 0
        while True:
            try:
                return self._attempt(request, read, budget)
            except AttemptFailed as failed:
                error = failed.error
                decision = self._decide(policy, retries_done, failed, resend_safe)
                if decision.action == "reconcile":
                    assert reconcile is not None, f"{request.method} needs a reconcile function"
                    found = reconcile(error)
                    if found is not None:
                        return found
                    # Proven absent: resending is safe now.
                    decision = self._decide(policy, retries_done, failed, True)
                if decision.action != "retry":
                    raise error from None
            logger.info(
                "%s %s failed (%s); retry %d/%d in %.2f s",
                request.method,
                request.shown_url,
                type(error).__name__,
                retries_done + 1,
                policy.max_retries,
                decision.delay,
            )
            self.sleep(decision.delay)
            retries_done += 1

    def _decide(
        self, policy: RetryPolicy, retries_done: int, failed: AttemptFailed, resend_safe: bool
    ) -> RetryDecision:
        return retry_decision(
            policy,
            retries_done,
            failed.failure,
            resend_safe=resend_safe,
            retry_after=failed.retry_after,
            jitter=self.random_fn(),
        )

    def call_json(self, request: Request) -> JSONObject:
        """:meth:`call` with the API's reader: a JSON object, ``success: false`` raised."""
        return self.call(request, self.read_json)

    def call_model(
        self,
        request: Request,
        model: type[_M],
        *,
        key: str | None = None,
        what: str = "",
    ) -> _M:
        """:meth:`call` reading the answer (or its ``key`` entry) as ``model``.

        A wrong shape counts as an unreadable answer: retried like one.
        """

        def read(reading: Reading) -> _M:
            body = self.read_json(reading)
            data = body.get(key) if key is not None else body
            return parse(model, data, what=what, project_id=request.project_id)

        return self.call(request, read)

    # ------------------------------------------------------------ one attempt
    def _headers(self, request: Request) -> dict[str, str]:
        headers = {"User-Agent": f"moviekit/{__version__}", "Accept": "application/json"}
        if request.auth:
            key = self.api_key.reveal()
            if key is None:
                raise AuthenticationError(
                    "no API key: pass Client(api_key=...) or set JSON2VIDEO_API_KEY",
                    method=request.method,
                    url=request.shown_url,
                    project_id=request.project_id,
                )
            headers["x-api-key"] = key
        headers.update(request.headers)
        return headers

    def _attempt(self, request: Request, read: Reader[_T], budget: float | None) -> _T:
        headers = self._headers(request)
        seconds = self.deadline if request.auth else self.file_deadline
        if budget is not None:
            seconds = max(0.001, min(seconds, budget))
        hide = hiding_url(request.url) if request.secret_url else _nothing()
        with hide, within(seconds) as deadline:
            try:
                response = self.session.request(
                    request.method,
                    request.url,
                    params=request.params,
                    json=request.json_body,
                    data=request.data,
                    headers=headers,
                    timeout=self.timeout,
                    stream=True,
                    # The key is a custom header: requests would carry it through a
                    # redirect to any host. API answers are never followed.
                    allow_redirects=not request.auth,
                )
            except _TRANSPORT_ERRORS as exc:
                raise self._lost(request, exc, deadline) from None
            reading = Reading(response, deadline, request, self.secrets)
            try:
                if response.status_code >= 400:
                    raise self._status_failure(reading)
                if request.auth and response.status_code >= 300:
                    where = safe_url(response.headers.get("Location"), keep_path=False)
                    redirect = (
                        f"the service answered a redirect (HTTP {response.status_code} to "
                        f"{where}); moviekit never follows one with the API key: check base_url"
                    )
                    raise reading.failed(MalformedResponseError, redirect, Failure.REFUSED)
                return read(reading)
            except MalformedResponseError as exc:
                # A reader found the answer unreadable (not the shape it needs).
                raise AttemptFailed(exc, Failure.UNREADABLE) from None
            except _TRANSPORT_ERRORS as exc:
                raise self._lost(request, exc, deadline) from None
            finally:
                response.close()

    def _lost(self, request: Request, exc: BaseException, deadline: Deadline) -> AttemptFailed:
        if deadline.expired:
            return _timed_out(request, deadline)
        if isinstance(exc, _UNFOLLOWABLE):
            # Another attempt would be sent the same way: a broken redirect chain.
            message = (
                f"{request.method} could not follow the answer ({type(exc).__name__}: "
                "a redirect loop or a redirect to something that is not an http(s) URL)"
            )
            return _failure(request, MalformedResponseError, message, Failure.REFUSED)
        unsent = provably_unsent(exc)
        timed_out = isinstance(exc, (requests.exceptions.Timeout, TimeoutError, socket.timeout))
        cls = APITimeoutError if timed_out else APIConnectionError
        what = "timed out" if timed_out else "failed"
        sent = " before it was sent" if unsent else ""
        message = f"{request.method} request {what}{sent}: {type(exc).__name__}"
        return _failure(request, cls, message, Failure.UNSENT if unsent else Failure.LOST)

    def _status_failure(self, reading: Reading) -> AttemptFailed:
        response, request = reading.response, reading.request
        # Only the start of an error answer is read: its message is all we need.
        raw_bytes = b""
        for chunk in reading.chunks(ERROR_BODY_LIMIT + _CHUNK, what="error answer"):
            raw_bytes += chunk
            if len(raw_bytes) >= ERROR_BODY_LIMIT:
                break
        raw = raw_bytes[:ERROR_BODY_LIMIT].decode("utf-8", "replace")
        body = _json_object(raw)
        error = error_from_response(
            response.status_code,
            body,
            raw=raw,
            headers=response.headers,
            project_id=request.project_id,
            method=request.method,
            url=request.shown_url,
            secrets=self.secrets,
            file_host=not request.auth,
        )
        status = response.status_code
        if status == 429 or status >= 500:
            # A 503 may say when to come back, as a 429 does.
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            return AttemptFailed(error, Failure.BUSY, retry_after)
        return AttemptFailed(error, Failure.REFUSED)

    # ------------------------------------------------------------ readers
    def read_json(self, reading: Reading) -> JSONObject:
        """The API's answer as a JSON object; ``success: false`` raises its error."""
        data = reading.body(self.max_response_bytes)
        request, response = reading.request, reading.response
        body = _json_object(data)
        if body is None:
            raise reading.failed(
                MalformedResponseError,
                "the service answered with a body that is not a JSON object",
                Failure.UNREADABLE,
                body=clean_text(data[:500].decode("utf-8", "replace")),
            )
        if body.get("success") is False:
            raise AttemptFailed(
                error_from_response(
                    response.status_code,
                    body,
                    raw=data[:500].decode("utf-8", "replace"),
                    headers=response.headers,
                    project_id=request.project_id,
                    method=request.method,
                    url=request.shown_url,
                    secrets=self.secrets,
                ),
                Failure.REFUSED,
            )
        return body


def _json_object(data: bytes | str) -> JSONObject | None:
    """``data`` decoded as a JSON object, or None (not JSON, not an object, too deep)."""
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


@contextmanager
def _nothing() -> Iterator[None]:
    yield
