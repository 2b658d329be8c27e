"""The one home of the ``{{ ... }}`` syntax: spans, names, scopes, substitution, linear time."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moviekit.service._placeholders import (
    Substitution,
    expressions,
    fill,
    has_placeholder,
    is_variable_name,
    names_in,
    names_in_document,
    names_used,
    simple_name,
    whole_expression,
)


@pytest.mark.parametrize(
    "expression,names",
    [
        ("title", ("title",)),
        (" price * 1.2 ", ("price",)),
        ("ceil(total / per_page) + offset", ("total", "per_page", "offset")),
        ("min(a, b) + max (c, 2)", ("a", "b", "c")),
        ("lang == 'en' and show or not hidden", ("lang", "show", "hidden")),
        ("true or false or null or True", ()),
        ("'it\\'s ' + name + \"x y\"", ("name",)),
        ("item.title + items.length", ("item", "items")),
        ("1e5 + 0x1F + 2.5 * n", ("n",)),
        ("a ? b : c", ("a", "b", "c")),
        ("x + x + y", ("x", "y")),
        ("'unterminated name", ()),
    ],
)
def test_names_an_expression_uses(expression: str, names: tuple[str, ...]) -> None:
    assert names_in(expression) == names


def test_spans_and_whole_expressions() -> None:
    assert expressions("{{a}} at {{ b + 1 }} and {{c") == ["a", " b + 1 "]
    assert expressions("{{{a}}}") == ["{a"]
    assert names_used("{{a}} at {{ ceil(b) + a }}") == ("a", "b")
    assert whole_expression("  {{ a_end + 1 }} ") == " a_end + 1 "
    assert whole_expression("{{a}} + {{b}}") is None and whole_expression("x {{a}}") is None
    assert simple_name(" title ") == "title" and simple_name("a+1") is None
    assert simple_name("true") is None
    assert has_placeholder("x {{") and not has_placeholder(3) and not has_placeholder("{x}")
    assert is_variable_name("photo_2") and not is_variable_name("2photo")
    assert not is_variable_name("my-var") and not is_variable_name(None)
    assert not is_variable_name("title\n")  # Python's "$" would let a final newline through


def test_fill_keeps_types_for_a_whole_placeholder_and_writes_text_inside_text() -> None:
    values = {"n": 3, "ok": True, "tags": ["a", "é"], "price": 12.0, "t": "Loft"}
    assert fill("{{n}}", values) == 3 and fill(" {{ ok }} ", values) is True
    assert fill("{{t}}: {{price}} EUR, {{ok}}, {{tags}}", values) == (
        'Loft: 12 EUR, true, ["a", "é"]'
    )
    assert fill("{{missing}} and {{ n * 2 }}", values) == "{{missing}} and {{ n * 2 }}"
    assert fill("no placeholders", values) == "no placeholders"


def test_substitution_follows_the_service_scopes() -> None:
    doc: dict[str, Any] = {
        "resolution": "hd",
        "variables": {"title": "T"},
        "elements": [{"id": "music", "type": "audio", "src": "{{song}}"}],
        "scenes": [
            {
                "duration": "{{n}}",
                "variables": {"local": 1},
                "elements": [
                    {"id": "intro", "type": "video", "src": "{{clip}}"},
                    {
                        "type": "text",
                        "text": "{{title}} {{local}} {{intro_end}}",
                        "start": "{{music_end}}",
                    },
                ],
            },
            {"iterate": "items", "elements": [{"type": "text", "text": "{{title}}"}]},
            {"elements": [{"type": "text", "text": "{{ n * 2 }}"}]},
        ],
    }
    assert names_in_document(doc) == {"song", "n", "clip", "title"}
    sub = Substitution(doc)
    assert sub.names == {"song", "n", "clip", "title"}
    out = sub({"title": "Hi", "n": 3, "local": "X", "intro_end": 9, "clip": "c.mp4"})
    assert out["scenes"][0]["duration"] == 3
    assert out["scenes"][0]["elements"][1]["text"] == "Hi {{local}} {{intro_end}}"
    assert out["scenes"][0]["elements"][1]["start"] == "{{music_end}}"
    assert out["elements"][0]["src"] == "{{song}}"  # no value given: left as written
    assert out["scenes"][1] is doc["scenes"][1]  # untouched subtrees are shared
    assert out["variables"] == {"title": "T"} and doc["scenes"][0]["duration"] == "{{n}}"


# Linear time: each input is large enough that a quadratic scan would take minutes.
@pytest.mark.parametrize(
    "text",
    [
        "{{" * 200_000,
        "{{ '\\'" * 100_000 + "}}",
        "{{ " + "a(" * 100_000 + "}}",
        "{{" + " " * 400_000 + "x",
    ],
)
def test_scans_are_linear(text: str) -> None:
    started = time.perf_counter()
    names_used(text)
    fill(text, {"a": 1})
    Substitution({"scenes": [{"elements": [{"type": "text", "text": text}]}]})({"a": 1})
    assert time.perf_counter() - started < 5


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
TEXT = st.text(alphabet=st.sampled_from(list("{} ab_1.'\"()+-x\\")), max_size=40) | st.text()


@settings(max_examples=300, deadline=None)
@given(TEXT, st.dictionaries(st.sampled_from(["a", "b", "x", "ab"]), JSON, max_size=3))
def test_any_text_gives_names_and_a_filled_value(text: str, values: dict[str, Any]) -> None:
    names = names_used(text)
    assert all(name.isidentifier() for name in names)
    filled = fill(text, values)
    if "{{" not in text or not values:
        assert filled == text
    for name in names:
        assert name in "".join(expressions(text))


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.text(max_size=6), JSON, max_size=5))
def test_a_document_without_values_comes_back_equal(doc: dict[str, Any]) -> None:
    assert Substitution(doc)({}) == doc
    json.dumps(Substitution(doc)({"a": 1}), default=str)
