"""``moviekit timeline``: when every scene and element plays, and what a render would cost."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from moviekit.cli._app import CLIError, app, err, out, print_json, print_warning, printable
from moviekit.cli._load import about, load_movie
from moviekit.cli.preview import media_root

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.timing._timeline import Timeline


@app.command()
def timeline(
    source: str = typer.Argument(
        ..., help="A Python script defining a Movie (script.py or script.py:name) or a JSON file."
    ),
    length: list[str] = typer.Option(
        [],
        "--length",
        "-l",
        metavar="ID_OR_SRC=SECONDS",
        help="A known natural length, e.g. -l voice1=12.5 or -l https://x/clip.mp4=30 (repeat).",
    ),
    gantt: bool = typer.Option(False, "--gantt", help="Draw a text Gantt chart instead."),
    svg: Path | None = typer.Option(None, "--svg", help="Also write an SVG picture to this file."),
    json_output: bool = typer.Option(False, "--json", help="Print the timeline as JSON."),
    probe: bool = typer.Option(
        False,
        "--probe",
        help="Read video and audio lengths from the media files (local ones next to the script, "
        "remote URLs when reachable) with the local preview's ffmpeg; -l values win.",
    ),
) -> None:
    """Show the timeline: start, end and length of every scene and element, total and cost."""
    lengths = _lengths(length)
    movie = load_movie(source)
    with about(source):
        result = movie.timeline(lengths, probe=probe, base_dir=media_root(source))
        picture = result.to_svg() if svg is not None else ""
    if svg is not None:
        svg.write_text(picture, encoding="utf-8", errors="backslashreplace")
        err.print(printable(f"wrote {svg}"))
    if json_output or gantt:  # the text table ends with the warnings; these views do not
        for problem in result.warnings:
            print_warning(str(problem))
    if json_output:
        print_json(result.to_dict())
    elif gantt:
        out.print(result.gantt())
    else:
        _table(result)


def _lengths(items: list[str]) -> dict[str, float]:
    """``["voice1=12.5"]`` -> ``{"voice1": 12.5}``; misuse (exit 2) for anything else."""
    lengths: dict[str, float] = {}
    for item in items:
        key, _, value = item.rpartition("=")
        try:
            seconds = float(value)
        except ValueError:
            seconds = math.nan
        if not key or not math.isfinite(seconds) or seconds < 0:
            raise CLIError(f"--length takes ID_OR_SRC=SECONDS (seconds 0 or more), got {item!r}", 2)
        lengths[key] = seconds
    return lengths


def _table(result: Timeline) -> None:
    # The timeline's own text table: plain columns print thousands of rows at once
    # (a Rich table takes seconds), and it is the table the README shows.
    for line in str(result).splitlines():
        out.file.write(printable(line) + "\n")


__all__ = ["timeline"]
