"""The pure rules of moviekit/transport/_polling.py, tested exhaustively (no I/O, no clock)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from moviekit._errors import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    MalformedResponseError,
    PermissionDeniedError,
    ProjectNotFoundError,
    RateLimitError,
    ServerError,
)
from moviekit.transport._polling import (
    CheckFailed,
    CheckRead,
    Failure,
    PollAction,
    PollOutcome,
    PollPolicy,
    PollState,
    RetryPolicy,
    backoff_delay,
    check_failed,
    poll_step,
    retry_decision,
)

# ------------------------------------------------------------------ retry_decision


@pytest.mark.parametrize(
    ("failure", "resend_safe", "action"),
    [
        (Failure.UNSENT, True, "retry"),
        (Failure.UNSENT, False, "retry"),  # never left: resending is always safe
        (Failure.LOST, True, "retry"),
        (Failure.LOST, False, "reconcile"),
        (Failure.BUSY, True, "retry"),
        (Failure.BUSY, False, "reconcile"),
        (Failure.UNREADABLE, True, "retry"),
        (Failure.UNREADABLE, False, "reconcile"),
        (Failure.REFUSED, True, "raise"),
        (Failure.REFUSED, False, "raise"),
    ],
)
def test_retry_decision_table(failure: Failure, resend_safe: bool, action: str) -> None:
    policy = RetryPolicy(max_retries=3)
    assert retry_decision(policy, 0, failure, resend_safe=resend_safe).action == action


@given(
    st.integers(0, 6),
    st.integers(0, 10),
    st.sampled_from(list(Failure)),
    st.booleans(),
    st.none() | st.floats(0, 1000),
    st.floats(0, 0.999),
)
def test_retry_decision_is_bounded_and_honours_retry_after(
    max_retries: int,
    done: int,
    failure: Failure,
    resend_safe: bool,
    retry_after: float | None,
    jitter: float,
) -> None:
    policy = RetryPolicy(max_retries=max_retries, base=0.5, cap=8.0, retry_after_cap=60.0)
    decision = retry_decision(
        policy, done, failure, resend_safe=resend_safe, retry_after=retry_after, jitter=jitter
    )
    if decision.action == "retry":
        assert done < max_retries  # the budget: at most max_retries retries, whatever failed
        assert decision.delay == backoff_delay(
            done, policy, retry_after=retry_after, random_fn=lambda: jitter
        )
        assert decision.delay <= max(8.0, min(retry_after or 0.0, 60.0))
        if retry_after is not None:
            assert decision.delay >= min(retry_after, 60.0)
    if decision.action == "reconcile":
        assert not resend_safe and failure not in (Failure.UNSENT, Failure.REFUSED)


def test_a_call_makes_at_most_max_retries_plus_one_attempts() -> None:
    for max_retries, failure in itertools.product(range(5), Failure):
        policy = RetryPolicy(max_retries=max_retries)
        attempts = 1
        while retry_decision(policy, attempts - 1, failure, resend_safe=True).action == "retry":
            attempts += 1
        assert attempts == (1 if failure is Failure.REFUSED else max_retries + 1)


# ------------------------------------------------------------------ check_failed


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (APIConnectionError("x"), True),
        (APITimeoutError("x"), True),
        (MalformedResponseError("x"), True),
        (ServerError("x", status_code=500), True),
        (RateLimitError("x", status_code=429), True),
        (BadRequestError("x", status_code=400), False),
        (PermissionDeniedError("x", status_code=403), False),
        (ProjectNotFoundError("x", status_code=400), False),
    ],
)
def test_check_failed_sorts_transient_from_final(error: Exception, transient: bool) -> None:
    assert check_failed(error).transient is transient  # type: ignore[arg-type]


def test_check_failed_carries_retry_after() -> None:
    limited = RateLimitError("slow down", status_code=429)
    limited.retry_after = 12.0
    assert check_failed(limited) == CheckFailed(transient=True, retry_after=12.0)


# ------------------------------------------------------------------ poll_step

POLICY = PollPolicy(max_failed_checks=3)
outcomes = st.one_of(
    st.builds(CheckRead, st.sampled_from(["pending", "running", "done", "error", "timeout", "?"])),
    st.builds(CheckFailed, st.booleans(), st.none() | st.floats(0, 100)),
)


def _run(
    sequence: list[PollOutcome], policy: PollPolicy = POLICY, deadline: float | None = None
) -> tuple[list[float], PollAction, PollState, int]:
    """Drive poll_step like Job.wait does, on a simulated clock; checks take no time."""
    now = 0.0
    state = PollState.start(now, policy, deadline)
    sleeps: list[float] = []
    for used, outcome in enumerate(itertools.cycle(sequence), start=1):
        state, decision = poll_step(policy, state, outcome, now)
        if decision.action is not PollAction.CHECK:
            return sleeps, decision.action, state, used
        sleeps.append(decision.delay)
        now += decision.delay
    raise AssertionError("unreachable")


def test_cadence_is_the_official_one() -> None:
    sleeps, action, _, _ = _run([CheckRead("running")] * 8 + [CheckRead("done")])
    assert sleeps == [5, 8, 11, 17, 25, 30, 30, 30] and action is PollAction.DONE


@given(st.lists(outcomes, min_size=1, max_size=30), st.floats(1, 2000))
@example([CheckFailed(True), CheckRead("done")], 1000.0)  # a failure, then the end: count reset
@example([CheckFailed(True), CheckRead("error")], 1000.0)
def test_poll_step_properties(sequence: list[PollOutcome], deadline: float) -> None:
    sleeps, action, state, used = _run(sequence, deadline=deadline)
    last = sequence[(used - 1) % len(sequence)]
    # The wait never outlives its deadline and never polls faster than the schedule.
    assert sum(sleeps) <= deadline + 1e-9
    assert all(s > 0 for s in sleeps)
    assert state.checks == used
    if isinstance(last, CheckRead):
        assert state.failures == 0  # a status read ends any run of failed checks
    if action is PollAction.DONE:
        assert last == CheckRead("done")
    elif action is PollAction.FAILED:
        assert isinstance(last, CheckRead) and last.status in ("error", "timeout")
    elif action is PollAction.REFUSED:
        assert isinstance(last, CheckFailed) and not last.transient
    elif action is PollAction.TOO_MANY_FAILURES:
        assert isinstance(last, CheckFailed) and state.failures == POLICY.max_failed_checks + 1
    else:
        assert action is PollAction.DEADLINE
        assert deadline - sum(sleeps) < max(POLICY.schedule)  # gave up only near the end


@given(st.lists(st.floats(0, 200), min_size=1, max_size=5))
def test_retry_after_lengthens_the_next_wait_up_to_the_cap(wishes: list[float]) -> None:
    state = PollState.start(0.0, POLICY, 10_000.0)
    for checks, wish in enumerate(wishes):
        state, decision = poll_step(POLICY, state, CheckFailed(True, wish), 0.0, retry_after_cap=60)
        if state.failures > POLICY.max_failed_checks:
            assert decision.action is PollAction.TOO_MANY_FAILURES
            break
        assert decision.delay == max(POLICY.delay(checks), min(wish, 60.0))


def test_a_read_status_resets_the_failure_count() -> None:
    three_failures_then_a_read = [CheckFailed(True)] * 3 + [CheckRead("running")]
    _, action, state, used = _run(three_failures_then_a_read * 3 + [CheckRead("done")])
    assert action is PollAction.DONE and used == 13


def test_the_fourth_failure_in_a_row_stops() -> None:
    _, action, state, used = _run([CheckFailed(True)])
    assert action is PollAction.TOO_MANY_FAILURES and used == 4


def test_the_last_check_happens_at_the_deadline() -> None:
    sleeps, action, _, _ = _run([CheckRead("running")], deadline=60)
    assert action is PollAction.DEADLINE and sleeps == [5, 8, 11, 17, 19]


def test_the_wait_ends_only_when_less_than_one_step_is_left() -> None:
    policy = PollPolicy(schedule=(5.0, 8.0), deadline=60.0)
    _, near = poll_step(policy, PollState.start(0.0, policy), CheckRead("running"), 57.0)
    assert near.action is PollAction.DEADLINE  # 3 s left, the shortest step is 5 s
    _, still = poll_step(policy, PollState.start(0.0, policy), CheckRead("running"), 54.0)
    assert (still.action, still.delay) == (PollAction.CHECK, 5.0)  # 6 s left
    fast = PollPolicy.for_local_testing(interval=0.1, deadline=60.0)
    _, late = poll_step(fast, PollState.start(0.0, fast), CheckRead("running"), 59.5)
    assert (late.action, late.delay) == (PollAction.CHECK, 0.1)  # half a second is 5 steps
