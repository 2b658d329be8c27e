"""The clean-schema fast path never hides a problem the explaining path would report.

``validate`` answers "nothing to report" straight from ``is_clean`` (one compiled
jsonschema-rs call) when it can. These property tests generate Movie JSON documents, valid
and subtly invalid, and check that

* ``is_clean(doc)`` implies the explaining path (``is_valid`` + schema explanation +
  ``_Linter(doc).run()``) finds nothing -- the one documented exception being the
  subtitles count, which draft-07 cannot express and ``validate`` checks beside ``is_clean``;
* ``validate(doc)`` equals the explaining path's report on every document;
* the fast and the reference schema validators agree on validity.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from moviekit import validate
from moviekit.service._schema import is_clean, is_valid, load_schema, reference_validator
from moviekit.validation._validate import (
    ValidationReport,
    _at_most_one_subtitles,
    _Linter,
    _report,
    _schema_problems,
)

DEFS = load_schema()["definitions"]
DOCUMENTS = sorted((Path(__file__).resolve().parents[1] / "data" / "documents").glob("*.json"))
ELEMENT_TYPES = ["image", "video", "text", "html", "component", "audio", "voice", "audiogram",
                 "subtitles"]
SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def explaining(doc: Any) -> ValidationReport:
    """What validate() reports when it cannot take the fast path."""
    problems = [] if is_valid(doc) else list(_schema_problems(doc))
    problems.extend(_Linter(doc).run())
    return _report(doc, problems)


def check(doc: dict[str, Any]) -> None:
    before = copy.deepcopy(doc)
    slow = explaining(doc)
    if is_clean(doc):
        leftover = [p for p in slow.problems if p.code != "subtitles-count"]
        assert leftover == [], f"fast path hides {leftover}"
        if _at_most_one_subtitles(doc):
            assert slow.problems == ()
    assert validate(doc) == slow
    assert is_valid(doc) == reference_validator().is_valid(doc)
    assert doc == before  # validation never changes its input


# --------------------------------------------------------------------------- value strategies

NAMES = ["a", "price", "clip", "rows", "url", "clip_end", "2x", "my var", "_b", "é", "abc\n"]
PLACEHOLDERS = st.sampled_from([
    "{{a}}", "{{ price * 2 }}", "{{clip_end}}", "{{undefined_name}}", "{{ 'lit' }}",
    "{{min(a, 1)}}",
    "x {{a}} y", "{{", "}}", "{ {a} }",
])
TRICKY = "\x1c\x1f\x85\u00a0\u2003\u200b\u212a\u0130 \t\n./?#:"
EXTENSIONS = ["mp4", "MP4", "mov", "mkv", "mp3", "wav", "m4a", "png", "JPG", "jpeg", "svg",
              "gif", "txt", "html", "", "m\u212av", "P\u0130C"]
URLS = st.one_of(
    st.sampled_from([
        "https://e.com/a.mp4", "https://e.com/a.mp3", "https://e.com/a.png", "https://e.com/a",
        "https://e.com/a.MP4?x=1", "https://e.com/a.png#t", "https://e.com/a.mp4/", "", " ",
        "\x1c", "{{url}}", "https://e.com/a.mp3?f=b.mp4", "https://e.com/d.png/clip",
    ]),
    st.builds(lambda stem, ext, tail: f"https://e.com/{stem}.{ext}{tail}",
              st.text(alphabet="ab/.", max_size=3), st.sampled_from(EXTENSIONS),
              st.sampled_from(["", "?q=1", "#f", "\n", "/"])),
    st.text(alphabet=TRICKY + "ab", max_size=4),
)
SCALARS = st.one_of(
    st.integers(-3, 4000), st.sampled_from([-2, -1, 0, 1, 50, 3840, 3841, 0.5, 1.5, 120]),
    st.floats(-1e3, 1e4, allow_nan=False, allow_infinity=False), st.booleans(), st.none(),
    st.text(alphabet="ab1#-" + TRICKY, max_size=5), st.sampled_from(["1080", "0.5", "-1", "true"]),
)


def enum_of(prop: dict[str, Any]) -> list[Any]:
    for branch in [prop, *prop.get("anyOf", ())]:
        if "enum" in branch:
            return list(branch["enum"])
    return []


def value_for(definition: str, key: str) -> st.SearchStrategy[Any]:
    """Mostly plausible values for one documented property, sometimes wrong or templated."""
    prop = DEFS[definition]["properties"].get(key, {})
    options: list[st.SearchStrategy[Any]] = [SCALARS, PLACEHOLDERS]
    enum = enum_of(prop)
    if enum:
        options += [st.sampled_from(enum)] * 4 + [st.sampled_from(["hihg", "center", "fdae"])]
    if key in ("src", "mask", "captions"):
        options += [URLS] * 4
    if key == "variables":
        options += [VARIABLES] * 4
    if key in NESTED:
        options += [nested(NESTED[key])] * 4
    if key == "settings" and definition == "subtitles":
        options += [nested("subtitlesSettings")] * 4
    if prop.get("type") == "object" or key in ("settings", "model-settings", "client-data"):
        options += [st.dictionaries(st.sampled_from(["a", "font-size", "b-c"]),
                                    st.one_of(SCALARS, PLACEHOLDERS), max_size=2)] * 2
    if prop.get("type") == "string":
        options += [st.text(alphabet="ab-/", max_size=6)] * 2
    return st.one_of(options)


NESTED = {"crop": "crop", "rotate": "rotate", "chroma-key": "chromaKey",
          "correction": "correction", "transition": "transition"}
UNKNOWN_KEYS = st.sampled_from(["colr", "fade_in", "zzz", "resolutoin", "wdth", "speed"])


def keyed(definition: str, min_size: int = 0, max_size: int = 5) -> st.SearchStrategy[dict]:
    """A dict of some documented keys of ``definition`` (plus sometimes an unknown key)."""
    keys = [k for k in DEFS[definition]["properties"] if k not in ("type", "elements", "scenes")]

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        chosen = draw(st.lists(st.sampled_from(keys), unique=True, min_size=min_size,
                               max_size=max_size))
        out = {k: draw(value_for(definition, k)) for k in chosen}
        if draw(st.integers(0, 9)) == 0:
            out[draw(UNKNOWN_KEYS)] = draw(SCALARS)
        return out

    return build()


def nested(definition: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.deferred(lambda: keyed(definition, max_size=3))


VARIABLES = st.dictionaries(st.sampled_from(NAMES), SCALARS, max_size=3)


@st.composite
def elements(draw: st.DrawFn, *, subtitles_weight: int = 1) -> dict[str, Any]:
    kind = draw(st.sampled_from(ELEMENT_TYPES + ["subtitles"] * (subtitles_weight - 1)
                                + ["hologram"]))
    if kind == "hologram":
        return {"type": kind, "src": draw(URLS)}
    element = {"type": kind, **draw(keyed(kind))}
    required = {"text": "text", "voice": "text", "component": "component"}.get(kind)
    if required and required not in element and draw(st.integers(0, 4)):
        element[required] = draw(st.sampled_from(["Hello", "basic/001", "", "{{a}}"]))
    if kind in ("image", "video", "audio") and draw(st.integers(0, 3)):
        element["src"] = draw(URLS)
    if kind == "html" and draw(st.integers(0, 3)):
        element["html"] = draw(st.sampled_from(["<b>x</b>", "", " ", "\x1c"]))
    if draw(st.integers(0, 5)) == 0:
        element["id"] = "clip"
    return element


@st.composite
def scenes(draw: st.DrawFn) -> dict[str, Any]:
    scene = draw(keyed("scene", max_size=3))
    if draw(st.booleans()):
        scene["elements"] = draw(st.lists(elements(), max_size=3))
    return scene


@st.composite
def destinations(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["webhook", "ftp", "sftp", "email", None, "s3"]))
    definition = {"webhook": "webhookDestination", "email": "emailDestination"}.get(
        kind or "", "ftpDestination")
    dest = draw(keyed(definition, max_size=4))
    if kind is None:
        dest.pop("type", None)
        dest["id"] = "conn"
    else:
        dest["type"] = kind
    return dest


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    doc = draw(keyed("movie", max_size=5))
    for key in ("scenes", "elements", "exports"):
        doc.pop(key, None)
    if "template" in doc and draw(st.booleans()):
        doc["template"] = draw(st.sampled_from(["abcdefghij0123456789", "short", "{{t}}"]))
    if draw(st.integers(0, 4)):
        doc["scenes"] = draw(st.lists(scenes(), max_size=3))
    if draw(st.booleans()):
        doc["elements"] = draw(st.lists(elements(subtitles_weight=4), max_size=3))
    if draw(st.integers(0, 3)) == 0:
        doc["exports"] = draw(st.lists(
            st.fixed_dictionaries({"destinations": st.lists(destinations(), max_size=2)}),
            max_size=2))
    return doc


# --------------------------------------------------------------------------- mutations

CLEAN_DOCUMENTS = [
    json.loads(p.read_text("utf-8")) for p in DOCUMENTS
    if is_clean(json.loads(p.read_text("utf-8")))
]


def _containers(doc: Any, out: list[Any]) -> list[Any]:
    if isinstance(doc, dict):
        out.append(doc)
        for value in doc.values():
            _containers(value, out)
    elif isinstance(doc, list):
        for item in doc:
            _containers(item, out)
    return out


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A clean real document with zero to two small changes."""
    doc = copy.deepcopy(draw(st.sampled_from(CLEAN_DOCUMENTS)))
    for _ in range(draw(st.integers(0, 2))):
        objects = _containers(doc, [])
        target = draw(st.sampled_from(objects))
        action = draw(st.sampled_from(
            ["unknown-key", "placeholder", "src", "drop-key", "custom", "variable",
             "subtitles", "export", "template", "tricky-string", "nested", "element"]))
        if action == "unknown-key":
            target[draw(UNKNOWN_KEYS)] = draw(SCALARS)
        elif action == "placeholder" and target:
            key = draw(st.sampled_from(sorted(target)))
            if isinstance(target[key], str):
                target[key] = target[key] + draw(PLACEHOLDERS)
        elif action == "src":
            target["src"] = draw(URLS)
        elif action == "drop-key" and target:
            del target[draw(st.sampled_from(sorted(target)))]
        elif action == "custom":
            doc["resolution"] = draw(st.sampled_from(["custom", "hd", "{{r}}"]))
            if draw(st.booleans()):
                doc[draw(st.sampled_from(["width", "height"]))] = draw(SCALARS)
        elif action == "variable":
            target.setdefault("variables", {})[draw(st.sampled_from(NAMES))] = 1
        elif action == "subtitles":
            host = draw(st.sampled_from([doc, *doc.get("scenes", [])]))
            if isinstance(host, dict):
                host.setdefault("elements", []).append(
                    {"type": "subtitles", **draw(keyed("subtitles", max_size=2))})
        elif action == "export":
            doc.setdefault("exports", []).append(
                {"destinations": draw(st.lists(destinations(), max_size=2))})
        elif action == "template":
            doc["template"] = draw(st.sampled_from(["abcdefghij0123456789", "x" * 19]))
        elif action == "tricky-string" and target:
            key = draw(st.sampled_from(sorted(target)))
            if isinstance(target[key], str):
                target[key] = draw(st.text(alphabet=TRICKY + "ab", max_size=3))
        elif action == "nested":
            key = draw(st.sampled_from(sorted(NESTED)))
            target[key] = draw(nested(NESTED[key]))
        elif action == "element":
            host = draw(st.sampled_from([doc, *doc.get("scenes", [])]))
            if isinstance(host, dict):
                host.setdefault("elements", []).append(draw(elements()))
    return doc


