"""The walk's fast path never changes a report: with and without it, the same problems and uses.

The fast path (``moviekit.validation._fast``) writes one check per object shape
and skips the detailed walk of objects it proves clean. Here any element built
from the model's own property names, with values good, bad, placeholders, huge,
NaN, nested or of the wrong type, and every conformance document, is walked
both ways; the findings and the recorded placeholders must be identical.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import MappingProxyType
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from moviekit.service._movie_json import ELEMENTS
from moviekit.validation._checks import element_table
from moviekit.validation._walk import _ELEMENTS, Walk, _plain_element

CORPUS = Path(__file__).resolve().parents[1] / "data" / "conformance"

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5000),
    st.sampled_from([-2, -1, 0, 0.5, 1.5, 10**400, -(10**400), math.nan, math.inf, 2**63]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(
        ["{{x}}", "Hello {{name}}", "center-center", "fill", "002", "https://a.b/c.mp4"]
    ),
    st.sampled_from(["https://a.b/c.jpg", "https://youtube.com/watch?v=1", "", " ", "\ud800"]),
    # what Python code can put in a dict and JSON cannot carry
    st.sampled_from([(1, 2), b"bytes", frozenset({1}), MappingProxyType({"a": 1}), object()]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["x", "y", "color", "font-size", "a b", "{{k}}"]), inner)
    ),
    max_leaves=6,
)


@st.composite
def elements(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(ELEMENTS)))
    wires = sorted(element_table(kind))
    keys = draw(st.lists(st.sampled_from([*wires, "glow", "font_colour"]), max_size=6, unique=True))
    element: dict[str, Any] = {"type": kind}
    for key in keys:
        prop = element_table(kind).get(key)
        choices = list(prop.prop.choices) if prop is not None else []
        element[key] = draw(st.sampled_from(choices) | VALUES if choices else VALUES)
    return element


def walked(doc: dict[str, Any], *, fast: bool) -> tuple[list[Any], list[Any]]:
    walk = Walk(doc, fast=fast)
    walk.run()
    return walk.found, walk.uses


def assert_same_both_ways(doc: dict[str, Any]) -> None:
    slow = walked(doc, fast=False)
    assert walked(doc, fast=True) == slow
    assert walked(doc, fast=True) == slow  # again, with the shapes' checks now written


@settings(max_examples=150, deadline=None)
@given(st.lists(elements(), min_size=1, max_size=4), st.booleans())
def test_any_elements_give_the_same_findings_with_and_without_the_fast_path(
    found: list[dict[str, Any]], at_movie_level: bool
) -> None:
    doc: dict[str, Any] = {"scenes": [{"elements": found}]}
    if at_movie_level:
        doc = {"scenes": [{"duration": 2}], "elements": found}
    assert_same_both_ways(doc)


def test_every_conformance_document_gives_the_same_findings_both_ways() -> None:
    for entry in json.loads((CORPUS / "index.json").read_text()):
        doc = json.loads((CORPUS / entry["file"]).read_text())
        if isinstance(doc, dict):
            assert_same_both_ways(doc)


def test_clean_shapes_get_a_fast_check_and_flagged_ones_do_not() -> None:
    clean = {"type": "text", "text": "Hi", "settings": {"color": "red", "text-shadow": "1px"}}
    missing = {"type": "text", "settings": {"color": "red"}}  # no text: required
    Walk({"scenes": [{"elements": [clean, missing]}]}).run()
    plans = _ELEMENTS["text"].plans
    assert plans[(tuple(clean), frozenset())].fast is not None
    assert plans[(tuple(missing), frozenset())].fast is None


def test_every_clean_corpus_element_takes_the_fast_lane() -> None:
    # A fast path stricter than it needs to be changes no report, only the time; this is the
    # test that notices: every element of a published document that validates without a remark
    # must pass its shape's fast check and its rules' quiet test.
    slow_by_design = {"subtitles"}  # counted across the movie, so always walked
    checked = 0
    for entry in json.loads((CORPUS / "index.json").read_text()):
        doc = json.loads((CORPUS / entry["file"]).read_text())
        scenes = doc.get("scenes") if isinstance(doc, dict) else None
        for scene in scenes if isinstance(scenes, list) else []:
            for element in scene.get("elements", []) if isinstance(scene, dict) else []:
                if not isinstance(element, dict) or element.get("type") in slow_by_design:
                    continue
                if "variables" in element:  # its names are checked on the detailed path
                    continue
                alone = {"scenes": [{"elements": [element]}]}
                found, uses = walked(alone, fast=False)
                if found or uses:
                    continue
                walked(alone, fast=True)  # plans the shape
                assert _plain_element(element), element
                checked += 1
    assert checked > 150
