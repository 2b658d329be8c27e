"""Relative placement (timing/_place.py): lowering to numbers or service variables, errors."""

from __future__ import annotations

import ast
import operator
import re
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from moviekit import (
    BuildError,
    Image,
    Movie,
    Scene,
    Text,
    Var,
    Voice,
    sequence,
    tmax,
    tmin,
)
from moviekit.timing._expr import parse, render

IMG = "https://example.com/a.png"


def elements_of(movie: Movie, scene: int = 0) -> list[dict[str, Any]]:
    return movie.to_dict()["scenes"][scene]["elements"]  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- lowering


def test_unknown_natural_length_becomes_a_service_variable_with_an_assigned_id() -> None:
    voice = Voice("Welcome to the show")
    title = Text("Welcome").after(voice, gap=0.5).duration(3)
    out = elements_of(Movie().add(Scene().add(voice, title)))
    assert out == [
        {"type": "voice", "id": "voice1", "text": "Welcome to the show"},
        {"type": "text", "text": "Welcome", "start": "{{voice1_end + 0.5}}", "duration": 3},
    ]


def test_known_inputs_fold_to_plain_numbers_and_added_ids_are_dropped() -> None:
    first = Image(IMG).duration(2.5)
    second = Image(IMG).after(first, gap=0.25).duration(tmax(first.time.duration, 1) * 2)
    out = elements_of(Movie().add(Scene().add(first, second)))
    assert out == [
        {"type": "image", "src": IMG, "duration": 2.5},
        {"type": "image", "src": IMG, "start": 2.75, "duration": 5},
    ]


def test_user_ids_are_kept_and_reused() -> None:
    voice = Voice("Hi", id="intro")
    caption = Text("x").with_(voice).until(voice)
    out = elements_of(Movie().add(Scene().add(voice, caption)))
    assert out[0]["id"] == "intro"
    assert out[1]["start"] == 0 and out[1]["duration"] == "{{intro_end}}"


def test_auto_ids_avoid_existing_ones_and_are_deterministic() -> None:
    taken = Voice("a", id="voice1")
    voice = Voice("b")
    scene = Scene().add(taken, voice, Text("t").after(voice))
    first = Movie().add(scene).to_dict()
    assert first == Movie().add(scene).to_dict()
    assert first["scenes"][0]["elements"][1]["id"] == "voice2"


def test_after_previous_and_sequence() -> None:
    voice = Voice("narration")
    slides = sequence(
        Image(IMG).duration(3), Image(IMG).duration(3), Image(IMG).duration(4), gap=0.5
    )
    out = elements_of(Movie().add(Scene().add(voice, slides, Text("end").after_previous())))
    assert [e.get("start") for e in out[1:]] == [None, 3.5, 7, 11]


def test_expressions_mix_with_service_variables() -> None:
    voice = Voice("hi")
    text = Text("x").start(voice.time.end + Var("pause")).duration(tmin(voice.time.duration, 4))
    out = elements_of(Movie().add(Scene().add(voice, text)).variables(pause=1))
    assert out[1]["start"] == "{{voice1_end + pause}}"
    assert out[1]["duration"] == "{{min(voice1_duration, 4)}}"


def test_compiled_document_validates_and_round_trips() -> None:
    voice = Voice("hi")
    movie = Movie().add(Scene().add(voice, Text("x").after(voice)))
    doc = movie.to_dict()  # validates: voice1_end is a defined timing variable
    assert Movie.from_dict(doc).to_dict() == doc
    assert movie.validate().warnings == ()


def test_render_parenthesises_only_where_needed() -> None:
    for text in ("a - (b + c)", "a + b + c", "(a + b) * c", "a / (b * c)", "min(a, b) - 1"):
        expr = parse(text)
        assert expr is not None and render(expr) == text
    assert parse("a ? b : c") is None and parse("") is None and parse("1 +") is None


# --------------------------------------------------------------------------- errors, pinned


def test_error_cross_scene_names_both_elements() -> None:
    voice = Voice("hi")
    movie = Movie().add(Scene().add(voice), Scene().add(Text("x").after(voice)))
    with pytest.raises(BuildError) as info:
        movie.to_dict()
    assert str(info.value) == (
        "scenes[1].elements[0].start: Text at scenes[1].elements[0] refers to the Voice at "
        "scenes[0].elements[0], which is in another container; timing variables are only "
        "visible inside one scene (or among the movie's own elements): move one of them"
    )


def test_error_forward_reference_names_both_elements() -> None:
    voice = Voice("hi")
    with pytest.raises(BuildError) as info:
        Movie().add(Scene().add(Text("x").after(voice), voice)).to_dict()
    assert str(info.value) == (
        "scenes[0].elements[0].start: Text at scenes[0].elements[0] refers to Voice at "
        "scenes[0].elements[1], which comes later in the container; the service resolves "
        "timing in order: add the referenced element before the one that refers to it"
    )


def test_error_cycle_message() -> None:
    # Builders are values, so the public API cannot tie a knot; lowering still checks.
    from moviekit.timing._expr import Ref
    from moviekit.timing._place import lower

    a, b = Image(IMG), Image(IMG)
    doc = {
        "scenes": [
            {
                "elements": [
                    {"type": "image", "start": Ref(b, "end")},
                    {"type": "image", "start": Ref(a, "end")},
                ]
            }
        ]
    }
    with pytest.raises(BuildError) as info:
        lower(doc, [("scenes[0]", (a, b))])
    assert str(info.value) == (
        "scenes[0].elements[0].start: cycle: Image at scenes[0].elements[0] and Image at "
        "scenes[0].elements[1] are each placed relative to the other; anchor one of them to "
        "a number or to an earlier element"
    )


