"""``moviekit timeline``: when every scene and element plays, and what a render would cost."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from moviekit.cli._app import app, err, fail, friendly_errors, load_movie, out, print_json
from moviekit.timing._timeline import Timeline, seconds_text


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
    lengths: dict[str, float] = {}
    for item in length:
        key, sep, value = item.rpartition("=")
        try:
            lengths[key] = float(value)
        except ValueError:
            sep = ""
        if not sep or not key:
            fail(f"--length takes ID_OR_SRC=SECONDS, got {item!r}", code=2)
    with friendly_errors():
        result = load_movie(source).timeline(lengths)
        if svg is not None:
            svg.write_text(result.to_svg(), encoding="utf-8")
            err.print(f"wrote {svg}")
    # A Rich table costs about 2 ms a row: a big movie gets the same table as plain text.
    plain = not (json_output or gantt) and len(result.rows) > _RICH_ROWS
    for problem in () if plain else result.warnings:  # str(result) ends with them
        err.print(f"warning: {problem}", markup=False)
    if json_output:
        print_json(result.to_dict())
    elif gantt:
        out.print(result.gantt(), markup=False)
    elif plain:
        out.file.write(str(result) + "\n")
    else:
        _table(result)


_RICH_ROWS = 1_000


def _table(result: Timeline) -> None:
    table = Table(show_edge=False, pad_edge=False)
    for name in ("path", "type", "what", "start", "end", "length", "in movie"):
        table.add_column(name, justify="right" if name in ("start", "end", "length") else "left")
    for span in result.rows:
        element = span.kind == "element"
        note = " (trimmed)" if span.trimmed else " (never shown)" if span.hidden else ""
        table.add_row(
            ("  " + span.path.split(".")[-1]) if element and span.scene is not None else span.path,
            span.type,
            (span.label() if element else "") + note,
            ("" if span.start_exact else "≥ ") + f"{span.start:g}",
            seconds_text(span.end, span.exact)[:-2],
            seconds_text(span.length, span.exact)[:-2],
            f"{'' if span.start_exact else '≥ '}{span.movie_start:g}–"
            f"{'' if span.exact else '≥ '}{span.movie_end:g}",
            style=None if span.exact else "yellow",
        )
    out.print(table)
    out.print(
        f"total: {seconds_text(result.total, result.exact)}; cost: {result.credits}", markup=False
    )
    for dep in result.depends_on:
        out.print(f"  depends on: {dep}", markup=False)


__all__ = ["timeline"]
