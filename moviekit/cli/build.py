"""``moviekit build`` and ``moviekit validate``: a script or JSON file to checked Movie JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from moviekit._errors import MoviekitError
from moviekit._problems import Problem, ValidationReport
from moviekit.cli._app import app, err, fail, friendly_errors, load_movie, out, print_json
from moviekit.validation._validate import validate as validate_movie


@app.command()
def build(
    source: str = typer.Argument(
        ..., help="A Python script defining a Movie (script.py or script.py:name) or a JSON file."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here, not stdout."),
    indent: int = typer.Option(2, help="Indentation of the JSON (0 for one line)."),
    no_validate: bool = typer.Option(False, "--no-validate", help="Skip validation."),
) -> None:
    """Compile a movie to validated Movie JSON."""
    with friendly_errors():
        movie = load_movie(source)
        text = movie.to_json(indent=indent or None, validate=not no_validate)
        if output is None:
            out.file.write(text + "\n")
        else:
            output.write_text(text + "\n", encoding="utf-8")
            err.print(f"wrote {output}")


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
        try:
            report = validate_movie(load_movie(source))
        except MoviekitError as exc:
            report = ValidationReport(errors=(Problem("", "unreadable", str(exc)),))
        ok = report.ok and not (strict and report.warnings)
        all_ok = all_ok and ok
        results.append({"file": source, **report.to_dict(), "ok": ok})
        if not json_output:
            _print_report(source, report, ok)
    if json_output:
        print_json(results if len(results) > 1 else results[0])
    if not all_ok:
        raise typer.Exit(1)


def _print_report(source: str, report: ValidationReport, ok: bool) -> None:
    mark = "[green]ok[/]" if ok else "[red]invalid[/]"
    counts = f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
    out.print(f"{source}: {mark} ({counts})", markup=True)
    for problem in report.problems:
        colour = "red" if problem.severity == "error" else "yellow"
        where = problem.path or "(movie)"
        out.print(
            f"  [{colour}]{problem.severity}[/] {where}: {problem.message} "
            f"[dim]\\[{problem.code}][/]",
            markup=True,
        )
        if problem.hint:
            out.print(f"    hint: {problem.hint}", markup=False)


__all__ = ["build", "validate", "fail"]
