"""Import: ``Movie.from_dict(d).to_dict(validate=False) == d`` for real and edge-case documents."""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from support.corpus import accepted, entries

from moviekit import BuildError, Movie, MoviekitError, Scene, Text, UnknownElement, validate

# The conformance corpus (tests/service/test_conformance.py checks the exact round trip there).
DOCUMENTS = [entry.path for entry in entries()]
VALID = [entry.path for entry in accepted()]


def test_there_are_real_documents() -> None:
    assert len(DOCUMENTS) >= 150


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_real_document_round_trips(path: Path) -> None:
    doc = json.loads(path.read_text("utf-8"))
    original = copy.deepcopy(doc)
    assert Movie.from_dict(doc).to_dict(validate=False) == original
    assert doc == original  # the input is not touched


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_real_document_round_trips_through_json_text(path: Path) -> None:
    text = path.read_text("utf-8")
    movie = Movie.from_json(text)
    assert json.loads(movie.to_json(validate=False)) == json.loads(text)
    assert Movie.from_json(text.encode("utf-8")) == movie  # bytes accepted too


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_real_document_compiles_with_validation(path: Path) -> None:
    """Every accepted document has no error, so the validating exit returns it unchanged."""
    doc = json.loads(path.read_text("utf-8"))
    assert Movie.from_dict(doc).to_dict() == doc


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_pickled_builders_compile_to_the_same_document(path: Path) -> None:
    # Batches may hand builders to other processes: nothing read may be lost on the way.
    doc = json.loads(path.read_text("utf-8"))
    movie = pickle.loads(pickle.dumps(Movie.from_dict(doc)))
    assert movie.to_dict(validate=False) == doc


def test_empty_lists_survive_pickling() -> None:
    doc = {"scenes": [{"elements": []}], "elements": []}
    assert pickle.loads(pickle.dumps(Movie.from_dict(doc))).to_dict(validate=False) == doc


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_round_trip_is_a_fixed_point(path: Path) -> None:
    doc = json.loads(path.read_text("utf-8"))
    once = Movie.from_dict(doc)
    twice = Movie.from_dict(once.to_dict(validate=False))
    assert once == twice
    assert once.to_json(validate=False) == twice.to_json(validate=False)


UNKNOWN_EVERYWHERE = {
    "future-movie-key": {"nested": [1, {"x": None}]},
    "resolution": "hd",
    "settings": {"legacy": True},
    "scenes": [
        {
            "future-scene-key": [1, 2],
            "transition": {"style": "fade", "duration": 1},
            "elements": [
                {
                    "type": "text",
                    "text": "hi",
                    "future-element-key": "x",
                    "settings": {"font-size": "10px", "future-css": "1"},
                    "crop": {"width": 1, "height": 1, "future-crop-key": 0},
                    "variables": {"a": {"deep": [True, False, None]}},
                },
                {"type": "subtitles", "settings": {"style": "classic"}, "future": 1},
            ],
        }
    ],
    "elements": [{"type": "audio", "src": "https://e.com/a.mp3", "x-future": {}}],
    "exports": [
        {
            "destinations": [{"type": "webhook", "endpoint": "https://e.com/h", "future-dest": 1}],
            "future-export": 2,
        }
    ],
}

