"""The builders' hot paths (issue #12.5): fast, and the same values as the plain way.

A chained build, compile and ``to_json`` run per-class copies of the setter and
constructor code, a per-class keyword table, a plain-data copy in place of a JSON
round trip and one serialisation for validation and output. Each must give
exactly what the straightforward way gives, and keep builders values.
"""

from __future__ import annotations

import copy
import json
from enum import Enum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.sizes import movie_of_size

from moviekit import (
    HTML,
    Audio,
    Audiogram,
    BuildError,
    Component,
    Element,
    Image,
    Movie,
    MovieValidationError,
    Scene,
    Subtitles,
    Text,
    Video,
    Voice,
)
from moviekit.builders._nodes import Prop
from moviekit.builders._own_code import own_code
from moviekit.service._json_text import MAX_DEPTH, json_text
from moviekit.validation._validate import MAX_DOCUMENT_BYTES

VISUAL: tuple[type[Element], ...] = (Text, Image, Video, HTML, Component, Audiogram)


def made(cls: type[Element]) -> Any:
    if cls is Audiogram:
        return Audiogram()
    return cls("x")  # type: ignore[call-arg]  # every class here takes one positional


# --------------------------------------------------------------------------- per-class code


def test_each_class_runs_its_own_copy_of_the_setter_and_constructor_code() -> None:
    codes = {id(cls.x.__code__) for cls in VISUAL}  # type: ignore[attr-defined]
    assert len(codes) == len(VISUAL)
    assert len({id(cls._init.__code__) for cls in VISUAL}) == len(VISUAL)
    # One class's setters share its copy: what they see is always that class.
    assert Text.x.__code__ is Text.y.__code__  # type: ignore[attr-defined]
    assert Text.x.__name__ == "x" and "x" in (Text.x.__doc__ or "")  # type: ignore[attr-defined]


def test_setters_interleaved_over_every_class_keep_each_class_and_value() -> None:
    # The copies must behave exactly as one shared setter: same class out, canonical
    # order whatever the call order, and the node they were called on unchanged.
    first = [made(cls) for cls in VISUAL]
    before = [dict(n.props) for n in first]
    nodes = first
    for round_ in range(3):
        nodes = [n.y(round_).x(round_).start(1) for n in nodes]
    for cls, node in zip(VISUAL, nodes, strict=True):
        assert type(node) is cls
        assert node.get("x") == 2 and node.get("y") == 2 and node.get("start") == 1
        assert list(node.props) == list(made(cls).start(1).x(2).y(2).props)
    assert [dict(n.props) for n in first] == before


def test_own_code_is_the_same_function_with_code_of_its_own() -> None:
    scale = 3

    def outer(a: int, b: int = 2, *, c: int = 1) -> Any:
        def inner(x: int) -> int:
            return x * scale

        return inner(a + b + c)

    outer.marker = "kept"  # type: ignore[attr-defined]
    copy = own_code(outer)
    assert copy is not outer and copy(1) == outer(1) == 12 and copy(1, 0, c=0) == 3
    assert copy.__code__ is not outer.__code__ and copy.__code__ == outer.__code__
    nested = [c for c in copy.__code__.co_consts if hasattr(c, "co_code")]
    assert nested and all(
        all(n is not o for o in outer.__code__.co_consts) for n in nested
    )  # the functions it makes get fresh code too
    assert (copy.__name__, copy.__qualname__, copy.marker) == (  # type: ignore[attr-defined]
        outer.__name__,
        outer.__qualname__,
        "kept",
    )
    assert own_code(len) is len


class _Tagged(Text):
    """A user subclass with one more property: its keyword table is its own."""

    __slots__ = ()
    tag = Prop[str]("a property only this subclass has")


def test_a_subclass_keyword_table_does_not_leak_into_its_base() -> None:
    tagged = _Tagged("hi", tag="t", start=1)
    assert type(tagged) is _Tagged and tagged.get("tag") == "t" and tagged.get("start") == 1
    assert tagged.tag("u").get("tag") == "u"
    with pytest.raises(BuildError, match="Text has no property 'tag'"):
        Text("hi", tag="t")
    assert not hasattr(Text, "tag")
    # The base keeps its own order; the subclass adds its own property after the base's.
    assert list(Text("a", start=1, comment="c").props) == list(
        Text("a").comment("c").start(1).props
    )


def test_a_keyword_repeating_the_positional_argument_wins_as_before() -> None:
    assert Text("a", text="b").get("text") == "b"
    assert list(Image("u", duration=2, src="v").props) == ["src", "duration"]
    assert Image("u", duration=2, src="v").get("src") == "v"


# --------------------------------------------------------------------------- compile copies


class _Name(str):
    """A str subclass: stored and compiled as its plain text."""


class _Colour(str, Enum):
    RED = "red"


_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=6)
    | st.text(max_size=6).map(_Name)
)
_keys = st.text(max_size=5) | st.text(max_size=5).map(_Name) | st.just(_Colour.RED)
values = st.recursive(
    _leaves,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(_keys, inner, max_size=4)
    ),
    max_leaves=16,
)


