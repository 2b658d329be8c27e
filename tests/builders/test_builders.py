"""Builders: every documented property reaches the wire under its exact name, with value semantics.

The expected wire names come from the bundled schema (``definitions.<type>.properties``), so a
property the schema documents but no builder can set fails here, and so does a setter that
emits a name the schema does not know.
"""

from __future__ import annotations

import copy
import json
import math
import pickle
import random
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import moviekit
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
    Element,
    Email,
    Expr,
    Image,
    Movie,
    MoviekitError,
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
SCHEMA: dict[str, Any] = json.loads((ROOT / "schema" / "movie.schema.json").read_text("utf-8"))
DEFS: dict[str, Any] = SCHEMA["definitions"]

# --------------------------------------------------------------------------- helpers


def compiled(node: Any) -> dict[str, Any]:
    """The wire dict of one builder, through the only public exit (``Movie.to_dict``)."""
    if isinstance(node, Movie):
        return node.to_dict(validate=False)
    if isinstance(node, Scene):
        return Movie().add(node).to_dict(validate=False)["scenes"][0]
    if isinstance(node, Subtitles):
        return Movie().add(node).to_dict(validate=False)["elements"][0]
    assert isinstance(node, Element)
    return Movie().add(Scene().add(node)).to_dict(validate=False)["scenes"][0]["elements"][0]


PLAIN_TYPES = (dict, list, str, int, float, bool, type(None))


def assert_plain_json(value: Any, path: str = "") -> None:
    """Every value is exactly a JSON type (no subclasses, enums or sentinels); floats finite."""
    assert type(value) in PLAIN_TYPES, f"{path or '(root)'}: {type(value).__name__} {value!r}"
    if type(value) is float:
        assert math.isfinite(value), path
    if type(value) is dict:
        for key, item in value.items():
            assert type(key) is str, f"{path}: key {key!r}"
            assert_plain_json(item, f"{path}.{key}" if path else key)
    elif type(value) is list:
        for i, item in enumerate(value):
            assert_plain_json(item, f"{path}[{i}]")


def schema_enum(definition: str, wire: str) -> list[Any] | None:
    """The closed list of strings a schema property takes, if it is an enumeration."""
    prop = DEFS[definition]["properties"][wire]
    for branch in [prop, *prop.get("anyOf", ())]:
        if "enum" in branch and all(isinstance(v, str) for v in branch["enum"]):
            return list(branch["enum"])
    return None


# class -> (schema definition, positional constructor arguments)
CLASSES: dict[type, tuple[str, tuple[Any, ...]]] = {
    Movie: ("movie", ()),
    Scene: ("scene", ()),
    Image: ("image", ("https://example.com/a.png",)),
    Video: ("video", ("https://example.com/a.mp4",)),
    Text: ("text", ("Hello",)),
    HTML: ("html", ("<b>hi</b>",)),
    Component: ("component", ("basic/001",)),
    Audio: ("audio", ("https://example.com/a.mp3",)),
    Voice: ("voice", ("Hello there",)),
    Audiogram: ("audiogram", ()),
    Subtitles: ("subtitles", ()),
}

# Keys that are children (set with add()) or discriminators (fixed by the class).
STRUCTURAL = {"scenes", "elements", "type"}
# Legacy spellings the service model gives no setter (sent with .set(), see builder=False).
DO_NOT_EMIT = {("movie", "settings"), ("movie", "templateId")}

