"""How the draft draws one element: the filter-graph piece built for its geometry, and a few pixels.

Most checks read the graph the preview builds for a one-scene movie (fast: nothing is
rendered): the crop rectangle, flips, the chroma key's similarity, the rotated box, the fade,
the place an element is overlaid at. Two behaviours are checked on a rendered frame, where
the graph alone would not say what the draft shows: a video shorter than its element holds
its last frame, and a text box at a preset position keeps the preset's gap.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from support.preview import FPS, H, MediaKit, W, make_media, near, pixel, png_rgb

from moviekit import Movie, preview
from moviekit.preview._engine import plan_only
from moviekit.preview._graph import SceneCompiler
from moviekit.preview._plan import Plan

RED, BLUE, BLACK = (255, 0, 0), (0, 0, 255), (0, 0, 0)
#: README: "`position` presets with their 5 % gap" (of the canvas width / height)
GAP_X, GAP_Y = round(0.05 * W), round(0.05 * H)


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaKit:
    return make_media(tmp_path_factory.mktemp("media"))


def movie(*elements: dict[str, Any], duration: float = 2) -> Movie:
    return Movie.from_dict(
        {
            "resolution": "custom",
            "width": W,
            "height": H,
            "fps": FPS,
            "scenes": [{"duration": duration, "elements": list(elements)}],
        }
    )


def drawn(
    media: MediaKit, tmp_path: Path, *elements: dict[str, Any], duration: float = 2
) -> tuple[list[str], Plan]:
    """The graph parts of the first scene (the report filled in by building it) and the plan."""
    scene = movie(*elements, duration=duration)
    p = plan_only(scene, base_dir=media.dir, cache_dir=tmp_path, fetch_timeout=0.5)
    assert isinstance(p, Plan)
    g, _ = SceneCompiler(p, p.segments[0], p.report).build()
    return g.parts, p


def chain(parts: list[str]) -> list[str]:
    """The filters applied to the first element before it is overlaid."""
    part = next(part for part in parts if re.search(r"\[el\d+\]$", part))
    return part.split("]", 1)[1].rsplit("[", 1)[0].split(",")


def placed(parts: list[str]) -> tuple[int, int]:
    """Where the first element's top-left corner is overlaid on the scene."""
    match = re.search(r"\[el\d+\]overlay=x=(-?\d+):y=(-?\d+)", ";".join(parts))
    assert match, parts
    return int(match.group(1)), int(match.group(2))


def image(**props: Any) -> dict[str, Any]:
    """The 80x40 green PNG for the whole scene."""
    return {"type": "image", "src": "green.png", **props}


@pytest.mark.parametrize(
    ("crop", "rectangle"),
    [
        ({"width": 40, "height": 20}, "crop=40:20:0:0"),  # x and y default to 0: the top left
        ({"width": 40, "height": 20, "y": 10}, "crop=40:20:0:10"),
        ({"width": 40, "height": 20, "x": 30, "y": 0}, "crop=40:20:30:0"),
    ],
)
def test_a_crop_cuts_its_rectangle_from_x_and_y(
    crop: dict[str, int], rectangle: str, media: MediaKit, tmp_path: Path
) -> None:
    parts, _ = drawn(media, tmp_path, image(crop=crop))
    assert chain(parts)[0] == rectangle
    assert "scale=40:20:flags=bilinear" in chain(parts)  # the element is the crop's size


@pytest.mark.parametrize(
    ("flips", "filters"),
    [
        ({"flip-horizontal": True}, ["hflip"]),
        ({"flip-vertical": True}, ["vflip"]),
        ({"flip-horizontal": True, "flip-vertical": True}, ["hflip", "vflip"]),
        ({"flip-horizontal": False}, []),
    ],
)
def test_flips_mirror_the_element(
    flips: dict[str, bool], filters: list[str], media: MediaKit, tmp_path: Path
) -> None:
    parts, _ = drawn(media, tmp_path, image(**flips))
    assert [f for f in chain(parts) if f in ("hflip", "vflip")] == filters


@pytest.mark.parametrize(("tolerance", "similarity"), [(40, "0.4"), (None, "0.25"), (1, "0.01")])
def test_the_chroma_key_tolerance_is_a_share_of_the_colour_range(
    tolerance: int | None, similarity: str, media: MediaKit, tmp_path: Path
) -> None:
    # Reference: tolerance 1..100, default 25; chromakey's similarity is the 0..1 fraction.
    key: dict[str, Any] = {"color": "#00ff00"}
    if tolerance is not None:
        key["tolerance"] = tolerance
    parts, _ = drawn(media, tmp_path, image(**{"chroma-key": key}))
    (keyed,) = [f for f in chain(parts) if f.startswith("chromakey=")]
    assert f":similarity={similarity}:" in keyed


