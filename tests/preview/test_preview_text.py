"""Text in the draft: CSS colours, font sizes and weights read at their edges, line wrapping.

The values come straight from a user's ``settings(...)``: any of them gives an ffmpeg colour
or a usable size (never a crash), and a bad one drawn for real still renders a frame.
"""

from __future__ import annotations

import math
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.preview import FPS, H, W, busy, png_rgb

from moviekit import Movie, Scene, Text, preview
from moviekit.preview._text import (
    BOLD,
    REGULAR,
    color,
    font_size,
    is_bold,
    text_width,
    wrap,
)

FFMPEG_COLOUR = r"0x[0-9A-F]{6}(@[01]\.\d{3})?"


@pytest.mark.parametrize(
    ("css", "ffmpeg"),
    [
        ("transparent", "0x000000@0"),
        (" Red ", "0xFF0000"),
        ("grey", "0x808080"),
        ("#abc", "0xAABBCC"),
        ("#abcd", "0xAABBCC@0.867"),  # #rgba: the fourth digit is the alpha, doubled
        ("#A0B1C2", "0xA0B1C2"),
        ("#a0b1c2ff", "0xA0B1C2@1.000"),
        ("#a0b1c200", "0xA0B1C2@0.000"),
        ("rgb(255, 0, 128)", "0xFF0080"),
        ("rgb(0,0,0)", "0x000000"),
        ("rgba(255, 0, 128, 0.5)", "0xFF0080@0.500"),
        ("rgba(255, 0, 128, 50%)", "0xFF0080@0.500"),
        ("rgba(1, 2, 3, 0)", "0x010203@0.000"),
        ("rgb(256, 300.7, 999)", "0xFFFFFF"),  # channels clamp at 255
        ("rgb(254.9, .5, 1.)", "0xFE0001"),  # fractions are cut, not rounded
        ("rgba(0, 0, 0, 2)", "0x000000@1.000"),  # alpha clamps at 1
        ("rgba(0, 0, 0, 150%)", "0x000000@1.000"),
    ],
)
def test_css_colours_become_ffmpeg_colours(css: str, ffmpeg: str) -> None:
    assert color(css) == ffmpeg


@pytest.mark.parametrize(
    "css",
    [
        "",
        "#",
        "#ab",
        "#abcde",
        "#abcdefg",
        "#gggggg",
        "#abcdef123",
        "rgb(1, 2)",
        "rgb(1,2,3,4,5)",
        "rgb(1.2.3, 0, 0)",
        "rgb(., 0, 0)",
        "rgba(1, 2, 3, ..%)",
        "rgb(-1, 0, 0)",
        "hsl(0, 0%, 0%)",
        "reddish",
        pytest.param("rgb(" + "9" * 400 + ", 0, 0)x", id="rgb(9*400...)x"),
    ],
)
def test_unreadable_colours_fall_back_to_the_default(css: str) -> None:
    assert color(css) == "0xFFFFFF"
    assert color(css, "0x000000") == "0x000000"


@pytest.mark.parametrize("value", [None, 0xFF0000, 1.0, ["red"], {"r": 1}, True])
def test_a_colour_that_is_not_text_is_the_default(value: object) -> None:
    assert color(value, "0x123456") == "0x123456"


def test_an_overlong_channel_clamps_instead_of_overflowing() -> None:
    assert color("rgb(" + "9" * 400 + ", 0, 0)") == "0xFF0000"


@pytest.mark.parametrize(
    ("css", "pixels"),
    [
        (48, 48.0),
        (0.5, 0.5),
        ("48px", 48.0),
        ("48", 48.0),
        (" 48 PX ", 48.0),
        (".5em", 8.0),
        ("2em", 32.0),
        ("2rem", 32.0),
        ("36pt", 48.0),
        ("150%", 24.0),
        ("5vw", 16.0),  # of a 320 x 180 frame
        ("10vh", 18.0),
        ("10vmin", 18.0),
        ("10vmax", 32.0),
    ],
)
def test_font_sizes_in_pixels(css: object, pixels: float) -> None:
    assert font_size(css, 320, 180, 10.0) == pytest.approx(pixels)


@pytest.mark.parametrize(
    "css",
    [
        0,
        -3,
        0.0,
        math.inf,
        -math.inf,
        math.nan,
        pytest.param(10**400, id="10**400"),
        True,
        False,
        None,
        [48],
        "",
        "0px",
        "0",
        "-5px",
        "1.2.3px",
        ".",
        "..px",
        "48 px px",
        "48cm",
        "px",
        "1e3px",
        pytest.param("9" * 400, id="9*400"),
        "nan",
        "inf",
    ],
)
def test_an_unusable_font_size_is_the_default(css: object) -> None:
    assert font_size(css, 320, 180, 10.0) == 10.0