# wire name -> (value given to the setter, value expected on the wire); per-type overrides below
SAMPLES: dict[str, tuple[Any, Any]] = {
    "id": ("intro", "intro"),
    "comment": ("a note", "a note"),
    "condition": ("{{show}}", "{{show}}"),
    "variables": ({"price": 10}, {"price": 10}),
    "start": (1.5, 1.5),
    "duration": (2.5, 2.5),
    "extra-time": (0.5, 0.5),
    "z-index": (3, 3),
    "fade-in": (0.25, 0.25),
    "fade-out": (0.75, 0.75),
    "cache": (False, False),
    "position": ("center-center", "center-center"),
    "x": (10, 10),
    "y": (20, 20),
    "width": (320, 320),
    "height": (240, 240),
    "resize": ("cover", "cover"),
    "crop": (Crop(100, 50, x=5), {"width": 100, "height": 50, "x": 5}),
    "rotate": (Rotate(45, speed=2), {"angle": 45, "speed": 2}),
    "zoom": (2, 2),
    "pan": ("top-left", "top-left"),
    "pan-distance": (0.2, 0.2),
    "pan-crop": (False, False),
    "flip-horizontal": (True, True),
    "flip-vertical": (True, True),
    "mask": ("https://example.com/mask.png", "https://example.com/mask.png"),
    "chroma-key": (ChromaKey("#00b140", tolerance=30), {"color": "#00b140", "tolerance": 30}),
    "correction": (Correction(brightness=0.1, gamma=1.2), {"brightness": 0.1, "gamma": 1.2}),
    "volume": (0.5, 0.5),
    "muted": (True, True),
    "loop": (2, 2),
    "seek": (1.0, 1.0),
    "src": ("https://example.com/b.png", "https://example.com/b.png"),
    "prompt": ("a red bicycle", "a red bicycle"),
    "model": ("flux-schnell", "flux-schnell"),
    "model-settings": ({"guidance": 3}, {"guidance": 3}),
    "aspect-ratio": ("vertical", "vertical"),
    "connection": ("my-conn", "my-conn"),
    "text": ("Other", "Other"),
    "style": ("003", "003"),
    "settings": ({"font-size": "48px"}, {"font-size": "48px"}),
    "html": ("<i>x</i>", "<i>x</i>"),
    "tailwindcss": (True, True),
    "tailwind": (True, True),
    "wait": (1.5, 1.5),
    "dpi": (2, 2),
    "component": ("basic/050", "basic/050"),
    "voice": ("Rachel", "Rachel"),
    "color": ("#ffffff", "#ffffff"),
    "opacity": (0.5, 0.5),
    "amplitude": (5, 5),
    "captions": ("https://example.com/a.srt", "https://example.com/a.srt"),
    "language": ("en", "en"),
    "background-color": ("#101820", "#101820"),
    "transition": (Transition("wipeup", 0.5), {"style": "wipeup", "duration": 0.5}),
    "iterate": ("items", "items"),
    "resolution": ("custom", "custom"),
    "quality": ("low", "low"),
    "template": ("abcdefghij0123456789", "abcdefghij0123456789"),
    "fps": (30, 30),
    "draft": (True, True),
    "audio-track": (True, True),
    "client-data": ({"order": 7}, {"order": 7}),
    "exports": (
        [{"destinations": [Webhook("https://example.com/hook")]}],
        [{"destinations": [{"type": "webhook", "endpoint": "https://example.com/hook"}]}],
    ),
}
TYPE_SAMPLES: dict[tuple[str, str], tuple[Any, Any]] = {
    ("video", "src"): ("https://example.com/b.mp4", "https://example.com/b.mp4"),
    ("audio", "src"): ("https://example.com/b.wav", "https://example.com/b.wav"),
    ("html", "src"): ("https://example.com/page", "https://example.com/page"),
    ("voice", "model"): ("elevenlabs", "elevenlabs"),
    ("subtitles", "model"): ("whisper", "whisper"),
    ("video", "model"): ("seedance", "seedance"),
    ("subtitles", "settings"): ({"style": "boxed-word"}, {"style": "boxed-word"}),
    ("component", "settings"): ({"headline": {"color": "red"}}, {"headline": {"color": "red"}}),
}


def sample(definition: str, wire: str) -> tuple[Any, Any]:
    return TYPE_SAMPLES.get((definition, wire)) or SAMPLES[wire]


def documented(definition: str) -> list[str]:
    return [
        w
        for w in DEFS[definition]["properties"]
        if w not in STRUCTURAL and (definition, w) not in DO_NOT_EMIT
    ]


CASES = [
    pytest.param(cls, wire, id=f"{cls.__name__}.{wire}")
    for cls, (definition, _) in CLASSES.items()
    for wire in documented(definition)
]


def fresh(cls: type) -> Any:
    return cls(*CLASSES[cls][1])


# --------------------------------------------------------------------------- wire names


@pytest.mark.parametrize(("cls", "wire"), CASES)
def test_documented_property_settable_by_python_named_setter(cls: type, wire: str) -> None:
    definition = CLASSES[cls][0]
    name = wire.replace("-", "_")
    given, expected = sample(definition, wire)
    setter = getattr(fresh(cls), name, None)
    assert callable(setter), f"{cls.__name__} has no setter {name}() for documented {wire!r}"
    out = compiled(setter(given))
    assert out[wire] == expected
    assert name not in out or name == wire  # never the Python spelling on the wire


@pytest.mark.parametrize(("cls", "wire"), CASES)
def test_documented_property_settable_by_constructor_keyword(cls: type, wire: str) -> None:
    definition = CLASSES[cls][0]
    name = wire.replace("-", "_")
    given, expected = sample(definition, wire)
    node = cls(*CLASSES[cls][1], **{name: given})
    assert compiled(node)[wire] == expected


@pytest.mark.parametrize("cls", list(CLASSES), ids=lambda c: c.__name__)
def test_every_builder_property_is_documented_for_its_type(cls: type) -> None:
    definition = CLASSES[cls][0]
    known = set(DEFS[definition]["properties"])
    emitted = {prop.wire for prop in cls._by_name.values()}
    assert emitted <= known, f"{cls.__name__} emits undocumented keys {sorted(emitted - known)}"


def test_element_type_is_fixed_by_class() -> None:
    for cls, (definition, args) in CLASSES.items():
        if issubclass(cls, Element):
            assert compiled(cls(*args))["type"] == definition


@pytest.mark.parametrize(
    ("node", "wire", "expected"),
    [
        (Scene(background_color="#000000"), "background-color", "#000000"),
        (Text("a").extra_time(1), "extra-time", 1),
        (Text("a").z_index(-5), "z-index", -5),
        (Video("https://e.com/v.mp4").fade_in(1), "fade-in", 1),
        (
            Image("https://e.com/i.png").chroma_key(ChromaKey("#00ff00")),
            "chroma-key",
            {"color": "#00ff00"},
        ),
        (Image("https://e.com/i.png").pan_distance(0.3), "pan-distance", 0.3),
        (
            Voice("hi").model_settings({"language_code": "en"}),
            "model-settings",
            {"language_code": "en"},
        ),
        (Movie().client_data(order=1), "client-data", {"order": 1}),
        (Movie().client_data({"a-b": 1}), "client-data", {"a-b": 1}),
        (Image(prompt="cat").aspect_ratio("squared"), "aspect-ratio", "squared"),
        (Image("https://e.com/i.png").flip_horizontal(True), "flip-horizontal", True),
    ],
)
def test_issue_examples_of_python_to_wire_names(node: Any, wire: str, expected: Any) -> None:
    out = compiled(node)
    assert out[wire] == expected
    assert wire.replace("-", "_") not in out or "-" not in wire


