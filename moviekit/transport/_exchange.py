"""One HTTP exchange, without the I/O: the request, what its answer may be, how it is read.

Both transports (:mod:`moviekit.transport._http` with requests for ``Client``,
:mod:`moviekit.transport._ahttp` with httpx2 for ``AsyncClient``) send a
:class:`Request`, hand the answer's status and headers to :func:`reader_for`
and push the body's chunks into the :class:`Reader` it returns. Everything
that decides something about an answer lives here, once:

- an error status is read only up to :data:`ERROR_BODY_LIMIT` and classified
  (:class:`ErrorReader`); a redirect from the API is refused, never followed
  with the key (:func:`reader_for`);
- a JSON answer is read up to a cap, the API key redacted from it before it
  is parsed, ``success: false`` raised as its error (:class:`JSONReader`);
- every failure of an attempt is an :class:`AttemptFailed`: the
  :class:`~moviekit.APIError` to raise and the kind of failure the one retry
  rule (:func:`~moviekit.transport._polling.retry_decision`) decides on.

It also holds what secrets need: :class:`Secret` (a key no repr shows),
:func:`safe_url` (a URL without its query) and :func:`hiding_url` (a
presigned URL redacted from urllib3's and httpx2's request logs).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, NoReturn, Protocol, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel

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
from moviekit.transport._models import parse
from moviekit.transport._polling import Failure

__all__ = [
    "ERROR_BODY_LIMIT",
    "Answer",
    "AttemptFailed",
    "ErrorReader",
    "JSONObject",
    "JSONReader",
    "Reader",
    "ReaderFactory",
    "Request",
    "Secret",
    "attempt_seconds",
    "broke_off",
    "drain",
    "failure",
    "hiding_url",
    "json_reader",
    "model_reader",
    "reader_for",
    "request_headers",
    "safe_url",
    "text_reader",
    "timed_out",
    "unfollowable",
]

#: A decoded JSON object as the service sends it.
JSONObject = dict[str, Any]
#: Bytes of an error answer read to find its message; the rest is not read.
ERROR_BODY_LIMIT = 64 * 1024
_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)
_M = TypeVar("_M", bound=BaseModel)


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

    @property
    def redacted(self) -> tuple[str, ...]:
        """The values to redact from what the service says (none when no key is set)."""
        return (self._value,) if self._value else ()

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
    is shown as ``scheme://host/…`` and redacted from the HTTP libraries' logs.
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


def request_headers(request: Request, api_key: Secret) -> dict[str, str]:
    """The headers of ``request``; the API key only for the API (``request.auth``)."""
    headers = {"User-Agent": f"moviekit/{__version__}", "Accept": "application/json"}
    if request.auth:
        key = api_key.reveal()
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


def attempt_seconds(
    request: Request, api_deadline: float, file_deadline: float, budget: float | None
) -> float:
    """The deadline of one attempt: the API's or the file host's, capped by ``budget``."""
    seconds = api_deadline if request.auth else file_deadline
    if budget is not None:
        seconds = max(0.001, min(seconds, budget))
    return seconds


# ----------------------------------------------------------------- failures


class AttemptFailed(Exception):
    """One attempt failed: the error to raise, what kind of failure, and a Retry-After."""

    def __init__(self, error: APIError, failure: Failure, retry_after: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.failure = failure
        self.retry_after = retry_after


def failure(
    request: Request, cls: type[APIError], message: str, kind: Failure, **details: Any
) -> AttemptFailed:
    """An attempt's failure: ``cls(message)`` with the request's method, URL and project."""
    error = cls(
        message,
        method=request.method,
        url=request.shown_url,
        project_id=request.project_id,
        **details,
    )
    return AttemptFailed(error, kind)


def timed_out(request: Request, seconds: float) -> AttemptFailed:
    """The failure of an attempt whose whole-exchange deadline passed."""
    message = (
        f"{request.method} did not complete within its {seconds:g} s "
        "deadline (connect, send and the whole answer)"
    )
    return failure(request, APITimeoutError, message, Failure.LOST)


def broke_off(request: Request, what: str, exc: BaseException, status: int) -> AttemptFailed:
    """The failure of an attempt whose answer was cut while it was read."""
    message = f"the {what} broke off while it was read ({type(exc).__name__})"
    return failure(request, APIConnectionError, message, Failure.LOST, status_code=status)


def unfollowable(request: Request, exc: BaseException) -> AttemptFailed:
    """A redirect chain that another attempt would follow the same way (a loop, a bad scheme)."""
    message = (
        f"{request.method} could not follow the answer ({type(exc).__name__}: "
        "a redirect loop or a redirect to something that is not an http(s) URL)"
    )
    return failure(request, MalformedResponseError, message, Failure.REFUSED)


def lost(request: Request, exc: BaseException, *, unsent: bool, timeout: bool) -> AttemptFailed:
    """No usable answer: the request never left (``unsent``), or it may have arrived."""
    cls = APITimeoutError if timeout else APIConnectionError
    what = "timed out" if timeout else "failed"
    sent = " before it was sent" if unsent else ""
    message = f"{request.method} request {what}{sent}: {type(exc).__name__}"
    return failure(request, cls, message, Failure.UNSENT if unsent else Failure.LOST)


# ----------------------------------------------------------------- reading answers


@dataclass(frozen=True)
class Answer:
    """The head of an answer: its status and headers (lower-case names), and what read it."""

    request: Request
    status: int
    headers: Mapping[str, str]
    secrets: tuple[str, ...]
    max_bytes: int
    """The transport's cap for an API answer (``Client(max_response_bytes=...)``)."""

    @classmethod
    def of(
        cls,
        request: Request,
        status: int,
        headers: Iterable[tuple[str, str]],
        api_key: Secret,
        max_bytes: int,
    ) -> Answer:
        """The head of an answer as a transport received it (header names made lower-case)."""
        return cls(request, status, {k.lower(): v for k, v in headers}, api_key.redacted, max_bytes)

    def failed(
        self, cls: type[APIError], message: str, kind: Failure, *, body: str | None = None
    ) -> AttemptFailed:
        """A failure about this answer: ``cls(message)`` with the request's details."""
        return failure(self.request, cls, message, kind, status_code=self.status, body=body)

    def too_large(self, limit: int, what: str) -> AttemptFailed:
        """The failure of an answer longer than ``limit`` bytes."""
        big = f"the {what} is larger than {limit:,} bytes; moviekit stopped reading it"
        return self.failed(MalformedResponseError, big, Failure.REFUSED)


