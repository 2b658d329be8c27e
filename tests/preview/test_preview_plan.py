"""The draft's plan: what the report says, the lengths it assumes, the segments and transitions.

Each movie here is planned only (media probed, nothing rendered): the asserts are on what a
user reads in ``result.report`` and on the cut the draft is rendered from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.preview import FPS, H, MediaKit, W, make_media

from moviekit import Movie, PreviewError
from moviekit.preview._engine import plan_only
from moviekit.preview._plan import Plan

#: a src no render can fetch (neither a local file nor http): drawn as a placeholder, offline
UNREACHABLE = "ftp://media.invalid/clip"


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaKit:
    return make_media(tmp_path_factory.mktemp("media"))


def planned(doc: dict[str, Any], media: MediaKit, tmp_path: Path) -> Plan:
    movie = Movie.from_dict({"resolution": "custom", "width": W, "height": H, "fps": FPS, **doc})
    p = plan_only(movie, base_dir=media.dir, cache_dir=tmp_path, fetch_timeout=0.5)
    assert isinstance(p, Plan)
    return p


def kinds(p: Plan, path: str) -> list[str]:
    return [a.kind for a in p.report.approximations if a.path == path]


def test_conditions_and_iterations_are_reported_where_they_are(
    media: MediaKit, tmp_path: Path
) -> None:
    # README: `condition`, `iterate` -> "drawn once, as if the condition holds", by path.
    p = planned(
        {
            "scenes": [
                {
                    "elements": [
                        {"type": "image", "src": "green.png", "duration": 1},
                        {"type": "image", "src": "green.png", "duration": 1, "condition": "{{a}}"},
                    ]
                },
                {"duration": 1, "iterate": "items"},
                {"duration": 1, "condition": "{{b}}"},
            ]
        },
        media,
        tmp_path,
    )
    assert kinds(p, "scenes[0].elements[0]") == []
    assert kinds(p, "scenes[0].elements[1]") == ["condition"]
    assert kinds(p, "scenes[1]") == ["iterate"]
    assert kinds(p, "scenes[2]") == ["condition"]


def test_a_video_of_unknown_length_is_taken_as_five_seconds(
    media: MediaKit, tmp_path: Path
) -> None:
    # An unreachable video with no duration: its scene lasts the 5 s the report says it assumes.
    scene = {"elements": [{"type": "video", "src": UNREACHABLE}]}
    p = planned({"scenes": [scene]}, media, tmp_path)
    assert kinds(p, "scenes[0].elements[0]") == ["unreachable", "timing"]
    assert "5 s assumed" in str(p.report)
    assert p.timeline.total == 5.0
    assert p.total_frames == 5 * FPS


def test_a_movie_track_of_unknown_length_lasts_as_long_as_the_scenes(
    media: MediaKit, tmp_path: Path
) -> None:
    p = planned(
        {
            "scenes": [{"duration": 1}, {"duration": 1}],
            "elements": [{"type": "audio", "src": UNREACHABLE}],
        },
        media,
        tmp_path,
    )
    # One timing note (the scenes' length replaces the 5 s guess), under the stable code.
    timing = [a for a in p.report.approximations if a.path == "elements[0]" and a.kind == "timing"]
    assert [a.message for a in timing] == [
        "natural length unknown: taken as the scenes' length (2 s)"
    ]
    assert p.timeline.total == 2.0
    assert p.total_frames == 2 * FPS


def test_a_scene_too_short_for_one_frame_is_skipped_and_the_next_ones_drawn(
    media: MediaKit, tmp_path: Path
) -> None:
    # 0.01 s at 15 fps rounds to no frame: that scene has no segment, the third scene does.
    p = planned({"scenes": [{"duration": 1}, {"duration": 0.01}, {"duration": 1}]}, media, tmp_path)
    assert [(s.scene, s.start, s.frames) for s in p.segments] == [(0, 0, FPS), (2, FPS, FPS)]


def test_a_transition_without_a_style_is_a_faithful_fade(media: MediaKit, tmp_path: Path) -> None:
    # Reference: a transition's style defaults to "fade", an xfade name the draft draws as is.
    p = planned(
        {"scenes": [{"duration": 1}, {"duration": 1, "transition": {"duration": 0.4}}]},
        media,
        tmp_path,
    )
    assert [(t.into, t.style, t.frames) for t in p.transitions] == [(1, "fade", 6)]
    assert p.report.faithful, str(p.report)


@pytest.mark.parametrize(
    ("size", "path"),
    [({"width": 3841}, "width"), ({"height": 10**300}, "height"), ({"width": 2**70}, "width")],
)
def test_a_size_over_the_largest_the_service_renders_is_refused_by_name(
    size: dict[str, int], path: str, media: MediaKit, tmp_path: Path
) -> None:
    # (a fuzz case: a height of 10**300 reached the filter graph and overflowed a float)
    doc = {"scenes": [{"duration": 1, "elements": [{"type": "image", "src": UNREACHABLE}]}]}
    with pytest.raises(PreviewError, match=f"movie's {path} .* over 3840 px") as raised:
        planned({**doc, **size}, media, tmp_path)
    assert raised.value.path == path and len(str(raised.value)) < 200


def test_the_largest_size_the_service_renders_is_planned(media: MediaKit, tmp_path: Path) -> None:
    doc = {"width": 3840, "height": 2160, "scenes": [{"duration": 1}]}
    p = planned(doc, media, tmp_path)
    assert (p.width, p.height) == (3840, 2160)
