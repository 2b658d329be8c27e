"""The batch benchmark runs (its smoke size) and prints its table; timings are not asserted."""

from __future__ import annotations

from support.benchmarks import run_quick


def test_bench_batch_runs_every_part_and_prints_the_table() -> None:
    out = run_quick("bench_batch.py", "--smoke", timeout=240)
    assert "compile + validate 100 rows" in out and "us/row" in out
    assert "renders, concurrency" in out and "ideal" in out and "ratio" in out
    assert "rows on one PostgreSQL ledger" in out and ("ledger ms/row" in out or "skipped" in out)
    assert "PASS" in out or "FAIL" in out


def test_bench_batch_runs_one_part_alone() -> None:
    out = run_quick("bench_batch.py", "--smoke", "--only", "compile", timeout=240)
    assert "compile + validate 100 rows" in out
    assert "renders, concurrency" not in out and "PostgreSQL" not in out
