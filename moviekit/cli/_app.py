"""The Typer application, console output and the one place where errors become one line.

Every command runs inside :func:`friendly_errors` (the application's group does
it, so commands added later are covered too): an exception ends as one line,
``error: <what, where, and what to do>``, with exit code 1 (2 for misuse, as
Typer's own usage errors), never as a traceback; ``moviekit --debug`` shows the
traceback instead (never local variables: secrets live there).

Nothing the user or the service wrote is read as Rich markup or emoji codes:
the consoles have both off, and styled output is built from
:class:`rich.text.Text`, so ``[/x].json`` prints as ``[/x].json``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.text import Text
from typer.core import TyperGroup

from moviekit._errors import MoviekitError, error_line

if TYPE_CHECKING:  # pragma: no cover
    from typer._click import Context as ClickContext  # what TyperGroup.invoke is typed with


class CLIError(MoviekitError):
    """A failure the command line reports as one line, then exits with ``code``.

    ``code`` is 1 for a failure (bad input, a failed render) and 2 for misuse
    (a file that does not exist, an option out of range), as Typer's own.
    ``source`` names the file the error is about; the line is ``source: detail``.
    """

    def __init__(self, detail: str, code: int = 1, *, source: str = "") -> None:
        self.detail = detail
        self.code = code
        self.source = source
        self.message = f"{source}: {detail}" if source else detail
        super().__init__(self.message)


class _Stream:
    """``sys.stdout`` or ``sys.stderr`` as it is at each write (tests swap them), made total.

    A character the stream's encoding cannot carry (a lone surrogate read from a
    JSON ``\\ud800`` escape) is written as its JSON ``\\u`` escape, which is
    what it was in the file, instead of failing with ``UnicodeEncodeError``.
    """

    def __init__(self, name: str) -> None:
        self._name = name

    @property
    def _target(self) -> TextIO:
        stream: TextIO = getattr(sys, self._name)
        return stream

    def write(self, text: str) -> int:
        target = self._target
        try:
            return target.write(text)
        except UnicodeEncodeError:
            return target.write(_escape_unencodable(text, target.encoding or "utf-8"))

    def flush(self) -> None:
        self._target.flush()

    def __getattr__(self, name: str) -> Any:  # isatty, encoding, fileno ... for Rich
        return getattr(self._target, name)


def _escape_unencodable(text: str, encoding: str) -> str:
    r"""``text`` with every character ``encoding`` cannot carry written as ``\uXXXX``.

    Outside strings JSON text is ASCII, so this keeps JSON output valid JSON
    that reads back to the same value (characters beyond the BMP become a
    surrogate pair of escapes, as JSON spells them).
    """

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            code = ord(char)
            if code > 0xFFFF:
                code -= 0x10000
                return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
            return f"\\u{code:04x}"
        return char

    return re.sub(r"[^\x00-\x7f]", escape, text)


def _console(name: str) -> Console:
    return Console(
        file=_Stream(name),  # type: ignore[arg-type]  # a TextIO in all that Rich uses
        stderr=name == "stderr",
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
    )


#: where results go (stdout)
out = _console("stdout")
#: where messages and errors go (stderr)
err = _console("stderr")

_state = {"debug": False}


class _Group(TyperGroup):
    """The ``moviekit`` group: every command runs inside :func:`friendly_errors`."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        _plain_flags(self)

    def invoke(self, ctx: ClickContext) -> Any:
        with friendly_errors():
            return super().invoke(ctx)


def _plain_flags(command: Any) -> None:
    """Show on/off options as ``--debug``, not ``--debug <bool>`` (they take no value)."""
    help_option = command.get_help_option(typer.Context(command))
    for param in [*command.params, help_option]:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    for sub in getattr(command, "commands", {}).values():
        _plain_flags(sub)


app = typer.Typer(
    name="moviekit",
    cls=_Group,
    help="Make videos as code for the JSON2Video API: build, validate, time and render movies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # secrets can live in local variables
)


@app.callback()
def _options(
    debug: bool = typer.Option(
        False, "--debug", help="Show the full traceback of an error instead of one line."
    ),
) -> None:
    _state["debug"] = debug


def fail(message: str, code: int = 1) -> NoReturn:
    """End the command with one error line and exit ``code`` (1 = failure, 2 = misuse)."""
    raise CLIError(message, code)


def _print_error(message: str) -> None:
    """Print ``error: <message>`` to stderr as one line, exactly as written."""
    err.print(Text.assemble(("error:", "bold red"), " ", printable(message)))


def print_warning(message: str) -> None:
    """Print ``warning: <message>`` to stderr as one line, exactly as written."""
    err.print(Text.assemble(("warning:", "yellow"), " ", printable(message)))


def printable(text: str) -> str:
    r"""``text`` with control characters (newlines, ESC...) shown as escapes: one safe line."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: repr(m.group())[1:-1], text)


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Turn any exception into one error line and an exit code (``--debug``: re-raise it)."""
    try:
        yield
    except (typer.Exit, typer.Abort, BrokenPipeError):
        raise
    except Exception as exc:
        if getattr(exc, "exit_code", None) is not None:
            raise  # Typer's usage errors: they print themselves and exit 2
        if _state["debug"]:
            raise
        if isinstance(exc, CLIError):
            message, code = exc.message, exc.code
        elif isinstance(exc, (MoviekitError, OSError)):
            message, code = error_line(exc), 1
        else:
            message, code = (
                f"{error_line(exc)} (unexpected; `moviekit --debug ...` shows the traceback)",
                1,
            )
        _print_error(message)
        raise typer.Exit(code) from None


@contextmanager
def progress_bar() -> Iterator[Progress]:
    """A Rich progress bar on stderr (description, bar, percent, elapsed); gone when done."""
    columns = (
        TextColumn("{task.description}", markup=False),  # the service's words, verbatim
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
    "CLIError",
    "app",
    "err",
    "fail",
    "friendly_errors",
    "main",
    "out",
    "print_json",
    "print_warning",
    "printable",
    "progress_bar",
]
