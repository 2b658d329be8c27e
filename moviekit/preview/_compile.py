"""Compile a movie into ffmpeg jobs: one per scene, one per transition, one for the sound.

Pure planning, no rendering: :func:`plan` resolves media (probing natural
lengths), asks the timing engine for the timeline and turns it into
:class:`Job` descriptions (inputs, a filter graph, outputs) that
:mod:`moviekit.preview._engine` runs, caches and joins.

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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moviekit._errors import PreviewError
from moviekit.builders import compile_movie
from moviekit.preview import _text
from moviekit.preview._ffmpeg import num, q
from moviekit.preview._media import MediaStore, Probe, check_kind, probe
from moviekit.preview._report import Report
from moviekit.timing._timeline import PRESET_SIZES as _PRESET_SIZES
from moviekit.timing._timeline import Span, Timeline
from moviekit.values._values import TransitionStyle

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.builders._movie import Movie

PREVIEW_FORMAT = 5  # bump when the graphs change meaning: invalidates cached jobs

VISUAL = frozenset({"image", "video", "text", "html", "component", "audiogram"})
PLACEHOLDER_TYPES = {
    "html": "HTML",
    "component": "component",
    "audiogram": "audiogram",
    "subtitles": "subtitles",
}
#: the 44 transition styles of reference §2.1: ffmpeg xfade names, drawn by xfade itself
XFADE_STYLES = frozenset(typing.get_args(TransitionStyle))
PLACEHOLDER_COLORS = {
    "html": "0xB07AA1",
    "component": "0xEDC948",
    "audiogram": "0x9C755F",
    "subtitles": "0x444444",
    "image": "0x59A14F",
    "video": "0x4E79A7",
}
#: lengths assumed for what has no file to measure (reported when used)
TEXT_ANIMATION_SECONDS = 3.0
UNKNOWN_MEDIA_SECONDS = 5.0
WORDS_PER_SECOND = 2.5  # ~150 words a minute, a typical synthetic voice
MAX_PIECES = 16  # loop pieces rendered exactly; beyond that a stream loop approximates
CRF = {"low": 28, "medium": 25, "high": 21}
#: x264 preset of the draft: speed first (veryfast encodes ~3x slower and needs
#: twice the memory at 1080p; a draft is for looking at timing and layout)
PRESET = "ultrafast"
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
        from moviekit.preview._ffmpeg import ffmpeg_version

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
        self.key = hashlib.sha256(blob.encode()).hexdigest()[:40]
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
        return frame(t, self.fps)


def frame(t: float, fps: int) -> int:
    """The frame at time ``t`` (seconds) on the movie's frame grid."""
    return int(math.floor(t * fps + 0.5 + 1e-9))


# =========================================================================== planning


def canvas(doc: Mapping[str, Any]) -> tuple[int, int, int]:
    """Width, height and fps of the movie (reference §1.1 presets; custom defaults 640x360)."""
    resolution = doc.get("resolution", "custom")
    if resolution in _PRESET_SIZES:
        width, height = _PRESET_SIZES[resolution]
    else:
        width, height = doc.get("width", 640), doc.get("height", 360)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (width, height)):
        raise PreviewError(
            f"the movie's size ({width!r} x {height!r}) is not a pair of numbers; "
            "a draft needs a real size (variables are not resolved)"
        )
    fps = doc.get("fps", 25)
    if not isinstance(fps, int) or isinstance(fps, bool) or not 1 <= fps <= 120:
        raise PreviewError(f"fps {fps!r} must be a whole number from 1 to 120")
    # H.264 in yuv420p needs even sizes; an odd custom size is rounded up one pixel.
    return width + width % 2, height + height % 2, fps


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

    movie_vars = _vars(doc.get("variables"))
    for path, props, scope in _walk(doc, movie_vars):
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
    total_frames = frame(timeline.total, fps)
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


