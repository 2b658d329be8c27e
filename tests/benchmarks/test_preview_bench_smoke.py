"""The preview benchmark stays runnable: its quick mode prints every row (no timing asserted).

moviepy is skipped here (installing it needs the network and minutes); run
``python benchmarks/bench_preview.py`` for the real table.
"""

from __future__ import annotations

import pytest
from support.benchmarks import run_quick

pytest.importorskip("imageio_ffmpeg", reason="needs moviekit-json2video[preview]")


def test_quick_preview_benchmark_prints_its_table() -> None:
    out = run_quick("bench_preview.py", "--no-moviepy", timeout=600)
    for row in ("floor:", "moviekit.preview.render", "moviepy", "memory, 6 scenes"):
        assert row in out
    assert out.count("PASS") + out.count("FAIL") == 2
