"""``moviekit mcp``: moviekit's checks, timing, drafts and renders for LLM agents, over MCP.

An MCP server (the official Python SDK, ``pip install "moviekit-json2video[mcp]"``) that
agents writing JSON2Video Movie JSON call before they spend credits::

    moviekit mcp                       # serve over stdio, from the project directory

Tools (each takes Movie JSON as ``movie``; errors are the CLI's one-line messages):

* ``validate``: schema and lints; every problem with path, code, message, hint
* ``timeline``: when every scene and element plays; total, exact or a lower bound
* ``estimate_credits``: the render's cost in credits (exact or "at least")
* ``frame``: a PNG of the local draft at time ``t``
* ``storyboard``: a PNG contact sheet, one frame per scene
* ``render_draft``: a local draft MP4 (ffmpeg, no credits); its path
* ``render``: submit to JSON2Video within ``max_credits`` (key from the environment)
* ``status``: a project's status, and the video url when done
* ``templates_list`` / ``template_get``: the account's saved templates

Resources: ``moviekit://schema/movie.schema.json`` (the bundled JSON Schema) and
``moviekit://reference/properties.md`` (a compact property reference). Prompt:
``make_movie`` (a brief -> validate -> timeline -> draft -> render).
"""

from moviekit.mcp._documents import DEFAULT_MAX_BYTES, ToolRefused
from moviekit.mcp._reference import movie_schema_text, property_reference
from moviekit.mcp._server import LOG_LEVELS, REFERENCE_URI, SCHEMA_URI, create_server

__all__ = [
    "DEFAULT_MAX_BYTES",
    "LOG_LEVELS",
    "REFERENCE_URI",
    "SCHEMA_URI",
    "ToolRefused",
    "create_server",
    "movie_schema_text",
    "property_reference",
]
