"""The walk's fast path never changes a report: with and without it, the same problems and uses.

The fast path (``moviekit.validation._fast``) writes one check per object shape
and skips the detailed walk of objects it proves clean. Here any element built
from the model's own property names, with values good, bad, placeholders, huge,
NaN, nested or of the wrong type, and every conformance document, is walked
both ways; the findings and the recorded placeholders must be identical.
"""

from __future__ import annotations

import json
import math
import sys
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moviekit.service._movie_json import ELEMENTS
from moviekit.validation._checks import element_table
from moviekit.validation._findings import BLANK, written
from moviekit.validation._plans import ELEMENT_INFO, SCENE_LANES, lane_of
from moviekit.validation._walk import Walk

CORPUS = Path(__file__).resolve().parents[1] / "data" / "conformance"

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5000),
    st.sampled_from([-2, -1, 0, 0.5, 1.5, 10**400, -(10**400), math.nan, math.inf, 2**63]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(
        ["{{x}}", "Hello {{name}}", "center-center", "fill", "002", "https://a.b/c.mp4"]
    ),
    st.sampled_from(["https://a.b/c.jpg", "https://youtube.com/watch?v=1", "", " ", "\ud800"]),
    # what Python code can put in a dict and JSON cannot carry
    st.sampled_from([(1, 2), b"bytes", frozenset({1}), MappingProxyType({"a": 1}), object()]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["x", "y", "color", "font-size", "a b", "{{k}}"]), inner)
    ),
    max_leaves=6,
)


@st.composite
def elements(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(ELEMENTS)))
    wires = sorted(element_table(kind))
    keys = draw(st.lists(st.sampled_from([*wires, "glow", "font_colour"]), max_size=6, unique=True))
    element: dict[str, Any] = {"type": kind}
    for key in keys:
        prop = element_table(kind).get(key)
        choices = list(prop.prop.choices) if prop is not None else []
        element[key] = draw(st.sampled_from(choices) | VALUES if choices else VALUES)
    return element


def walked(doc: dict[str, Any], *, fast: bool) -> tuple[list[Any], list[Any]]:
    walk = Walk(doc, fast=fast)
    walk.run()
    return [(pos, written(problem)) for pos, problem in walk.found], walk.uses


def assert_same_both_ways(doc: dict[str, Any]) -> None:
    slow = walked(doc, fast=False)
    assert walked(doc, fast=True) == slow
    assert walked(doc, fast=True) == slow  # again, with the shapes' checks now written


@settings(max_examples=150, deadline=None)
@given(st.lists(elements(), min_size=1, max_size=4), st.booleans())
def test_any_elements_give_the_same_findings_with_and_without_the_fast_path(
    found: list[dict[str, Any]], at_movie_level: bool
) -> None:
    doc: dict[str, Any] = {"scenes": [{"elements": found}]}
    if at_movie_level:
        doc = {"scenes": [{"duration": 2}], "elements": found}
    assert_same_both_ways(doc)


@lru_cache(maxsize=1)
def clean_corpus_elements() -> list[dict[str, Any]]:
    """Every element of a published document that the walk passes alone without a remark."""
    clean = []
    for entry in json.loads((CORPUS / "index.json").read_text()):
        doc = json.loads((CORPUS / entry["file"]).read_text())
        scenes = doc.get("scenes") if isinstance(doc, dict) else None
        for scene in scenes if isinstance(scenes, list) else []:
            for element in scene.get("elements", []) if isinstance(scene, dict) else []:
                if isinstance(element, dict) and walked(
                    {"scenes": [{"elements": [element]}]}, fast=False
                ) == ([], []):
                    clean.append(element)
    return clean


#: values one rule or another has something to say about
ODD = st.one_of(
    VALUES,
    st.sampled_from(["{{x}}", "a {{ y }} b", " ", "", -1, 0, "nowhere", "gpt-x", "\x00"]),
    st.sampled_from(["https://a.b/c.html", "https://youtube.com/watch?v=1", "https://a.b/c.mp3"]),
)