def _vars(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def _walk(doc: Mapping[str, Any], movie_vars: dict[str, Any]) -> Any:
    """(path, element props, variables in scope) for every element."""
    for i, scene in enumerate(doc.get("scenes") or []):
        if not isinstance(scene, Mapping):
            continue
        scope = {**movie_vars, **_vars(scene.get("variables"))}
        for j, element in enumerate(scene.get("elements") or []):
            if isinstance(element, Mapping):
                yield (
                    f"scenes[{i}].elements[{j}]",
                    element,
                    {**scope, **_vars(element.get("variables"))},
                )
    for j, element in enumerate(doc.get("elements") or []):
        if isinstance(element, Mapping):
            yield f"elements[{j}]", element, {**movie_vars, **_vars(element.get("variables"))}


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
    duration = props.get("duration")
    if kind == "text":
        raw = props.get("text")
        text = substitute(raw, scope) if isinstance(raw, str) else ""
        if "{{" in text:
            report.add(path, "variables", "text holds variables with no value: shown as written")
        texts[path] = text
        style = props.get("style", "001")
        report.add(path, "static-text", f"text style {style!r} (an animation) drawn as static text")
        family = (props.get("settings") or {}).get("font-family")
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
        info = probe(local, path=path, src=src)  # raises PreviewMediaError for bad files
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
            info = probe(fetched, path=path, src=src)
            check_kind(info, kind, path=path, src=src)
        except PreviewError as exc:
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
        start, end = frame(span.movie_start, fps), frame(span.movie_end, fps)
        if end <= start:
            continue
        props = scenes_doc[span.index] if span.index < len(scenes_doc) else {}
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
                frame(span.movie_start + span.overlap, fps) - start,
                previous.frames - previous.head,
                seg.frames,
            )
            if overlap > 0:
                style = str((props.get("transition") or {}).get("style", "fade"))
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
            if frame(e.movie_start, fps) < hi and frame(e.movie_end, fps) > lo
        ]
    return segments, transitions


# =========================================================================== scene graphs


@dataclass
class _Graph:
    """A filter graph under construction."""

    inputs: list[Input] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    n: int = 0

    def label(self, stem: str = "v") -> str:
        self.n += 1
        return f"{stem}{self.n}"

    def add_input(self, item: Input) -> int:
        self.inputs.append(item)
        return len(self.inputs) - 1

    def text(self) -> str:
        return ";".join(self.parts)


def _num_prop(props: Mapping[str, Any], key: str, default: float) -> float:
    value = props.get(key, default)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return default


def _pieces(
    offset: float,
    length: float,
    seek: float,
    natural: float,
    loop: int,
) -> tuple[list[tuple[float, float]], float]:
    """Cut ``length`` seconds of content starting ``offset`` seconds in into file pieces.

    One play is the file from ``seek`` to its end (a negative seek counts from the
    end); ``loop`` plays (``-1``: endless). Returns ``[(file offset, seconds)]``
    and how many seconds of content there are (less than ``length`` when the
    plays run out: the last frame is then held).
    """
    begin = seek if seek >= 0 else max(0.0, natural + seek)
    play = natural - begin
    if play <= 1e-6:
        return [], 0.0
    pieces: list[tuple[float, float]] = []
    t, end = offset, offset + length
    plays = math.inf if loop == -1 else max(1, loop)
    while t < end - 1e-6:
        k = math.floor(t / play + 1e-9)
        if k >= plays:
            break
        inside = t - k * play
        take = min(play - inside, end - t)
        pieces.append((begin + inside, take))
        t += take
    return pieces, t - offset


