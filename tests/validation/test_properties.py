"""Property: any builder tree either compiles to a document the schema accepts, or raises a
moviekit error that says where -- never any other exception.

Trees are built from random chained calls on random classes: setters and constructor keywords
picked from each class's ``_by_name``, the escape hatch, ``unset``, the merging setters, child
additions and export destinations, with random values, good and bad.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moviekit import (
    CONTAINER_END,
    CONTAINER_LENGTH,
    FTP,
    HTML,
    NATURAL_LENGTH,
    SFTP,
    Audio,
    Audiogram,
    BuildError,
    ChromaKey,
    Component,
    Connection,
    Correction,
    Crop,
    Email,
    Image,
    Movie,
    MovieValidationError,
    Rotate,
    Scene,
    Subtitles,
    Text,
    Transition,
    Var,
    Video,
    Voice,
    Webhook,
    validate,
)

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schema" / "movie.schema.json").read_text("utf-8"))
DEFS = SCHEMA["definitions"]
SCHEMA_VALIDATOR = jsonschema.Draft7Validator(SCHEMA)  # independent of moviekit's validators
SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ELEMENT_CLASSES = [Image, Video, Text, HTML, Component, Audio, Voice, Audiogram, Subtitles]
POSITIONAL = {Video, Text, Component, Audio, Voice}  # need their main value


def _enums() -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for definition in DEFS.values():
        for wire, prop in definition.get("properties", {}).items():
            for branch in [prop, *prop.get("anyOf", ())]:
                for value in branch.get("enum", ()):
                    found.setdefault(wire, []).append(value)
    return found


ENUMS = _enums()

PLACEHOLDER = st.sampled_from(["a", "price", "clip_end"]).map(Var) | st.builds(
    lambda n, k: Var(n) * k, st.sampled_from(["a", "b"]), st.integers(1, 3)
)
SPECIAL = st.sampled_from([NATURAL_LENGTH, CONTAINER_LENGTH, CONTAINER_END])
FINITE = st.floats(-100, 5000, allow_nan=False, allow_infinity=False)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | FINITE | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
TYPED = st.one_of(
    st.builds(Crop, st.integers(1, 500), st.integers(1, 500)),
    st.builds(Rotate, st.integers(-400, 400)),
    st.builds(ChromaKey, st.sampled_from(["#00ff00", "green"]), st.none() | st.integers(0, 101)),
    st.builds(Correction, brightness=st.none() | FINITE),
    st.builds(Transition, st.sampled_from(["fade", "wipeup", "nope"]), st.none() | FINITE),
)
BAD = st.sampled_from(
    [
        {1, 2},
        frozenset(),
        object(),
        math.nan,
        math.inf,
        -math.inf,
        b"bytes",
        Decimal("1.5"),
        1j,
        {1: "int key"},
        {"a": {2}},
        [object()],
        {"deep": [{"x": math.nan}]},
        Text("not a value"),
    ]
)


def values_for(wire: str) -> st.SearchStrategy[Any]:
    good = [
        st.integers(-3, 5000),
        FINITE,
        st.booleans(),
        st.text(max_size=8),
        PLACEHOLDER,
        SPECIAL,
        JSON,
        TYPED,
    ]
    if wire in ENUMS:
        good += [st.sampled_from(ENUMS[wire])] * 6
    return st.one_of(*good, BAD)


@st.composite
def configured(draw: st.DrawFn, cls: type, first: Any = None) -> tuple[type, list[Any]]:
    """A recipe: the class, constructor keywords and a list of chained operations."""
    names = list(cls._by_name)
    ops: list[Any] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["setter", "setter", "setter", "kw", "set", "unset", "merge"]))
        name = draw(st.sampled_from(names))
        wire = cls._by_name[name].wire
        if kind == "set":
            key = draw(st.sampled_from([wire, "x-future", "colr"]))
            ops.append(("set", key, draw(values_for(key))))
        elif kind == "unset":
            ops.append(("unset", name, None))
        elif kind == "merge" and name in ("variables", "settings", "client_data"):
            ops.append(
                (
                    "merge",
                    name,
                    draw(
                        st.dictionaries(
                            st.sampled_from(["a", "font_size", "style", "b"]),
                            values_for("x"),
                            max_size=2,
                        )
                    ),
                )
            )
        else:
            ops.append(("setter" if kind == "merge" else kind, name, draw(values_for(wire))))
    return cls, ops


def build(cls: type, first: Any, ops: list[Any], children: list[Any] = ()) -> Any:  # type: ignore[assignment]
    kwargs = {name: value for kind, name, value in ops if kind == "kw"}
    args = (first,) if cls in POSITIONAL or first is not None else ()
    node = cls(*args, **kwargs)
    for kind, name, value in ops:
        if kind == "setter":
            node = getattr(node, name)(value)
        elif kind == "set":
            node = node.set(name, value)
        elif kind == "unset":
            node = node.unset(name)
        elif kind == "merge":
            node = getattr(node, name)(**value)
    for child in children:
        node = node.add(child)
    return node


MAIN_VALUES = st.one_of(
    st.sampled_from(
        [
            "https://e.com/a.mp4",
            "https://e.com/a.mp3",
            "https://e.com/a.png",
            "Hello",
            "basic/001",
            "",
            "{{url}}",
        ]
    ),
    PLACEHOLDER,
    BAD,
    st.integers(-2, 2),
)


@st.composite
def element_recipe(draw: st.DrawFn) -> tuple[type, Any, list[Any]]:
    cls = draw(st.sampled_from(ELEMENT_CLASSES))
    optional = cls is not Audiogram and draw(st.booleans())  # Audiogram takes no argument
    first = draw(MAIN_VALUES) if cls in POSITIONAL or optional else None
    _, ops = draw(configured(cls))
    return cls, first, ops


@st.composite
def movie_recipe(draw: st.DrawFn) -> dict[str, Any]:
    scenes = []
    for _ in range(draw(st.integers(0, 3))):
        _, ops = draw(configured(Scene))
        scenes.append((ops, draw(st.lists(element_recipe(), max_size=3))))
    _, movie_ops = draw(configured(Movie))
    overlay = draw(st.lists(element_recipe(), max_size=2))
    destinations = draw(
        st.lists(
            st.one_of(
                st.builds(Webhook, st.sampled_from(["https://e.com/h", "", "{{hook}}"])),
                st.builds(FTP, st.just("h"), st.just("u"), st.just("p"), st.integers(-1, 70000)),
                st.builds(SFTP, st.just("h"), st.just("u"), st.just("p")),
                st.builds(Email, st.just("a@e.com"), st.just("s"), st.just("m")),
                st.builds(lambda i: Connection(i, remote_path="/x"), st.sampled_from(["c1", ""])),
                JSON,
                BAD,
            ),
            max_size=2,
        )
    )
    template = draw(st.none() | st.sampled_from(["abcdefghij0123456789", "short"]))
    return {
        "scenes": scenes,
        "movie_ops": movie_ops,
        "overlay": overlay,
        "destinations": destinations,
        "template": template,
    }


def assemble(recipe: dict[str, Any]) -> Movie:
    scenes = [
        build(Scene, None, ops, [build(*element) for element in elements])
        for ops, elements in recipe["scenes"]
    ]
    overlay = [build(*element) for element in recipe["overlay"]]
    if recipe["template"] is not None:
        movie = build(Movie, None, [op for op in recipe["movie_ops"] if op[0] != "kw"])
        movie = movie.template(recipe["template"])
    else:
        movie = build(Movie, None, recipe["movie_ops"])
    movie = movie.add(*scenes).add(overlay)
    if recipe["destinations"]:
        movie = movie.export_to(*recipe["destinations"])
    return movie


def assert_plain_json(value: Any, path: str = "") -> None:
    assert type(value) in (dict, list, str, int, float, bool, type(None)), (
        f"{path or '(root)'}: {type(value).__name__} {value!r}"
    )
    if type(value) is float:
        assert math.isfinite(value)
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) is str
            assert_plain_json(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            assert_plain_json(item, f"{path}[{i}]")


def check_outcome(recipe: dict[str, Any]) -> str:
    try:
        movie = assemble(recipe)
    except BuildError as exc:
        assert exc.path, f"BuildError without a path: {exc}"
        assert str(exc).startswith(exc.path + ": ")
        return "build-error"
    unvalidated = movie.to_dict(validate=False)  # compiling never fails once built
    try:
        doc = movie.to_dict()
    except MovieValidationError as exc:
        assert exc.errors, "MovieValidationError without errors"
        for problem in exc.errors:
            assert problem.path, f"problem without a path: {problem}"
            assert problem.path in str(exc) and problem.code and problem.message
        return "invalid"
    assert doc == unvalidated
    # the schema breaks exactly where validation warns about a documented type, choice or range
    expressible = {p.code for p in validate(doc).warnings} & {"type", "enum", "range"}
    assert SCHEMA_VALIDATOR.is_valid(doc) == (not expressible), expressible
    assert_plain_json(doc)
    assert json.loads(movie.to_json()) == doc
    assert Movie.from_dict(doc).to_dict() == doc  # and it imports back
    return "valid"


@SETTINGS
@given(movie_recipe())
def test_any_builder_tree_compiles_or_raises_a_moviekit_error_with_a_path(
    recipe: dict[str, Any],
) -> None:
    check_outcome(recipe)


@SETTINGS
@given(element_recipe())
def test_any_single_element_compiles_or_raises_a_moviekit_error_with_a_path(
    element: tuple[type, Any, list[Any]],
) -> None:
    cls = element[0]
    holder = (
        {"scenes": [], "movie_ops": [], "overlay": [element], "destinations": [], "template": None}
        if cls is Subtitles
        else {
            "scenes": [([], [element])],
            "movie_ops": [],
            "overlay": [],
            "destinations": [],
            "template": None,
        }
    )
    check_outcome(holder)


@SETTINGS
@given(st.lists(element_recipe(), min_size=1, max_size=5))
def test_only_good_values_compile_valid(elements: list[tuple[type, Any, list[Any]]]) -> None:
    """With JSON-able values only, building never raises; problems surface as validation."""
    recipe = {
        "scenes": [([], [e for e in elements if e[0] is not Subtitles])],
        "movie_ops": [],
        "overlay": [e for e in elements if e[0] is Subtitles][:1],
        "destinations": [],
        "template": None,
    }
    try:
        assemble(recipe)
    except BuildError as exc:
        assert exc.path
        return
    assert check_outcome(recipe) in ("valid", "invalid")
