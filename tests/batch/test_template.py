"""Templates: typed variables, coercion of CSV text, JSON Schema export, service descriptors."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from moviekit import (
    Movie,
    MoviekitError,
    MovieTemplate,
    Scene,
    TemplateError,
    Text,
    Variable,
    VariableValueError,
)
from moviekit.batch._variables import variables_from_descriptors


@pytest.mark.parametrize("kind,raw,value", [
    ("number", "19.90", 19.9), ("number", "12", 12), ("integer", "3.0", 3),
    ("boolean", "Yes", True), ("boolean", 0, False), ("array", "[1, 2]", [1, 2]),
    ("object", '{"a": 1}', {"a": 1}), ("url", " https://a.example/x.jpg ", "https://a.example/x.jpg"),
    ("text", 12.0, "12"), ("any", [1], [1]),
])
def test_coercion(kind: str, raw: Any, value: Any) -> None:
    assert Variable("v", kind).coerce(raw) == value


@pytest.mark.parametrize("variable,raw,code", [
    (Variable("v", "number"), "abc", "type"), (Variable("v", "integer"), "1.5", "type"),
    (Variable("v", "boolean"), "maybe", "type"), (Variable("v", "url"), "www.x.com", "url"),
    (Variable("v", "select", choices=("a", "b")), "c", "choice"),
    (Variable("v", "number", maximum=10), "11", "maximum"),
    (Variable("v", pattern=r"[A-Z]{3}"), "eur", "pattern"),
    (Variable("v", "number"), "nan", "type"),
])
def test_bad_values_become_problems(variable: Variable, raw: Any, code: str) -> None:
    template = MovieTemplate(lambda row: Movie(), [variable])
    _, problems = template.check({"v": raw})
    assert [(p.path, p.code) for p in problems] == [("rows[0].v", code)]
    assert problems[0].hint


def test_defaults_required_and_all_problems_of_a_row() -> None:
    template = MovieTemplate(lambda row: Movie(), [
        Variable("a"), Variable("b", "number", default=2), Variable("c", required=False),
        Variable("d", "number"),
    ])
    values, problems = template.check({"a": "", "d": "x", "extra": 1})
    assert values == {"b": 2} and [p.path for p in problems] == ["rows[0].a", "rows[0].d"]


def test_json_schema_export_accepts_checked_rows() -> None:
    template = MovieTemplate(lambda row: Movie(), [
        Variable("title", description="headline"), Variable("price", "number", minimum=0),
        Variable("kind", "select", choices=("flat", "house"), default="flat"),
        Variable("photo", "url"),
    ], name="listing")
    schema = template.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["required"] == ["title", "price", "photo"] and schema["title"] == "listing"
    assert schema["properties"]["kind"] == {"enum": ["flat", "house"], "default": "flat"}
    values, _ = template.check({"title": "x", "price": "3", "photo": "https://a.example/p.jpg"})
    jsonschema.validate(values, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "x", "price": -1, "photo": "https://a"}, schema)


def test_declaration_errors() -> None:
    with pytest.raises(TemplateError, match="invalid variable name"):
        Variable("1st")
    with pytest.raises(TemplateError, match="invalid variable name"):
        Variable("title\n")
    with pytest.raises(TemplateError, match="unknown type"):
        Variable("a", "money")
    with pytest.raises(TemplateError, match="without choices"):
        Variable("a", "select")
    with pytest.raises(TemplateError, match="default"):
        Variable("a", "number", default="many")
    with pytest.raises(TemplateError, match="declared twice"):
        MovieTemplate(lambda row: Movie(), [Variable("a"), Variable("a")])
    with pytest.raises(TemplateError, match="itself is invalid"):
        MovieTemplate({"resolution": "huge", "scenes": []})


def test_function_failures_are_row_problems() -> None:
    template = MovieTemplate(lambda row: Movie().add(Scene().add(Text(row["missing"]))))
    built = template.build({"title": "x"})
    assert not built.ok and built.problems[0].code == "build-failed"
    assert "KeyError" in built.problems[0].message and built.problems[0].path == "rows[0].movie"


def test_placeholders_inferred_and_resolved_with_scopes() -> None:
    movie = {"resolution": "hd", "variables": {"title": "T", "n": 2},
             "scenes": [{"duration": "{{n}}", "variables": {"local": 1},
                         "elements": [{"type": "text", "text": "{{title}} {{local}} {{ n * 2 }}"}]},
                        {"iterate": "items", "elements": [{"type": "text", "text": "{{item}}"}]}]}
    template = MovieTemplate(movie)
    assert [(v.name, v.type, v.is_required) for v in template.variables] == [
        ("title", "text", False), ("n", "integer", False)]
    payload, resolved = template._payload(template.build({}).row, {"title": "Hi", "n": 3})
    assert payload["scenes"] is movie["scenes"] or payload["scenes"] == movie["scenes"]
    assert resolved["scenes"][0]["duration"] == 3
    assert resolved["scenes"][0]["elements"][0]["text"] == "Hi {{local}} {{ n * 2 }}"
    assert resolved["scenes"][1]["elements"][0]["text"] == "{{item}}"


def test_service_descriptors() -> None:
    variables = variables_from_descriptors([
        {"name": "headline", "type": "text", "default": "Sale", "help": "top line"},
        {"name": "seconds", "type": "number", "default": "4", "required": True},
        {"name": "style", "type": "select", "options": [{"label": "A", "value": "a"}, "b"]},
        {"name": "items", "type": "collection"}, {"name": "make_webhook_url", "type": "text"},
        {"name": "future", "type": "hologram"},
    ])
    assert [(v.name, v.type, v.default) for v in variables][:2] == [
        ("headline", "text", "Sale"), ("seconds", "number", 4)]
    assert variables[2].choices == ("a", "b") and variables[3].type == "array"
    assert [v.name for v in variables] == ["headline", "seconds", "style", "items", "future"]
    assert variables[4].type == "any"


def test_coerce_raises_a_moviekit_error_with_code_and_hint() -> None:
    with pytest.raises(VariableValueError) as caught:
        Variable("price", "number", minimum=0).coerce("-3")
    assert isinstance(caught.value, MoviekitError) and caught.value.code == "minimum"
    assert caught.value.hint == "use a value >= 0"


def test_element_timing_names_are_not_row_variables() -> None:
    movie = {"resolution": "hd", "scenes": [{"elements": [
        {"id": "intro", "type": "text", "text": "{{title}}"},
        {"type": "text", "text": "x", "start": "{{intro_end}}", "duration": "{{ ceil(n) }}"}]}]}
    assert [v.name for v in MovieTemplate(movie).variables] == ["n", "title"]
