"""Edges of the timing layer the mutation sample found untested (``mutation/run.py --sample``).

Each test pins a boundary or a message a user reads: how an expression is written into the
Movie JSON, the exact limits of lengths and numbers, what ``until()`` and ``sequence()`` do
when an argument is left out, and how the timeline table reads.
"""

from __future__ import annotations

import pytest

from moviekit import CONTAINER_END, BuildError, Movie, Scene, Text, Voice, sequence
from moviekit.timing._engine import resolve_document
from moviekit.timing._expr import Ref, parse, render
from moviekit.timing._interval import Iv
from moviekit.timing._numbers import MAX_SECONDS, as_seconds, short_value


def start_written(place: object) -> object:
    """The ``start`` compiled for a text placed at ``place`` next to a voice of unknown length."""
    voice = Voice("hello")
    text = Text("t").duration(1).start(place(voice.time.end))  # type: ignore[operator]
    doc = Movie().add(Scene().add(voice, text)).to_dict(validate=False)
    return doc["scenes"][0]["elements"][1]["start"]


@pytest.mark.parametrize(
    ("place", "written"),
    [
        (lambda end: 6 / end, "{{6 / voice1_end}}"),
        (lambda end: end * 2, "{{voice1_end * 2}}"),
        (lambda end: end / 4, "{{voice1_end / 4}}"),
        (lambda end: end * 1, "{{voice1_end}}"),
        (lambda end: end / 1, "{{voice1_end}}"),
        (lambda end: end + 0, "{{voice1_end}}"),
        (lambda end: end * 0, "{{voice1_end * 0}}"),
        (lambda end: end - 1, "{{voice1_end - 1}}"),
        (lambda end: end + 1e-7, "{{voice1_end + 0.0000001}}"),
        (lambda end: end + 0.00005, "{{voice1_end + 0.00005}}"),
    ],
    ids=["6/end", "end*2", "end/4", "end*1", "end/1", "end+0", "end*0", "end-1", "1e-7", "5e-05"],
)
def test_an_expression_is_written_as_the_service_reads_it(place: object, written: str) -> None:
    # Only a multiplication or division by exactly 1 (or a sum with 0) may be dropped; numbers
    # are written in plain digits, never in the exponent form the service's parser lacks.
    assert start_written(place) == written


def test_until_without_a_gap_ends_with_its_target() -> None:
    a = Text("a").duration(2)
    b = Text("b").start(0.5).until(a)
    timeline = Movie().add(Scene().add(a, b)).timeline()
    row = timeline.elements[1]
    assert (row.start, row.end) == (0.5, 2.0)


def test_sequence_without_a_start_keeps_the_first_elements_own_start() -> None:
    slides = sequence(Text("a").start(1).duration(2), Text("b").duration(1))
    timeline = Movie().add(Scene().add(*slides)).timeline()
    assert [(e.start, e.end) for e in timeline.elements] == [(1.0, 3.0), (3.0, 4.0)]


def test_placing_against_something_that_is_not_an_element_names_what_was_given() -> None:
    with pytest.raises(BuildError, match=r"\.until\(\) takes the element .* got str$"):
        Text("x").until("voice1")
    with pytest.raises(BuildError, match=r"got int$"):
        sequence(Text("x"), 3)


def test_a_value_no_expression_can_hold_is_named_in_the_error() -> None:
    with pytest.raises(BuildError, match=r"got str 'abc'"):
        Voice("hi").time.end + "abc"  # type: ignore[operator]
    with pytest.raises(BuildError, match=r"^1e\+21 is not a number of seconds moviekit can"):
        Voice("hi").time.end + 1e21


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (CONTAINER_END, r"until\(\) needs a start .* start=CONTAINER_END"),
        ("{{a ? 1 : 2}}", r"its start '\{\{a \? 1 : 2\}\}' cannot be used in a time expression"),
        (10**500, r"its start an integer of about 501 digits cannot be used in a time expression"),
    ],
    ids=["container-end", "conditional", "huge"],
)
def test_until_explains_a_start_it_cannot_build_on(start: object, message: str) -> None:
    voice = Voice("hi").duration(3)
    text = Text("x").start(start).until(voice)
    with pytest.raises(BuildError, match=message) as caught:
        Movie().add(Scene().add(voice, text)).to_dict(validate=False)
    assert caught.value.path == "scenes[0].elements[1].start"


