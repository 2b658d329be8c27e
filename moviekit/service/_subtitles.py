"""Subtitle files as typed cues: read ASS and SRT, edit, write SRT and ASS, put them in a movie.

Layer 1 (the service model): plain text in, plain data out, no I/O.

A finished movie with a ``subtitles`` element has a transcript the service
serves as an ASS file (the status's ``ass`` URL, see
https://json2video.com/docs/v2/api-reference/api-endpoints/movies); the
``subtitles`` element takes an SRT / VTT / ASS file, inline or by URL, as its
``captions`` (https://json2video.com/docs/v2/api-reference/json-syntax/element/subtitles).
So a transcript can go round: :meth:`SubtitleTrack.parse` it, fix words
(:meth:`~SubtitleTrack.replace`), break its lines again
(:meth:`~SubtitleTrack.rebreak`), and render again with :func:`with_captions`.

Reading is lenient and bounded, because the file comes from a service: a
line that is not a cue is skipped, ASS override tags (``{\\k50}``,
``{\\c&H00FFFF&}``) are dropped, ``\\N`` becomes a line break; only a text with
no cue at all is refused (:class:`~moviekit.BuildError`). Every reader is
linear in the text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, overload

from moviekit._errors import BuildError

__all__ = ["SubtitleCue", "SubtitleTrack", "with_captions", "wrap_text"]

#: The most characters a subtitle file may have before it is refused unread (64 MB).
MAX_CHARS = 64 * 1024 * 1024
_ASS_TIME = re.compile(r"^\s*(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?\s*$")
_TIME = r"(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
_SRT_TIMES = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_OVERRIDE = re.compile(r"\{[^{}]*\}")
_SPACES = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class SubtitleCue:
    """One cue: ``text`` (lines joined by ``"\\n"``) on screen from ``start`` to ``end`` seconds.

    ``estimated``: its times come from an estimate of how long a voice speaks
    (the voice's length was not known), not from the timeline.
    """

    start: float
    end: float
    text: str
    estimated: bool = False

    @property
    def lines(self) -> list[str]:
        """The cue's text, line by line."""
        return self.text.split("\n")

    @property
    def duration(self) -> float:
        """Seconds on screen."""
        return self.end - self.start


@dataclass(frozen=True)
class SubtitleTrack(Sequence[SubtitleCue]):
    """Cues in time order: parse a file, edit, write SRT or ASS, put it in a movie."""

    cues: tuple[SubtitleCue, ...] = ()

    # -- sequence ----------------------------------------------------------------------

    @overload
    def __getitem__(self, index: int) -> SubtitleCue: ...

    @overload
    def __getitem__(self, index: slice) -> SubtitleTrack: ...

    def __getitem__(self, index: int | slice) -> SubtitleCue | SubtitleTrack:
        if isinstance(index, slice):
            return SubtitleTrack(self.cues[index])
        return self.cues[index]

    def __len__(self) -> int:
        return len(self.cues)

    def __iter__(self) -> Iterator[SubtitleCue]:
        return iter(self.cues)

    def __repr__(self) -> str:
        end = f", ends at {self.cues[-1].end:.2f} s" if self.cues else ""
        return f"SubtitleTrack(cues={len(self.cues)}{end})"

    @property
    def text(self) -> str:
        """Everything said, one cue a line."""
        return "\n".join(cue.text.replace("\n", " ") for cue in self.cues)

    @property
    def estimated(self) -> bool:
        """True when any cue's times are estimated."""
        return any(cue.estimated for cue in self.cues)

    # -- reading -----------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> SubtitleTrack:
        """An ASS, SRT or WebVTT file's cues (the format is told by its content)."""
        if len(text) > MAX_CHARS:
            raise BuildError(f"a subtitle file of {len(text):,} characters is too large to read")
        text = text.lstrip("\ufeff")
        # An ASS file opens with a [section]; SRT with a number, WebVTT with WEBVTT.
        first = text.lstrip()[:1]
        cues = list(_ass_cues(text)) if first in ("[", "D") else list(_srt_cues(text))
        if not cues:
            raise BuildError(
                "no subtitle cue found: expected an ASS file ([Events] with Dialogue lines), "
                "an SRT file (1 / 00:00:01,000 --> 00:00:02,000 / text) or WebVTT"
            )
        cues.sort(key=lambda c: (c.start, c.end))
        return cls(tuple(cues))

    # -- editing -----------------------------------------------------------------------

    def replace(
        self, words: Mapping[str, str], *, whole_words: bool = True, ignore_case: bool = False
    ) -> SubtitleTrack:
        """A new track with each key of ``words`` replaced by its value (``{"Jason": "JSON"}``).

        ``whole_words``: only where the key stands as a word (``cat`` not in
        ``catalog``). Longer keys win over shorter ones they contain.
        """
        if not words:
            return self
        keys = sorted(words, key=len, reverse=True)
        alternatives = "|".join(re.escape(k) for k in keys if k)
        if not alternatives:
            return self
        pattern = rf"\b(?:{alternatives})\b" if whole_words else f"(?:{alternatives})"
        flags = re.IGNORECASE if ignore_case else 0
        found = re.compile(pattern, flags)
        lookup = {k.lower(): v for k, v in words.items()} if ignore_case else dict(words)

        def swap(match: re.Match[str]) -> str:
            word = match.group(0)
            return lookup[word.lower() if ignore_case else word]

        return SubtitleTrack(tuple(replace(c, text=found.sub(swap, c.text)) for c in self.cues))

    def rebreak(self, max_chars: int = 42, max_lines: int = 2) -> SubtitleTrack:
        """A new track whose lines have at most ``max_chars`` characters (words kept whole).

        A cue that then needs more than ``max_lines`` lines is split into
        several cues, its time shared by their lengths in characters.
        """
        if max_chars < 1 or max_lines < 1:
            raise BuildError(
                f"rebreak needs max_chars >= 1 and max_lines >= 1, got {max_chars}, {max_lines}"
            )
        out: list[SubtitleCue] = []
        for cue in self.cues:
            lines = wrap_text(cue.text, max_chars)
            groups = [lines[i : i + max_lines] for i in range(0, len(lines), max_lines)] or [[""]]
            out.extend(_spread(cue, ["\n".join(g) for g in groups]))
        return SubtitleTrack(tuple(out))

    def shift(self, seconds: float) -> SubtitleTrack:
        """A new track with every cue ``seconds`` later (earlier when negative, never before 0)."""
        return SubtitleTrack(
            tuple(
                replace(c, start=max(0.0, c.start + seconds), end=max(0.0, c.end + seconds))
                for c in self.cues
            )
        )

    # -- writing -----------------------------------------------------------------------

    def to_srt(self) -> str:
        """The track as an SRT file."""
        blocks = []
        for number, cue in enumerate(self.cues, start=1):
            times = f"{_clock(cue.start, ',', 3)} --> {_clock(cue.end, ',', 3)}"
            blocks.append(f"{number}\n{times}\n{_one_block(cue.text)}\n")
        return "\n".join(blocks)

    def to_ass(self, *, font: str = "Arial", size: int = 48, width: int = 1920,
               height: int = 1080) -> str:  # fmt: skip
        """The track as an ASS file (one ``Default`` style)."""
        head = (
            "[Script Info]\nScriptType: v4.00+\n"
            f"PlayResX: {width}\nPlayResY: {height}\n\n"
            "[V4+ Styles]\n"
            "Format: Name, Fontname, Fontsize, PrimaryColour, OutlineColour, BackColour, Bold, "
            "Alignment, MarginL, MarginR, MarginV\n"
            f"Style: Default,{font},{size},&H00FFFFFF,&H00000000,&H80000000,0,2,40,40,60\n\n"
            "[Events]\n"
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        )
        events = [
            f"Dialogue: 0,{_clock(c.start, '.', 2)},{_clock(c.end, '.', 2)},Default,,0,0,0,,"
            + _ass_text(c.text)
            for c in self.cues
        ]
        return head + "\n".join(events) + "\n"


def with_captions(
    document: Mapping[str, Any], track: SubtitleTrack, settings: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A copy of a Movie JSON ``document`` captioned with ``track`` (inline SRT).

    Its movie-level ``subtitles`` element gets ``captions`` (its look, its
    ``settings``, is kept unless ``settings`` is given); a movie without one
    gets one. Transcription settings that no longer apply (``language``,
    ``model``) are dropped. The document given is not changed.
    """
    doc = dict(document)
    kept: list[Any] = []
    found: dict[str, Any] | None = None
    for item in doc.get("elements") or []:
        if isinstance(item, Mapping) and item.get("type") == "subtitles":
            found = found or dict(item)  # the first; the service allows one
            continue
        kept.append(item)
    element = found or {"type": "subtitles"}
    element.pop("language", None)
    element.pop("model", None)
    element["captions"] = track.to_srt()
    if settings is not None:
        element["settings"] = dict(settings)
    doc["elements"] = [*kept, element]
    return doc


def wrap_text(text: str, max_chars: int) -> list[str]:
    """``text`` as lines of at most ``max_chars`` characters, breaking between words.

    A word longer than a line is cut. Existing line breaks count as spaces.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > max_chars:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:max_chars])
            word = word[max_chars:]
        if not word:
            continue
        if current and len(current) + 1 + len(word) > max_chars:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def _spread(cue: SubtitleCue, texts: Sequence[str]) -> list[SubtitleCue]:
    """``cue``'s time shared among ``texts`` by their lengths."""
    if len(texts) == 1:
        return [replace(cue, text=texts[0])]
    weights = [max(1, len(t)) for t in texts]
    total = sum(weights)
    out, start = [], cue.start
    for i, (text, weight) in enumerate(zip(texts, weights, strict=True)):
        end = cue.end if i == len(texts) - 1 else start + cue.duration * weight / total
        out.append(replace(cue, start=start, end=end, text=text))
        start = end
    return out


