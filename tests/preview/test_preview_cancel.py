"""Cancelling a render: its ffmpeg processes end at once and nothing half-made stays behind.

The studio's Ctrl-C sets the switch from another thread while ffmpeg works; so do these
tests, with real ffmpeg processes and a draft far too long to finish meanwhile.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from support.preview import ffmpeg_working_in, make_media

from moviekit import Audio, Movie, PreviewError, Scene, Text, preview
from moviekit.preview import _ffmpeg

pytest.importorskip("imageio_ffmpeg", reason="needs moviekit-json2video[preview]")

#: an hour of full HD: no machine renders it within the seconds these tests allow
HOUR = Movie(resolution="full-hd", fps=30).add(
    Scene(background_color="#202020", duration=0.2),
    Scene(background_color="#0000FF", duration=3600).add(Text("long")),
)


def test_a_running_ffmpeg_is_killed_when_the_switch_is_set() -> None:
    endless = ["-f", "lavfi", "-i", "testsrc2=s=640x360:r=30", "-f", "null", "-"]
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(PreviewError, match=r"^scenes\[2\]: stopped \(the render was cancelled\)"):
        _ffmpeg.run(endless, what="scenes[2]", cancel=cancel)
    assert time.monotonic() - started < 5


def test_a_cancelled_render_stops_mid_job_and_leaves_nothing(tmp_path: Path) -> None:
    cache, draft = tmp_path / "cache", tmp_path / "draft.mp4"
    cancel = threading.Event()
    finished: list[str] = []

    def progress(done: int, total: int, what: str) -> None:
        finished.append(what)
        cancel.set()  # the short scene is done; the hour is being rendered

    started = time.monotonic()
    with pytest.raises(PreviewError, match=r"stopped \(the render was cancelled\)"):
        preview.render(HOUR, draft, cache_dir=cache, workers=2, on_progress=progress, cancel=cancel)
    assert time.monotonic() - started < 20
    assert finished and not draft.exists()
    jobs = sorted(p.name for p in (cache / "jobs").iterdir())
    assert jobs and not [name for name in jobs if name.endswith(".tmp")], jobs
    assert all((cache / "jobs" / name / "done").is_file() for name in jobs)  # whole, or absent
    assert not list(cache.glob("moviekit-join-*"))
    assert ffmpeg_working_in(cache) == []  # none of this render's ffmpeg runs on


def test_a_switch_already_set_starts_nothing(tmp_path: Path) -> None:
    media = make_media(tmp_path / "media")
    cancel = threading.Event()
    cancel.set()
    cache = tmp_path / "cache"
    with pytest.raises(PreviewError, match="cancelled"):
        preview.render(HOUR, tmp_path / "draft.mp4", cache_dir=cache, cancel=cancel)
    with pytest.raises(PreviewError, match="cancelled"):
        preview.storyboard(HOUR, tmp_path / "board.png", cache_dir=cache, cancel=cancel)
    sound = Movie().add(Scene().add(Audio(str(media.tone))))
    with pytest.raises(PreviewError, match="cancelled"):
        preview.probe_lengths(sound, cache_dir=cache, cancel=cancel)
    assert not (cache / "jobs").exists()
    # Without the switch the same media is measured: the error above was the switch's.
    assert preview.probe_lengths(sound, cache_dir=cache).reasons == {}
