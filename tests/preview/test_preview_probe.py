"""probe_lengths: natural lengths read from the media make the timeline exact where they can."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.preview import MediaKit, make_media, serve_folder

from moviekit import Audio, BuildError, Image, Movie, Scene, Video, Voice, preview


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaKit:
    return make_media(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="module")
def server(media: MediaKit) -> Iterator[str]:
    """The test media served over HTTP on loopback."""
    with serve_folder(media.dir) as url:
        yield url


def test_local_and_remote_lengths_make_the_timeline_exact(
    media: MediaKit, server: str, tmp_path: Path
) -> None:
    movie = (
        Movie()
        .add(
            Scene().add(Video("red_blue.mp4")),  # relative: the media root
            Scene().add(Video(f"{server}/bars.mp4"), Image(str(media.green))),
        )
        .add(Audio(str(media.tone)))
    )
    assert not movie.timeline().exact
    probed = preview.probe_lengths(movie, base_dir=media.dir, cache_dir=tmp_path / "cache")
    assert dict(probed) == {
        "red_blue.mp4": pytest.approx(2.0, abs=0.05),
        f"{server}/bars.mp4": pytest.approx(1.0, abs=0.05),
        str(media.tone): pytest.approx(2.0, abs=0.05),
    }
    assert probed.reasons == {}
    timeline = movie.timeline(lengths=probed)
    assert timeline.exact and timeline.total == pytest.approx(3.0, abs=0.1)
    assert timeline.credits.exact
    assert (tmp_path / "cache" / "media").is_dir()  # the remote file went through the cache


def test_what_cannot_be_probed_stays_a_lower_bound_with_the_reason(
    media: MediaKit, tmp_path: Path
) -> None:
    movie = Movie().add(
        Scene().add(
            Voice("Hello there"),
            Video("missing.mp4"),
            Video("http://127.0.0.1:9/gone.mp4"),
            Audio(str(media.green)),  # a picture, not sound
            Video("{{clip}}"),
        )
    )
    probed = preview.probe_lengths(
        movie, base_dir=media.dir, cache_dir=tmp_path / "c", fetch_timeout=2
    )
    assert dict(probed) == {}
    reasons = probed.reasons
    assert reasons["scenes[0].elements[0]"].startswith("synthesised speech")
    assert reasons["scenes[0].elements[1]"] == (
        f"file not found: missing.mp4 (looked for {media.dir / 'missing.mp4'})"
    )
    assert reasons["scenes[0].elements[2]"].startswith("http://127.0.0.1:9/gone.mp4: unreachable")
    assert reasons["scenes[0].elements[3]"] == (
        f"{media.green} is not an audio file (no audio stream)"
    )
    assert reasons["scenes[0].elements[4]"] == "{{clip}}: the src is decided by variables"
    timeline = movie.timeline(lengths=probed)
    assert not timeline.exact


def test_json_documents_and_variables_in_scope(media: MediaKit, tmp_path: Path) -> None:
    doc = {
        "variables": {"clip": "red_blue.mp4"},
        "scenes": [{"elements": [{"type": "video", "src": "{{clip}}"}]}],
    }
    probed = preview.probe_lengths(doc, base_dir=media.dir, cache_dir=tmp_path / "c")
    assert dict(probed) == {"{{clip}}": pytest.approx(2.0, abs=0.05)}


def test_timeline_probe_true_is_probe_lengths(
    media: MediaKit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(media.dir)
    monkeypatch.setenv("MOVIEKIT_CACHE_DIR", str(tmp_path / "cache"))
    movie = Movie().add(Scene().add(Video("red_blue.mp4"), Voice("hi")))
    expected = movie.timeline(lengths=preview.probe_lengths(movie))
    probed = movie.timeline(probe=True)
    assert (probed.total, probed.exact, probed.depends_on) == (
        expected.total,
        expected.exact,
        expected.depends_on,
    )
    assert probed.total == pytest.approx(2.0, abs=0.05)
    assert (
        probed.not_probed
        == expected.not_probed
        == {"scenes[0].elements[1]": "synthesised speech: only the service knows how long it runs"}
    )


def test_timeline_probe_reads_local_and_remote_media_and_says_why_not(
    media: MediaKit, server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOVIEKIT_CACHE_DIR", str(tmp_path / "cache"))
    movie = Movie().add(
        Scene().add(Video("red_blue.mp4")),  # from base_dir, not the current directory
        Scene().add(Video(f"{server}/bars.mp4")),  # remote, through the preview's cache
    )
    assert not movie.timeline().exact
    timeline = movie.timeline(probe=True, base_dir=media.dir)
    assert timeline.exact and timeline.not_probed == {}
    assert timeline.total == pytest.approx(3.0, abs=0.1)
    assert timeline.credits.exact and timeline.credits.amount == 3
    assert [s.movie_start for s in timeline.scenes] == [0, pytest.approx(2.0, abs=0.05)]
    assert (tmp_path / "cache" / "media").is_dir()

    broken = movie.add(Scene().add(Video("missing.mp4"), Video("gone.mp4").duration(2)))
    partial = broken.timeline(probe=True, base_dir=media.dir)
    assert not partial.exact
    assert partial.total == pytest.approx(5.0, abs=0.1)  # a lower bound: 3 s + gone.mp4's 2 s
    # only the length the timeline lacks is listed: gone.mp4 has a duration of its own
    assert partial.not_probed == {
        "scenes[2].elements[0]": (
            f"file not found: missing.mp4 (looked for {media.dir / 'missing.mp4'})"
        )
    }
    assert partial.depends_on == ("scenes[2].elements[0] (video): natural length of the file",)
    assert "not probed: scenes[2].elements[0]: file not found: missing.mp4" in str(partial)
    assert partial.to_dict()["not_probed"] == dict(partial.not_probed)
    # a length the caller knows wins over the probe, and the reason goes with the unknown
    told = broken.timeline({"missing.mp4": 4}, probe=True, base_dir=media.dir)
    assert told.exact and told.not_probed == {}
    assert told.total == pytest.approx(7.0, abs=0.1)


_SRC = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "{{x}}", "http://127.0.0.1:9/a.mp4", "data:video/mp4;base64,AA", "a.mp4"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    srcs=st.lists(
        st.tuples(st.sampled_from(["video", "audio", "voice", "image"]), _SRC), max_size=4
    )
)
def test_any_src_gives_lengths_or_reasons(srcs: list[tuple[str, str]], tmp_path: Path) -> None:
    doc = {
        "scenes": [{"elements": [{"type": kind, "src": src, "text": "x"} for kind, src in srcs]}]
    }
    probed = preview.probe_lengths(
        doc, base_dir=tmp_path, cache_dir=tmp_path / "c", fetch_timeout=0.5
    )
    for j, (kind, src) in enumerate(srcs):
        path = f"scenes[0].elements[{j}]"
        if kind in ("video", "audio") and src:
            assert src in probed or path in probed.reasons or any(s == src for s, _ in srcs[:j]), (
                src,
                probed,
            )


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lengths=st.dictionaries(
        st.one_of(st.sampled_from(["red_blue.mp4", "missing.mp4", "voice1"]), st.text()),
        st.one_of(st.floats(allow_nan=True), st.text(max_size=5), st.none(), st.integers()),
        max_size=3,
    )
)
def test_any_lengths_with_probe_give_a_timeline_or_a_build_error(
    lengths: dict[str, object], media: MediaKit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOVIEKIT_CACHE_DIR", str(tmp_path / "cache"))
    movie = Movie().add(Scene().add(Video("red_blue.mp4"), Video("missing.mp4"), Voice("hi")))
    try:
        timeline = movie.timeline(lengths, probe=True, base_dir=media.dir)  # type: ignore[arg-type]
    except BuildError as exc:
        assert exc.path.startswith("lengths")
        return
    assert set(timeline.not_probed) <= {"scenes[0].elements[1]", "scenes[0].elements[2]"}
    assert timeline.exact == (not timeline.not_probed and not timeline.depends_on)