def test_merging_setters_merge_and_keep_exact_keys() -> None:
    text = Text("a").settings(font_size="48px").settings({"text-align": "left"}, font_weight="700")
    assert compiled(text)["settings"] == {
        "font-size": "48px",
        "text-align": "left",
        "font-weight": "700",
    }
    scene = Scene().variables(a=1).variables({"b": 2}, a=3)
    assert compiled(scene)["variables"] == {"a": 3, "b": 2}
    sub = Subtitles().settings(max_words_per_line=2, word_color="#FFFF00")
    assert compiled(sub)["settings"] == {"max-words-per-line": 2, "word-color": "#FFFF00"}
    # variable names keep their underscores (they are data, not wire names)
    assert compiled(Movie().variables(base_duration=2))["variables"] == {"base_duration": 2}


def test_movie_level_properties_reachable() -> None:
    movie = (
        Movie(
            resolution="custom",
            width=640,
            height=360,
            quality="medium",
            fps=30,
            draft=False,
            cache=True,
            id="m1",
            comment="c",
        )
        .variables(x=1)
        .client_data(k="v")
        .export_to(Webhook("https://example.com/h"))
    )
    out = movie.to_dict()
    for key in (
        "resolution",
        "width",
        "height",
        "quality",
        "fps",
        "draft",
        "cache",
        "id",
        "comment",
        "variables",
        "client-data",
        "exports",
        "scenes",
    ):
        assert key in out
    template = Movie.from_template("abcdefghij0123456789", name="Ann")
    assert template.to_dict() == {"template": "abcdefghij0123456789", "variables": {"name": "Ann"}}


# --------------------------------------------------------------------------- Literal types

ENUM_CASES = [
    pytest.param(cls, wire, id=f"{cls.__name__}.{wire}")
    for cls, (definition, _) in CLASSES.items()
    for wire in documented(definition)
    if schema_enum(definition, wire) is not None and wire.replace("-", "_") in cls._by_name
]


def test_enum_cases_cover_the_schema_enums() -> None:
    names = {c.id for c in ENUM_CASES}
    for expected in (
        "Movie.resolution",
        "Movie.quality",
        "Text.position",
        "Image.resize",
        "Video.pan",
        "Image.aspect-ratio",
        "Subtitles.model",
    ):
        assert expected in names


@pytest.mark.parametrize(("cls", "wire"), ENUM_CASES)
def test_enum_property_declared_as_literal_of_schema_values(cls: type, wire: str) -> None:
    prop = cls._by_name[wire.replace("-", "_")]
    declared = typing.get_args(prop.__orig_class__)[0]
    assert typing.get_origin(declared) is typing.Literal
    assert set(typing.get_args(declared)) == set(schema_enum(CLASSES[cls][0], wire) or ())


def _literal_values(hint: Any) -> set[Any]:
    if typing.get_origin(hint) is typing.Literal:
        return set(typing.get_args(hint))
    out: set[Any] = set()
    for arg in typing.get_args(hint):
        out |= _literal_values(arg)
    return out


@pytest.mark.parametrize(("cls", "wire"), ENUM_CASES)
def test_enum_setter_runtime_signature_carries_the_literal(cls: type, wire: str) -> None:
    """help(), IPython and other runtime introspection see the choices on the setter itself."""
    setter = getattr(cls, wire.replace("-", "_"))
    hints = typing.get_type_hints(setter)
    params = [v for k, v in hints.items() if k != "return"]
    assert params, f"{cls.__name__}.{setter.__name__} has no parameter annotation"
    assert _literal_values(params[-1]) == set(schema_enum(CLASSES[cls][0], wire) or ())


def test_transition_style_is_a_literal_of_the_schema_values() -> None:
    hints = typing.get_type_hints(Transition)
    assert _literal_values(hints["style"]) == set(
        DEFS["transition"]["properties"]["style"]["anyOf"][0]["enum"]
    )
    assert _literal_values(typing.get_type_hints(Scene.transition)["style"]) == _literal_values(
        hints["style"]
    )


# --------------------------------------------------------------------------- value semantics


def _all_setter_calls(cls: type) -> list[tuple[str, Any]]:
    definition = CLASSES[cls][0]
    calls = []
    for wire in documented(definition):
        name = wire.replace("-", "_")
        if hasattr(cls, name):
            calls.append((name, sample(definition, wire)[0]))
    return calls


@pytest.mark.parametrize("cls", list(CLASSES), ids=lambda c: c.__name__)
def test_chained_calls_never_change_the_original(cls: type) -> None:
    original = fresh(cls).set("x-custom", [1, {"a": 2}])
    before = compiled(original)
    before_props = dict(original.props)
    node = original
    for name, value in _all_setter_calls(cls):
        result = getattr(node, name)(value)
        assert result is not node
        assert compiled(original) == before
        node = result
    for op in (
        lambda n: n.set("other", 1),
        lambda n: n.unset("x-custom"),
        lambda n: n.unset("x_custom"),
    ):
        op(original)
    if isinstance(original, Scene):
        original.add(Text("t"))
        original.with_elements([Text("u")])
    if isinstance(original, Movie):
        original.add(Scene(), Audio("https://e.com/a.mp3"))
        original.with_scenes([Scene()])
        original.with_elements([Audio("https://e.com/a.mp3")])
        original.export_to(Webhook("https://e.com/h"))
    assert compiled(original) == before
    assert dict(original.props) == before_props


