"""Reading what a command names: a movie from a JSON file or a recipe, checked before use.

Every command that takes a movie loads it with :func:`load_movie`: the file is
read (a directory, unreadable bytes, JSON nested too deeply or with a number
too long to read, all end as one line naming the file), a recipe is run (an
exception in it becomes one line with its type, message and ``file:line``; a
``sys.exit(n)`` says so and exits ``n``), and the movie is validated: errors
stop the command with the first one and where to see the rest, warnings are
shown on stderr. ``validate`` uses the same steps (:func:`load_document`,
:func:`check`) but reports instead of stopping.

The batch commands read their templates with :func:`run_recipe` and
:func:`read_json`, so their errors look the same.
"""

from __future__ import annotations

import contextlib
import os
import runpy
import sys
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from moviekit._errors import (
    APIError,
    BuildError,
    MoviekitError,
    MovieValidationError,
    error_line,
    invalid_movie_line,
)
from moviekit._problems import ValidationReport
from moviekit.cli._app import (
    CLIError,
    err,
    print_warning,
    printable,
)
from moviekit.service._json_text import read_json_text

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.builders._movie import Movie

_WARNINGS_SHOWN = 3  # warnings printed before "+N more" by a command that is not `validate`


def split_source(source: str) -> tuple[Path, str]:
    """``recipe.py:promo`` -> ``(Path("recipe.py"), "promo")``; a plain path has no name.

    A file that exists under the whole name is that file (``odd.py:x.json`` too).
    """
    path_text, _, name = source.rpartition(":")
    if path_text.endswith(".py") and name.isidentifier() and not Path(source).exists():
        return Path(path_text), name
    return Path(source), ""


def _existing_file(path: Path, what: str) -> None:
    """Misuse (exit 2) unless ``path`` is a file: it is missing, or a directory."""
    if path.is_dir():
        raise CLIError(f"this is a directory, not {what}", 2, source=str(path))
    if not path.exists():
        raise CLIError(f"no such file: {path}", 2)