class Reader(Protocol[_T_co]):
    """Reads one answer's body, chunk by chunk, into a result (a transport feeds it).

    ``feed`` returns True when it needs no more bytes; ``finish`` gets the
    count of bytes as sent (before any ``Content-Encoding`` was decoded) when
    the transport knows it; ``abort`` undoes what a failed read left (a
    temporary file). Any of them may raise :class:`AttemptFailed`.
    """

    what: str

    def feed(self, chunk: bytes) -> bool: ...

    def finish(self, sent: int | None) -> _T_co: ...

    def abort(self) -> None: ...


#: Makes the reader of one answer (a new one per attempt).
ReaderFactory = Callable[[Answer], Reader[_T]]


class _Collect:
    """The body up to ``limit`` bytes (more is an answer too large to read)."""

    def __init__(self, answer: Answer, limit: int, what: str) -> None:
        self.answer = answer
        self.limit = limit
        self.what = what
        self.data = bytearray()

    def feed(self, chunk: bytes) -> bool:
        self.data += chunk
        if len(self.data) > self.limit:
            raise self.answer.too_large(self.limit, self.what)
        return False

    def redacted(self) -> bytes:
        data = bytes(self.data)
        for secret in self.answer.secrets:
            if len(secret) >= 8 and secret.encode() in data:
                data = data.replace(secret.encode(), REDACTED.encode())
        return data

    def abort(self) -> None:
        self.data.clear()


class ErrorReader(_Collect):
    """An error status: the start of its body, classified into the right :class:`APIError`."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer, ERROR_BODY_LIMIT + 64 * 1024, "error answer")

    def feed(self, chunk: bytes) -> bool:
        super().feed(chunk)
        # Only the start of an error answer is read: its message is all we need.
        return len(self.data) >= ERROR_BODY_LIMIT

    def finish(self, sent: int | None) -> NoReturn:
        answer, request = self.answer, self.answer.request
        raw = bytes(self.data[:ERROR_BODY_LIMIT]).decode("utf-8", "replace")
        error = error_from_response(
            answer.status,
            json_object(raw),
            raw=raw,
            headers=answer.headers,
            project_id=request.project_id,
            method=request.method,
            url=request.shown_url,
            secrets=answer.secrets,
            file_host=not request.auth,
        )
        if answer.status == 429 or answer.status >= 500:
            # A 503 may say when to come back, as a 429 does.
            retry_after = parse_retry_after(answer.headers.get("retry-after"))
            raise AttemptFailed(error, Failure.BUSY, retry_after)
        raise AttemptFailed(error, Failure.REFUSED)


class JSONReader(_Collect, Generic[_T]):
    """The API's answer: a JSON object (``success: false`` raised as its error), then ``parse``.

    A body that is not a JSON object, or that ``parse`` finds of the wrong
    shape (a :class:`~moviekit.MalformedResponseError`), is an unreadable
    answer: retried like one.
    """

    def __init__(self, answer: Answer, parse: Callable[[JSONObject], _T]) -> None:
        super().__init__(answer, answer.max_bytes, "answer")
        self.parse = parse

    def finish(self, sent: int | None) -> _T:
        answer, request = self.answer, self.answer.request
        data = self.redacted()
        body = json_object(data)
        if body is None:
            raise answer.failed(
                MalformedResponseError,
                "the service answered with a body that is not a JSON object",
                Failure.UNREADABLE,
                body=clean_text(data[:500].decode("utf-8", "replace")),
            )
        if body.get("success") is False:
            error = error_from_response(
                answer.status,
                body,
                raw=data[:500].decode("utf-8", "replace"),
                headers=answer.headers,
                project_id=request.project_id,
                method=request.method,
                url=request.shown_url,
                secrets=answer.secrets,
            )
            raise AttemptFailed(error, Failure.REFUSED)
        try:
            return self.parse(body)
        except MalformedResponseError as exc:
            raise AttemptFailed(exc, Failure.UNREADABLE) from None


class _Drain(_Collect):
    """A storage host's answer to a PUT: read (a little of) it, keep nothing."""

    def finish(self, sent: int | None) -> None:
        return None


