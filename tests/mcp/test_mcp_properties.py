"""Any JSON an agent sends to any tool gets a result or a tool error, in bounded time.

Hypothesis writes the arguments: arbitrary JSON, and Movie-JSON-shaped documents
that get past validation into timing, drafts and (on the fake service) renders.
Every call goes through one real stdio session; a call that crashed would come
back as the SDK's bare "Error executing tool" (never allowed here), and a
server that died would fail the next call.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from support.mcp_session import CRASH, McpSession, text

pytest.importorskip("imageio_ffmpeg", reason="frame, storyboard and render_draft need ffmpeg")

#: the tools that draw with ffmpeg: fewer examples, a longer bound
DRAWING = {"frame", "storyboard", "render_draft"}
#: seconds a call may take (a loaded 2-core machine included): a draft of a few seconds, or less
BOUND = {"drawing": 90.0, "other": 20.0}

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=16,
)
small_times = st.sampled_from([-2, -1, 0, 0.5, 1, 2.5]) | st.floats(min_value=-3, max_value=3)
element_types = st.sampled_from(
    ["text", "image", "video", "audio", "voice", "html", "component", "audiogram", "subtitles"]
)
sources = st.sampled_from(
    ["https://cdn.example.com/a.jpg", "https://cdn.example.com/b.mp4", "clip.mp4", "{{photo}}",
     "../outside.png", "/etc/hostname", "file:///etc/hostname", "", "data:image/png;base64,AAAA"]
)  # fmt: skip
elements = st.fixed_dictionaries(
    {"type": element_types},
    optional={
        "text": st.text(max_size=20),
        "src": sources,
        "start": small_times,
        "duration": small_times,
        "extra-time": small_times,
        "id": st.sampled_from(["v1", "t1", "1bad"]),
        "position": st.sampled_from(["center-center", "custom", "centre"]),
        "loop": st.sampled_from([-1, 1, 2]),
        "prompt": st.text(max_size=10),
        "component": st.sampled_from(["basic/000"]),
        "html": st.just("<b>hi</b>"),
        "settings": json_values,
    },
)
scenes = st.fixed_dictionaries(
    {"elements": st.lists(elements, max_size=3)},
    optional={
        "duration": small_times,
        "background-color": st.sampled_from(["#101820", "transparent", "red"]),
        "transition": st.fixed_dictionaries(
            {"style": st.sampled_from(["fade", "nope"]), "duration": small_times}
        ),  # fmt: skip
    },
)
movies = st.fixed_dictionaries(
    {"scenes": st.lists(scenes, max_size=3)},
    optional={
        "resolution": st.sampled_from(["sd", "hd", "custom", "4k"]),
        "width": st.sampled_from([64, 3840, 0]),
        "height": st.sampled_from([36, 2160, "{{h}}"]),
        "fps": st.sampled_from([5, 0]),
        "elements": st.lists(elements, max_size=2),
        "variables": json_values,
        "template": st.sampled_from(["a1b2c3d4e5f6g7h8i9j0", "short"]),
    },
)
#: small valid movies (640x360, a few seconds): these get past validation into timing and drawing
valid_elements = st.one_of(
    st.builds(lambda t, d: {"type": "text", "text": t, "duration": d},
              st.text(min_size=1, max_size=12), st.floats(min_value=0.2, max_value=2)),
    st.builds(lambda s, d: {"type": "image", "src": s, "duration": d},
              st.sampled_from(["https://cdn.example.com/a.jpg", "{{photo}}"]),
              st.floats(min_value=0.2, max_value=2)),
    st.builds(lambda s: {"type": "audio", "src": s},
              st.sampled_from(["https://cdn.example.com/a.mp3", "clip.mp4"])),
    st.just({"type": "voice", "text": "Hello there"}),
)  # fmt: skip
valid_movies = st.builds(
    lambda scenes, fps: {"resolution": "sd", "fps": fps, "scenes": scenes},
    st.lists(
        st.builds(
            lambda e, d: {"elements": e} | ({"duration": d} if d else {}),
            st.lists(valid_elements, max_size=3),
            st.sampled_from([None, 0.5, 1.5]),
        ),
        min_size=1,
        max_size=3,
    ),  # fmt: skip
    st.sampled_from([5, 10]),
)
movie_args = st.one_of(
    valid_movies, valid_movies, movies, json_values, valid_movies.map(json.dumps)
)


def mostly(sensible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually a sensible value for the argument, sometimes any JSON at all."""
    return st.one_of(*[sensible] * 6, json_values)


