"""The local preview renderer: durations, sizes, sound, pixels, transitions, layering, caching."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from support.preview import (
    FPS,
    H,
    MediaKit,
    W,
    busy,
    info,
    make_media,
    mean_volume,
    near,
    pixel,
    png_rgb,
    png_size,
    rgb_frame,
)

from moviekit import (
    HTML,
    Audio,
    Component,
    Image,
    Movie,
    PreviewError,
    Scene,
    Text,
    Video,
    Voice,
    preview,
)

RED, BLUE, GREEN, MAGENTA = (255, 0, 0), (0, 0, 255), (0, 255, 0), (255, 0, 255)
YELLOW, BLACK, WHITE = (255, 255, 0), (0, 0, 0), (255, 255, 255)


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaKit:
    return make_media(tmp_path_factory.mktemp("media"))


@pytest.fixture()
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def small(**props: object) -> Movie:
    return Movie(resolution="custom", width=W, height=H, fps=FPS, **props)


def assert_length(result: preview.PreviewResult, path: Path, frames: int) -> None:
    """The draft holds exactly ``frames`` frames, with the movie's size, fps and sound.

    ``frames`` is worked out by hand in each test: ``timeline.total x fps`` rounded to
    the nearest frame (a half rounds up), so rounding down anywhere fails here.
    """
    got = info(path)
    assert (got.width, got.height) == (result.width, result.height)
    assert got.fps == result.fps
    assert got.frames == frames, (got, result.timeline.total)
    # ffmpeg prints the container's length to 1/100 s; it may run on by the last AAC
    # frame of the sound (1024 samples: 21 ms)
    assert -0.005 <= got.duration - frames / result.fps <= 0.005 + 0.022, got
    assert result.duration == frames / result.fps
    assert abs(result.duration - result.timeline.total) <= 0.5 / result.fps + 1e-9
    assert got.audio == "aac"


def test_two_scenes_with_a_fade_transition(media: MediaKit, tmp_path: Path, cache: Path) -> None:
    movie = (
        small()
        .add(Scene(background_color="#FF0000", duration=1))
        .add(Scene(background_color="#0000FF", duration=1).transition("fade", 0.5))
    )
    out = tmp_path / "draft.mp4"
    result = preview.render(movie, out, cache_dir=cache)
    assert result.timeline.total == pytest.approx(1.5)
    assert_length(result, out, 23)  # 1.5 s x 15 fps = 22.5 frames: the half rounds up
    assert near(pixel(rgb_frame(out, 0.2), 10, 10), RED)
    assert near(pixel(rgb_frame(out, 1.3), 10, 10), BLUE)
    mixed = pixel(rgb_frame(out, 0.75), 10, 10)  # the middle of the cross-fade: both scenes
    assert mixed[0] > 60 and mixed[2] > 60, mixed


def test_video_exact_seek_overlay_in_corner_and_text(
    media: MediaKit, tmp_path: Path, cache: Path
) -> None:
    movie = small().add(
        Scene(background_color="#000000").add(
            # seek 1 s into red|blue: the first frame must already be blue (exact, not a keyframe)
            Video(str(media.red_blue)).seek(1),
            Image(str(media.green)).position("top-right"),
            Text("Hello").position("bottom-left").settings(font_size="28px", font_color="#FFFFFF"),
        )
    )
    out = tmp_path / "draft.mp4"
    result = preview.render(movie, out, cache_dir=cache)
    assert result.timeline.total == pytest.approx(1.0)  # probed: 2 s file, seek 1
    assert_length(result, out, 15)
    first = rgb_frame(out, 0.0)
    assert near(pixel(first, 100, 90), BLUE)
    # top-right preset: 5 % gap from the edges; the 80x40 image sits at x 224..304, y 9..49
    assert near(pixel(first, W - 16 - 40, 9 + 20), GREEN)
    assert near(pixel(first, W - 8, 5), BLUE)  # the gap itself shows the video
    text_area = (16, H - 9 - 40, 120, 40)
    assert busy(first, text_area, BLUE) > 50


def test_trim_loop_and_extra_time(media: MediaKit, tmp_path: Path, cache: Path) -> None:
    movie = small().add(
        # 1 s file played twice (a loop needs a duration: reference §5.1), then held 0.5 s
        Scene().add(Video(str(media.bars)).loop(2).duration(2).extra_time(0.5)),
        Scene(duration=0.6).add(Video(str(media.red_blue))),  # trimmed by the scene
    )
    out = tmp_path / "draft.mp4"
    result = preview.render(movie, out, cache_dir=cache)
    assert result.timeline.total == pytest.approx(3.1)
    assert_length(result, out, 47)  # 3.1 s x 15 = 46.5; scene 0 is 38 frames (37.5)
    assert near(pixel(rgb_frame(out, 2.9), 100, 90), RED)


def test_frame_counts_round_to_the_nearest_frame(tmp_path: Path, cache: Path) -> None:
    # 0.65 s x 15 fps = 9.75 frames: scene 0 is 10 frames (rounding down would give 9),
    # the movie 1.3 s = 19.5 -> 20 frames (down: 19).
    movie = small().add(
        Scene(background_color="#FF0000", duration=0.65),
        Scene(background_color="#0000FF", duration=0.65),
    )
    out = tmp_path / "draft.mp4"
    result = preview.render(movie, out, cache_dir=cache)
    assert_length(result, out, 20)
    assert near(pixel(rgb_frame(out, 9 / FPS), 5, 5), RED)  # frame 9: still scene 0
    assert near(pixel(rgb_frame(out, 10 / FPS), 5, 5), BLUE)  # frame 10: scene 1 begins
    # movie time 9.6 frames in is frame 10 (the nearest), so the picture is scene 1's
    assert near(pixel(png_rgb(preview.frame(movie, 9.6 / FPS, cache_dir=cache)), 5, 5), BLUE)


def test_z_index_and_array_order(media: MediaKit, tmp_path: Path, cache: Path) -> None:
    def movie(z: int) -> Movie:
        return small().add(
            Scene(duration=0.5).add(
                Image(str(media.green)).x(100).y(50).z_index(z),
                Image(str(media.magenta)).x(120).y(60),
            )
        )

    on_top = preview.frame(movie(0), 0.2, cache_dir=cache)
    assert near(pixel(png_rgb(on_top), 130, 70), MAGENTA)  # later in the array: on top
    raised = preview.frame(movie(5), 0.2, cache_dir=cache)
    assert near(pixel(png_rgb(raised), 130, 70), GREEN)  # a higher z-index wins


def test_movie_level_elements_over_every_scene_and_after(
    media: MediaKit, tmp_path: Path, cache: Path
) -> None:
    movie = (
        small()
        .add(
            Scene(background_color="#FF0000", duration=0.6),
            Scene(background_color="#0000FF", duration=0.6).transition("wipeleft", 0.2),
        )
        .add(
            Image(str(media.green)).position("bottom-right").duration(1.5),
            Audio(str(media.tone)).volume(0.5),
        )
    )
    out = tmp_path / "draft.mp4"
    result = preview.render(movie, out, cache_dir=cache)
    assert result.timeline.total == pytest.approx(2.0)  # the 2 s tone outlasts the scenes
    assert_length(result, out, 30)
    corner = (W - 16 - 40, H - 9 - 20)
    for t in (0.1, 0.8, 1.3):
        assert near(pixel(rgb_frame(out, t), *corner), GREEN), t
    assert near(pixel(rgb_frame(out, 1.8), *corner), BLACK)  # after the scenes: black
    assert mean_volume(out) > -45


def test_fades_volume_and_muted(media: MediaKit, tmp_path: Path, cache: Path) -> None:
    loud = small().add(Scene().add(Video(str(media.red_blue)).fade_in(1)))
    muted = small().add(Scene().add(Video(str(media.red_blue)).muted(True)))
    out_loud, out_muted = tmp_path / "loud.mp4", tmp_path / "muted.mp4"
    preview.render(loud, out_loud, cache_dir=cache)
    preview.render(muted, out_muted, cache_dir=cache)
    assert mean_volume(out_loud) > -45
    assert mean_volume(out_muted) < -80
    early, late = pixel(rgb_frame(out_loud, 0.1), 100, 90), pixel(rgb_frame(out_loud, 0.9), 100, 90)
    assert early[0] < late[0] - 100  # fading in from black


def test_placeholders_are_timed_labelled_and_reported(
    media: MediaKit, tmp_path: Path, cache: Path
) -> None:
    movie = small().add(
        Scene(background_color="#000000", duration=2).add(
            HTML("<h1>Hi</h1>").start(1).duration(0.5),
            Component("basic/001").width(100).height(60).x(10).y(10).start(0).duration(0.5),
            Text("animated").style("004"),
            Voice("Hello there, this is a voice over"),
        )
    )
    out = tmp_path / "draft.mp4"
    result = preview.render(movie, out, cache_dir=cache)
    assert_length(result, out, 30)
    kinds = {(a.path, a.kind) for a in result.report.approximations}
    assert ("scenes[0].elements[0]", "placeholder") in kinds
    assert ("scenes[0].elements[1]", "placeholder") in kinds
    assert ("scenes[0].elements[2]", "static-text") in kinds
    assert ("scenes[0].elements[3]", "voice-silence") in kinds
    assert busy(rgb_frame(out, 0.2), (10, 10, 100, 60), BLACK) > 3000  # component box, early
    assert busy(rgb_frame(out, 0.7), (10, 10, 100, 60), BLACK, tol=10) < 600  # gone (text only)
    assert busy(rgb_frame(out, 1.2), (150, 0, 150, 30), BLACK) > 2000  # html box, full canvas
    assert "placeholder" in result.report.summary()


def test_only_animated_text_styles_are_reported(tmp_path: Path, cache: Path) -> None:
    movie = small().add(
        Scene(duration=0.4).add(
            Text("no style"), Text("the static style").style("001"), Text("animated").style("004")
        )
    )
    report = preview.render(movie, tmp_path / "d.mp4", cache_dir=cache).report
    assert [(a.path, a.kind) for a in report.approximations] == [
        ("scenes[0].elements[2]", "static-text")
    ]
    assert str(report.approximations[0]) == (
        "scenes[0].elements[2]: text style '004' (an animation) drawn as static text [static-text]"
    )
    plain = small().add(Scene(duration=0.4).add(Text("plain")))
    assert preview.render(plain, tmp_path / "p.mp4", cache_dir=cache).report.faithful


def test_unreachable_url_is_a_quick_placeholder_with_a_warning(tmp_path: Path, cache: Path) -> None:
    movie = (
        small()
        .add(
            Scene(duration=1).add(Image("http://127.0.0.1:9/photo.jpg")),
        )
        .add(Audio("https://unreachable.invalid/music.mp3"))
    )
    started = time.perf_counter()
    result = preview.render(movie, tmp_path / "d.mp4", cache_dir=cache, fetch_timeout=2)
    assert time.perf_counter() - started < 20
    assert [a.kind for a in result.report.approximations].count("unreachable") == 2
    assert any("127.0.0.1:9/photo.jpg" in w for w in result.report.warnings)
    assert_length(result, tmp_path / "d.mp4", 15)
    assert result.timeline.total == pytest.approx(1.0)  # the unknown music does not stretch it


def test_cache_reuses_unchanged_scenes(media: MediaKit, tmp_path: Path, cache: Path) -> None:
    base = small().add(
        Scene(background_color="#FF0000", duration=0.5),
        Scene(background_color="#00FF00", duration=0.5),
    )
    first = preview.render(base, tmp_path / "a.mp4", cache_dir=cache)
    assert first.cached == 0
    changed = base.with_scenes([*base.scenes[:1], Scene(background_color="#0000FF", duration=0.5)])
    second = preview.render(changed, tmp_path / "b.mp4", cache_dir=cache)
    assert second.cached == 2  # scene 0 and the (silent) soundtrack are unchanged
    assert near(pixel(rgb_frame(tmp_path / "b.mp4", 0.8), 5, 5), BLUE)


def test_frame_png_and_transition_frame(media: MediaKit, cache: Path) -> None:
    movie = (
        small()
        .add(Scene(background_color="#FF0000", duration=1))
        .add(Scene(background_color="#0000FF", duration=1).transition("fade", 0.5))
    )
    png = movie.frame(1.2)
    assert png_size(png) == (W, H) and near(pixel(png_rgb(png), 5, 5), BLUE)
    blend = preview.frame(movie, 0.75, cache_dir=cache)
    r, _, b = pixel(png_rgb(blend), 5, 5)
    assert r > 60 and b > 60
    assert png_size(preview.frame(movie, 0.1, size=(160, 90), cache_dir=cache)) == (160, 90)


def test_storyboard_one_frame_per_scene(media: MediaKit, tmp_path: Path, cache: Path) -> None:
    movie = small().add(
        Scene(background_color=c, duration=0.5) for c in ("#FF0000", "#00FF00", "#0000FF")
    )
    path = preview.storyboard(
        movie, tmp_path / "board.png", columns=2, thumb_width=160, cache_dir=cache
    )
    width, height = png_size(path.read_bytes())
    assert width == 6 + 2 * (160 + 6) and height > 2 * 90


def test_template_movies_and_zero_length_are_refused(
    media: MediaKit, tmp_path: Path, cache: Path
) -> None:
    with pytest.raises(PreviewError, match="saved template"):
        preview.render(Movie.from_template("a" * 20), tmp_path / "x.mp4", cache_dir=cache)
    with pytest.raises(PreviewError, match="length zero"):  # images alone have no length
        preview.render(
            small().add(Scene().add(Image(str(media.green)))), tmp_path / "x.mp4", cache_dir=cache
        )


def test_json_documents_render_too(tmp_path: Path, cache: Path) -> None:
    doc = {
        "resolution": "custom",
        "width": W,
        "height": H,
        "fps": FPS,
        "scenes": [{"background-color": "#FFFF00", "duration": 0.4}],
    }
    result = preview.render(doc, tmp_path / "doc.mp4", cache_dir=cache)
    assert near(pixel(rgb_frame(tmp_path / "doc.mp4", 0.1), 5, 5), YELLOW)
    assert result.duration == 6 / FPS  # 0.4 s x 15 fps
    assert info(tmp_path / "doc.mp4").frames == 6