def json_reader(parse: Callable[[JSONObject], _T]) -> ReaderFactory[_T]:
    """A reader factory for a JSON answer given to ``parse``."""
    return lambda answer: JSONReader(answer, parse)


def model_reader(
    model: type[_M], *, key: str | None = None, what: str = "", project_id: str | None = None
) -> ReaderFactory[_M]:
    """A reader factory for a JSON answer (or its ``key`` entry) read as ``model``."""

    def read(body: JSONObject) -> _M:
        data = body.get(key) if key is not None else body
        return parse(model, data, what=what, project_id=project_id)

    return json_reader(read)


class _Text(_Collect):
    """A text file from a file host (a subtitle file), decoded as UTF-8."""

    def finish(self, sent: int | None) -> str:
        return bytes(self.data).decode("utf-8", "replace")


#: The most bytes of a text file read (a subtitle file is a few hundred KB).
TEXT_LIMIT = 16 * 1024 * 1024


def text_reader(answer: Answer) -> Reader[str]:
    """The reader of a text file (up to :data:`TEXT_LIMIT` bytes), decoded as UTF-8."""
    return _Text(answer, TEXT_LIMIT, "text file")


def drain(answer: Answer) -> Reader[None]:
    """The reader of an answer whose body does not matter (up to 64 KB of it is read)."""
    return _Drain(answer, 64 * 1024, "upload answer")


def reader_for(answer: Answer, read: ReaderFactory[_T]) -> Reader[_T]:
    """The reader for ``answer``: its error, a refused redirect, or ``read``'s reader."""
    if answer.status >= 400:
        return ErrorReader(answer)
    if answer.request.auth and answer.status >= 300:
        where = safe_url(answer.headers.get("location"), keep_path=False)
        redirect = (
            f"the service answered a redirect (HTTP {answer.status} to "
            f"{where}); moviekit never follows one with the API key: check base_url"
        )
        raise answer.failed(MalformedResponseError, redirect, Failure.REFUSED)
    return read(answer)


def json_object(data: bytes | str) -> JSONObject | None:
    """``data`` decoded as a JSON object, or None (not JSON, not an object, too deep)."""
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


# ----------------------------------------------------------------- log redaction


class _PresignedURLFilter(logging.Filter):
    """Redacts presigned URLs in flight from the HTTP libraries' request log lines.

    urllib3 logs the request line at DEBUG and httpx2 at INFO, query string
    included; a presigned upload URL's query *is* its credential.
    """

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._secrets: dict[str, int] = {}

    @contextmanager
    def hiding(self, url: str) -> Iterator[None]:
        """Redact ``url``'s path and query from the request logs inside the ``with`` block."""
        parts = urlsplit(url)
        target = parts.path + ("?" + parts.query if parts.query else "")
        with self._lock:
            self._secrets[target] = self._secrets.get(target, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._secrets[target] -= 1
                if not self._secrets[target]:
                    del self._secrets[target]

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            secrets = list(self._secrets)
        if secrets and record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(_hide(arg, secrets) for arg in args)
        return True


def _hide(arg: object, secrets: list[str]) -> object:
    # urllib3 passes the path and query as a string, httpx2 the whole URL as an object.
    if isinstance(arg, (str, int, float)) or arg is None:
        text = arg if isinstance(arg, str) else None
    else:
        text = str(arg)
    if text is not None and any(secret in text for secret in secrets):
        return REDACTED
    return arg


_PRESIGNED = _PresignedURLFilter()
hiding_url = _PRESIGNED.hiding
for _name in ("urllib3.connectionpool", "httpx2"):
    logging.getLogger(_name).addFilter(_PRESIGNED)