@pytest.mark.parametrize(("angle", "box"), [(90, (40, 80)), (180, (80, 40)), (30, (90, 74))])
def test_a_rotated_element_is_drawn_in_its_rotated_bounding_box(
    angle: int, box: tuple[int, int], media: MediaKit, tmp_path: Path
) -> None:
    # 80x40 turned by 30 degrees: 80cos30 + 40sin30 = 89.3 wide, 80sin30 + 40cos30 = 74.6
    # high (even sizes for yuv420p: 90 x 74).
    parts, _ = drawn(media, tmp_path, image(rotate={"angle": angle}, x=100, y=50))
    (rotated,) = [f for f in chain(parts) if f.startswith("rotate=")]
    assert f":ow={box[0]}:oh={box[1]}:" in rotated
    assert placed(parts) == (100, 50)


def test_an_unrotated_element_has_no_rotate_filter(media: MediaKit, tmp_path: Path) -> None:
    parts, _ = drawn(media, tmp_path, image(rotate={"angle": 0}))
    assert not [f for f in chain(parts) if "rotate" in f]


def test_a_fade_out_covers_the_last_seconds_of_the_element(media: MediaKit, tmp_path: Path) -> None:
    parts, _ = drawn(media, tmp_path, image(duration=2, **{"fade-out": 0.5, "fade-in": 0.25}))
    fades = [f for f in chain(parts) if f.startswith("fade=")]
    assert fades == ["fade=t=in:st=0:d=0.25:alpha=1", "fade=t=out:st=1.5:d=0.5:alpha=1"]


def test_a_contained_element_is_centred(media: MediaKit, tmp_path: Path) -> None:
    # 80x40 contained in 320x180: scaled x4 to 320x160, with 10 px above and below.
    parts, _ = drawn(media, tmp_path, image(resize="contain"))
    assert "scale=320:160:flags=bilinear" in chain(parts)
    assert placed(parts) == (0, 10)


