"""What a user sees when they print timing objects in a REPL or a notebook (found by the
mutation run: these reprs could have said anything)."""

from __future__ import annotations

from moviekit import Movie, Scene, Text, Voice


def test_a_time_expression_names_the_builder_and_the_field() -> None:
    a = Text("a").duration(2)
    assert repr(a.time.end + 1) == "TimeExpr(Text.end + 1)"
    assert repr(1 + a.time.start) == "TimeExpr(1 + Text.start)"
    assert str(a.time.duration * 2) == "TimeExpr(Text.duration * 2)"


def test_an_exact_timeline() -> None:
    timeline = Movie().add(Scene().add(Text("a").duration(2))).timeline()
    assert repr(timeline) == "Timeline(total='2 s', scenes=1, elements=1)"
    assert timeline._repr_html_().endswith("<p>total: 2 s; cost: 2 credits (2 s x 1/s)</p></div>")


def test_a_timeline_with_a_lower_bound() -> None:
    timeline = Movie().add(Scene().add(Voice("hello"))).timeline()
    assert repr(timeline) == "Timeline(total='≥ 0 s', scenes=1, elements=1)"
    assert "<p>total: ≥ 0 s; cost: at least 0 credits" in timeline._repr_html_()


def test_a_bad_length_hint_names_the_value() -> None:
    import pytest

    from moviekit import BuildError, Video

    with pytest.raises(
        BuildError,
        match=r"^a length hint is a number of seconds from 0 to .*, "
        r"got -3$",
    ):
        Video("https://example.com/a.mp4").length_hint(-3)
