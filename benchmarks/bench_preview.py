"""Preview benchmark: moviekit's local draft vs a hand-written ffmpeg command vs moviepy.

Run: ``python benchmarks/bench_preview.py`` (``--quick`` for a smaller, faster run).

The same composition three ways, at 1280x720, 30 fps: N scenes, each a coloured
background, a video clip resized to cover, a logo in the top-right corner and a
caption; fade transitions of 0.5 s between scenes; a music track under it all.

  floor     one hand-written ffmpeg command (one filter graph, xfade chain), same encoder
  moviekit  moviekit.preview.render (a job per scene and per transition, concat, no cache)
  moviepy   the same composition in moviepy 2.x, installed at run time into its own venv
            (/tmp/moviekit-bench-moviepy; never a moviekit dependency)

Plus peak memory of a 30-scene render: the whole process tree (Python + every ffmpeg
running at once) sampled from /proc every 20 ms, and the largest single process
(``getrusage(RUSAGE_CHILDREN)``). Every ratio compares runs made here, in this run.
Targets: moviekit <= 1.3x the floor; moviepy >= 5x slower than moviekit; < 500 MB.
Exit code 1 when a target is missed (timings on a shared machine are noisy).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from moviekit import Audio, Image, Movie, Scene, Text, Video, preview  # noqa: E402
from moviekit.preview import _jobs, _plan, _text  # noqa: E402
from moviekit.preview._ffmpeg import ffmpeg_exe  # noqa: E402

W, H, FPS, FADE = 1280, 720, 30, 0.5
COLORS = ["#1B2838", "#2E4057", "#4F6D7A", "#56A3A6", "#A0C1B8", "#F2AA4C"]
MOVIEPY_VENV = Path("/tmp/moviekit-bench-moviepy")


def ff(*args: str) -> None:
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args], check=True
    )


def make_media(folder: Path, seconds: float) -> dict[str, Path]:
    clip, logo, music = folder / "clip.mp4", folder / "logo.png", folder / "music.wav"
    ff(
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=s=960x540:r={FPS}:d={seconds}",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        str(clip),
    )
    ff("-f", "lavfi", "-i", "color=c=0xF2AA4C:s=160x80", "-frames:v", "1", str(logo))
    ff("-f", "lavfi", "-i", "sine=f=330:d=600:sample_rate=48000", "-t", "600", str(music))
    return {"clip": clip, "logo": logo, "music": music}


def moviekit_movie(media: dict[str, Path], scenes: int, seconds: float) -> Movie:
    movie = Movie(resolution="hd", fps=FPS, quality="high")
    for i in range(scenes):
        scene = Scene(background_color=COLORS[i % len(COLORS)], duration=seconds).add(
            Video(str(media["clip"])).resize("cover").muted(True),
            Image(str(media["logo"])).position("top-right"),
            Text(f"Scene {i + 1}").settings(font_size="48px", font_color="#FFFFFF"),
        )
        movie = movie.add(scene.transition("fade", FADE) if i else scene)
    total = scenes * seconds - (scenes - 1) * FADE
    return movie.add(Audio(str(media["music"])).volume(0.5).duration(total))


def floor_command(
    media: dict[str, Path], scenes: int, seconds: float, out: Path, text_dir: Path
) -> list[str]:
    """The same composition as one hand-written ffmpeg command (what an expert would type)."""
    crf = str(_plan.CRF["high"])
    args = []
    for _ in range(scenes):
        args += ["-t", str(seconds), "-i", str(media["clip"])]
    args += ["-i", str(media["logo"]), "-i", str(media["music"])]
    logo, music = scenes, scenes + 1
    gap_x, gap_y = int(0.05 * W), int(0.05 * H)
    parts = [f"[{logo}:v]split={scenes}" + "".join(f"[l{i}]" for i in range(scenes))]
    for i in range(scenes):
        text = text_dir / f"floor{i}.txt"
        text.write_text(f"Scene {i + 1}")
        color = "0x" + COLORS[i % len(COLORS)][1:]
        parts.append(
            f"color=c={color}:s={W}x{H}:r={FPS}:d={seconds}[b{i}];"
            f"[{i}:v]scale={W}:{H}[v{i}];[b{i}][v{i}]overlay=eof_action=pass[o{i}];"
            f"[o{i}][l{i}]overlay=x=W-w-{gap_x}:y={gap_y}[p{i}];"
            f"[p{i}]drawtext=fontfile={_text.REGULAR}:textfile={text}:fontsize=48:"
            f"fontcolor=white:x=(w-text_w)/2:y=(h-text_h)/2[s{i}]"
        )
    last = "s0"
    for i in range(1, scenes):
        offset = i * (seconds - FADE)
        parts.append(f"[{last}][s{i}]xfade=transition=fade:duration={FADE}:offset={offset}[x{i}]")
        last = f"x{i}"
    total = scenes * seconds - (scenes - 1) * FADE
    parts.append(f"[{music}:a]atrim=end={total},volume=0.5[a]")
    return [
        *args,
        "-filter_complex",
        ";".join(parts),
        "-map",
        f"[{last}]",
        "-map",
        "[a]",
        "-c:v",
        "libx264",
        "-preset",
        _jobs.PRESET,
        "-crf",
        crf,
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "160k",
        str(out),
    ]


MOVIEPY_SCRIPT = textwrap.dedent("""
    import sys, time
    from moviepy import (AudioFileClip, ColorClip, CompositeVideoClip, ImageClip, TextClip,
                         VideoFileClip, concatenate_videoclips, vfx)
    clip_path, logo, music, font, out, scenes, seconds, fade = sys.argv[1:9]
    scenes, seconds, fade = int(scenes), float(seconds), float(fade)
    colors = [(27, 40, 56), (46, 64, 87), (79, 109, 122), (86, 163, 166), (160, 193, 184),
              (242, 170, 76)]
    started = time.perf_counter()
    parts = []
    for i in range(scenes):
        layers = [
            ColorClip((1280, 720), color=colors[i % len(colors)], duration=seconds),
            VideoFileClip(clip_path, audio=False).resized((1280, 720)).with_duration(seconds),
            ImageClip(logo).with_position((1280 - 160 - 64, 36)).with_duration(seconds),
            TextClip(font=font, text=f"Scene {i + 1}", font_size=48, color="white")
            .with_position("center").with_duration(seconds),
        ]
        scene = CompositeVideoClip(layers, size=(1280, 720))
        parts.append(scene.with_effects([vfx.CrossFadeIn(fade)]) if i else scene)
    movie = concatenate_videoclips(parts, method="compose", padding=-fade)
    movie = movie.with_audio(AudioFileClip(music).subclipped(0, movie.duration)
                             .with_volume_scaled(0.5))
    movie.write_videofile(out, fps=30, codec="libx264", preset="ultrafast", audio_codec="aac",
                          logger=None)
    print(time.perf_counter() - started)
