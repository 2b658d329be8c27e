"""Pure rules: the poll schedule, the retry decision and the poll step.

No I/O and no clock here: every function takes what it needs (the time now,
the jitter draw) and returns a decision, so the rules are tested exhaustively
and shared by everything that polls or retries (``Job.wait``, the one retry
layer in :mod:`moviekit.transport._http`, the batch runner's single poller).

Polling follows the official n8n integration: start at 5 s, back off through
8, 11, 17, 25 s, then stay at 30 s. The service documents 5 s as the floor, so
:class:`PollPolicy` refuses anything faster unless the caller says it talks to
a local test server.

Retrying: one budget per call (``RetryPolicy.max_retries``), whatever went
wrong (a status, the connection, an unreadable body). A request that is not
safe to send twice (``POST /v2/movies``) is resent only when it provably never
left, or after a lookup proved that it created nothing (see :func:`retry_decision`).
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal, NoReturn

from moviekit._errors import (
    APIConnectionError,
    APIError,
    MalformedResponseError,
    RateLimitError,
    ServerError,
)

__all__ = [
    "MIN_POLL_INTERVAL",
    "POLL_SCHEDULE",
    "CheckFailed",
    "CheckRead",
    "Failure",
    "PollDecision",
    "PollPolicy",
    "PollState",
    "RetryDecision",
    "RetryPolicy",
    "backoff_delay",
    "check_failed",
    "poll_delay",
    "poll_step",
    "retry_decision",
]

#: Seconds between status checks, in order; the last value repeats.
POLL_SCHEDULE: tuple[float, ...] = (5.0, 8.0, 11.0, 17.0, 25.0, 30.0)

#: The documented floor between two status checks of one job.
MIN_POLL_INTERVAL = 5.0

#: Statuses that end a render; ``timeout`` is undocumented but the official node treats it so.
_FAILED_STATUSES = frozenset({"error", "timeout"})


def poll_delay(checks_done: int, schedule: tuple[float, ...] = POLL_SCHEDULE) -> float:
    """Seconds to wait before the next status check.

    ``checks_done`` counts the status checks already made for the job (0 before
    the first one). The delay never decreases and stays at the last value of
    ``schedule`` (30 s by default).
    """
    if checks_done < 0:
        raise ValueError(f"checks_done must be >= 0, got {checks_done}")
    return schedule[min(checks_done, len(schedule) - 1)]


@dataclass(frozen=True)
class PollPolicy:
    """How a job is waited for.

    - ``schedule``: delays between checks (last value repeats)
    - ``deadline``: give up waiting after this many seconds (default 10 min);
      the job keeps running on the service and can be resumed
    - ``max_failed_checks``: consecutive failed status checks tolerated
      (connection errors, 5xx, 429, malformed answers). Any other 4xx stops at once.
    """

    schedule: tuple[float, ...] = POLL_SCHEDULE
    deadline: float = 600.0
    max_failed_checks: int = 3

    def __post_init__(self) -> None:
        if not self.schedule:
            raise ValueError("PollPolicy.schedule must not be empty")
        if any(b < a for a, b in zip(self.schedule, self.schedule[1:], strict=False)):
            raise ValueError("PollPolicy.schedule must not decrease")
        if self.deadline <= 0:
            raise ValueError("PollPolicy.deadline must be > 0")
        if self.max_failed_checks < 1:
            raise ValueError("PollPolicy.max_failed_checks must be >= 1")

    @property
    def respects_floor(self) -> bool:
        """True when no delay is below the documented 5 s floor."""
        return min(self.schedule) >= MIN_POLL_INTERVAL

    def delay(self, checks_done: int) -> float:
        """Seconds to wait before the next check (see :func:`poll_delay`)."""
        return poll_delay(checks_done, self.schedule)

    @classmethod
    def for_local_testing(cls, interval: float = 0.02, deadline: float = 60.0) -> PollPolicy:
        """A fast policy for a loopback server such as ``FakeJSON2Video``.

        The client refuses it for any non-loopback ``base_url``.
        """
        return cls(schedule=(interval,), deadline=deadline)


@dataclass(frozen=True)
class RetryPolicy:
    """How often, and how patiently, one call is tried again.

    ``max_retries`` is the budget of *one call* (a ``client.get()``, a download,
    an upload), whatever went wrong: at most ``max_retries + 1`` requests leave.
    Delay before retry ``n`` (0-based) is ``min(cap, base * 2**n)`` scaled by a
    jitter factor in ``[1 - jitter, 1]``; a ``Retry-After`` header wins when
    larger, up to ``retry_after_cap``. A submit is never resent blindly (see
    :func:`retry_decision`).
    """

    max_retries: int = 3
    base: float = 0.5
    cap: float = 8.0
    jitter: float = 0.5
    retry_after_cap: float = 60.0

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("RetryPolicy.max_retries must be >= 0")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("RetryPolicy.jitter must be within [0, 1]")


def backoff_delay(
    retry: int,
    policy: RetryPolicy,
    *,
    retry_after: float | None = None,
    random_fn: Callable[[], float] = random.random,
) -> float:
    """Seconds to sleep before retry number ``retry`` (0-based).

    ``random_fn`` returns a float in ``[0, 1)``; inject a constant to make
    tests exact.
    """
    raw = min(policy.cap, policy.base * (2.0**retry))
    delay = raw * (1.0 - policy.jitter * random_fn())
    if retry_after is not None:
        delay = max(delay, min(retry_after, policy.retry_after_cap))
    return delay


# ----------------------------------------------------------------- retrying


class Failure(enum.Enum):
    """What went wrong with one attempt, as far as retrying is concerned."""

    UNSENT = "unsent"
    """Provably never reached the server (connection refused, connect timeout)."""
    LOST = "lost"
    """No usable answer after the request may have arrived (reset, read timeout, deadline)."""
    BUSY = "busy"
    """The server said "not now": 429, or any 5xx."""
    UNREADABLE = "unreadable"
    """An answer that could not be read (cut short, not JSON, not the expected shape)."""
    REFUSED = "refused"
    """A definite answer that another attempt will not change (a 4xx other than 429)."""


@dataclass(frozen=True)
class RetryDecision:
    """What to do after a failed attempt: ``retry`` after ``delay`` s, ``reconcile``, or ``raise``.

    ``reconcile`` means: the request may have taken effect and must not be
    sent again blindly; look for its effect (a submission key in the movie
    list), and ask again with ``resend_safe=True`` if the lookup proved there
    was none.
    """

    action: Literal["retry", "reconcile", "raise"]
    delay: float = 0.0


def retry_decision(
    policy: RetryPolicy,
    retries_done: int,
    failure: Failure,
    *,
    resend_safe: bool,
    retry_after: float | None = None,
    jitter: float = 0.0,
) -> RetryDecision:
    """The one retry rule, for every request moviekit sends.

    ``retries_done`` counts the retries this call already made (0 after the
    first attempt); ``resend_safe`` is True for idempotent requests and for a
    submit whose earlier attempt is proven to have created nothing;
    ``jitter`` is the random draw in ``[0, 1)`` (isolated so tests fix it).
    """
    if failure is Failure.REFUSED:
        return RetryDecision("raise")
    if not resend_safe and failure is not Failure.UNSENT:
        return RetryDecision("reconcile")
    if retries_done >= policy.max_retries:
        return RetryDecision("raise")
    delay = backoff_delay(retries_done, policy, retry_after=retry_after, random_fn=lambda: jitter)
    return RetryDecision("retry", delay)


# ----------------------------------------------------------------- polling


@dataclass(frozen=True)
class PollState:
    """Where the wait for one job stands: when it began, checks made, failures in a row.

    Build with :meth:`start`; :func:`poll_step` returns the next state.
    """

    started: float
    deadline: float
    checks: int = 0
    failures: int = 0

    @classmethod
    def start(cls, now: float, policy: PollPolicy, timeout: float | None = None) -> PollState:
        """The state before the first check: waiting began ``now``, ends after ``timeout`` s."""
        return cls(started=now, deadline=policy.deadline if timeout is None else timeout)


@dataclass(frozen=True)
class CheckRead:
    """The outcome of a status check that read a status (``"running"``, ``"done"``...)."""

    status: str


@dataclass(frozen=True)
class CheckFailed:
    """The outcome of a status check that failed.

    ``transient``: a connection error, 429, 5xx or unreadable answer, tolerated
    a few times in a row; anything else stops the wait. ``retry_after`` is the
    server's wish in seconds, when it sent one.
    """

    transient: bool
    retry_after: float | None = None


PollOutcome = CheckRead | CheckFailed


def check_failed(error: APIError) -> CheckFailed:
    """The :class:`CheckFailed` outcome for the exception a status check raised."""
    transient = isinstance(
        error, (APIConnectionError, MalformedResponseError, ServerError, RateLimitError)
    )
    retry_after = error.retry_after if isinstance(error, RateLimitError) else None
    return CheckFailed(transient=transient, retry_after=retry_after)


class PollAction(enum.Enum):
    """What :func:`poll_step` tells the poller to do."""

    CHECK = "check"
    """Check again after ``delay`` seconds."""
    DONE = "done"
    """The render finished: the status is ``done``."""
    FAILED = "failed"
    """The render ended in ``error`` or ``timeout``."""
    REFUSED = "refused"
    """The status check was refused for good (a 4xx other than 429): stop, raise that error."""
    TOO_MANY_FAILURES = "too-many-failures"
    """More than ``max_failed_checks`` failed checks in a row: stop, raise the last error."""
    DEADLINE = "deadline"
    """The wait's deadline passed (the job may still be running): stop, resumable."""


