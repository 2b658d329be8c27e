"""The blocking transport: one attempt of one request, with requests (for ``Client``).

:meth:`HTTP.exchange` performs the :class:`~moviekit.transport._ops.Attempt`
effect: it sends the request, hands the answer to the reader
:func:`~moviekit.transport._exchange.reader_for` picks, and turns whatever
went wrong into an :class:`~moviekit.transport._exchange.AttemptFailed`. What
an answer means, and whether to try again, is decided in I/O-free code
(:mod:`~moviekit.transport._exchange`, :func:`~moviekit.transport._ops.send`)
that ``AsyncClient``'s transport shares.

Every attempt has a **deadline** for the whole exchange (connect, send, the
last byte of the body), not only per socket read: a watchdog thread shuts the
socket of an attempt that outlives it (:mod:`~moviekit.transport._deadline`),
so a server trickling one byte a second cannot hold the caller. The API key
travels only in the ``x-api-key`` header of API requests (never to a file
host, never through a redirect).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from http.client import HTTPException
from typing import Any, TypeVar

import requests
from urllib3.exceptions import HTTPError as URLLib3Error
from urllib3.exceptions import NewConnectionError

from moviekit.transport._deadline import Deadline, within
from moviekit.transport._exchange import (
    Answer,
    AttemptFailed,
    Reader,
    Secret,
    attempt_seconds,
    broke_off,
    hiding_url,
    lost,
    reader_for,
    request_headers,
    timed_out,
    unfollowable,
)
from moviekit.transport._ops import Attempt

__all__ = ["HTTP", "provably_unsent"]

_T = TypeVar("_T")
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


class HTTP:
    """Sends single attempts for a :class:`~moviekit.Client`: headers, deadlines, bounds."""

    def __init__(
        self,
        *,
        api_key: Secret,
        session: requests.Session,
        timeout: float | tuple[float, float],
        deadline: float,
        file_deadline: float,
        max_response_bytes: int,
    ) -> None:
        self.api_key = api_key
        self.session = session
        self.timeout = timeout
        self.deadline = deadline
        self.file_deadline = file_deadline
        self.max_response_bytes = max_response_bytes

    def __repr__(self) -> str:
        return f"HTTP(api_key={self.api_key!r})"

    def exchange(self, attempt: Attempt[_T]) -> _T:
        """Send the attempt's request once and read its answer; :class:`AttemptFailed` if not."""
        request = attempt.request
        headers = request_headers(request, self.api_key)
        seconds = attempt_seconds(request, self.deadline, self.file_deadline, attempt.budget)
        hide: AbstractContextManager[Any] = (
            hiding_url(request.url) if request.secret_url else nullcontext()
        )
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
                raise self._lost(attempt, exc, deadline) from None
            try:
                answer = Answer.of(
                    request,
                    response.status_code,
                    response.headers.items(),
                    self.api_key,
                    self.max_response_bytes,
                )
                reader = reader_for(answer, attempt.read)
                try:
                    for chunk in self._chunks(response, deadline, reader, answer):
                        if reader.feed(chunk):
                            break
                    return reader.finish(response.raw.tell())
                except BaseException:
                    reader.abort()
                    raise
            except _TRANSPORT_ERRORS as exc:
                raise self._lost(attempt, exc, deadline) from None
            finally:
                response.close()

    def _chunks(
        self, response: requests.Response, deadline: Deadline, reader: Reader[Any], answer: Answer
    ) -> Iterator[bytes]:
        """The body as it arrives (decoded), checked against the deadline."""
        raw = response.raw
        while True:
            if deadline.expired:
                raise timed_out(answer.request, deadline.seconds)
            try:
                chunk = raw.read1(_CHUNK, decode_content=True)
            except _READ_ERRORS as exc:
                if deadline.expired:
                    raise timed_out(answer.request, deadline.seconds) from None
                raise broke_off(answer.request, reader.what, exc, answer.status) from None
            if not chunk:
                return
            yield chunk

    def _lost(self, attempt: Attempt[Any], exc: BaseException, deadline: Deadline) -> AttemptFailed:
        request = attempt.request
        if deadline.expired:
            return timed_out(request, deadline.seconds)
        if isinstance(exc, _UNFOLLOWABLE):
            return unfollowable(request, exc)
        timeout = isinstance(exc, (requests.exceptions.Timeout, TimeoutError, socket.timeout))
        return lost(request, exc, unsent=provably_unsent(exc), timeout=timeout)
