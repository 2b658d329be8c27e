"""FakeJSON2Video itself: documented shapes and messages, faults, recording, lifecycle."""

from __future__ import annotations

import re
import socket
import subprocess
from pathlib import Path

import pytest
import requests

from moviekit import Client, Movie, PollPolicy, Scene, Text, preview
from moviekit.testing import FakeClock, FakeJSON2Video, Fault
from moviekit.testing._mp4 import grey_mp4


def _post(server: FakeJSON2Video, body: bytes, key: str | None = None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["x-api-key"] = key
    return requests.post(server.base_url + "/movies", data=body, headers=headers, timeout=5)


def test_auth_messages_are_the_observed_ones() -> None:
    with FakeJSON2Video() as server:
        missing = _post(server, b"{}")
        wrong = _post(server, b"{}", key="nope")
    assert missing.status_code == 400 and missing.json()["message"] == "Error: API Key not provided"
    assert wrong.status_code == 400 and wrong.json() == {
        "success": False,
        "message": "Error: Invalid API Key",
    }


def test_post_validation_bodies_omit_success() -> None:
    with FakeJSON2Video() as server:
        empty = _post(server, b"", key=server.api_key)
        broken = _post(server, b"{oops", key=server.api_key)
    assert empty.json() == {"message": "No movie JSON received"}
    assert broken.json() == {"message": "Error parsing movie JSON or the movie was empty"}


def test_submit_answer_has_exactly_three_keys_and_job_lifecycle() -> None:
    clock = FakeClock()
    with FakeJSON2Video(clock=clock, queue_seconds=2, render_seconds=4) as server:
        body = _post(
            server, b'{"scenes": [{"duration": 2, "elements": []}]}', server.api_key
        ).json()
        assert set(body) == {"success", "project", "timestamp"} and len(body["project"]) == 16
        states = []
        for _ in range(4):
            states.append(server.project(body["project"])["status"])
            clock.advance(2)
    assert states == ["pending", "running", "running", "done"]


def test_recorded_requests_redact_the_key() -> None:
    with FakeJSON2Video() as server:
        _post(server, b"{}", key=server.api_key)
    (req,) = server.requests
    assert req.had_api_key and req.headers["x-api-key"] == "<redacted>"
    assert server.api_key not in repr(req)


def test_fault_is_consumed_and_scoped_by_path() -> None:
    with FakeJSON2Video() as server:
        server.inject(Fault.status(502, times=1), method="GET", path="/v2/movies")
        h = {"x-api-key": server.api_key}
        other = requests.get(server.base_url + "/templates", headers=h, timeout=5)
        first = requests.get(server.base_url + "/movies", headers=h, timeout=5)
        second = requests.get(server.base_url + "/movies", headers=h, timeout=5)
        assert server.pending_faults == []
    assert (other.status_code, first.status_code, second.status_code) == (200, 502, 200)


def test_rate_limit_sends_retry_after() -> None:
    with FakeJSON2Video() as server:
        server.inject(Fault.rate_limit(retry_after=7))
        r = requests.get(
            server.base_url + "/movies", headers={"x-api-key": server.api_key}, timeout=5
        )
    assert r.status_code == 429 and r.headers["Retry-After"] == "7"


def test_presigned_put_rules() -> None:
    clock = FakeClock()
    with FakeJSON2Video(clock=clock) as server:
        h = {"x-api-key": server.api_key}

        def ticket(name: str) -> dict:  # type: ignore[type-arg]
            return requests.post(
                server.base_url + "/media/file",
                headers=h,
                timeout=5,
                json={"name": name, "contentType": "image/png", "size": 3},
            ).json()

        t = ticket("a.png")
        assert (
            requests.put(
                t["uploadUrl"], data=b"abc", timeout=5, headers={"Content-Type": "image/png", **h}
            ).status_code
            == 400
        )
        assert (
            requests.put(
                t["uploadUrl"], data=b"abc", timeout=5, headers={"Content-Type": "image/jpeg"}
            ).status_code
            == 403
        )
        assert (
            requests.put(
                t["uploadUrl"], data=b"abc", timeout=5, headers={"Content-Type": "image/png"}
            ).status_code
            == 200
        )
        assert requests.get(t["fileUrl"], timeout=5).content == b"abc"
        late = ticket("b.png")
        clock.advance(121)
        assert (
            requests.put(
                late["uploadUrl"], data=b"abc", timeout=5, headers={"Content-Type": "image/png"}
            ).status_code
            == 403
        )
        too_big = requests.post(
            server.base_url + "/media/file",
            headers=h,
            timeout=5,
            json={"name": "x", "contentType": "video/mp4", "size": 524_288_001},
        )
    assert too_big.status_code == 413 and "500 MB" in too_big.json()["message"]


def test_pause_refuses_connections_and_resume_restores_same_port() -> None:
    with FakeJSON2Video() as server:
        port = int(server.origin.rsplit(":", 1)[1])
        server.pause()
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0
        server.resume()
        assert server.origin.endswith(f":{port}")
        assert requests.get(server.base_url + "/movies", timeout=5).status_code == 400


def test_stop_releases_the_port() -> None:
    server = FakeJSON2Video().start()
    port = int(server.origin.rsplit(":", 1)[1])
    server.stop()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # free again


def test_secondary_render_key_cannot_create_templates() -> None:
    with FakeJSON2Video() as server:
        server.add_key("render-only", role="render")
        r = requests.post(
            server.base_url + "/templates",
            headers={"x-api-key": "render-only"},
            json={"name": "t", "movie": {"scenes": []}},
            timeout=5,
        )
    assert r.status_code == 403 and r.json()["message"] == "Insufficient permissions"


# ------------------------------------------------------------------ believable answers


def _ffmpeg_probe(path: Path) -> tuple[float, tuple[int, int], str]:
    """(duration, (width, height), decode errors) as the preview extra's ffmpeg reads the file."""
    import imageio_ffmpeg

    exe = imageio_ffmpeg.get_ffmpeg_exe()
    info = subprocess.run([exe, "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    h, m, s = re.search(r"Duration: (\d+):(\d+):([\d.]+)", info.stderr).groups()  # type: ignore[union-attr]
    w, hh = re.search(r"Video: h264.*?, (\d+)x(\d+)", info.stderr).groups()  # type: ignore[union-attr]
    decode = subprocess.run(
        [exe, "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True, text=True
    )
    return int(h) * 3600 + int(m) * 60 + float(s), (int(w), int(hh)), decode.stderr


@pytest.mark.parametrize(
    ("seconds", "width", "height", "fps"),
    [(3.0, 1280, 720, 25), (11.0, 1080, 1920, 30), (2.5, 642, 362, 24), (0.04, 16, 16, 25)],
)
def test_tiny_mp4_is_a_real_video_of_the_right_length_and_size(
    seconds: float, width: int, height: int, fps: int, tmp_path: Path
) -> None:
    path = tmp_path / "tiny.mp4"
    path.write_bytes(grey_mp4(seconds, width, height, fps))
    duration, size, errors = _ffmpeg_probe(path)
    assert abs(duration - seconds) < 1 / fps + 1e-6 and size == (width, height)
    assert errors == ""  # every frame decodes
    assert path.stat().st_size < 20_000


def test_duration_and_credits_come_from_the_timing_engine() -> None:
    movie = Movie(resolution="hd").add(
        Scene(duration=4).add(Text("one")),
        Scene(duration=4).transition("fade", 1).add(Text("two")),
        Scene(duration=4).add(Text("three")),
    )
    timeline = movie.timeline()
    assert timeline.total == 11  # the transition overlaps two scenes by 1 s
    clock = FakeClock()
    with FakeJSON2Video(clock=clock, queue_seconds=0, render_seconds=1) as server:
        client = Client(
            api_key=server.api_key, base_url=server.base_url, sleep=clock.sleep, clock=clock
        )
        render = client.render(movie)
    assert render.status.duration == timeline.total  # before: 12
    assert server.credits == 600 - int(timeline.credits)  # before: 12 credits charged
    assert render.status.size and render.status.width == 1280


def test_the_delivered_file_is_the_movie_length(tmp_path: Path) -> None:
    movie = {"resolution": "sd", "fps": 30, "scenes": [{"duration": 2.5, "elements": []}]}
    with FakeJSON2Video(speed=100) as server:
        client = Client(
            api_key=server.api_key,
            base_url=server.base_url,
            poll_policy=PollPolicy.for_local_testing(),
        )
        render = client.render(movie, validate=False)
        path = render.download(tmp_path)
    duration, size, _ = _ffmpeg_probe(path)
    assert abs(duration - 2.5) < 0.05 and size == (640, 360)
    assert path.stat().st_size == render.status.size


@pytest.mark.skipif(not preview.available(), reason="needs the preview extra's ffmpeg")
def test_draft_renders_deliver_the_local_preview(tmp_path: Path) -> None:
    movie = Movie(resolution="sd").add(Scene(duration=1).add(Text("draft")))
    with FakeJSON2Video(speed=100, renders="draft") as server:
        client = Client(
            api_key=server.api_key,
            base_url=server.base_url,
            poll_policy=PollPolicy.for_local_testing(deadline=120),
        )
        path = client.render(movie).download(tmp_path)
    duration, size, _ = _ffmpeg_probe(path)
    assert abs(duration - 1.0) < 0.1 and size == (640, 360)
    assert path.read_bytes() != grey_mp4(1.0, 640, 360)


def test_renders_option_is_checked() -> None:
    with pytest.raises(ValueError, match="renders"):
        FakeJSON2Video(renders="hq")  # type: ignore[arg-type]


def test_late_list_hides_the_newest_project_once() -> None:
    with FakeJSON2Video() as server:
        h = {"x-api-key": server.api_key}
        body = b'{"scenes": [{"duration": 1, "elements": []}]}'
        first = _post(server, body, server.api_key).json()["project"]
        newest = _post(server, body, server.api_key).json()["project"]
        server.inject(Fault.late(), method="GET", path="/v2/movies")
        lagging = requests.get(server.base_url + "/movies", headers=h, timeout=5).json()
        caught_up = requests.get(server.base_url + "/movies", headers=h, timeout=5).json()
    assert [m["project"] for m in lagging["movies"]] == [first]
    assert [m["project"] for m in caught_up["movies"]] == [newest, first]


def test_failure_rate_answers_503_unprocessed() -> None:
    with FakeJSON2Video(failure_rate=1.0) as server:
        answer = _post(server, b'{"scenes": []}', server.api_key)
    assert answer.status_code == 503 and server.projects() == []
    with pytest.raises(ValueError, match="failure_rate"):
        FakeJSON2Video(failure_rate=2)


def test_documented_plan_limit_and_template_answers() -> None:
    with FakeJSON2Video(max_width=1280, max_height=720) as server:
        big = _post(server, b'{"resolution": "full-hd", "scenes": []}', server.api_key)
        missing = _post(server, b'{"template": "T0000000000000000000"}', server.api_key)
    assert big.status_code == 401
    assert (
        big.json()["message"] == "Movie is larger (1920x1080) than your plan allowance (1280x720)"
    )
    assert missing.status_code == 404 and missing.json()["message"] == "Template not found"