def test_to_dict_output_can_be_mutated_freely() -> None:
    movie = (
        Movie(resolution="full-hd")
        .variables(items=[1, 2])
        .client_data(k={"deep": [1]})
        .add(
            Scene()
            .variables(v={"a": 1})
            .add(Text("a").settings(font_size="10px").crop(Crop(10, 10)))
        )
        .add(Audio("https://e.com/a.mp3"))
        .export_to(Webhook("https://e.com/h"))
    )
    before = movie.to_json()
    out = movie.to_dict()
    out["variables"]["items"].append(3)
    out["client-data"]["k"]["deep"].append(2)
    out["scenes"][0]["variables"]["v"]["a"] = 99
    out["scenes"][0]["elements"][0]["settings"]["font-size"] = "99px"
    out["scenes"][0]["elements"][0]["crop"]["width"] = 1
    out["scenes"][0]["elements"].append({"type": "text", "text": "x"})
    out["scenes"].append({})
    out["elements"].clear()
    out["exports"][0]["destinations"][0]["endpoint"] = "https://evil"
    out["resolution"] = "sd"
    assert movie.to_json() == before


def test_from_dict_input_can_be_mutated_freely() -> None:
    doc = {
        "scenes": [{"elements": [{"type": "text", "text": "a", "settings": {"a": [1]}}]}],
        "variables": {"v": {"w": 1}},
    }
    movie = Movie.from_dict(doc)
    before = movie.to_dict(validate=False)
    snapshot = copy.deepcopy(doc)
    doc["scenes"][0]["elements"][0]["settings"]["a"].append(2)
    doc["scenes"][0]["elements"].append({"type": "text", "text": "b"})
    doc["variables"]["v"]["w"] = 2
    assert movie.to_dict(validate=False) == before == snapshot


@pytest.mark.parametrize(
    "make",
    [
        lambda d: Text("a").variables(d),
        lambda d: Text("a").settings(d),
        lambda d: Text("a", variables=d),
        lambda d: Voice("a").model_settings(d),
        lambda d: Image(prompt="x", model_settings=d),
        lambda d: Movie().client_data(d),
        lambda d: Scene().set("custom", d),
        lambda d: Movie(exports=[{"destinations": [d]}]),
        lambda d: Scene().transition(d),
    ],
)
def test_dict_passed_to_a_setter_is_copied(make: Any) -> None:
    given = {"a": [1, {"b": 2}]}
    node = make(given)
    before = compiled(node)
    given["a"].append(3)
    given["a"][1]["b"] = 99
    given["c"] = 1
    assert compiled(node) == before


def test_get_returns_copies() -> None:
    node = Text("a").variables(a=[1]).settings(font_size="1px").set("x", {"y": [1]})
    node.get("variables")["a"].append(2)
    node.get("settings")["font-size"] = "2px"
    node.get("x")["y"].append(2)
    assert node.get("variables") == {"a": [1]}
    assert node.get("settings") == {"font-size": "1px"}
    assert node.get("x") == {"y": [1]}
    # by Python name or wire name, with a default
    assert node.get("font_size") is None and node.get("missing", 5) == 5
    assert Text("a").extra_time(2).get("extra_time") == Text("a").extra_time(2).get("extra-time")


def test_props_view_is_read_only_all_the_way_down() -> None:
    node = Text("a").variables(a=[1]).settings(font_size="1px")
    with pytest.raises(TypeError):
        node.props["text"] = "b"  # type: ignore[index]
    try:
        node.props["variables"]["a"].append(2)
        node.props["settings"]["font-size"] = "2px"
    except TypeError:
        pass  # refusing the change is fine too
    assert compiled(node)["variables"] == {"a": [1]}
    assert compiled(node)["settings"] == {"font-size": "1px"}


def test_base_scene_reused_for_1000_variants_stays_intact() -> None:
    base = Scene(background_color="#000000", duration=5).add(Text("Title").start(0))
    before = compiled(base)
    variants = [base.add(Text(f"variant {i}")).duration(i + 1).variables(i=i) for i in range(1000)]
    assert compiled(base) == before
    assert len(base.elements) == 1
    for i in (0, 1, 500, 999):
        out = compiled(variants[i])
        assert [e["text"] for e in out["elements"]] == ["Title", f"variant {i}"]
        assert out["duration"] == i + 1 and out["variables"] == {"i": i}
    movie = Movie().add(variants)
    assert len(movie.to_dict()["scenes"]) == 1000
    assert compiled(base) == before


def test_sibling_branches_do_not_see_each_other() -> None:
    base = Scene().add(Text("a"))
    left = base.add(Text("l"))
    right = base.add(Text("r"), Text("r2"))
    assert [e["text"] for e in compiled(left)["elements"]] == ["a", "l"]
    assert [e["text"] for e in compiled(right)["elements"]] == ["a", "r", "r2"]
    movie = Movie().add(Scene())
    m1, m2 = movie.add(Scene(id="one")), movie.add(Audio("https://e.com/a.mp3"))
    assert len(m1.scenes) == 2 and len(m1.elements) == 0
    assert len(m2.scenes) == 1 and len(m2.elements) == 1