EDGE_CASES = {
    "template-call-no-scenes": {
        "template": "abcdefghij0123456789",
        "variables": {"name": "Ann", "items": [{"a": 1}]},
    },
    "template-call-with-empty-scenes": {"template": "abcdefghij0123456789", "scenes": []},
    "template-call-overrides": {
        "template": "abcdefghij0123456789",
        "resolution": "hd",
        "quality": "low",
        "client-data": {"k": "v"},
        "id": "x",
    },
    "placeholders-in-numeric-fields": {
        "variables": {"d": 2, "w": 100},
        "resolution": "custom",
        "width": "{{w * 2}}",
        "height": "1080",
        "fps": "{{ fps }}",
        "cache": "{{c}}",
        "scenes": [
            {
                "duration": "{{d}}",
                "elements": [
                    {
                        "type": "image",
                        "src": "{{url}}",
                        "duration": "{{ d + 2 }}",
                        "z-index": "3",
                        "x": "{{x}}",
                        "zoom": "2",
                        "pan-distance": "0.2",
                        "flip-vertical": "{{flip}}",
                        "crop": {"width": "{{w}}", "height": "100"},
                        "rotate": {"angle": "{{angle}}"},
                    },
                    {
                        "type": "audio",
                        "src": "https://e.com/a.mp3",
                        "volume": "0.5",
                        "loop": "{{n}}",
                        "start": "{{img_end}}",
                    },
                ],
            }
        ],
    },
    "numeric-strings-in-subtitles": {
        "scenes": [],
        "elements": [
            {"type": "subtitles", "settings": {"font-size": "80", "max-words-per-line": "2"}}
        ],
    },
    "empty-elements": {"scenes": [{"elements": []}], "elements": []},
    "empty-scene": {"scenes": [{}]},
    "empty-scenes": {"scenes": []},
    "unknown-keys-everywhere": UNKNOWN_EVERYWHERE,
    "unknown-element-type": {
        "scenes": [
            {
                "elements": [
                    {"type": "hologram", "src": "x", "beam": {"power": 9}},
                    {"type": "template", "template": "basic/001", "settings": {}},
                    {"no-type": True},
                    {},
                ]
            }
        ]
    },
    "special-numbers": {
        "scenes": [
            {
                "duration": -1,
                "elements": [
                    {
                        "type": "video",
                        "src": "https://e.com/v.mp4",
                        "start": -1,
                        "duration": -2,
                        "loop": -1,
                    },
                    {"type": "text", "text": "x", "duration": -1, "width": -1, "height": -1},
                    {"type": "audio", "src": "https://e.com/a.mp3", "duration": -1.0, "start": 0.0},
                ],
            }
        ]
    },
    "floats-and-ints-kept": {
        "scenes": [
            {
                "duration": 5.0,
                "elements": [{"type": "text", "text": "x", "start": 0, "duration": 1.25}],
            }
        ]
    },
    "unicode": {
        "comment": "élan – 映画 🎬",
        "scenes": [{"elements": [{"type": "text", "text": 'مرحبا\n\t"quoted"'}]}],
    },
    "non-string-values-in-string-fields": {
        "id": 5,
        "comment": None,
        "scenes": [
            {
                "elements": [
                    {"type": "text", "text": 5, "style": 3, "settings": "bold"},
                    {"type": "video", "src": None},
                ]
            }
        ],
    },
    "wrong-types-in-containers-of-elements": {
        "scenes": [
            {"elements": [{"type": "text", "text": "x", "variables": [1, 2], "crop": "none"}]}
        ]
    },
    "exports-without-destinations": {"scenes": [], "exports": [{}, {"destinations": []}]},
    "scene-variables-and-iterate": {
        "scenes": [
            {"iterate": "rows", "variables": {"a": 1}, "condition": "{{a == 1}}", "elements": []}
        ]
    },
    "elements-before-scenes": {
        "elements": [{"type": "audio", "src": "https://e.com/a.mp3"}],
        "scenes": [],
    },
    "big-ints": {"scenes": [{"elements": [{"type": "text", "text": "x", "start": 10**30}]}]},
}


@pytest.mark.parametrize("doc", list(EDGE_CASES.values()), ids=list(EDGE_CASES))
def test_edge_case_round_trips(doc: dict[str, Any]) -> None:
    original = copy.deepcopy(doc)
    assert Movie.from_dict(doc).to_dict(validate=False) == original
    assert Movie.from_json(json.dumps(doc)).to_dict(validate=False) == original
    assert doc == original


@pytest.mark.parametrize("doc", list(EDGE_CASES.values()), ids=list(EDGE_CASES))
def test_edge_case_output_is_plain_json(doc: dict[str, Any]) -> None:
    out = Movie.from_dict(doc).to_dict(validate=False)
    assert json.loads(json.dumps(out)) == out
    _assert_plain(out)


