"""The MCP server: moviekit's tools, the contract as resources, and the brief-to-movie prompt.

Built on the official SDK's high-level ``MCPServer`` rather than its low-level
``Server``: the typed signatures below become the input schemas agents read
(one source, no hand-written schemas), the SDK checks arguments against them
before a tool runs, and plain functions run in worker threads, so a draft
render or a service call never stalls the stdio loop. Tools return
``CallToolResult`` themselves, so an error reaches the agent as exactly the
line the ``moviekit`` command prints (the SDK would otherwise prefix it).
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.types import (
    CallToolResult,
    ContentBlock,
    ImageContent,
    InputRequiredResult,
    TextContent,
    ToolAnnotations,
)
from pydantic import Field, ValidationError

from moviekit import MoviekitError, __version__
from moviekit._errors import error_line
from moviekit.mcp._documents import DEFAULT_MAX_BYTES
from moviekit.mcp._prompts import INSTRUCTIONS, make_movie_messages
from moviekit.mcp._reference import movie_schema_text, property_reference
from moviekit.mcp._tools import Reply, Toolbox

__all__ = ["LOG_LEVELS", "REFERENCE_URI", "SCHEMA_URI", "create_server"]

SCHEMA_URI = "moviekit://schema/movie.schema.json"
REFERENCE_URI = "moviekit://reference/properties.md"

logger = logging.getLogger("moviekit.mcp")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LOG_LEVELS: tuple[LogLevel, ...] = get_args(LogLevel)

MovieArg = Annotated[
    dict[str, Any] | str,
    Field(
        description="Movie JSON, the body JSON2Video renders: an object (or the same as a JSON "
        f"string). Read the resource {REFERENCE_URI} for every property."
    ),
]
Lengths = Annotated[
    dict[str, float] | None,
    Field(
        description="Natural lengths you know, in seconds, by element id or src "
        '(e.g. {"voice1": 6.2}); unknown lengths make totals lower bounds.'
    ),
]

_READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
_LOCAL = ToolAnnotations(read_only_hint=True, open_world_hint=True)


#: the member tags pydantic puts in an error's location for a union (``movie``: object or string)
_UNION_TAG = re.compile(r"^(str|int|float|bool|none|(dict|list|literal)\[.*\])$")


def arguments_line(error: ValidationError) -> str:
    """Argument errors as one line: ``t: must be a valid number, ... (got "abc")``."""
    found: dict[str, tuple[list[str], object]] = {}
    for item in error.errors():
        loc = list(item["loc"])
        if len(loc) > 1 and isinstance(loc[1], str) and _UNION_TAG.match(loc[1]):
            del loc[1]
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        message = str(item["msg"]).removeprefix("Value error, ")
        message = "must be " + message[16:] if message.startswith("Input should be ") else message
        if item["type"] == "missing":
            message = "required, missing"
        messages, _ = found.setdefault(path or "arguments", ([], item.get("input")))
        if message not in messages:
            messages.append(message)
    parts = []
    for path, (messages, given) in found.items():
        got = "" if "required, missing" in messages else f" (got {_short(given)})"
        said = " or ".join(messages).replace(" or must be ", " or ")
        parts.append(f"{path}: {said}{got}")
    return "invalid arguments: " + "; ".join(parts)


def _short(value: object, limit: int = 60) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Server(MCPServer):
    """``MCPServer`` whose argument errors are one line naming each bad argument."""

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(exc, UnexpectedToolError) or not isinstance(cause, ValidationError):
                raise
            raise ToolError(arguments_line(cause)) from cause


def _result(call: Callable[[], Reply]) -> CallToolResult:
    """Run a tool; its reply as content (+ structured data), a moviekit error as an error result."""
    try:
        reply = call()
    except (MoviekitError, OSError) as exc:
        line = error_line(exc)
        logger.info("tool error: %s", line)
        return CallToolResult(content=[TextContent(type="text", text=line)], is_error=True)
    content: list[ContentBlock] = [TextContent(type="text", text=reply.text)]
    if reply.png is not None:
        data = base64.b64encode(reply.png).decode("ascii")
        content.append(ImageContent(type="image", data=data, mime_type="image/png"))
    if reply.data is not None:
        text = json.dumps(reply.data, ensure_ascii=False, allow_nan=False, default=str)
        content.append(TextContent(type="text", text=text))
    return CallToolResult(content=content, structured_content=reply.data)


def create_server(
    root: Path | None = None,
    *,
    drafts: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    log_level: str = "WARNING",
) -> MCPServer:
    """The moviekit MCP server (serve it with ``.run("stdio")``).

    Args:
        root: the directory whose files documents may use as local ``src``
            (default: the current directory).
        drafts: where ``render_draft`` writes (default: ``<root>/moviekit-drafts``).
        max_bytes: the largest document accepted, in bytes of JSON.
        log_level: the SDK's and moviekit's logging on stderr.
    """
    level = next((v for v in LOG_LEVELS if v == log_level.upper()), None)
    if level is None:
        raise ValueError(f"log_level must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}")
    base = (root or Path.cwd()).resolve()
    box = Toolbox(root=base, drafts=drafts or base / "moviekit-drafts", max_bytes=max_bytes)
    server: MCPServer = _Server(
        "moviekit",
        title="moviekit for JSON2Video",
        version=__version__,
        instructions=INSTRUCTIONS,
        log_level=level,
    )

    @server.tool(annotations=_READ_ONLY)
    def validate(
        movie: MovieArg,
        strict: Annotated[bool, Field(description="Count warnings as errors.")] = False,
    ) -> CallToolResult:
        """Check Movie JSON before anything else: schema and lints. Every problem has a path
        (scenes[1].elements[0].src), a stable code, a message and a hint to fix it."""
        return _result(lambda: box.validate(movie, strict))

    @server.tool(annotations=_READ_ONLY)
    def timeline(movie: MovieArg, lengths: Lengths = None) -> CallToolResult:
        """When every scene and element plays: a table, the total length and the cost, and
        whether they are exact or lower bounds (with what they depend on). Offline, free."""
        return _result(lambda: box.timeline(movie, lengths))

    @server.tool(annotations=_READ_ONLY)
    def estimate_credits(movie: MovieArg, lengths: Lengths = None) -> CallToolResult:
        """What rendering the movie on JSON2Video would cost in credits: exact, or at least N
        while natural lengths are unknown. Offline, free."""
        return _result(lambda: box.estimate_credits(movie, lengths))

    @server.tool(annotations=_LOCAL)
    def frame(
        movie: MovieArg,
        t: Annotated[float, Field(description="Movie time in seconds.")] = 0.0,
    ) -> CallToolResult:
        """A PNG of the movie at time t, drawn locally by moviekit's draft renderer (ffmpeg;
        no credits). Text animations and AI elements are approximated."""
        return _result(lambda: box.frame(movie, t))

    @server.tool(annotations=_LOCAL)
    def storyboard(
        movie: MovieArg,
        every: Annotated[
            float | None, Field(description="A frame every N seconds (default: one per scene).")
        ] = None,
        columns: Annotated[int, Field(ge=1, le=12, description="Frames per row.")] = 4,
        width: Annotated[int, Field(ge=32, le=960, description="Width of each frame.")] = 320,
    ) -> CallToolResult:
        """A PNG contact sheet of the local draft: one labelled frame per scene. Free."""
        return _result(lambda: box.storyboard(movie, every, columns, width))

    @server.tool(annotations=_LOCAL)
    def render_draft(
        movie: MovieArg,
        name: Annotated[
            str | None, Field(description="File name for the MP4 (default: from the content).")
        ] = None,
        quality: Literal["low", "medium", "high"] | None = "low",
    ) -> CallToolResult:
        """Render a local draft MP4 on this machine (ffmpeg; no API key, no credits) to check
        timing, layout and pacing; returns its path and what the draft approximates."""
        return _result(lambda: box.render_draft(movie, name, quality))

    @server.tool(annotations=ToolAnnotations(destructive_hint=False, open_world_hint=True))
    def render(
        movie: MovieArg,
        max_credits: Annotated[
            float,
            Field(ge=0, description="Refuse (sending nothing) if the estimate is above this."),
        ],
        lengths: Lengths = None,
        resubmit: Annotated[
            bool, Field(description="Submit a movie already submitted in this session again.")
        ] = False,
    ) -> CallToolResult:
        """Render on JSON2Video: spends credits. Validates, estimates, refuses when the estimate
        (or its lower bound) is over max_credits, then submits and returns the project id; poll
        it with status. Needs JSON2VIDEO_API_KEY in the server's environment."""
        return _result(lambda: box.render(movie, max_credits, lengths, resubmit))

    @server.tool(annotations=ToolAnnotations(read_only_hint=True, open_world_hint=True))
    def status(
        project_id: Annotated[str, Field(description="The id render returned.")],
    ) -> CallToolResult:
        """A JSON2Video project's status: pending, running (progress), done (with the video url)
        or error (with the service's message)."""
        return _result(lambda: box.status(project_id))

    @server.tool(annotations=ToolAnnotations(read_only_hint=True, open_world_hint=True))
    def templates_list(
        tag: Annotated[str | None, Field(description="Only templates with this tag.")] = None,
    ) -> CallToolResult:
        """The saved templates of the JSON2Video account: id, name, tags."""
        return _result(lambda: box.templates_list(tag))

    @server.tool(annotations=ToolAnnotations(read_only_hint=True, open_world_hint=True))
    def template_get(
        template_id: Annotated[str, Field(description="A template id from templates_list.")],
    ) -> CallToolResult:
        """One saved template's movie: Movie JSON with its {{placeholders}}, to adapt or time."""
        return _result(lambda: box.template_get(template_id))

    @server.resource(
        SCHEMA_URI,
        name="movie.schema.json",
        title="JSON Schema of Movie JSON",
        description="The draft-07 JSON Schema moviekit validates Movie JSON against.",
        mime_type="application/schema+json",
    )
    def schema() -> str:
        return movie_schema_text()

    @server.resource(
        REFERENCE_URI,
        name="properties.md",
        title="Movie JSON property reference",
        description="Every property of the movie, scenes, each element type and nested object: "
        "type, range or choices, meaning. Compact; read it before writing a movie.",
        mime_type="text/markdown",
    )
    def reference() -> str:
        return property_reference()

    @server.prompt(
        name="make_movie",
        title="Make a movie from a brief",
        description="Write Movie JSON for a brief and take it safely from validation to a render.",
    )
    def make_movie(
        brief: str, max_credits: str = "", resolution: str = "full-hd"
    ) -> list[dict[str, Any]]:
        return make_movie_messages(brief, max_credits=max_credits, resolution=resolution)

    return server
