"""Voice-over captions offline: estimated without lengths, exact with them, later scenes moved."""

from __future__ import annotations

import pytest

from moviekit import BuildError, Image, Movie, Scene, Subtitles, Voice, voice_captions

SAID = "Two rooms, two minutes from the sea. A balcony facing west, for the long summer evenings."
movie = Movie(resolution="hd").add(
    Scene().add(Image("https://cdn.example.com/flat.jpg"), Voice(SAID).id("tour")),
    Scene().add(Voice("Call us today.").duration(2)),
)


def test_without_lengths_voices_are_estimated_and_what_follows_moves_with_them() -> None:
    track = voice_captions(movie)
    assert track.estimated and all(cue.estimated for cue in track)
    seconds = 16 * 60 / 150  # 16 words at 150 words a minute
    assert track[0].start == 0 and track[1].end == pytest.approx(seconds)
    assert track[2].start == pytest.approx(seconds) and track[2].text == "Call us today."
    assert track[2].duration == pytest.approx(2.0)


def test_with_a_measured_length_the_cues_are_exact() -> None:
    track = voice_captions(movie, {"tour": 6.0})
    assert not track.estimated
    assert [(round(c.start, 3), round(c.end, 3), c.text) for c in track] == [
        (
            0.0,
            5.386,
            "Two rooms, two minutes from the sea. A\nbalcony facing west, for the long summer",
        ),
        (5.386, 6.0, "evenings."),
        (6.0, 8.0, "Call us today."),
    ]
    assert all(len(line) <= 42 for cue in track for line in cue.lines)


def test_the_cues_caption_the_movie_and_json_works_too() -> None:
    track = voice_captions(movie.to_dict(), {"tour": 6.0}, max_chars=20, max_lines=1)
    assert all(len(cue.lines) == 1 and len(cue.text) <= 20 for cue in track)
    captioned = movie.add(Subtitles(track.to_srt()))
    assert captioned.to_dict()["elements"][0]["captions"].startswith("1\n00:00:00,000 --> ")
    with pytest.raises(BuildError, match="words_per_minute must be > 0"):
        voice_captions(movie, words_per_minute=0)
