"""The studio benchmark stays runnable: its quick mode prints its table (no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("imageio_ffmpeg", reason="needs moviekit-json2video[preview]")
ROOT = Path(__file__).resolve().parents[2]


def test_quick_studio_benchmark_prints_its_table() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_studio.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    for row in ("full render", "one-scene edit", "edit / full"):
        assert row in run.stdout
    # Only the edited scene, the transition into it and its storyboard frame render again.
    assert "(jobs from the cache: 8/10)" in run.stdout
