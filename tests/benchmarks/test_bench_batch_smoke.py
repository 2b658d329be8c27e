"""The batch benchmark runs (quick mode) and prints its table; timings are not asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_batch.py"


def test_bench_batch_quick_runs_and_prints_the_table() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=240
    )
    assert done.returncode in (0, 1), done.stderr  # 1 = a target missed on a busy machine
    out = done.stdout
    assert "compile + validate 1,000 rows" in out and "us/row" in out
    assert "renders, concurrency" in out and "ideal" in out and "ratio" in out
    assert "rows on one PostgreSQL ledger" in out and ("ledger ms/row" in out or "skipped" in out)
    assert "PASS" in out or "FAIL" in out


def test_bench_batch_runs_one_part_alone() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--only", "compile"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode in (0, 1), done.stderr
    assert "compile + validate 1,000 rows" in done.stdout
    assert "renders, concurrency" not in done.stdout and "PostgreSQL" not in done.stdout