def test_builders_are_values() -> None:
    a = Text("x").start(1).duration(2)
    b = Text("x", duration=2, start=1)
    assert a == b and a is not b
    assert a != Text("x").start(1)
    assert copy.copy(a) == a and copy.deepcopy(a) == a
    assert Scene().add(a) == Scene().add(b)
    with pytest.raises(TypeError):
        hash(a)


# --------------------------------------------------------------------------- key order


def _orders(node: Any, calls: list[tuple[str, Any]], seeds: int = 20) -> set[tuple[str, ...]]:
    seen = set()
    for seed in range(seeds):
        shuffled = calls[:]
        random.Random(seed).shuffle(shuffled)
        current = node
        for name, value in shuffled:
            current = getattr(current, name)(value)
        seen.add(tuple(compiled(current)))
    return seen


@pytest.mark.parametrize("cls", list(CLASSES), ids=lambda c: c.__name__)
def test_canonical_key_order_independent_of_call_order(cls: type) -> None:
    orders = _orders(fresh(cls), _all_setter_calls(cls))
    assert len(orders) == 1, orders


def test_canonical_key_order_through_constructor_and_document_order_through_from_dict() -> None:
    a = Text("x", fade_out=1, start=2, id="t", z_index=1)
    b = Text("x").z_index(1).id("t").fade_out(1).start(2)
    assert list(compiled(a)) == list(compiled(b))
    assert list(compiled(a))[:2] == ["type", "id"]
    # A document read back keeps its own order: nothing is reordered away (issue #12).
    doc = {
        "scenes": [
            {
                "elements": [
                    {
                        "z-index": 1,
                        "start": 2,
                        "id": "t",
                        "fade-out": 1,
                        "text": "x",
                        "type": "text",
                    }
                ]
            }
        ]
    }
    c = Movie.from_dict(doc).scenes[0].elements[0]
    assert list(compiled(c)) == ["z-index", "start", "id", "fade-out", "text", "type"]
    later = [k for k in compiled(c.extra_time(1)) if k != "extra-time"]
    assert later == ["z-index", "start", "id", "fade-out", "text", "type"]  # the rest stay put


def test_unknown_keys_come_after_known_ones() -> None:
    node = Text("x").set("zz-custom", 1).start(1).set("aa-custom", 2).id("a")
    keys = list(compiled(node))
    assert keys == ["type", "id", "text", "start", "zz-custom", "aa-custom"]


def test_to_json_is_byte_stable_for_any_call_order() -> None:
    m1 = Movie(quality="high", resolution="hd").add(Scene(duration=3, background_color="#fff"))
    m2 = Movie(resolution="hd", quality="high").add(Scene(background_color="#fff").duration(3))
    assert m1.to_json(indent=2) == m2.to_json(indent=2)
    assert m1.to_json() == json.dumps(m1.to_dict(), ensure_ascii=False, separators=(",", ":"))


def test_to_json_indented_reads_like_json_dumps() -> None:
    movie = Movie(resolution="hd").add(Scene(duration=3).add(Text("héllo ✓").start(0.5)))
    assert movie.to_json(indent=2) == json.dumps(movie.to_dict(), indent=2, ensure_ascii=False)


def test_to_json_keeps_text_utf8_cannot_carry() -> None:
    # A lone surrogate stops the fast serialiser; the standard library writes it as given.
    movie = Movie().add(Scene().add(Text("half a pair \ud83d").duration(2)))
    assert json.loads(movie.to_json()) == movie.to_dict()


# --------------------------------------------------------------------------- repr


def test_repr_is_compact() -> None:
    assert repr(Scene(duration=5).add(Text("a"), Text("b"), Text("c"))) == (
        "Scene(duration=5, elements=3)"
    )
    assert repr(Movie(resolution="hd").add(Scene())) == "Movie(resolution='hd', scenes=1)"
    assert repr(Movie().add(Scene(), Audio("https://e.com/a.mp3"))) == (
        "Movie(scenes=1, elements=1)"
    )
    assert repr(Text("x").start(1)) == "Text(text='x', start=1)"
    assert repr(Audiogram()) == "Audiogram()"
    big = Scene().with_elements([Text("x" * 500)] * 10_000).set("huge", "y" * 10_000)
    assert repr(big) == "Scene(huge='" + "y" * 36 + "..., elements=10000)"
    long_text = repr(Text("x" * 1000, start=1, duration=2, id="i", z_index=1, fade_in=1))
    assert len(long_text) < 200 and long_text.endswith(", ...)")


def test_repr_shows_named_constants() -> None:
    node = Text("x").duration(-1).start(-1)
    assert repr(node) == "Text(text='x', start=CONTAINER_END, duration=NATURAL_LENGTH)"
    assert repr(Text("x").duration(-2)) == "Text(text='x', duration=CONTAINER_LENGTH)"


# --------------------------------------------------------------------------- named constants


def test_named_constants_are_the_wire_numbers() -> None:
    assert NATURAL_LENGTH == -1 and CONTAINER_LENGTH == -2 and CONTAINER_END == -1
    assert (repr(NATURAL_LENGTH), repr(CONTAINER_LENGTH), repr(CONTAINER_END)) == (
        "NATURAL_LENGTH",
        "CONTAINER_LENGTH",
        "CONTAINER_END",
    )
    assert str(NATURAL_LENGTH) == "NATURAL_LENGTH"
    assert json.dumps([NATURAL_LENGTH, CONTAINER_LENGTH, CONTAINER_END]) == "[-1, -2, -1]"
    assert repr(pickle.loads(pickle.dumps(CONTAINER_LENGTH))) == "CONTAINER_LENGTH"
    assert NATURAL_LENGTH.description and CONTAINER_END.description


