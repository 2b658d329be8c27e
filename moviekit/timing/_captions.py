"""Subtitle cues for a movie's voice-overs, offline: their text, timed by the timeline.

Each ``voice`` element says its ``text`` from where the timeline starts it.
A voice whose length is known (an explicit ``duration``, or a length given
with ``lengths=``, e.g. measured from the rendered audio) shares that time
exactly among its cues. A voice whose natural length only the service knows
is given the time its words take at ``words_per_minute``, and the timeline
is worked out again with those lengths, so what follows it moves too; every
cue whose times rest on such an estimate (or on any length unknown offline)
is marked ``estimated``. The text is broken into cues of at most
``max_lines`` lines of ``max_chars`` characters, each on screen for its share
of the characters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from moviekit._errors import BuildError
from moviekit.service._subtitles import SubtitleCue, SubtitleTrack
from moviekit.timing._spans import Span
from moviekit.timing._timeline import Timeline

__all__ = ["SPEECH_WORDS_PER_MINUTE", "speech_seconds", "voice_captions"]

#: A typical narration pace (voice services speak about 140 to 160 words a minute).
SPEECH_WORDS_PER_MINUTE = 150.0


class _Timed(Protocol):
    """A movie builder: what ``voice_captions`` needs of it."""

    def timeline(self, lengths: Mapping[str, float] | None = None) -> Timeline: ...


def speech_seconds(text: str, words_per_minute: float = SPEECH_WORDS_PER_MINUTE) -> float:
    """About how long ``text`` takes to say, in seconds."""
    return len(text.split()) * 60.0 / words_per_minute


def voice_captions(
    movie: _Timed | Mapping[str, Any],
    lengths: Mapping[str, float] | None = None,
    *,
    max_chars: int = 42,
    max_lines: int = 2,
    words_per_minute: float = SPEECH_WORDS_PER_MINUTE,
) -> SubtitleTrack:
    """SRT/ASS-ready cues for every voice-over of ``movie`` (a :class:`~moviekit.Movie` or JSON).

    ``lengths`` (by id, src, text or path, as for ``movie.timeline``) makes
    voices exact; without them their cues are estimated (``track.estimated``).
    Write them with ``track.to_srt()`` / ``to_ass()``, or caption the movie with
    ``Subtitles(track.to_srt())``.
    """
    if not words_per_minute > 0:
        raise BuildError(f"words_per_minute must be > 0, got {words_per_minute!r}")
    given = dict(lengths or {})

    def timeline(extra: Mapping[str, float]) -> Timeline:
        merged = {**given, **extra}
        if isinstance(movie, Mapping):
            return Timeline.from_dict(movie, merged)
        return movie.timeline(merged)

    first = timeline({})
    known = {span.path: span.exact and span.start_exact for span in first.elements}
    guesses = {
        span.path: max(span.length, speech_seconds(_said(span), words_per_minute))
        for span in first.elements
        if _said(span) and _own_length_unknown(span)
    }
    final = timeline(guesses) if guesses else first
    cues = [
        SubtitleCue(
            span.movie_start,
            span.movie_start + span.length,
            _said(span),
            not known.get(span.path, False),
        )  # fmt: skip
        for span in final.elements
        if _said(span)
    ]
    cues.sort(key=lambda c: (c.start, c.end))
    return SubtitleTrack(tuple(cues)).rebreak(max_chars, max_lines)


def _said(span: Span) -> str:
    """What a shown voice element says, in one line ("" for anything else)."""
    text = span.props.get("text")
    if span.type != "voice" or span.hidden or not isinstance(text, str):
        return ""
    return " ".join(text.split())


def _own_length_unknown(span: Span) -> bool:
    """The element's own natural length is unknown (not only where it starts)."""
    return any(d.startswith(f"{span.path} ") for d in span.depends_on)
