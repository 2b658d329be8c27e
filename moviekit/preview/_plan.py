"""Plan a draft: resolve media, time the movie and cut it into segments on the frame grid.

Pure planning, no rendering: :func:`plan` resolves media (probing natural
lengths), asks the timing engine for the timeline and lays out the segments
and transitions that :mod:`moviekit.preview._graph` draws and
:mod:`moviekit.preview._jobs` turns into ffmpeg :class:`Job` descriptions
(inputs, a filter graph, outputs) for :mod:`moviekit.preview._engine` to run,
cache and join.

How the draft is cut
--------------------
Everything is counted in frames of the movie's fps: a time ``t`` is frame
``round(t * fps)``. Scene ``i`` covers frames ``[S_i, E_i)`` of the movie.
A transition into scene ``i`` (the reading of ``moviekit.timing._engine.xfade_overlap``)
overlaps its first frames with the last frames of scene ``i - 1``. So each scene
job renders its whole length once and writes up to three pieces: its *head*
(blended into the previous scene), its *body* (final encoding) and its *tail*
(blended into the next scene). A transition job xfades a tail with the next
head. The concat demuxer then joins ``body0, transition1, body1, ...`` without
re-encoding, so the draft is exactly ``timeline.total`` long (to the frame),
and memory stays flat however many scenes there are.

Movie-level elements are laid into every scene job over the part of the scene
they cover (at the same movie time in both sides of a transition, so they do
not flicker). The sound of the whole movie is one separate job (audio is
cheap): every audible element placed at its movie time, mixed, and muxed with
the joined video.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moviekit._errors import PreviewError, PreviewMediaError
from moviekit._problems import short_repr
from moviekit.builders import compile_movie
from moviekit.preview import _text
from moviekit.preview._ffmpeg import ffmpeg_version
from moviekit.preview._media import MediaStore, Probe, check_kind, probe
from moviekit.preview._report import Report
from moviekit.service._catalog import DEFAULT_SIZE, PRESET_SIZES, SIZE_LIMITS
from moviekit.service._literals import TransitionStyle
from moviekit.timing._timeline import Span, Timeline

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.builders._movie import Movie

PREVIEW_FORMAT = 5  # bump when the graphs change meaning: invalidates cached jobs

PLACEHOLDER_TYPES = {
    "html": "HTML",
    "component": "component",
    "audiogram": "audiogram",
    "subtitles": "subtitles",
}
#: the 44 transition styles of reference §2.1: ffmpeg xfade names, drawn by xfade itself
XFADE_STYLES = frozenset(typing.get_args(TransitionStyle))
#: lengths assumed for what has no file to measure (reported when used)
TEXT_ANIMATION_SECONDS = 3.0
#: the default text style, the one without animation ("displays text instantly":
#: reference, text styles): the draft draws it faithfully
STATIC_TEXT_STYLE = "001"
UNKNOWN_MEDIA_SECONDS = 5.0
WORDS_PER_SECOND = 2.5  # ~150 words a minute, a typical synthetic voice
CRF = {"low": 28, "medium": 25, "high": 21}
_VAR = re.compile(r"\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}")


# =========================================================================== data


@dataclass(frozen=True)
class Source:
    """A resolved media file for one element."""

    file: Path
    info: Probe


@dataclass
class Input:
    """One ``-i`` of a job: the options before it and the file."""

    options: list[str]
    file: Path

    def args(self) -> list[str]:
        return [*self.options, "-i", str(self.file)]

    def fingerprint(self) -> list[Any]:
        try:
            stat = self.file.stat()
            return [*self.options, str(self.file), stat.st_size, stat.st_mtime_ns]
        except OSError:
            return [*self.options, str(self.file)]


@dataclass
class Output:
    """One output file of a job: the graph label it maps and the encoding."""

    label: str
    name: str
    codec: list[str]


@dataclass
class Job:
    """One ffmpeg run: inputs, a filter graph, outputs. ``key`` is its content hash."""

    name: str
    path: str
    inputs: list[Input]
    graph: str
    outputs: list[Output]
    extra: list[str] = field(default_factory=list)
    needs: list[tuple[str, str]] = field(default_factory=list)
    """(job key, output name) files of other jobs this job reads (transitions)."""
    key: str = ""

    def seal(self) -> Job:
        """Compute the content hash that names this job's cached outputs."""
        blob = json.dumps(
            [
                PREVIEW_FORMAT,
                ffmpeg_version(),
                [i.fingerprint() for i in self.inputs],
                self.graph,
                [(o.label, o.name, o.codec) for o in self.outputs],
                self.extra,
                self.needs,
            ],
            default=str,
        )
        self.key = hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()[:40]
        return self


