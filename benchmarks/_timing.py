"""Shared by the benchmarks: the best-of-N wall time of a call.

The best of several runs is the least disturbed by other work on a shared
machine; ratios are always taken between figures measured in the same run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_of(fn: Callable[[], Any], repeat: int) -> float:
    """The shortest of ``repeat`` runs of ``fn()``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