def _media_input(
    g: _Graph,
    source: Source,
    props: Mapping[str, Any],
    offset: float,
    length: float,
    fps: int,
    audio: bool,
) -> tuple[str | None, float, bool]:
    """Add the inputs for ``length`` s of a video/audio element from content ``offset``.

    Returns the stream label (``None`` if there is nothing), the seconds of real
    content, and whether a loop was approximated by a stream loop.
    """
    natural = source.info.duration or 0.0
    seek = _num_prop(props, "seek", 0.0)
    loop_value = props.get("loop", 1)
    loop = loop_value if isinstance(loop_value, int) and not isinstance(loop_value, bool) else 1
    pieces, content = _pieces(offset, length, seek, natural, loop)
    if not pieces:
        return None, 0.0, False
    only = "-vn" if audio else "-an"
    approximated = False
    if len(pieces) > MAX_PIECES:
        first_offset = pieces[0][0]
        pieces = [(first_offset, content)]
        opts = ["-stream_loop", "-1"]
        approximated = True
    else:
        opts = []
    labels = []
    for file_offset, seconds in pieces:
        index = g.add_input(
            Input([*opts, "-ss", num(file_offset), "-t", num(seconds), only], source.file)
        )
        labels.append(f"[{index}:{'a' if audio else 'v'}]")
    if len(labels) == 1:
        return labels[0], content, approximated
    out = g.label("cat")
    g.parts.append(
        "".join(labels) + f"concat=n={len(labels)}:v={0 if audio else 1}:"
        f"a={1 if audio else 0}[{out}]"
    )
    return f"[{out}]", content, approximated


def _box(
    props: Mapping[str, Any],
    size: tuple[float, float],
    canvas_w: int,
    canvas_h: int,
    center_default: bool = False,
) -> tuple[float, float]:
    """Top-left corner of an element of ``size`` by ``position`` / ``x`` / ``y``."""
    w, h = size
    position = props.get("position", "custom")
    gap_x, gap_y = 0.05 * canvas_w, 0.05 * canvas_h
    if position == "top-left":
        return gap_x, gap_y
    if position == "top-right":
        return canvas_w - w - gap_x, gap_y
    if position == "bottom-left":
        return gap_x, canvas_h - h - gap_y
    if position == "bottom-right":
        return canvas_w - w - gap_x, canvas_h - h - gap_y
    if position == "center-center" or (center_default and "x" not in props and "y" not in props):
        return (canvas_w - w) / 2, (canvas_h - h) / 2
    return _num_prop(props, "x", 0.0), _num_prop(props, "y", 0.0)


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def _element_size(props: Mapping[str, Any], natural: tuple[int, int]) -> tuple[int, int]:
    """The size an element is drawn at (before rotation), from width/height (-1 keeps aspect)."""
    w0, h0 = natural
    width, height = _num_prop(props, "width", -1), _num_prop(props, "height", -1)
    if width > 0 and height > 0:
        return _even(width), _even(height)
    if width > 0:
        return _even(width), _even(h0 * width / w0)
    if height > 0:
        return _even(w0 * height / h0), _even(height)
    return _even(w0), _even(h0)