@pytest.mark.parametrize(
    ("weight", "bold"),
    [
        ("bold", True),
        (" BOLDER ", True),
        ("600", True),
        ("599.9", False),
        (600, True),
        (700.0, True),
        (599, False),
        ("normal", False),
        ("lighter", False),
        ("", False),
        (True, False),
        (None, False),
        ([700], False),
    ],
)
def test_bold_from_600_up(weight: object, bold: bool) -> None:
    assert is_bold(weight) is bold


def test_the_bundled_faces_exist() -> None:
    assert REGULAR.is_file() and BOLD.is_file() and REGULAR != BOLD


def test_text_width_grows_with_length_size_and_weight() -> None:
    assert text_width("", 40, False) == 0
    assert text_width("abcd", 10, False) == pytest.approx(4 * 10 * 0.56)
    assert text_width("abcd", 10, True) == pytest.approx(4 * 10 * 0.62)


def test_wrap_breaks_at_the_box_width() -> None:
    # 10 px at 0.56 per character: 56 px hold 10 characters, 55.9 only 9
    assert wrap("aaaa bbbbb", 10, False, 56.01) == ["aaaa bbbbb"]
    assert wrap("aaaa bbbbb", 10, False, 55.9) == ["aaaa", "bbbbb"]
    assert wrap("one two three", 10, False, 5.6 * 7 + 0.01) == ["one two", "three"]


def test_wrap_keeps_explicit_lines_and_empty_ones() -> None:
    assert wrap("a\n\nb", 10, False, 1000) == ["a", "", "b"]
    assert wrap("", 10, False, 1000) == [""]
    assert wrap("   ", 10, False, 1000) == [""]


def test_wrap_hard_breaks_a_word_longer_than_the_box() -> None:
    four = 5.6 * 4 + 0.01
    assert wrap("ab abcdefghij", 10, False, four) == ["ab", "abcd", "efgh", "ij"]
    assert wrap("abcdefgh", 10, False, four) == ["abcd", "efgh"]
    assert wrap("abcdefgh", 10, True, four) == ["abc", "def", "gh"]  # bold is wider


def test_wrap_fits_at_least_one_character_per_line() -> None:
    assert wrap("abc", 10, False, 0) == ["a", "b", "c"]
    assert wrap("abc", 10, False, -50) == ["a", "b", "c"]


css_text = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\s*[\d.]{0,12}\s*(px|vw|vh|vmin|vmax|em|rem|pt|%)?\s*", fullmatch=True),
    st.from_regex(r"rgba?\([\d.,% -]{0,40}\)", fullmatch=True),
    st.from_regex(r"#[0-9a-fA-Fg]{0,9}", fullmatch=True),
)
any_value = st.one_of(css_text, st.integers(), st.floats(), st.none(), st.booleans())


@settings(max_examples=300, deadline=None)
@given(value=any_value)
def test_any_value_is_an_ffmpeg_colour_or_a_usable_size(value: object) -> None:
    assert re.fullmatch(FFMPEG_COLOUR + "|0x000000@0", color(value))
    size = font_size(value, W, H, 7.0)
    assert 0 < size < math.inf
    assert isinstance(is_bold(value), bool)


def test_a_long_value_is_read_in_linear_time() -> None:
    start = time.perf_counter()
    for value in ("rgb(" + "1." * 20_000 + ")", "9." * 20_000 + "px", "#" + "a" * 40_000):
        color(value)
        font_size(value, W, H, 7.0)
    assert time.perf_counter() - start < 5.0


def test_bad_css_in_a_real_draft_draws_the_text_at_the_default_size(tmp_path: Path) -> None:
    """The renderer used to stop with a bare ValueError on ``font-size: 1.2.3px``."""
    movie = Movie(resolution="custom", width=W, height=H, fps=FPS).add(
        Scene(background_color="#000000", duration=1).add(
            Text("HELLO").settings(**{"font-size": "1.2.3px", "font-color": "rgb(1.2.3, 0, 0)"})
        )
    )
    frame = png_rgb(preview.frame(movie, 0.5, cache_dir=tmp_path / "cache"))
    assert busy(frame, (0, 0, W, H), (0, 0, 0)) > 50  # the text is drawn (white, the default)
