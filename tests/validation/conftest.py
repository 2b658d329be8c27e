"""Every validation test starts with no object shape planned.

The walk keeps one plan, with its generated fast check, per object shape for the
life of the process (``moviekit.validation._walk``). Each test here starts
without them: no test leans on a shape an earlier test planned, and the mutation
run credits the planning code to every test that plans (mutmut maps a function to
the tests that call it, and a cached plan is made only once per process).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from moviekit.validation._plans import ELEMENT_INFO, OBJECT_INFO, SCENE_LANES


@pytest.fixture(autouse=True)
def _no_planned_shapes() -> Iterator[None]:
    for info in (*ELEMENT_INFO.values(), *OBJECT_INFO.values()):
        info.plans.clear()
        info.fast.clear()
        info.lanes.clear()
    SCENE_LANES.clear()
    yield
