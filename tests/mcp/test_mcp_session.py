"""``moviekit mcp`` through a real MCP client session over stdio: every tool on a cookbook movie
and on a broken document, the resources, the prompt, the limits on what an agent may send."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.mcp_session import (
    COOKBOOK,
    CRASH,
    McpSession,
    check_png,
    mcp_session,
    png_of,
    text,
)

from moviekit import preview, validate
from moviekit.mcp import movie_schema_text

pytest.importorskip("imageio_ffmpeg", reason="frame, storyboard and render_draft need ffmpeg")

TOOLS = {
    "validate", "timeline", "estimate_credits", "frame", "storyboard", "render_draft",
    "render", "status", "templates_list", "template_get",
}  # fmt: skip
HELLO = json.loads((COOKBOOK / "hello_world.json").read_text(encoding="utf-8"))
#: the cookbook movie with its music left to play to the file's own end
MUSIC_PLAYS_ON: dict[str, Any] = {
    **HELLO,
    "elements": [{k: v for k, v in HELLO["elements"][0].items() if k != "duration"}],
}
#: three errors (wider than any plan, an image file in a video, a voice with nothing to say)
#: and a warning (a made-up position)
BROKEN: dict[str, Any] = {
    "resolution": "custom",
    "width": 8000,
    "height": 1080,
    "scenes": [
        {
            "elements": [
                {"type": "video", "src": "https://cdn.example.com/photo.jpg"},
                {"type": "voice", "text": " "},
                {"type": "text", "text": "Hi", "position": "centre"},
            ]
        }
    ],
}
MOVIE_TOOLS = ("timeline", "estimate_credits", "frame", "storyboard", "render_draft", "render")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mcp-work")


@pytest.fixture(scope="module")
def session(workdir: Path) -> Iterator[McpSession]:
    with mcp_session(workdir) as connected:
        yield connected


def cli_error(workdir: Path, *args: str) -> str:
    """The line ``moviekit ARGS`` prints after ``error: `` (a real subprocess)."""
    run = subprocess.run(
        [sys.executable, "-m", "moviekit", *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if not k.startswith("JSON2VIDEO_")}
        | {"MOVIEKIT_CACHE_DIR": str(workdir / "cache")},
    )
    assert run.returncode == 1, run.stderr
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith("error: ")
    # The command names the file it read; an agent sent no file, so its line does not.
    source = next((a for a in args if a.endswith(".json")), "")
    return (
        line.removeprefix("error: ")
        .removeprefix(f"{source}: ")
        .replace(f"`moviekit validate {source}`", "`moviekit validate`")
    )


# ------------------------------------------------------------------------------- listing
def test_lists_the_tools_each_with_a_description_and_schema(session: McpSession) -> None:
    tools = session.tools()
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert tool.description and len(tool.description) > 40, tool.name
        assert tool.input_schema["type"] == "object"
    assert tools["render"].input_schema["required"] == ["movie", "max_credits"]
    assert tools["render"].input_schema["properties"]["max_credits"]["minimum"] == 0
    assert tools["validate"].annotations.read_only_hint is True
    assert tools["render"].annotations.read_only_hint is not True


def test_resources_are_the_bundled_schema_and_a_reference_covering_it(
    session: McpSession,
) -> None:
    assert session.resources() == [
        "moviekit://schema/movie.schema.json",
        "moviekit://reference/properties.md",
    ]
    schema_text, mime = session.read("moviekit://schema/movie.schema.json")
    assert mime == "application/schema+json"
    schema = json.loads(schema_text)
    assert schema_text == movie_schema_text()
    assert schema == json.loads((COOKBOOK.parents[1] / "schema" / "movie.schema.json").read_text())
    reference, mime = session.read("moviekit://reference/properties.md")
    assert mime == "text/markdown"
    for name, definition in schema["definitions"].items():
        for prop in definition.get("properties", {}):
            assert f"`{prop}`" in reference, f"{name}.{prop} missing from the reference"
    assert len(reference) < len(schema_text) / 3  # compact: the point of it


def test_prompt_steers_from_brief_to_render_in_order(session: McpSession) -> None:
    said = session.prompt(
        "make_movie", {"brief": "A 10 s teaser for a bakery", "max_credits": "12"}
    )
    assert "A 10 s teaser for a bakery" in said
    steps = [said.index(word) for word in ("validate", "timeline", "render_draft", "render with")]
    assert steps == sorted(steps)
    assert "max_credits=12" in said


# ------------------------------------------------------------------------------- a cookbook movie
def test_validate_a_cookbook_movie(session: McpSession) -> None:
    result = session.call("validate", {"movie": HELLO})
    assert not result.is_error
    assert text(result) == "valid: no problems found"
    assert result.structured_content == {"ok": True, "errors": [], "warnings": []}


def test_timeline_and_estimate_of_a_cookbook_movie(session: McpSession) -> None:
    assert session.call("timeline", {"movie": HELLO}).structured_content["exact"] is True
    result = session.call("timeline", {"movie": MUSIC_PLAYS_ON})
    assert not result.is_error
    table = text(result)
    assert table.splitlines()[0].split() == ["path", "type", "what", "start", "end", "length",
                                             "in", "movie"]  # fmt: skip
    assert "total: ≥ 5 s; cost: at least 5 credits (≥ 5 s x 1/s)" in table
    data = result.structured_content
    assert data["total"] == 5 and data["exact"] is False and data["credits"] == 5
    assert data["depends_on"] == ["elements[0] (audio): natural length of the file"]
    exact = session.call(
        "timeline",
        {"movie": MUSIC_PLAYS_ON, "lengths": {"https://example.com/music/soft-piano.mp3": 7}},
    )
    assert exact.structured_content["total"] == 7 and exact.structured_content["exact"] is True

    estimate = session.call("estimate_credits", {"movie": json.dumps(MUSIC_PLAYS_ON)})  # a string
    assert estimate.structured_content["credits"] == 5
    assert estimate.structured_content["at_least"] is True
    assert text(estimate).startswith("estimate: at least 5 credits")


def test_frame_and_storyboard_are_valid_pngs(session: McpSession) -> None:
    frame = session.call("frame", {"movie": HELLO, "t": 2.5})
    assert not frame.is_error, text(frame)
    assert check_png(png_of(frame)) == (1920, 1080)
    board = session.call("storyboard", {"movie": HELLO, "width": 160})
    assert not board.is_error, text(board)
    width, height = check_png(png_of(board))
    assert 160 <= width < 400 and height > 90  # one labelled 160 px frame


def test_render_draft_writes_an_mp4_in_the_drafts_folder(
    session: McpSession, workdir: Path
) -> None:
    result = session.call("render_draft", {"movie": HELLO, "name": "hello"})
    assert not result.is_error, text(result)
    data = result.structured_content
    path = Path(data["path"])
    assert path == workdir / "moviekit-drafts" / "hello.mp4"
    assert path.read_bytes()[4:8] == b"ftyp"
    assert abs(data["duration"] - 5.0) < 0.05
    assert any("[static-text]" in a for a in data["approximations"])
    assert text(result).startswith(f"draft: {path} (1920x1080 25 fps, 5.00 s)")


def test_render_without_an_api_key_sends_nothing_and_says_where_the_key_goes(
    session: McpSession,
) -> None:
    result = session.call("render", {"movie": HELLO, "max_credits": 100})
    assert result.is_error
    assert text(result).startswith("no API key: set JSON2VIDEO_API_KEY in this MCP server's")
    for tool, args in [("status", {"project_id": "a" * 16}), ("templates_list", {}),
                       ("template_get", {"template_id": "b" * 20})]:  # fmt: skip
        assert text(session.call(tool, args)).startswith("no API key:"), tool


# ------------------------------------------------------------------------------- a broken document
def test_validate_a_broken_document_lists_every_problem_with_path_code_and_hint(
    session: McpSession,
) -> None:
    result = session.call("validate", {"movie": BROKEN})
    assert not result.is_error  # a report, not a failure of the tool
    data = result.structured_content
    assert data["ok"] is False
    expected = validate(BROKEN)
    assert [(p["path"], p["code"]) for p in data["errors"]] == [
        (p.path, p.code) for p in expected.errors
    ]
    assert {p["path"] for p in data["errors"]} == {
        "width", "scenes[0].elements[0].src", "scenes[0].elements[1].text",
    }  # fmt: skip
    assert [p["path"] for p in data["warnings"]] == ["scenes[0].elements[2].position"]
    assert data["errors"] == expected.to_dict()["errors"]  # path, code, message, hint, value
    assert all(p["message"] for p in data["errors"]) and data["errors"][0]["hint"]
    assert text(result) == f"invalid: {expected.describe(warnings=True)}"


@pytest.mark.parametrize("tool", MOVIE_TOOLS)
def test_every_other_tool_refuses_a_broken_document_with_the_cli_line(
    session: McpSession, workdir: Path, tool: str
) -> None:
    (workdir / "broken.json").write_text(json.dumps(BROKEN), encoding="utf-8")
    expected = cli_error(workdir, "build", "broken.json")
    assert expected.startswith("invalid movie: width: 8000 pixels is larger than any plan")
    assert expected.endswith("[+2 more; run `moviekit validate` to see all]")
    args: dict[str, Any] = {"movie": BROKEN} | ({"max_credits": 100} if tool == "render" else {})
    result = session.call(tool, args)
    assert result.is_error
    assert text(result) == expected
    assert len(result.content) == 1


def test_a_preview_error_is_the_cli_line_too(session: McpSession, workdir: Path) -> None:
    doc = {"resolution": "sd", "scenes": [{"elements": [{"type": "video", "src": "clips/no.mp4"}]}]}
    (workdir / "missing.json").write_text(json.dumps(doc), encoding="utf-8")
    expected = cli_error(workdir, "frame", "missing.json", "--at", "0")
    looked = (workdir / "clips" / "no.mp4").resolve()
    assert expected == f"scenes[0].elements[0]: file not found: clips/no.mp4 (looked for {looked})"
    result = session.call("frame", {"movie": doc})
    assert result.is_error and text(result) == expected


def test_a_saved_template_reference_is_sent_to_template_get(session: McpSession) -> None:
    doc = {"template": "a1b2c3d4e5f6g7h8i9j0", "variables": {"city": "Oslo"}}
    assert not session.call("validate", {"movie": doc}).is_error
    result = session.call("timeline", {"movie": doc})
    assert result.is_error
    assert text(result).startswith("template: this document renders the saved template")
    assert "call template_get" in text(result)


def test_bad_arguments_are_one_line_naming_each_argument(session: McpSession) -> None:
    cases = {
        ("frame", "t"): ({"movie": HELLO, "t": "soon"}, 'invalid arguments: t: must be a valid '
                         'number, unable to parse string as a number (got "soon")'),
        ("frame", "movie"): ({"movie": 5}, "invalid arguments: movie: must be a valid "
                             "dictionary or a valid string (got 5)"),
        ("render", "max_credits"): ({"movie": HELLO}, "invalid arguments: max_credits: required,"
                                    " missing"),
        ("timeline", "lengths"): ({"movie": HELLO, "lengths": {"voice1": -2}},
                                  "lengths['voice1']: must be a number of seconds >= 0, got -2.0"),
        ("frame", "t<0"): ({"movie": HELLO, "t": -1}, "t: must be a time in seconds >= 0, "
                           "got -1.0"),
        ("render_draft", "name"): ({"movie": HELLO, "name": "../evil"}, "name: '../evil' is not a"
                                   " plain file name: use letters, digits, '.', '_' and '-' (no "
                                   "folders; drafts are written to this server's drafts folder)"),
    }  # fmt: skip
    for (tool, _), (args, expected) in cases.items():
        result = session.call(tool, args)
        assert result.is_error
        assert text(result) == expected
        assert "\n" not in text(result)


# ------------------------------------------------------------------------------- limits
def test_a_huge_document_is_refused_with_a_clear_message(session: McpSession) -> None:
    scene = {"elements": [{"type": "text", "text": "x" * 500}] * 10}
    huge = {"scenes": [scene] * 1200}  # about 6 MB of JSON
    assert len(json.dumps(huge)) > 5_000_000
    expected = (
        "movie: the document is more than 5,000,000 bytes, over this server's limit of "
        "5,000,000 bytes; split the work into smaller movies (the limit is "
        "`moviekit mcp --max-bytes`)"
    )
    for tool in ("validate", "timeline", "render"):
        result = session.call(tool, {"movie": huge, "max_credits": 1})
        assert result.is_error and text(result) == expected
    as_text = session.call("validate", {"movie": json.dumps(huge)})  # the same, as JSON text
    assert as_text.is_error and text(as_text) == expected
    deep: Any = {}
    for _ in range(100):
        deep = {"variables": deep}
    nested = session.call("validate", {"movie": deep})
    assert nested.is_error and "nested more than 64 levels deep" in text(nested)
    not_json = session.call("validate", {"movie": "{'scenes': []}"})
    assert text(not_json).startswith("movie: not valid JSON: Expecting property name")
    assert not session.call("validate", {"movie": {"scenes": []}}).is_error  # still serving


def test_local_files_only_under_the_root(session: McpSession, workdir: Path) -> None:
    outside = workdir.parent / "secret.png"
    outside.write_bytes(b"not for agents")
    for src, shown in [(str(outside), str(outside)), ("../secret.png", "../secret.png"),
                       (f"file://{outside}", str(outside))]:  # fmt: skip
        doc = {"resolution": "sd", "scenes": [{"duration": 1, "elements": [
            {"type": "image", "src": src}]}]}  # fmt: skip
        for tool in ("frame", "storyboard", "render_draft"):
            result = session.call(tool, {"movie": doc})
            assert result.is_error
            assert text(result) == (
                f"scenes[0].elements[0].src: the local file {shown!r} is outside this server's "
                f"root {workdir.resolve()}; put it under the root, or give an https:// URL"
            )


def test_a_local_file_under_the_root_is_drawn(session: McpSession, workdir: Path) -> None:
    from support.preview import ff

    ff("-f", "lavfi", "-i", "color=c=0x00ff00:s=64x36", "-frames:v", "1", str(workdir / "g.png"))
    doc = {"resolution": "sd", "scenes": [{"duration": 1, "elements": [
        {"type": "image", "src": "g.png", "resize": "fill"}]}]}  # fmt: skip
    result = session.call("frame", {"movie": doc, "t": 0.5})
    assert not result.is_error, text(result)
    png = png_of(result)
    assert check_png(png) == (640, 360)
    drawn = preview.frame(doc, 0.5, base_dir=workdir, cache_dir=workdir / "cache")
    missing = preview.frame(
        {**doc, "scenes": [{"duration": 1, "elements": []}]}, 0.5, cache_dir=workdir / "cache"
    )
    assert png == drawn != missing
    assert CRASH not in " ".join(session.seen)
