"""Pure timing rules: the poll schedule and the retry backoff.

No I/O and no clock here, so the rules can be tested exhaustively and reused
by anything that polls many jobs with one loop (the batch runner).

Polling follows the official n8n integration: start at 5 s, back off through
8, 11, 17, 25 s, then stay at 30 s. The service documents 5 s as the floor, so
:class:`PollPolicy` refuses anything faster unless the caller says it talks to
a local test server.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

#: Seconds between status checks, in order; the last value repeats.
POLL_SCHEDULE: tuple[float, ...] = (5.0, 8.0, 11.0, 17.0, 25.0, 30.0)

#: The documented floor between two status checks of one job.
MIN_POLL_INTERVAL = 5.0


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
    """Retries of idempotent requests (status, list, download, presigned PUT).

    Delay before retry ``n`` (0-based) is ``min(cap, base * 2**n)`` scaled by a
    jitter factor in ``[1 - jitter, 1]``; a ``Retry-After`` header wins when
    larger, up to ``retry_after_cap``. A submit is never retried by this
    policy; it is reconciled instead.
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
