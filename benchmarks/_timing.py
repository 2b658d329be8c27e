"""Shared by the benchmarks: best-of-N wall times.

The best of several runs is the least disturbed by other work on a shared
machine; ratios are always taken between figures measured in the same run,
and :func:`best_of_each` interleaves the pipelines it compares, so a burst
of load on the machine hits all of them alike. Every run starts after a full
garbage collection, so no run pays for the garbage an earlier one left (a
full collection after a big build can cost as much as the run being timed);
each still pays for the collections its own allocations cause.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any


def best_of(fn: Callable[[], Any], repeat: int) -> float:
    """The shortest of ``repeat`` runs of ``fn()``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        best = min(best, _timed(fn))
    return best


def best_of_each(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """The best time per call of each function over ``repeat`` rounds, run in turns.

    Samples are made about equally long: a function a few times faster than the
    slowest one is called that many times per sample (each call timed after a
    collection, the sample being their sum). On a shared machine a burst of
    load is likelier to land in a long sample than in a short one, so without
    this the best of a slow pipeline would be disturbed more often than the
    best of a fast one, and their ratio would read high.
    """
    single = {name: _timed(fn) for name, fn in fns.items()}  # also a warm-up run
    longest = max(single.values())
    calls = {name: max(1, round(longest / seconds)) for name, seconds in single.items()}
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, fn in fns.items():
            sample = sum(_timed(fn) for _ in range(calls[name]))
            best[name] = min(best[name], sample / calls[name])
    return best


def _timed(fn: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