def _seconds(h: str, m: str, s: str, fraction: str | None) -> float:
    part = (fraction or "0").ljust(3, "0")[:3]
    return int(h) * 3600 + int(m) * 60 + int(s) + int(part) / 1000


def _ass_cues(text: str) -> Iterator[SubtitleCue]:
    fields = ["layer", "start", "end", "style", "name", "marginl", "marginr", "marginv",
              "effect", "text"]  # fmt: skip
    in_events = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            in_events = line.lower() == "[events]"
            continue
        if in_events and line.lower().startswith("format:"):
            named = [f.strip().lower() for f in line.split(":", 1)[1].split(",")]
            if "start" in named and "end" in named and named[-1] == "text":
                fields = named
            continue
        if not line.startswith("Dialogue:"):
            continue
        parts = line.split(":", 1)[1].split(",", len(fields) - 1)
        if len(parts) != len(fields):
            continue
        row = dict(zip(fields, parts, strict=True))
        start, end = _ASS_TIME.match(row["start"]), _ASS_TIME.match(row["end"])
        if start is None or end is None:
            continue
        body = _OVERRIDE.sub("", row["text"]).replace("\\N", "\n").replace("\\n", "\n")
        parts_of_text = body.replace("\\h", " ").split("\n")
        body = "\n".join(_SPACES.sub(" ", part).strip() for part in parts_of_text)
        cue = _cue(_seconds(*start.groups()), _seconds(*end.groups()), body)
        if cue is not None:
            yield cue


