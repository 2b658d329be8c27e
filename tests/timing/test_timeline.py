"""The Timeline object: rows, table, gantt, SVG, at(t), credits."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.cookbook import RECIPES

from moviekit import (
    CONTAINER_LENGTH,
    Audio,
    BuildError,
    Image,
    Movie,
    Scene,
    Text,
    Timeline,
    Video,
    Voice,
    sequence,
)

SVG = "{http://www.w3.org/2000/svg}"
IMG = "https://example.com/a.png"


def sample() -> Movie:
    voice = Voice("Narration", id="narration")
    return (
        Movie(resolution="full-hd")
        .add(Scene().add(voice, Text("Title").after(voice, gap=0.5).duration(2)))
        .add(Scene(duration=4).transition("fade", 1).add(Video("https://x/v.mp4").duration(6)))
        .add(Audio("https://x/music.mp3").duration(CONTAINER_LENGTH).volume(0.2))
    )


def test_rows_and_spans() -> None:
    timeline = sample().timeline({"narration": 5})
    assert (timeline.total, timeline.exact) == (10.5, True)
    assert [(r.path, r.type) for r in timeline.rows] == [
        ("scenes[0]", "scene"),
        ("scenes[0].elements[0]", "voice"),
        ("scenes[0].elements[1]", "text"),
        ("scenes[1]", "scene"),
        ("scenes[1].elements[0]", "video"),
        ("elements[0]", "audio"),
    ]
    title = timeline.elements[1]
    assert (title.start, title.end, title.movie_start, title.movie_end) == (5.5, 7.5, 5.5, 7.5)
    video = timeline.elements[2]
    assert (video.movie_start, video.movie_end, video.trimmed) == (6.5, 10.5, True)
    assert timeline.scenes[1].overlap == 1
    music = timeline.elements[3]
    assert (music.movie_start, music.movie_end, music.fitted) == (0, 10.5, True)
    assert title.element is not None and title.element.get("text") == "Title"
    assert title.props["start"] == "{{narration_end + 0.5}}"


def test_unknown_rows_say_so() -> None:
    timeline = sample().timeline()
    assert not timeline.exact and timeline.total == 5.5  # 0.5 + 2 + 4 - 1
    voice = timeline.elements[0]
    assert not voice.exact and voice.depends_on
    text = str(timeline)
    assert "≥ 5.5 s" in text and "depends on: scenes[0].elements[0] (voice)" in text
    assert "(trimmed)" in text


def test_at() -> None:
    timeline = sample().timeline({"narration": 5})
    assert [s.path for s in timeline.at(7)] == [
        "scenes[0]",
        "scenes[0].elements[1]",
        "scenes[1]",
        "scenes[1].elements[0]",
        "elements[0]",
    ]
    assert [s.path for s in timeline.at(0)] == ["scenes[0]", "scenes[0].elements[0]", "elements[0]"]
    assert timeline.at(10.5) == ()


def test_credits() -> None:
    assert str(sample().timeline({"narration": 5}).credits) == "11 credits (10.5 s x 1/s)"
    bound = sample().timeline().credits
    assert (bound.amount, bound.exact) == (6, False)
    uhd = (
        Movie(resolution="custom", width=3840, height=2160)
        .add(Scene(duration=3).add(Image(IMG)))
        .timeline()
        .credits
    )
    assert (uhd.amount, uhd.per_second, uhd.exact) == (12, 4, True)
    assert int(Movie().timeline().credits) == 0


def test_gantt_has_a_line_per_row_and_marks_unknowns() -> None:
    chart = sample().timeline().gantt(width=40)
    lines = chart.splitlines()
    assert len(lines) == len(sample().timeline().rows) + 2  # + transition + axis
    assert lines[1].endswith("|…" + " " * 40 + "|") and "▒" in lines[2] and "…" in lines[2]
    assert "█" in sample().timeline({"narration": 5}).gantt()


def test_svg_is_well_formed_and_bars_match_rows() -> None:
    timeline = sample().timeline()
    root = ET.fromstring(timeline.to_svg())
    bars = {
        r.get("data-path"): r
        for r in root.iter(f"{SVG}rect")
        if (r.get("class") or "").startswith("bar")
    }
    assert set(bars) == {e.path for e in timeline.elements}
    for span in timeline.elements:
        bar = bars[span.path]
        assert float(bar.get("data-start", "nan")) == span.movie_start
        assert float(bar.get("data-end", "nan")) == span.movie_end
        assert ("unknown" in (bar.get("class") or "")) == (not span.exact)
    scenes = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "scene"]
    assert [r.get("data-path") for r in scenes] == ["scenes[0]", "scenes[1]"]
    assert len([r for r in root.iter(f"{SVG}rect") if r.get("class") == "transition"]) == 1
    assert any(r.get("class") == "unknown-tail" for r in root.iter(f"{SVG}rect"))
    assert timeline._repr_html_().startswith("<div><svg")


def test_timeline_from_json_and_to_dict() -> None:
    doc = sample().to_dict()
    from_json = Timeline.from_dict(doc, {"narration": 5})
    assert from_json.total == 10.5 and from_json.elements[0].element is None
    data = from_json.to_dict()
    assert data["total"] == 10.5 and data["credits"] == 11 and len(data["rows"]) == 6


def test_bad_lengths_are_build_errors_with_a_path() -> None:
    with pytest.raises(BuildError, match="lengths\\['x'\\]") as info:
        sample().timeline({"x": -1})
    assert info.value.path == "lengths['x']"
    with pytest.raises(BuildError, match="a string"):
        sample().timeline({1: 5})  # type: ignore[dict-item]
    with pytest.raises(BuildError, match="maps element ids"):
        sample().timeline([("narration", 5)])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- lengths (#15)


def test_a_voice_takes_its_length_from_its_text_or_its_path() -> None:
    voice = Voice("Welcome to the gallery.")
    movie = Movie().add(Scene().add(voice, Image(IMG).duration(2)))
    assert not movie.timeline().exact  # nobody said how long the voice-over is
    by_text = movie.timeline({"Welcome to the gallery.": 6.5})
    by_path = movie.timeline({"scenes[0].elements[0]": 6.5})
    for timeline in (by_text, by_path):
        assert (timeline.total, timeline.exact, timeline.warnings) == (6.5, True, ())
    # The id moviekit assigns when something refers to the voice works too.
    placed = Movie().add(Scene().add(voice, Text("x").after(voice).duration(1)))
    assert placed.timeline({"voice1": 3}).total == 4


def test_an_unknown_length_key_is_a_warning_with_a_suggestion() -> None:
    timeline = sample().timeline({"narratoin": 5})
    (warning,) = timeline.warnings
    assert (warning.path, warning.code, warning.severity) == (
        "lengths['narratoin']",
        "unknown-length-key",
        "warning",
    )
    assert "did you mean 'narration'?" in warning.message and warning.hint
    assert not timeline.exact  # the key was ignored
    text = str(timeline)
    assert "\nwarning: lengths['narratoin']: matches no element's id, src, text or path" in text
    assert timeline.to_dict()["warnings"][0]["code"] == "unknown-length-key"


def test_a_length_for_an_element_without_a_natural_length_is_a_warning() -> None:
    movie = Movie().add(Scene().add(Image(IMG).duration(2), Video("https://x/v.mp4").duration(3)))
    timeline = movie.timeline({IMG: 9, "https://x/v.mp4": 9})
    assert [(w.path, w.code) for w in timeline.warnings] == [
        (f"lengths[{IMG!r}]", "unused-length"),
        ("lengths['https://x/v.mp4']", "unused-length"),
    ]
    assert "scenes[0].elements[0] (image) takes no natural length" in timeline.warnings[0].message
    assert timeline.total == 3


def test_lengths_that_are_used_give_no_warning() -> None:
    movie = Movie().add(Scene().add(Voice("hi", id="hi"), Video("https://x/v.mp4")))
    assert movie.timeline({"hi": 5, "https://x/v.mp4": 1}).warnings == ()
    assert Timeline.from_dict(sample().to_dict(), {"narration": 5}).warnings == ()


@settings(max_examples=100, deadline=None)
@given(
    durations=st.lists(st.sampled_from([0.5, 1, 2.25, 4]), min_size=1, max_size=8),
    gap=st.sampled_from([0, 0.5, -0.25]),
)
def test_sequences_are_contiguous(durations: list[float], gap: float) -> None:
    slides = sequence(*(Image(IMG).duration(d) for d in durations), gap=gap)
    timeline = Movie().add(Scene().add(slides)).timeline()
    spans = timeline.elements
    assert timeline.exact
    for before, after in zip(spans, spans[1:], strict=False):
        assert after.start == pytest.approx(before.end + gap)
    assert [s.length for s in spans] == pytest.approx(durations)


# --------------------------------------------------------------------------- every recipe


@pytest.mark.parametrize("path", RECIPES, ids=[p.stem for p in RECIPES])
def test_every_recipe_has_a_timeline(path: Path) -> None:
    # Only recipes: cookbook/test_*.py are a recipe's own tests, which import the
    # recipe by module name (they pass only where cookbook/ is on sys.path).
    import runpy

    movie = runpy.run_path(str(path), run_name="__moviekit__")["movie"]
    timeline = movie.timeline()
    assert timeline.total >= 0 and len(timeline.rows) == len(timeline.scenes) + len(
        timeline.elements
    )
    ET.fromstring(timeline.to_svg())
    assert str(timeline) and timeline.gantt()


def test_the_table_lists_ten_dependencies_and_counts_the_rest() -> None:
    clips = [{"type": "video", "src": f"https://x/v{i:02}.mp4"} for i in range(30)]
    timeline = Timeline.from_dict({"scenes": [{"elements": clips}]})
    assert len(timeline.depends_on) == 30
    last = str(timeline).splitlines()[-1]
    assert last.count("natural length of the file") == 10
    assert last.endswith("; and 20 more (timeline.depends_on lists them)")
