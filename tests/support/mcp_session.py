"""A real MCP client session (the SDK's ``Client`` over stdio) with ``moviekit mcp``, driven
synchronously, and a strict PNG check for the picture tools.

The server is a subprocess (``python -m moviekit mcp``) speaking JSON-RPC on its
stdin/stdout, exactly as an agent's MCP client runs it; its stderr (the log) is
kept in a file so tests can read it. The async client lives in an anyio
blocking portal, so plain (and hypothesis) tests can call tools one by one.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp", reason="needs moviekit-json2video[mcp]")

from anyio.from_thread import BlockingPortal, start_blocking_portal  # noqa: E402
from mcp import Client, StdioServerParameters  # noqa: E402
from mcp.client.stdio import stdio_client  # noqa: E402
from mcp.types import CallToolResult  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
COOKBOOK = ROOT / "cookbook" / "snapshots"
#: the message the SDK gives when a tool crashed (an exception moviekit did not anticipate)
CRASH = "Error executing tool"


@dataclass
class McpSession:
    """One connected client; every call goes to the same server process."""

    portal: BlockingPortal
    client: Client
    log: Path
    seen: list[str]
    """Every text the server sent back (results and errors), for leak checks."""

    def call(self, tool: str, arguments: Mapping[str, Any], timeout: float = 120) -> CallToolResult:
        result: CallToolResult = self.portal.call(
            lambda: self.client.call_tool(tool, dict(arguments), read_timeout_seconds=timeout)
        )
        self.seen.extend(block.text for block in result.content if block.type == "text")
        if result.structured_content is not None:
            self.seen.append(json.dumps(result.structured_content))
        return result

    def tools(self) -> dict[str, Any]:
        listed = self.portal.call(self.client.list_tools)
        return {tool.name: tool for tool in listed.tools}

    def resources(self) -> list[str]:
        listed = self.portal.call(self.client.list_resources)
        return [str(r.uri) for r in listed.resources]

    def read(self, uri: str) -> tuple[str, str | None]:
        """A text resource: ``(text, mime type)``."""
        answer = self.portal.call(lambda: self.client.read_resource(uri))
        (content,) = answer.contents
        return content.text, content.mime_type  # type: ignore[union-attr]

    def prompt(self, name: str, arguments: Mapping[str, str]) -> str:
        answer = self.portal.call(lambda: self.client.get_prompt(name, dict(arguments)))
        return "\n".join(m.content.text for m in answer.messages)  # type: ignore[union-attr]

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def server_env(**extra: str) -> dict[str, str]:
    """A test server's environment: the SDK's safe defaults plus these (no key unless given)."""
    env = {"MOVIEKIT_CACHE_DIR": extra.pop("MOVIEKIT_CACHE_DIR", "")} | extra
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return {k: v for k, v in env.items() if v}


@contextmanager
def mcp_session(
    workdir: Path, *args: str, env: Mapping[str, str] | None = None
) -> Iterator[McpSession]:
    """``moviekit mcp ARGS`` started in ``workdir`` and a connected client session."""
    log = workdir / "server-stderr.log"
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "moviekit", "mcp", *args],
        env=dict(env or server_env(MOVIEKIT_CACHE_DIR=str(workdir / "cache"))),
        cwd=str(workdir),
    )
    with log.open("w", encoding="utf-8") as errlog, start_blocking_portal() as portal:
        client = Client(stdio_client(params, errlog=errlog), cache=None)
        with portal.wrap_async_context_manager(client) as connected:
            yield McpSession(portal, connected, log, [])


def text(result: CallToolResult) -> str:
    """The first text block of a result (the line an agent reads)."""
    return next(block.text for block in result.content if block.type == "text")


def png_of(result: CallToolResult) -> bytes:
    """The one PNG image block of a result, decoded."""
    import base64

    (image,) = [block for block in result.content if block.type == "image"]
    assert image.mime_type == "image/png"
    return base64.b64decode(image.data, validate=True)


def check_png(data: bytes) -> tuple[int, int]:
    """Check ``data`` is a well-formed PNG; return ``(width, height)``.

    Every chunk's CRC, IHDR first and IEND last, and the image data inflates to
    exactly one filter byte plus one row of pixels per line (8-bit images).
    """
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature"
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"CRC of chunk {kind!r}"
        chunks.append((kind, body))
        pos += 12 + length
    assert pos == len(data), "trailing bytes after the last chunk"
    assert chunks[0][0] == b"IHDR" and chunks[-1] == (b"IEND", b"")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert width > 0 and height > 0 and depth == 8 and interlace == 0
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert len(pixels) == height * (1 + width * channels), "image data size"
    return width, height
