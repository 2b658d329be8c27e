"""Subtitle files as typed cues: ASS and SRT in, edits, SRT and ASS out, captions in a movie."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.scaling import assert_linear

from moviekit import BuildError, SubtitleCue, SubtitleTrack, with_captions

ASS = r"""[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize
Style: Default,Arial,48

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:01.50,0:00:03.00,Default,,0,0,0,,{\k40}Hello, {\k60}Jason {\c&H00FFFF&}world
Dialogue: 0,0:00:00.00,0:00:01.20,Default,,0,0,0,,First\Nline, two
Comment: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,not shown
Dialogue: 0,9:99:xx,0:00:02.00,Default,,0,0,0,,a broken time is skipped
"""

SRT = """1
00:00:01,000 --> 00:00:02,500
Hello <i>there</i>

2
00:00:03,000 --> 00:00:04,000
Two
lines
"""


def test_an_ass_file_reads_as_cues_in_time_order_without_styling() -> None:
    track = SubtitleTrack.parse(ASS)
    assert [(c.start, c.end, c.text) for c in track] == [
        (0.0, 1.2, "First\nline, two"),
        (1.5, 3.0, "Hello, Jason world"),
    ]
    assert repr(track) == "SubtitleTrack(cues=2, ends at 3.00 s)"


def test_srt_and_webvtt_read_alike() -> None:
    track = SubtitleTrack.parse("\ufeff" + SRT)
    assert [(c.start, c.text) for c in track] == [(1.0, "Hello there"), (3.0, "Two\nlines")]
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello there\n"
    assert SubtitleTrack.parse(vtt)[0] == SubtitleCue(1.0, 2.5, "Hello there")


def test_replace_words_whole_or_anywhere() -> None:
    track = SubtitleTrack.parse(ASS).replace({"Jason": "JSON", "Hello": "Hi"})
    assert track[1].text == "Hi, JSON world"
    loose = SubtitleTrack((SubtitleCue(0, 1, "catalog cat Cat"),))
    assert loose.replace({"cat": "dog"})[0].text == "catalog dog Cat"
    assert loose.replace({"cat": "dog"}, ignore_case=True)[0].text == "catalog dog dog"
    assert loose.replace({"cat": "dog"}, whole_words=False)[0].text == "dogalog dog Cat"


def test_rebreak_keeps_words_whole_and_splits_long_cues_in_time() -> None:
    cue = SubtitleCue(10.0, 14.0, "one two three four five six seven eight")
    track = SubtitleTrack((cue,)).rebreak(max_chars=10, max_lines=2)
    assert [c.text for c in track] == ["one two\nthree four", "five six\nseven", "eight"]
    assert track[0].start == 10.0 and track[-1].end == 14.0
    assert all(a.end == pytest.approx(b.start) for a, b in zip(track, track[1:], strict=False))
    assert all(len(line) <= 10 for c in track for line in c.lines)
    with pytest.raises(BuildError, match="max_chars >= 1"):
        track.rebreak(max_chars=0)


def test_srt_and_ass_written_read_back_the_same() -> None:
    track = SubtitleTrack.parse(ASS).shift(0.25)
    assert SubtitleTrack.parse(track.to_srt()) == track
    assert SubtitleTrack.parse(track.to_ass()) == track
    assert track.to_srt().startswith("1\n00:00:00,250 --> 00:00:01,450\nFirst\nline, two\n")
    assert "Dialogue: 0,0:00:00.25,0:00:01.45,Default,,0,0,0,,First\\Nline, two" in track.to_ass()


def test_with_captions_puts_the_track_in_the_movies_subtitles_element() -> None:
    movie = {
        "scenes": [{"elements": [{"type": "voice", "text": "Hello"}]}],
        "elements": [{"type": "subtitles", "language": "en", "settings": {"style": "boxed-word"}},
                     {"type": "audio", "src": "https://x/a.mp3"}],
    }  # fmt: skip
    track = SubtitleTrack.parse(SRT)
    captioned = with_captions(movie, track)
    assert captioned["elements"][0] == {"type": "audio", "src": "https://x/a.mp3"}
    assert captioned["elements"][1] == {
        "type": "subtitles", "settings": {"style": "boxed-word"}, "captions": track.to_srt()
    }  # fmt: skip
    assert movie["elements"][0].get("captions") is None  # type: ignore[index]  # unchanged
    bare = with_captions({"scenes": []}, track, settings={"position": "top-center"})
    assert bare["elements"] == [{"type": "subtitles", "captions": track.to_srt(),
                                 "settings": {"position": "top-center"}}]  # fmt: skip


@pytest.mark.parametrize("text", ["", "no cues here", "[Events]\nFormat: x\n", "1\n00:00 --> 1"])
def test_a_file_without_cues_is_refused_with_what_was_expected(text: str) -> None:
    with pytest.raises(BuildError, match="no subtitle cue found: expected an ASS file"):
        SubtitleTrack.parse(text)


pieces = st.sampled_from(
    ["[Events]\n", "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,", "{\\k", "}",
     "00:00:01,000 --> 00:00:02,000\n", "\n", "\\N", "-->", ",", "Format: Start, End, Text\n",
     "word ", "{", "9:99:99.99"]
) | st.text(max_size=8)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(pieces, max_size=60))
def test_any_text_reads_as_cues_or_a_build_error(parts: list[str]) -> None:
    text = "".join(parts)
    try:
        track = SubtitleTrack.parse(text)
    except BuildError:
        return
    assert all(c.end >= c.start >= 0 and c.text.strip() for c in track)
    again = SubtitleTrack.parse(track.to_srt())
    assert again.text == track.text.replace("-->", "->")


def test_reading_is_linear_in_the_text() -> None:
    line = "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{{{{{ word }\n"
    assert_linear(lambda n: "[Events]\n" + line * n, SubtitleTrack.parse, 2_000)
    unclosed = "[Events]\nDialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,," + "{" * 200_000 + "x"
    start = time.perf_counter()
    SubtitleTrack.parse(unclosed)
    assert time.perf_counter() - start < 1.0
