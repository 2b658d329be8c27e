"""The client's procedures as I/O-free generators, run by a blocking or an async driver.

Why: ``Client`` and ``AsyncClient`` must follow the same rules (retry, poll,
reconcile, paginate) without two copies of them. Each procedure (an
:data:`Op`) is written once as a generator that *yields* what it needs done:

- :class:`Attempt`: send one request and read its answer (the transport's
  one I/O call; it returns the result or raises :class:`AttemptFailed`);
- :class:`Sleep`, :data:`CLOCK`: wait, read the time;
- :class:`Notify`: call the user's progress callback;
- :class:`Blocking`: local blocking work (hashing or reading a file).

:func:`run_blocking` performs those effects with requests and ``time.sleep``;
:func:`run_async` with httpx2 and ``anyio.sleep``. Procedures compose with
``yield from``; :func:`send` is the one retry loop every request goes through
(the rule itself is :func:`~moviekit.transport._polling.retry_decision`).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from moviekit._errors import APIError
from moviekit.transport._exchange import AttemptFailed, ReaderFactory, Request
from moviekit.transport._polling import RetryDecision, RetryPolicy, retry_decision

__all__ = [
    "CLOCK",
    "Attempt",
    "Blocking",
    "Call",
    "Notify",
    "Op",
    "Sleep",
    "blocking",
    "notify",
    "now",
    "run_async",
    "run_blocking",
    "send",
    "sleep",
]

logger = logging.getLogger("moviekit")
_T = TypeVar("_T")


@dataclass(frozen=True)
class Attempt(Generic[_T]):
    """Effect: send ``request`` once and read its answer with ``read`` (within ``budget`` s)."""

    request: Request
    read: ReaderFactory[_T]
    budget: float | None = None


@dataclass(frozen=True)
class Sleep:
    """Effect: wait ``seconds`` on the client's sleep."""

    seconds: float


@dataclass(frozen=True)
class _Clock:
    """Effect: the time on the client's clock (seconds)."""


#: Effect: read the client's clock.
CLOCK = _Clock()


@dataclass(frozen=True)
class Notify:
    """Effect: call the user's ``callback(value)`` (an async driver awaits what it returns)."""

    callback: Callable[[Any], object]
    value: object


@dataclass(frozen=True)
class Blocking:
    """Effect: ``function()``, local blocking work (an async driver runs it in a thread)."""

    function: Callable[[], Any]


Effect = Attempt[Any] | Sleep | _Clock | Notify | Blocking
#: A procedure: yields effects, gets their results back, returns its own result.
Op = Generator[Effect, Any, _T]


def now() -> Op[float]:
    """The client's clock."""
    return cast(float, (yield CLOCK))


def sleep(seconds: float) -> Op[None]:
    """Wait on the client's sleep."""
    yield Sleep(seconds)


def notify(callback: Callable[[Any], object], value: object) -> Op[None]:
    """Call a user callback (awaited by the async driver when it is a coroutine function)."""
    yield Notify(callback, value)


def blocking(function: Callable[[], _T]) -> Op[_T]:
    """Local blocking work (hashing or reading a file)."""
    return cast(_T, (yield Blocking(function)))


Reconcile = Callable[[APIError], Op["_T | None"]]


@dataclass(frozen=True)
class Call(Generic[_T]):
    """A request and how to read its answer, with the rules that apply to it.

    ``resend_safe=False`` for a request that must not be sent twice (a submit,
    a media ticket): when it may have taken effect, ``reconcile(error)`` looks
    for that effect and returns the result, or ``None`` when it proved there
    was none; without ``reconcile`` the error is raised (nothing is resent).
    ``retries=False``: one attempt. ``budget`` caps each attempt's deadline in
    seconds (a wait's time left).
    """

    request: Request
    read: ReaderFactory[_T]
    resend_safe: bool = True
    reconcile: Reconcile[_T] | None = None
    retries: bool = True
    budget: float | None = None


def send(call: Call[_T], policy: RetryPolicy, jitter: Callable[[], float]) -> Op[_T]:
    """The one retry loop: attempt ``call``, retrying by :func:`retry_decision`.

    At most ``policy.max_retries + 1`` attempts (one with ``retries=False``),
    whatever went wrong; a request that is not ``resend_safe`` is reconciled
    instead of resent once it may have taken effect.
    """
    if not call.retries:
        policy = RetryPolicy(max_retries=0)
    request = call.request
    retries_done = 0
    while True:
        try:
            return cast(_T, (yield Attempt(request, call.read, call.budget)))
        except AttemptFailed as failed:
            error = failed.error

            def decide(
                resend_safe: bool, failed: AttemptFailed = failed, done: int = retries_done
            ) -> RetryDecision:
                return retry_decision(
                    policy,
                    done,
                    failed.failure,
                    resend_safe=resend_safe,
                    retry_after=failed.retry_after,
                    jitter=jitter(),
                )

            decision = decide(call.resend_safe)
            if decision.action == "reconcile":
                if call.reconcile is None:
                    raise error from None  # it may have taken effect: never resent blindly
                found = yield from call.reconcile(error)
                if found is not None:
                    return found
                decision = decide(True)  # proven absent: resending is safe now
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
        yield Sleep(decision.delay)
        retries_done += 1


# ----------------------------------------------------------------- drivers


def run_blocking(
    op: Op[_T],
    exchange: Callable[[Attempt[Any]], Any],
    sleep: Callable[[float], None],
    clock: Callable[[], float],
) -> _T:
    """Run ``op`` to its end on this thread: ``exchange`` does the HTTP, ``sleep`` waits."""
    reply: Any = None
    error: Exception | None = None
    try:
        while True:
            try:
                effect = op.send(reply) if error is None else op.throw(error)
            except StopIteration as done:
                return cast(_T, done.value)
            reply, error = None, None
            try:
                if isinstance(effect, Attempt):
                    reply = exchange(effect)
                elif isinstance(effect, Sleep):
                    sleep(effect.seconds)
                elif isinstance(effect, _Clock):
                    reply = clock()
                elif isinstance(effect, Notify):
                    effect.callback(effect.value)
                else:
                    reply = effect.function()
            except Exception as exc:  # handed to the procedure, which decides
                error = exc
    finally:
        op.close()


async def run_async(
    op: Op[_T],
    exchange: Callable[[Attempt[Any]], Awaitable[Any]],
    sleep: Callable[[float], Awaitable[None]],
    clock: Callable[[], float],
    in_thread: Callable[[Callable[[], Any]], Awaitable[Any]],
) -> _T:
    """Run ``op`` to its end in this task: the same effects as :func:`run_blocking`, awaited."""
    reply: Any = None
    error: Exception | None = None
    try:
        while True:
            try:
                effect = op.send(reply) if error is None else op.throw(error)
            except StopIteration as done:
                return cast(_T, done.value)
            reply, error = None, None
            try:
                if isinstance(effect, Attempt):
                    reply = await exchange(effect)
                elif isinstance(effect, Sleep):
                    await sleep(effect.seconds)
                elif isinstance(effect, _Clock):
                    reply = clock()
                elif isinstance(effect, Notify):
                    result = effect.callback(effect.value)
                    if inspect.isawaitable(result):
                        await result
                else:
                    reply = await in_thread(effect.function)
            except Exception as exc:  # handed to the procedure, which decides
                error = exc
    finally:
        op.close()