def test_error_changed_copy_is_not_the_referenced_element() -> None:
    voice = Voice("hi")
    text = Text("x").after(voice)
    with pytest.raises(BuildError, match="add the same object you refer to"):
        Movie().add(Scene().add(voice.volume(0.5), text)).to_dict()


def test_error_negative_folded_duration() -> None:
    first = Image(IMG).duration(1)
    with pytest.raises(BuildError) as info:
        Movie().add(Scene().add(first, Image(IMG).start(3).until(first))).to_dict()
    assert str(info.value) == (
        "scenes[0].elements[1].duration: Image at scenes[0].elements[1]: its duration works out "
        "to -2 s; it starts after (or as) the element it lasts until ends: check the gap and "
        "the elements it refers to"
    )


def test_error_previous_of_first_element() -> None:
    with pytest.raises(BuildError, match="it is the first element of scenes\\[0\\]"):
        Movie().add(Scene().add(Text("x").after_previous())).to_dict()


def test_error_bad_id_and_bad_operands() -> None:
    voice = Voice("hi", id="my-voice")
    with pytest.raises(BuildError, match="its id 'my-voice' cannot be used"):
        Movie().add(Scene().add(voice, Text("x").after(voice))).to_dict()
    with pytest.raises(BuildError, match="takes numbers"):
        _ = voice.time.end + "1"  # type: ignore[operator]
    with pytest.raises(BuildError, match="takes the element"):
        Text("x").after("voice")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="no truth value"):
        bool(voice.time.end)


# --------------------------------------------------------------------------- the service's view


_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def service_eval(text: str, env: dict[str, float]) -> float:
    """A tiny, independent evaluator of the service's arithmetic expression subset."""
    tree = ast.parse(text, mode="eval").body

    def go(node: ast.AST) -> float:
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            return env[node.id]
        if isinstance(node, ast.BinOp):
            return _OPS[type(node.op)](go(node.left), go(node.right))  # type: ignore[no-any-return]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -go(node.operand)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            fn = {"min": min, "max": max}[node.func.id]
            return fn(go(node.args[0]), go(node.args[1]))  # type: ignore[no-any-return]
        raise AssertionError(f"outside the subset: {ast.dump(node)}")

    return go(tree)


def simulate(
    elements: list[dict[str, Any]], lengths: dict[str, float]
) -> list[tuple[float, float]]:
    """The service's reading: elements in order; ``ID_*`` variables of earlier elements."""
    env: dict[str, float] = {}
    out = []
    for e in elements:

        def value(key: str, default: float, e: dict[str, Any] = e) -> float:
            v = e.get(key, default)
            if isinstance(v, str):
                body = re.fullmatch(r"\{\{(.*)\}\}", v)
                assert body, v
                return service_eval(body.group(1), env)
            return float(v)

        start = value("start", 0)
        if e.get("duration", -1) == -1:
            duration = lengths[e["id"]]
        else:
            duration = value("duration", -1)
            # a negative length at render time is the user's error, not a timing question
            assume(duration > 0)
        extra = value("extra-time", 0)
        end = start + duration + extra
        if "id" in e:
            env.update(
                {
                    f"{e['id']}_start": start,
                    f"{e['id']}_end": end,
                    f"{e['id']}_duration": duration,
                    f"{e['id']}_extratime": extra,
                }
            )
        out.append((start, end))
    return out


placements = st.lists(
    st.tuples(
        st.sampled_from(["voice", "image"]),
        st.sampled_from(["none", "after", "with", "after_previous", "until", "expr"]),
        st.integers(0, 20),  # which earlier element (modulo)
        st.sampled_from([0, 0.5, -0.25, 2]),  # gap
        st.sampled_from([1, 2.5, 4]),  # own duration for images
    ),
    min_size=1,
    max_size=7,
)


@settings(max_examples=200, deadline=None)
@given(
    plan=placements, voice_lengths=st.lists(st.sampled_from([1.5, 3, 7.25]), min_size=7, max_size=7)
)
def test_folded_numbers_equal_the_service_expressions(
    plan: list[Any], voice_lengths: list[float]
) -> None:
    built: list[Any] = []
    lengths: dict[str, float] = {}
    for i, (kind, how, pick, gap, own) in enumerate(plan):
        if kind == "voice":
            element: Any = Voice(f"line {i}", id=f"v{i}")
            lengths[f"v{i}"] = voice_lengths[i]
        else:
            element = Image(IMG).duration(own)
        if built and how != "none":
            other = built[pick % len(built)]
            if how == "after":
                element = element.after(other, gap)
            elif how == "with":
                element = element.with_(other, abs(gap))
            elif how == "after_previous":
                element = element.after_previous(abs(gap))
            elif how == "until" and kind == "image":
                element = element.start(gap + 3).until(other, 1)
            elif how == "expr":
                element = element.start(tmax(other.time.start + 1, other.time.duration / 2))
        built.append(element)
    movie = Movie().add(Scene().add(*built))
    try:
        doc = movie.to_dict()
    except BuildError as exc:  # until() an element that ended before this one starts
        assume("works out to" not in str(exc))
        raise
    service = simulate(doc["scenes"][0]["elements"], lengths)
    timeline = movie.timeline(lengths)
    assert timeline.exact
    ours = [x for e in timeline.elements for x in (e.start, e.end)]
    theirs = [x for s, e in service for x in (max(s, 0), max(e, s, 0))]
    assert ours == pytest.approx(theirs)
