"""The one retry layer (issue #13.4): attempts counted once per call, whatever went wrong.

And the boundaries the suite used to let through (#20.1): 500 is retried, 499
is not; an ambiguous submit's second lookup finds a project the list showed late.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.transport import movie

from moviekit._errors import (
    APIConnectionError,
    APIStatusError,
    BadRequestError,
    MalformedResponseError,
    ServerError,
)
from moviekit.testing import FakeClock, FakeJSON2Video, Fault
from moviekit.transport._client import Client
from moviekit.transport._polling import RetryPolicy


def _mixed_faults(server: FakeJSON2Video, method: str, path: str, rounds: int = 4) -> None:
    """503, 503, 503, malformed: ``rounds`` times over."""
    for _ in range(rounds):
        server.inject(Fault.status(503, times=3), method=method, path=path)
        server.inject(Fault.malformed(), method=method, path=path)


def _done(client: Client, clock: FakeClock) -> str:
    job = client.submit(movie(), validate=False)
    clock.advance(10)
    return job.project_id


def _checks(server: FakeJSON2Video, pid: str) -> int:
    return sum(1 for r in server.requests_to("GET", "/v2/movies") if r.query.get("project") == pid)


def test_one_get_sends_at_most_max_retries_plus_one_requests(
    server: FakeJSON2Video, client: Client, clock: FakeClock
) -> None:
    pid = _done(client, clock)
    _mixed_faults(server, "GET", "/v2/movies")
    with pytest.raises(MalformedResponseError):
        client.get(pid)
    assert _checks(server, pid) == client.retry_policy.max_retries + 1  # before: 16


def test_the_budget_is_the_policys(server: FakeJSON2Video, clock: FakeClock) -> None:
    client = Client(
        api_key=server.api_key,
        base_url=server.base_url,
        sleep=clock.sleep,
        clock=clock,
        retry_policy=RetryPolicy(max_retries=1),
    )
    pid = _done(client, clock)
    _mixed_faults(server, "GET", "/v2/movies")
    with pytest.raises(ServerError):
        client.get(pid)
    assert _checks(server, pid) == 2


def test_one_download_sends_at_most_max_retries_plus_one_requests(
    server: FakeJSON2Video, client: Client, clock: FakeClock, tmp_path: Path
) -> None:
    render = client.job(_done(client, clock)).wait()
    _mixed_faults(server, "GET", "/files/")
    with pytest.raises(APIConnectionError):  # the last attempt: a file cut short
        render.download(tmp_path / "out.mp4")
    downloads = [r for r in server.requests if r.path.startswith("/files/")]
    assert len(downloads) == client.retry_policy.max_retries + 1  # before: 16
    assert list(tmp_path.iterdir()) == []


def test_one_submit_sends_at_most_max_retries_plus_one_posts(
    server: FakeJSON2Video, client: Client
) -> None:
    server.inject(Fault.status(503, times=50), method="POST", path="/v2/movies")
    with pytest.raises(ServerError):
        client.submit(movie(), validate=False)
    assert len(server.requests_to("POST", "/v2/movies")) == client.retry_policy.max_retries + 1
    assert server.projects() == []


def test_backoff_sleeps_follow_the_policy_with_jitter_isolated(
    server: FakeJSON2Video, client: Client, clock: FakeClock
) -> None:
    pid = _done(client, clock)
    server.inject(Fault.status(503, times=3), method="GET", path="/v2/movies")
    before = len(clock.sleeps)
    assert client.get(pid).status == "done"
    assert clock.sleeps[before:] == [0.5, 1.0, 2.0]  # random_fn=0: no jitter


def test_retry_after_of_a_503_is_honoured(
    server: FakeJSON2Video, client: Client, clock: FakeClock
) -> None:
    pid = _done(client, clock)
    server.inject(Fault.rate_limit(retry_after=7), method="GET", path="/v2/movies")
    before = len(clock.sleeps)
    client.get(pid)
    assert clock.sleeps[before:] == [7.0]


# ------------------------------------------------------------------ #20.1: the boundaries


def test_http_500_is_retried(server: FakeJSON2Video, client: Client, clock: FakeClock) -> None:
    pid = _done(client, clock)
    server.inject(Fault.status(500), method="GET", path="/v2/movies")
    assert client.get(pid).status == "done"
    assert _checks(server, pid) == 2


def test_http_499_is_not_retried(server: FakeJSON2Video, client: Client, clock: FakeClock) -> None:
    pid = _done(client, clock)
    server.inject(
        Fault.status(499, message="Client closed request"), method="GET", path="/v2/movies"
    )
    with pytest.raises(APIStatusError) as info:
        client.get(pid)
    assert isinstance(info.value, BadRequestError) and info.value.status_code == 499
    assert _checks(server, pid) == 1


def test_http_500_on_submit_is_reconciled_not_raised(
    server: FakeJSON2Video, client: Client
) -> None:
    server.inject(Fault.status(500), method="POST", path="/v2/movies")
    job = client.submit(movie(), validate=False)
    assert [p["project"] for p in server.projects()] == [job.project_id]
    assert len(server.requests_to("POST", "/v2/movies")) == 2  # proven absent, then resent


def test_second_lookup_finds_a_project_the_list_showed_late(
    server: FakeJSON2Video, client: Client
) -> None:
    server.inject(Fault.drop(), method="POST", path="/v2/movies")  # created, answer lost
    server.inject(Fault.late(), method="GET", path="/v2/movies")  # first list misses it
    job = client.submit(movie(), validate=False)
    assert [p["project"] for p in server.projects()] == [job.project_id]  # no second render
    assert len(server.requests_to("POST", "/v2/movies")) == 1
    lists = [r for r in server.requests_to("GET", "/v2/movies") if "project" not in r.query]
    assert len(lists) == 2