@dataclass
class Segment:
    """A stretch of the movie rendered by one job: a scene, or the movie's tail."""

    path: str
    scene: int | None
    start: int
    """First frame in the movie."""
    frames: int
    head: int = 0
    """Frames at the start blended with the previous segment (its transition)."""
    tail: int = 0
    """Frames at the end blended with the next segment."""
    background: str = "0x000000"
    transparent: bool = False
    spans: list[Span] = field(default_factory=list)
    movie_spans: list[Span] = field(default_factory=list)


@dataclass
class Transition:
    """An xfade between segment ``into - 1``'s tail and segment ``into``'s head."""

    into: int
    style: str
    frames: int


@dataclass
class Plan:
    """Everything needed to render: the canvas, segments, transitions, media and the report."""

    width: int
    height: int
    fps: int
    total_frames: int
    timeline: Timeline
    segments: list[Segment]
    transitions: list[Transition]
    sources: dict[str, Source]
    placeholders: dict[str, str]
    """Element path -> why it is a placeholder (unreachable URL, AI image...)."""
    report: Report
    crf: int
    text_dir: Path
    texts: dict[str, str] = field(default_factory=dict)
    """Element path -> the text it shows (variables substituted)."""

    @property
    def duration(self) -> float:
        return self.total_frames / self.fps

    def frame_of(self, t: float) -> int:
        return frame_at(t, self.fps)


def frame_at(t: float, fps: int) -> int:
    """The frame at time ``t`` (seconds) on the movie's frame grid."""
    return int(math.floor(t * fps + 0.5 + 1e-9))


# =========================================================================== planning


def canvas(doc: Mapping[str, Any]) -> tuple[int, int, int]:
    """Width, height and fps of the movie (reference §1.1 presets; custom defaults 640x360)."""
    resolution = doc.get("resolution", "custom")
    if isinstance(resolution, str) and resolution in PRESET_SIZES:
        width, height = PRESET_SIZES[resolution]
    else:
        width, height = doc.get("width", DEFAULT_SIZE[0]), doc.get("height", DEFAULT_SIZE[1])
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (width, height)):
        raise PreviewError(
            f"the movie's size ({short_repr(width)} x {short_repr(height)}) is not a pair of "
            "numbers; a draft needs a real size (variables are not resolved)"
        )
    largest = SIZE_LIMITS[1]
    for name, side in (("width", width), ("height", height)):
        if side > largest:  # no plan renders it, and ffmpeg could not draw it
            raise PreviewError(
                f"the movie's {name} {short_repr(side)} is over {largest} px, the largest "
                "size the service renders",
                path=name,
            )
    fps = doc.get("fps", 25)
    if not isinstance(fps, int) or isinstance(fps, bool) or not 1 <= fps <= 120:
        raise PreviewError(f"fps {fps!r} must be a whole number from 1 to 120")
    # H.264 in yuv420p needs even sizes; an odd custom size is rounded up one pixel.
    return width + width % 2, height + height % 2, fps


#: The longest movie the preview draws (a typo such as ``duration: 36000`` would take hours).
MAX_DRAFT_SECONDS = 4 * 3600


