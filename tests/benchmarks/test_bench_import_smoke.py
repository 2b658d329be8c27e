"""The import benchmark stays runnable: its quick mode prints every row and the check.

The ratio is not asserted here (these machines are shared and noisy); the regression guard
is tests/package (which modules `import moviekit` loads). Run ``python
benchmarks/bench_import.py`` on a quiet machine for the real figures.
"""

from __future__ import annotations

from support.benchmarks import run_quick


def test_quick_import_benchmark_prints_every_row_and_check() -> None:
    out = run_quick("bench_import.py")
    for row in (
        "import requests",
        "import moviekit ",
        "from moviekit import Movie",
        "moviekit.cli",
    ):
        assert row in out
    assert out.count("PASS") + out.count("FAIL") == 1
