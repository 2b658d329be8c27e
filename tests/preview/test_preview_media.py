"""Bad media gets a clear error naming the element path and the file; the extra is optional."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from support.preview import FPS, H, MediaKit, W, make_media

from moviekit import (
    Audio,
    Movie,
    PreviewMediaError,
    PreviewUnavailableError,
    Scene,
    Video,
    preview,
)
from moviekit.preview import _ffmpeg


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaKit:
    return make_media(tmp_path_factory.mktemp("media"))


def _error(element: object, tmp_path: Path) -> PreviewMediaError:
    movie = Movie(resolution="custom", width=W, height=H, fps=FPS).add(
        Scene(duration=1), Scene(duration=1).add(element)
    )  # type: ignore[arg-type]
    with pytest.raises(PreviewMediaError) as caught:
        preview.render(movie, tmp_path / "x.mp4", cache_dir=tmp_path / "cache", base_dir=tmp_path)
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    error = _error(Video("clips/missing.mp4"), tmp_path)
    assert error.path == "scenes[1].elements[0]" and error.file == "clips/missing.mp4"
    assert str(error) == (
        "scenes[1].elements[0]: file not found: clips/missing.mp4 "
        f"(looked for {tmp_path / 'clips' / 'missing.mp4'})"
    )


def test_missing_absolute_file_needs_no_where(tmp_path: Path) -> None:
    missing = tmp_path / "gone.mp4"
    error = _error(Video(str(missing)), tmp_path)
    assert str(error) == f"scenes[1].elements[0]: file not found: {missing}"


def test_not_a_media_file(media: MediaKit, tmp_path: Path) -> None:
    error = _error(Video(str(media.not_media)), tmp_path)
    assert error.path == "scenes[1].elements[0]" and str(media.not_media) in str(error)
    assert "not a media file" in str(error)


def test_unreadable_truncated_file(media: MediaKit, tmp_path: Path) -> None:
    error = _error(Video(str(media.truncated)), tmp_path)
    assert str(media.truncated) in str(error) and "scenes[1].elements[0]" in str(error)


def test_wrong_kind(media: MediaKit, tmp_path: Path) -> None:
    error = _error(Video(str(media.green)), tmp_path)
    assert "is not a video (a still image)" in str(error)
    error = _error(Audio(str(media.green)), tmp_path)
    assert "is not an audio file" in str(error)


def test_a_nul_in_a_path_is_a_clear_error(tmp_path: Path) -> None:
    error = _error(Video("clip\x00.mp4"), tmp_path)
    assert str(error) == (
        "scenes[1].elements[0]: 'clip\\x00.mp4' is not a usable file name "
        "(it holds a NUL character)"
    )


def test_unreadable_path(tmp_path: Path) -> None:
    # A directory where a file should be: unreadable for every user, root included
    # (a chmod 0 file would not do: these tests may run as root).
    folder = tmp_path / "clip.mp4"
    folder.mkdir()
    error = _error(Video(str(folder)), tmp_path)
    assert "scenes[1].elements[0]" in str(error) and str(folder) in str(error)


def test_relative_paths_use_base_dir(media: MediaKit, tmp_path: Path) -> None:
    movie = Movie(resolution="custom", width=W, height=H, fps=FPS).add(
        Scene().add(Video("red_blue.mp4"))
    )
    result = preview.render(movie, tmp_path / "x.mp4", cache_dir=tmp_path / "c", base_dir=media.dir)
    assert result.timeline.total == pytest.approx(2.0)


def test_missing_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MOVIEKIT_FFMPEG", raising=False)
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # import fails
    _ffmpeg.ffmpeg_exe.cache_clear()
    try:
        with pytest.raises(
            PreviewUnavailableError, match=r'pip install "moviekit-json2video\[preview\]"'
        ):
            preview.render(Movie().add(Scene(duration=1)), tmp_path / "x.mp4")
        assert not preview.available()
    finally:
        _ffmpeg.ffmpeg_exe.cache_clear()


def test_an_absurdly_long_movie_is_refused_before_ffmpeg_runs(tmp_path: Path) -> None:
    from moviekit import Movie, Scene, Text, preview
    from moviekit._errors import PreviewError

    movie = Movie().add(Scene(duration=10**12).add(Text("forever")))
    with pytest.raises(PreviewError, match="a local draft is drawn for movies of at most 4 hours"):
        preview.render(movie, tmp_path / "x.mp4")
    assert not (tmp_path / "x.mp4").exists()