class SceneCompiler:
    """Builds the video filter graph of one segment."""

    def __init__(self, p: Plan, seg: Segment, report: Report) -> None:
        self.p = p
        self.seg = seg
        self.report = report
        self.g = _Graph()

    # -- layers ----------------------------------------------------------------------------

    def layers(self) -> list[tuple[Span, bool]]:
        """Visual spans in drawing order: (span, is movie level)."""

        def z(span: Span) -> float:
            return _num_prop(span.props, "z-index", 0.0)

        # Everything with a picture, placeholders included (unknown types too); not sound.
        scene = sorted((s for s in self.seg.spans if s.type not in ("audio", "voice")), key=z)
        movie = [s for s in self.seg.movie_spans if s.type not in ("audio", "voice")]
        below = sorted((s for s in movie if z(s) < 0), key=z)
        above = sorted((s for s in movie if z(s) >= 0), key=z)
        out: list[tuple[Span, bool]] = []
        if self.seg.transparent or self.seg.scene is None:
            out.extend((s, True) for s in below)  # seen through a transparent scene only
        out.extend((s, False) for s in scene)
        out.extend((s, True) for s in above)
        return out

    def window(self, span: Span) -> tuple[int, int, float]:
        """Local frames [a, b) where ``span`` shows in this segment, and its content offset (s)."""
        fps = self.p.fps
        a = max(0, frame(span.movie_start, fps) - self.seg.start)
        b = min(self.seg.frames, frame(span.movie_end, fps) - self.seg.start)
        offset = max(0.0, (self.seg.start + a) / fps - span.movie_start)
        return a, b, offset

    # -- graph -----------------------------------------------------------------------------

    def build(self) -> tuple[_Graph, str]:
        """The graph; returns it and the label of the finished picture."""
        p, g = self.p, self.g
        base = g.label("base")
        g.parts.append(
            f"color=c={self.seg.background}:s={p.width}x{p.height}:r={p.fps},"
            f"format=yuv420p,trim=end_frame={self.seg.frames}[{base}]"
        )
        current = base
        for span, _movie_level in self.layers():
            a, b, offset = self.window(span)
            if b <= a:
                continue
            current = self._layer(current, span, a, b, offset)
        return g, current

    def _layer(self, current: str, span: Span, a: int, b: int, offset: float) -> str:
        path, kind = span.path, span.type
        if kind == "text":
            return self._text(current, span, a, b, offset)
        source = self.p.sources.get(path)
        if kind in ("image", "video") and source is not None:
            return self._media(current, span, source, a, b, offset)
        why = self.p.placeholders.get(path) or PLACEHOLDER_TYPES.get(kind, kind)
        return self._placeholder(current, span, a, b, why)

    def _enable(self, a: int, b: int) -> str:
        return q(f"between(n,{a},{b - 1})")

    def _fades(self, span: Span, a: int, offset: float) -> list[str]:
        """fade filters (alpha) for a stream whose local time 0 is segment frame 0."""
        fps = self.p.fps
        zero = a / fps - offset  # where the element's own time 0 falls in segment time
        filters = []
        fade_in = _num_prop(span.props, "fade-in", 0.0)
        fade_out = _num_prop(span.props, "fade-out", 0.0)
        if fade_in > 0 and zero + fade_in > a / fps:
            st = max(0.0, zero)
            filters.append(f"fade=t=in:st={num(st)}:d={num(zero + fade_in - st)}:alpha=1")
        if fade_out > 0:
            st = zero + span.length - fade_out
            if st + fade_out > 0:
                filters.append(
                    f"fade=t=out:st={num(max(0.0, st))}:"
                    f"d={num(min(fade_out, st + fade_out))}:alpha=1"
                )
        return filters

    def _media(
        self, current: str, span: Span, source: Source, a: int, b: int, offset: float
    ) -> str:
        p, g, props = self.p, self.g, span.props
        fps = p.fps
        frames = b - a
        seconds = frames / fps
        chain: list[str] = []
        if span.type == "video":
            label, content, looped = _media_input(
                g, source, props, offset, seconds, fps, audio=False
            )
            if looped:
                self.report.add(
                    span.path,
                    "loop",
                    "a long loop with seek is approximated by looping the file from the seek point",
                )
            if label is None:
                return current
            chain.append(f"setpts=PTS-STARTPTS+{num(a / fps)}/TB")
            if content < seconds - 0.5 / fps:  # extra-time / a longer duration: hold the last frame
                chain.append(f"tpad=stop_mode=clone:stop_duration={num(seconds - content)}")
        else:
            index = g.add_input(Input([], source.file))
            label = f"[{index}:v]"
        # geometry: crop, size (resize / width / height), flips, colour, chroma key, rotation
        w0, h0 = source.info.width, source.info.height
        crop = props.get("crop")
        if isinstance(crop, Mapping) and all(
            isinstance(crop.get(k), (int, float)) for k in ("width", "height")
        ):
            cw, ch = int(crop["width"]), int(crop["height"])
            cx, cy = int(crop.get("x", 0) or 0), int(crop.get("y", 0) or 0)
            chain.append(f"crop={cw}:{ch}:{cx}:{cy}")
            w0, h0 = cw, ch
        resize = props.get("resize")
        center = False
        if resize in ("cover", "fill"):
            scale = max(p.width / w0, p.height / h0)
            chain.append(
                f"scale={_even(w0 * scale)}:{_even(h0 * scale)}:flags=bilinear,"
                f"crop={p.width}:{p.height}"
            )
            size = (p.width, p.height)
        elif resize in ("contain", "fit"):
            scale = min(p.width / w0, p.height / h0)
            size = (_even(w0 * scale), _even(h0 * scale))
            chain.append(f"scale={size[0]}:{size[1]}:flags=bilinear")
            center = True
        else:
            size = _element_size(props, (w0, h0))
            if size != (source.info.width, source.info.height) or crop:
                chain.append(f"scale={size[0]}:{size[1]}:flags=bilinear")
        if props.get("flip-horizontal") is True:
            chain.append("hflip")
        if props.get("flip-vertical") is True:
            chain.append("vflip")
        correction = props.get("correction")
        if isinstance(correction, Mapping):
            chain.append(
                "eq="
                + ":".join(
                    f"{key}={num(_num_prop(correction, key, default))}"
                    for key, default in (
                        ("brightness", 0),
                        ("contrast", 1),
                        ("gamma", 1),
                        ("saturation", 1),
                    )
                )
            )
        needs_alpha = False
        key_color = props.get("chroma-key")
        if isinstance(key_color, Mapping) and isinstance(key_color.get("color"), str):
            tolerance = _num_prop(key_color, "tolerance", 25)
            chain.append(
                f"format=yuva420p,chromakey=color={q(_text.color(key_color['color']))}:"
                f"similarity={num(max(0.01, tolerance / 100))}:blend=0.02"
            )
            needs_alpha = True
        rotate = props.get("rotate")
        if isinstance(rotate, Mapping) and _num_prop(rotate, "angle", 0) != 0:
            angle = _num_prop(rotate, "angle", 0) * math.pi / 180
            speed = _num_prop(rotate, "speed", 0)
            start = a / fps - offset
            expr = (
                f"{num(angle)}*clip((t-{num(start)})/{num(speed)},0,1)" if speed > 0 else num(angle)
            )
            diag = _even(math.hypot(*size)) if speed > 0 else None
            rw = diag or _even(abs(size[0] * math.cos(angle)) + abs(size[1] * math.sin(angle)))
            rh = diag or _even(abs(size[0] * math.sin(angle)) + abs(size[1] * math.cos(angle)))
            chain.append(f"format=yuva420p,rotate=a={q(expr)}:ow={rw}:oh={rh}:c=none")
            size = (rw, rh)
            needs_alpha = True
        for key in ("zoom", "pan"):
            if props.get(key):
                self.report.add(span.path, "zoom-pan", "zoom / pan drawn static")
        if props.get("mask"):
            self.report.add(span.path, "mask", "mask not applied")
        if span.type == "image":
            if source.info.has_video:
                self.report.add(span.path, "animated-image", "animated image drawn still")
            chain.append(f"loop=loop={frames - 1}:size=1:start=0,setpts=(N+{a})/({fps}*TB)")
        fades = self._fades(span, a, offset)
        if fades:
            if not needs_alpha:
                chain.append("format=yuva420p")
            chain.extend(fades)
        x, y = _box(props, size, p.width, p.height, center_default=center)
        element = g.label("el")
        g.parts.append(f"{label}{','.join(chain) or 'null'}[{element}]")
        out = g.label()
        g.parts.append(
            f"[{current}][{element}]overlay=x={int(round(x))}:y={int(round(y))}:"
            f"eof_action=pass:enable={self._enable(a, b)}[{out}]"
        )
        return out

    def _text_file(self, text: str) -> Path:
        digest = hashlib.sha256(text.encode()).hexdigest()[:24]
        target = self.p.text_dir / f"{digest}.txt"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{id(self)}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
        return target

    def _alpha(self, span: Span, a: int, offset: float) -> str:
        zero = a / self.p.fps - offset
        terms = []
        fade_in = _num_prop(span.props, "fade-in", 0.0)
        fade_out = _num_prop(span.props, "fade-out", 0.0)
        if fade_in > 0:
            terms.append(f"(t-{num(zero)})/{num(fade_in)}")
        if fade_out > 0:
            terms.append(f"({num(zero + span.length)}-t)/{num(fade_out)}")
        if not terms:
            return "1"
        inner = terms[0] if len(terms) == 1 else f"min({terms[0]},{terms[1]})"
        return f"clip({inner},0,1)"

    def _text(self, current: str, span: Span, a: int, b: int, offset: float) -> str:
        p, props = self.p, span.props
        settings = props.get("settings") if isinstance(props.get("settings"), Mapping) else {}
        assert isinstance(settings, Mapping)
        text = p.texts.get(span.path, str(props.get("text", "")))
        size = _text.font_size(settings.get("font-size"), p.width, p.height, round(p.height * 0.06))
        bold = _text.is_bold(settings.get("font-weight"))
        font = _text.BOLD if bold else _text.REGULAR
        colour = _text.color(settings.get("font-color") or settings.get("color"), "0xFFFFFF")
        background = settings.get("background-color")
        pad = round(size * 0.3)
        width = _num_prop(props, "width", -1)
        height = _num_prop(props, "height", -1)
        preset = props.get("position", "custom") not in ("custom", None)
        box_w = width if width > 0 else p.width
        lines = _text.wrap(text, size, bold, box_w - 2 * pad)
        line_h = size * 1.25
        block_h = line_h * len(lines)
        block_w = max((_text.text_width(line, size, bold) for line in lines), default=0.0)
        if preset and width <= 0:
            box_w = min(p.width, block_w + 2 * pad)
        box_h = height if height > 0 else (block_h + 2 * pad if preset else p.height)
        bx, by = _box(props, (box_w, box_h), p.width, p.height)
        vertical = settings.get("vertical-position", "center")
        align = settings.get("text-align") or settings.get("horizontal-position") or "center"
        if vertical == "top":
            y0 = by + pad
        elif vertical == "bottom":
            y0 = by + box_h - pad - block_h
        else:
            y0 = by + (box_h - block_h) / 2
        alpha = self._alpha(span, a, offset)
        filters = []
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            if align == "left":
                x = num(bx + pad)
            elif align == "right":
                x = f"{num(bx + box_w - pad)}-text_w"
            else:
                x = f"{num(bx + box_w / 2)}-text_w/2"
            box = ""
            if isinstance(background, str) and background != "transparent":
                box = f":box=1:boxcolor={q(_text.color(background, '0x000000'))}:boxborderw={pad}"
            filters.append(
                f"drawtext=fontfile={q(font)}:textfile={q(self._text_file(line))}:"
                f"expansion=none:fontsize={num(size)}:fontcolor={q(colour)}:x={q(x)}:"
                f"y={num(y0 + i * line_h)}:y_align=font:alpha={q(alpha)}{box}:"
                f"enable={self._enable(a, b)}"
            )
        if not filters:
            return current
        out = self.g.label()
        self.g.parts.append(f"[{current}]{','.join(filters)}[{out}]")
        return out

    def _placeholder(self, current: str, span: Span, a: int, b: int, why: str) -> str:
        p, props = self.p, span.props
        if span.type == "subtitles":
            bw, bh = p.width * 0.8, p.height * 0.12
            bx, by = p.width * 0.1, p.height * 0.83
        else:
            bw = _num_prop(props, "width", -1)
            bh = _num_prop(props, "height", -1)
            bw = bw if bw > 0 else p.width
            bh = bh if bh > 0 else p.height
            bx, by = _box(props, (bw, bh), p.width, p.height)
        colour = PLACEHOLDER_COLORS.get(span.type, "0x888888")
        label = why if why and why != span.type else PLACEHOLDER_TYPES.get(span.type, span.type)
        if span.type in ("image", "video"):
            label = f"{span.type} ({label})"
        detail = span.label()
        if detail and detail != span.type and detail not in label:
            label = f"{label}: {detail}"
        size = max(12, min(round(p.height * 0.045), int(bh / 3)))
        enable = self._enable(a, b)
        border = max(2, round(p.height / 200))
        x0, y0, w, h = int(bx), int(by), _even(bw), _even(bh)
        # The fill is an alpha overlay (SIMD) rather than drawbox t=fill, which
        # blends pixel by pixel and costs ~25 ms a 1080p frame.
        fill = self.g.label("ph")
        self.g.parts.append(
            f"color=c={colour}@0.45:s={w}x{h}:r={p.fps},format=yuva420p,trim=end_frame={b}[{fill}]"
        )
        filled = self.g.label()
        self.g.parts.append(f"[{current}][{fill}]overlay=x={x0}:y={y0}:enable={enable}[{filled}]")
        edges = [
            (x0, y0, w, border),
            (x0, y0 + h - border, w, border),
            (x0, y0, border, h),
            (x0 + w - border, y0, border, h),
        ]
        filters = [
            f"drawbox=x={ex}:y={ey}:w={ew}:h={eh}:color={colour}@0.95:t=fill:enable={enable}"
            for ex, ey, ew, eh in edges
        ]
        filters.append(
            f"drawtext=fontfile={q(_text.BOLD)}:textfile={q(self._text_file(label))}:"
            f"expansion=none:fontsize={size}:fontcolor=white:"
            f"x={q(f'{num(bx + bw / 2)}-text_w/2')}:y={q(f'{num(by + bh / 2)}-text_h/2')}:"
            f"enable={enable}"
        )
        out = self.g.label()
        self.g.parts.append(f"[{filled}]{','.join(filters)}[{out}]")
        return out


