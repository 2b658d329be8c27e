"""Tests for the bundled JSON2Video Movie JSON schema (schema/movie.schema.json).

Plain pytest + the three validators moviekit may use; the moviekit package is not imported.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema
import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schema" / "movie.schema.json"
DOCUMENTS_DIR = Path(__file__).resolve().parents[1] / "data" / "documents"
DOCUMENTS = sorted(DOCUMENTS_DIR.glob("*.json"))

SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
DEFS: dict[str, Any] = SCHEMA["definitions"]

PY = jsonschema.Draft7Validator(SCHEMA)
RS = jsonschema_rs.Draft7Validator(SCHEMA)
FAST = fastjsonschema.compile(copy.deepcopy(SCHEMA))  # compile() rewrites $refs in place

ELEMENT_TYPES = [
    "image",
    "video",
    "text",
    "html",
    "component",
    "audio",
    "voice",
    "audiogram",
    "subtitles",
]
VISUAL_TYPES = {"image", "video", "text", "html", "component", "audiogram"}
BASE_KEYS = {
    "type",
    "id",
    "comment",
    "condition",
    "variables",
    "start",
    "duration",
    "extra-time",
    "z-index",
    "fade-in",
    "fade-out",
    "cache",
}
VISUAL_KEYS = {
    "position",
    "x",
    "y",
    "width",
    "height",
    "resize",
    "crop",
    "rotate",
    "zoom",
    "pan",
    "pan-distance",
    "pan-crop",
    "flip-horizontal",
    "flip-vertical",
    "mask",
    "chroma-key",
    "correction",
}
VOLUME_KEYS = {"volume", "muted"}
LOOP_SEEK_KEYS = {"loop", "seek"}
VOLUME_TYPES = {"video", "audio", "voice"}
LOOP_SEEK_TYPES = {"video", "audio"}
SUBTITLES_KEYS = {"type", "comment", "captions", "language", "model", "settings"}

REQUIRED_DEFINITIONS = [
    "movie",
    "scene",
    "element",
    "image",
    "video",
    "text",
    "html",
    "component",
    "audio",
    "voice",
    "audiogram",
    "subtitles",
    "subtitlesSettings",
    "crop",
    "rotate",
    "chromaKey",
    "correction",
    "transition",
    "export",
    "destination",
    "webhookDestination",
    "ftpDestination",
    "emailDestination",
    "placeholder",
    "numericString",
]


def fast_is_valid(doc: Any) -> bool:
    try:
        FAST(copy.deepcopy(doc))  # fastjsonschema may fill defaults; keep the input untouched
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def verdicts(doc: Any) -> tuple[bool, bool, bool]:
    return PY.is_valid(doc), RS.is_valid(doc), fast_is_valid(doc)


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def movie(*elements: dict[str, Any], **scene: Any) -> dict[str, Any]:
    """A one-scene movie holding the given elements."""
    return {"scenes": [{**scene, "elements": list(elements)}]}


E0 = ("scenes", 0, "elements", 0)


# --------------------------------------------------------------------------- the schema itself


class TestSchemaDocument:
    def test_draft07_header(self) -> None:
        assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
        for key in ("$id", "title", "description"):
            assert isinstance(SCHEMA[key], str) and SCHEMA[key]

    def test_check_schema_draft7(self) -> None:
        jsonschema.Draft7Validator.check_schema(SCHEMA)

    def test_check_schema_draft202012(self) -> None:
        jsonschema.Draft202012Validator.check_schema(SCHEMA)

    def test_compiles_with_jsonschema_rs(self) -> None:
        assert jsonschema_rs.validator_for(SCHEMA).is_valid({"scenes": []})
        assert jsonschema_rs.Draft7Validator(SCHEMA).is_valid({"scenes": []})

    def test_compiles_with_fastjsonschema(self) -> None:
        assert fastjsonschema.compile(copy.deepcopy(SCHEMA))({"scenes": []}) == {"scenes": []}

    @pytest.mark.parametrize("name", REQUIRED_DEFINITIONS)
    def test_definition_present(self, name: str) -> None:
        assert name in DEFS

    def test_root_is_the_movie(self) -> None:
        if "$ref" in SCHEMA:
            assert SCHEMA["$ref"] == "#/definitions/movie"
        else:
            assert SCHEMA["properties"] == DEFS["movie"]["properties"]
            assert SCHEMA.get("if") == DEFS["movie"].get("if")
            assert SCHEMA.get("else") == DEFS["movie"].get("else")

    def test_only_draft07_keywords(self) -> None:
        text = SCHEMA_PATH.read_text(encoding="utf-8")
        for keyword in (
            "$defs",
            "unevaluatedProperties",
            "dependentRequired",
            "$anchor",
            "dependentSchemas",
            "prefixItems",
            "$dynamicRef",
        ):
            assert f'"{keyword}"' not in text, keyword

    def test_element_dispatch_is_if_then_on_type(self) -> None:
        element = DEFS["element"]
        assert element["type"] == "object"
        assert element["required"] == ["type"]
        assert sorted(element["properties"]["type"]["enum"]) == sorted(ELEMENT_TYPES)
        assert "oneOf" not in element and "anyOf" not in element
        dispatched = {}
        for branch in element["allOf"]:
            assert branch["if"]["required"] == ["type"]
            dispatched[branch["if"]["properties"]["type"]["const"]] = branch["then"]["$ref"]
        assert dispatched == {t: f"#/definitions/{t}" for t in ELEMENT_TYPES}

    def test_element_arrays_use_element_definition(self) -> None:
        assert DEFS["movie"]["properties"]["elements"]["items"] == {"$ref": "#/definitions/element"}
        assert DEFS["scene"]["properties"]["elements"]["items"] == {"$ref": "#/definitions/element"}
        assert DEFS["movie"]["properties"]["scenes"]["items"] == {"$ref": "#/definitions/scene"}
        assert DEFS["export"]["properties"]["destinations"]["items"] == {
            "$ref": "#/definitions/destination"
        }

    def test_scenes_required_unless_template(self) -> None:
        assert DEFS["movie"]["if"] == {"required": ["template"]}
        assert DEFS["movie"]["else"] == {"required": ["scenes"]}

    def test_additional_properties_false_only_where_the_service_is_strict(self) -> None:
        strict: list[str] = []

        def walk(node: Any, where: str) -> None:
            if isinstance(node, dict):
                if node.get("additionalProperties") is False:
                    strict.append(where)
                for key, value in node.items():
                    walk(value, f"{where}/{key}")
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    walk(value, f"{where}/{i}")

        walk(DEFS, "#/definitions")
        assert sorted(strict) == ["#/definitions/subtitlesSettings", "#/definitions/transition"]
        assert SCHEMA.get("additionalProperties") is not False

    def test_no_limits_left_to_lints(self) -> None:
        movie_props = DEFS["movie"]["properties"]
        assert "maxItems" not in movie_props["exports"]
        assert "propertyNames" not in movie_props["variables"]
        assert not {"minLength", "maxLength", "pattern"} & set(movie_props["template"])

    @pytest.mark.parametrize(
        "path",
        [
            ("movie", "variables"),
            ("movie", "client-data"),
            ("scene", "variables"),
            ("text", "settings"),
            ("component", "settings"),
            ("image", "model-settings"),
            ("voice", "model-settings"),
            ("subtitlesSettings", "replace"),
            ("image", "variables"),
        ],
    )
    def test_free_form_objects(self, path: tuple[str, str]) -> None:
        node = DEFS[path[0]]["properties"][path[1]]
        assert node["type"] == "object"
        assert "properties" not in node and "additionalProperties" not in node

    def test_every_property_has_a_description(self) -> None:
        missing = []
        for name, definition in DEFS.items():
            for key, prop in definition.get("properties", {}).items():
                if name == "element" and key == "type":
                    continue
                if not prop.get("description"):
                    missing.append(f"{name}.{key}")
        assert missing == []

    def test_placeholder_helpers(self) -> None:
        placeholder = jsonschema.Draft7Validator(DEFS["placeholder"])
        numeric = jsonschema.Draft7Validator(DEFS["numericString"])
        for ok in ["{{x}}", "{{ a + 2 }}", "px {{w}} px", "{{\n x \n}}"]:
            assert placeholder.is_valid(ok), ok
        for bad in ["x", "{{x", "{x}", 3]:
            assert not placeholder.is_valid(bad), bad
        for ok in ["1080", " 12.5 ", "-1", "0"]:
            assert numeric.is_valid(ok), ok
        for bad in ["1e3", "12.", "abc", "", "1 080", 5]:
            assert not numeric.is_valid(bad), bad


# --------------------------------------------------------------------------- documented keys


class TestDocumentedKeys:
    @pytest.mark.parametrize("element_type", [t for t in ELEMENT_TYPES if t != "subtitles"])
    def test_base_keys(self, element_type: str) -> None:
        assert set(DEFS[element_type]["properties"]) >= BASE_KEYS

    @pytest.mark.parametrize("element_type", [t for t in ELEMENT_TYPES if t != "subtitles"])
    def test_visual_keys_per_matrix(self, element_type: str) -> None:
        keys = set(DEFS[element_type]["properties"])
        if element_type in VISUAL_TYPES:
            assert keys >= VISUAL_KEYS
        else:
            assert not VISUAL_KEYS & keys

    @pytest.mark.parametrize("element_type", [t for t in ELEMENT_TYPES if t != "subtitles"])
    def test_audio_keys_per_matrix(self, element_type: str) -> None:
        keys = set(DEFS[element_type]["properties"])
        assert (keys >= VOLUME_KEYS) == (element_type in VOLUME_TYPES)
        assert bool(VOLUME_KEYS & keys) == (element_type in VOLUME_TYPES)
        assert (keys >= LOOP_SEEK_KEYS) == (element_type in LOOP_SEEK_TYPES)
        assert bool(LOOP_SEEK_KEYS & keys) == (element_type in LOOP_SEEK_TYPES)

    def test_subtitles_keys(self) -> None:
        assert set(DEFS["subtitles"]["properties"]) == SUBTITLES_KEYS

    @pytest.mark.parametrize(
        ("definition", "keys"),
        [
            ("image", {"src", "prompt", "model", "model-settings", "aspect-ratio", "connection"}),
            ("video", {"src"}),
            ("text", {"text", "style", "settings"}),
            ("html", {"html", "src", "tailwindcss", "tailwind", "wait", "dpi"}),
            ("component", {"component", "settings"}),
            ("audio", {"src"}),
            ("voice", {"text", "voice", "model", "connection", "model-settings"}),
            ("audiogram", {"color", "opacity", "amplitude"}),
            (
                "movie",
                {
                    "scenes",
                    "elements",
                    "resolution",
                    "width",
                    "height",
                    "quality",
                    "cache",
                    "id",
                    "comment",
                    "client-data",
                    "variables",
                    "exports",
                    "template",
                    "fps",
                    "draft",
                },
            ),
            (
                "scene",
                {
                    "elements",
                    "duration",
                    "background-color",
                    "transition",
                    "cache",
                    "condition",
                    "variables",
                    "id",
                    "comment",
                    "iterate",
                },
            ),
            (
                "subtitlesSettings",
                {
                    "style",
                    "all-caps",
                    "font-family",
                    "font-size",
                    "font-url",
                    "font-weight",
                    "word-color",
                    "line-color",
                    "box-color",
                    "outline-color",
                    "outline-width",
                    "shadow-color",
                    "shadow-offset",
                    "max-words-per-line",
                    "position",
                    "x",
                    "y",
                    "keywords",
                    "replace",
                },
            ),
            ("crop", {"width", "height", "x", "y"}),
            ("rotate", {"angle", "speed"}),
            ("chromaKey", {"color", "tolerance"}),
            ("correction", {"brightness", "contrast", "gamma", "saturation"}),
            ("transition", {"style", "duration", "type"}),
            ("export", {"destinations"}),
            ("webhookDestination", {"type", "endpoint", "content-type"}),
            (
                "ftpDestination",
                {"type", "host", "port", "username", "password", "remote-path", "file"},
            ),
            ("emailDestination", {"type", "to", "subject", "message"}),
        ],
    )
    def test_type_specific_keys(self, definition: str, keys: set[str]) -> None:
        assert keys <= set(DEFS[definition]["properties"])

    @pytest.mark.parametrize(
        ("definition", "required"),
        [
            ("text", ["type", "text"]),
            ("component", ["type", "component"]),
            ("voice", ["type", "text"]),
            ("image", ["type"]),
            ("video", ["type"]),
            ("audio", ["type"]),
            ("html", ["type"]),
            ("audiogram", ["type"]),
            ("subtitles", ["type"]),
            ("crop", ["width", "height"]),
            ("rotate", ["angle"]),
            ("chromaKey", ["color"]),
        ],
    )
    def test_required_keys(self, definition: str, required: list[str]) -> None:
        assert sorted(DEFS[definition]["required"]) == sorted(required)


# --------------------------------------------------------------------------- real documents


def test_enough_documents() -> None:
    assert len(DOCUMENTS) >= 10
    assert (DOCUMENTS_DIR / "SOURCES.md").is_file()
    listed = (DOCUMENTS_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for path in DOCUMENTS:
        assert path.name in listed, f"{path.name} has no provenance in SOURCES.md"


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.stem for p in DOCUMENTS])
def test_document_is_valid(path: Path) -> None:
    doc = load(path)
    errors = [(list(e.absolute_path), e.message) for e in PY.iter_errors(doc)]
    assert errors == []
    assert verdicts(doc) == (True, True, True)


def test_documents_cover_every_element_type() -> None:
    seen: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("type"), str) and node["type"] in ELEMENT_TYPES:
                seen.add(node["type"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in DOCUMENTS:
        walk(load(path).get("scenes", []))
        walk(load(path).get("elements", []))
    assert seen == set(ELEMENT_TYPES)


# --------------------------------------------------------------------------- invalid documents

AUDIO = {"type": "audio", "src": "https://example.com/a.mp3"}
IMAGE = {"type": "image", "src": "https://example.com/a.jpg"}
TEXT = {"type": "text", "text": "hi"}
DEST0 = ("exports", 0, "destinations", 0)

INVALID: list[tuple[str, Any, tuple[Any, ...]]] = [
    ("resolution-enum", {"resolution": "4k", "scenes": []}, ("resolution",)),
    (
        "resolution-instagram-portrait",
        {"resolution": "instagram-portrait", "scenes": []},
        ("resolution",),
    ),
    ("quality-enum", {"quality": "ultra", "scenes": []}, ("quality",)),
    ("movie-width-too-big", {"width": 4000, "scenes": []}, ("width",)),
    ("movie-height-too-small", {"height": 49, "scenes": []}, ("height",)),
    ("movie-width-not-integer", {"width": 640.5, "scenes": []}, ("width",)),
    ("fps-zero", {"fps": 0, "scenes": []}, ("fps",)),
    ("fps-too-high", {"fps": 121, "scenes": []}, ("fps",)),
    ("cache-not-boolean", {"cache": "yes", "scenes": []}, ("cache",)),
    ("client-data-not-object", {"client-data": "x", "scenes": []}, ("client-data",)),
    ("scenes-missing-without-template", {"resolution": "hd"}, ()),
    ("scenes-not-array", {"scenes": {}}, ("scenes",)),
    ("template-not-string", {"template": 12345}, ("template",)),
    ("scene-duration-zero", {"scenes": [{"duration": 0}]}, ("scenes", 0, "duration")),
    ("scene-duration-minus-two", {"scenes": [{"duration": -2}]}, ("scenes", 0, "duration")),
    ("scene-elements-not-array", {"scenes": [{"elements": IMAGE}]}, ("scenes", 0, "elements")),
    ("z-index-100", movie({**IMAGE, "z-index": 100}), E0 + ("z-index",)),
    ("z-index-minus-100", movie({**IMAGE, "z-index": -100}), E0 + ("z-index",)),
    ("volume-11", movie({**AUDIO, "volume": 11}), E0 + ("volume",)),
    ("volume-negative", movie({"type": "voice", "text": "x", "volume": -0.1}), E0 + ("volume",)),
    ("volume-word", movie({**AUDIO, "volume": "loud"}), E0 + ("volume",)),
    ("missing-type", movie({"src": "https://example.com/a.jpg"}), E0),
    ("unknown-type", movie({"type": "sticker"}), E0 + ("type",)),
    (
        "deprecated-template-element",
        movie({"type": "template", "template": "basic/001"}),
        E0 + ("type",),
    ),
    ("text-without-text", movie({"type": "text", "style": "001"}), E0),
    ("text-not-string", movie({"type": "text", "text": 5}), E0 + ("text",)),
    ("component-without-component", movie({"type": "component", "settings": {}}), E0),
    ("voice-without-text", movie({"type": "voice", "voice": "Rachel"}), E0),
    ("crop-without-height", movie({**IMAGE, "crop": {"width": 100}}), E0 + ("crop",)),
    (
        "crop-width-float",
        movie({**IMAGE, "crop": {"width": 1.5, "height": 2}}),
        E0 + ("crop", "width"),
    ),
    ("rotate-without-angle", movie({**IMAGE, "rotate": {"speed": 1}}), E0 + ("rotate",)),
    ("rotate-angle-400", movie({**IMAGE, "rotate": {"angle": 400}}), E0 + ("rotate", "angle")),
    (
        "chroma-key-tolerance-zero",
        movie({**IMAGE, "chroma-key": {"color": "#00b140", "tolerance": 0}}),
        E0 + ("chroma-key", "tolerance"),
    ),
    (
        "chroma-key-without-color",
        movie({**IMAGE, "chroma-key": {"tolerance": 10}}),
        E0 + ("chroma-key",),
    ),
    (
        "correction-gamma-zero",
        movie({**IMAGE, "correction": {"gamma": 0}}),
        E0 + ("correction", "gamma"),
    ),
    (
        "correction-saturation-4",
        movie({**IMAGE, "correction": {"saturation": 4}}),
        E0 + ("correction", "saturation"),
    ),
    ("zoom-11", movie({**IMAGE, "zoom": 11}), E0 + ("zoom",)),
    ("pan-enum", movie({**IMAGE, "pan": "up"}), E0 + ("pan",)),
    ("pan-distance-0.6", movie({**IMAGE, "pan-distance": 0.6}), E0 + ("pan-distance",)),
    ("position-unofficial-preset", movie({**IMAGE, "position": "top-center"}), E0 + ("position",)),
    ("resize-enum", movie({**IMAGE, "resize": "stretch"}), E0 + ("resize",)),
    ("element-width-minus-two", movie({**IMAGE, "width": -2}), E0 + ("width",)),
    ("x-float", movie({**IMAGE, "x": 1.5}), E0 + ("x",)),
    ("flip-not-boolean", movie({**IMAGE, "flip-vertical": "true"}), E0 + ("flip-vertical",)),
    ("start-minus-two", movie({**IMAGE, "start": -2}), E0 + ("start",)),
    ("fade-in-negative", movie({**IMAGE, "fade-in": -1}), E0 + ("fade-in",)),
    ("element-duration-zero", movie({**IMAGE, "duration": 0}), E0 + ("duration",)),
    ("image-duration-minus-two", movie({**IMAGE, "duration": -2}), E0 + ("duration",)),
    (
        "voice-duration-minus-two",
        movie({"type": "voice", "text": "x", "duration": -2}),
        E0 + ("duration",),
    ),
    ("text-duration-minus-three", movie({**TEXT, "duration": -3}), E0 + ("duration",)),
    ("text-duration-word", movie({**TEXT, "duration": "long"}), E0 + ("duration",)),
    ("loop-minus-two", movie({**AUDIO, "loop": -2}), E0 + ("loop",)),
    ("loop-float", movie({**AUDIO, "loop": 1.5}), E0 + ("loop",)),
    ("audiogram-opacity-2", movie({"type": "audiogram", "opacity": 2}), E0 + ("opacity",)),
    ("audiogram-amplitude-11", movie({"type": "audiogram", "amplitude": 11}), E0 + ("amplitude",)),
    ("image-aspect-ratio-enum", movie({**IMAGE, "aspect-ratio": "wide"}), E0 + ("aspect-ratio",)),
    ("html-wait-negative", movie({"type": "html", "html": "<b>x</b>", "wait": -1}), E0 + ("wait",)),
    (
        "transition-unknown-key",
        {"scenes": [{"transition": {"style": "fade", "ease": "in"}}]},
        ("scenes", 0, "transition"),
    ),
    (
        "transition-style-enum",
        {"scenes": [{"transition": {"style": "spin"}}]},
        ("scenes", 0, "transition", "style"),
    ),
    (
        "transition-type-enum",
        {"scenes": [{"transition": {"type": "gl"}}]},
        ("scenes", 0, "transition", "type"),
    ),
    (
        "subtitles-settings-unknown-key",
        {"scenes": [], "elements": [{"type": "subtitles", "settings": {"font-color": "#FFFFFF"}}]},
        ("elements", 0, "settings"),
    ),
    (
        "subtitles-style-enum",
        {"scenes": [], "elements": [{"type": "subtitles", "settings": {"style": "karaoke"}}]},
        ("elements", 0, "settings", "style"),
    ),
    (
        "subtitles-position-enum",
        {"scenes": [], "elements": [{"type": "subtitles", "settings": {"position": "middle"}}]},
        ("elements", 0, "settings", "position"),
    ),
    (
        "subtitles-max-words-zero",
        {"scenes": [], "elements": [{"type": "subtitles", "settings": {"max-words-per-line": 0}}]},
        ("elements", 0, "settings", "max-words-per-line"),
    ),
    (
        "subtitles-language-enum",
        {"scenes": [], "elements": [{"type": "subtitles", "language": "xx"}]},
        ("elements", 0, "language"),
    ),
    (
        "subtitles-model-enum",
        {"scenes": [], "elements": [{"type": "subtitles", "model": "azure"}]},
        ("elements", 0, "model"),
    ),
    (
        "subtitles-keywords-not-strings",
        {"scenes": [], "elements": [{"type": "subtitles", "settings": {"keywords": [1]}}]},
        ("elements", 0, "settings", "keywords", 0),
    ),
    (
        "destination-unknown-type",
        {"scenes": [], "exports": [{"destinations": [{"type": "s3"}]}]},
        DEST0 + ("type",),
    ),
    (
        "destination-without-type-or-id",
        {"scenes": [], "exports": [{"destinations": [{"endpoint": "https://x.example"}]}]},
        DEST0,
    ),
    (
        "webhook-without-endpoint",
        {"scenes": [], "exports": [{"destinations": [{"type": "webhook"}]}]},
        DEST0,
    ),
    (
        "ftp-missing-password",
        {
            "scenes": [],
            "exports": [
                {"destinations": [{"type": "ftp", "host": "h", "port": 21, "username": "u"}]}
            ],
        },
        DEST0,
    ),
    (
        "sftp-port-word",
        {
            "scenes": [],
            "exports": [
                {
                    "destinations": [
                        {
                            "type": "sftp",
                            "host": "h",
                            "port": "ssh",
                            "username": "u",
                            "password": "p",
                        }
                    ]
                }
            ],
        },
        DEST0 + ("port",),
    ),
    (
        "sftp-port-zero-with-id",
        {"scenes": [], "exports": [{"destinations": [{"id": "conn", "type": "sftp", "port": 0}]}]},
        DEST0 + ("port",),
    ),
    (
        "email-without-message",
        {
            "scenes": [],
            "exports": [{"destinations": [{"type": "email", "to": "a@b.c", "subject": "s"}]}],
        },
        DEST0,
    ),
    ("export-without-destinations", {"scenes": [], "exports": [{}]}, ("exports", 0)),
    (
        "destination-not-object",
        {"scenes": [], "exports": [{"destinations": ["my-connection"]}]},
        DEST0,
    ),
    (
        "movie-elements-item-missing-type",
        {"scenes": [], "elements": [{"src": "x"}]},
        ("elements", 0),
    ),
]


@pytest.mark.parametrize(
    ("doc", "path"), [(c[1], c[2]) for c in INVALID], ids=[c[0] for c in INVALID]
)
def test_invalid_document(doc: Any, path: tuple[Any, ...]) -> None:
    errors = list(PY.iter_errors(doc))
    assert [tuple(e.absolute_path) for e in errors] == [path], [e.message for e in errors]
    assert verdicts(doc) == (False, False, False)
    rs_paths = [tuple(e.instance_path) for e in RS.iter_errors(doc)]
    assert path in rs_paths


# --------------------------------------------------------------------------- templated values

TEMPLATED: list[tuple[str, Any]] = [
    (
        "movie-width-numeric-string",
        {"resolution": "custom", "width": "1080", "height": " 1920 ", "scenes": []},
    ),
    ("movie-width-placeholder", {"width": "{{ w }}", "scenes": []}),
    ("movie-fps-placeholder", {"fps": "{{fps}}", "scenes": []}),
    ("movie-resolution-placeholder", {"resolution": "{{res}}", "scenes": []}),
    ("movie-cache-placeholder", {"cache": "{{cache}}", "scenes": []}),
    ("scene-duration-placeholder", {"scenes": [{"duration": "{{duration}}"}]}),
    ("scene-duration-numeric-string", {"scenes": [{"duration": "4.5"}]}),
    ("element-duration-expression", movie({**IMAGE, "duration": "{{ base_duration + 2 }}"})),
    ("element-width-expression", movie({**IMAGE, "width": "{{ base_width * scaling_factor }}"})),
    ("element-start-variable", movie({**IMAGE, "start": "{{my_video_end}}"})),
    ("z-index-numeric-string", movie({**IMAGE, "z-index": "-5"})),
    ("volume-placeholder", movie({**AUDIO, "volume": "{{music_volume}}"})),
    ("muted-placeholder", movie({**AUDIO, "muted": "{{ mute ? true : false }}"})),
    ("position-placeholder", movie({**IMAGE, "position": "{{corner}}"})),
    ("pan-placeholder", movie({**IMAGE, "pan": "{{pan}}"})),
    ("rotate-angle-placeholder", movie({**IMAGE, "rotate": {"angle": "{{angle}}"}})),
    (
        "subtitles-font-size-string",
        {"scenes": [], "elements": [{"type": "subtitles", "settings": {"font-size": "80"}}]},
    ),
    (
        "transition-style-placeholder",
        {"scenes": [{"transition": {"style": "{{t}}", "duration": "0.5"}}]},
    ),
    (
        "ftp-port-string",
        {
            "scenes": [],
            "exports": [
                {
                    "destinations": [
                        {"type": "ftp", "host": "h", "port": "21", "username": "u", "password": "p"}
                    ]
                }
            ],
        },
    ),
]


@pytest.mark.parametrize("doc", [c[1] for c in TEMPLATED], ids=[c[0] for c in TEMPLATED])
def test_templated_values_are_valid(doc: Any) -> None:
    assert [e.message for e in PY.iter_errors(doc)] == []
    assert verdicts(doc) == (True, True, True)


# --------------------------------------------------------------------------- permissive spots

PERMISSIVE: list[tuple[str, Any]] = [
    ("unknown-movie-key", {"scenes": [], "future-option": 1}),
    ("unknown-scene-key", {"scenes": [{"mood": "calm"}]}),
    *[
        (
            f"unknown-{t}-key",
            movie({"type": t, "text": "x", "component": "basic/000", "new-key": {"a": 1}}),
        )
        for t in ELEMENT_TYPES
    ],
    ("unknown-export-key", {"scenes": [], "exports": [{"destinations": [], "format": "mp4"}]}),
    (
        "unknown-destination-key",
        {
            "scenes": [],
            "exports": [
                {
                    "destinations": [
                        {"type": "webhook", "endpoint": "https://x.example", "headers": {"a": "b"}}
                    ]
                }
            ],
        },
    ),
    ("unknown-crop-key", movie({**IMAGE, "crop": {"width": 1, "height": 1, "unit": "px"}})),
    (
        "template-call-without-scenes",
        {"template": "aB3dE5fG7hI9jK1lM3nO", "variables": {"name": "x"}},
    ),
    ("template-call-any-length", {"template": "short"}),
    (
        "exports-several-items",
        {"scenes": [], "exports": [{"destinations": []}, {"destinations": []}]},
    ),
    ("variables-any-names", {"scenes": [], "variables": {"bad name!": 1, "1x": [1, 2]}}),
    ("connection-id-only", {"scenes": [], "exports": [{"destinations": [{"id": "my-webhook"}]}]}),
    (
        "connection-id-with-overrides",
        {
            "scenes": [],
            "exports": [
                {
                    "destinations": [
                        {"id": "my-sftp", "remote-path": "/in/", "file": "__random__.mp4"}
                    ]
                }
            ],
        },
    ),
    (
        "connection-id-with-type",
        {"scenes": [], "exports": [{"destinations": [{"id": "my-hook", "type": "webhook"}]}]},
    ),
    ("subtitles-inside-scene", movie({"type": "subtitles"})),
    ("scenes-empty", {"scenes": []}),
    (
        "video-loop-forever-container",
        movie({"type": "video", "src": "x", "loop": -1, "duration": -2}),
    ),
    ("audio-duration-container", movie({**AUDIO, "duration": -2})),
    (
        "image-model-free-string",
        movie({"type": "image", "prompt": "cat", "model": "nano-banana-pro"}),
    ),
    ("voice-model-free-string", movie({"type": "voice", "text": "x", "model": "elevenlabs-v3"})),
    (
        "webhook-content-type-mime",
        {
            "scenes": [],
            "exports": [
                {
                    "destinations": [
                        {
                            "type": "webhook",
                            "endpoint": "https://x.example",
                            "content-type": "application/json",
                        }
                    ]
                }
            ],
        },
    ),
    (
        "html-both-tailwind-flags",
        movie({"type": "html", "html": "<b/>", "tailwind": True, "tailwindcss": True}),
    ),
    ("draft-and-fps", {"scenes": [], "draft": True, "fps": 60}),
]


@pytest.mark.parametrize("doc", [c[1] for c in PERMISSIVE], ids=[c[0] for c in PERMISSIVE])
def test_permissive_documents_are_valid(doc: Any) -> None:
    assert [e.message for e in PY.iter_errors(doc)] == []
    assert verdicts(doc) == (True, True, True)


# --------------------------------------------------------------------------- validators agree


def _mutations() -> list[tuple[str, Any]]:
    """Single-property mutations of the richest fixture: all three validators must agree on each."""
    base = load(DOCUMENTS_DIR / "23_every_element_type.json")
    values: list[Any] = [
        None,
        True,
        -3,
        -2,
        -1,
        0,
        0.005,
        1.5,
        101,
        5000,
        "",
        "abc",
        "12",
        "{{v}}",
        [],
        {},
    ]
    out: list[tuple[str, Any]] = []
    for i, element in enumerate(base["scenes"][0]["elements"]):
        for key in element:
            if key == "type":
                continue
            for value in values:
                doc = copy.deepcopy(base)
                doc["scenes"][0]["elements"][i][key] = value
                out.append((f"e{i}.{key}={value!r}", doc))
    return out


MUTATIONS = _mutations()


def test_validators_agree_on_mutations() -> None:
    disagreements = [name for name, doc in MUTATIONS if len(set(verdicts(doc))) != 1]
    assert disagreements == []
    # the mutation set really exercises both outcomes
    results = {verdicts(doc)[0] for _, doc in MUTATIONS}
    assert results == {True, False}


def test_non_object_element_errors_stay_on_the_element() -> None:
    doc = {"scenes": [{"elements": ["not-an-element"]}]}
    paths = {tuple(e.absolute_path) for e in PY.iter_errors(doc)}
    assert paths == {E0}
    assert verdicts(doc) == (False, False, False)


# Property-based: random JSON values in random documented keys; the three validators agree.
_JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-5000, max_value=5000)
    | st.floats(min_value=-5000, max_value=5000, allow_nan=False)
    | st.sampled_from(
        ["", "1080", " -1 ", "2.5", "{{x}}", "{{ a + 1 }}", "abc", "#000000", "-", "1e3"]
    )
)
_JSON_VALUES = st.recursive(
    _JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)
_TARGETS = [
    (name, key)
    for name in [t for t in ELEMENT_TYPES if t != "subtitles"]
    for key in DEFS[name]["properties"]
    if key != "type"
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(_TARGETS), value=_JSON_VALUES)
def test_validators_agree_on_random_values(target: tuple[str, str], value: Any) -> None:
    element_type, key = target
    element = {"type": element_type, "text": "t", "component": "basic/000", key: value}
    doc = {"scenes": [{"elements": [element]}]}
    assert len(set(verdicts(doc))) == 1, (target, value, verdicts(doc))
