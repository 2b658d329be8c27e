"""Validation: every lint and schema explanation, with pinned paths, codes and messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from moviekit import (
    Audio,
    Movie,
    MoviekitError,
    MovieValidationError,
    Problem,
    Scene,
    Subtitles,
    Text,
    ValidationReport,
    Video,
    validate,
)

DOCUMENTS = sorted((Path(__file__).resolve().parents[1] / "data" / "documents").glob("*.json"))
TEMPLATE_ID = "abcdefghij0123456789"


def scene(*elements: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"scenes": [{**props, "elements": list(elements)}]}


# The one-image fixtures here are zero seconds long; that timing warning has its own tests
# (tests/timing/test_timing.py), so these helpers leave it out.
_TIMING = "zero-length-movie"


def found(doc: Any) -> list[tuple[str, str, str, str]]:
    """(severity, path, code, message) of every problem, errors first, in report order."""
    return [
        (p.severity, p.path, p.code, p.message)
        for p in validate(doc).problems
        if p.code != _TIMING
    ]


def hints(doc: Any) -> list[str]:
    return [p.hint for p in untimed(doc)]


def untimed(doc: Any, *, warnings_only: bool = False) -> tuple[Problem, ...]:
    """The problems of ``doc`` (or its warnings), without the zero-length timing warning."""
    report = validate(doc)
    return tuple(
        p for p in (report.warnings if warnings_only else report.problems) if p.code != _TIMING
    )


# --------------------------------------------------------------------------- clean documents


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_real_documents_have_no_errors(path: Path) -> None:
    report = validate(json.loads(path.read_text("utf-8")))
    assert report.ok and report.errors == ()
    assert all(p.severity == "warning" for p in report.warnings)


def test_clean_report() -> None:
    report = validate({"scenes": []})
    assert report.ok and bool(report) and report.problems == ()
    assert report.describe() == "no problems found"
    assert str(report) == "no problems found"
    assert report.to_dict() == {"ok": True, "errors": [], "warnings": []}


# --------------------------------------------------------------------------- src lints


@pytest.mark.parametrize(
    ("element", "message", "hint"),
    [
        ({"type": "video"}, "a video element needs a 'src'",
         "give the file's URL, e.g. Video('https://...')"),
        ({"type": "audio"}, "an audio element needs a 'src'",
         "give the file's URL, e.g. Audio('https://...')"),
        ({"type": "image"}, "an image element needs a 'src'",
         "give the file's URL, e.g. Image('https://...') or an AI 'prompt'"),
    ],
)
def test_missing_src(element: dict[str, Any], message: str, hint: str) -> None:
    report = validate(scene(element))
    assert found(scene(element)) == [("error", "scenes[0].elements[0].src", "missing-src",
                                       message)]
    assert report.errors[0].hint == hint
    assert report.errors[0].element_type == element["type"]


def test_ai_image_needs_no_src() -> None:
    assert untimed(scene({"type": "image", "prompt": "a cat"})) == ()


@pytest.mark.parametrize("src", ["", "   ", "\n\t"])
@pytest.mark.parametrize("kind", ["video", "audio", "image"])
def test_empty_src(kind: str, src: str) -> None:
    assert found(scene({"type": kind, "src": src})) == [
        ("error", "scenes[0].elements[0].src", "empty-src", f"the {kind} element's 'src' is empty")
    ]
    assert hints(scene({"type": kind, "src": src})) == ["give the file's URL"]


@pytest.mark.parametrize(
    ("kind", "src", "looks", "message", "hint"),
    [
        ("image", "https://e.com/a.MP4?x=1", "video",
         "the file looks like a video (by its extension) but the element is an image",
         "use a Video element for it, or an image file; the service fails such renders"),
        ("video", "https://e.com/song.mp3", "audio",
         "the file looks like an audio (by its extension) but the element is a video",
         "use an Audio element for it, or a video file; the service fails such renders"),
        ("audio", "https://e.com/pic.png#frag", "image",
         "the file looks like an image (by its extension) but the element is an audio",
         "use an Image element for it, or an audio file; the service fails such renders"),
        ("video", "https://e.com/pic.JPEG", "image",
         "the file looks like an image (by its extension) but the element is a video",
         "use an Image element for it, or a video file; the service fails such renders"),
    ],
)
def test_src_kind_by_extension(kind: str, src: str, looks: str, message: str,
                               hint: str) -> None:
    assert [(p.path, p.code, p.message, p.hint, p.value) for p in untimed(scene(
        {"type": kind, "src": src}))] == [
        ("scenes[0].elements[0].src", "src-kind", message, hint, json.dumps(src))]


@pytest.mark.parametrize(
    ("kind", "src"),
    [
        ("audio", "https://e.com/clip.mp4"),  # an audio element may play a video's sound
        ("video", "https://e.com/clip"),  # no extension: nothing to say
        ("video", "https://e.com/dir.png/clip"),  # the extension is the last segment's
        ("image", "https://e.com/a.png?file=b.mp4"),  # the query does not count
        ("video", "{{clip_url}}.mp3"),  # a placeholder decides at render time
        ("image", "https://drive.google.com/uc?id=123"),
    ],
)
def test_src_kind_not_flagged(kind: str, src: str) -> None:
    doc = {"variables": {"clip_url": "x"}, **scene({"type": kind, "src": src})}
    assert untimed(doc) == ()


def test_missing_html() -> None:
    assert found(scene({"type": "html"})) == [
        ("error", "scenes[0].elements[0]", "missing-html", "an html element needs 'html' or 'src'")
    ]
    assert validate(scene({"type": "html", "src": "https://e.com"})).ok


# --------------------------------------------------------------------------- movie rules


def test_custom_resolution_needs_both_sizes() -> None:
    for extra in ({}, {"width": 640}, {"height": 480}):
        doc = {"scenes": [], "resolution": "custom", **extra}
        assert found(doc) == [("error", "resolution", "custom-resolution-size",
                               "resolution 'custom' needs both width and height")]
        assert hints(doc) == [
            "set Movie(width=..., height=...) or pick a preset such as 'full-hd'"]
    assert validate({"scenes": [], "resolution": "custom", "width": 640, "height": 480}).ok


@pytest.mark.parametrize(
    ("extra", "path"),
    [({"width": 640}, "width"), ({"height": 480}, "height"),
     ({"width": 640, "height": 480}, "width")],
)
def test_size_ignored_with_a_preset(extra: dict[str, int], path: str) -> None:
    doc = {"scenes": [], "resolution": "hd", **extra}
    report = validate(doc)
    assert report.ok
    assert found(doc) == [("warning", path, "size-ignored",
                           "width/height are ignored with resolution 'hd'")]
    assert hints(doc) == ["use resolution='custom' to set your own size"]


def test_size_without_resolution_is_fine() -> None:
    """The default resolution is 'custom', so sizes alone are meaningful."""
    assert validate({"scenes": [], "width": 640, "height": 480}).problems == ()


def test_subtitles_count() -> None:
    doc = {"scenes": [], "elements": [{"type": "subtitles"}, {"type": "subtitles"}]}
    assert found(doc) == [("error", "elements[1]", "subtitles-count",
                           "a movie may have only one subtitles element")]
    assert hints(doc) == ["keep one Subtitles element and remove the others"]
    assert validate(doc).errors[0].element_type == "subtitles"
    with pytest.raises(MovieValidationError):
        Movie().add(Subtitles(), Subtitles()).to_dict()


def test_subtitles_in_scene_is_a_warning() -> None:
    doc = {"scenes": [{"elements": [{"type": "subtitles"}]}]}
    report = validate(doc)
    assert report.ok
    assert found(doc) == [("warning", "scenes[0].elements[0]", "subtitles-in-scene",
                           "subtitles belong in the movie's elements, not in a scene")]
    assert hints(doc) == ["move it: Movie(...).add(Subtitles(...)); the service's handling of "
                          "scene-level subtitles is undocumented"]
    assert Movie().add(Scene().add(Subtitles())).to_dict()  # warnings never raise


def test_subtitles_in_scene_and_movie_count_together() -> None:
    doc = {"scenes": [{"elements": [{"type": "subtitles"}]}],
           "elements": [{"type": "subtitles"}]}
    assert {(s, p, c) for s, p, c, _ in found(doc)} == {
        ("warning", "scenes[0].elements[0]", "subtitles-in-scene"),
        ("error", "elements[0]", "subtitles-count"),
    }


def test_export_count() -> None:
    doc = {"scenes": [], "exports": [{"destinations": []}, {"destinations": []}]}
    assert found(doc) == [("error", "exports[1]", "export-count",
                           "the service accepts one export; got 2")]
    assert hints(doc) == [
        "put every destination in one export: movie.export_to(dest1, dest2, ...)"]


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("abc", "a template id has 20 characters; this one has 3"),
        ("a" * 21, "a template id has 20 characters; this one has 21"),
        ("", "a template id has 20 characters; this one has 0"),
    ],
)
def test_template_id_length(template: str, message: str) -> None:
    report = validate({"template": template})
    assert found({"template": template}) == [("error", "template", "template-id-length",
                                              message)]
    assert report.errors[0].value == json.dumps(template)
    assert report.errors[0].hint == "copy the id from the dashboard or `moviekit templates`"


def test_template_id_ok() -> None:
    assert validate({"template": TEMPLATE_ID}).problems == ()
    assert validate({"template": "{{tid}}", "variables": {"tid": TEMPLATE_ID}}).ok


# --------------------------------------------------------------------------- variables


@pytest.mark.parametrize(
    ("where", "name", "path", "fixed"),
    [
        ("movie", "2x", "variables.2x", "v_2x"),
        ("movie", "_a", "variables._a", "v__a"),
        ("scene", "my var", "scenes[0].variables.my var", "my_var"),
        ("element", "a-b", "scenes[0].elements[0].variables.a-b", "a_b"),
        ("movie", "prix€", "variables.prix€", "prix_"),
        ("movie", "price\n", "variables.price\n", "price_"),
    ],
)
def test_variable_name(where: str, name: str, path: str, fixed: str) -> None:
    element: dict[str, Any] = {"type": "text", "text": "x"}
    doc: dict[str, Any] = {"scenes": [{"elements": [element]}]}
    target = {"movie": doc, "scene": doc["scenes"][0], "element": element}[where]
    target["variables"] = {"ok_1": 1, name: 2}
    report = validate(doc)
    assert [(p.path, p.code, p.message, p.hint) for p in report.problems] == [
        (path, "variable-name",
         f"invalid variable name {name!r}: start with a letter, then use only letters, digits "
         "and '_'",
         f"rename it, e.g. {fixed!r} (the service would silently change it)")]


def undefined(doc: Any) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in validate(doc).warnings
            if p.code == "undefined-variable"]


def test_undefined_variable_warning() -> None:
    doc = scene({"type": "text", "text": "{{price}} for {{ qty * 2 }}"})
    assert undefined(doc) == [
        ("scenes[0].elements[0].text", "'{{price}}' is used but no variable 'price' is defined"),
        ("scenes[0].elements[0].text", "'{{qty}}' is used but no variable 'qty' is defined"),
    ]
    report = validate(doc)
    assert report.ok
    assert report.warnings[0].hint == (
        "define it: .variables(price=...) on the movie, scene or element (ignore this if a "
        "template supplies it)")
    assert report.warnings[0].severity == "warning"


def test_variables_defined_at_any_scope_are_found() -> None:
    doc = {
        "variables": {"m": 1},
        "comment": "{{m}}",
        "scenes": [{"variables": {"s": 1}, "duration": "{{m + s}}", "elements": [
            {"type": "text", "text": "{{m}} {{s}} {{e}}", "variables": {"e": 1}},
            {"type": "text", "text": "{{e}}"},
        ]}, {"elements": [{"type": "text", "text": "{{s}}"}]}],
    }
    assert undefined(doc) == [
        ("scenes[0].elements[1].text", "'{{e}}' is used but no variable 'e' is defined"),
        ("scenes[1].elements[0].text", "'{{s}}' is used but no variable 's' is defined"),
    ]


def test_element_timing_variables() -> None:
    doc = scene(
        {"type": "video", "id": "my_video", "src": "https://e.com/v.mp4"},
        {"type": "image", "src": "https://e.com/i.png", "start": "{{my_video_end}}",
         "duration": "{{my_voice_duration / 3}}"},
        {"type": "text", "text": "x", "start": "{{my_video_start}}",
         "extra-time": "{{my_video_extratime}}", "duration": "{{other_end}}"},
        {"type": "voice", "id": "my_voice", "text": "hello"},
    )
    assert undefined(doc) == [
        ("scenes[0].elements[2].duration",
         "'{{other_end}}' is used but no variable 'other_end' is defined")]


def test_timing_variables_do_not_cross_containers() -> None:
    doc = {"scenes": [
        {"elements": [{"type": "video", "id": "clip", "src": "https://e.com/v.mp4"}]},
        {"elements": [{"type": "text", "text": "x", "start": "{{clip_end}}"}]},
    ], "elements": [{"type": "audio", "src": "https://e.com/a.mp3", "duration": "{{clip_end}}"}]}
    assert [p for p, _ in undefined(doc)] == ["scenes[1].elements[0].start",
                                              "elements[0].duration"]


def test_iterate_scene_placeholders_come_from_array_items() -> None:
    doc = {"variables": {"rows": [{"duration": 2, "image_url": "https://e.com/a.png"}]},
           "scenes": [{"iterate": "rows", "duration": "{{duration}}", "elements": [
               {"type": "image", "src": "{{image_url}}"}]},
                      {"duration": "{{duration}}"}]}
    assert undefined(doc) == [
        ("scenes[1].duration", "'{{duration}}' is used but no variable 'duration' is defined")]


def test_template_call_supplies_its_own_variables() -> None:
    assert undefined({"template": TEMPLATE_ID, "comment": "{{anything}}"}) == []


def test_expression_words_and_string_literals_are_not_variables() -> None:
    doc = {"variables": {"a": 1, "b": 2}, "scenes": [{"condition":
        "{{a == 1 and b != 2 or not a ? 'yes' : \"no way\"}} {{min(a, b) + max(a, 2e3)}} "
        "{{true}} {{false}} {{null}}"}]}
    assert undefined(doc) == []


def test_variable_values_are_data_not_uses() -> None:
    doc = {"variables": {"greeting": "{{not_a_use}}"}, "scenes": []}
    assert undefined(doc) == []


# --------------------------------------------------------------------------- unknown properties


@pytest.mark.parametrize(
    ("doc", "path", "key", "hint"),
    [
        ({"scenes": [], "resolutoin": "hd"}, "resolutoin", "resolutoin",
         "did you mean 'resolution'?"),
        ({"scenes": [{"backgroud-color": "#fff"}]}, "scenes[0].backgroud-color",
         "backgroud-color", "did you mean 'background-color'?"),
        (scene({"type": "text", "text": "x", "fade_in": 1}), "scenes[0].elements[0].fade_in",
         "fade_in", "did you mean 'fade-in'?"),
        ({"scenes": [], "client_data": {}}, "client_data", "client_data",
         "did you mean 'client-data'?"),
        (scene({"type": "image", "src": "https://e.com/a.png", "crop": {"width": 1, "height": 1,
                                                                         "wdth": 2}}),
         "scenes[0].elements[0].crop.wdth", "wdth", "did you mean 'width'?"),
        ({"scenes": [], "exports": [{"destinations": [
            {"type": "webhook", "endpoint": "https://e.com", "content_type": "json"}]}]},
         "exports[0].destinations[0].content_type", "content_type",
         "did you mean 'content-type'?"),
        ({"scenes": [], "exports": [{"destinations": [], "zzz": 1}]}, "exports[0].zzz", "zzz",
         "it is sent as given; remove it if it is a typo"),
        ({"scenes": [], "elements": [{"type": "subtitles", "langauge": "en"}]},
         "elements[0].langauge", "langauge", "did you mean 'language'?"),
    ],
)
def test_unknown_property_is_a_warning_with_did_you_mean(doc: dict[str, Any], path: str,
                                                         key: str, hint: str) -> None:
    assert validate(doc).ok
    assert [(p.severity, p.path, p.code, p.message, p.hint)
            for p in untimed(doc, warnings_only=True)] == [
        ("warning", path, "unknown-property",
         f"'{key}' is not a known property (the service may ignore it)", hint)]


@pytest.mark.parametrize(
    ("doc", "path", "key", "hint"),
    [
        ({"scenes": [], "elements": [{"type": "subtitles", "settings": {"font-colour": "#fff"}}]},
         "elements[0].settings.font-colour", "font-colour", "did you mean 'font-url'?"),
        ({"scenes": [], "elements": [{"type": "subtitles", "settings": {"zzz": 1}}]},
         "elements[0].settings.zzz", "zzz", "the service rejects unknown keys here; remove it"),
        ({"scenes": [{"transition": {"style": "fade", "speed": 1}}]},
         "scenes[0].transition.speed", "speed", "the service rejects unknown keys here; remove it"),
    ],
)
def test_unknown_property_where_the_service_is_strict_is_an_error(
        doc: dict[str, Any], path: str, key: str, hint: str) -> None:
    report = validate(doc)
    assert [(p.severity, p.path, p.code, p.message, p.hint) for p in report.problems] == [
        ("error", path, "unknown-property", f"'{key}' is not a known property", hint)]
    with pytest.raises(MovieValidationError):
        Movie.from_dict(doc).to_dict()


def test_strict_subtitles_settings_through_the_builder() -> None:
    movie = Movie().add(Scene().add(Text("x")), Subtitles().settings(font_colour="#fff"))
    with pytest.raises(MovieValidationError) as info:
        movie.to_dict()
    assert [(p.path, p.code) for p in info.value.errors] == [
        ("elements[0].settings.font-colour", "unknown-property")]


# --------------------------------------------------------------------------- schema errors


def test_enum_error_with_did_you_mean() -> None:
    report = validate({"scenes": [], "quality": "hihg"})
    assert [(p.path, p.code, p.message, p.hint, p.value) for p in report.errors] == [
        ("quality", "enum", "must be one of 'low', 'medium', 'high'", "did you mean 'high'?",
         '"hihg"')]


def test_enum_error_in_element_names_the_element_type() -> None:
    report = validate(scene({"type": "text", "text": "x", "position": "center"}))
    (error,) = report.errors
    assert (error.path, error.code, error.hint, error.element_type) == (
        "scenes[0].elements[0].position", "enum", "did you mean 'center-center'?", "text")
    assert error.message == ("must be one of 'top-left', 'top-right', 'bottom-right', "
                             "'bottom-left', 'center-center', 'custom'")


def test_long_enum_is_abbreviated() -> None:
    report = validate({"scenes": [{"transition": {"style": "fdae"}}]})
    (error,) = report.errors
    assert error.path == "scenes[0].transition.style"
    assert error.message == (
        "must be one of 'fade', 'wipeleft', 'wiperight', 'wipeup', 'wipedown', 'slideleft', "
        "'slideright', 'slideup', 'slidedown', 'circlecrop', 'rectcrop', 'distance', ... "
        "(44 in all)")
    assert error.hint == "did you mean 'fade'?"


def test_element_type_enum() -> None:
    report = validate(scene({"type": "vidoe", "src": "https://e.com/v.mp4"}))
    assert [(p.path, p.code, p.hint) for p in report.errors] == [
        ("scenes[0].elements[0].type", "enum", "did you mean 'video'?")]


@pytest.mark.parametrize(
    ("doc", "path", "message"),
    [
        (scene({"type": "text", "text": "x", "z-index": 100}), "scenes[0].elements[0].z-index",
         "100 is out of range: must be >= -99 and <= 99"),
        ({"scenes": [], "resolution": "custom", "width": 10, "height": 480}, "width",
         "10 is out of range: must be >= 50 and <= 3840"),
        ({"scenes": [], "fps": 0}, "fps", "0 is out of range: must be >= 1 and <= 120"),
        (scene({"type": "text", "text": "x", "duration": 0}), "scenes[0].elements[0].duration",
         "0 is out of range: must be > 0, or one of -1, -2"),
        (scene({"type": "audio", "src": "https://e.com/a.mp3", "volume": 11}),
         "scenes[0].elements[0].volume", "11 is out of range: must be >= 0 and <= 10"),
    ],
)
def test_range_errors(doc: dict[str, Any], path: str, message: str) -> None:
    assert [(p.path, p.code, p.message) for p in validate(doc).errors] == [
        (path, "range", message)]


@pytest.mark.parametrize(
    ("doc", "path", "message", "hint"),
    [
        (scene({"type": "text", "text": "x", "cache": "yes"}), "scenes[0].elements[0].cache",
         'expected true or false, got a string "yes"',
         'a {{ }} placeholder is also accepted (e.g. "{{duration}}")'),
        (scene({"type": "text", "text": 5}), "scenes[0].elements[0].text",
         "expected a string, got a whole number 5", ""),
        ({"scenes": "x"}, "scenes", 'expected a list, got a string "x"', ""),
        ({"scenes": [], "fps": 2.5}, "fps", "expected a whole number, got a number 2.5",
         'a {{ }} placeholder is also accepted (e.g. "{{duration}}")'),
        ({"scenes": [], "client-data": [1]}, "client-data",
         "expected a JSON object, got a list [1]", ""),
    ],
)
def test_type_errors(doc: dict[str, Any], path: str, message: str, hint: str) -> None:
    assert [(p.path, p.code, p.message, p.hint) for p in validate(doc).errors] == [
        (path, "type", message, hint)]


@pytest.mark.parametrize(
    ("doc", "path", "message", "hint"),
    [
        (scene({"type": "text"}), "scenes[0].elements[0].text",
         "'text' is required for a text element", "give the text to show, e.g. Text('Hello')"),
        (scene({"type": "component"}), "scenes[0].elements[0].component",
         "'component' is required for a component element",
         "name a library component, e.g. Component('basic/001')"),
        ({"resolution": "hd"}, "scenes", "'scenes' is required for the movie",
         "add at least one Scene, or render a saved template with Movie.from_template(id)"),
        (scene({"src": "https://e.com/v.mp4"}), "scenes[0].elements[0].type",
         "'type' is required for scenes[0].elements[0]",
         "every element needs a 'type' such as 'video' or 'text'"),
        (scene({"type": "image", "src": "https://e.com/i.png", "crop": {"width": 1}}),
         "scenes[0].elements[0].crop.height", "'height' is required for "
         "scenes[0].elements[0].crop", "set 'height'"),
    ],
)
def test_required_errors(doc: dict[str, Any], path: str, message: str, hint: str) -> None:
    assert [(p.path, p.code, p.message, p.hint) for p in validate(doc).errors] == [
        (path, "required", message, hint)]


def test_offending_value_is_truncated() -> None:
    report = validate({"scenes": [], "quality": "x" * 500})
    value = report.errors[0].value
    assert value is not None and len(value) == 60 and value.endswith("...")


def test_placeholders_accepted_in_numeric_fields() -> None:
    doc = {"variables": {"w": 1, "d": 1}, "resolution": "custom", "width": "{{w}}",
           "height": "1080", "scenes": [{"duration": "{{d}}"}]}
    assert validate(doc).problems == ()


# --------------------------------------------------------------------------- report shape


def test_problems_sorted_in_document_order_with_numeric_indexes() -> None:
    scenes: list[dict[str, Any]] = [{} for _ in range(12)]
    for i in (10, 2, 9, 11):
        scenes[i] = {"elements": [{"type": "video"}]}
    doc = {"quality": "x", "scenes": scenes, "elements": [{"type": "audio"}]}
    assert [p.path for p in validate(doc).errors] == [
        "quality",
        "scenes[2].elements[0].src",
        "scenes[9].elements[0].src",
        "scenes[10].elements[0].src",
        "scenes[11].elements[0].src",
        "elements[0].src",
    ]


def test_problems_follow_key_order_of_the_document() -> None:
    doc = {"scenes": [], "resolution": "custom", "width": 10, "height": 5000, "fps": 0}
    assert [p.path for p in validate(doc).errors] == ["width", "height", "fps"]
    element = {"type": "text", "text": "x", "z-index": 100, "start": "soon", "cache": "no"}
    assert [p.path.rsplit(".", 1)[1] for p in validate(scene(element)).errors] == [
        "z-index", "start", "cache"]


def test_errors_and_warnings_are_split() -> None:
    doc = {"scenes": [{"elements": [{"type": "video", "colr": 1}]}], "resolutoin": "hd"}
    report = validate(doc)
    assert [(p.path, p.code) for p in report.errors] == [("scenes[0].elements[0].src",
                                                          "missing-src")]
    assert [(p.path, p.code) for p in report.warnings] == [
        ("resolutoin", "unknown-property"), ("scenes[0].elements[0].colr", "unknown-property")]
    assert report.problems == report.errors + report.warnings
    assert not report.ok and not bool(report)


def test_describe_groups_by_path() -> None:
    doc = scene({"type": "text"}, {"type": "video", "src": "", "colr": 1}, quality="x")
    doc["quality"] = "x"
    del doc["scenes"][0]["quality"]
    report = validate(doc)
    assert report.describe() == "\n".join([
        "3 error(s) in movie",
        "quality",
        "  must be one of 'low', 'medium', 'high' (got \"x\") [enum]",
        "scenes[0].elements[0].text",
        "  'text' is required for a text element [required]",
        "    hint: give the text to show, e.g. Text('Hello')",
        "scenes[0].elements[1].src",
        "  the video element's 'src' is empty [empty-src]",
        "    hint: give the file's URL",
    ])
    assert str(report).splitlines()[0] == "3 error(s), 1 warning(s) in movie"
    assert "  warning: 'colr' is not a known property (the service may ignore it) " \
           "[unknown-property]" in str(report).splitlines()
    warnings_only = validate({"scenes": [], "zzz": 1})
    assert warnings_only.describe() == "no errors (1 warning(s))"


def test_problem_shapes() -> None:
    problem = validate(scene({"type": "video"})).errors[0]
    assert str(problem) == ("scenes[0].elements[0].src: a video element needs a 'src' "
                            "[missing-src]\n    hint: give the file's URL, e.g. "
                            "Video('https://...')")
    assert problem.to_dict() == {
        "path": "scenes[0].elements[0].src", "code": "missing-src",
        "message": "a video element needs a 'src'", "severity": "error",
        "hint": "give the file's URL, e.g. Video('https://...')", "value": None,
        "element_type": "video",
    }
    assert str(Problem("", "x", "m")) == "(movie): m [x]"
    assert json.loads(json.dumps(validate(scene({"type": "video"})).to_dict()))["ok"] is False


def test_validate_accepts_builders_and_dicts_alike() -> None:
    movie = Movie(quality="x").add(Scene().add(Video("")))  # type: ignore[arg-type]
    as_dict = movie.to_dict(validate=False)
    assert validate(movie) == validate(as_dict) == movie.validate()


# --------------------------------------------------------------------------- to_dict(validate=True)


def test_to_dict_raises_movie_validation_error_listing_all_problems() -> None:
    movie = (
        Movie(resolution="custom", quality="best")  # type: ignore[arg-type]
        .add(Scene().add(Video("https://e.com/song.mp3"), Audio("")))
        .add(Scene().add(Text("x").z_index(500)))
        .set("colr", 1)
    )
    with pytest.raises(MovieValidationError) as info:
        movie.to_dict()
    error = info.value
    assert isinstance(error, MoviekitError) and isinstance(error, ValueError)
    assert [(p.path, p.code) for p in error.errors] == [
        ("resolution", "custom-resolution-size"),
        ("quality", "enum"),
        ("scenes[0].elements[0].src", "src-kind"),
        ("scenes[0].elements[1].src", "empty-src"),
        ("scenes[1].elements[0].z-index", "range"),
    ]
    assert error.errors == list(error.report.errors)
    assert [p.code for p in error.report.warnings] == ["unknown-property"]
    text = str(error)
    assert text.splitlines()[0] == "5 error(s) in movie"
    for problem in error.errors:
        assert problem.path in text and f"[{problem.code}]" in text
    assert "colr" not in text  # warnings are not errors
    with pytest.raises(MovieValidationError):
        movie.to_json()
    assert movie.to_dict(validate=False)["colr"] == 1


def test_to_dict_does_not_raise_for_warnings() -> None:
    movie = Movie(resolution="hd", width=100).add(Scene().set("zzz", 1).add(Text("{{nope}}")))
    assert movie.to_dict()["width"] == 100
    assert {p.code for p in validate(movie).warnings} == {
        "size-ignored", "unknown-property", "undefined-variable"}


# --------------------------------------------------------------------------- never raises


@pytest.mark.parametrize(
    "bad",
    [None, 5, "{}", [], [{"scenes": []}], b"{}", 3.5, True, object()],
    ids=["None", "int", "str", "list", "list-of-dict", "bytes", "float", "bool", "object"],
)
def test_validate_non_dict_gives_a_report(bad: Any) -> None:
    report = validate(bad)
    assert isinstance(report, ValidationReport) and not report.ok
    ((path, code, message),) = [(p.path, p.code, p.message) for p in report.errors]
    assert (path, code) == ("", "type")
    assert message == f"a movie must be a JSON object, got {type(bad).__name__}"


@pytest.mark.parametrize(
    "doc",
    [
        {"scenes": {1, 2}},
        {"scenes": [], "id": object()},
        {"scenes": [], "variables": {1: "x"}},
        {"scenes": [], "fps": float("nan")},
        {"scenes": [], "fps": float("inf")},
        {"scenes": [], "exports": [{"destinations": [{"type": ["webhook"]}]}]},
        {"scenes": [], "exports": [{"destinations": [{"type": {"a": 1}}]}]},
        {"scenes": [{"elements": [{"type": ["video"]}]}]},
        {"scenes": [{"elements": [{"type": "text", "text": "x", "variables": {2: 1}}]}]},
        {"scenes": [{"elements": [{"type": "video", "src": b"bytes"}]}]},
        {"scenes": [], "elements": "nope", "exports": "nope", "variables": "nope"},
        {"scenes": [None, 1, "x", []], "elements": [None, 1, []]},
        {"scenes": (), "elements": ({"type": "audio"},)},
        {5: 1, "scenes": []},
    ],
    ids=["set", "object", "int-variable-name", "nan", "inf", "dest-type-list", "dest-type-dict",
         "element-type-list", "element-int-variable", "bytes-src", "wrong-containers",
         "junk-items", "tuples", "int-key"],
)
def test_validate_never_raises(doc: dict[Any, Any]) -> None:
    report = validate(doc)
    assert isinstance(report, ValidationReport)
    for problem in report.problems:
        assert isinstance(problem.path, str) and problem.code and problem.message
