"""The ``moviekit`` command line (Typer + Rich).

Each group of commands lives in its own module and registers itself on
:data:`app`; :func:`main` is the console-script entry point. Errors print as
one clear line (``--debug`` shows the traceback) and exit with 1; misuse exits
with 2. Nothing here ever prints the API key.
"""

from __future__ import annotations

from moviekit.cli import batch as _batch  # noqa: F401  (registers batch check / run / report)
from moviekit.cli import build as _build  # noqa: F401  (registers build / validate)
from moviekit.cli import mcp as _mcp  # noqa: F401  (registers mcp)
from moviekit.cli import preview as _preview  # noqa: F401  (registers frame / storyboard)
from moviekit.cli import render as _render  # noqa: F401  (registers render / status / ...)
from moviekit.cli import timeline as _timeline  # noqa: F401  (registers timeline)
from moviekit.cli._app import app, main

__all__ = ["app", "main"]
