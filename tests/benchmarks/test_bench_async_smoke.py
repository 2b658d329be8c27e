"""The async benchmark runs (quick mode) and prints its table; timings are not asserted."""

from __future__ import annotations

from support.benchmarks import run_quick


def test_bench_async_quick_runs_and_prints_the_table() -> None:
    out = run_quick("bench_async.py", "--smoke", timeout=180)
    assert "10 renders, 5 at once" in out and "x ideal" in out
    for row in ("ideal (ceil(N / C)", "AsyncClient (render tasks)", "Batch.run_async", "Batch.run"):
        assert row in out, out
    assert "PASS" in out or "FAIL" in out
