"""The timing engine (timing/_engine.py): reference §5 rules, unknowns, transitions, lints."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moviekit import (
    CONTAINER_END,
    CONTAINER_LENGTH,
    Audio,
    Image,
    Movie,
    Scene,
    Text,
    Video,
    Voice,
    validate,
)
from moviekit.timing._engine import resolve_document, xfade_overlap
from moviekit.timing._interval import INF, Iv
from moviekit.validation._timing_lints import timing_problems

V = "https://example.com/clip.mp4"
A = "https://example.com/music.mp3"
IMG = "https://example.com/a.png"

TIMING_CODES = {
    "starts-after-scene-end",
    "trimmed-by-scene",
    "zero-length-movie",
    "movie-too-short",
}


def codes(report: Any) -> set[str]:
    return {p.code for p in report.problems}


# --------------------------------------------------------------------------- reference §5.3

# (name, movie, lengths, scene length, movie total, {element index: (start, end)})
WORKED = [
    (
        "video 10 s, scene unset",
        Movie().add(Scene().add(Video(V).duration(10))),
        {},
        10,
        10,
        {0: (0, 10)},
    ),
    (
        "same, scene duration 5: video cut at 5",
        Movie().add(Scene(duration=5).add(Video(V).duration(10))),
        {},
        5,
        5,
        {0: (0, 5)},
    ),
    (
        "video 10 s + audio 20 s (explicit)",
        Movie().add(Scene().add(Video(V).duration(10), Audio(A).duration(20))),
        {},
        20,
        20,
        {0: (0, 10), 1: (0, 20)},
    ),
    (
        "video 10 s + audio 20 s (natural lengths)",
        Movie().add(Scene().add(Video(V), Audio(A))),
        {V: 10, A: 20},
        20,
        20,
        {0: (0, 10), 1: (0, 20)},
    ),
    (
        "video 10 s + audio -2: audio trimmed to 10",
        Movie().add(Scene().add(Video(V).duration(10), Audio(A).duration(CONTAINER_LENGTH))),
        {},
        10,
        10,
        {1: (0, 10)},
    ),
    (
        "scene 30 + video loop -1, -2: loops for 30",
        Movie().add(Scene(duration=30).add(Video(V).loop(-1).duration(CONTAINER_LENGTH))),
        {},
        30,
        30,
        {0: (0, 30)},
    ),
    (
        "video loop -1, -2 + audio natural: scene as long as the audio",
        Movie().add(Scene().add(Video(V).loop(-1).duration(CONTAINER_LENGTH), Audio(A))),
        {A: 42},
        42,
        42,
        {0: (0, 42), 1: (0, 42)},
    ),
]


@pytest.mark.parametrize(
    ("name", "movie", "lengths", "scene", "total", "spans"), WORKED, ids=[w[0] for w in WORKED]
)
def test_reference_worked_examples(
    name: str,
    movie: Movie,
    lengths: dict[str, float],
    scene: float,
    total: float,
    spans: dict[int, tuple[float, float]],
) -> None:
    timeline = movie.timeline(lengths)
    assert timeline.exact
    assert timeline.scenes[0].length == scene
    assert timeline.total == total
    for index, (start, end) in spans.items():
        span = timeline.elements[index]
        assert (span.start, span.end) == (start, end), span


def test_worked_example_without_the_audio_length_is_a_lower_bound() -> None:
    movie = Movie().add(Scene().add(Video(V).loop(-1).duration(CONTAINER_LENGTH), Audio(A)))
    timeline = movie.timeline()
    assert not timeline.exact
    assert timeline.total == 0
    assert any("scenes[0].elements[1] (audio)" in d for d in timeline.depends_on)


# --------------------------------------------------------------------------- rules


def test_unknown_lengths_give_lower_bounds_and_what_they_depend_on() -> None:
    movie = Movie().add(Scene().add(Voice("Hello"), Text("Hi").start(4).duration(2)))
    timeline = movie.timeline()
    assert (timeline.total, timeline.exact) == (6, False)
    assert timeline.depends_on == (
        "scenes[0].elements[0] (voice): natural length of the spoken text",
    )
    assert "≥ 6 s" in str(timeline)
    assert movie.timeline({}).total == 6
    # the element's hint and the lengths mapping make it exact
    hinted = Movie().add(Scene().add(Voice("Hello").length_hint(9)))
    assert (hinted.timeline().total, hinted.timeline().exact) == (9, True)
    assert Movie().add(Scene().add(Voice("Hi", id="v"))).timeline({"v": 3}).total == 3


def test_length_hint_is_never_sent() -> None:
    movie = Movie().add(Scene().add(Voice("Hello").length_hint(9)))
    assert movie.to_dict() == {"scenes": [{"elements": [{"type": "voice", "text": "Hello"}]}]}


def test_images_and_texts_without_duration_fit_the_scene() -> None:
    movie = Movie().add(Scene().add(Video(V).duration(8), Image("https://x/a.png"), Text("t")))
    timeline = movie.timeline()
    assert [(e.start, e.end, e.fitted) for e in timeline.elements] == [
        (0, 8, False),
        (0, 8, True),
        (0, 8, True),
    ]


def test_start_at_container_end_and_extra_time() -> None:
    movie = Movie().add(
        Scene().add(
            Video(V).duration(5).extra_time(1), Text("end card").start(CONTAINER_END).duration(2)
        )
    )
    timeline = movie.timeline()
    assert [(e.start, e.end) for e in timeline.elements] == [(0, 6), (6, 8)]
    assert timeline.total == 8


def test_seek_and_loop_use_known_lengths() -> None:
    doc = {
        "scenes": [
            {
                "elements": [
                    {"type": "video", "src": V, "seek": 2, "loop": 2, "duration": 30},
                    {"type": "audio", "src": A, "seek": 4},
                ]
            }
        ]
    }
    timing = resolve_document(doc, {A: 10})
    assert timing.scenes[0].elements[1].duration == Iv.of(6.0)
    assert timing.total == Iv.of(30.0)


def test_movie_level_elements_overlay_and_can_lengthen_the_movie() -> None:
    movie = Movie().add(Scene().add(Video(V).duration(4)), Scene().add(Video(V).duration(6)))
    movie = movie.add(Audio(A).duration(CONTAINER_LENGTH), Text("outro").start(9).duration(3))
    timeline = movie.timeline()
    assert timeline.total == 12
    music, outro = [e for e in timeline.elements if e.scene is None]
    assert (music.movie_start, music.movie_end) == (0, 12)
    assert (outro.movie_start, outro.movie_end) == (9, 12)


def test_element_expressions_in_json_are_evaluated() -> None:
    doc = {
        "scenes": [
            {
                "elements": [
                    {"type": "video", "id": "my_video", "src": V},
                    {
                        "type": "image",
                        "src": "https://x/a.png",
                        "start": "{{my_video_end}}",
                        "duration": 5,
                    },
                ]
            }
        ],
        "variables": {"pause": 1},
    }
    assert resolve_document(doc, {"my_video": 7}).total == Iv.of(12.0)
    doc["scenes"][0]["elements"][1]["start"] = "{{my_video_end + pause * 2}}"
    assert resolve_document(doc, {V: 7}).total == Iv.of(14.0)
    assert not resolve_document(doc).total.exact


def test_templates_are_unknown() -> None:
    timing = resolve_document({"template": "a" * 20})
    assert not timing.total.exact and "template" in next(iter(timing.total.deps))


# --------------------------------------------------------------------------- transitions


def test_transition_overlaps_scenes_and_shortens_the_movie() -> None:
    movie = Movie().add(
        Scene(duration=4),
        Scene(duration=4).transition("fade", 1),
        Scene(duration=4).transition("wipeleft", 0.5),
    )
    timeline = movie.timeline()
    assert timeline.total == 12 - 1.5
    assert [s.movie_start for s in timeline.scenes] == [0, 3, 6.5]
    assert [(t.scene, t.style, t.movie_start, t.movie_end) for t in timeline.transitions] == [
        (1, "fade", 3, 4),
        (2, "wipeleft", 6.5, 7),
    ]


def test_transition_on_first_scene_is_ignored_and_overlap_is_capped() -> None:
    movie = Movie().add(
        Scene(duration=2).transition("fade", 1), Scene(duration=3).transition("fade", 5)
    )
    assert movie.timeline().total == 3  # overlap capped at the shorter scene (2 s)


@pytest.mark.parametrize(
    ("lengths", "into", "total", "overlap"),
    [
        # The middle scene is the shorter one on both sides: either overlap stops at 2 s.
        ((4, 2, 4), 2, 8, 2),  # a 3 s transition into the last scene: 10 - 2, not 10 - 3
        ((4, 2, 4), 1, 8, 2),  # into the short scene itself
        ((5, 4), 1, 6, 3),  # a 3 s transition is kept when both scenes are longer
        ((2, 6), 1, 6, 2),  # capped by the previous scene
        ((6, 2), 1, 6, 2),  # capped by the entered scene
    ],
)
def test_transition_overlap_is_capped_by_both_scenes(
    lengths: tuple[int, ...], into: int, total: float, overlap: float
) -> None:
    """A transition never overlaps more than either scene lasts (the cap is not clamping to 0)."""
    scenes = [Scene(duration=length) for length in lengths]
    scenes[into] = scenes[into].transition("fade", 3)
    timeline = Movie().add(*scenes).timeline()
    assert (timeline.total, timeline.exact) == (total, True)
    assert timeline.scenes[into].overlap == overlap
    assert timeline.scenes[into].movie_start == sum(lengths[:into]) - overlap
    (transition,) = timeline.transitions
    assert (transition.duration, transition.exact) == (overlap, True)


def test_transition_overlap_cap_applies_to_lower_bounds_too() -> None:
    # The short scene's length is only known to be at least 2 s (a voice-over in it):
    # the overlap is then between 2 and 3 s, and the movie at least 4 + 2 + 4 - 3.
    movie = Movie().add(
        Scene(duration=4),
        Scene().add(Voice("hello", id="hello"), Image(IMG).duration(2)),
        Scene(duration=4).transition("fade", 3),
    )
    assert movie.timeline({"hello": 1}).total == 8
    assert movie.timeline({"hello": 2.5}).total == 10.5 - 2.5
    unknown = movie.timeline()
    assert not unknown.exact and unknown.total == 7 and unknown.max_total == INF


def test_a_conditional_element_makes_its_scene_length_a_range() -> None:
    """'2 to 10 s': the service may drop the element, so 10 s is only the upper bound."""
    movie = Movie().add(
        Scene().add(
            Image(IMG).duration(2),
            Video(V).duration(10).condition("{{show_clip}}"),
        )
    )
    timeline = movie.timeline()
    scene = timeline.scenes[0]
    assert (scene.length, scene.exact, scene.max_end) == (2, False, 10)
    assert (timeline.total, timeline.exact, timeline.max_total) == (2, False, 10)
    assert timeline.depends_on == ("scenes[0].elements[1]: condition",)
    clip = timeline.elements[1]
    assert (clip.start, clip.end, clip.exact) == (0, 10, True)  # when it plays, it is known
    assert "total: ≥ 2 s" in str(timeline)
    # Without the condition the same scene is exactly 10 s.
    plain = Movie().add(Scene().add(Image(IMG).duration(2), Video(V).duration(10)))
    assert (plain.timeline().total, plain.timeline().exact) == (10, True)


def test_a_conditional_element_cannot_shorten_a_scene() -> None:
    movie = Movie().add(
        Scene().add(Image(IMG).duration(6), Video(V).duration(4).condition("{{x}}"))
    )
    timeline = movie.timeline()
    assert (timeline.total, timeline.max_total) == (6, 6)


def test_transition_without_duration_is_unknown() -> None:
    overlap = xfade_overlap(Iv.of(4), Iv.of(4), {"style": "fade"}, "scenes[1]")
    assert (overlap.lo, overlap.hi) == (0, 4) and overlap.deps
    movie = Movie().add(Scene(duration=4), Scene(duration=4).transition("fade"))
    timeline = movie.timeline()
    assert not timeline.exact and timeline.total == 4 and timeline.max_total == 8


# --------------------------------------------------------------------------- lints


def test_lint_starts_after_scene_end() -> None:
    movie = Movie().add(Scene(duration=5).add(Video(V).duration(5), Text("late").start(6)))
    report = validate(movie)
    assert {p.code: p.path for p in report.warnings}[
        "starts-after-scene-end"
    ] == "scenes[0].elements[1]"


def test_lint_trimmed_by_scene_and_container_end_start() -> None:
    movie = Movie().add(
        Scene(duration=5).add(Video(V).duration(8), Text("x").start(CONTAINER_END).duration(1))
    )
    report = validate(movie)
    found = {(p.code, p.path) for p in report.warnings}
    assert ("trimmed-by-scene", "scenes[0].elements[0]") in found
    # the start=-1 text starts at 8, after the 5 s scene
    assert ("starts-after-scene-end", "scenes[0].elements[1]") in found


def test_lint_zero_length_movie_is_a_warning() -> None:
    movie = Movie().add(Scene().add(Image("https://x/a.png"), Text("hello")))
    report = validate(movie)
    assert [(p.code, p.severity) for p in report.problems] == [("zero-length-movie", "warning")]
    assert "Movie duration cannot be zero" in report.warnings[0].message
    movie.to_dict()  # a warning never stops compile
    assert validate(Movie().add(Scene(duration=3).add(Image("https://x/a.png")))).ok


def test_lint_leaves_a_movie_without_elements_alone() -> None:
    # The docs disagree: 5 s of black (tutorial) or "Movie duration cannot be zero".
    assert validate({"scenes": [{"elements": []}]}).problems == ()
    # No scenes at all is a warning: the errors page says a zero-length movie fails.
    assert [p.code for p in validate({"scenes": []}).problems] == ["no-scenes"]


def test_lint_loop_needs_duration() -> None:
    report = validate(Movie().add(Scene().add(Video(V).loop(-1))))
    assert [(p.code, p.path) for p in report.warnings] == [
        ("loop-needs-duration", "scenes[0].elements[0].loop")
    ]
    assert (
        validate(
            Movie().add(Scene(duration=9).add(Video(V).loop(-1).duration(CONTAINER_LENGTH)))
        ).problems
        == ()
    )


def test_unknown_lengths_never_trigger_lints() -> None:
    movie = Movie().add(Scene(duration=3).add(Voice("a long text"), Video(V)))
    assert not (codes(validate(movie)) & TIMING_CODES)


# --------------------------------------------------------------------------- the fast path


SRC = {"video": V, "audio": A, "image": "https://x/a.png"}
_durations = st.sampled_from([None, -1, -2, 0.5, 3, 10])


@st.composite
def elements(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(["video", "audio", "image", "text", "voice", "component"]))
    element: dict[str, Any] = {"type": kind}
    if kind in SRC:
        element["src"] = SRC[kind]
    elif kind in ("text", "voice"):
        element["text"] = "hi"
    else:
        element["component"] = "basic/001"
    for key, values in (("start", [None, 0, 1, 4, 12, -1]), ("extra-time", [None, 0, 1.5])):
        value = draw(st.sampled_from(values))
        if value is not None:
            element[key] = value
    duration = draw(_durations)
    if duration is not None and not (kind == "image" and duration == -2):
        element["duration"] = duration
    if kind in ("video", "audio"):
        loop = draw(st.sampled_from([None, 1, 2, -1]))
        if loop is not None:
            element["loop"] = loop
    return element


@st.composite
def documents(draw: Any) -> dict[str, Any]:
    scenes = []
    for i in range(draw(st.integers(0, 3))):
        scene: dict[str, Any] = {"elements": draw(st.lists(elements(), max_size=4))}
        duration = draw(st.sampled_from([None, -1, 2, 5, 11]))
        if duration is not None:
            scene["duration"] = duration
        if i and draw(st.booleans()):
            scene["transition"] = {"style": "fade", "duration": draw(st.sampled_from([0.5, 3]))}
        scenes.append(scene)
    doc: dict[str, Any] = {"scenes": scenes}
    overlay = draw(st.lists(elements(), max_size=2))
    if overlay:
        doc["elements"] = overlay
    return doc


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents())
def test_the_gate_never_hides_a_timing_lint(doc: dict[str, Any]) -> None:
    expected = {(p.code, p.path) for _, p in timing_problems(doc, gated=False)}
    found = {(p.code, p.path) for p in validate(doc).problems if p.code in TIMING_CODES}
    assert found == expected


@settings(max_examples=200, deadline=None)
@given(doc=documents())
def test_timing_problems_are_certain(doc: dict[str, Any]) -> None:
    # Giving every unknown a length never removes a lint: lints use only certain facts.
    before = {(p.code, p.path) for _, p in timing_problems(doc)}
    after = resolve_document(doc, {V: 2.5, A: 7})
    for code, path in before:
        if code == "zero-length-movie":
            assert after.total.hi == 0
        elif code == "movie-too-short":
            assert after.total.exact and 0 < after.total.lo < 1
        else:
            assert path.startswith("scenes[")


# --------------------------------------------------------------------------- properties


@settings(max_examples=150, deadline=None)
@given(
    spans=st.lists(
        st.tuples(
            st.sampled_from([None, 0, 0.5, 2, 7.25]),
            st.sampled_from([0.5, 1, 3, 12.5]),
            st.sampled_from([None, 0, 1]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_unset_scene_duration_is_the_latest_element_end(
    spans: list[tuple[float | None, float, float | None]],
) -> None:
    scene = Scene()
    ends = []
    for start, duration, extra in spans:
        element = Video(V).duration(duration)
        if start is not None:
            element = element.start(start)
        if extra is not None:
            element = element.extra_time(extra)
        ends.append((start or 0) + duration + (extra or 0))
        scene = scene.add(element)
    timeline = Movie().add(scene).timeline()
    assert timeline.exact
    assert timeline.scenes[0].length == pytest.approx(max(ends))
    assert [e.end for e in timeline.elements] == pytest.approx(ends)
