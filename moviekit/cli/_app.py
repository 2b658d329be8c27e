"""The Typer application, shared console output and error handling for every command."""

from __future__ import annotations

import json
import runpy
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from moviekit._errors import MoviekitError, MovieValidationError
from moviekit.builders._movie import Movie

app = typer.Typer(
    name="moviekit",
    help="Make videos as code for the JSON2Video API: build, validate, time and render movies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # secrets can live in local variables
)

#: where results go (stdout); tests replace these with consoles writing to strings
out = Console(highlight=False, soft_wrap=True)
#: where messages and errors go (stderr)
err = Console(stderr=True, highlight=False, soft_wrap=True)

_state = {"debug": False}


@app.callback()
def _options(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
) -> None:
    _state["debug"] = debug


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one error line and exit with ``code`` (1 = failure, 2 = misuse)."""
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Turn moviekit errors into one clear line (or a traceback with ``--debug``)."""
    try:
        yield
    except typer.Exit:
        raise
    except MovieValidationError as exc:
        if _state["debug"]:
            raise
        first = exc.report.errors[0] if exc.report.errors else None
        detail = f"{first.path or '(movie)'}: {first.message}" if first else str(exc)
        hint = f" (hint: {first.hint})" if first and first.hint else ""
        more = len(exc.report.errors) - 1
        extra = f" [+{more} more; run `moviekit validate` to see all]" if more > 0 else ""
        fail(f"invalid movie: {detail}{hint}{extra}")
    except MoviekitError as exc:
        if _state["debug"]:
            raise
        fail(str(exc))
    except OSError as exc:
        if _state["debug"]:
            raise
        fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))


def load_movie(source: str) -> Movie:
    """Load a movie from a JSON file or a Python script (``script.py`` or ``script.py:name``).

    A script is run with ``__name__ == "__moviekit__"`` (so its ``if __name__ ==
    "__main__"`` block does not run); the movie is the variable ``name``, else
    a module-level ``movie``, else the one :class:`Movie` defined at module level.
    """
    path_text, name = source, ""
    if ".py:" in source:
        path_text, name = source.rsplit(":", 1)
    path = Path(path_text)
    if not path.exists():
        fail(f"no such file: {path_text}", code=2)
    if path.suffix == ".json":
        return Movie.from_json(path.read_bytes())
    if path.suffix != ".py":
        fail(f"expected a .py script or a .json file, got {path.name}", code=2)
    namespace = _run_script(path)
    return _find_movie(namespace, name, path)


def _run_script(path: Path) -> dict[str, Any]:
    sys.path.insert(0, str(path.resolve().parent))
    try:
        return runpy.run_path(str(path), run_name="__moviekit__")
    finally:
        sys.path.pop(0)


def _find_movie(namespace: dict[str, Any], name: str, path: Path) -> Movie:
    if name:
        found = namespace.get(name)
        found = found() if callable(found) and not isinstance(found, Movie) else found
        if not isinstance(found, Movie):
            fail(f"{path.name} has no Movie named {name!r}", code=2)
        return found
    if isinstance(namespace.get("movie"), Movie):
        return namespace["movie"]  # type: ignore[no-any-return]
    movies = {k: v for k, v in namespace.items() if isinstance(v, Movie) and not k.startswith("_")}
    if len(movies) == 1:
        return next(iter(movies.values()))
    if movies:
        fail(
            f"{path.name} defines several movies ({', '.join(sorted(movies))}); "
            f"pick one: {path.name}:NAME",
            code=2,
        )
    fail(
        f"{path.name} defines no Movie; assign one to a module-level variable named 'movie'", code=2
    )


@contextmanager
def progress_bar() -> Iterator[Progress]:
    """A Rich progress bar on stderr (description, bar, percent, elapsed); gone when done."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        yield bar


def print_json(data: Any) -> None:
    """Print JSON to stdout exactly (no Rich markup or wrapping)."""
    out.file.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    app(args=argv, prog_name="moviekit")


__all__ = [
    "app",
    "err",
    "fail",
    "friendly_errors",
    "load_movie",
    "main",
    "out",
    "print_json",
    "progress_bar",
]
