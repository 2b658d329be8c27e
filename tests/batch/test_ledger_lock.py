"""One ledger, two real `moviekit batch run` processes: the second is refused, whatever the name.

The first process reaches the ledger by its real path and holds it while its
first two renders wait on the fake service's manual clock; the second reaches
the same file through a symlink, a hard link or a relative path. Before the
lock was keyed on the file's identity, the symlinked run planned the rows the
first had not reached yet and submitted them a second time.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.batch_template import write_csv

from moviekit import Ledger, LedgerError
from moviekit.testing import FakeClock, FakeJSON2Video

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = f"{ROOT / 'tests' / 'support' / 'batch_template.py'}:TEMPLATE"
ROWS = 6

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file locks")


def batch_run(server: FakeJSON2Video, rows: Path, ledger: str, cwd: Path) -> subprocess.Popen[str]:
    """``moviekit batch run`` in a child process; two rows in flight at a time."""
    env = {**os.environ, "JSON2VIDEO_API_KEY": server.api_key,
           "JSON2VIDEO_BASE_URL": server.base_url, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "moviekit", "batch", "run", TEMPLATE, str(rows), "--key", "sku",
         "--ledger", ledger, "--poll-interval", "0.05", "--concurrency", "2"],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for(condition: object, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def run_clock(clock: FakeClock, *processes: subprocess.Popen[str]) -> None:
    """Let the fake service's time run until every process has exited."""
    deadline = time.monotonic() + 120
    while any(p.poll() is None for p in processes) and time.monotonic() < deadline:
        clock.advance(10)
        time.sleep(0.05)
    for p in processes:
        if p.poll() is None:
            p.kill()


def alias(kind: str, real: Path, tmp: Path) -> tuple[str, Path]:
    """(the --ledger argument, the directory the second process runs in)."""
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    if kind == "symlink":
        (elsewhere / "link.db").symlink_to(real)
        return str(elsewhere / "link.db"), elsewhere
    if kind == "hardlink":
        os.link(real, elsewhere / "hard.db")
        return str(elsewhere / "hard.db"), elsewhere
    return os.path.relpath(real, elsewhere), elsewhere


@pytest.mark.parametrize("kind", ["symlink", "hardlink", "relative"])
def test_second_process_through_another_name_is_refused(tmp_path: Path, kind: str) -> None:
    rows = write_csv(tmp_path / "rows.csv", ROWS)
    real = tmp_path / "ledger.db"
    clock = FakeClock()  # renders finish only when the test moves this clock
    with FakeJSON2Video(clock=clock, queue_seconds=1.0, render_seconds=5.0) as server:
        first = batch_run(server, rows, str(real), tmp_path)
        running = [first]
        try:
            wait_for(lambda: len(server.projects()) == 2 or first.poll() is not None)
            assert first.poll() is None, first.communicate()
            name, cwd = alias(kind, real, tmp_path)
            second = batch_run(server, rows, name, cwd)
            running.append(second)
            # Refused at once, or (the bug) it planned rows 2-5 too and waits like the first.
            with contextlib.suppress(subprocess.TimeoutExpired):
                second.wait(timeout=20)
        finally:
            run_clock(clock, *running)
        out, err = first.communicate()
        second_out, second_err = second.communicate()
        assert len(server.projects()) == ROWS, "a row was rendered twice"
    assert first.returncode == 0, out + err
    assert second.returncode == 1, second_out + second_err
    expected = "hard link" if kind == "hardlink" else "another process is running this batch"
    assert expected in second_err and "Traceback" not in second_err
    if kind == "hardlink":
        (tmp_path / "elsewhere" / "hard.db").unlink()
    with Ledger(real) as book:
        assert book.counts() == {"done": ROWS}


def test_hard_linked_ledger_is_refused_with_the_reason(tmp_path: Path) -> None:
    Ledger(tmp_path / "l.db").close()
    os.link(tmp_path / "l.db", tmp_path / "twin.db")
    for name in ("l.db", "twin.db"):
        with pytest.raises(LedgerError, match="2 names .hard links."):
            Ledger(tmp_path / name)


def test_fence_stops_a_run_whose_lock_was_taken(tmp_path: Path) -> None:
    # The OS lock can be lost behind a run's back (its .lock file deleted): the lock
    # inside SQLite then lets only the newest holder record an intent to submit.
    path = tmp_path / "l.db"
    with Ledger(path) as first, Ledger(path) as second:
        first.acquire()
        first.record_intent("a", 0, "h", "k1")
        for lock in tmp_path.glob("*.lock"):
            lock.unlink()
        second.acquire()
        with pytest.raises(LedgerError, match="another process took this ledger over"):
            first.record_intent("b", 1, "h", "k2")
        second.record_intent("b", 1, "h", "k3")
        assert [r.submission_key for r in second.rows()] == ["k1", "k3"]
