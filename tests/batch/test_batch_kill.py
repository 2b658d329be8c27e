"""Resume after a real kill: a child process SIGKILLs itself at each step of a row's life.

The fake service runs in this process; the child renders against it over real
sockets and dies with SIGKILL (no cleanup) at a scripted step. Re-running the
same batch here must finish every row with each row in the ledger once and
each project created once on the service.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from support.batch_template import TEMPLATE, write_csv

from moviekit import Batch, Client, Ledger, PollPolicy
from moviekit.testing import FakeJSON2Video

CHILD = Path(__file__).resolve().parents[1] / "support" / "batch_child.py"
ROWS = 6

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def assert_each_row_once(ledger: Path, server: FakeJSON2Video, n: int) -> None:
    with Ledger(ledger) as book:
        records = book.rows()
    assert [r.row_key for r in records] == [f"SKU-{i:03d}" for i in range(n)]
    assert {r.status for r in records} == {"done"}
    created = [p["project"] for p in server.projects()]
    assert len(created) == len(set(created)) == n, "a row was rendered twice"
    assert sorted(r.project_id for r in records) == sorted(created)  # type: ignore[type-var]


@pytest.mark.parametrize(
    "step,nth",
    [("before-post", 3), ("after-post", 2), ("polling", 4), ("downloading", 2)],
)
def test_sigkill_at_each_step_then_resume(tmp_path: Path, step: str, nth: int) -> None:
    rows = write_csv(tmp_path / "rows.csv", ROWS)
    ledger, videos = tmp_path / "ledger.db", tmp_path / "videos"
    with FakeJSON2Video(speed=20, queue_seconds=0.4, render_seconds=1.0) as server:
        env = {**os.environ, "JSON2VIDEO_API_KEY": server.api_key}
        child = subprocess.run(
            [sys.executable, str(CHILD), server.base_url, str(ledger), str(rows), str(videos),
             step, str(nth)],
            env=env, capture_output=True, text=True, timeout=60,
        )
        assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr
        before = len(server.projects())
        with Ledger(ledger) as book:
            left = {r.status for r in book.rows()}
        if step == "before-post":
            assert before < nth  # the killed row's POST never left (others may be in flight)
            assert "submitting" in left  # ... but its intent was on disk
        if step == "after-post":
            assert "submitting" in left  # posted, project created, id never recorded
        if step == "downloading":
            assert list(videos.glob(".*.part"))  # the kill left half a file behind
        client = Client(api_key=server.api_key, base_url=server.base_url,
                        poll_policy=PollPolicy.for_local_testing(0.02))
        result = Batch(TEMPLATE, rows, key="sku", ledger=ledger, client=client,
                       concurrency=3).run(download_to=videos)
        assert result.ok, result.describe()
        assert_each_row_once(ledger, server, ROWS)
        files = sorted(p.name for p in videos.iterdir())
        assert files == [f"SKU-{i:03d}.mp4" for i in range(ROWS)]  # no stale .part files
        assert all((videos / f).read_bytes()[4:8] == b"ftyp" for f in files)
