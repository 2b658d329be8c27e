"""Measuring how work grows with input size, for the "in linear time" tests.

Timing on a shared machine is noisy, so each size is run a few times and the
best run counts (the least disturbed), and the test compares two sizes measured
in the same test: a linear function run on 8x the input takes about 8x as long,
a quadratic one about 64x. Asserting a ratio of at most 12 leaves room for noise
and for fixed costs, and still catches any quadratic step.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from typing import Any

#: the size factor between the two measurements, and the largest growth accepted for it
FACTOR = 8
LIMIT = 12.0


def best_time(fn: Callable[[], Any], repeat: int = 3) -> float:
    """The shortest of ``repeat`` runs of ``fn()``, in seconds.

    Each run starts after a collection and runs with the cyclic collector off:
    its passes cost in proportion to every object alive, so a bigger input
    would be charged for the test's own heap (measured: 9x for 8x the input
    with the collector on, 8.3x with it off, on a linear compile).
    """
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            began = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - began)
        finally:
            gc.enable()
    return best


def growth(make: Callable[[int], Any], run: Callable[[Any], Any], n: int) -> float:
    """How many times longer ``run(make(FACTOR * n))`` takes than ``run(make(n))``.

    ``make`` builds the input outside the measurement; only ``run`` is timed.
    """
    small, big = make(n), make(FACTOR * n)
    return best_time(lambda: run(big)) / max(best_time(lambda: run(small)), 1e-6)


def assert_linear(make: Callable[[int], Any], run: Callable[[Any], Any], n: int) -> None:
    """Fail when ``run`` grows clearly faster than its input (measured at ``n`` and 8n).

    A measurement over the limit is taken again once before failing: on a shared
    machine one burst of load can land on the larger run.
    """
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        # mutmut's first pass records every call of every mutated function, which skews
        # timings; with a mutant in place (and in every normal run) the ratio is asserted.
        run(make(n))
        return
    ratio = growth(make, run, n)
    if ratio > LIMIT:
        ratio = min(ratio, growth(make, run, n))
    assert ratio <= LIMIT, (
        f"{FACTOR}x the input took {ratio:.1f}x as long (linear: about {FACTOR}x)"
    )
