"""The studio's Ctrl-C stress script stays runnable: its quick mode prints its tally."""

from __future__ import annotations

import pytest
from support.benchmarks import run_quick

pytest.importorskip("imageio_ffmpeg", reason="needs moviekit-json2video[preview]")
pytest.importorskip("watchfiles", reason="needs moviekit-json2video[studio]")


def test_quick_sigint_stress_prints_its_tally() -> None:
    out = run_quick("stress_studio_sigint.py", timeout=300)
    for moment in ("line", "rendering"):
        assert f"{moment:>9}: exit x1" in out, out
