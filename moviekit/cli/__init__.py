"""The ``moviekit`` command line (Typer + Rich).

Each group of commands lives in its own module and registers itself on
:data:`app`; :func:`main` is the console-script entry point. Every movie a
command takes is loaded and validated first (``moviekit.cli._load``). Errors
print as one line (``--debug`` shows the traceback) and exit with 1; misuse
exits with 2. Nothing here ever prints the API key. Command modules import
Typer and Rich only; the layers below load inside the commands that use them.
"""

from __future__ import annotations

from moviekit.cli import batch as _batch  # noqa: F401  (registers batch check / run / report)
from moviekit.cli import build as _build  # noqa: F401  (registers build / validate)
from moviekit.cli import fake_server as _fake_server  # noqa: F401  (registers fake-server)
from moviekit.cli import mcp as _mcp  # noqa: F401  (registers mcp)
from moviekit.cli import preview as _preview  # noqa: F401  (registers frame / storyboard)
from moviekit.cli import render as _render  # noqa: F401  (registers render / status / ...)
from moviekit.cli import review as _review  # noqa: F401  (registers batch review)
from moviekit.cli import studio as _studio  # noqa: F401  (registers studio)
from moviekit.cli import templates as _templates  # noqa: F401  (registers templates ...)
from moviekit.cli import timeline as _timeline  # noqa: F401  (registers timeline)
from moviekit.cli._app import app, main

__all__ = ["app", "main"]
