"""The studio benchmark stays runnable: its quick mode prints its table (no timing asserted)."""

from __future__ import annotations

import pytest
from support.benchmarks import run_quick

pytest.importorskip("imageio_ffmpeg", reason="needs moviekit-json2video[preview]")


def test_quick_studio_benchmark_prints_its_table() -> None:
    out = run_quick("bench_studio.py", "--smoke", timeout=600, targets=False)
    for row in ("full render", "one-scene edit", "edit / full"):
        assert row in out
    # Only the edited scene, the transition into it and its storyboard frame render again.
    assert "(jobs from the cache: 8/10)" in out
