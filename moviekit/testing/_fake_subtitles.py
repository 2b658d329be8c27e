"""The fake service's subtitle transcripts: the ASS file a finished movie with subtitles has.

The service transcribes a movie's audio and serves the result as an ASS file
(the status's ``ass`` URL). The fake cannot listen, so it "hears" what it
knows: the inline SRT ``captions`` of the movie's ``subtitles`` element when
there are some, else the text of its voice elements, each said at an even
pace over its place on the timeline (unknown lengths as the fake's
``NATURAL_SECONDS``). Lines carry karaoke tags (``{\\k25}``) as word-by-word
styles do. Written here, on purpose, without the client's subtitle code it is
meant to check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from moviekit.timing._timeline import Timeline

__all__ = ["has_subtitles", "transcript"]

_WORDS_PER_LINE = 6
_SRT_TIME = re.compile(r"(\d+):(\d+):(\d+)[,.](\d+)\s*-->\s*(\d+):(\d+):(\d+)[,.](\d+)")


def has_subtitles(movie: Mapping[str, Any]) -> bool:
    """True when the movie asks for subtitles (a movie-level ``subtitles`` element)."""
    elements = movie.get("elements")
    return isinstance(elements, list) and any(
        isinstance(e, dict) and e.get("type") == "subtitles" for e in elements
    )


def transcript(movie: Mapping[str, Any], lengths: Mapping[str, float]) -> str:
    """The ASS file the fake serves for ``movie``."""
    lines = _from_captions(movie) or _from_voices(movie, lengths)
    events = []
    for start, end, words in lines:
        per_word = max(1, round((end - start) * 100 / max(1, len(words))))
        karaoke = " ".join(f"{{\\k{per_word}}}{w}" for w in words)
        events.append(f"Dialogue: 0,{_stamp(start)},{_stamp(end)},Default,,0,0,0,,{karaoke}")
    return (
        "[Script Info]\nTitle: FakeJSON2Video transcript\nScriptType: v4.00+\n\n"
        "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour\n"
        "Style: Default,Arial,48,&H00FFFFFF\n\n"
        "[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        + "\n".join(events)
        + "\n"
    )


def _from_captions(movie: Mapping[str, Any]) -> list[tuple[float, float, list[str]]]:
    for element in movie.get("elements") or []:
        if isinstance(element, dict) and element.get("type") == "subtitles":
            captions = element.get("captions")
            if isinstance(captions, str) and "-->" in captions:
                return _srt(captions)
    return []


def _srt(text: str) -> list[tuple[float, float, list[str]]]:
    out = []
    for block in re.split(r"\n\s*\n", text.replace("\r", "")):
        rows = block.strip().split("\n")
        for i, row in enumerate(rows):
            match = _SRT_TIME.search(row)
            if match:
                g = [int(x) for x in match.groups()]
                start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
                end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
                words = " ".join(rows[i + 1 :]).split()
                if words:
                    out.append((start, end, words))
                break
    return out


def _from_voices(
    movie: Mapping[str, Any], lengths: Mapping[str, float]
) -> list[tuple[float, float, list[str]]]:
    out = []
    for span in Timeline.from_dict(movie, lengths).elements:
        text = span.props.get("text")
        if span.type != "voice" or not isinstance(text, str) or not text.split():
            continue
        words = text.split()
        chunks = [words[i : i + _WORDS_PER_LINE] for i in range(0, len(words), _WORDS_PER_LINE)]
        step = max(span.length, 0.5) / len(chunks)
        for n, chunk in enumerate(chunks):
            start = span.movie_start + n * step
            out.append((start, start + step, chunk))
    return out


def _stamp(seconds: float) -> str:
    centis = round(max(0.0, seconds) * 100)
    h, rest = divmod(centis, 360000)
    m, rest = divmod(rest, 6000)
    s, c = divmod(rest, 100)
    return f"{h}:{m:02d}:{s:02d}.{c:02d}"