def read_json(path: Path) -> Any:
    """The JSON value in the file at ``path``; any failure is a :class:`CLIError` naming it.

    Exit 2 when there is no such file (or it is a directory), 1 when its bytes
    are not JSON a movie can be: not UTF-8, not JSON, nested too deeply, or
    with a number JSON does not allow (``NaN``) or too large to read.
    """
    _existing_file(path, "a JSON file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CLIError(f"cannot read it: {exc.strerror or exc}", source=str(path)) from exc
    try:
        return read_json_text(data)
    except BuildError as exc:
        raise CLIError(str(exc), source=str(path)) from exc


def run_recipe(path: Path) -> dict[str, Any]:
    """Run a recipe (a Python script) and return its module namespace.

    The script runs with ``__name__ == "__moviekit__"`` (its ``if __name__ ==
    "__main__"`` block does not run), its folder first on ``sys.path``, and its
    prints sent to stderr (stdout carries the command's output). An exception
    in it is a :class:`CLIError` with the type, message and the recipe's
    ``file:line``; ``sys.exit(n)`` is one saying so, with exit code ``n``.
    """
    _existing_file(path, "a Python recipe")
    sys.path.insert(0, str(path.resolve().parent))
    try:
        with contextlib.redirect_stdout(sys.stderr):
            return runpy.run_path(str(path), run_name="__moviekit__")
    except SystemExit as exc:
        raise _exited(path, exc) from None
    except Exception as exc:
        raise CLIError(_kind(exc), source=_where(path, exc)) from exc
    finally:
        sys.path.pop(0)


def _exited(path: Path, exc: SystemExit) -> CLIError:
    status = exc.code
    if status is None or isinstance(status, int):
        status = status or 0
        # A status of 0 still left no movie behind: that is a failure for the command.
        return CLIError(
            f"the recipe exited with status {status} (sys.exit) before moviekit could read its "
            'movie; remove the call, or guard it with `if __name__ == "__main__":`',
            status or 1,
            source=str(path),
        )
    return CLIError(f"the recipe exited: {status}", 1, source=str(path))


def _kind(exc: BaseException) -> str:
    """``ValueError: boom``: an exception from user code, with its type (an error of ours too)."""
    kind = type(exc).__name__
    text = exc.msg if isinstance(exc, SyntaxError) else error_line(exc)
    return text if text.startswith(kind) else f"{kind}: {text}"


def _where(path: Path, exc: BaseException) -> str:
    """``recipe.py:12``: the innermost line of the recipe the error passed through."""
    target = os.path.abspath(path)
    line = None
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if os.path.abspath(tb.tb_frame.f_code.co_filename) == target:
            line = tb.tb_lineno
        tb = tb.tb_next
    if line is None and isinstance(exc, SyntaxError) and exc.lineno:
        shown = path if os.path.abspath(exc.filename or "") == target else exc.filename
        return f"{shown}:{exc.lineno}"
    return f"{path}:{line}" if line else str(path)


def recipe_movie(namespace: dict[str, Any], name: str, path: Path) -> Movie:
    """The movie a recipe defines: ``name`` (a Movie, or a function returning one), else
    the module-level ``movie``, else its one module-level Movie."""
    from moviekit.builders._movie import Movie

    if name:
        found = namespace.get(name)
        if callable(found) and not isinstance(found, Movie):
            try:
                found = found()
            except Exception as exc:
                raise CLIError(f"in {name}(): {_kind(exc)}", source=_where(path, exc)) from exc
        if not isinstance(found, Movie):
            raise CLIError(f"{path.name} has no Movie named {name!r}", 2)
        return found
    if isinstance(namespace.get("movie"), Movie):
        return namespace["movie"]  # type: ignore[no-any-return]
    movies = {k: v for k, v in namespace.items() if isinstance(v, Movie) and not k.startswith("_")}
    if len(movies) == 1:
        return next(iter(movies.values()))
    if movies:
        raise CLIError(
            f"{path.name} defines several movies ({', '.join(sorted(movies))}); "
            f"pick one: {path.name}:NAME",
            2,
        )
    raise CLIError(
        f"{path.name} defines no Movie; assign one to a module-level variable named 'movie'", 2
    )


def load_document(source: str) -> Movie | Any:
    """What ``source`` holds: a recipe's :class:`Movie`, or a JSON file's value (unchecked)."""
    path, name = split_source(source)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return read_json(path)
    if suffix == ".py":
        return recipe_movie(run_recipe(path), name, path)
    _existing_file(path, "a .py script or a .json file")
    raise CLIError(f"expected a .py script or a .json file, got {path.name}", 2)


def report_of(document: Movie | Any, source: str) -> ValidationReport:
    """Validate a loaded document: a report for a bad movie, one line for what it cannot check."""
    from moviekit.validation._validate import validate

    try:
        return validate(document)
    except RecursionError as exc:
        raise CLIError("the movie is nested too deeply to check", source=source) from exc


def check(document: Movie | Any, source: str) -> ValidationReport:
    """Validate before use: errors stop the command (one line), warnings are shown on stderr."""
    report = report_of(document, source)
    if report.errors:
        raise CLIError(invalid_movie_line(report, source), source=source) from MovieValidationError(
            report
        )
    for problem in report.warnings[:_WARNINGS_SHOWN]:
        print_warning(f"{source}: {problem.path or '(movie)'}: {problem.message} [{problem.code}]")
    hidden = len(report.warnings) - _WARNINGS_SHOWN
    if hidden > 0:
        more = f"  +{hidden} more warning(s); `moviekit validate {source}` lists them"
        err.print(printable(more))
    return report


@contextlib.contextmanager
def about(source: str) -> Iterator[None]:
    """Name ``source`` on a moviekit error raised while working on its movie locally.

    The service's errors keep their own first words (``[project ...]``).
    """
    try:
        yield
    except (CLIError, APIError):
        raise
    except MoviekitError as exc:
        raise CLIError(error_line(exc), source=source) from exc


def load_movie(source: str, *, validate: bool = True) -> Movie:
    """Load the movie ``source`` names and (unless ``validate=False``) check it first.

    ``source`` is ``movie.json``, ``recipe.py`` or ``recipe.py:name``. Every
    failure is a :class:`CLIError` naming ``source``.
    """
    from moviekit.builders._movie import Movie

    document = load_document(source)
    if validate:
        check(document, source)
    if isinstance(document, Movie):
        return document
    try:
        return Movie.from_dict(document)
    except BuildError as exc:
        raise CLIError(error_line(exc), source=source) from exc
    except RecursionError as exc:
        raise CLIError("the movie is nested too deeply to read", source=source) from exc


__all__ = [
    "about",
    "check",
    "load_document",
    "load_movie",
    "read_json",
    "recipe_movie",
    "report_of",
    "run_recipe",
    "split_source",
]
