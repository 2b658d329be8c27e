"""Draw one segment of the draft as an ffmpeg filter graph (:class:`SceneCompiler`).

A segment is a scene (or the movie's tail after the last scene) cut on the
frame grid by :mod:`moviekit.preview._plan`. Its graph starts from the scene's
background colour and overlays every visual layer in drawing order (array
order, then ``z-index``; movie-level elements over the scene, or under a
``transparent`` one), each enabled only on the frames where it shows: media
(seek, loops, geometry, colour, chroma key, rotation, fades), text (drawtext
with the bundled font, wrapped to its box) and labelled placeholder boxes for
what the draft cannot draw.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moviekit.preview import _text
from moviekit.preview._ffmpeg import num, q
from moviekit.preview._plan import PLACEHOLDER_TYPES, Input, Plan, Segment, Source, frame_at
from moviekit.preview._report import Report
from moviekit.timing._timeline import Span

PLACEHOLDER_COLORS = {
    "html": "0xB07AA1",
    "component": "0xEDC948",
    "audiogram": "0x9C755F",
    "subtitles": "0x444444",
    "image": "0x59A14F",
    "video": "0x4E79A7",
}
MAX_PIECES = 16  # loop pieces rendered exactly; beyond that a stream loop approximates


@dataclass
class Graph:
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


def num_prop(props: Mapping[str, Any], key: str, default: float) -> float:
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


def media_input(
    g: Graph,
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
    seek = num_prop(props, "seek", 0.0)
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
    return num_prop(props, "x", 0.0), num_prop(props, "y", 0.0)


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def _element_size(props: Mapping[str, Any], natural: tuple[int, int]) -> tuple[int, int]:
    """The size an element is drawn at (before rotation), from width/height (-1 keeps aspect)."""
    w0, h0 = natural
    width, height = num_prop(props, "width", -1), num_prop(props, "height", -1)
    if width > 0 and height > 0:
        return _even(width), _even(height)
    if width > 0:
        return _even(width), _even(h0 * width / w0)
    if height > 0:
        return _even(w0 * height / h0), _even(height)
    return _even(w0), _even(h0)


def text_file(text_dir: Path, text: str) -> Path:
    """A file holding ``text`` for drawtext's ``textfile`` (named by its hash, written once).

    drawtext reads text from a file so that no character of it needs escaping.
    """
    # A lone surrogate (a JSON "\\ud800") has no UTF-8 form: it is drawn as that escape.
    data = text.encode("utf-8", "backslashreplace")
    digest = hashlib.sha256(data).hexdigest()[:24]
    target = text_dir / f"{digest}.txt"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    return target


class SceneCompiler:
    """Builds the video filter graph of one segment."""

    def __init__(self, p: Plan, seg: Segment, report: Report) -> None:
        self.p = p
        self.seg = seg
        self.report = report
        self.g = Graph()

    # -- layers ----------------------------------------------------------------------------

    def layers(self) -> list[tuple[Span, bool]]:
        """Visual spans in drawing order: (span, is movie level)."""

        def z(span: Span) -> float:
            return num_prop(span.props, "z-index", 0.0)

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
        a = max(0, frame_at(span.movie_start, fps) - self.seg.start)
        b = min(self.seg.frames, frame_at(span.movie_end, fps) - self.seg.start)
        offset = max(0.0, (self.seg.start + a) / fps - span.movie_start)
        return a, b, offset

    # -- graph -----------------------------------------------------------------------------

    def build(self) -> tuple[Graph, str]:
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
        fade_in = num_prop(span.props, "fade-in", 0.0)
        fade_out = num_prop(span.props, "fade-out", 0.0)
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
            label, content, looped = media_input(
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
                    f"{key}={num(num_prop(correction, key, default))}"
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
            tolerance = num_prop(key_color, "tolerance", 25)
            chain.append(
                f"format=yuva420p,chromakey=color={q(_text.color(key_color['color']))}:"
                f"similarity={num(max(0.01, tolerance / 100))}:blend=0.02"
            )
            needs_alpha = True
        rotate = props.get("rotate")
        if isinstance(rotate, Mapping) and num_prop(rotate, "angle", 0) != 0:
            angle = num_prop(rotate, "angle", 0) * math.pi / 180
            speed = num_prop(rotate, "speed", 0)
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

    def _alpha(self, span: Span, a: int, offset: float) -> str:
        zero = a / self.p.fps - offset
        terms = []
        fade_in = num_prop(span.props, "fade-in", 0.0)
        fade_out = num_prop(span.props, "fade-out", 0.0)
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
        width = num_prop(props, "width", -1)
        height = num_prop(props, "height", -1)
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
                f"drawtext=fontfile={q(font)}:textfile={q(text_file(self.p.text_dir, line))}:"
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
            bw = num_prop(props, "width", -1)
            bh = num_prop(props, "height", -1)
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
            f"drawtext=fontfile={q(_text.BOLD)}:textfile={q(text_file(self.p.text_dir, label))}:"
            f"expansion=none:fontsize={size}:fontcolor=white:"
            f"x={q(f'{num(bx + bw / 2)}-text_w/2')}:y={q(f'{num(by + bh / 2)}-text_h/2')}:"
            f"enable={enable}"
        )
        out = self.g.label()
        self.g.parts.append(f"[{filled}]{','.join(filters)}[{out}]")
        return out
