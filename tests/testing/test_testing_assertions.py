"""Assertions: ``assert_valid`` and the timeline assertions, passing and with their messages."""

from __future__ import annotations

import dataclasses

import pytest

from moviekit import CONTAINER_LENGTH, Audio, Image, Movie, Scene, Text, Video, Voice
from moviekit.testing import (
    assert_not_on_screen,
    assert_on_screen,
    assert_scene_count,
    assert_scene_length,
    assert_total_between,
    assert_valid,
)

SHOES = Image("https://cdn.shop.example/shoes.jpg")
TITLE = Text("Spring sale")
CLIP = Video("https://cdn.shop.example/run.mp4").duration(6)
SHIPPING = Text("Free shipping")
NARRATION = Voice("Everything must go, this week only").id("narration")
BUY = Text("Buy now").after(NARRATION, 0.5).duration(2)
MUSIC = Audio("https://cdn.shop.example/bed.mp3").duration(CONTAINER_LENGTH)

#: scenes: 4 s, 6 s, then the narration (unknown offline) + 0.5 s + 2 s; music over all
MOVIE = (
    Movie(resolution="hd")
    .add(
        Scene(duration=4).add(SHOES, TITLE),
        Scene(duration=6).add(CLIP, SHIPPING),
        Scene().add(NARRATION, BUY),
    )
    .add(MUSIC)
)
KNOWN = {"narration": 3.0}  # scene 2 then lasts 3 + 0.5 + 2 = 5.5 s; the movie 15.5 s