@settings(max_examples=150, deadline=None)
@given(value=values)
def test_any_value_compiles_to_its_json_round_trip_or_a_build_error_with_its_path(
    value: Any,
) -> None:
    try:  # what the compile did before it copied by walking: a JSON round trip
        expected = json.dumps(value, allow_nan=False, sort_keys=False)
    except ValueError:  # an infinite or NaN float somewhere in it
        with pytest.raises(BuildError) as info:
            Text("a").set("data", value)
        assert info.value.path is not None and info.value.path.startswith("data")
        return
    node = Text("a").set("data", value)
    doc = Movie().add(Scene(duration=1).add(node)).to_dict(validate=False)
    got = doc["scenes"][0]["elements"][0]["data"]
    assert json.dumps(got) == expected
    assert got == json.loads(expected)
    # A private copy: editing the document never reaches the builder.
    if isinstance(got, dict):
        got["added"] = 1
    elif isinstance(got, list):
        got.append(1)
    again = Movie().add(Scene(duration=1).add(node)).to_dict(validate=False)
    assert json.dumps(again["scenes"][0]["elements"][0]["data"]) == expected


def test_str_subclass_keys_are_stored_as_their_plain_text() -> None:
    node = Text("a").set("data", {_Colour.RED: 1, _Name("k"): {_Name("j"): 2}})
    data = node.get("data")
    assert data == {"red": 1, "k": {"j": 2}}
    assert {type(k) for k in data} == {str} and {type(k) for k in data["k"]} == {str}
    doc = Movie().add(Scene(duration=1).add(node)).to_dict(validate=False)
    assert json.dumps(doc["scenes"][0]["elements"][0]["data"]) == '{"red": 1, "k": {"j": 2}}'


def _nested(levels: int, container: str) -> Any:
    value: Any = "leaf"
    for _ in range(levels):
        value = [value] if container == "list" else {"k": value}
    return value


@pytest.mark.parametrize("container", ["list", "dict"])
def test_data_nested_to_the_depth_limit_is_kept_and_one_level_more_is_refused(
    container: str,
) -> None:
    deepest = _nested(MAX_DEPTH, container)
    assert Text("a").set("data", deepest).get("data") == deepest
    with pytest.raises(BuildError, match=f"nested more than {MAX_DEPTH} levels deep") as info:
        Text("a").set("data", _nested(MAX_DEPTH + 1, container))
    assert info.value.path.startswith("data")


def test_a_time_expression_deep_inside_a_dict_is_refused_where_it_is_given() -> None:
    # Compile never looks inside data (to_json shares it with the builders), so the
    # setter refuses it, naming its place inside the value.
    voice = Voice("hi")
    with pytest.raises(BuildError, match="not inside a dict or list") as info:
        Text("x").set("data", {"a": [{"b": voice.time.end}]})
    assert info.value.path == "data.a[0].b"
    with pytest.raises(BuildError, match="not inside a dict or list") as info:
        Scene().set("data", [voice.time.end])
    assert info.value.path == "data[0]"


# --------------------------------------------------------------------------- to_json


def sample_movies() -> list[Movie]:
    voice = Voice("Welcome").length_hint(3)
    return [
        Movie(resolution="full-hd").add(
            Subtitles().settings(style="boxed-word"),
            Audio("https://example.com/m.mp3").volume(0.3),
            Scene(background_color="#101820").add(
                Text("Hi").settings(font_size="60px").x(9),
                Image(prompt="sea", model="freepik-classic").duration(5),
                Component("basic/125").settings({"data": {"rows": [["a", "b"]]}}),
                HTML("<b>é</b>").position("bottom-right"),
                Audiogram(color="#2ea4ff"),
            ),
        ),
        Movie().add(Scene().add(voice, Text("Next").after(voice, gap=0.5).duration(2))),
        Movie.from_template("abc", name="Ann"),
        Movie.from_dict({"comment": "\ud800 lone", "scenes": [{"elements": [], "duration": 1}]}),
    ]


@pytest.mark.parametrize("indent", [None, 2])
def test_to_json_is_the_text_of_to_dict(indent: int | None) -> None:
    for movie in sample_movies():
        assert movie.to_json(indent=indent) == json_text(movie.to_dict(), indent)
        assert movie.to_json(indent=indent, validate=False) == json_text(
            movie.to_dict(validate=False), indent
        )


def test_to_json_leaves_every_builder_as_it_was() -> None:
    # to_json compiles with the builders' own data (it writes the document and drops it),
    # and lowers relative placement on the document: neither may reach a builder.
    voice = Voice("Welcome").variables(name="Ann")
    caption = Text("Hi {{name}}").settings(font_size="60px").after(voice, gap=0.5)
    chart = Component("basic/125").settings({"data": {"rows": [["a", "b"]]}}).after(caption)
    movie = Movie().add(Scene().add(voice, caption, chart))
    builders = (voice, caption, chart)
    before = [copy.deepcopy(dict(b.props)) for b in builders]
    document = movie.to_dict()
    for _ in range(2):
        assert json.loads(movie.to_json()) == document
    assert [dict(b.props) for b in builders] == before


@pytest.mark.parametrize("fill", ["x", "é", "\ud800"])
def test_to_json_measures_the_body_it_returns_against_the_limit(fill: str) -> None:
    fits = Movie.from_dict(movie_of_size(MAX_DOCUMENT_BYTES, fill=fill))
    assert len(fits.to_json().encode("utf-8")) == MAX_DOCUMENT_BYTES
    over = Movie.from_dict(movie_of_size(MAX_DOCUMENT_BYTES + 1, fill=fill))
    with pytest.raises(MovieValidationError) as info:
        over.to_json()
    (problem,) = info.value.report.errors
    assert problem.code == "too-large"
    assert f"{MAX_DOCUMENT_BYTES + 1:,} bytes" in problem.message
