"""What the server does with an agent's document before a tool sees it (in process, many cases)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("mcp", reason="needs moviekit-json2video[mcp]")

from moviekit.mcp._documents import (  # noqa: E402
    MAX_DEPTH,
    ToolRefused,
    confine_local_files,
    read_document,
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=40,
)


def compact(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


@settings(max_examples=300, deadline=None)
@given(value=json_values.filter(lambda v: not isinstance(v, str)), cap=st.integers(10, 2000))
def test_any_json_is_returned_as_is_or_refused_with_the_reason(value: Any, cap: int) -> None:
    # (a string is JSON text: decoded, see the next test)
    try:
        got = read_document(value, cap)
    except ToolRefused as refused:
        assert refused.path == "movie"
        assert "over this server's limit" in str(refused) or "nested more than" in str(refused)
        assert compact(value) > cap or "nested" in str(refused)  # never refused for nothing
    else:
        assert got is value
        # characters are counted: a UTF-8 character has up to 4 bytes, an escape (\u0000) 6
        assert compact(value) <= 6 * cap + 10


@settings(max_examples=200, deadline=None)
@given(value=json_values)
def test_json_text_is_decoded_like_json_loads(value: Any) -> None:
    text = json.dumps(value)
    assert read_document(text, 10**7) == json.loads(text)
    with pytest.raises(ToolRefused, match=r"^movie: not valid JSON: "):
        read_document(text + "}", 10**7)


def test_the_cap_is_checked_before_the_whole_input_is_walked() -> None:
    # Far over the cap: refused after about cap bytes of work (a list of a million strings
    # would take a while to serialise; it is never serialised).
    huge = ["x" * 100] * 1_000_000
    with pytest.raises(ToolRefused, match=r"more than 1,000 bytes"):
        read_document({"scenes": huge}, 1_000)
    deep: Any = []
    for _ in range(MAX_DEPTH + 1):
        deep = [deep]
    with pytest.raises(ToolRefused, match="nested more than 64 levels"):
        read_document({"scenes": deep})
    with pytest.raises(ToolRefused, match="nested more than 64 levels"):
        read_document("[" * 100_000 + "]" * 100_000)


sources = st.sampled_from(
    ["a.png", "sub/b.mp4", "../up.png", "/etc/passwd", "~/x.png", "file:///etc/passwd",
     "file://a.png", "https://cdn.example.com/a.png", "{{photo}}", "data:x", "", "s3://b/k",
     "sub/../../up.png", "./c.png"]
) | st.text(max_size=12)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(srcs=st.lists(sources, max_size=4), absolute=st.booleans())
def test_local_files_are_kept_under_the_root(
    tmp_path_factory: pytest.TempPathFactory, srcs: list[str], absolute: bool
) -> None:
    root = tmp_path_factory.getbasetemp() / "root"
    doc = {"scenes": [{"elements": [{"type": "image", "src": s} for s in srcs]}]}
    try:
        out = confine_local_files(doc, root, absolute=absolute)
    except ToolRefused as refused:
        assert refused.path.startswith("scenes[0].elements[") and refused.path.endswith("].src")
        assert "outside this server's root" in str(refused) or "cannot use" in str(refused)
        return
    for src, element in zip(srcs, out["scenes"][0]["elements"], strict=True):
        if element["src"] != src:
            assert absolute and Path(element["src"]).is_relative_to(root.resolve())
    assert doc == {"scenes": [{"elements": [{"type": "image", "src": s} for s in srcs]}]}


def test_which_sources_are_local() -> None:
    root = Path("/srv/videos")
    inside = {"type": "image", "src": "shots/a.png"}
    (kept,) = confine_local_files({"elements": [inside]}, root, absolute=True)["elements"]
    assert kept["src"] == str(root.resolve() / "shots" / "a.png")
    for remote in ("https://x/a.png", "{{url}}", "data:image/png;base64,AA", "ftp://h/a.mp4"):
        doc = {"elements": [{"type": "image", "src": remote}]}
        assert confine_local_files(doc, root, absolute=True) == doc
    for outside in ("/etc/passwd", "../a.png", "file:///etc/passwd", "~/a.png"):
        with pytest.raises(ToolRefused, match=r"^elements\[0\]\.src: the local file"):
            confine_local_files({"elements": [{"type": "image", "src": outside}]}, root)