def test_a_zero_length_is_a_length() -> None:
    assert as_seconds(0) == 0.0
    assert as_seconds(MAX_SECONDS) == MAX_SECONDS
    assert as_seconds(-1e-9) is None
    assert as_seconds(MAX_SECONDS * 1.5) is None


def test_integers_are_spelled_out_up_to_200_bits() -> None:
    assert short_value(2**200 - 1).startswith("160693804425")  # the digits, shortened
    assert short_value(2**200) == "an integer of about 61 digits"
    assert short_value(-(2**200)) == "-an integer of about 61 digits"


def test_a_time_at_exactly_the_largest_number_is_not_beyond_it() -> None:
    later = Iv.unknown("the voice") - Iv.of(MAX_SECONDS)  # from -MAX_SECONDS up, unbounded
    assert later.lo == -MAX_SECONDS
    assert "beyond" not in " ".join(later.deps)
    further = Iv.unknown("the voice") - Iv.of(MAX_SECONDS * 0.999 + MAX_SECONDS * 0.002)
    assert any("beyond" in note for note in further.deps)


def test_a_transition_the_service_decides_is_named_in_the_timeline() -> None:
    doc = {
        "scenes": [
            {"elements": [{"type": "text", "text": "a", "duration": 2}]},
            {
                "transition": {"style": "fade", "duration": "{{t ? 1 : 2}}"},
                "elements": [{"type": "text", "text": "b", "duration": 2}],
            },
        ]
    }
    timeline = Movie.from_dict(doc).timeline()
    assert (
        "scenes[1].transition.duration: '{{t ? 1 : 2}}' is decided by the service"
        in timeline.depends_on
    )
    assert (timeline.total, timeline.max_total) == (2.0, 4.0)  # a 0 to 2 s overlap


def test_the_timeline_table_indents_elements_under_their_scene() -> None:
    a = Text("a").duration(2)
    timeline = Movie().add(Scene().add(a, Voice("b"))).timeline()
    rows = [line.split("  ")[0:2] for line in str(timeline).splitlines()[2:5]]
    assert [line.split()[0] for line in str(timeline).splitlines()[2:5]] == [
        "scenes[0]",
        "elements[0]",
        "elements[1]",
    ]
    assert rows[1][0] == "" and rows[1][1] == "elements[0]"  # indented, the last path part
    text_row = str(timeline).splitlines()[3].split()
    assert text_row[3:5] == ["0", "2"]  # an exact start reads as the number alone
    voice_row = str(timeline).splitlines()[4].split()
    assert voice_row[3:5] == ["0", "≥"]  # the voice starts at 0 and ends at "≥ 0"


def test_references_to_the_same_index_are_equal_however_the_index_was_made() -> None:
    first, second = Ref(int("1000"), "end"), Ref(int("1000"), "end")
    assert first == second and hash(first) == hash(second)
    assert Ref(int("1000"), "end") != Ref(int("1001"), "end")


def test_a_scene_the_timing_does_not_hold_has_no_elements() -> None:
    timing = resolve_document({"scenes": [{"elements": [{"type": "text", "text": "a"}]}]})
    assert len(timing.container("scenes[0]")) == 1
    assert timing.container("scenes[5]") == []


def test_min_and_max_without_a_parenthesis_are_plain_names() -> None:
    parsed = parse("min + 1")
    assert parsed is not None and render(parsed) == "min + 1"


