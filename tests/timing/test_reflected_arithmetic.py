"""A number on the left of a time expression: ``1 + a.time.end``, ``10 - ...``, ``2 * ...``,
``6 / ...`` and ``-...`` place elements exactly where the same sum with the number on the
right would (found by the mutation run: no test had a number on the left)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from moviekit import Movie, Scene, Text
from moviekit.timing._expr import TimeExpr


def start_of_second(place: Callable[[TimeExpr], object]) -> float:
    """Where ``b`` starts when placed at ``place(a.time.end)``, with ``a`` ending at 2 s."""
    a = Text("a").duration(2)
    b = Text("b").duration(1).start(place(a.time.end))
    timeline = Movie().add(Scene().add(a, b)).timeline()
    assert timeline.exact
    return timeline.elements[1].start


@pytest.mark.parametrize(
    ("place", "start"),
    [
        (lambda end: 1 + end, 3.0),
        (lambda end: 1.5 + end, 3.5),
        (lambda end: 10 - end, 8.0),
        (lambda end: 3 * end, 6.0),
        (lambda end: 6 / end, 3.0),
        (lambda end: 5 + -end, 3.0),
        (lambda end: 7 - (1 + end), 4.0),
    ],
    ids=["1+end", "1.5+end", "10-end", "3*end", "6/end", "5+-end", "7-(1+end)"],
)
def test_a_number_on_the_left(place: Callable[[TimeExpr], object], start: float) -> None:
    assert start_of_second(place) == pytest.approx(start)


def test_the_number_stays_on_the_left() -> None:
    assert start_of_second(lambda end: 8 / end) == 4.0  # not 2 / 8
    assert start_of_second(lambda end: 12 - end) == 10.0  # not 2 - 12
    assert start_of_second(lambda end: end / 1 * 3) == 6.0
