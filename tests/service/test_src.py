"""``map_local_sources``: what the client uploads and the command line resolves next to a script."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from support.hostile_answers import json_values

from moviekit.service._src import _WEB_PAGES, is_local_source, is_web_page, map_local_sources


def _srcs(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [v for k, v in value.items() if k == "src"] + [
            s for k, v in value.items() if k != "src" for s in _srcs(v)
        ]
    if isinstance(value, list):
        return [s for item in value for s in _srcs(item)]
    return []


def test_only_local_src_values_are_replaced() -> None:
    doc = {
        "scenes": [
            {
                "elements": [
                    {"type": "image", "src": "photo.png"},
                    {"type": "video", "src": "https://cdn.example.com/a.mp4"},
                    {"type": "audio", "src": "{{music}}"},
                    {"type": "text", "text": "photo.png", "settings": {"src": "~/x.mp3"}},
                ]
            }
        ]
    }
    out = map_local_sources(doc, lambda path: f"/root/{path}")
    elements = out["scenes"][0]["elements"]
    assert [e.get("src") for e in elements] == [
        "/root/photo.png",
        "https://cdn.example.com/a.mp4",
        "{{music}}",
        None,
    ]
    assert elements[3] == {
        "type": "text",
        "text": "photo.png",
        "settings": {"src": "/root/~/x.mp3"},
    }
    assert doc["scenes"][0]["elements"][0]["src"] == "photo.png"  # the input is not changed


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["src", "scenes", "elements", "x"]), json_values, max_size=4)
)
def test_any_json_maps_to_the_same_shape_without_local_paths(doc: dict[str, Any]) -> None:
    assert map_local_sources(doc, lambda path: path) == doc
    replaced = map_local_sources(doc, lambda path: "https://uploaded.example/f")
    assert not any(is_local_source(src) for src in _srcs(replaced))
    assert len(_srcs(replaced)) == len(_srcs(doc))


_PIECES = [
    *("https://", "http://", "HTTPS://", "httpſ://", "www.", "m.", "WWW.", "/", ":", "@", "?"),
    *("youtube.com", "YouTube.com", "youtu.be", "vimeo.com", "tiktok.com", "instagram.com"),
    *("facebook.com", "watch", "shorts/", "p/", "reel/", "videos/", "1", "x", "\u212a", "a.b"),
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join))
def test_a_web_page_is_found_by_its_site_first_and_its_path_then(src: str) -> None:
    # is_web_page asks the (cached) site first; it must say what the whole pattern says
    assert is_web_page(src) == (_WEB_PAGES.match(src) is not None)
