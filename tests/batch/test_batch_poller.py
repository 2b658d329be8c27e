"""The batch poller at its boundaries, against the fake service's fault injection on a FakeClock.

Failed status checks (5xx, 429, a broken answer, a dropped connection) are
tolerated up to ``max_failed_checks`` in a row: one more and this run leaves
the row in flight for the next one. Any other 4xx fails the row at once. The
wait's deadline allows one last check at the deadline itself, as Job.wait does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support.batch_template import TEMPLATE, rows

from moviekit import Batch, BatchEvent, Client, PollPolicy, RowLeftInFlight
from moviekit.testing import FakeJSON2Video, Fault

FAULTS: dict[str, Callable[[int], Fault]] = {
    "503": lambda n: Fault.status(503, times=n),
    "429": lambda n: Fault.rate_limit(1.0, times=n),
    "malformed": lambda n: Fault.malformed(times=n),
    "dropped": lambda n: Fault.drop(times=n),
}


def batch(client: Client, ledger: Path, policy: PollPolicy | None = None) -> Batch:
    return Batch(TEMPLATE, rows(1), key="sku", ledger=ledger, client=client, poll_policy=policy)


def check_times(server: FakeJSON2Video) -> list[float]:
    """Server times of the status checks (not of movie-list reads)."""
    return [r.server_time for r in server.requests_to("GET", "/v2/movies") if "project" in r.query]


def status_checks(server: FakeJSON2Video) -> int:
    return len(check_times(server))


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("limit", [1, 3])
def test_failed_checks_up_to_the_limit_are_tolerated(
    server: FakeJSON2Video, client: Client, tmp_path: Path, fault: str, limit: int
) -> None:
    server.inject(FAULTS[fault](limit), method="GET", path="/v2/movies")
    result = batch(client, tmp_path / "l.db", PollPolicy(max_failed_checks=limit)).run()
    assert result.ok, result.describe()
    assert status_checks(server) > limit and not server.pending_faults


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("limit", [1, 3])
def test_one_failed_check_more_leaves_the_row_for_the_next_run(
    server: FakeJSON2Video, client: Client, tmp_path: Path, fault: str, limit: int
) -> None:
    server.inject(FAULTS[fault](limit + 1), method="GET", path="/v2/movies")
    events: list[BatchEvent] = []
    policy = PollPolicy(max_failed_checks=limit)
    result = batch(client, tmp_path / "l.db", policy).run(on_event=events.append)
    assert result.counts == {"submitted": 1} and result.unfinished == ["SKU-000"]
    assert status_checks(server) == limit + 1  # gave up at the failing check, not before
    (left,) = [e for e in events if isinstance(e, RowLeftInFlight)]
    assert f"{limit + 1} status checks failed in a row" in left.reason
    assert left.counts.rendering == 0
    resumed = batch(client, tmp_path / "l.db", policy).run()
    assert resumed.ok and len(server.requests_to("POST", "/v2/movies")) == 1


@pytest.mark.parametrize("code", [403, 404])
def test_a_refused_status_check_fails_the_row_at_once(
    server: FakeJSON2Video, client: Client, tmp_path: Path, code: int
) -> None:
    server.inject(Fault.status(code), method="GET", path="/v2/movies")
    result = batch(client, tmp_path / "l.db").run()
    assert result.counts == {"failed": 1} and status_checks(server) == 1
    assert (result["SKU-000"].error or "").startswith("status check refused:")


@pytest.mark.parametrize("render,done", [(105.0, True), (115.0, False)])
def test_the_deadline_allows_a_last_check_at_the_deadline(
    server: FakeJSON2Video, client: Client, tmp_path: Path, render: float, done: bool
) -> None:
    # Checks at 0, 5, 13, 24, 41, 66, 96, then at the deadline (110), not at 126.
    server.queue_seconds, server.render_seconds = 0.0, render
    result = batch(client, tmp_path / "l.db", PollPolicy(deadline=110.0)).run()
    checks = check_times(server)
    assert [round(t - checks[0], 3) for t in checks] == [0, 5, 13, 24, 41, 66, 96, 110]
    assert result.ok is done and result.counts == ({"done": 1} if done else {"rendering": 1})
