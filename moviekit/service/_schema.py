"""The bundled JSON Schema: found, loaded and compiled once per process.

Validation has a fast path and an explaining path:

* :func:`is_clean` asks one compiled (``jsonschema-rs``, Rust) question of a
  *clean schema*: the bundled schema tightened so that a document passing it
  can have no error and no warning at all (no unknown keys, no ``{{ }}``
  placeholders, the lints written as schema rules). Most real documents pass,
  and then validation costs less than ``json.dumps`` of the same document.
* Otherwise the explaining path runs: the reference ``jsonschema`` validator,
  whose errors carry paths and context, plus the Python lints in
  ``moviekit/validation/_validate.py``, which say what is wrong and how to fix it.

The clean schema must never pass a document the explaining path would flag; a
property-based test checks that. If ``jsonschema-rs`` cannot be imported (a
platform without a wheel), the reference validator answers instead: slower,
same results.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from moviekit.service._placeholders import VARIABLE_NAME

__all__ = [
    "ACCEPTED_KINDS",
    "NON_BLANK",
    "TEMPLATE_ID_LENGTH",
    "VARIABLE_NAME",
    "clean_schema",
    "extension_kind",
    "is_clean",
    "is_valid",
    "known_keys",
    "load_schema",
    "reference_validator",
    "schema_path",
]

SCHEMA_NAME = "movie.schema.json"


def schema_path() -> Path:
    """Where the bundled schema is: inside the installed wheel, or ``schema/`` in a checkout."""
    bundled = resources.files("moviekit") / "_bundled" / SCHEMA_NAME
    if bundled.is_file():
        return Path(str(bundled))
    return Path(__file__).resolve().parents[2] / "schema" / SCHEMA_NAME


@cache
def load_schema() -> dict[str, Any]:
    """The bundled Movie JSON schema as a dict (loaded once; do not modify it)."""
    with schema_path().open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


def _compile(schema: dict[str, Any]) -> Callable[[Any], bool]:
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - exercised only where no wheel exists
        return jsonschema.Draft7Validator(schema).is_valid
    check: Callable[[Any], bool] = jsonschema_rs.Draft7Validator(schema).is_valid
    return check


@cache
def _valid_check() -> Callable[[Any], bool]:
    return _compile(load_schema())


@cache
def _clean_check() -> Callable[[Any], bool]:
    return _compile(clean_schema())


def is_valid(doc: Any) -> bool:
    """True when ``doc`` satisfies the bundled schema (it may still have lint problems)."""
    return _valid_check()(doc)


def is_clean(doc: Any) -> bool:
    """True when ``doc`` passes the clean schema: no schema error and nothing to lint."""
    return _clean_check()(doc)


@cache
def reference_validator() -> jsonschema.Draft7Validator:
    """The ``jsonschema`` validator whose errors explain what is wrong."""
    return jsonschema.Draft7Validator(load_schema())


@cache
def known_keys(definition: str) -> frozenset[str]:
    """The documented property names of one schema definition (``"video"``, ``"scene"``...)."""
    return frozenset(load_schema()["definitions"][definition].get("properties", ()))


# --------------------------------------------------------------------------- the clean schema

_NO_PLACEHOLDER = {"not": {"pattern": r"\{\{"}}
# Spelled out, not \S: Python and the Rust regex engine disagree on what whitespace is.
_NOT_ONLY_SPACES = r"[^ \t\n\r\f\v]"
NON_BLANK = re.compile(_NOT_ONLY_SPACES)
_NON_BLANK = {"type": "string", "pattern": _NOT_ONLY_SPACES}
# Definitions that dispatch to others: their sibling keys are not the full list.
_DISPATCHERS = frozenset({"element", "destination", "placeholder", "numericString"})
# Objects whose values are the user's data, not Movie JSON: never tightened.
_DATA_KEYS = frozenset({"variables", "client-data"})

_EXTENSIONS = {
    "image": ("jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff", "svg", "avif", "heic"),
    "video": ("mp4", "mov", "mkv", "webm", "avi", "m4v", "mpg", "mpeg", "wmv", "ogv", "flv"),
    "audio": ("mp3", "wav", "flac", "ogg", "oga", "opus", "m4a", "aac", "wma"),
}
#: which kinds of file each element type can play (audio can take a video's soundtrack)
ACCEPTED_KINDS = {"image": ("image",), "video": ("video",), "audio": ("audio", "video")}
TEMPLATE_ID_LENGTH = 20


def extension_kind(src: str) -> str | None:
    """``"image"``, ``"video"`` or ``"audio"`` from a URL's file extension, else None."""
    tail = src.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    if "." not in tail:
        return None
    ext = tail.rsplit(".", 1)[1]
    if not ext.isascii():  # str.lower() folds e.g. the Kelvin sign to "k"; JSON Schema does not
        return None
    ext = ext.lower()
    return next((kind for kind, exts in _EXTENSIONS.items() if ext in exts), None)


