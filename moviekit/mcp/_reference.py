"""The contract an agent reads: the bundled JSON Schema and a compact property reference.

The reference is generated here from the bundled schema
(``schema/movie.schema.json``, inside the wheel as ``moviekit/_bundled/``),
which ``schema/generate.py`` writes from the service model: one line per
property with its type, range or choices and its description (with its
sources), the properties every element shares listed once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import moviekit

__all__ = ["ELEMENT_TYPES", "movie_schema_text", "property_reference"]

SCHEMA_NAME = "movie.schema.json"

#: the element definitions of the schema, in the order the reference lists them
ELEMENT_TYPES = (
    "text", "image", "video", "audio", "voice", "html", "component", "audiogram", "subtitles",
)  # fmt: skip

#: definitions every field may use instead of its own type; said once in the header
_ALTERNATIVES = ("placeholder", "numericString")

#: definitions that are not listed as a section of their own
_NOT_SECTIONS = ("movie", "scene", "element", *_ALTERNATIVES)


@cache
def movie_schema_text() -> str:
    """The bundled Movie JSON Schema, as the file's text (read once)."""
    bundled = resources.files("moviekit") / "_bundled" / SCHEMA_NAME
    if bundled.is_file():
        return bundled.read_text(encoding="utf-8")
    # a source checkout (editable install): the schema lives beside the package
    checkout = Path(moviekit.__file__).resolve().parents[1] / "schema" / SCHEMA_NAME
    return checkout.read_text(encoding="utf-8")


@cache
def property_reference() -> str:
    """A compact Markdown reference of every Movie JSON property, from the bundled schema."""
    return render_reference(json.loads(movie_schema_text()))


def render_reference(schema: Mapping[str, Any]) -> str:
    """The property reference of ``schema`` (a draft-07 Movie JSON Schema) as Markdown."""
    defs: Mapping[str, Any] = schema["definitions"]
    elements = [t for t in ELEMENT_TYPES if t in defs]
    common = _common_properties([defs[t] for t in elements])
    lines = [
        "# Movie JSON property reference",
        "",
        f"Generated from moviekit's bundled schema ({schema.get('$id', SCHEMA_NAME)}).",
        "Wire names are used as written (`background-color`, `extra-time`). Any field may instead",
        'hold a `{{ ... }}` placeholder; numeric fields also take numeric strings ("1080").',
        "Unknown keys are sent as given and reported as warnings by `validate`.",
        "",
    ]
    lines += _section("movie (the document's top level)", defs["movie"])
    lines += _section("scene (an item of `scenes`)", defs["scene"])
    lines += _section(
        "common element properties (each element type below says which it has)",
        {"properties": {"type": {"description": "the element type", "enum": elements}, **common}},
        note="every element needs `type`",
    )
    for name in elements:
        props = defs[name].get("properties", {})
        own = {k: v for k, v in props.items() if common.get(k) != v}
        lacks = [k for k in common if k not in props]
        has = [k for k in common if k in props]
        shared = (
            f"of the common ones only {', '.join(has) or 'none'}"
            if len(lacks) > len(has)
            else "all the common ones" + (f" except {', '.join(lacks)}" if lacks else "")
        )
        lines += _section(
            f"{name} element: {defs[name].get('description', '')}".rstrip(": "),
            {**defs[name], "properties": own},
            note=f"properties: {shared}, and:",
        )
    for name, definition in defs.items():  # the nested objects, in the schema's order
        if name not in _NOT_SECTIONS and name not in elements:
            lines += _section(f"{name}: {definition.get('description', '')}", definition)
    return "\n".join(lines).rstrip() + "\n"


def _common_properties(definitions: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Each property that at least half the definitions share with one same schema, that schema."""
    counts: dict[str, dict[str, tuple[int, Any]]] = {}
    for definition in definitions:
        for name, spec in definition.get("properties", {}).items():
            if name != "type":
                key = json.dumps(spec, sort_keys=True)
                seen, _ = counts.setdefault(name, {}).get(key, (0, spec))
                counts[name][key] = (seen + 1, spec)
    common: dict[str, Any] = {}
    for name, variants in counts.items():
        seen, spec = max(variants.values(), key=lambda item: item[0])
        if 2 * seen >= len(definitions):
            common[name] = spec
    return common


def _section(title: str, definition: Mapping[str, Any], *, note: str = "") -> list[str]:
    required = set(definition.get("required", ())) - {"type"}
    lines = [f"## {title}"] + ([note] if note else [])
    for name, spec in definition.get("properties", {}).items():
        if name == "type" and "const" in spec:
            continue
        mark = " (required)" if name in required else ""
        description = spec.get("description", "")
        lines.append(
            f"- `{name}`{mark}: {type_text(spec)}" + (f" — {description}" if description else "")
        )
    lines.append("")
    return lines


def type_text(spec: Mapping[str, Any]) -> str:
    """One property schema as short text: ``number > 0 | -1``, ``array of element``..."""
    if "$ref" in spec:
        return str(spec["$ref"]).rsplit("/", 1)[-1]
    if "const" in spec:
        return json.dumps(spec["const"])
    if "enum" in spec:
        return " | ".join(json.dumps(v) for v in spec["enum"])
    if "anyOf" in spec:
        branches = [
            type_text(b)
            for b in spec["anyOf"]
            if str(b.get("$ref", "")).rsplit("/", 1)[-1] not in _ALTERNATIVES
        ]
        return " | ".join(dict.fromkeys(branches)) or "placeholder"
    kind = spec.get("type", "any")
    if kind == "array":
        return f"array of {type_text(spec.get('items', {}))}"
    return kind + _range_text(spec) if isinstance(kind, str) else " | ".join(kind)


def _range_text(spec: Mapping[str, Any]) -> str:
    low, high = spec.get("minimum"), spec.get("maximum")
    if low is not None and high is not None:
        return f" {low}..{high}"
    if "exclusiveMinimum" in spec:
        return f" > {spec['exclusiveMinimum']}"
    if low is not None:
        return f" >= {low}"
    if high is not None:
        return f" <= {high}"
    return ""
