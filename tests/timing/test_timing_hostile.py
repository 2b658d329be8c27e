"""Hostile input to timing (issue #14): huge numbers, deep or long expressions, big documents.

Every input a user or a file controls gives a Timeline (or a report) or a moviekit
error with a path, never an OverflowError or a RecursionError, and in linear time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support.scaling import assert_linear

from moviekit import (
    BuildError,
    Image,
    Movie,
    MoviekitError,
    MovieValidationError,
    Scene,
    Text,
    Timeline,
    Voice,
    tmax,
    validate,
)
from moviekit.timing._engine import resolve_document
from moviekit.timing._expr import Num, parse, render
from moviekit.timing._numbers import MAX_SECONDS

IMG = "https://example.com/a.png"
HUGE = 10**400  # more than a float holds: float(HUGE) raises OverflowError


def scene_doc(*elements: dict[str, Any], **scene: Any) -> dict[str, Any]:
    return {"scenes": [{**scene, "elements": list(elements)}]}


def check_timeline(timeline: Timeline) -> None:
    """Every view of a timeline works and every number in it is a finite, sane time."""
    assert isinstance(timeline, Timeline)
    assert 0 <= timeline.total <= 2 * MAX_SECONDS
    for span in timeline.rows:
        for value in (span.start, span.end, span.length, span.movie_start, span.movie_end):
            assert math.isfinite(value) and value >= 0, span
    assert str(timeline) and timeline.gantt() and timeline.to_svg()
    json.dumps(timeline.to_dict())
    assert int(timeline.credits) >= 0


# --------------------------------------------------------------------------- huge numbers


@pytest.mark.parametrize(
    "doc",
    [
        scene_doc({"type": "text", "text": "x", "start": HUGE}, duration=2.5),
        scene_doc({"type": "image", "src": IMG, "duration": 3, "extra-time": -HUGE}),
        scene_doc({"type": "image", "src": IMG, "duration": HUGE}),
        scene_doc({"type": "video", "src": IMG, "loop": HUGE, "seek": -HUGE}),
        scene_doc({"type": "image", "src": IMG, "duration": "{{big * big}}"}, duration=1.5),
        {"variables": {"big": HUGE}, **scene_doc({"type": "image", "duration": "{{big}}"})},
        scene_doc({"type": "image", "duration": "{{" + "9" * 400 + "}}"}),
        scene_doc({"type": "image", "duration": 1e308}, duration=1e308),
        scene_doc({"type": "image", "duration": math.nan, "start": math.inf}),
        {"scenes": [{"duration": HUGE}, {"duration": 2, "transition": {"duration": -HUGE}}]},
        {"scenes": [{"duration": 1}], "resolution": "custom", "width": HUGE, "height": -HUGE},
    ],
    ids=[
        "start",
        "extra-time",
        "duration",
        "loop-seek",
        "product",
        "variable",
        "400-digit",
        "1e308",
        "nan-inf",
        "transition",
        "size",
    ],
)
def test_huge_numbers_give_a_timeline_and_a_report(doc: dict[str, Any]) -> None:
    timeline = Timeline.from_dict(doc)
    check_timeline(timeline)
    validate(doc)  # a report, never an OverflowError
    resolve_document(doc)


def test_a_huge_start_is_a_bound_not_a_number() -> None:
    doc = scene_doc({"type": "image", "src": IMG, "start": HUGE, "duration": 2})
    span = Timeline.from_dict(doc).elements[0]
    assert not span.exact and span.start == MAX_SECONDS
    assert any("beyond" in dep for dep in span.depends_on)


def test_huge_numbers_in_builders_are_build_errors_with_a_path() -> None:
    voice = Voice("hi")
    with pytest.raises(BuildError, match="not a number of seconds"):
        _ = voice.time.end + HUGE
    with pytest.raises(BuildError, match="length hint"):
        Image(IMG).length_hint(HUGE)
    with pytest.raises(BuildError) as info:
        Movie().add(Scene().add(voice, Image(IMG).start(HUGE).until(voice))).to_dict()
    assert info.value.path == "scenes[0].elements[1].start"
    with pytest.raises(BuildError) as info:
        Movie().add(Scene(duration=1)).timeline({"x": HUGE})
    assert info.value.path == "lengths['x']"


def test_a_huge_start_compiles_and_validation_explains_it() -> None:
    movie = Movie.from_dict(scene_doc({"type": "text", "text": "x", "start": HUGE}, duration=2.5))
    assert movie.to_dict(validate=False)["scenes"][0]["elements"][0]["start"] == HUGE
    check_timeline(movie.timeline())
    # Issue #14.2: to_dict() and to_json() raised OverflowError; now validation refuses it.
    for compile_ in (movie.to_dict, movie.to_json):
        with pytest.raises(MovieValidationError) as info:
            compile_()
        (error,) = info.value.errors
        assert (error.path, error.code) == ("scenes[0].elements[0].start", "not-json")


# --------------------------------------------------------------------------- deep and long


def nested(depth: int) -> str:
    return "(" * depth + "1" + ")" * depth


EXPRESSIONS = {
    "246 parentheses": (nested(246), 1),
    "20,000 parentheses": (nested(20_000), 1),
    "1,000 unary minuses": ("-" * 1_000 + "1", 1),
    "20,001 unary minuses": ("-" * 20_001 + "1", -1),
    "a sum of 1,000 terms": (" + ".join(["1"] * 1_000), 1_000),
    "a sum of 20,000 terms": ("+".join(["1"] * 20_000), 20_000),
    "min nested 5,000 deep": ("min(" * 5_000 + "3" + ", 4)" * 5_000, 3),
    "a product chain": ("*".join(["1"] * 20_000), 1),
}


@pytest.mark.parametrize(("text", "value"), EXPRESSIONS.values(), ids=EXPRESSIONS.keys())
def test_deep_and_long_expressions_are_evaluated(text: str, value: float) -> None:
    expr = parse(text)
    assert expr is not None
    assert parse(render(expr)) == expr  # rendering and equality are iterative too
    doc = scene_doc({"type": "image", "src": IMG, "start": 0, "extra-time": "{{" + text + "}}"})
    doc["scenes"][0]["elements"][0]["duration"] = 1_000_000
    timeline = Timeline.from_dict(doc)
    assert timeline.total == max(1_000_000 + value, 0)
    validate(doc)


def test_deep_time_expressions_from_builders_compile() -> None:
    voice = Voice("hi")
    start = voice.time.end
    for _ in range(5_000):
        start = tmax(start, 1) + 1
    caption = Text("x").start(start).duration(1)
    again = Text("x").start(start).duration(1)
    assert caption == again  # structural equality without recursion
    out = Movie().add(Scene().add(voice, caption)).to_dict()["scenes"][0]["elements"][1]
    assert out["start"].startswith("{{max(max(") and out["start"].count("max(") == 5_000


def test_a_deeply_nested_iterate_array_is_read_without_recursion() -> None:
    deep: Any = "{{x}}"
    for _ in range(20_000):
        deep = [deep]
    doc = {"variables": {"rows": deep}, "scenes": [{"iterate": "rows", "duration": 2}]}
    timeline = Timeline.from_dict(doc)
    assert not timeline.exact and "iterate" in timeline.depends_on[0]


# --------------------------------------------------------------------------- linear time

SHAPES: dict[str, tuple[Callable[[int], Any], int]] = {
    # issue #14: one scene of N invalid elements (the dependency set was copied per step)
    "invalid elements": (
        lambda n: scene_doc(*({} if i % 2 else "x" for i in range(n))),
        200,
    ),
    # issue #14: Timeline.from_dict of one scene of N videos (unknown lengths)
    "videos of unknown length": (
        lambda n: scene_doc(*({"type": "video", "src": f"v{i}.mp4"} for i in range(n))),
        200,
    ),
    # N scenes, each after a voice of unknown length: scene k depends on k voices
    "scenes after unknown voices": (
        lambda n: {
            "scenes": [{"elements": [{"type": "voice", "text": f"line {i}"}]} for i in range(n)]
        },
        100,
    ),
    # every element refers to the next one (resolved back to front)
    "forward references": (
        lambda n: scene_doc(
            *(
                {"type": "image", "id": f"e{i}", "start": f"{{{{e{i + 1}_end}}}}", "duration": 1}
                for i in range(n)
            )
        ),
        100,
    ),
    "backward references": (
        lambda n: scene_doc(
            *(
                {"type": "image", "id": f"e{i}", "start": f"{{{{e{i - 1}_end}}}}", "duration": 1}
                for i in range(n)
            )
        ),
        100,
    ),
    # one element referring to N later ones in a single expression
    "one expression, many waits": (
        lambda n: scene_doc(
            {"type": "image", "start": "{{" + "+".join(f"e{i}_end" for i in range(n)) + "}}"},
            *({"type": "image", "id": f"e{i}", "duration": 1} for i in range(n)),
        ),
        100,
    ),
    "many variables, many elements": (
        lambda n: {
            "variables": {f"v{i}": i for i in range(n)},
            "scenes": [
                {
                    "variables": {f"s{i}": i for i in range(n)},
                    "elements": [
                        {"type": "image", "duration": f"{{{{v{i}}}}}", "variables": {"x": 1}}
                        for i in range(n)
                    ],
                }
            ],
        },
        100,
    ),
    "scenes iterating one big array": (
        lambda n: {
            "variables": {"rows": list(range(n))},
            "scenes": [{"iterate": "rows", "duration": 1} for _ in range(n)],
        },
        100,
    ),
    "a long expression": (
        lambda n: scene_doc({"type": "image", "duration": "{{" + "+".join(["1"] * n) + "}}"}),
        1_000,
    ),
    "deep parentheses": (
        lambda n: scene_doc({"type": "image", "duration": "{{" + nested(n) + "}}"}),
        1_000,
    ),
}


@pytest.mark.parametrize(("make", "n"), SHAPES.values(), ids=SHAPES.keys())
def test_timeline_from_dict_is_linear(make: Callable[[int], Any], n: int) -> None:
    def run(doc: Any) -> None:
        timeline = Timeline.from_dict(doc)
        str(timeline)
        timeline.to_svg()
        timeline.gantt()

    assert_linear(make, run, n)


def test_validate_of_many_invalid_elements_is_linear() -> None:
    make, _ = SHAPES["invalid elements"]
    assert_linear(make, validate, 250)


def test_timeline_rows_are_linear_in_the_number_of_scenes() -> None:
    def make(n: int) -> Timeline:
        return Timeline.from_dict({"scenes": [{"duration": 1} for _ in range(n)]})

    assert_linear(make, lambda timeline: str(timeline), 1_000)


def test_relative_placement_compiles_and_times_in_linear_time() -> None:
    def make(n: int) -> Movie:
        scenes = []
        for i in range(n):
            voice = Voice(f"line {i}")
            scenes.append(Scene().add(voice, Text("x").after(voice, gap=0.5).duration(2)))
        one = Scene()
        previous = Image(IMG).duration(1)
        one = one.add(previous)
        for _ in range(n):
            previous = Image(IMG).after(previous).duration(1)
            one = one.add(previous)
        return Movie().add(*scenes, one)

    assert_linear(make, lambda movie: (movie.to_dict(validate=False), movie.timeline()), 100)


# --------------------------------------------------------------------------- properties

HOSTILE_NUMBERS = st.one_of(
    st.integers(),
    st.sampled_from([HUGE, -HUGE, 10**20, -1, -2, 0, 2**63]),
    st.floats(allow_nan=True, allow_infinity=True),
)
EXPRESSION_TEXT = st.one_of(
    st.text(alphabet="0123456789.+-*/(), abmixn_", max_size=40),
    st.builds(nested, st.integers(0, 1_500)),
    st.builds(lambda n, op: op.join(["2"] * n), st.integers(1, 1_500), st.sampled_from("+-*/")),
    st.builds(lambda n: "-" * n + "1", st.integers(0, 1_500)),
)
VALUES = st.one_of(
    HOSTILE_NUMBERS,
    st.none(),
    st.booleans(),
    st.text(max_size=10),
    EXPRESSION_TEXT.map(lambda text: "{{" + text + "}}"),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.sampled_from(["duration", "style"]), HOSTILE_NUMBERS, max_size=2),
)
ELEMENT_KEYS = [
    "type", "id", "start", "duration", "extra-time", "seek", "loop", "condition", "variables",
    "src", "text",
]  # fmt: skip
ELEMENTS = st.one_of(
    st.dictionaries(
        st.sampled_from(ELEMENT_KEYS),
        st.one_of(VALUES, st.sampled_from(["video", "voice", "image", "text", "a", "b"])),
        max_size=6,
    ),
    VALUES,
)
SCENES = st.one_of(
    st.fixed_dictionaries(
        {"elements": st.lists(ELEMENTS, max_size=5)},
        optional={
            "duration": VALUES,
            "transition": VALUES,
            "iterate": st.sampled_from(["rows", "x"]),
            "condition": VALUES,
            "variables": st.dictionaries(st.sampled_from(["rows", "a", "b"]), VALUES),
        },
    ),
    VALUES,
)
DOCUMENTS = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "scenes": st.one_of(st.lists(SCENES, max_size=4), VALUES),
            "elements": st.one_of(st.lists(ELEMENTS, max_size=3), VALUES),
            "variables": st.dictionaries(st.sampled_from(["rows", "a", "b"]), VALUES),
            "resolution": VALUES,
            "width": VALUES,
            "template": VALUES,
        },
    ),
    VALUES,
)
LENGTHS = st.one_of(
    st.none(),
    st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), HOSTILE_NUMBERS, max_size=3),
    VALUES,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=DOCUMENTS, lengths=LENGTHS)
def test_any_document_gives_a_timeline_or_an_error_with_a_path(doc: Any, lengths: Any) -> None:
    try:
        timeline = Timeline.from_dict(doc, lengths)
    except MoviekitError as exc:
        assert hasattr(exc, "path") and str(exc)
        return
    check_timeline(timeline)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=DOCUMENTS)
def test_resolve_document_never_raises(doc: Any) -> None:
    """Validation's timing lints call it on any input: bad values are unknowns, not errors."""
    timing = resolve_document(doc)
    assert timing.total.lo <= MAX_SECONDS


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=DOCUMENTS)
def test_any_movie_gives_a_timeline_or_an_error_with_a_path(doc: Any) -> None:
    try:
        movie = Movie.from_dict(doc)
        timeline = movie.timeline()
    except MoviekitError as exc:
        assert hasattr(exc, "path") and str(exc)
        return
    check_timeline(timeline)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(EXPRESSION_TEXT, st.text(max_size=30)))
@example(text="0+-0")  # a + -b rendered as "a + 0 - b" read back as (a + 0) - b
@example(text="a + -b * c")
def test_the_parser_reads_or_declines_any_text(text: str) -> None:
    expr = parse(text)
    if expr is not None and all(math.isfinite(n.value) for n in expr.walk() if isinstance(n, Num)):
        assert parse(render(expr)) == expr


@pytest.mark.parametrize("doc", [[], None, "{}", 5], ids=["list", "none", "str", "int"])
def test_timeline_of_what_is_not_a_document_is_a_build_error(doc: Any) -> None:
    # Issue #14.4: Timeline.from_dict([]) raised AttributeError.
    with pytest.raises(BuildError) as info:
        Timeline.from_dict(doc)
    assert info.value.path == "" and "a Movie JSON document is a JSON object" in str(info.value)
