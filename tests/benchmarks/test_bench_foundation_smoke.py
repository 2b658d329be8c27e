"""The foundation benchmark stays runnable: its quick mode runs and prints the full table.

Timing figures are not asserted here (these machines are shared and noisy);
run ``python benchmarks/bench_foundation.py`` for the real measurement.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_prints_every_row_and_check() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_foundation.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr  # 1 = a target missed on this noisy run
    for row in ("floor:", "careful:", "fluent:", "moviekit.validate alone", "10,000 elements"):
        assert row in run.stdout
    assert run.stdout.count("PASS") + run.stdout.count("FAIL") == 4