def failure(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(AssertionError) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(info.value)


# =========================================================================== assert_valid


def test_assert_valid_passes_and_returns_the_report() -> None:
    report = assert_valid(Movie(resolution="hd").add(Scene().add(Text("Hi").duration(2))))
    assert report.ok and not report.warnings


def test_assert_valid_failure_is_the_whole_report() -> None:
    video = Video("https://x.example/still.jpg")  # an image where a video belongs
    movie = Movie(resolution="hd").add(Scene().add(video))
    message = failure(assert_valid, movie)
    assert message.startswith("the movie has validation errors:\n1 error(s), 0 warning(s) in movie")
    assert "scenes[0].elements[0].src" in message
    assert "[src-kind]" in message


def test_assert_valid_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    movie = Movie(resolution="hd").add(Scene().add(Text("Hi").duration(2).set("sparkle", True)))
    report = assert_valid(movie)  # a warning alone passes...
    assert report.ok and report.warnings
    out = capsys.readouterr().out
    assert "valid, with warnings" in out and "scenes[0].elements[0].sparkle" in out
    message = failure(assert_valid, movie, warnings=True)  # ...unless asked to fail
    assert message.startswith("the movie has validation warnings (warnings=True):")
    assert "sparkle" in message


def test_assert_valid_accepts_a_dict() -> None:
    assert_valid(
        {
            "resolution": "hd",
            "scenes": [{"duration": 2, "elements": [{"type": "text", "text": "a"}]}],
        }
    )
    too_wide = {"resolution": "custom", "width": 8000, "height": 100, "scenes": []}
    assert "width" in failure(assert_valid, too_wide)


# =========================================================================== scenes


def test_scene_count() -> None:
    assert_scene_count(MOVIE, 3)
    message = failure(assert_scene_count, MOVIE, 2)
    first, *table = message.splitlines()
    assert first == "the movie has 3 scenes, expected 2"
    # The relevant part of the timeline: the scenes, not every element.
    assert [line.split()[0] for line in table[2:5]] == ["scenes[0]", "scenes[1]", "scenes[2]"]
    assert "Spring sale" not in message


def test_scene_length_passes_with_known_lengths_and_negative_index() -> None:
    assert_scene_length(MOVIE, 0, 4)
    assert_scene_length(MOVIE, 1, 6.0)
    assert_scene_length(MOVIE, -1, 5.5, lengths=KNOWN)
    assert_scene_length(MOVIE, 2, 5.5004, tolerance=0.001, lengths=KNOWN)


def test_scene_length_failure_shows_that_scene_and_its_elements() -> None:
    message = failure(assert_scene_length, MOVIE, 1, 5)
    lines = message.splitlines()
    assert lines[0] == "scenes[1] lasts 6 s, expected 5 s (± 0.001)"
    assert "path" in lines[1] and "length" in lines[1]  # the timeline table's header
    body = "\n".join(lines[3:])
    assert "scenes[1]" in body and "Free shipping" in body and "run.mp4" in body
    assert "scenes[0]" not in body and "Spring sale" not in body  # other scenes left out
    assert "total: ≥ 12.5 s" in message


def test_scene_length_with_an_unknown_length_says_what_is_unknown() -> None:
    message = failure(assert_scene_length, MOVIE, 2, 5.5)
    assert message.splitlines()[0] == (
        "scenes[2] lasts at least 2.5 s, expected 5.5 s: its length is unknown offline: "
        "scenes[2].elements[0] (voice): natural length of the spoken text; give the natural "
        "lengths with movie.timeline(lengths={src or id: seconds}) (lengths= here) or "
        "element.length_hint(seconds)"
    )
    assert "Buy now" in message


def test_scene_length_of_a_missing_scene() -> None:
    assert failure(assert_scene_length, MOVIE, 3, 1).startswith(
        "there is no scene 3: the movie has 3 scene(s)"
    )


# =========================================================================== on screen


def test_on_screen_by_builder_class_type_and_path() -> None:
    assert_on_screen(MOVIE, 1.0, TITLE, SHOES, MUSIC)
    assert_on_screen(MOVIE, 1.0, Text("Spring sale"))  # an equal builder is the same value
    assert_on_screen(MOVIE, 5.0, Video, "text", "scenes[1].elements[1]")
    assert_on_screen(MOVIE, 5.0)  # something plays
    assert_on_screen(MOVIE, 14.0, BUY, lengths=KNOWN)  # 10 + 3 + 0.5 = 13.5 to 15.5


def test_on_screen_failure_says_what_is_there_and_when_the_element_plays() -> None:
    message = failure(assert_on_screen, MOVIE, 5.0, TITLE)
    lines = message.splitlines()
    assert lines[0] == "at 5 s, not on screen: Text(text='Spring sale')"
    assert lines[1].startswith("on screen then: scenes[1] (scene, 4–10 s), ")
    assert "scenes[1].elements[0] (run.mp4, 4–10 s)" in lines[1]
    assert "Text(text='Spring sale') plays at scenes[0].elements[1] (Spring sale, 0–4 s)" in message
    # The excerpt: scene 1 (where t is) and the row of the element asked about.
    assert "Free shipping" in message and "Spring sale" in "\n".join(lines[3:])


def test_on_screen_with_an_unknown_end_is_not_guessed() -> None:
    # Without the narration's length the Text's start is only a lower bound (10.5 s).
    message = failure(assert_on_screen, MOVIE, 14.0, BUY)
    assert "at 14 s, not on screen: Text(text='Buy now'" in message
    assert "natural length of the spoken text" in message


def test_not_on_screen() -> None:
    assert_not_on_screen(MOVIE, 5.0, TITLE, Image)
    message = failure(assert_not_on_screen, MOVIE, 5.0, CLIP, TITLE)
    assert message.splitlines()[0] == "at 5 s, on screen: scenes[1].elements[0] (run.mp4, 4–10 s)"
    # The narration may still be speaking at 11 s: its end is unknown, so that fails too.
    maybe = failure(assert_not_on_screen, MOVIE, 11.0, Voice)
    assert maybe.startswith("may still be playing at 11 s: scenes[2].elements[0]")
    assert_not_on_screen(MOVIE, 11.0, Voice, lengths={"narration": 0.5})


def test_on_screen_rejects_what_it_cannot_match() -> None:
    with pytest.raises(TypeError, match="an element builder, an element class"):
        assert_on_screen(MOVIE, 1.0, "Spring sale")
    with pytest.raises(TypeError, match="at least one"):
        assert_not_on_screen(MOVIE, 1.0)


# =========================================================================== total


def test_total_between_exact() -> None:
    assert_total_between(MOVIE, 15, 16, lengths=KNOWN)
    assert_total_between(MOVIE, 15.5, 15.5, lengths=KNOWN)
    message = failure(assert_total_between, MOVIE, 10, 15, lengths=KNOWN)
    assert message.splitlines()[0] == "the movie lasts 15.5 s, expected 10 s to 15 s"
    assert "total: 15.5 s" in message and "scenes[2]" in message
    assert failure(assert_total_between, MOVIE, 20, 30, lengths=KNOWN).startswith(
        "the movie lasts 15.5 s, expected 20 s to 30 s"
    )


def test_total_between_with_a_lower_bound() -> None:
    # At least 12.5 s, no upper bound: a maximum cannot be proven...
    message = failure(assert_total_between, MOVIE, 10, 60)
    assert message.splitlines()[0].startswith(
        "the movie lasts at least 12.5 s (no upper bound), expected 10 s to 60 s; its length is "
        "unknown offline: scenes[2].elements[0] (voice): natural length of the spoken text"
    )
    assert "depends on: scenes[2].elements[0] (voice)" in message
    # ...but a minimum above the upper bound... there is none; a lower bound above the
    # maximum is a plain failure.
    assert failure(assert_total_between, MOVIE, 1, 5).startswith(
        "the movie lasts at least 12.5 s, expected 1 s to 5 s"
    )


def test_total_between_with_a_finite_upper_bound() -> None:
    timeline = MOVIE.timeline()
    bounded = dataclasses.replace(timeline, max_total=14.0)  # known to end by 14 s
    assert_total_between(bounded, 12, 14)
    assert failure(assert_total_between, bounded, 13, 14).startswith(
        "the movie lasts at least 12.5 s (at most 14 s), expected 13 s to 14 s"
    )
    assert failure(assert_total_between, bounded, 15, 20).startswith(
        "the movie lasts at least 12.5 s, expected 15 s to 20 s (at most 14 s)"
    )
    with pytest.raises(ValueError, match="already computed"):
        assert_total_between(timeline, 1, 100, lengths=KNOWN)
    with pytest.raises(ValueError, match="above maximum"):
        assert_total_between(timeline, 10, 1)


def test_assertions_accept_a_dict_and_a_timeline() -> None:
    doc = (
        Movie(resolution="hd")
        .add(Scene(duration=2).add(Text("a")), Scene(duration=3).add(Text("b")))
        .to_dict()
    )
    assert_scene_count(doc, 2)
    assert_total_between(doc, 5, 5)
    assert_on_screen(doc, 2.5, Text("b"))
    assert_scene_length(Movie.from_dict(doc).timeline(), 1, 3)


def test_a_long_excerpt_is_cut_but_keeps_its_footer() -> None:
    movie = Movie(resolution="hd").add(*[Scene(duration=1).add(Text(f"#{i}")) for i in range(60)])
    message = failure(assert_scene_count, movie, 59)
    lines = message.splitlines()
    assert lines[0] == "the movie has 60 scenes, expected 59"
    assert len(lines) == 1 + 30 and "  ..." in lines
    assert lines[-1] == "total: 60 s; cost: 60 credits (60 s x 1/s)"