# --------------------------------------------------------------------------- the properties


def test_there_are_clean_documents_to_mutate() -> None:
    assert len(CLEAN_DOCUMENTS) >= 15


@SETTINGS
@given(documents())
@example({"scenes": [], "elements": [{"type": "subtitles"}, {"type": "subtitles"}]})
def test_fast_path_never_hides_a_problem_random_documents(doc: dict[str, Any]) -> None:
    check(doc)


@SETTINGS
@given(mutated())
def test_fast_path_never_hides_a_problem_mutated_real_documents(doc: dict[str, Any]) -> None:
    check(doc)


@pytest.mark.parametrize(
    ("doc", "codes"),
    [
        # Control characters are not whitespace for either path (spelled-out class).
        # (A lone image without a duration makes a zero-length movie: a timing warning.)
        ({"scenes": [{"elements": [{"type": "image", "src": "\x1c"}]}]}, ["zero-length-movie"]),
        ({"scenes": [{"elements": [{"type": "video", "src": "\x1f"}]}]}, []),
        # Only ASCII extensions count (str.lower() would fold the Kelvin sign to "k").
        ({"scenes": [{"elements": [{"type": "image", "src": "https://e.com/a.m\u212av"}]}]},
         ["zero-length-movie"]),
        # client-data is the user's data, echoed back: never linted.
        ({"scenes": [], "client-data": {"x": "{{a}}"}}, []),
        # Overrides next to a connection id are linted like any other string.
        ({"scenes": [], "exports": [{"destinations": [{"id": "conn", "file": "{{a}}.mp4"}]}]},
         ["undefined-variable"]),
    ],
    ids=["image-src-x1c", "video-src-x1f", "image-src-kelvin-sign-mkv",
         "client-data-placeholder", "connection-override-placeholder"],
)
def test_fast_path_regressions(doc: dict[str, Any], codes: list[str]) -> None:
    """Inputs where the clean schema and the Python lints once disagreed (found above)."""
    assert [p.code for p in explaining(doc).problems] == codes
    assert validate(doc) == explaining(doc)


def test_fast_path_is_taken_for_clean_documents() -> None:
    for doc in CLEAN_DOCUMENTS:
        assert validate(doc) == ValidationReport()
        assert explaining(doc).problems == ()
