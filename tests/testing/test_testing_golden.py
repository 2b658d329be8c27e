"""Golden files without pytest's fixture: the diff by JSON path and ``assert_golden`` itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.lazy import check_lazy_package

import moviekit.testing
from moviekit import Movie, Scene, Text, Video
from moviekit.testing import Difference, GoldenMismatch, assert_golden, golden_diff, golden_text


def lines(golden: object, compiled: object) -> list[str]:
    return [str(d) for d in golden_diff(golden, compiled)]


def test_changed_added_and_removed_keys_by_path() -> None:
    golden = {"resolution": "hd", "scenes": [{"duration": 3, "elements": [{"type": "text",
              "text": "A", "style": "001"}]}]}  # fmt: skip
    compiled = {"resolution": "hd", "scenes": [{"elements": [{"type": "text", "text": "B",
                "start": 1}]}], "quality": "high"}  # fmt: skip
    assert lines(golden, compiled) == [
        "scenes[0].elements[0].text: 'A' != 'B'",
        "scenes[0].elements[0].start: added 1",
        "scenes[0].elements[0].style: removed '001'",
        "scenes[0].duration: removed 3",
        "quality: added 'high'",
    ]


def test_an_inserted_scene_is_one_line_not_every_later_scene() -> None:
    scenes = [{"duration": n, "elements": [{"type": "text", "text": str(n)}]} for n in (1, 2, 3)]
    new = {"duration": 9, "elements": [{"type": "text", "text": "new"}]}
    assert lines({"scenes": scenes}, {"scenes": [new, *scenes]}) == [
        "scenes[0]: added {'duration': 9, 'elements': [{'type': 'text', 'text': 'new'}]}"
    ]
    assert lines({"scenes": [new, *scenes]}, {"scenes": scenes}) == [
        "scenes[0]: removed {'duration': 9, 'elements': [{'type': 'text', 'text': 'new'}]}"
    ]
    # A change after the insertion is reported at its compiled index.
    changed = [new, scenes[0], {**scenes[1], "duration": 7}, scenes[2]]
    assert lines({"scenes": scenes}, {"scenes": changed}) == [
        "scenes[0]: added {'duration': 9, 'elements': [{'type': 'text', 'text': 'new'}]}",
        "scenes[2].duration: 2 != 7",
    ]


def test_json_types_numbers_by_value_bools_apart() -> None:
    assert golden_diff({"a": 5, "b": [1.0]}, {"a": 5.0, "b": [1]}) == []
    assert lines({"muted": True}, {"muted": 1}) == ["muted: True != 1"]
    assert lines({"x": None}, {"x": 0}) == ["x: None != 0"]
    assert lines({"x": [1]}, {"x": {"0": 1}}) == ["x: [1] != {'0': 1}"]
    assert lines([1], {"a": 1}) == ["(document): [1] != {'a': 1}"]
    assert golden_diff({"b": 1, "a": 2}, {"a": 2, "b": 1}) == []  # key order is no difference


def test_long_values_are_cut_and_structured_data_is_kept() -> None:
    (difference,) = golden_diff({"text": "x" * 200}, {"text": "y"})
    assert difference == Difference("text", "changed", "x" * 200, "y")
    assert str(difference) == "text: '" + "x" * 66 + "... != 'y'"


def test_many_identical_items_still_align() -> None:
    # difflib's autojunk would treat a frequent item as junk past 200 items.
    items = [{"type": "text", "text": "same"}] * 300
    assert lines(items, [*items[:150], {"type": "text", "text": "odd"}, *items[150:]]) == [
        "[150]: added {'type': 'text', 'text': 'odd'}"
    ]


MOVIE = Movie(resolution="hd").add(Scene(duration=2).add(Text("Olá, mundo")))


def test_golden_text_is_indented_utf8_with_a_final_newline() -> None:
    assert golden_text(MOVIE) == (
        '{\n  "resolution": "hd",\n  "scenes": [\n    {\n      "duration": 2,\n'
        '      "elements": [\n        {\n          "type": "text",\n'
        '          "text": "Olá, mundo"\n        }\n      ]\n    }\n  ]\n}\n'
    )
    assert golden_text(MOVIE.to_dict()) == golden_text(MOVIE)
    with pytest.raises(TypeError, match="a Movie or a Movie JSON dict"):
        golden_text(["not", "a", "movie"])


def test_assert_golden_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "movie.json"
    with pytest.raises(GoldenMismatch, match="does not exist"):
        assert_golden(MOVIE, path)
    assert not path.exists()
    assert assert_golden(MOVIE, path, update=True).outcome == "created"
    assert path.read_bytes() == golden_text(MOVIE).encode()
    assert assert_golden(MOVIE, path).outcome == "matched"

    changed = MOVIE.with_scenes([Scene(duration=3).add(Text("Olá, mundo"))])
    with pytest.raises(GoldenMismatch) as info:
        assert_golden(changed, path, update_hint="do the thing")
    assert info.value.differences == (Difference("scenes[0].duration", "changed", 2, 3),)
    assert str(info.value).endswith(
        "If the change is intended, do the thing and review the file's diff."
    )
    assert isinstance(info.value, AssertionError)

    result = assert_golden(changed, path, update=True)
    assert (result.outcome, result.differences) == ("updated", info.value.differences)
    assert json.loads(path.read_text(encoding="utf-8"))["scenes"][0]["duration"] == 3


def test_assert_golden_with_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "movie.json"
    path.write_text('{"resolution": "hd",')
    with pytest.raises(GoldenMismatch, match=r"is not valid JSON \(Expecting"):
        assert_golden(MOVIE, path)
    assert assert_golden(MOVIE, path, update=True).outcome == "updated"
    assert_golden(MOVIE, path)


def test_many_differences_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "movie.json"
    many = Movie(resolution="hd").add(*[Scene(duration=1).add(Video(f"https://x.example/{i}.mp4"))
                                        for i in range(60)])  # fmt: skip
    assert_golden(many, path, update=True)
    moved = Movie(resolution="hd").add(*[Scene(duration=2).add(Video(f"https://x.example/{i}.mp4"))
                                         for i in range(60)])  # fmt: skip
    with pytest.raises(GoldenMismatch) as info:
        assert_golden(moved, path)
    message = str(info.value)
    assert "60 differences" in message and "  ... and 20 more" in message
    assert message.count("].duration: 1 != 2") == 40


def test_public_names() -> None:
    check_lazy_package(moviekit.testing)
    assert GoldenMismatch.__module__ == "moviekit.testing"
