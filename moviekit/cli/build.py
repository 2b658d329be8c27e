"""``moviekit build`` and ``moviekit validate``: a script or JSON file to checked Movie JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.text import Text

from moviekit._errors import MoviekitError
from moviekit._problems import Problem, ValidationReport
from moviekit.cli._app import CLIError, app, err, out, print_json, printable
from moviekit.cli._load import about, load_document, load_movie, report_of, split_source

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.timing._estimate import CreditEstimate


@app.command()
def build(
    source: str = typer.Argument(
        ..., help="A Python script defining a Movie (script.py or script.py:name) or a JSON file."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here, not stdout."),
    indent: int = typer.Option(2, min=0, max=16, help="Indentation of the JSON (0 for one line)."),
    no_validate: bool = typer.Option(False, "--no-validate", help="Skip validation."),
) -> None:
    """Compile a movie to validated Movie JSON."""
    movie = load_movie(source, validate=not no_validate)
    with about(source):
        text = movie.to_json(indent=indent or None, validate=False)  # checked by load_movie
    if output is None:
        out.file.write(text + "\n")
    else:
        output.write_text(text + "\n", encoding="utf-8", errors="backslashreplace")
        err.print(printable(f"wrote {output}"))


@app.command()
def validate(
    sources: list[str] = typer.Argument(..., help="Scripts or JSON files to check."),
    json_output: bool = typer.Option(False, "--json", help="Print the reports as JSON."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
) -> None:
    """Check movies against the schema and lints. Exit 0 when all are valid, 1 when not."""
    results: list[dict[str, Any]] = []
    all_ok = True
    for source in sources:
        cost: CreditEstimate | None = None
        try:
            document = load_document(source)
            report = report_of(document, source)
            cost = _estimate(document) if report.ok else None  # an invalid movie is not sent
        except CLIError as exc:
            if exc.code != 1:
                raise  # misuse (no such file), or the status a recipe's sys.exit(n) asked for
            named = (source, str(split_source(source)[0]))
            said = exc.detail if exc.source in named else exc.message
            report = ValidationReport(errors=(Problem("", "unreadable", said),))
        ok = report.ok and not (strict and report.warnings)
        all_ok = all_ok and ok
        results.append(
            {"file": source, **report.to_dict(), "ok": ok, "estimate": _estimate_data(cost)}
        )
        if not json_output:
            _print_report(source, report, ok)
            if cost is not None:
                out.print(printable(f"  estimate: {cost.text}"))
    if json_output:
        print_json(results if len(results) > 1 else results[0])
    if not all_ok:
        raise typer.Exit(1)


def _estimate(document: Any) -> CreditEstimate | None:
    """The credit estimate of a movie or Movie JSON object (None for what has no timeline).

    Shown next to the report, not in it: the cost is not a validation finding.
    """
    from moviekit.builders._movie import Movie
    from moviekit.timing._timeline import Timeline

    if isinstance(document, Movie):
        return document.timeline().estimate()
    if not isinstance(document, dict) or "template" in document:
        return None  # not a movie, or a saved template's movie on the service
    try:
        return Timeline.from_dict(document).estimate()
    except (MoviekitError, RecursionError):
        return None


def _estimate_data(cost: CreditEstimate | None) -> dict[str, Any] | None:
    return cost.to_dict() if cost is not None else None


def _print_report(source: str, report: ValidationReport, ok: bool) -> None:
    counts = f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
    mark = ("ok", "green") if ok else ("invalid", "red")
    out.print(Text.assemble(printable(source), ": ", mark, f" ({counts})"))
    for problem in report.problems:
        colour = "red" if problem.severity == "error" else "yellow"
        where = problem.path or "(movie)"
        out.print(
            Text.assemble(
                "  ",
                (problem.severity, colour),
                printable(f" {where}: {problem.message} "),
                (f"[{problem.code}]", "dim"),
            )
        )
        if problem.hint:
            out.print(printable(f"    hint: {problem.hint}"))


__all__ = ["build", "validate"]