def _extension_pattern(kinds: tuple[str, ...]) -> str:
    """A regex (no flags in JSON Schema, so case is spelled out) for URLs of these kinds."""
    exts = [e for kind in kinds for e in _EXTENSIONS[kind]]
    spelled = "|".join("".join(f"[{c}{c.upper()}]" for c in ext) for ext in exts)
    return rf"^[^?#]*\.({spelled})([?#][\s\S]*)?$"


def _src_rule(kind: str) -> dict[str, Any]:
    wrong = tuple(k for k in _EXTENSIONS if k not in ACCEPTED_KINDS[kind])
    return {"properties": {"src": {**_NON_BLANK, "not": {"pattern": _extension_pattern(wrong)}}}}


def _tighten(node: Any, *, top: bool = False) -> None:
    """Forbid unknown keys on documented objects and ``{{`` in every string, in place."""
    if isinstance(node, list):
        for item in node:
            _tighten(item)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "string" and "pattern" not in node:
        node.setdefault("allOf", []).append(_NO_PLACEHOLDER)
    if node.get("type") == "object" and "properties" not in node:
        node.setdefault("additionalProperties", {"$ref": "#/definitions/noPlaceholder"})
    if top and "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    for key, value in node.items():
        if key == "properties":
            for name, sub in value.items():
                if name not in _DATA_KEYS:
                    _tighten(sub)
        elif key not in ("enum", "const", "required", "if"):
            _tighten(value)


# Timing lints as schema rules (validation/_validate.py: _timing_problems and the loop lint).
# An element that certainly or possibly has a length of its own: a positive duration, or a
# natural length (video, audio, voice; text, component and audiogram with duration -1).
_HAS_LENGTH = {
    "anyOf": [
        {
            "required": ["duration"],
            "properties": {"duration": {"type": "number", "exclusiveMinimum": 0}},
        },
        {
            "required": ["type"],
            "properties": {
                "type": {"enum": ["video", "audio", "voice"]},
                "duration": {"enum": [-1]},
            },
        },
        {
            "required": ["type", "duration"],
            "properties": {
                "type": {"enum": ["text", "component", "audiogram"]},
                "duration": {"enum": [-1]},
            },
        },
    ]
}
_NOT_LENGTHLESS = {
    "not": {"required": ["type"], "properties": {"type": {"enum": ["image", "html"]}}}
}
# A clean movie has a template, no image at all, or something with a length: else
# "zero-length-movie" may fire.
# (A scene with iterate may repeat zero times, so it is no evidence.)
_SOMETHING_HAS_A_LENGTH = {
    "anyOf": [
        {"required": ["template"]},
        {
            "required": ["scenes"],
            "properties": {
                "scenes": {
                    "contains": {
                        "not": {"required": ["iterate"]},
                        "anyOf": [
                            {
                                "required": ["duration"],
                                "properties": {
                                    "duration": {"type": "number", "exclusiveMinimum": 0}
                                },
                            },
                            {
                                "required": ["elements"],
                                "properties": {"elements": {"contains": _HAS_LENGTH}},
                            },
                        ],
                    }
                }
            },
        },
        {"required": ["elements"], "properties": {"elements": {"contains": _HAS_LENGTH}}},
        # no image or html anywhere: the lint only speaks about those (see _timing_problems);
        # last, because it walks every element while the branches above stop at the first
        {
            "properties": {
                "scenes": {"items": {"properties": {"elements": {"items": _NOT_LENGTHLESS}}}},
                "elements": {"items": _NOT_LENGTHLESS},
            }
        },
    ]
}
# "loop-needs-duration": an endless loop (-1) with the natural length.
_LOOP_HAS_A_DURATION = {
    "if": {"required": ["loop"], "properties": {"loop": {"enum": [-1]}}},
    "then": {"required": ["duration"], "properties": {"duration": {"not": {"enum": [-1]}}}},
}


