"""Shared by the benchmarks: best-of-N wall times.

The best of several runs is the least disturbed by other work on a shared
machine; ratios are always taken between figures measured in the same run,
and :func:`best_of_each` interleaves the pipelines it compares, so a burst
of load on the machine hits all of them alike.
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


def best_of_each(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """The shortest of ``repeat`` runs of each function, run in turns (round robin)."""
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best