# =========================================================================== jobs


def final_codec(p: Plan) -> list[str]:
    """The encoding every joined piece shares (so concat can copy, not re-encode)."""
    timescale = 90000 if 90000 % p.fps == 0 else p.fps * 1000
    return [
        "-c:v",
        "libx264",
        "-preset",
        PRESET,
        "-crf",
        str(p.crf),
        "-pix_fmt",
        "yuv420p",
        "-r",
        str(p.fps),
        "-video_track_timescale",
        str(timescale),
        "-an",
    ]


#: the frames a transition blends, kept raw: a transition is short, and writing raw
#: frames costs less than encoding and decoding them once more (and loses nothing)
INTERMEDIATE = ["-c:v", "rawvideo", "-pix_fmt", "yuv420p", "-an", "-f", "nut"]


def scene_job(p: Plan, index: int) -> Job:
    """The job for segment ``index``: its body (final encoding) and its head/tail pieces."""
    seg = p.segments[index]
    g, picture = SceneCompiler(p, seg, p.report).build()
    pieces = [("body", seg.head, seg.frames - seg.tail, "body.mp4", final_codec(p))]
    if seg.head:
        pieces.append(("head", 0, seg.head, "head.nut", INTERMEDIATE))
    if seg.tail:
        pieces.append(("tail", seg.frames - seg.tail, seg.frames, "tail.nut", INTERMEDIATE))
    pieces = [piece for piece in pieces if piece[2] > piece[1]]
    outputs = []
    if len(pieces) == 1:
        name, lo, hi, file, codec = pieces[0]
        g.parts.append(
            f"[{picture}]trim=start_frame={lo}:end_frame={hi},setpts=PTS-STARTPTS[{name}]"
        )
        outputs.append(Output(name, file, codec))
    else:
        g.parts.append(f"[{picture}]split={len(pieces)}" + "".join(f"[s{x[0]}]" for x in pieces))
        for name, lo, hi, file, codec in pieces:
            g.parts.append(
                f"[s{name}]trim=start_frame={lo}:end_frame={hi},setpts=PTS-STARTPTS[{name}]"
            )
            outputs.append(Output(name, file, codec))
    return Job(f"scene {seg.path}", seg.path, g.inputs, g.text(), outputs).seal()


