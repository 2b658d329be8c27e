"""FakeJSON2Video itself: documented shapes and messages, faults, recording, lifecycle."""

from __future__ import annotations

import socket

import requests

from moviekit.testing import FakeClock, FakeJSON2Video, Fault


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