def _assert_plain(value: Any, path: str = "") -> None:
    assert type(value) in (dict, list, str, int, float, bool, type(None)), (
        f"{path}: {type(value).__name__} {value!r}"
    )
    if isinstance(value, dict):
        for key, item in value.items():
            _assert_plain(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _assert_plain(item, f"{path}[{i}]")


def test_template_call_does_not_invent_scenes() -> None:
    assert "scenes" not in Movie.from_dict({"template": "abcdefghij0123456789"}).to_dict()
    assert Movie(template="abcdefghij0123456789").to_dict() == {"template": "abcdefghij0123456789"}
    assert Movie().to_dict() == {"scenes": []}


def test_unknown_element_kept_and_editable_around() -> None:
    doc = {"scenes": [{"elements": [{"type": "hologram", "beam": 1}]}]}
    movie = Movie.from_dict(doc)
    element = movie.scenes[0].elements[0]
    assert isinstance(element, UnknownElement)
    assert element.get("beam") == 1
    grown = movie.with_scenes([movie.scenes[0].add(Text("x"))])
    assert grown.to_dict(validate=False)["scenes"][0]["elements"] == [
        {"type": "hologram", "beam": 1},
        {"type": "text", "text": "x"},
    ]


def test_imported_tree_is_editable_like_a_built_one() -> None:
    doc = {
        "resolution": "hd",
        "scenes": [{"elements": [{"type": "text", "text": "a", "start": 1}]}],
    }
    movie = Movie.from_dict(doc)
    built = Movie(resolution="hd").add(Scene().add(Text("a").start(1)))
    assert movie.to_json(validate=False) == built.to_json(validate=False)
    edited = movie.with_scenes([movie.scenes[0].add(Text("b"))]).quality("low")
    assert edited.to_dict()["scenes"][0]["elements"][1] == {"type": "text", "text": "b"}
    assert Movie.from_dict(doc).to_dict() == doc  # the first import is untouched
    scene = Scene.from_dict({"duration": 3, "elements": [{"type": "text", "text": "x"}]})
    assert Movie().add(scene).to_dict()["scenes"] == [
        {"duration": 3, "elements": [{"type": "text", "text": "x"}]}
    ]


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{"scenes": [1,}', 1, 15),
        ('{\n  "scenes": [\n', 3, 1),
        ("", 1, 1),
        ("{'scenes': []}", 1, 2),
        ('{"scenes": []} extra', 1, 16),
        ("\n\n   nope", 3, 4),
    ],
)
def test_from_json_bad_json_is_build_error_with_line_and_column(
    text: str, line: int, column: int
) -> None:
    with pytest.raises(BuildError) as info:
        Movie.from_json(text)
    assert f"line {line} column {column}" in str(info.value)
    assert str(info.value).startswith("not valid JSON: ")
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_from_json_bad_bytes_is_build_error() -> None:
    with pytest.raises(MoviekitError):
        Movie.from_json(b"\xff\xfe{")


def _nested(depth: int) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    inner = doc
    for _ in range(depth):
        inner["a"] = {}
        inner = inner["a"]
    return doc


def _contains_itself() -> dict[str, Any]:
    loop: dict[str, Any] = {}
    loop["x"] = loop
    return loop


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[" * 100_000, "the JSON is nested too deeply to read"),
        ('{"scenes": [{"duration": ' + "9" * 5000 + "}]}", "an integer with 5000 digits"),
        ('{"scenes": [{"duration": 1e999}]}', "the number 1e999 is too large"),
        ('{"scenes": [{"duration": NaN}]}', "NaN is not a JSON number"),
        (None, "Movie JSON is text (str or UTF-8 bytes), got NoneType"),
        (12, "Movie JSON is text (str or UTF-8 bytes), got int"),
        (b'{"scenes": [], "comment": "\xff\xfe"}', "the bytes are not UTF-8"),
        ("[]", "a movie must be a JSON object at the top level, got list"),
    ],
    ids=["deep-brackets", "5000-digits", "1e999", "nan", "none", "int", "not-utf8", "list"],
)
def test_from_json_of_hostile_text_is_a_build_error(text: Any, said: str) -> None:
    # Issue #14.4: these raised RecursionError, ValueError and TypeError.
    with pytest.raises(BuildError) as info:
        Movie.from_json(text)
    assert said in str(info.value) and info.value.path == ""


def test_a_lone_surrogate_escape_reads_and_writes_back_as_an_escape() -> None:
    # Issue #14.1: to_json() raised UnicodeEncodeError (now: it spells what it read).
    text = '{"comment":"a\\ud800b","scenes":[{"elements":[{"type":"text","text":"\\udfff"}]}]}'
    movie = Movie.from_json(text)
    assert movie.get("comment") == "a\ud800b"
    assert movie.to_json(validate=False) == text
    assert movie.to_json(indent=2).encode("utf-8")  # any text it returns encodes
    assert Movie.from_json(movie.to_json()).to_dict() == movie.to_dict()


