"""A movie in a notebook (``Movie._repr_html_``): timeline, storyboard, cost, problems."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from support.preview import make_media, png_size

from moviekit import Movie, Scene, Text, Video, Voice
from moviekit.studio import movie_html


def storyboard_png(page: str) -> bytes:
    start = page.index('<img alt="storyboard" src="data:image/png;base64,') + 49
    return base64.b64decode(page[start : page.index('"', start)])


def test_a_movie_shows_itself_with_probed_lengths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    media = make_media(tmp_path / "media")
    monkeypatch.chdir(media.dir)  # the notebook's folder: relative srcs are read from it
    monkeypatch.setenv("MOVIEKIT_CACHE_DIR", str(tmp_path / "cache"))
    movie = Movie(resolution="custom", width=320, height=180).add(
        Scene().add(Video("red_blue.mp4"), Text("two seconds").position("centre")),
    )
    page = movie._repr_html_()
    assert page.startswith('<div class="moviekit"><style>') and "<script" not in page
    assert 'data-path="scenes[0].elements[0]"' in page  # the timeline's bar
    assert png_size(storyboard_png(page))[0] > 0  # a real PNG, inlined
    assert "<b>2 s</b> · 2 credits" in page and "(exact)" in page  # probed: exact
    assert 'data-path="scenes[0].elements[1].position">' in page  # a problem, by path
    assert page == movie_html(movie)  # the same view the studio package exports


def test_what_is_unknown_or_broken_is_shown_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MOVIEKIT_CACHE_DIR", str(tmp_path / "cache"))
    movie = Movie(resolution="sd").add(Scene().add(Voice("hello there"), Video("missing.mp4")))
    page = movie._repr_html_()
    assert "≥ 0 s" in page and "(a lower bound)" in page
    assert f"file not found: missing.mp4 (looked for {tmp_path / 'missing.mp4'})" in page
    assert "synthesised speech: only the service knows how long it runs" in page
    assert '<p class="error">storyboard: scenes[0].elements[1]: file not found' in page
    quick = movie_html(movie, storyboard=False)  # no ffmpeg run: lengths stay unprobed
    assert "data:image/png" not in quick and "storyboard" not in quick
    assert "natural length of the file" in quick