def frame_job(p: Plan, index: int, local_frame: int, size: tuple[int, int] | None) -> Job:
    """A job writing one PNG: frame ``local_frame`` of segment ``index``."""
    seg = p.segments[index]
    g, picture = SceneCompiler(p, seg, p.report).build()
    scale = f",scale={size[0]}:{size[1]}" if size else ""
    g.parts.append(
        f"[{picture}]trim=start_frame={local_frame}:end_frame={local_frame + 1},"
        f"setpts=PTS-STARTPTS{scale}[png]"
    )
    return Job(
        f"frame {seg.path}",
        seg.path,
        g.inputs,
        g.text(),
        [Output("png", "frame.png", ["-frames:v", "1", "-update", "1"])],
    ).seal()


def transition_job(
    p: Plan,
    tr: Transition,
    tail: tuple[str, Path],
    head: tuple[str, Path],
) -> Job:
    """xfade the previous segment's tail into this segment's head (final encoding)."""
    seconds = tr.frames / p.fps
    graph = (
        f"[0:v]settb=1/{p.fps * 1000},setpts=PTS-STARTPTS[a];"
        f"[1:v]settb=1/{p.fps * 1000},setpts=PTS-STARTPTS[b];"
        f"[a][b]xfade=transition={tr.style}:duration={num(seconds)}:offset=0,"
        f"trim=end_frame={tr.frames}[x]"
    )
    seg = p.segments[tr.into]
    job = Job(
        f"transition into {seg.path}",
        seg.path,
        [Input([], tail[1]), Input([], head[1])],
        graph,
        [Output("x", "transition.mp4", final_codec(p))],
        needs=[(tail[0], "tail.nut"), (head[0], "head.nut")],
    )
    return job.seal()


