"""Local drafts on the command line: ``render`` without an API key, ``frame``, ``storyboard``.

The local path never needs a key and never spends credits; it needs the
``preview`` extra (``pip install "moviekit[preview]"``), and says so if missing.
Relative media paths are read next to the script (or the JSON file), not from
the current directory: see :func:`media_root`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from moviekit._errors import PreviewUnavailableError
from moviekit.cli._app import app, err, fail, friendly_errors, load_movie, out, progress_bar


def _source_file(source: str) -> Path:
    """The file of a ``script.py[:name]`` or ``movie.json`` argument."""
    return Path(source.rsplit(":", 1)[0] if ".py:" in source else source)


def default_output(source: str, suffix: str) -> Path:
    """``cookbook/hello_world.py`` -> ``hello_world.draft.mp4`` (in the current directory)."""
    return Path(f"{_source_file(source).stem}{suffix}")


def media_root(source: str) -> Path:
    """Where relative ``src`` paths of a script (or a JSON file) are read: its own folder.

    ``moviekit render sub/recipe.py`` with ``Image("photo.png")`` reads
    ``sub/photo.png`` wherever the command is run from.
    """
    return _source_file(source).resolve().parent


@contextmanager
def _needs_preview(why: str) -> Iterator[None]:
    try:
        yield
    except PreviewUnavailableError as exc:
        fail(f"{why}{exc}")


def render_local(
    source: str, output: Path | None, *, reason: str, quality: str | None, no_cache: bool
) -> None:
    """Render a local draft and print its path (stdout) and what it approximates (stderr)."""
    err.print(reason, markup=False)
    target = output or default_output(source, ".draft.mp4")
    with (
        friendly_errors(),
        _needs_preview(
            "no API key, so moviekit renders locally, and " if "no API key" in reason else ""
        ),
    ):
        movie = load_movie(source)
        from moviekit import preview
        from moviekit.preview._ffmpeg import ffmpeg_exe

        ffmpeg_exe()  # before loading anything: a missing extra is the first thing said
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
            f"({result.cached}/{result.jobs} jobs cached); {result.report.summary()}",
            markup=False,
        )
        for item in result.report.approximations:
            err.print(f"  ~ {item}", markup=False)
        for warning in result.report.warnings:
            err.print(f"  warning: {warning}", markup=False)
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
    with friendly_errors(), _needs_preview(""):
        from moviekit import preview

        movie = load_movie(source)
        target = output or default_output(source, f".{at:g}s.png")
        preview.frame(movie, at, base_dir=media_root(source)).save(target)
        out.file.write(f"{target}\n")


@app.command()
def storyboard(
    source: str = typer.Argument(..., help="A script (script.py[:name]) or a JSON file."),
    output: Path | None = typer.Option(None, "--output", "-o", help="PNG file to write."),  # noqa: B008
    every: float | None = typer.Option(
        None, "--every", help="A frame every N seconds (default: one per scene)."
    ),
    columns: int = typer.Option(4, "--columns", min=1, help="Frames per row."),
    width: int = typer.Option(320, "--width", min=32, help="Width of each frame in pixels."),
) -> None:
    """Save a contact sheet of the local draft: one labelled frame per scene (or every N s).

    Relative media paths are read next to the script (or JSON file).
    """
    with friendly_errors(), _needs_preview(""):
        from moviekit import preview

        movie = load_movie(source)
        target = output or default_output(source, ".storyboard.png")
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
