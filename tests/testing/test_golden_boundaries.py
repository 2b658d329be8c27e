"""Golden diffs at their edges: list alignment that ignores key order and number spelling,
and the cap on listed differences (found by the mutation run: nothing held these before)."""

from __future__ import annotations

from typing import Any

import pytest

from moviekit.testing import Difference, golden_diff
from moviekit.testing._golden import MAX_SHOWN, describe_differences


def lines(golden: Any, compiled: Any) -> list[str]:
    return [str(d) for d in golden_diff(golden, compiled)]


def test_an_inserted_item_aligns_past_reordered_keys() -> None:
    golden = {"scenes": [{"a": 1, "b": 2}, {"c": 3}]}
    compiled = {"scenes": [{"new": 0}, {"b": 2, "a": 1}, {"c": 3}]}
    assert lines(golden, compiled) == ["scenes[0]: added {'new': 0}"]


def test_an_inserted_item_aligns_past_numbers_spelled_differently() -> None:
    golden = [5, {"x": [1, 2]}, "s", None, True]
    compiled = [0, 5.0, {"x": [1.0, 2.0]}, "s", None, True]
    assert lines(golden, compiled) == ["[0]: added 0"]


def test_a_removed_item_aligns_past_nested_numbers_and_key_order() -> None:
    golden = [{"gone": True}, {"k": {"y": 2, "x": 1.0}}]
    compiled = [{"k": {"x": 1, "y": 2.0}}]
    assert lines(golden, compiled) == ["[0]: removed {'gone': True}"]


def test_booleans_stay_apart_from_numbers_when_aligning() -> None:
    assert lines([True, 1], [1, True]) != []
    assert lines([1], [True]) == ["[0]: 1 != True"]
    assert lines([None], ["null"]) == ["[0]: None != 'null'"]


def differences(n: int) -> list[Difference]:
    return [Difference(f"scenes[{i}].duration", "changed", i, i + 1) for i in range(n)]


def test_exactly_the_limit_is_listed_without_a_more_line() -> None:
    text = describe_differences(differences(MAX_SHOWN))
    assert len(text.splitlines()) == MAX_SHOWN
    assert "more" not in text


def test_one_over_the_limit_is_counted() -> None:
    text = describe_differences(differences(MAX_SHOWN + 1)).splitlines()
    assert len(text) == MAX_SHOWN + 1
    assert text[-1] == "  ... and 1 more"
    assert text[0] == "  scenes[0].duration: 0 != 1"


@pytest.mark.parametrize("limit", [0, 1, 3])
def test_a_smaller_limit(limit: int) -> None:
    text = describe_differences(differences(3), limit).splitlines()
    shown = [line for line in text if "more" not in line]
    assert len(shown) == limit
    assert (f"  ... and {3 - limit} more" in text) is (limit < 3)
