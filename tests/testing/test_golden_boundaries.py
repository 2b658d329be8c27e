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


@pytest.mark.parametrize(
    ("golden", "compiled", "expected"),
    [
        # the same length everywhere: only a full comparison finds these
        (
            {"s": [{"e": [{"t": "Hello"}]}]},
            {"s": [{"e": [{"t": "Hi"}]}]},
            ["s[0].e[0].t: 'Hello' != 'Hi'"],
        ),
        ([{"x": [1, 2]}], [{"x": [1, 3]}], ["[0].x[1]: 2 != 3"]),
        ([1], ["1"], ["[0]: 1 != '1'"]),
        ([{"a": True}], [{"a": 1}], ["[0].a: True != 1"]),
        ([[True]], [[1]], ["[0][0]: True != 1"]),
        ([{"a": 5}], [{"a": None}], ["[0].a: 5 != None"]),
        ([{"a": None}], [{"a": 5}], ["[0].a: None != 5"]),
        ([[5]], [[None]], ["[0][0]: 5 != None"]),
        ([[None]], [[5]], ["[0][0]: None != 5"]),
    ],
)
def test_a_difference_deep_inside_lists_of_one_length_is_found(
    golden: Any, compiled: Any, expected: list[str]
) -> None:
    assert lines(golden, compiled) == expected


def test_replaced_runs_pair_item_by_item_with_the_right_paths() -> None:
    golden = ["a", {"x": 1}, {"y": 1, "z": 2}]
    compiled = ["a", {"x": 2}, {"y": 2}]
    assert lines(golden, compiled) == ["[1].x: 1 != 2", "[2].y: 1 != 2", "[2].z: removed 2"]


def test_a_longer_replacement_adds_the_rest() -> None:
    assert lines(["a", "b", "X"], ["a", "b", "Y", "Z"]) == ["[2]: 'X' != 'Y'", "[3]: added 'Z'"]


def test_a_shorter_replacement_removes_the_rest() -> None:
    assert lines(["a", "b", "X", "W"], ["a", "b", "Y"]) == [
        "[2]: 'X' != 'Y'",
        "[3]: removed 'W'",
    ]


def test_differences_carry_their_kind_and_the_missing_side() -> None:
    changed, added, removed = golden_diff({"a": 1, "b": 2}, {"a": 3, "c": 4})
    assert (changed.kind, added.kind, removed.kind) == ("changed", "added", "removed")
    assert repr(added.golden) == repr(removed.compiled) == "<missing>"


def test_golden_text_keeps_non_ascii_text() -> None:
    from moviekit import Movie, Scene, Text
    from moviekit.testing import golden_text

    text = golden_text(Movie().add(Scene(duration=1).add(Text("café ✓"))))
    assert '"café ✓"' in text and text.endswith("}\n")


def test_the_default_hint_says_how_to_update(tmp_path: Any) -> None:
    from moviekit.testing import GoldenMismatch, assert_golden

    with pytest.raises(GoldenMismatch) as info:
        assert_golden({"resolution": "hd"}, tmp_path / "missing.json")
    assert str(info.value).endswith("To create it from the compiled movie, rerun with update=True.")