@st.composite
def near_clean_elements(draw: st.DrawFn) -> dict[str, Any]:
    """A clean published element with a value or two changed, added or removed: the shapes
    the fast lane takes, each with one thing a rule may have to say."""
    element = dict(draw(st.sampled_from(clean_corpus_elements())))
    wires = sorted(element_table(element["type"]))
    for _ in range(draw(st.integers(0, 2))):
        key = draw(st.sampled_from([*element, *wires, "glow", "font_colour"]))
        if key == "type":
            continue
        if draw(st.integers(0, 4)) == 0:
            element.pop(key, None)
        else:
            element[key] = draw(ODD)
    return element


@settings(max_examples=200, deadline=None)
@given(st.lists(near_clean_elements(), min_size=1, max_size=4), st.booleans())
def test_near_clean_elements_give_the_same_findings_both_ways(
    found: list[dict[str, Any]], iterate: bool
) -> None:
    scene: dict[str, Any] = {"elements": found, **({"iterate": "{{rows}}"} if iterate else {})}
    assert_same_both_ways({"scenes": [scene, {"elements": [dict(e) for e in found]}]})


@st.composite
def repeated_scenes(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Scenes that repeat the first one's places: each element's keys in any order, some values
    drawn anew, now and then a key more or less, another type, an element more or less (the walk
    tries the lane of the last quiet scene, then of the element at the same place in the scene
    before, so it must see through all of these)."""
    first = draw(st.lists(near_clean_elements() | elements(), min_size=1, max_size=4))
    scenes: list[dict[str, Any]] = [{"elements": first}]
    for _ in range(draw(st.integers(1, 3))):
        again: list[Any] = []
        for element in first:
            keys = draw(st.permutations(list(element)))
            made = {k: element[k] if draw(st.integers(0, 3)) else draw(ODD) for k in keys}
            made["type"] = draw(st.sampled_from([element["type"], element["type"], "text", 7]))
            change = draw(st.sampled_from(["none", "none", "drop", "add"]))
            if change == "drop" and len(keys) > 1:
                made.pop(keys[-1] if keys[-1] != "type" else keys[0])
            elif change == "add":
                made[draw(st.sampled_from(["glow", "x", "comment", "src"]))] = draw(VALUES)
            again.append(made)
        if draw(st.integers(0, 3)) == 0:  # an element more, or one less
            again = again[:-1] if draw(st.booleans()) else [*again, draw(near_clean_elements())]
        scene: dict[str, Any] = {"elements": again}
        if draw(st.booleans()):
            scene = {"iterate": "{{rows}}", **scene} if draw(st.booleans()) else {"elements": []}
        scenes.append(scene)
    return scenes


@settings(max_examples=150, deadline=None)
@given(repeated_scenes())
def test_scenes_repeating_their_elements_give_the_same_findings_both_ways(
    scenes: list[dict[str, Any]],
) -> None:
    assert_same_both_ways({"scenes": scenes})


@pytest.mark.parametrize(
    "element",
    [
        {"type": "video", "src": "https://a.b/c.mp4", "loop": -1},
        {"type": "audio", "src": "https://a.b/c.mp3", "duration": -1, "loop": -1},
        {"type": "video", "src": "https://a.b/c.mp4", "loop": -1, "duration": 5},
        {"type": "image", "src": " "},
        {"type": "image", "src": "https://a.b/c.mp4"},
        {"type": "video", "src": "https://youtube.com/watch?v=1"},
        {"type": "audio", "src": "https://a.b/c.mp4"},
        {"type": "video", "src": "https://vimeo.com/123.mp4"},
        {"type": "video", "src": "https://a.b/c.jpg?v=.mp4"},
        {"type": "video", "src": "https://a.b/c.mp4?v=.jpg"},
        {"type": "image", "src": "https://a.b/c.mp4#.jpg"},
        {"type": "image", "src": "https://a.b/C.JPG"},
        {"type": "image", "src": "https://a.b/c.MP4"},
        {"type": "audio", "src": "https://a.b/c.jpg.mp3"},
        {"type": "audio", "src": "https://a.b/c.mp3/x.png"},
        {"type": "image", "prompt": "a cat", "model": "no-such-model"},
        {"type": "video", "prompt": "a cat"},
        {"type": "audio", "prompt": "a cat"},
        {"type": "html", "html": " ", "src": "https://a.b/"},
        {"type": "html", "tailwind": True},
        {"type": "voice", "text": " "},
        {"type": "voice", "text": "Hi", "model": "no-such-model"},
        {"type": "text", "text": "Hi", "position": "{{where}}", "glow": "{{x}}"},
        {"type": "text", "text": "Hi", "position": "nowhere"},
    ],
)
def test_what_an_element_rule_says_is_said_with_and_without_the_fast_lane(
    element: dict[str, Any],
) -> None:
    # (the second scene's element takes the lane of the first's, or its own)
    assert_same_both_ways({"scenes": [{"elements": [dict(element)]} for _ in range(2)]})


def test_a_scene_like_the_last_quiet_one_is_checked_whole_and_any_difference_is_seen() -> None:
    clean = [
        {"type": "text", "text": "Hi", "settings": {"font-size": "40px"}, "duration": 5},
        {"type": "image", "src": "https://a.b/c.jpg", "zoom": 2},
    ]
    bad = {"type": "image", "src": " "}
    variants = [
        [*clean, bad],  # an element more
        clean[:1],  # one less
        [clean[1], clean[0]],  # the same elements in another order
        [clean[0], {**clean[1], "src": "{{photo}}"}],  # a placeholder
        [clean[0], {**clean[1], "zoom": 99}],  # a value out of range
        [clean[0], {"zoom": 2, "src": "https://a.b/c.jpg", "type": "image"}],  # keys reordered
        [clean[0], {**clean[1], "type": "video"}],  # another type
        [clean[0], [clean[1]]],  # not an object
    ]
    for variant in variants:
        doc = {"scenes": [{"elements": [dict(e) for e in clean]}, {"elements": variant}]}
        assert_same_both_ways(doc)
        assert SCENE_LANES, "the first scene's elements made a scene lane"
    found, _ = walked({"scenes": [{"elements": clean}, {"elements": [*clean, bad]}]}, fast=True)
    assert [p.path for _, p in found] == ["scenes[1].elements[2].src"]


def test_a_shape_with_fixed_remarks_reports_them_and_its_placeholders_from_its_lane() -> None:
    # the benchmark's warnings: undocumented keys on each video, variables in each caption, in
    # scenes that repeat their shapes (the lanes of the element and of the scene say so without
    # the detailed walk), then the same keys in another order: the remarks follow the keys
    video = {"id": "v", "type": "video", "src": "https://a.b/c.mp4", "glow": 2, "shine": 3}
    caption = {"type": "text", "text": "Hello {{name}}", "comment": "{{note}}"}
    scenes = [{"elements": [dict(video), dict(caption)]} for _ in range(3)]
    scenes.append({"elements": [dict(reversed(video.items())), dict(reversed(caption.items()))]})
    doc = {"scenes": scenes}
    assert_same_both_ways(doc)
    found, uses = walked(doc, fast=True)
    keys = {0: ("glow", "shine"), 1: ("glow", "shine"), 2: ("glow", "shine"), 3: ("shine", "glow")}
    assert [(p.path, p.code) for _, p in found] == [
        (f"scenes[{i}].elements[0].{key}", "unknown-property") for i in range(4) for key in keys[i]
    ]
    said = {0: ("text", "comment"), 1: ("text", "comment"), 2: ("text", "comment")}
    assert [use[0] for use in uses] == [
        f"scenes[{i}].elements[1].{key}"
        for i in range(4)
        for key in said.get(i, ("comment", "text"))
    ]
    lane = lane_of(video)
    assert lane is not None
    answer = lane(video)
    assert answer not in (None, True, False)
    assert lane(dict(reversed(video.items()))) is False  # the same keys in another order
    assert lane(caption) is False  # another shape


def test_every_conformance_document_gives_the_same_findings_both_ways() -> None:
    for entry in json.loads((CORPUS / "index.json").read_text()):
        doc = json.loads((CORPUS / entry["file"]).read_text())
        if isinstance(doc, dict):
            assert_same_both_ways(doc)


def test_clean_shapes_get_a_fast_check_and_flagged_ones_do_not() -> None:
    clean = {"type": "text", "text": "Hi", "settings": {"color": "red", "text-shadow": "1px"}}
    missing = {"type": "text", "settings": {"color": "red"}}  # no text: required
    Walk({"scenes": [{"elements": [clean, missing]}]}).run()
    plans = ELEMENT_INFO["text"].plans
    assert plans[(tuple(clean), frozenset())].fast is not None
    assert plans[(tuple(missing), frozenset())].fast is None


def test_every_clean_corpus_element_takes_the_fast_lane() -> None:
    # A fast path stricter than it needs to be changes no report, only the time; this is the
    # test that notices: every element of a published document that validates without a remark
    # must pass its shape's fast check and its rules' quiet test.
    slow_by_design = {"subtitles"}  # counted across the movie, so always walked
    checked = 0
    for entry in json.loads((CORPUS / "index.json").read_text()):
        doc = json.loads((CORPUS / entry["file"]).read_text())
        scenes = doc.get("scenes") if isinstance(doc, dict) else None
        for scene in scenes if isinstance(scenes, list) else []:
            for element in scene.get("elements", []) if isinstance(scene, dict) else []:
                if not isinstance(element, dict) or element.get("type") in slow_by_design:
                    continue
                if "variables" in element:  # its names are checked on the detailed path
                    continue
                alone = {"scenes": [{"elements": [element]}]}
                found, uses = walked(alone, fast=False)
                if found or uses:
                    continue
                lane = lane_of(element)
                assert lane is not None and lane(element) is True, element
                checked += 1
    assert checked > 150


def test_blank_text_is_empty_or_all_whitespace_as_the_fast_lane_tests_it() -> None:
    # the lane of a media element tests a src with str.isspace(), the rule with BLANK: both
    # take a text whose every character is whitespace, by the same test of one character
    assert BLANK.match("") and BLANK.match(" \u3000\n") and not BLANK.match(" x\n")
    spaces = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()]
    assert "".join(spaces).isspace() and BLANK.match("".join(spaces))
    assert len(spaces) == sum(1 for code in range(sys.maxunicode + 1) if BLANK.match(chr(code)))


@pytest.mark.parametrize(
    ("first", "again"),
    [
        # one thing to record: its order cannot differ, the lane answers for any key order
        ({"type": "video", "src": "https://a.b/c.mp4", "glow": 2}, ["glow", "src", "type"]),
        ({"type": "text", "text": "Hi {{name}}", "duration": 2}, ["duration", "text", "type"]),
        # two: the order is the document's, so another order takes its own lane
        ({"type": "video", "src": "https://a.b/c.mp4", "glow": 2, "shine": 1}, ["shine", "glow"]),
        ({"type": "text", "text": "Hi {{a}}", "comment": "{{b}}"}, ["comment", "text"]),
        ({"type": "text", "text": "Hi {{a}}", "glow": 1}, ["glow", "text"]),
    ],
)
def test_an_element_with_its_keys_in_another_order_records_them_in_its_own_order(
    first: dict[str, Any], again: list[str]
) -> None:
    reordered = {key: first[key] for key in [*again, *(k for k in first if k not in again)]}
    doc = {"scenes": [{"elements": [first]}, {"elements": [reordered]}, {"elements": [first]}]}
    assert_same_both_ways(doc)
    problems, uses = walked(doc, fast=True)
    remarks = [p.path for pos, p in problems if pos[1] == 1 and p.code == "unknown-property"]
    placeholders = [path for path, *_ in uses if path.startswith("scenes[1]")]
    for recorded in (remarks, placeholders):
        keys = [path.rsplit(".", 1)[1] for path in recorded]
        assert keys == [key for key in reordered if key in keys]
