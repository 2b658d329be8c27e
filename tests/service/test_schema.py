"""The bundled JSON Schema: complete, sourced, usable by other validators, in step with validation.

The schema and moviekit's validation are both derived from the service model,
so they must agree: a document breaks the schema exactly when validation finds
one of the problems a schema can express (a documented type, choice, range or
requirement). Hypothesis checks that on generated documents.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import fastjsonschema
import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.corpus import accepted

from moviekit import validate
from moviekit.service._movie_json import ELEMENTS, GROUPS
from moviekit.service._objects import OBJECTS
from moviekit.service._schema import load_schema, schema_path
from moviekit.service._sources import SOURCES

SCHEMA = load_schema()
DEFS: dict[str, Any] = SCHEMA["definitions"]
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
#: the problems a JSON Schema can express; every other one is validation's own
SCHEMA_CODES = frozenset({
    "type", "enum", "range", "required", "missing-src", "missing-scenes", "missing-type",
    "not-a-list", "not-an-object", "removed-element-type", "plan-limit", "empty-movie",
})  # fmt: skip


def test_the_schema_is_draft_07_and_compiles_for_other_validators() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    fast = fastjsonschema.compile(copy.deepcopy(SCHEMA))  # it writes defaults into what it gets
    fast({"scenes": []})  # raises JsonSchemaException on an invalid document
    assert schema_path().name == "movie.schema.json"
    assert json.loads(schema_path().read_text("utf-8")) == SCHEMA


def test_every_model_fact_is_in_the_schema_with_its_sources() -> None:
    for name, obj in OBJECTS.items():
        if obj.props:
            assert set(DEFS[name]["properties"]) >= {p.wire for p in obj.props}, name
    for kind, model in ELEMENTS.items():
        props = model.own + tuple(p for g in model.groups for p in GROUPS[g])
        assert set(DEFS[kind]["properties"]) == {"type"} | {p.wire for p in props}, kind
    for name, definition in DEFS.items():
        for wire, prop in definition.get("properties", {}).items():
            if wire in ("type", "scenes", "elements"):
                continue
            assert prop["description"], (name, wire)
            keys = prop["$comment"].split("sources: ", 1)[1].split(";")[0].split(", ")
            assert set(keys) <= set(SOURCES), (name, wire, keys)
    assert SCHEMA["x-sources"] == SOURCES


def test_accepted_documents_break_the_schema_only_where_validation_warns() -> None:
    for entry in accepted():
        doc = entry.document()
        expressible = {p.code for p in validate(doc).problems} & SCHEMA_CODES
        assert VALIDATOR.is_valid(doc) == (not expressible), (entry.file, expressible)


# --------------------------------------------------------------------------- agreement

_GOOD = {
    "string": st.sampled_from(["x", "https://e.com/a.mp4", "{{v}}", "#fff"]),
    "number": st.sampled_from([0, 1, 2.5, -1, -2, 4000, "{{d}}", "3", 10**6]),
    "integer": st.sampled_from([0, 1, -1, 50, 100, 3841, 2.5, "{{n}}", "12"]),
    "boolean": st.sampled_from([True, False, "{{b}}"]),
    "object": st.sampled_from([{}, {"a": 1}, "{{o}}"]),
    "array": st.sampled_from([[], ["a"], "{{list}}"]),
    "any": st.sampled_from([1, "a", None]),
}
_ODD = st.sampled_from(["", "nope", -5, 1.5, 10**5, True, None, [], {}, [1], {"x": {"y": 1}}])


@st.composite
def props_of(draw: st.DrawFn, props: tuple[Any, ...]) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(props), max_size=4, unique_by=lambda p: p.wire))
    out: dict[str, Any] = {}
    for prop in chosen:
        if prop.choices and draw(st.booleans()):
            out[prop.wire] = draw(st.sampled_from(prop.choices))
        elif prop.nested and prop.nested in OBJECTS and OBJECTS[prop.nested].props:
            inner = draw(props_of(OBJECTS[prop.nested].props))
            out[prop.wire] = [inner] if prop.kind == "array" else inner
        else:
            out[prop.wire] = draw(_GOOD[prop.kind] | _ODD)
    return out


@st.composite
def elements(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from([*ELEMENTS, "template", "shape", None]))
    if kind not in ELEMENTS:
        return draw(st.sampled_from([{"type": kind}, {"src": "a.png"}, 5, "x"]))
    model = ELEMENTS[kind]
    props = model.own + tuple(p for g in model.groups for p in GROUPS[g])
    return {"type": kind, **draw(props_of(props))}


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    doc = draw(props_of(OBJECTS["movie"].props))
    if draw(st.integers(0, 9)):
        scenes = []
        for _ in range(draw(st.integers(0, 2))):
            scene = draw(props_of(OBJECTS["scene"].props))
            scene["elements"] = draw(st.lists(elements(), max_size=3))
            scenes.append(scene if draw(st.integers(0, 9)) else draw(_ODD))
        doc["scenes"] = scenes if draw(st.integers(0, 9)) else draw(_ODD)
    if draw(st.booleans()):
        doc["elements"] = draw(st.lists(elements(), max_size=2))
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_the_schema_and_validation_agree(doc: dict[str, Any]) -> None:
    expressible = {p.code for p in validate(doc).problems} & SCHEMA_CODES
    assert VALIDATOR.is_valid(doc) == (not expressible), (
        expressible,
        [e.message for e in VALIDATOR.iter_errors(doc)][:3],
    )