#: per tool, its arguments: each may be a sensible value or any JSON at all
ARGUMENTS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "validate": {"movie": movie_args, "strict": mostly(st.booleans())},
    "timeline": {"movie": movie_args,
                 "lengths": mostly(st.dictionaries(st.text(max_size=8), small_times))},
    "estimate_credits": {"movie": movie_args,
                         "lengths": mostly(st.dictionaries(sources, small_times))},
    "frame": {"movie": movie_args, "t": mostly(small_times)},
    "storyboard": {"movie": movie_args, "every": mostly(st.sampled_from([None, 0.5, 1e-9])),
                   "columns": mostly(st.integers(-1, 14)), "width": mostly(st.integers(0, 2000))},
    "render_draft": {"movie": movie_args, "name": mostly(st.sampled_from(["ok", "../x", "a/b"])),
                     "quality": mostly(st.sampled_from(["low", "ultra"]))},
    "render": {"movie": movie_args, "max_credits": mostly(st.integers(-5, 50)),
               "resubmit": mostly(st.booleans()),
               "lengths": mostly(st.dictionaries(sources, small_times))},
    "status": {"project_id": mostly(st.text(max_size=20))},
    "templates_list": {"tag": mostly(st.none() | st.text(max_size=10))},
    "template_get": {"template_id": mostly(st.text(max_size=24))},
}  # fmt: skip


#: arguments a call needs (left out now and then, to see that said too)
REQUIRED = {"movie", "max_credits", "project_id", "template_id"}


@st.composite
def arguments(draw: st.DrawFn, tool: str) -> dict[str, Any]:
    """Some of the tool's arguments (each sensible or arbitrary), sometimes a stray one too."""
    chosen = {}
    for name, values in ARGUMENTS[tool].items():
        wanted = draw(st.integers(0, 9)) > 0 if name in REQUIRED else draw(st.booleans())
        if wanted:
            chosen[name] = draw(values)
    if draw(st.integers(0, 9)) == 0:
        chosen[draw(st.text(max_size=6))] = draw(json_values)
    return chosen


@pytest.fixture(scope="module")
def session(service_session: McpSession) -> McpSession:
    (service_session.log.parent / "clip.mp4").write_bytes(b"not a video")  # a file in the root
    return service_session


def _check(session: McpSession, tool: str, args: dict[str, Any]) -> None:
    bound = BOUND["drawing" if tool in DRAWING else "other"]
    began = time.monotonic()
    result = session.call(tool, args, timeout=bound)
    took = time.monotonic() - began
    assert took < bound, f"{tool} took {took:.1f} s"
    assert isinstance(result.is_error, bool)
    said = text(result)
    assert said.strip(), f"{tool} answered nothing"
    assert not said.startswith(CRASH), f"{tool} crashed on {json.dumps(args)[:300]}: {said}"
    if not result.is_error:
        assert result.structured_content is not None
    event(f"{'error' if result.is_error else 'ok'}: {said[:24]}")  # --hypothesis-show-statistics


@pytest.mark.parametrize("tool", sorted(set(ARGUMENTS) - DRAWING))
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_arguments_give_a_result_or_a_tool_error(
    session: McpSession, tool: str, data: st.DataObject
) -> None:
    _check(session, tool, data.draw(arguments(tool)))


@pytest.mark.parametrize("tool", sorted(DRAWING))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_arguments_to_the_drawing_tools_too(
    session: McpSession, tool: str, data: st.DataObject
) -> None:
    _check(session, tool, data.draw(arguments(tool)))
