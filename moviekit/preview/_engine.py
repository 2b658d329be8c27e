"""Run the planned jobs: in parallel, cached by content hash, joined without re-encoding."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moviekit._errors import PreviewError
from moviekit.preview import _jobs, _text
from moviekit.preview._ffmpeg import check_cancel, num, q, run
from moviekit.preview._graph import Graph, text_file
from moviekit.preview._media import MediaStore
from moviekit.preview._plan import Input, Job, Output, Plan, frame_at, plan
from moviekit.preview._report import Report

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.builders._movie import Movie
    from moviekit.timing._timeline import Timeline

#: ``on_progress(done, total, what)``: a job finished (or was found in the cache)
Progress = Callable[[int, int, str], None]


def default_cache_dir() -> Path:
    """``$MOVIEKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/moviekit/preview`` (``~/.cache/...``)."""
    explicit = os.environ.get("MOVIEKIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "moviekit" / "preview"


@dataclass(frozen=True)
class PreviewResult:
    """What :func:`moviekit.preview.render` produced."""

    path: Path
    duration: float
    """Seconds (a whole number of frames; equals ``timeline.total`` to the frame)."""
    width: int
    height: int
    fps: int
    timeline: Timeline
    report: Report
    jobs: int
    cached: int
    """Jobs whose output came from the cache (unchanged scenes are not re-rendered)."""
    seconds: float
    """Wall time of the render."""

    def __str__(self) -> str:
        return (
            f"{self.path} ({self.width}x{self.height}, {self.fps} fps, {self.duration:.2f} s; "
            f"{self.jobs} jobs, {self.cached} cached, {self.seconds:.1f} s); "
            f"{self.report.summary()}"
        )


class Engine:
    """Runs jobs into ``<cache>/jobs/<key>/``; a finished job directory is reused as is.

    ``cancel``: once set, the ffmpeg jobs running are killed (their half-made
    directories removed) and the jobs not started raise :class:`PreviewError`
    without starting.
    """

    def __init__(
        self,
        cache_dir: Path,
        *,
        workers: int | None = None,
        on_progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self.cancel = cancel
        self.jobs_dir = cache_dir / "jobs"
        self.workers = max(1, workers or min(4, os.cpu_count() or 2))
        self.on_progress = on_progress
        self.done = 0
        self.total = 0
        self.cached = 0
        self._lock = threading.Lock()

    def dir(self, job: Job) -> Path:
        return self.jobs_dir / job.key

    def run(self, job: Job) -> Path:
        """Run ``job`` unless its outputs are cached; return its directory."""
        check_cancel(self.cancel, job.name, job.path)
        target = self.dir(job)
        if (target / "done").exists():
            self._tick(job, cached=True)
            return target
        self.jobs_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{job.key}.", suffix=".tmp", dir=self.jobs_dir))
        try:
            args: list[str] = []
            for item in job.inputs:
                args.extend(item.args())
            args.extend(["-filter_complex", job.graph])
            for out in job.outputs:
                args.extend(["-map", f"[{out.label}]", *out.codec, str(work / out.name)])
            run([*job.extra, *args], what=job.name, path=job.path, cancel=self.cancel)
            (work / "done").write_text(job.name, encoding="utf-8")
            try:
                os.replace(work, target)
            except OSError:  # another process finished the same job first: keep theirs
                shutil.rmtree(work, ignore_errors=True)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        self._tick(job, cached=False)
        return target

    def run_all(self, jobs: Sequence[Job]) -> list[Path]:
        """Run jobs in parallel (ffmpeg does the work; threads only wait)."""
        if len(jobs) <= 1 or self.workers == 1:
            return [self.run(job) for job in jobs]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return list(pool.map(self.run, jobs))

    def _tick(self, job: Job, *, cached: bool) -> None:
        with self._lock:
            self.done += 1
            self.cached += int(cached)
            done, total = self.done, self.total
        if self.on_progress is not None:
            self.on_progress(done, total, job.name + (" (cached)" if cached else ""))


@contextmanager
def _cache(cache_dir: str | os.PathLike[str] | None, use_cache: bool) -> Iterator[Path]:
    if not use_cache:
        with tempfile.TemporaryDirectory(prefix="moviekit-preview-") as tmp:
            yield Path(tmp)
        return
    yield Path(cache_dir) if cache_dir is not None else default_cache_dir()


def _concat_line(path: Path) -> str:
    return "file '" + str(path).replace("'", "'\\''") + "'\n"


def render(
    movie: Movie,
    output: str | os.PathLike[str],
    *,
    workers: int | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    base_dir: str | os.PathLike[str] | None = None,
    fetch_timeout: float = 5.0,
    quality: str | None = None,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> PreviewResult:
    """Render ``movie`` to ``output`` (see :func:`moviekit.preview.render`)."""
    started = time.perf_counter()
    out_path = Path(output)
    with _cache(cache_dir, use_cache) as cache:
        store = MediaStore(cache, base_dir, fetch_timeout=fetch_timeout, cancel=cancel)
        p = plan(movie, store, cache / "text", quality=quality)
        engine = Engine(cache, workers=workers, on_progress=on_progress, cancel=cancel)
        scene_jobs = [_jobs.scene_job(p, i) for i in range(len(p.segments))]
        sound = _jobs.audio_job(p)
        engine.total = len(scene_jobs) + len(p.transitions) + 2
        dirs = engine.run_all([*scene_jobs, sound])
        scene_dirs, sound_dir = dirs[:-1], dirs[-1]
        transition_jobs = [
            _jobs.transition_job(
                p,
                tr,
                (scene_jobs[tr.into - 1].key, scene_dirs[tr.into - 1] / "tail.nut"),
                (scene_jobs[tr.into].key, scene_dirs[tr.into] / "head.nut"),
            )
            for tr in p.transitions
        ]
        transition_dirs = dict(
            zip((tr.into for tr in p.transitions), engine.run_all(transition_jobs), strict=True)
        )
        listing = ""
        for i, seg in enumerate(p.segments):
            if i in transition_dirs:
                listing += _concat_line(transition_dirs[i] / "transition.mp4")
            if seg.frames - seg.head - seg.tail > 0:
                listing += _concat_line(scene_dirs[i] / "body.mp4")
        out_path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="moviekit-join-", dir=cache) as tmp:
            list_file = Path(tmp) / "parts.txt"
            list_file.write_text(listing, encoding="utf-8")
            partial = Path(tmp) / ("draft" + (out_path.suffix or ".mp4"))
            run(
                [
                    "-f",
                    "concat",
                    "-safe",
                    "0",
                    "-i",
                    str(list_file),
                    "-i",
                    str(sound_dir / "audio.m4a"),
                    "-map",
                    "0:v:0",
                    "-map",
                    "1:a:0",
                    "-c",
                    "copy",
                    "-movflags",
                    "+faststart",
                    str(partial),
                ],
                what="joining the scenes",
                cancel=cancel,
            )
            shutil.move(str(partial), out_path)
        engine.done += 1
        if on_progress is not None:
            on_progress(engine.done, engine.total, "joined")
        return PreviewResult(
            out_path,
            p.duration,
            p.width,
            p.height,
            p.fps,
            p.timeline,
            p.report,
            engine.total - 1,
            engine.cached,
            time.perf_counter() - started,
        )


# =========================================================================== pictures


def _locate(p: Plan, f: int) -> tuple[int, int]:
    """(segment index, local frame) of movie frame ``f``; in a transition, the later segment."""
    for i in range(len(p.segments) - 1, -1, -1):
        seg = p.segments[i]
        if seg.start <= f < seg.start + seg.frames:
            return i, f - seg.start
    raise PreviewError(f"no scene covers frame {f}")  # pragma: no cover - segments tile the movie


def _frame_png(p: Plan, engine: Engine, t: float, size: tuple[int, int] | None) -> Path:
    f = min(max(0, frame_at(t, p.fps)), p.total_frames - 1)
    index, local = _locate(p, f)
    seg = p.segments[index]
    job_dir = engine.run(_jobs.frame_job(p, index, local, size))
    if local >= seg.head:
        return job_dir / "frame.png"
    # Inside a transition: blend the two scenes' frames as the transition job would.
    prev = p.segments[index - 1]
    prev_dir = engine.run(_jobs.frame_job(p, index - 1, f - prev.start, size))
    style = next(tr.style for tr in p.transitions if tr.into == index)
    h = seg.head
    graph = (
        f"[0:v]loop=loop={h - 1}:size=1:start=0,setpts=N/({p.fps}*TB)[a];"
        f"[1:v]loop=loop={h - 1}:size=1:start=0,setpts=N/({p.fps}*TB)[b];"
        f"[a][b]xfade=transition={style}:duration={num(h / p.fps)}:offset=0,"
        f"trim=start_frame={local}:end_frame={local + 1}[png]"
    )
    blend = Job(
        f"transition frame in {seg.path}",
        seg.path,
        [Input([], prev_dir / "frame.png"), Input([], job_dir / "frame.png")],
        graph,
        [Output("png", "frame.png", ["-frames:v", "1", "-update", "1"])],
    )
    return engine.run(blend.seal()) / "frame.png"


def frame(
    movie: Movie,
    t: float,
    *,
    size: tuple[int, int] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    base_dir: str | os.PathLike[str] | None = None,
    fetch_timeout: float = 5.0,
) -> bytes:
    """PNG bytes of movie time ``t`` (see :func:`moviekit.preview.frame`)."""
    with _cache(cache_dir, use_cache) as cache:
        store = MediaStore(cache, base_dir, fetch_timeout=fetch_timeout)
        p = plan(movie, store, cache / "text")
        return _frame_png(p, Engine(cache), t, size).read_bytes()


def storyboard(
    movie: Movie,
    output: str | os.PathLike[str],
    *,
    every: float | None = None,
    columns: int = 4,
    thumb_width: int = 320,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    base_dir: str | os.PathLike[str] | None = None,
    fetch_timeout: float = 5.0,
    workers: int | None = None,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> tuple[Path, list[tuple[float, str]]]:
    """A contact sheet PNG (see :func:`moviekit.preview.storyboard`)."""
    with _cache(cache_dir, use_cache) as cache:
        store = MediaStore(cache, base_dir, fetch_timeout=fetch_timeout, cancel=cancel)
        p = plan(movie, store, cache / "text")
        shots = _shots(p, every)
        thumb_h = max(2, round(thumb_width * p.height / p.width / 2) * 2)
        engine = Engine(cache, workers=workers, on_progress=on_progress, cancel=cancel)
        engine.total = len(shots) + 1
        if engine.workers > 1 and len(shots) > 1:
            with ThreadPoolExecutor(max_workers=engine.workers) as pool:
                files = list(
                    pool.map(lambda s: _frame_png(p, engine, s[0], (thumb_width, thumb_h)), shots)
                )
        else:
            files = [_frame_png(p, engine, s[0], (thumb_width, thumb_h)) for s in shots]
        g = Graph()
        label_h = max(18, thumb_h // 8)
        font_size = max(10, label_h * 2 // 3)
        labels = []
        for i, ((t, label), file) in enumerate(zip(shots, files, strict=True)):
            g.add_input(Input([], file))
            caption = text_file(p.text_dir, f"{t:6.2f} s  {label}")
            g.parts.append(
                f"[{i}:v]pad=w=iw:h=ih+{label_h}:x=0:y=0:color=0x202020,"
                f"drawtext=fontfile={q(_text.REGULAR)}:textfile={q(caption)}:expansion=none:"
                f"fontsize={font_size}:fontcolor=white:x=6:y=h-{label_h}+({label_h}-text_h)/2"
                f"[t{i}]"
            )
            labels.append(f"[t{i}]")
        cols = max(1, min(columns, len(shots)))
        rows = -(-len(shots) // cols)
        g.parts.append(
            "".join(labels) + f"concat=n={len(labels)}:v=1:a=0,"
            f"tile={cols}x{rows}:padding=6:margin=6:color=0x101010[board]"
        )
        job = Job(
            "storyboard",
            "",
            g.inputs,
            g.text(),
            [Output("board", "storyboard.png", ["-frames:v", "1", "-update", "1"])],
        )
        board = engine.run(job.seal()) / "storyboard.png"
        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(board, target)
        return target, shots


def _shots(p: Plan, every: float | None) -> list[tuple[float, str]]:
    """(time, label): one per scene (the middle of what it shows alone), or every N seconds."""
    if every is not None:
        if every <= 0:
            raise PreviewError("--every must be a positive number of seconds")
        count = max(1, int(p.duration / every + 1e-9) + (0 if p.duration % every == 0 else 1))
        out = []
        for k in range(min(count, 400)):
            t = k * every
            index, _ = _locate(p, min(frame_at(t, p.fps), p.total_frames - 1))
            out.append((t, p.segments[index].path))
        return out
    shots = []
    for seg in p.segments:
        lo, hi = seg.start + seg.head, seg.start + seg.frames - seg.tail
        if hi <= lo:
            lo, hi = seg.start, seg.start + seg.frames
        shots.append(((lo + hi - 1) / 2 / p.fps, seg.path))
    return shots


def plan_only(
    movie: Movie,
    *,
    base_dir: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    fetch_timeout: float = 5.0,
) -> Any:
    """The plan (for tests and benchmarks): segments, transitions, report."""
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    store = MediaStore(cache, base_dir, fetch_timeout=fetch_timeout)
    return plan(movie, store, cache / "text")
