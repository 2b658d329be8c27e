"""Poll cadence, deadline and failure tolerance, checked with the injected clock."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.transport import movie

from moviekit._errors import (
    APIConnectionError,
    MalformedResponseError,
    PermissionDeniedError,
    ProjectNotFoundError,
    ServerError,
    WaitTimeoutError,
)
from moviekit.testing import FakeClock, FakeJSON2Video, Fault
from moviekit.transport._client import Client
from moviekit.transport._polling import (
    PollPolicy,
    RetryPolicy,
    backoff_delay,
    poll_delay,
)


def test_schedule_matches_official_integration() -> None:
    assert [poll_delay(n) for n in range(8)] == [5, 8, 11, 17, 25, 30, 30, 30]


@given(st.integers(min_value=0, max_value=10_000))
def test_poll_delay_within_floor_and_cap_and_non_decreasing(n: int) -> None:
    assert 5.0 <= poll_delay(n) <= 30.0
    assert poll_delay(n + 1) >= poll_delay(n)


def test_poll_delay_rejects_negative() -> None:
    with pytest.raises(ValueError, match=r"checks_done must be >= 0, got -1"):
        poll_delay(-1)


@pytest.mark.parametrize(
    "bad",
    [dict(schedule=()), dict(schedule=(8.0, 5.0)), dict(deadline=0), dict(max_failed_checks=0)],
)
def test_poll_policy_rejects_bad_settings(bad: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError):
        PollPolicy(**bad)


@given(st.integers(min_value=0, max_value=20), st.floats(min_value=0, max_value=0.999))
def test_backoff_grows_with_jitter_bounds(retry: int, r: float) -> None:
    policy = RetryPolicy(base=0.5, cap=8.0, jitter=0.5)
    raw = min(8.0, 0.5 * 2**retry)
    assert raw * 0.5 <= backoff_delay(retry, policy, random_fn=lambda: r) <= raw


def test_backoff_honours_retry_after_up_to_cap() -> None:
    policy = RetryPolicy(retry_after_cap=60.0)
    assert backoff_delay(0, policy, retry_after=12.0, random_fn=lambda: 0.0) == 12.0
    assert backoff_delay(0, policy, retry_after=600.0, random_fn=lambda: 0.0) == 60.0


def test_wait_polls_on_schedule_until_done(clock: FakeClock) -> None:
    with FakeJSON2Video(clock=clock, queue_seconds=10, render_seconds=100) as server:
        client = Client(
            api_key=server.api_key, base_url=server.base_url, sleep=clock.sleep, clock=clock
        )
        job = client.submit(movie(), validate=False)
        render = job.wait()
    # done at t=110: checks at 0, 5, 13, 24, 41, 66, 96, 126
    assert clock.sleeps == [5, 8, 11, 17, 25, 30, 30]
    assert render.status.status == "done"
    status_checks = [r for r in server.requests_to("GET", "/v2/movies")]
    times = [r.server_time for r in status_checks]
    # never faster than 5 s
    assert all(b - a >= 5.0 for a, b in zip(times, times[1:], strict=False))


def test_wait_deadline_raises_with_resume_hint_then_resumes(clock: FakeClock) -> None:
    with FakeJSON2Video(clock=clock, queue_seconds=1, render_seconds=1000) as server:
        client = Client(
            api_key=server.api_key, base_url=server.base_url, sleep=clock.sleep, clock=clock
        )
        job = client.submit(movie(), validate=False)
        with pytest.raises(WaitTimeoutError) as info:
            job.wait()
        err = info.value
        assert err.project_id == job.project_id and f"client.job({job.project_id!r}).wait()" in str(
            err
        )
        assert err.last_status is not None and err.last_status.status == "running"  # type: ignore[attr-defined]
        assert 595 <= clock() <= 600 and sum(clock.sleeps) <= 600
        # The job keeps running: resume with a new handle and finish.
        render = client.job(job.project_id).wait()
        assert render.status.status == "done"
        assert len(server.projects()) == 1


def test_custom_timeout_argument(client: Client, server: FakeJSON2Video, clock: FakeClock) -> None:
    server.render_seconds = 500
    job = client.submit(movie(), validate=False)
    with pytest.raises(WaitTimeoutError, match="after 60 s"):
        job.wait(timeout=60)
    assert clock() <= 60


def test_three_failed_checks_tolerated(client: Client, server: FakeJSON2Video) -> None:
    job = client.submit(movie(), validate=False)
    server.inject(Fault.status(503, times=3), method="GET", path="/v2/movies")
    assert job.wait().status.status == "done"
    assert len(server.requests_to("GET", "/v2/movies")) >= 4


@pytest.mark.parametrize(
    ("fault", "cls"),
    [
        (Fault.status(503, times=4), ServerError),
        (Fault.malformed(times=4), MalformedResponseError),
        (Fault.drop(times=4), APIConnectionError),
    ],
)
def test_fourth_failed_check_in_a_row_raises(
    client: Client, server: FakeJSON2Video, fault: Fault, cls: type
) -> None:
    job = client.submit(movie(), validate=False)
    server.inject(fault, method="GET", path="/v2/movies")
    with pytest.raises(cls) as info:
        job.wait()
    assert len(server.requests_to("GET", "/v2/movies")) == 4  # one attempt per check
    assert info.value.project_id == job.project_id


def test_failures_must_be_consecutive(
    client: Client, server: FakeJSON2Video, clock: FakeClock
) -> None:
    server.render_seconds = 200
    job = client.submit(movie(), validate=False)
    server.inject(Fault.status(502, times=3), method="GET", path="/v2/movies")
    seen: list[str] = []
    original = client._sleep

    def sleep(s: float) -> None:
        original(s)
        if len(clock.sleeps) == 5:  # after 3 failures and one success, 3 more failures
            server.inject(Fault.status(502, times=3), method="GET", path="/v2/movies")

    client._sleep = sleep
    assert job.wait(on_progress=lambda s: seen.append(s.status)).status.status == "done"
    assert seen[-1] == "done"


@pytest.mark.parametrize("code", [400, 403])
def test_any_4xx_stops_at_once(client: Client, server: FakeJSON2Video, code: int) -> None:
    job = client.submit(movie(), validate=False)
    message = "Insufficient permissions" if code == 403 else "A 16-character project ID"
    server.inject(Fault.status(code, message=message), method="GET", path="/v2/movies")
    with pytest.raises((PermissionDeniedError, Exception)) as info:
        job.wait()
    assert info.value.status_code == code  # type: ignore[attr-defined]
    assert len(server.requests_to("GET", "/v2/movies")) == 1


def test_unknown_project_stops_wait_at_once(client: Client, server: FakeJSON2Video) -> None:
    with pytest.raises(ProjectNotFoundError):
        client.job("Q" * 16).wait()
    assert len(server.requests_to("GET", "/v2/movies")) == 1


def test_429_during_wait_honours_retry_after(
    client: Client, server: FakeJSON2Video, clock: FakeClock
) -> None:
    job = client.submit(movie(), validate=False)
    server.inject(Fault.rate_limit(retry_after=12), method="GET", path="/v2/movies")
    job.wait()
    assert clock.sleeps[0] == 12  # the first wait would have been 5 s


def test_progress_reported_while_running(client: Client, server: FakeJSON2Video) -> None:
    server.render_seconds = 40
    progress: list[float] = []
    client.render(movie(), validate=False, on_progress=lambda s: progress.append(s.progress or 0.0))
    running = [p for p in progress if 0 < p < 100]
    assert running and running == sorted(running)