@pytest.mark.parametrize(
    ("position", "corner"),
    [
        ("top-left", (GAP_X, GAP_Y)),
        ("top-right", (W - 80 - GAP_X, GAP_Y)),
        ("bottom-left", (GAP_X, H - 40 - GAP_Y)),
        ("bottom-right", (W - 80 - GAP_X, H - 40 - GAP_Y)),
        ("center-center", ((W - 80) // 2, (H - 40) // 2)),
        ("custom", (0, 0)),
    ],
)
def test_position_presets_keep_their_gap(
    position: str, corner: tuple[int, int], media: MediaKit, tmp_path: Path
) -> None:
    parts, _ = drawn(media, tmp_path, image(position=position))
    assert placed(parts) == corner


def test_a_placeholder_is_drawn_at_its_own_size_and_place(media: MediaKit, tmp_path: Path) -> None:
    # README: a labelled box "for the element's exact time span and area"; x and y default to 0.
    html = {"type": "html", "html": "<b>hi</b>", "width": 100, "height": 50, "duration": 1}
    parts, _ = drawn(media, tmp_path, html)
    (fill,) = [part for part in parts if part.startswith("color=c=0xB07AA1@0.45")]
    assert ":s=100x50:" in fill
    overlay = re.search(r"\]\[ph\d+\]overlay=x=(\d+):y=(\d+)", ";".join(parts))
    assert overlay and overlay.groups() == ("0", "0")


def test_a_long_loop_approximation_is_reported_at_its_element(
    media: MediaKit, tmp_path: Path
) -> None:
    # 1 s of bars looped for 20 s with a seek: more pieces than are cut exactly.
    clip = {"type": "video", "src": "bars.mp4", "loop": -1, "seek": 0.5, "duration": 20}
    _, p = drawn(media, tmp_path, clip, duration=20)
    assert [(a.path, a.kind) for a in p.report.approximations] == [
        ("scenes[0].elements[0]", "loop")
    ]


def test_a_video_shorter_than_its_element_holds_its_last_frame(
    media: MediaKit, tmp_path: Path
) -> None:
    # red_blue.mp4: 1 s red then 1 s blue, played once (loop 1) in a 3 s element: the last
    # (blue) frame stays on screen, the video does not start again (red).
    clip = {"type": "video", "src": "red_blue.mp4", "duration": 3}
    png = preview.frame(movie(clip, duration=3), 2.5, base_dir=media.dir, cache_dir=tmp_path)
    assert near(pixel(png_rgb(png), W // 2, H // 2), BLUE)


def test_a_text_box_at_a_preset_keeps_the_preset_gap(media: MediaKit, tmp_path: Path) -> None:
    # A 40 px text on a red box at top-left: the box (the text and its 12 px padding) starts
    # at the 5 % gap, like any element at that preset, and nothing of it is drawn in the gap.
    # (Line widths are estimated, not measured: this text is one the estimate does not
    # undersize; a run of wide glyphs such as "MMM" is wider than estimated.)
    text = {
        "type": "text",
        "text": "Hello world",
        "position": "top-left",
        "settings": {"font-size": "40px", "background-color": "#ff0000", "color": "#ff0000"},
    }
    frame = png_rgb(preview.frame(movie(text), 1, base_dir=media.dir, cache_dir=tmp_path))
    row = GAP_Y + 30  # within the box's height (40 px text + padding)
    assert near(pixel(frame, GAP_X + 16, row), RED)
    assert [x for x in range(GAP_X) if not near(pixel(frame, x, row), BLACK)] == []


def test_a_colour_correction_is_passed_to_eq_with_the_reference_defaults(
    media: MediaKit, tmp_path: Path
) -> None:
    # Reference: brightness -1..1 (default 0), contrast (default 1), gamma (default 1),
    # saturation 0..3 (default 1): the same scales as ffmpeg's eq, so values pass as given.
    parts, _ = drawn(media, tmp_path, image(correction={"brightness": 0.2, "saturation": 1.5}))
    (eq,) = [f for f in chain(parts) if f.startswith("eq=")]
    assert eq == "eq=brightness=0.2:contrast=1:gamma=1:saturation=1.5"


def test_a_mask_is_reported_as_not_applied(media: MediaKit, tmp_path: Path) -> None:
    # README: a `mask` is approximated (drawn unmasked) and listed with its JSON path; the
    # report's stable code for it is `mask` (Approximation.kind).
    _, p = drawn(media, tmp_path, image(mask="green.png"))
    assert [(a.path, a.kind) for a in p.report.approximations] == [
        ("scenes[0].elements[0]", "mask")
    ]


def drawtexts(parts: list[str]) -> list[str]:
    """The drawtext filters of the first text element."""
    part = next(part for part in parts if "drawtext=" in part)
    return re.split(r"(?<!\\),", part.split("]", 1)[1].rsplit("[", 1)[0])  # not at "\,"


def option(drawtext: str, name: str) -> str:
    """One option's value, unquoted (the graph escapes the quotes: ``\\'0xFF0000\\'``)."""
    match = re.search(rf":{name}=([^:]+)", drawtext)
    assert match, drawtext
    return match.group(1).replace("\\'", "")


@pytest.mark.parametrize("vertical", ["top", "center", "bottom"])
def test_a_text_box_at_a_preset_is_its_text_and_padding(
    vertical: str, media: MediaKit, tmp_path: Path
) -> None:
    # A text at a preset position has no height of its own: its box is the line plus the
    # padding above and below, so the line sits one padding below the 5 % gap whichever
    # `vertical-position` it has (the box leaves it no room to move).
    settings = {"font-size": "40px", "background-color": "#ff0000", "vertical-position": vertical}
    text = {"type": "text", "text": "Hello", "position": "top-left", "settings": settings}
    parts, _ = drawn(media, tmp_path, text)
    (line,) = drawtexts(parts)
    pad = float(option(line, "boxborderw"))
    assert pad > 0
    assert float(option(line, "y")) == GAP_Y + pad


def test_a_text_background_colour_the_draft_cannot_read_is_the_default_black(
    media: MediaKit, tmp_path: Path
) -> None:
    # Reference: `background-color` is a hex colour (or 'transparent') whose default is
    # '#000000'; a value the draft cannot read still draws the box, in that default.
    settings = {"font-size": "40px", "background-color": "not-a-colour"}
    parts, _ = drawn(media, tmp_path, {"type": "text", "text": "Hello", "settings": settings})
    (line,) = drawtexts(parts)
    assert ":box=1:" in line
    assert option(line, "boxcolor") == "0x000000"
