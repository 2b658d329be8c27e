"""``moviekit timeline``: when every scene and element plays, and what a render would cost."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table
from rich.text import Text

from moviekit.cli._app import CLIError, app, err, out, print_json, printable
from moviekit.cli._load import about, load_movie

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
) -> None:
    """Show the timeline: start, end and length of every scene and element, total and cost."""
    lengths = _lengths(length)
    movie = load_movie(source)
    with about(source):
        result = movie.timeline(lengths)
        picture = result.to_svg() if svg is not None else ""
    if svg is not None:
        svg.write_text(picture, encoding="utf-8", errors="backslashreplace")
        err.print(printable(f"wrote {svg}"))
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
    from moviekit.timing._timeline import seconds_text

    table = Table(show_edge=False, pad_edge=False)
    for name in ("path", "type", "what", "start", "end", "length", "in movie"):
        table.add_column(name, justify="right" if name in ("start", "end", "length") else "left")
    for span in result.rows:
        element = span.kind == "element"
        note = " (trimmed)" if span.trimmed else " (never shown)" if span.hidden else ""
        cells = (
            ("  " + span.path.split(".")[-1]) if element and span.scene is not None else span.path,
            span.type,
            (span.label() if element else "") + note,
            ("" if span.start_exact else "≥ ") + f"{span.start:g}",
            seconds_text(span.end, span.exact)[:-2],
            seconds_text(span.length, span.exact)[:-2],
            f"{'' if span.start_exact else '≥ '}{span.movie_start:g}–"
            f"{'' if span.exact else '≥ '}{span.movie_end:g}",
        )
        # Text cells: a label is the movie's own words, never Rich markup.
        table.add_row(*(Text(printable(c)) for c in cells), style=None if span.exact else "yellow")
    out.print(table)
    out.print(f"total: {seconds_text(result.total, result.exact)}; cost: {result.credits}")
    for dep in result.depends_on:
        out.print(printable(f"  depends on: {dep}"))


__all__ = ["timeline"]
