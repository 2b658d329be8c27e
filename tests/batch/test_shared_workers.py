"""Many workers, one batch: worker processes on one PostgreSQL ledger, one fake service process.

Every row is rendered exactly once, counted on the service by the row key in
``client-data``: with three workers, with two started at the same instant, and
with workers SIGKILLed at random moments (and restarted). The limit of rows in
flight is one number for all workers: the service never has more renders at
once than it, though the workers' own limits add up to more.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.batch_service import ServiceProcess
from support.batch_template import write_csv

from moviekit import PostgresLedger

WORKER = Path(__file__).resolve().parents[1] / "support" / "batch_worker.py"
CONCURRENCY, PLAN = 6, 12  # three workers could have 18 in flight; the plan allows 12
# A killed worker's rows wait this long for a taker. A live worker renews its lease every
# third of it, so it loses it only when stalled for 1.3 s: more than a loaded CI machine does.
LEASE = 2.0


@pytest.fixture
def service() -> Iterator[ServiceProcess]:
    # Renders last about twice what a worker spends around each (its ledger calls, its POST,
    # a 0.05 s poll): the renders of two workers overlap on the service.
    with ServiceProcess(queue_seconds=0.05, render_seconds=0.15) as fake:
        yield fake


_started: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def _no_worker_left_behind() -> Iterator[None]:
    """A failed test's workers (one may still wait for "go") are killed, not left running."""
    yield
    for worker in _started:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    _started.clear()


def start(
    service: ServiceProcess, ledger: str, rows: Path, *, kill_at: str = "", on_go: bool = False
) -> subprocess.Popen[str]:
    """A worker process; with ``on_go`` it says ``ready`` and waits for a line on stdin."""
    args = [service.base_url, ledger, rows, CONCURRENCY, PLAN, LEASE, *(["go"] if on_go else [])]
    env = {**os.environ, "JSON2VIDEO_API_KEY": service.api_key, "KILL_AT": kill_at}
    worker = subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        env=env,
        text=True,
        stdin=subprocess.PIPE if on_go else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _started.append(worker)
    return worker


def wait_ready(worker: subprocess.Popen[str]) -> None:
    assert worker.stdout is not None and worker.stdout.readline() == "ready\n"


def go(worker: subprocess.Popen[str]) -> None:
    assert worker.stdin is not None
    worker.stdin.write("go\n")
    worker.stdin.flush()


def finish(worker: subprocess.Popen[str]) -> int:
    out, err = worker.communicate(timeout=240)
    assert worker.returncode in (0, -9), f"worker failed:\n{out}\n{err[-3000:]}"
    return worker.returncode


def assert_each_row_rendered_once(service: ServiceProcess, ledger: str, rows: int) -> None:
    keys = {f"SKU-{i:03d}" for i in range(rows)}
    per_row = service.renders_per_row()
    assert set(per_row) == keys, f"rows never rendered: {sorted(keys - set(per_row))[:10]}"
    twice = {k: n for k, n in per_row.items() if n != 1}
    assert not twice, f"rows rendered more than once: {twice}"
    with PostgresLedger(ledger) as shared:
        assert shared.counts() == {"done": rows}
        assert not any(w["claims"] for w in shared.workers())


def test_three_workers_render_every_row_once_within_the_shared_limit(
    service: ServiceProcess, pg_url: str, tmp_path: Path
) -> None:
    # 120 rows, ten rounds of the shared limit: every worker takes part.
    rows = write_csv(tmp_path / "rows.csv", 120)
    workers = [start(service, pg_url, rows) for _ in range(3)]
    assert [finish(w) for w in workers] == [0, 0, 0]  # each stays until the batch is done
    assert_each_row_rendered_once(service, pg_url, 120)
    most = service.most_at_once()
    assert most <= PLAN, f"{most} renders at once: the shared limit is {PLAN}"
    assert most > CONCURRENCY  # more than one worker's worth: they did share the work


def test_two_workers_started_at_the_same_instant(
    service: ServiceProcess, pg_url: str, tmp_path: Path
) -> None:
    # The race is at the start (both plan the same rows and claim the first ones at once):
    # 60 rows, five rounds of the shared limit, are as many as it needs.
    rows = write_csv(tmp_path / "rows.csv", 60)
    workers = [start(service, pg_url, rows, on_go=True) for _ in range(2)]
    for worker in workers:  # both imported and connected: only the run is left to start
        wait_ready(worker)
    for worker in workers:
        go(worker)
    assert [finish(w) for w in workers] == [0, 0]
    assert_each_row_rendered_once(service, pg_url, 60)
    most = service.most_at_once()
    assert CONCURRENCY < most <= PLAN  # both worked, and within the one limit


def test_workers_killed_at_random_moments_and_restarted(
    service: ServiceProcess, pg_url: str, tmp_path: Path
) -> None:
    seed = int(os.environ.get("MOVIEKIT_KILL_SEED", time.time()))
    chance = random.Random(seed)
    # Five kills come within 4 s (2.25 s on average); 150 rows keep the workers busy longer
    # (about 5 s, each kill idling its rows for a lease).
    rows = write_csv(tmp_path / "rows.csv", 150)
    workers = [start(service, pg_url, rows) for _ in range(3)]
    killed = 0
    while killed < 5:
        time.sleep(chance.uniform(0.1, 0.8))
        alive = [w for w in workers if w.poll() is None]
        assert alive, f"every worker ended before 5 kills (seed {seed})"
        victim = chance.choice(alive)
        victim.kill()  # SIGKILL: no finally block, no goodbye to the ledger
        victim.wait()
        killed += 1
        workers.append(start(service, pg_url, rows))
    codes = [finish(w) for w in workers]
    assert codes.count(-9) == 5 and codes.count(0) == len(codes) - 5, f"seed {seed}"
    assert_each_row_rendered_once(service, pg_url, 150)
    assert service.most_at_once() <= PLAN


@pytest.mark.parametrize("step", ["before-post", "after-post", "polling"])
def test_a_worker_killed_at_each_step_is_taken_over_after_its_lease(
    service: ServiceProcess, pg_url: str, tmp_path: Path, step: str
) -> None:
    """``after-post``: the project exists, the ledger says ``submitting``. The worker that takes
    the row over must find the project by its client-data key, not post the row again."""
    rows = write_csv(tmp_path / "rows.csv", 24)  # the doomed worker's rows, two rounds more
    # The survivor imports and connects meanwhile; it joins the batch after the kill, on "go".
    survivor = start(service, pg_url, rows, on_go=True)
    doomed = start(service, pg_url, rows, kill_at=f"{step}:4")
    assert doomed.wait(timeout=60) == -9
    killed = time.monotonic()
    with PostgresLedger(pg_url) as shared:
        assert any(r.status != "done" for r in shared.rows())
        (dead,) = shared.workers()
        assert dead["alive"] and dead["claims"]  # its lease has not run out yet
    wait_ready(survivor)
    go(survivor)
    assert finish(survivor) == 0
    # The dead worker renewed its lease at most a third of it before the kill.
    assert time.monotonic() - killed >= LEASE / 2  # the survivor waited for that lease
    per_row = service.renders_per_row()
    assert sorted(per_row) == [f"SKU-{i:03d}" for i in range(24)]
    assert set(per_row.values()) == {1}, {k: n for k, n in per_row.items() if n > 1}