@pytest.mark.parametrize(
    ("value", "path"),
    [
        (_nested(990), "variables" + ".a" * 200),
        (_contains_itself(), "variables.x"),
        ([[[[]]]] * 3, None),  # shallow and shared: fine
    ],
    ids=["990-deep", "contains-itself", "shared"],
)
def test_deep_or_cyclic_data_is_a_build_error_with_its_path(value: Any, path: str | None) -> None:
    # Issue #14.3: from_dict raised RecursionError on dicts ~990 deep or containing themselves.
    doc = {"scenes": [], "variables": value}
    if path is None:
        assert Movie.from_dict(doc).to_dict(validate=False) == doc
        return
    with pytest.raises(BuildError) as info:
        Movie.from_dict(doc)
    assert info.value.path == path and str(info.value).startswith(path + ": ")
    assert not validate(doc).ok  # validation refuses it at the same depth


@pytest.mark.parametrize(
    ("doc", "path", "message"),
    [
        ([], "", "a movie must be a JSON object at the top level, got list"),
        ("{}", "", "a movie must be a JSON object at the top level, got str"),
        (None, "", "a movie must be a JSON object at the top level, got NoneType"),
        ({"scenes": {}}, "scenes", "scenes: 'scenes' must be a list, got dict"),
        ({"scenes": "x"}, "scenes", "scenes: 'scenes' must be a list, got str"),
        ({"scenes": [], "elements": 3}, "elements", "elements: 'elements' must be a list, got int"),
        ({"scenes": [3]}, "scenes[0]", "scenes[0]: a scene must be a JSON object, got int"),
        (
            {"scenes": [{}, {"elements": {}}]},
            "scenes[1].elements",
            "scenes[1].elements: 'elements' must be a list, got dict",
        ),
        (
            {"scenes": [{"elements": [{"type": "text", "text": "x"}, "y"]}]},
            "scenes[0].elements[1]",
            "scenes[0].elements[1]: an element must be a JSON object, got str",
        ),
        (
            {"scenes": [], "elements": [None]},
            "elements[0]",
            "elements[0]: an element must be a JSON object, got NoneType",
        ),
        (
            {"scenes": [{"elements": [{"type": "text", "text": {1}}]}]},
            "scenes[0].elements[0].text",
            None,
        ),
        (
            {"scenes": [{"elements": [{"type": "text", "text": "x", "start": float("nan")}]}]},
            "scenes[0].elements[0].start",
            None,
        ),
        (
            {"scenes": [{"elements": [{"type": "text", 3: "x"}]}]},
            "scenes[0].elements[0]",
            "scenes[0].elements[0]: object keys must be strings, got 3",
        ),
        ({"scenes": [{"variables": {"a": object()}}]}, "scenes[0].variables.a", None),
    ],
    ids=[
        "list",
        "str",
        "None",
        "scenes-dict",
        "scenes-str",
        "elements-int",
        "scene-int",
        "scene-elements-dict",
        "element-str",
        "movie-element-None",
        "set-value",
        "nan-value",
        "int-key",
        "object-in-variables",
    ],
)
def test_from_dict_on_bad_input_is_build_error_with_path(
    doc: Any, path: str, message: str | None
) -> None:
    with pytest.raises(BuildError) as info:
        Movie.from_dict(doc)
    assert info.value.path == path
    if message is not None:
        assert str(info.value) == message


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        ({"scenes": [{"elements": [{"type": ["video"], "src": "x"}]}]}, "scenes[0].elements[0]"),
        ({"scenes": [], "elements": [{"type": {"kind": "audio"}}]}, "elements[0]"),
        ({"scenes": [{"elements": [{"type": 5}]}]}, "scenes[0].elements[0]"),
        ({"scenes": [{"elements": [{"type": None}]}]}, "scenes[0].elements[0]"),
    ],
    ids=["list", "dict", "int", "null"],
)
def test_element_type_that_is_not_a_string(doc: dict[str, Any], path: str) -> None:
    """Kept as an unknown element (validation explains it) or refused with a path; no crash."""
    try:
        out = Movie.from_dict(doc).to_dict(validate=False)
    except BuildError as exc:
        assert exc.path == path
    else:
        assert out == doc
