"""``moviekit mcp``: serve moviekit's tools to LLM agents over MCP (stdio).

Needs the ``mcp`` extra (the official MCP Python SDK): without it the command
says how to install it. The API key for ``render`` comes from
``JSON2VIDEO_API_KEY`` in the server's environment, never from an argument,
and is never printed.
"""

from __future__ import annotations

from pathlib import Path

import typer

from moviekit.cli._app import app, fail

INSTALL_HINT = 'the MCP server needs the mcp extra: pip install "moviekit-json2video[mcp]"'


@app.command()
def mcp(
    root: Path = typer.Option(  # noqa: B008
        Path("."),
        "--root",
        help="Directory whose files movies may use as local src (default: here).",
    ),
    drafts: Path | None = typer.Option(  # noqa: B008
        None, "--drafts", help="Where render_draft writes MP4s (default: ROOT/moviekit-drafts)."
    ),
    max_bytes: int | None = typer.Option(
        None, "--max-bytes", min=1_000, help="Largest Movie JSON accepted, in bytes (5 MB)."
    ),
    log_level: str = typer.Option(
        "WARNING", "--log-level", help="Logging on stderr: DEBUG, INFO, WARNING, ERROR."
    ),
) -> None:
    """Serve moviekit to LLM agents over MCP (stdio): validate, timeline, estimate_credits,
    frame, storyboard, render_draft, render, status, templates_list, template_get."""
    level = log_level.upper()
    if not root.is_dir():
        fail(f"--root must be a directory: {root}", 2)
    try:
        from moviekit.mcp import LOG_LEVELS, create_server
    except ImportError as exc:
        if exc.name is None or exc.name.split(".")[0] not in ("mcp", "mcp_types"):
            raise
        fail(INSTALL_HINT)
    if level not in LOG_LEVELS:
        fail(f"--log-level must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}", 2)
    limit = {} if max_bytes is None else {"max_bytes": max_bytes}
    create_server(root, drafts=drafts, log_level=level, **limit).run("stdio")


__all__ = ["INSTALL_HINT", "mcp"]