def plan(movie: Movie, store: MediaStore, text_dir: Path, *, quality: str | None = None) -> Plan:
    """Resolve media, time the movie and lay out segments and transitions."""
    compiled = compile_movie(movie)
    doc = compiled.document
    if "template" in doc:
        raise PreviewError(
            "this movie renders a saved template (template=...): the preview "
            "needs its scenes; fetch them with client.templates.get(id).to_movie()"
        )
    width, height, fps = canvas(doc)
    report = Report()
    sources: dict[str, Source] = {}
    placeholders: dict[str, str] = {}
    texts: dict[str, str] = {}
    lengths: dict[str, float] = {}
    hints = dict(compiled.length_hints)

    for path, props, scope in walk_elements(doc):
        kind = props.get("type")
        _resolve_element(
            path, props, scope, store, sources, placeholders, texts, lengths, hints, report
        )
        if kind not in ("subtitles",) and "condition" in props:
            report.add(path, "condition", "has a condition: drawn as if it holds")
    for i, scene in enumerate(doc.get("scenes") or []):
        if isinstance(scene, Mapping):
            if "condition" in scene:
                report.add(f"scenes[{i}]", "condition", "has a condition: drawn as if it holds")
            if "iterate" in scene:
                report.add(f"scenes[{i}]", "iterate", "iterates over a variable: drawn once")

    timeline = Timeline.from_compiled(compiled.with_hints(hints), lengths)
    # A movie-level track of unknown length (an unreachable music URL) should not
    # stretch the movie with a guess: it is taken to last as long as the scenes.
    guessed = [
        s
        for s in timeline.elements
        if s.scene is None
        and s.path in hints
        and s.path in placeholders
        and s.type in ("video", "audio")
    ]
    if guessed:
        scenes_end = max((s.movie_end for s in timeline.scenes), default=0.0)
        for span in guessed:
            hints[span.path] = max(scenes_end - span.movie_start, 1.0)
            report.approximations = [
                a for a in report.approximations if not (a.path == span.path and a.kind == "timing")
            ]
            report.add(
                span.path,
                "timing",
                f"natural length unknown: taken as the scenes' length ({hints[span.path]:g} s)",
            )
        timeline = Timeline.from_compiled(compiled.with_hints(hints), lengths)
    if not timeline.exact:
        report.warn(
            "the timing depends on what the service decides ("
            + "; ".join(timeline.depends_on[:3])
            + "): the draft uses the shortest reading"
        )
    if not timeline.total <= MAX_DRAFT_SECONDS:  # also catches an infinite or NaN total
        raise PreviewError(
            f"the movie lasts {timeline.total:g} s: a local draft is drawn for movies of at "
            f"most {MAX_DRAFT_SECONDS // 3600} hours; check the durations"
        )
    total_frames = frame_at(timeline.total, fps)
    if total_frames <= 0:
        raise PreviewError(
            "the movie has length zero (the service refuses it: 'Movie duration "
            "cannot be zero'); give its images or scenes a duration"
        )
    segments, transitions = _segments(timeline, fps, total_frames, doc, report)
    return Plan(
        width,
        height,
        fps,
        total_frames,
        timeline,
        segments,
        transitions,
        sources,
        placeholders,
        report,
        CRF.get(quality or str(doc.get("quality", "high")), 21),
        text_dir,
        texts,
    )