def test_wire_numbers_read_back_as_named_constants() -> None:
    assert repr(Text("x").duration(-1).get("duration")) == "NATURAL_LENGTH"
    assert repr(Text("x").duration(-2).get("duration")) == "CONTAINER_LENGTH"
    assert repr(Text("x").start(-1).get("start")) == "CONTAINER_END"
    assert Text("x").duration(-1.5).get("duration") == -1.5  # not a special value


def test_named_constants_compile_to_plain_wire_numbers() -> None:
    movie = Movie().add(
        Scene().add(
            Video("https://e.com/v.mp4").loop(-1).duration(CONTAINER_LENGTH),
            Text("end").start(CONTAINER_END).duration(NATURAL_LENGTH),
        )
    )
    doc = movie.to_dict(validate=False)
    elements = doc["scenes"][0]["elements"]
    assert (elements[0]["duration"], elements[1]["start"], elements[1]["duration"]) == (-2, -1, -1)
    assert_plain_json(doc)  # the sentinels are turned into wire values by the compiler


def test_named_constants_compile_and_validate() -> None:
    movie = Movie().add(
        Scene().add(
            Text("end").start(CONTAINER_END).duration(NATURAL_LENGTH),
            Audio("https://e.com/a.mp3").duration(CONTAINER_LENGTH),
        )
    )
    assert validate(movie).ok
    doc = movie.to_dict()
    assert doc["scenes"][0]["elements"][0]["duration"] == -1
    assert json.loads(movie.to_json())["scenes"][0]["elements"][1]["duration"] == -2


# --------------------------------------------------------------------------- Var / Expr


@pytest.mark.parametrize(
    ("expr", "wire"),
    [
        (Var("price"), "{{price}}"),
        (Var("base_duration") + 2, "{{base_duration + 2}}"),
        (2 + Var("a"), "{{2 + a}}"),
        (Var("price") * Var("qty"), "{{price * qty}}"),
        (10 - Var("a"), "{{10 - a}}"),
        (Var("a") / 3, "{{a / 3}}"),
        (1 / Var("a"), "{{1 / a}}"),
        ((Var("a") + 1) * 2, "{{(a + 1) * 2}}"),
        (Var("a") - (Var("b") - Var("c")), "{{a - (b - c)}}"),
        (2 * Var("a") - Var("b") / 3, "{{(2 * a) - (b / 3)}}"),
        (Var("a") + 0.5, "{{a + 0.5}}"),
        (Var("a") + 'x"y', '{{a + "x\\"y"}}'),
        (Expr(" my_voice_duration/3 "), "{{my_voice_duration/3}}"),
    ],
)
def test_var_and_expr_arithmetic(expr: Expr, wire: str) -> None:
    assert str(expr) == wire
    assert compiled(Text("x").duration(expr))["duration"] == wire


def test_expr_values() -> None:
    assert repr(Var("a") + 1) == "Expr('a + 1')"
    assert Var("a") == Expr("a") and hash(Var("a")) == hash(Expr("a"))
    assert Var("a") != "{{a}}"


@pytest.mark.parametrize("name", ["1a", "_a", "a b", "a-b", "", "é", "price\n"])
def test_var_rejects_invalid_names(name: str) -> None:
    with pytest.raises(BuildError, match="invalid variable name"):
        Var(name)


@pytest.mark.parametrize("bad", [True, None, object(), [1], {"a": 1}])
def test_expr_rejects_non_numbers(bad: Any) -> None:
    with pytest.raises(BuildError, match="expression"):
        Var("a") + bad


def test_expr_accepted_everywhere_including_numbers_and_nested_values() -> None:
    node = (
        Image("https://e.com/i.png")
        .width(Var("w") * 2)
        .crop(Crop(Var("cw"), 10))
        .z_index(Var("z"))
        .cache(Var("c"))
    )
    out = compiled(node)
    assert out["width"] == "{{w * 2}}" and out["crop"] == {"width": "{{cw}}", "height": 10}
    assert out["z-index"] == "{{z}}" and out["cache"] == "{{c}}"
    movie = Movie().variables(w=1, cw=1, z=1, c=True).add(Scene().add(node))
    assert movie.validate().ok


# --------------------------------------------------------------------------- typed values


def test_typed_nested_values_to_wire() -> None:
    assert Crop(1, 2).to_wire() == {"width": 1, "height": 2}
    assert Crop(1, 2, x=3, y=4).to_wire() == {"width": 1, "height": 2, "x": 3, "y": 4}
    assert Rotate(90).to_wire() == {"angle": 90}
    assert ChromaKey("#00ff00").to_wire() == {"color": "#00ff00"}
    assert Correction().to_wire() == {}
    assert Correction(contrast=2, saturation=0).to_wire() == {"contrast": 2, "saturation": 0}
    assert Transition().to_wire() == {"style": "fade"}
    assert Transition("slideleft", 1, type="xfade").to_wire() == {
        "style": "slideleft",
        "duration": 1,
        "type": "xfade",
    }
    assert Scene().transition("dissolve", 0.5).get("transition") == {
        "style": "dissolve",
        "duration": 0.5,
    }
    assert Scene().transition().get("transition") == {"style": "fade"}
    with pytest.raises(Exception):  # noqa: B017 - frozen dataclass
        Crop(1, 2).width = 3  # type: ignore[misc]