def test_an_element_waits_for_every_element_it_refers_to() -> None:
    # c refers to a (before it, resolved first) and to b (after it): c must wait for b too.
    doc = {
        "scenes": [
            {
                "elements": [
                    {"type": "text", "id": "a", "text": "a", "duration": 1},
                    {"type": "text", "text": "c", "duration": 1, "start": "{{a_end + b_end}}"},
                    {"type": "text", "id": "b", "text": "b", "duration": 2},
                ]
            }
        ]
    }
    timeline = Movie.from_dict(doc).timeline()
    assert timeline.exact
    assert [(e.start, e.end) for e in timeline.elements] == [(0, 1), (3, 4), (0, 2)]


def test_a_scenes_variables_time_its_elements() -> None:
    doc = {
        "scenes": [
            {
                "variables": {"d": 3},
                "elements": [{"type": "text", "text": "a", "duration": "{{d}}"}],
            }
        ]
    }
    timeline = Movie.from_dict(doc).timeline()
    assert timeline.exact and timeline.total == 3.0


def test_a_difference_keeps_what_either_side_depends_on() -> None:
    assert set((Iv.of(5) - Iv.unknown("the voice")).deps) == {"the voice"}
    assert set((Iv.unknown("the voice") - Iv.of(5)).deps) == {"the voice"}


@pytest.mark.parametrize(
    ("size", "per_second", "note"),
    [
        ({"width": 2000, "height": 1000}, 4, "above Full HD"),
        ({"width": 1000, "height": 2000}, 4, "above Full HD"),
        ({"width": 1920, "height": 1080}, 1, ""),
        ({}, 1, ""),
    ],
    ids=["wide", "tall", "full-hd", "default"],
)
def test_a_custom_size_sets_the_credits_per_second(
    size: dict[str, int], per_second: int, note: str
) -> None:
    doc = {
        "resolution": "custom",
        **size,
        "scenes": [{"elements": [{"type": "text", "text": "a", "duration": 2}]}],
    }
    credits = Movie.from_dict(doc).timeline().credits
    assert (credits.per_second, credits.amount, credits.note) == (per_second, 2 * per_second, note)


def test_an_elements_own_variables_time_it() -> None:
    element = {"type": "text", "text": "a", "variables": {"d": 3}, "duration": "{{d}}"}
    timeline = Movie.from_dict({"scenes": [{"elements": [element]}]}).timeline()
    assert timeline.exact and timeline.total == 3.0


def test_sequence_with_a_start_moves_the_first_element_there() -> None:
    slides = sequence(Text("a").start(1).duration(2), Text("b").duration(1), start=5)
    timeline = Movie().add(Scene().add(*slides)).timeline()
    assert [(e.start, e.end) for e in timeline.elements] == [(5.0, 7.0), (7.0, 8.0)]


@pytest.mark.parametrize(
    ("size", "note"),
    [
        ({"resolution": "{{r}}"}, "resolution decided by the service"),
        ({"resolution": "custom", "width": "{{w}}", "height": 1080}, "size decided by the service"),
    ],
    ids=["resolution", "width"],
)
def test_a_size_filled_in_at_render_time_makes_the_credits_a_lower_bound(
    size: dict[str, object], note: str
) -> None:
    doc = {**size, "scenes": [{"elements": [{"type": "text", "text": "a", "duration": 2}]}]}
    credits = Movie.from_dict(doc).timeline().credits
    assert not credits.exact and credits.amount == 2  # 1 credit/s assumed; 4 above Full HD
    assert credits.note == f"{note}: 1 credit/s assumed (4 above Full HD)"


@pytest.mark.parametrize("duration", [1, "1", "1.0"], ids=["number", "text", "text-decimal"])
def test_a_transition_length_written_as_text_overlaps_the_scenes_the_same(
    duration: object,
) -> None:
    # Official examples write numbers as text too: two 2 s scenes with a 1 s fade last 3 s.
    doc = {
        "scenes": [
            {"elements": [{"type": "text", "text": "a", "duration": 2}]},
            {
                "transition": {"style": "fade", "duration": duration},
                "elements": [{"type": "text", "text": "b", "duration": 2}],
            },
        ]
    }
    timeline = Movie.from_dict(doc).timeline()
    assert timeline.exact and timeline.total == 3.0