def scope_vars(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def walk_elements(
    doc: Mapping[str, Any],
) -> Iterator[tuple[str, Mapping[str, Any], dict[str, Any]]]:
    """(path, element props, variables in scope) for every element of a Movie JSON document."""
    movie_vars = scope_vars(doc.get("variables"))
    for i, scene in enumerate(doc.get("scenes") or []):
        if not isinstance(scene, Mapping):
            continue
        scope = {**movie_vars, **scope_vars(scene.get("variables"))}
        for j, element in enumerate(scene.get("elements") or []):
            if isinstance(element, Mapping):
                yield (
                    f"scenes[{i}].elements[{j}]",
                    element,
                    {**scope, **scope_vars(element.get("variables"))},
                )
    for j, element in enumerate(doc.get("elements") or []):
        if isinstance(element, Mapping):
            yield f"elements[{j}]", element, {**movie_vars, **scope_vars(element.get("variables"))}


def substitute(value: str, scope: Mapping[str, Any]) -> str:
    """Replace ``{{name}}`` placeholders whose variable is a plain value in scope."""

    def one(match: re.Match[str]) -> str:
        found = scope.get(match.group(1))
        if isinstance(found, (str, int, float)) and not isinstance(found, bool):
            return str(found)
        return match.group(0)

    return _VAR.sub(one, value)


def _resolve_element(
    path: str,
    props: Mapping[str, Any],
    scope: Mapping[str, Any],
    store: MediaStore,
    sources: dict[str, Source],
    placeholders: dict[str, str],
    texts: dict[str, str],
    lengths: dict[str, float],
    hints: dict[str, float],
    report: Report,
) -> None:
    kind = props.get("type")
    if not isinstance(kind, str):
        kind = repr(kind)  # drawn as an unknown element type
    duration = props.get("duration")
    if kind == "text":
        raw = props.get("text")
        text = substitute(raw, scope) if isinstance(raw, str) else ""
        if "{{" in text:
            report.add(path, "variables", "text holds variables with no value: shown as written")
        texts[path] = text
        style = props.get("style", STATIC_TEXT_STYLE)
        if style != STATIC_TEXT_STYLE:
            report.add(
                path, "static-text", f"text style {style!r} (an animation) drawn as static text"
            )
        family = _mapping(props.get("settings")).get("font-family")
        if isinstance(family, str) and family.lower() not in ("dejavu sans", ""):
            report.add(path, "font", f"font {family!r} drawn with DejaVu Sans")
        if duration == -1:
            hints.setdefault(path, TEXT_ANIMATION_SECONDS)
            report.add(
                path,
                "timing",
                f"the text animation's natural length is taken as {TEXT_ANIMATION_SECONDS:g} s",
            )
        return
    if kind == "voice":
        raw = props.get("text")
        text = substitute(raw, scope) if isinstance(raw, str) else ""
        words = len(re.sub(r"<[^>]+>", " ", text).split())
        seconds = round(max(1.0, words / WORDS_PER_SECOND), 2)
        if duration in (None, -1):
            hints.setdefault(path, seconds)
        report.add(
            path,
            "voice-silence",
            f"voice-over ({words} words) is silence of an estimated {seconds:g} s",
        )
        return
    if kind in PLACEHOLDER_TYPES:
        what = PLACEHOLDER_TYPES[kind]
        report.add(path, "placeholder", f"{what} drawn as a labelled box")
        if duration == -1 and kind in ("component", "audiogram"):
            hints.setdefault(path, TEXT_ANIMATION_SECONDS)
        return
    if kind not in ("image", "video", "audio"):
        report.add(path, "placeholder", f"unknown element type {kind!r} drawn as a labelled box")
        return
    raw_src = props.get("src")
    src = substitute(raw_src, scope) if isinstance(raw_src, str) else ""
    if kind == "image" and not src and props.get("prompt"):
        placeholders[path] = "AI-generated image"
        report.add(path, "placeholder", "AI-generated image (prompt) drawn as a labelled box")
        return
    if not src or "{{" in src:
        placeholders[path] = "src decided by variables" if src else "no src"
        report.add(
            path,
            "placeholder",
            f"{kind} with {'no usable' if not src else 'a variable'} src drawn as a labelled box",
        )
        _assume_length(path, kind, duration, hints, report)
        return
    local = store.local(src)
    if local is not None:
        info = probe(local, path=path, src=src, cancel=store.cancel)  # PreviewMediaError: bad file
        check_kind(info, kind, path=path, src=src)
        file = local
    else:
        fetched, why = store.fetch(src)
        if fetched is None:
            placeholders[path] = f"unreachable: {src.rsplit('/', 1)[-1]}"
            report.add(
                path,
                "unreachable",
                f"{src} is {why}: drawn as a placeholder"
                + (" (silent)" if kind == "audio" else ""),
            )
            report.warn(f"{path}: {src} could not be fetched ({why})")
            _assume_length(path, kind, duration, hints, report)
            return
        try:
            info = probe(fetched, path=path, src=src, cancel=store.cancel)
            check_kind(info, kind, path=path, src=src)
        except PreviewMediaError as exc:  # not a cancelled render: that one stops
            placeholders[path] = f"unusable: {src.rsplit('/', 1)[-1]}"
            report.add(path, "unreachable", f"{src} cannot be used ({exc}): drawn as a placeholder")
            _assume_length(path, kind, duration, hints, report)
            return
        file = fetched
    sources[path] = Source(file, info)
    if kind in ("video", "audio") and info.duration:
        lengths[src] = info.duration
        if raw_src != src or src not in lengths:
            hints[path] = info.duration


def _assume_length(
    path: str, kind: str, duration: Any, hints: dict[str, float], report: Report
) -> None:
    if kind in ("video", "audio") and duration in (None, -1):
        hints.setdefault(path, UNKNOWN_MEDIA_SECONDS)
        report.add(path, "timing", f"natural length unknown: {UNKNOWN_MEDIA_SECONDS:g} s assumed")


def _segments(
    timeline: Timeline, fps: int, total_frames: int, doc: Mapping[str, Any], report: Report
) -> tuple[list[Segment], list[Transition]]:
    segments: list[Segment] = []
    transitions: list[Transition] = []
    scenes_doc = [s for s in (doc.get("scenes") or []) if isinstance(s, Mapping)]
    for span in timeline.scenes:
        start, end = frame_at(span.movie_start, fps), frame_at(span.movie_end, fps)
        if end <= start:
            continue
        props = _mapping(scenes_doc[span.index] if span.index < len(scenes_doc) else None)
        bg_raw = props.get("background-color", "#000000")
        seg = Segment(
            span.path,
            span.index,
            start,
            end - start,
            background=_text.color(bg_raw, "0x000000").split("@")[0],
            transparent=isinstance(bg_raw, str) and bg_raw.strip() == "transparent",
        )
        seg.spans = [e for e in timeline.elements if e.scene == span.index and not e.hidden]
        if segments and span.overlap > 0:
            previous = segments[-1]
            overlap = min(
                frame_at(span.movie_start + span.overlap, fps) - start,
                previous.frames - previous.head,
                seg.frames,
            )
            if overlap > 0:
                style = str(_mapping(props.get("transition")).get("style", "fade"))
                if style not in XFADE_STYLES:
                    report.add(
                        span.path,
                        "transition",
                        f"transition style {style!r} is not an xfade name: drawn as 'fade'",
                    )
                    style = "fade"
                previous.tail = overlap
                seg.head = overlap
                transitions.append(Transition(len(segments), style, overlap))
        segments.append(seg)
    covered = segments[-1].start + segments[-1].frames if segments else 0
    if total_frames > covered:
        # Movie-level elements outlast the scenes: they play over black.
        segments.append(Segment("(after the last scene)", None, covered, total_frames - covered))
    movie_spans = [e for e in timeline.elements if e.scene is None and not e.hidden]
    for seg in segments:
        lo, hi = seg.start, seg.start + seg.frames
        seg.movie_spans = [
            e
            for e in movie_spans
            if frame_at(e.movie_start, fps) < hi and frame_at(e.movie_end, fps) > lo
        ]
    return segments, transitions


def _mapping(value: Any) -> Mapping[str, Any]:
    """A property that should be an object, or an empty one: validation warns about the rest."""
    return value if isinstance(value, Mapping) else {}