def audio_job(p: Plan) -> Job:
    """Every audible element at its movie time, mixed into one AAC track of the movie's length."""
    g = _Graph()
    total = p.duration
    mix: list[str] = []
    starts = {seg.scene: seg for seg in p.segments if seg.scene is not None}
    for span in p.timeline.elements:
        if span.type not in ("video", "audio") or span.hidden or span.length <= 0:
            continue
        source = p.sources.get(span.path)
        props = span.props
        if source is None or not source.info.has_audio or props.get("muted") is True:
            continue
        volume = _num_prop(props, "volume", 1.0)
        if volume <= 0:
            continue
        length = min(span.length, total - span.movie_start)
        if length <= 0:
            continue
        label, content, _ = _media_input(g, source, props, 0.0, length, p.fps, audio=True)
        if label is None:
            continue
        envelope = [f"{num(volume)}"]
        fade_in, fade_out = _num_prop(props, "fade-in", 0), _num_prop(props, "fade-out", 0)
        if fade_in > 0:
            envelope.append(f"clip(t/{num(fade_in)},0,1)")
        if fade_out > 0:
            envelope.append(f"clip(({num(span.length)}-t)/{num(fade_out)},0,1)")
        seg = starts.get(span.scene) if span.scene is not None else None
        if seg is not None:  # a scene's sound crossfades with its neighbour's over a transition
            seg_start = seg.start / p.fps
            if seg.head:
                edge = seg_start - span.movie_start
                envelope.append(f"clip((t-{num(edge)})/{num(seg.head / p.fps)},0,1)")
            if seg.tail:
                edge = (seg.start + seg.frames - seg.tail) / p.fps - span.movie_start
                envelope.append(f"clip(1-(t-{num(edge)})/{num(seg.tail / p.fps)},0,1)")
        out = g.label("a")
        delay = max(0, round(span.movie_start * 1000))
        g.parts.append(
            f"{label}aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,"
            f"asetpts=PTS-STARTPTS,volume={q('*'.join(envelope))}:eval=frame,"
            f"adelay=delays={delay}:all=1[{out}]"
        )
        mix.append(f"[{out}]")
    silence = f"anullsrc=r=48000:cl=stereo,atrim=end={num(total)}"
    if mix:
        g.parts.append(f"{silence}[quiet]")
        g.parts.append(
            "[quiet]" + "".join(mix) + f"amix=inputs={len(mix) + 1}:duration=first:"
            f"normalize=0:dropout_transition=0,atrim=end={num(total)}[mix]"
        )
    else:
        g.parts.append(f"{silence}[mix]")
    return Job(
        "sound",
        "",
        g.inputs,
        g.text(),
        [Output("mix", "audio.m4a", ["-c:a", "aac", "-b:a", "160k"])],
    ).seal()
