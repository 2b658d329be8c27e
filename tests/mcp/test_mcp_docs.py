"""The README's MCP section: its agent session prints exactly what the section shows."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from support.readme import blocks, section

pytest.importorskip("mcp", reason="needs moviekit-json2video[mcp]")

SECTION = section("## Agents: moviekit over MCP")


def test_the_agent_session_prints_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JSON2VIDEO_API_KEY", raising=False)
    found = {lang: code for lang, code, _ in blocks(SECTION)}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(found["python"], "README.md", "exec"), {"__name__": "__readme__"})
    assert printed.getvalue() == found["text"]


def test_the_client_configuration_starts_moviekit_mcp() -> None:
    config = json.loads(next(code for lang, code, _ in blocks(SECTION) if lang == "json"))
    entry = config["mcpServers"]["moviekit"]
    assert entry["command"] == "moviekit" and entry["args"][0] == "mcp"
    assert set(entry["env"]) == {"JSON2VIDEO_API_KEY"}


def test_the_table_lists_every_tool_once(tmp_path: Path) -> None:
    from support.mcp_session import mcp_session

    with mcp_session(tmp_path) as session:
        tools = set(session.tools())
    rows = [line for line in SECTION.splitlines() if line.startswith("| `")]
    named = [name for row in rows for name in row.split("|")[1].strip(" `").split("`, `")]
    assert sorted(named) == sorted(tools)