def _srt_cues(text: str) -> Iterator[SubtitleCue]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines):
        match = _SRT_TIMES.match(lines[i])
        i += 1
        if match is None:
            continue
        body: list[str] = []
        while i < len(lines) and lines[i].strip():
            if _SRT_TIMES.match(lines[i]):
                break
            body.append(_OVERRIDE.sub("", re.sub(r"</?[a-zA-Z][^>]*>", "", lines[i])).strip())
            i += 1
        g = match.groups()
        cue = _cue(_seconds(*g[:4]), _seconds(*g[4:]), "\n".join(b for b in body if b))
        if cue is not None:
            yield cue


def _cue(start: float, end: float, text: str) -> SubtitleCue | None:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines or not (math.isfinite(start) and math.isfinite(end)) or end < start:
        return None
    return SubtitleCue(start, end, "\n".join(lines))


def _clock(seconds: float, separator: str, digits: int) -> str:
    scale = 10**digits
    units = round(max(0.0, seconds) * scale)
    whole, fraction = divmod(units, scale)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    hours = f"{h:02d}" if digits == 3 else f"{h:d}"
    return f"{hours}:{m:02d}:{s:02d}{separator}{fraction:0{digits}d}"


def _one_block(text: str) -> str:
    # A blank line ends an SRT cue, and a line with an arrow would read as a time:
    # keep the cue's lines, without empty ones, with arrows made plain.
    lines = (line.replace("-->", "->") for line in text.split("\n") if line.strip())
    return "\n".join(lines) or " "


def _ass_text(text: str) -> str:
    # Braces would open an override block; a newline is written \N.
    return text.replace("{", "(").replace("}", ")").replace("\n", "\\N")