@dataclass(frozen=True)
class PollDecision:
    """The next action, and for :attr:`PollAction.CHECK` the seconds to wait first."""

    action: PollAction
    delay: float = 0.0


def poll_step(
    policy: PollPolicy,
    state: PollState,
    outcome: PollOutcome,
    now: float,
    *,
    retry_after_cap: float = RetryPolicy.retry_after_cap,
) -> tuple[PollState, PollDecision]:
    """One step of waiting for a job: the state and a check's outcome in, the next action out.

    ``now`` is the poller's clock after the check (seconds, same clock as
    ``state.started``). The rules, in order:

    1. a status ``done`` ends the wait (:attr:`PollAction.DONE`); ``error`` or
       ``timeout`` end it as a failed render (:attr:`PollAction.FAILED`);
       any other status resets the failure count;
    2. a refused check (a 4xx other than 429) stops at once; a transient
       failure is tolerated ``policy.max_failed_checks`` times in a row;
    3. the next check waits ``policy.delay(checks)`` (a ``Retry-After`` up to
       ``retry_after_cap`` wins when longer), cut to the time left; when less
       than one schedule step is left, the wait ends (:attr:`PollAction.DEADLINE`).
    """
    checks = state.checks + 1
    retry_after: float | None = None
    if isinstance(outcome, CheckRead):
        if outcome.status == "done":
            return replace(state, checks=checks, failures=0), PollDecision(PollAction.DONE)
        if outcome.status in _FAILED_STATUSES:
            return replace(state, checks=checks, failures=0), PollDecision(PollAction.FAILED)
        failures = 0
    elif isinstance(outcome, CheckFailed):
        if not outcome.transient:
            return replace(state, checks=checks), PollDecision(PollAction.REFUSED)
        failures = state.failures + 1
        if failures > policy.max_failed_checks:
            return (
                replace(state, checks=checks, failures=failures),
                PollDecision(PollAction.TOO_MANY_FAILURES),
            )
        retry_after = outcome.retry_after
    else:
        _unreachable(outcome)
    following = replace(state, checks=checks, failures=failures)
    delay = policy.delay(state.checks)
    if retry_after is not None:
        delay = max(delay, min(retry_after, retry_after_cap))
    remaining = state.deadline - (now - state.started)
    if remaining <= 0 or remaining < min(delay, policy.schedule[0]):
        return following, PollDecision(PollAction.DEADLINE)
    return following, PollDecision(PollAction.CHECK, min(delay, remaining))


def _unreachable(value: NoReturn) -> NoReturn:
    """Makes the type checker prove a branch on a closed union exhaustive."""
    raise AssertionError(f"unexpected value {value!r}")
