"""Local drafts on the command line: ``render`` without an API key, ``frame``, ``storyboard``.

The local path never needs a key and never spends credits; it needs the
``preview`` extra (``pip install "moviekit-json2video[preview]"``), and says so if missing.
Like every command that takes a movie, it validates first: a movie the service
would reject is refused here too, not drawn as if it were fine. Relative media
paths are read next to the script (or the JSON file), not from the current
directory: see :func:`media_root`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from moviekit.cli._app import CLIError, app, err, out, print_warning, printable, progress_bar
from moviekit.cli._load import about, load_movie, split_source


def default_output(source: str, suffix: str) -> Path:
    """``cookbook/hello_world.py`` -> ``hello_world.draft.mp4`` (in the current directory)."""
    return Path(f"{split_source(source)[0].stem}{suffix}")


def media_root(source: str) -> Path:
    """Where relative ``src`` paths of a script (or a JSON file) are read: its own folder.

    ``moviekit render sub/recipe.py`` with ``Image("photo.png")`` reads (or, rendering on
    the service, uploads) ``sub/photo.png`` wherever the command is run from.
    """
    return split_source(source)[0].resolve().parent


@contextmanager
def _drawing(source: str, why: str = "") -> Iterator[None]:
    """Errors while drawing ``source`` locally, as one line naming it.

    Without the preview extra the line says how to install it (after ``why``).
    """
    from moviekit._errors import PreviewUnavailableError

    with about(source):
        try:
            yield
        except PreviewUnavailableError as exc:
            raise CLIError(f"{why}{exc}") from exc
        except OverflowError as exc:  # times beyond any frame count (a duration of 1e308 s)
            raise CLIError(
                f"the movie is too long to draw as a draft ({exc})", source=source
            ) from exc


def _finite(value: float | None, option: str, *, positive: bool = False) -> None:
    """Misuse (exit 2) for ``nan``, ``inf`` or a negative (or, if ``positive``, zero) time."""
    if value is None:
        return
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        need = "a positive number of seconds" if positive else "a time in seconds, 0 or more"
        raise CLIError(f"{option} takes {need}, not {value:g}", 2)


def render_local(
    source: str, output: Path | None, *, reason: str, quality: str | None, no_cache: bool
) -> None:
    """Render a local draft and print its path (stdout) and what it approximates (stderr)."""
    movie = load_movie(source)  # an invalid movie stops here: its error is the only line
    err.print(reason)
    target = output or default_output(source, ".draft.mp4")
    why = "no API key, so moviekit renders locally, and " if "no API key" in reason else ""
    with _drawing(source, why):
        from moviekit import preview
        from moviekit.preview._ffmpeg import ffmpeg_exe

        ffmpeg_exe()  # before rendering anything: a missing extra is the first thing said
        with progress_bar() as bar:
            task = bar.add_task("rendering draft", total=None)

            def tick(done: int, total: int, what: str) -> None:
                bar.update(task, completed=done, total=total, description=what)

            result = preview.render(
                movie,
                target,
                quality=quality,
                use_cache=not no_cache,
                base_dir=media_root(source),
                on_progress=tick,
            )
    err.print(
        f"draft: {result.width}x{result.height} {result.fps} fps, "
        f"{result.duration:.2f} s in {result.seconds:.1f} s "
        f"({result.cached}/{result.jobs} jobs cached); {result.report.summary()}"
    )
    for item in result.report.approximations:
        err.print(printable(f"  ~ {item}"))
    for warning in result.report.warnings:
        err.print(printable(f"  warning: {warning}"))
    out.file.write(f"{result.path}\n")


@app.command()
def frame(
    source: str = typer.Argument(..., help="A script (script.py[:name]) or a JSON file."),
    at: float = typer.Option(0.0, "--at", "-t", help="Movie time in seconds."),
    output: Path | None = typer.Option(None, "--output", "-o", help="PNG file to write."),  # noqa: B008
) -> None:
    """Save one frame of the local draft as a PNG (no API key, no credits).

    Relative media paths are read next to the script (or JSON file).
    """
    _finite(at, "--at")
    movie = load_movie(source)
    with about(source):
        timeline = movie.timeline()
    if timeline.exact and timeline.total == 0:
        raise CLIError(
            "the movie is 0 s long, so it has no frame to draw; give its images or scenes a "
            "duration",
            source=source,
        )
    if at > timeline.total and timeline.exact:
        raise CLIError(
            f"--at {at:g} is past the end of the movie ({timeline.total:g} s long); "
            f"pick a time from 0 to {timeline.total:g}",
            2,
            source=source,
        )
    if at > timeline.total:
        print_warning(
            f"--at {at:g} may be past the end: the movie is at least {timeline.total:g} s long "
            "(the rest depends on media lengths); past the end, the last frame is drawn"
        )
    target = output or default_output(source, f".{at:g}s.png")
    with _drawing(source):
        from moviekit import preview

        preview.frame(movie, at, base_dir=media_root(source)).save(target)
    out.file.write(f"{target}\n")


@app.command()
def storyboard(
    source: str = typer.Argument(..., help="A script (script.py[:name]) or a JSON file."),
    output: Path | None = typer.Option(None, "--output", "-o", help="PNG file to write."),  # noqa: B008
    every: float | None = typer.Option(
        None, "--every", help="A frame every N seconds (default: one per scene)."
    ),
    columns: int = typer.Option(4, "--columns", min=1, max=100, help="Frames per row."),
    width: int = typer.Option(
        320, "--width", min=32, max=3840, help="Width of each frame in pixels."
    ),
) -> None:
    """Save a contact sheet of the local draft: one labelled frame per scene (or every N s).

    Relative media paths are read next to the script (or JSON file).
    """
    _finite(every, "--every", positive=True)
    movie = load_movie(source)
    target = output or default_output(source, ".storyboard.png")
    with _drawing(source):
        from moviekit import preview

        with progress_bar() as bar:
            task = bar.add_task("storyboard", total=None)
            path = preview.storyboard(
                movie,
                target,
                every=every,
                columns=columns,
                thumb_width=width,
                base_dir=media_root(source),
                on_progress=lambda d, n, w: bar.update(task, completed=d, total=n, description=w),
            )
    out.file.write(f"{path}\n")


__all__ = ["default_output", "frame", "media_root", "render_local", "storyboard"]
