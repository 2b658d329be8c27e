"""Edges of the property checks the mutation sample found untested."""

from __future__ import annotations

from typing import Any

import pytest

from moviekit import validate


def remarks(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    report = validate(doc)
    return [(p.severity, p.code, p.path) for p in (*report.errors, *report.warnings)]


def with_subtitle_settings(settings: dict[str, Any]) -> dict[str, Any]:
    return {
        "scenes": [{"elements": [{"type": "text", "text": "a"}]}],
        "elements": [{"type": "subtitles", "settings": settings}],
    }


@pytest.mark.parametrize(
    ("keywords", "expected"),
    [
        (["moviekit", "JSON2Video"], []),
        ("{{kw}}", [("warning", "undefined-variable", "elements[0].settings.keywords")]),
        ("moviekit", [("warning", "type", "elements[0].settings.keywords")]),
        (5, [("warning", "type", "elements[0].settings.keywords")]),
    ],
    ids=["list", "placeholder", "text", "number"],
)
def test_a_list_property_takes_a_list_or_a_placeholder(
    keywords: object, expected: list[Any]
) -> None:
    # A {{ }} placeholder stands for the list, filled in at render time: only the undefined
    # variable is remarked, not the type of the text around it.
    assert remarks(with_subtitle_settings({"keywords": keywords})) == expected


@pytest.mark.parametrize(
    ("kind", "code", "message"),
    [
        ("banana", "enum", '"banana" is not a documented element type'),
        ("template", "removed-element-type", "the 'template' element type was removed"),
    ],
    ids=["unknown", "removed"],
)
def test_an_element_type_the_service_lacks_is_named_with_its_value(
    kind: str, code: str, message: str
) -> None:
    report = validate({"scenes": [{"elements": [{"type": kind}]}]})
    (problem,) = (*report.errors, *report.warnings)
    assert (problem.code, problem.path, problem.value) == (
        code,
        "scenes[0].elements[0].type",
        f'"{kind}"',
    )
    assert problem.message.startswith(message)


def test_an_empty_voice_over_says_how_to_fix_it() -> None:
    report = validate({"scenes": [{"elements": [{"type": "voice", "text": ""}]}]})
    (problem,) = report.errors
    assert (problem.code, problem.path) == ("empty-text", "scenes[0].elements[0].text")
    assert problem.hint == "give the words to say"


def test_an_element_that_is_not_an_object_says_what_to_give() -> None:
    (problem,) = validate({"scenes": [{"elements": [5]}]}).errors
    assert (problem.code, problem.path) == ("not-an-object", "scenes[0].elements[0]")
    assert "Text(...)" in problem.hint


def test_a_source_of_the_wrong_kind_is_named_with_its_value() -> None:
    doc = {"scenes": [{"elements": [{"type": "video", "src": "https://x.com/a.mp3"}]}]}
    (problem,) = validate(doc).errors
    assert (problem.code, problem.path, problem.value) == (
        "src-kind",
        "scenes[0].elements[0].src",
        '"https://x.com/a.mp3"',
    )


def test_user_data_with_a_key_that_is_not_text_says_so() -> None:
    doc = {"client-data": {1: "a"}, "scenes": [{"elements": [{"type": "text", "text": "a"}]}]}
    (problem,) = validate(doc).errors
    assert (problem.code, problem.path) == ("not-json", "client-data")
    assert (problem.message, problem.hint) == ("object keys are text, got 1", "use string keys")


def only_remark(element: dict[str, Any]) -> Any:
    report = validate({"scenes": [{"elements": [element]}]})
    (problem,) = (*report.errors, *report.warnings)
    return problem


def test_a_range_remark_gives_the_documented_range_and_its_special_values() -> None:
    # A-element: duration is a positive number of seconds, -1 (the asset's own length) or
    # -2 (the container's length).
    problem = only_remark({"type": "text", "text": "a", "duration": -3})
    assert problem.code == "range"
    assert problem.message.startswith("-3 is not a documented duration: give a number above 0, ")
    assert ", or -1 (" in problem.message and ") or -2 (" in problem.message


def test_a_whole_number_property_says_so_in_its_range() -> None:
    # A-element: zoom is a whole number from -10 to 10.
    problem = only_remark({"type": "text", "text": "a", "zoom": 11})
    assert problem.code == "range"
    assert problem.message == "11 is not a documented zoom: give a whole number from -10 to 10"


def test_a_number_property_is_checked_against_its_bounds() -> None:
    problem = only_remark({"type": "audio", "src": "https://x.com/a.mp3", "volume": 50})
    assert (problem.code, problem.message) == (
        "range",
        "50 is not a documented volume: give a number from 0 to 10",
    )


def test_an_empty_voice_over_is_refused_in_the_services_terms() -> None:
    problem = only_remark({"type": "voice", "text": ""})
    assert problem.message == "the voice-over's text is empty: the service refuses it"


def test_a_variable_name_the_service_would_change_gets_a_name_to_use() -> None:
    doc = {
        "variables": {"1abc": 1, "a b": 2},
        "scenes": [{"elements": [{"type": "text", "text": "a"}]}],
    }
    report = validate(doc)
    found = [(p.code, p.path, p.hint) for p in (*report.errors, *report.warnings)]
    assert found == [
        (
            "variable-name",
            "variables.1abc",
            "rename it, e.g. 'v_1abc' (the service would silently change it)",
        ),
        (
            "variable-name",
            "variables.a b",
            "rename it, e.g. 'a_b' (the service would silently change it)",
        ),
    ]
    assert all(
        p.message.endswith("start with a letter, then use letters, digits and '_'")
        for p in report.warnings
    )


def test_user_data_that_is_not_json_says_what_json_holds() -> None:
    doc = {
        "client-data": {"a": object()},
        "scenes": [{"elements": [{"type": "text", "text": "a"}]}],
    }
    (problem,) = validate(doc).errors
    assert (problem.code, problem.path, problem.message) == (
        "not-json",
        "client-data.a",
        "object is not a JSON value",
    )
    assert problem.hint == "use a string, a finite number, true/false, null, a list or an object"


def test_subtitles_inside_a_scene_are_remarked_where_they_are() -> None:
    doc = {"scenes": [{"elements": [{"type": "text", "text": "a"}, {"type": "subtitles"}]}]}
    report = validate(doc)
    found = [(p.severity, p.code, p.path, p.message) for p in (*report.errors, *report.warnings)]
    assert found == [
        (
            "warning",
            "subtitles-in-scene",
            "scenes[0].elements[1]",
            "subtitles are documented at movie level",
        )
    ]


def test_a_scene_length_out_of_range_names_its_one_special_value() -> None:
    # A-scene: a scene's duration is seconds above 0, or -1 (until its last element ends).
    report = validate({"scenes": [{"duration": -3, "elements": [{"type": "text", "text": "a"}]}]})
    (problem,) = (*report.errors, *report.warnings)
    assert (problem.code, problem.path) == ("range", "scenes[0].duration")
    assert problem.message == "-3 is not a documented duration: give a number above 0, or -1"
