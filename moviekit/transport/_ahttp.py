"""The async transport: one attempt of one request, with httpx2 (for ``AsyncClient``).

The async twin of :mod:`moviekit.transport._http`, and only the I/O of it:
what an answer means (errors, caps, redaction, downloads) is read by the same
readers (:mod:`~moviekit.transport._exchange`), and whether to try again is
decided by the same loop (:func:`~moviekit.transport._ops.send`).

Why httpx2: it is HTTPX (the design this transport layer follows: I/O-free
client logic over a swappable transport, timeouts on by default, typed)
under active maintenance by Pydantic, whose models moviekit already uses; it
runs on asyncio and trio (anyio); and ``moviekit-json2video[mcp]`` installs it already
(the MCP SDK is built on it). It needs Python 3.11+.

The **deadline** of an attempt covers the whole exchange (connect to the last
byte): ``anyio.fail_after`` cancels an attempt that outlives it, whatever the
server trickles. The API key goes only in the ``x-api-key`` header of API
requests, never through a redirect (API answers are never followed).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any, TypeVar

import anyio
import anyio.to_thread
import httpcore2
import httpx2

from moviekit.transport._exchange import (
    Answer,
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

__all__ = ["AsyncHTTP", "in_thread", "sleep"]

_T = TypeVar("_T")
_UNFOLLOWABLE = (httpx2.TooManyRedirects, httpx2.UnsupportedProtocol, httpx2.InvalidURL)
#: Failures before the request was written: nothing can have reached the server.
_UNSENT = (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout)
#: httpx2 lets some httpcore2 failures through unmapped (a pooled connection the server
#: closed, seen under load): they are lost connections too.
_ERRORS = (
    httpx2.HTTPError,
    httpx2.InvalidURL,
    httpx2.StreamError,
    httpcore2.ProtocolError,
    httpcore2.NetworkError,
    httpcore2.TimeoutException,
    OSError,
)

#: The async sleep the client waits with unless one is injected.
sleep: Callable[[float], Awaitable[None]] = anyio.sleep


async def in_thread(function: Callable[[], _T]) -> _T:
    """Run blocking local work (hashing, reading a file) in a worker thread."""
    return await anyio.to_thread.run_sync(function)


class AsyncHTTP:
    """Sends single attempts for an :class:`~moviekit.AsyncClient`: headers, deadlines, bounds."""

    def __init__(
        self,
        *,
        api_key: Secret,
        client: httpx2.AsyncClient | None,
        connect_timeout: float,
        read_timeout: float,
        deadline: float,
        file_deadline: float,
        max_response_bytes: int,
        max_connections: int,
    ) -> None:
        self.api_key = api_key
        self.owns_client = client is None
        self.client = client or httpx2.AsyncClient(
            timeout=httpx2.Timeout(read_timeout, connect=connect_timeout),
            limits=httpx2.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            follow_redirects=False,
        )
        self.deadline = deadline
        self.file_deadline = file_deadline
        self.max_response_bytes = max_response_bytes

    def __repr__(self) -> str:
        return f"AsyncHTTP(api_key={self.api_key!r})"

    async def aclose(self) -> None:
        """Close the connection pool if this transport made it."""
        if self.owns_client:
            await self.client.aclose()

    async def exchange(self, attempt: Attempt[_T]) -> _T:
        """Send the attempt's request once and read its answer; :class:`AttemptFailed` if not."""
        request = attempt.request
        headers = request_headers(request, self.api_key)
        seconds = attempt_seconds(request, self.deadline, self.file_deadline, attempt.budget)
        hide: AbstractContextManager[Any] = (
            hiding_url(request.url) if request.secret_url else nullcontext()
        )
        try:
            with hide, anyio.fail_after(seconds):
                return await self._exchange(attempt, headers)
        except TimeoutError:
            raise timed_out(request, seconds) from None

    async def _exchange(self, attempt: Attempt[_T], headers: dict[str, str]) -> _T:
        request = attempt.request
        try:
            outgoing = self.client.build_request(
                request.method,
                request.url,
                params=dict(request.params) if request.params else None,
                json=request.json_body,
                content=request.data,
                headers=headers,
            )
            # API answers are never followed: the key would go with them.
            response = await self.client.send(
                outgoing, stream=True, follow_redirects=not request.auth
            )
        except _UNFOLLOWABLE as exc:
            raise unfollowable(request, exc) from None
        except _ERRORS as exc:
            timeout = isinstance(exc, httpx2.TimeoutException)
            raise lost(request, exc, unsent=isinstance(exc, _UNSENT), timeout=timeout) from None
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
                try:
                    async for chunk in response.aiter_bytes():
                        if reader.feed(chunk):
                            break
                    return reader.finish(response.num_bytes_downloaded)
                except _ERRORS as exc:
                    raise broke_off(request, reader.what, exc, answer.status) from None
            except BaseException:
                reader.abort()
                raise
        finally:
            with anyio.CancelScope(shield=True):
                await response.aclose()
