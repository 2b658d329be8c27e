"""``moviekit batch review``: one static HTML page about every row of a batch.

Reads the ledger (nothing is sent to the service) and each row's own movie:
status, a thumbnail drawn by the local preview, the URL or the error with its
path, the cost, the "payload changed since submit" flag, filters by status and
the keys to render again. The page is one file that opens from disk.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from moviekit._errors import MoviekitError
from moviekit.batch._template import MovieTemplate
from moviekit.cli._app import err, fail, friendly_errors, out
from moviekit.cli.batch import batch_app


@batch_app.command("review")
def review(
    template: str = typer.Argument(..., help="script.py[:name] or a placeholder movie.json."),
    rows: Path = typer.Argument(..., help="Rows: a .csv, .json or .jsonl file."),  # noqa: B008
    key: str | None = typer.Option(None, "--key", "-k", help="Column that identifies a row."),
    ledger: Path = typer.Option(  # noqa: B008
        Path("moviekit-ledger.db"), "--ledger", help="The batch's SQLite ledger."
    ),
    output: Path = typer.Option(  # noqa: B008
        Path("review.html"), "--output", "-o", help="The HTML file to write."
    ),
    thumbnails: bool = typer.Option(
        True, "--thumbnails/--no-thumbnails", help="Draw a frame of each row's movie."
    ),
) -> None:
    """Write a static HTML review of a batch: a row per batch row (sends nothing)."""
    if not ledger.is_file():
        fail(f"no ledger at {ledger}; run `moviekit batch run` first", code=2)
    if not rows.is_file():
        fail(f"no such file: {rows}", code=2)
    with friendly_errors():
        from moviekit.studio._review import review_html, review_rows, write_review

        loaded = _template(template)
        reviewed = review_rows(
            loaded,
            rows,
            ledger=ledger,
            key=key,
            thumbnails=thumbnails,
            base_dir=_source_file(template).resolve().parent,
        )
        page = write_review(review_html(reviewed, title=f"batch review: {rows.name}"), output)
        err.print(f"{len(reviewed)} row(s) reviewed", markup=False)
        out.file.write(f"{page}\n")


def _source_file(template: str) -> Path:
    from moviekit.studio._load import split_source

    return split_source(template)[0]


def _template(source: str) -> MovieTemplate:
    from moviekit.studio._load import load, split_source

    path, name = split_source(source)
    if not path.is_file():
        fail(f"no such file: {path}", code=2)
    if path.suffix == ".json":
        try:
            return MovieTemplate(json.loads(path.read_text(encoding="utf-8")))
        except ValueError as exc:
            fail(f"{path.name}: not valid JSON ({exc})")
    if path.suffix != ".py":
        fail(f"TEMPLATE must be a .py script or a .json movie, got {path.name}", code=2)
    try:
        loaded = load(path, name)
    except MoviekitError as exc:
        fail(str(exc))
    if loaded.template is not None:
        return loaded.template
    assert loaded.movie is not None
    return MovieTemplate(loaded.movie)


__all__ = ["review"]
