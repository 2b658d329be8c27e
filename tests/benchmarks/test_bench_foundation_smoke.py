"""The foundation benchmark stays runnable: its quick mode builds its documents, prints its table.

Timing figures are not asserted here (these machines are shared and noisy);
run ``python benchmarks/bench_foundation.py`` for the real measurement. What is
asserted is that the benchmark measures what it says: every element type of the
corpus, a clean variant with no remark, warnings and exactly three errors (the
benchmark checks those itself before timing anything).
"""

from __future__ import annotations

from support.benchmarks import run_quick


def test_quick_benchmark_prints_every_measure_with_its_target() -> None:
    out = run_quick("bench_foundation.py")
    for row in (
        "every element type",
        "validate clean (0 warnings)",
        "validate with warnings (80)",
        "... and every warning read",
        "validate with errors (3)",
        "validate 8x the elements",
        "fluent: builders + to_json()",
    ):
        assert row in out, out
    assert out.count("PASS") + out.count("FAIL") == 5