def test_export_destinations_to_wire() -> None:
    movie = Movie().export_to(
        Webhook("https://e.com/h", content_type="application/json"),
        FTP("ftp.e.com", "user", "pw", remote_path="/v/", file="__random__.mp4"),
        SFTP("sftp.e.com", "user", "pw"),
        Email("a@e.com", "Done", "See __video_url__"),
        Connection("conn-1", remote_path="/other/"),
        {"id": "conn-2"},
    )
    assert movie.to_dict()["exports"] == [
        {
            "destinations": [
                {
                    "type": "webhook",
                    "endpoint": "https://e.com/h",
                    "content-type": "application/json",
                },
                {
                    "type": "ftp",
                    "host": "ftp.e.com",
                    "username": "user",
                    "password": "pw",
                    "port": 21,
                    "remote-path": "/v/",
                    "file": "__random__.mp4",
                },
                {
                    "type": "sftp",
                    "host": "sftp.e.com",
                    "username": "user",
                    "password": "pw",
                    "port": 22,
                },
                {
                    "type": "email",
                    "to": "a@e.com",
                    "subject": "Done",
                    "message": "See __video_url__",
                },
                {"id": "conn-1", "remote-path": "/other/"},
                {"id": "conn-2"},
            ]
        }
    ]
    # a second export_to replaces the destinations (the service takes one export)
    again = movie.export_to(Webhook("https://e.com/2"))
    assert again.to_dict()["exports"] == [
        {"destinations": [{"type": "webhook", "endpoint": "https://e.com/2"}]}
    ]
    with pytest.raises(BuildError, match="at least one destination"):
        Movie().export_to()


@pytest.mark.parametrize(
    "value",
    [
        FTP("h", "u", "s3cr3t-pw"),
        SFTP("h", "u", "s3cr3t-pw", port=2222),
        Connection("conn", password="s3cr3t-pw"),
    ],
    ids=["FTP", "SFTP", "Connection-override"],
)
def test_passwords_never_in_repr(value: Any) -> None:
    assert "s3cr3t-pw" not in repr(value)
    assert "s3cr3t-pw" not in str(value)
    assert "s3cr3t-pw" not in repr(Movie().export_to(value))
    assert "s3cr3t-pw" in Movie().export_to(value).to_json()  # but it is sent


# --------------------------------------------------------------------------- escape hatch


@pytest.mark.parametrize("cls", list(CLASSES), ids=lambda c: c.__name__)
def test_set_emits_unknown_keys_and_validation_warns(cls: type) -> None:
    node = fresh(cls).set("brand-new-key", {"v": [1]})
    assert compiled(node)["brand-new-key"] == {"v": [1]}
    if isinstance(node, Movie):
        movie = node
    elif isinstance(node, (Scene, Subtitles)):
        movie = Movie().add(node)
    else:
        movie = Movie().variables(show=True).add(Scene().add(node))
    doc = movie.to_dict()  # a warning never raises
    report = validate(movie)
    assert report.ok
    unknown = [p for p in report.warnings if p.code == "unknown-property"]
    assert [p.path.rsplit(".", 1)[-1] for p in unknown] == ["brand-new-key"]
    assert "brand-new-key" in json.dumps(doc)


def test_set_with_known_wire_name_equals_the_setter() -> None:
    assert Text("x").set("fade-in", 1) == Text("x").fade_in(1)
    assert compiled(Text("x").set("fade-in", 1).start(2)) == compiled(Text("x", start=2, fade_in=1))
    assert Text("x").set("duration", -1).get("duration") is NATURAL_LENGTH


def test_set_warns_with_did_you_mean() -> None:
    report = validate(Movie().add(Scene().add(Text("x").set("fade_in", 1))))
    assert [(p.path, p.code, p.hint) for p in report.warnings] == [
        ("scenes[0].elements[0].fade_in", "unknown-property", "did you mean 'fade-in'?")
    ]


def test_unset() -> None:
    node = Text("x").start(1).set("k", 1)
    assert "start" not in compiled(node.unset("start"))
    assert "k" not in compiled(node.unset("k"))
    assert compiled(node.unset("missing")) == compiled(node)
    assert "extra-time" not in compiled(Text("x").extra_time(1).unset("extra_time"))


@pytest.mark.parametrize("name", ["type", "", 5, None])
def test_set_refuses_type_and_non_names(name: Any) -> None:
    with pytest.raises(BuildError):
        Text("x").set(name, 1)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("cls", "args", "typo", "message"),
    [
        (
            Text,
            ("x",),
            "fade_inn",
            "Text has no property 'fade_inn'; did you mean 'fade_in'? to send a property moviekit "
            "does not know, use .set('fade-inn', value)",
        ),
        (
            Scene,
            (),
            "background_colour",
            "Scene has no property 'background_colour'; did you mean 'background_color'? to send a "
            "property moviekit does not know, use .set('background-colour', value)",
        ),
        (
            Movie,
            (),
            "resolutoin",
            "Movie has no property 'resolutoin'; did you mean 'resolution'? to send a property "
            "moviekit does not know, use .set('resolutoin', value)",
        ),
        (
            Video,
            ("https://e.com/v.mp4",),
            "zindex",
            "Video has no property 'zindex'; did you mean 'z_index'? to send a property moviekit "
            "does not know, use .set('zindex', value)",
        ),
        (
            Audio,
            ("https://e.com/a.mp3",),
            "colour",
            "Audio has no property 'colour'; to send a property moviekit does not know, use "
            ".set('colour', value)",
        ),
    ],
)
def test_unknown_constructor_keyword(
    cls: type, args: tuple[Any, ...], typo: str, message: str
) -> None:
    with pytest.raises(BuildError) as info:
        cls(*args, **{typo: 1})
    assert str(info.value) == message
    assert isinstance(info.value, MoviekitError)