""")


def ensure_moviepy() -> tuple[Path | None, str]:
    python = MOVIEPY_VENV / "bin" / "python"
    check = [str(python), "-c", "import moviepy; print(moviepy.__version__)"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python, ""
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", str(MOVIEPY_VENV)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        result = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "moviepy>=2"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            return None, "pip install moviepy failed: " + result.stderr.strip()[-300:]
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"could not create a venv for moviepy: {exc}"
    if subprocess.run(check, capture_output=True).returncode != 0:
        return None, "moviepy installed but does not import"
    return python, ""


def timed(fn: object, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return best


# ----------------------------------------------------------------------------- memory


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def memory_run(scenes: int, seconds: float, media_dir: Path) -> tuple[float, float, float]:
    """(peak tree MB, largest single process MB, seconds) of a render in a child process."""
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r});"
        "from bench_preview import _memory_child; _memory_child()"
    )
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(scenes), str(seconds), str(media_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(child.pid))
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    report, _ = child.communicate()
    stop.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"the 30-scene render failed (exit {child.returncode})")
    # The child's own getrusage: its largest ffmpeg (ours would include moviepy's runs).
    largest_kb = float(report.strip().splitlines()[-1])
    return peak / 2**20, largest_kb / 1024, time.perf_counter() - started


def _memory_child() -> None:
    scenes, seconds, media_dir = int(sys.argv[1]), float(sys.argv[2]), Path(sys.argv[3])
    media = {
        "clip": media_dir / "clip.mp4",
        "logo": media_dir / "logo.png",
        "music": media_dir / "music.wav",
    }
    with tempfile.TemporaryDirectory() as tmp:
        preview.render(moviekit_movie(media, scenes, seconds), Path(tmp) / "m.mp4", use_cache=False)
    largest = max(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    )
    print(largest)  # KB on Linux: the largest single process of this render


# ----------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter scenes")
    parser.add_argument("--no-moviepy", action="store_true", help="skip the moviepy run")
    options = parser.parse_args()
    scenes, seconds, repeat = (2, 1.5, 1) if options.quick else (4, 4.0, 2)
    mem_scenes, mem_seconds = (6, 0.5) if options.quick else (30, 1.0)
    rows: list[tuple[str, str]] = []
    checks: list[tuple[str, bool]] = []
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp_text:
        tmp = Path(tmp_text)
        media = make_media(tmp, seconds)
        total = scenes * seconds - (scenes - 1) * FADE
        print(
            f"composition: {scenes} scenes x {seconds:g} s, fade {FADE} s -> {total:g} s at "
            f"{W}x{H} {FPS} fps; best of {repeat}"
        )
        floor = timed(
            lambda: ff(*floor_command(media, scenes, seconds, tmp / "floor.mp4", tmp)), repeat
        )
        ours = timed(
            lambda: preview.render(
                moviekit_movie(media, scenes, seconds), tmp / "moviekit.mp4", use_cache=False
            ),
            repeat,
        )
        rows.append(("floor: one hand-written ffmpeg command", f"{floor:7.2f} s"))
        rows.append(
            (
                "moviekit.preview.render (no cache)",
                f"{ours:7.2f} s   {ours / floor:.2f}x the floor (target <= 1.3x)",
            )
        )
        checks.append(("moviekit within 1.3x of the floor", ours / floor <= 1.3))
        if options.no_moviepy:
            rows.append(("moviepy", "skipped (--no-moviepy)"))
        else:
            python, why = ensure_moviepy()
            if python is None:
                rows.append(("moviepy", f"not measured: {why}"))
            else:

                def moviepy_run() -> None:
                    subprocess.run(
                        [
                            str(python),
                            "-c",
                            MOVIEPY_SCRIPT,
                            str(media["clip"]),
                            str(media["logo"]),
                            str(media["music"]),
                            str(_text.REGULAR),
                            str(tmp / "moviepy.mp4"),
                            str(scenes),
                            str(seconds),
                            str(FADE),
                        ],
                        check=True,
                        capture_output=True,
                    )

                slow = timed(moviepy_run, 1)
                rows.append(
                    (
                        "moviepy 2.x, same composition",
                        f"{slow:7.2f} s   moviekit is {slow / ours:.1f}x faster (target >= 5x)",
                    )
                )
                checks.append(("moviekit >= 5x faster than moviepy", slow / ours >= 5))
        peak, largest, spent = memory_run(mem_scenes, mem_seconds, tmp)
        rows.append(
            (
                f"memory, {mem_scenes} scenes x {mem_seconds:g} s",
                f"{peak:7.0f} MB peak (Python + concurrent ffmpeg), largest process "
                f"{largest:.0f} MB, {spent:.1f} s (target < 500 MB)",
            )
        )
        checks.append(("30-scene peak memory < 500 MB", peak < 500))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")
    for name, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