@cache
def clean_schema() -> dict[str, Any]:
    """The bundled schema tightened so that passing it means "nothing to report" (see above)."""
    schema = copy.deepcopy(load_schema())
    defs = schema["definitions"]
    for name, definition in defs.items():
        _tighten(definition, top=name not in _DISPATCHERS)
    _tighten({k: v for k, v in schema.items() if k != "definitions"}, top=True)
    if "properties" in schema:
        schema["additionalProperties"] = False
    defs["placeholder"] = {"not": {}}  # a placeholder asks for the undefined-variable lint
    defs["noPlaceholder"] = {
        "anyOf": [
            {"type": ["number", "boolean", "null"]},
            {"type": "string", **_NO_PLACEHOLDER},
            {"type": "array", "items": {"$ref": "#/definitions/noPlaceholder"}},
            {"type": "object", "additionalProperties": {"$ref": "#/definitions/noPlaceholder"}},
        ]
    }
    # A destination's overrides (next to a connection id) can be any key.
    defs["destination"]["additionalProperties"] = {"$ref": "#/definitions/noPlaceholder"}
    named_vars = {"propertyNames": {"pattern": VARIABLE_NAME}}
    for name in (
        "movie",
        "scene",
        *ACCEPTED_KINDS,
        "text",
        "html",
        "component",
        "voice",
        "audiogram",
    ):
        defs[name].setdefault("allOf", []).append({"properties": {"variables": named_vars}})
    for kind in ("video", "audio"):
        defs[kind]["allOf"] += [{"required": ["src"]}, _src_rule(kind)]
    defs["image"]["allOf"] += [
        {"anyOf": [{"required": ["src"]}, {"required": ["prompt"]}]},
        _src_rule("image"),
    ]
    defs["html"].setdefault("allOf", []).append(
        {
            "anyOf": [
                {"required": ["html"], "properties": {"html": _NON_BLANK}},
                {"required": ["src"], "properties": {"src": _NON_BLANK}},
            ]
        }
    )
    movie_rules = [
        {
            "if": {"properties": {"resolution": {"const": "custom"}}, "required": ["resolution"]},
            "then": {"required": ["width", "height"]},
            "else": {
                "if": {"required": ["resolution"]},
                "then": {"not": {"anyOf": [{"required": ["width"]}, {"required": ["height"]}]}},
            },
        },
        {
            "properties": {
                "template": {"minLength": TEMPLATE_ID_LENGTH, "maxLength": TEMPLATE_ID_LENGTH},
                "exports": {"maxItems": 1},
                "variables": named_vars,
            }
        },
    ]
    for target in (schema, defs["movie"]):
        target.setdefault("allOf", []).extend(movie_rules)
    schema["allOf"].append(_SOMETHING_HAS_A_LENGTH)
    for kind in ("video", "audio"):
        defs[kind]["allOf"].append(_LOOP_HAS_A_DURATION)
    # A yes/no question needs no error locality, so the clean schema picks an
    # element's definition with one anyOf that stops at the matching type, where
    # the bundled schema asks every type's if/then (about a third of the time).
    # Scene elements get the same dispatch without subtitles (movie-level only).
    dispatch = _element_dispatch(defs["element"])
    defs["element"] = {"anyOf": dispatch}
    defs["sceneElement"] = {"anyOf": [b for b in dispatch if _dispatched_type(b) != "subtitles"]}
    defs["scene"]["properties"]["elements"]["items"] = {"$ref": "#/definitions/sceneElement"}
    return schema


def _element_dispatch(element: dict[str, Any]) -> list[dict[str, Any]]:
    """The bundled element if/then chain as anyOf branches, commonest types first."""
    # (draft-07 ignores keywords beside a $ref, so the $ref sits in an allOf)
    branches = [{**rule["if"], "allOf": [rule["then"]]} for rule in element["allOf"]]
    common = ("text", "image", "video", "audio", "voice")

    def rank(branch: dict[str, Any]) -> int:
        kind = _dispatched_type(branch)
        return common.index(kind) if kind in common else len(common)

    return sorted(branches, key=rank)


def _dispatched_type(branch: dict[str, Any]) -> str:
    kind: str = branch["properties"]["type"]["const"]
    return kind