def test_visual_property_on_audio_is_unknown() -> None:
    with pytest.raises(BuildError, match="Audio has no property 'position'"):
        Audio("https://e.com/a.mp3", position="center-center")
    assert not hasattr(Audio, "position")
    assert not hasattr(Subtitles, "start")


_circular: list[Any] = []
_circular.append(_circular)


@pytest.mark.parametrize(
    ("make", "path", "fragment"),
    [
        (lambda: Text("x").start({1, 2}), "start", "set value {1, 2} cannot be sent as JSON"),
        (lambda: Text("x").start(float("nan")), "start", "nan is not a number JSON can carry"),
        (lambda: Text("x").duration(float("inf")), "duration", "inf is not a number"),
        (lambda: Text("x", z_index=float("-inf")), "z-index", "-inf is not a number"),
        (lambda: Text("x").start(object()), "start", "object value"),
        (lambda: Text("x").start(Decimal("1.5")), "start", "Decimal value"),
        (lambda: Text("x").start(1j), "start", "complex value"),
        (lambda: Text(b"bytes"), "text", "bytes value"),
        (lambda: Text("x").variables(a={"b": [1, {2}]}), "variables.a.b[1]", "set value {2}"),
        (lambda: Text("x").settings(font_size=float("nan")), "settings.font-size", "nan"),
        (lambda: Movie().client_data({"k": object()}), "client-data.k", "object value"),
        (lambda: Text("x").set("custom", {1: "a"}), "custom", "object keys must be strings"),
        (lambda: Movie().export_to(object()), "exports[0].destinations[0]", "object value"),
        (lambda: Image("https://e.com/i.png").crop(Crop(1, {3})), "crop.height", "set value"),
        (lambda: Text("x").set("loop", _circular), "loop[0]", "JSON"),
        (lambda: Text("x").start(Text("y")), "start", "Text value"),
    ],
)
def test_non_json_values_raise_build_error_naming_the_path(
    make: Any, path: str, fragment: str
) -> None:
    with pytest.raises(BuildError) as info:
        make()
    assert info.value.path == path
    assert str(info.value).startswith(f"{path}: ")
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Scene().add(Scene()),
        lambda: Scene().add("text"),
        lambda: Scene().add(5),
        lambda: Scene().add(Text("a"), None),
        lambda: Movie().add({"scenes": []}),
        lambda: Movie().add(5),
        lambda: Movie().add([Scene(), "x"]),
        lambda: Movie().with_scenes(5),
        lambda: Movie().with_elements(None),
        lambda: Scene().with_elements(3),
        lambda: Text("x").variables([1, 2]),
        lambda: Text("x").settings("font-size: 1px"),
        lambda: Movie().client_data(3),
        lambda: Expr(5),
    ],
    ids=[
        "scene-add-scene",
        "scene-add-str",
        "scene-add-int",
        "scene-add-none",
        "movie-add-dict",
        "movie-add-int",
        "movie-add-list-with-str",
        "with_scenes-int",
        "movie-with_elements-none",
        "scene-with_elements-int",
        "variables-list",
        "settings-str",
        "client_data-int",
        "Expr-int",
    ],
)
def test_misuse_raises_moviekit_errors_only(make: Any) -> None:
    with pytest.raises(MoviekitError):
        make()


def test_add_flattens_iterables() -> None:
    scene = Scene().add([Text("a"), Text("b")], (Text(c) for c in "cd"))
    assert [e.get("text") for e in scene.elements] == ["a", "b", "c", "d"]
    movie = Movie().add([Scene(), Scene()], Audio("https://e.com/a.mp3"))
    assert len(movie.scenes) == 2 and len(movie.elements) == 1
    assert Scene().add() == Scene()


def test_public_surface() -> None:
    for name in (
        "Movie",
        "Scene",
        "Image",
        "Video",
        "Text",
        "HTML",
        "Component",
        "Audio",
        "Voice",
        "Audiogram",
        "Subtitles",
        "validate",
        "MovieValidationError",
        "MoviekitError",
        "BuildError",
        "NATURAL_LENGTH",
        "CONTAINER_LENGTH",
        "CONTAINER_END",
        "Var",
    ):
        assert name in moviekit.__all__ and hasattr(moviekit, name)
    assert issubclass(moviekit.MovieValidationError, moviekit.MoviekitError)
    assert issubclass(moviekit.BuildError, moviekit.MoviekitError)


# --------------------------------------------------------------------------- subclasses


class Title(Text):
    """A house-style text: every start is nudged half a second later."""

    __slots__ = ()

    def start(self, value: float) -> Title:  # type: ignore[override]
        return super().start(value + 0.5)


def test_a_subclass_override_calling_super_keeps_the_subclass() -> None:
    title = Title("Hi").duration(2).start(1).style("002")
    assert type(title) is Title
    assert title.get("start") == 1.5  # the override ran, and super() kept the subclass
    assert list(title.props) == ["text", "style", "start", "duration"]
    assert Title("Hi").start(1) == Title("Hi", start=1.5)
    assert type(Text("Hi").start(1)) is Text
