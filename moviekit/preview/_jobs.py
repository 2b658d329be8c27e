"""The ffmpeg jobs of a plan: one per scene, one per transition, one for the sound.

Each :class:`~moviekit.preview._plan.Job` is sealed with a content hash, so
:mod:`moviekit.preview._engine` can run it once and reuse its outputs. Scene
jobs write their body in the final encoding (so the pieces join without
re-encoding) and their transition head/tail raw; transition jobs xfade a tail
into the next head; the sound job mixes every audible element at its movie time.
"""

from __future__ import annotations

from pathlib import Path

from moviekit.preview._ffmpeg import num, q
from moviekit.preview._graph import Graph, SceneCompiler, media_input, num_prop
from moviekit.preview._plan import Input, Job, Output, Plan, Transition

#: x264 preset of the draft: speed first (veryfast encodes ~3x slower and needs
#: twice the memory at 1080p; a draft is for looking at timing and layout)
PRESET = "ultrafast"


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
    g = Graph()
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
        volume = num_prop(props, "volume", 1.0)
        if volume <= 0:
            continue
        length = min(span.length, total - span.movie_start)
        if length <= 0:
            continue
        label, content, _ = media_input(g, source, props, 0.0, length, p.fps, audio=True)
        if label is None:
            continue
        envelope = [f"{num(volume)}"]
        fade_in, fade_out = num_prop(props, "fade-in", 0), num_prop(props, "fade-out", 0)
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
