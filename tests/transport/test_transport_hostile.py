"""A hostile or broken service (issue #14): one test per scenario, on a real loopback server.

Each test asserts what the user sees (the exception, the CLI line), how long it
took at most, how many requests went out, and which files were left.
"""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from support.hostile import (
    API_KEY,
    Answer,
    Clock,
    HostileServer,
    Seen,
    client_options,
    endless,
    files_under,
    json_answer,
    movie,
    trickled,
)
from typer.testing import CliRunner

from moviekit import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    Client,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RetryPolicy,
    SubmitUncertainError,
    WaitTimeoutError,
)
from moviekit.cli import app
from moviekit.testing import FakeJSON2Video
from moviekit.testing._mp4 import grey_mp4

PID = "A" * 16
MP4 = grey_mp4(1.0, 64, 64)
SUBMIT_BODY = {"resolution": "hd", "scenes": [{"duration": 1, "elements": []}]}


def client_for(server: HostileServer, **options: Any) -> Client:
    return Client(**client_options(server, **options))


# ------------------------------------------------------------------ 6: the download file name


def _status_then_file(project: str, origin: list[str]) -> Any:
    def script(seen: Seen) -> Answer:
        if seen.path == "/v2/movies":
            url = origin[0] + "/files/render.mp4"
            return json_answer({"success": True, "movie": movie(project, url=url)})
        return Answer(200, MP4, {"Content-Type": "video/mp4"})

    return script


@pytest.mark.parametrize("project", ["../../EVIL", "ABSOLUTE", "EV\x00IL", "a/b", "..", ""])
def test_download_name_from_the_service_never_leaves_the_folder(
    project: str, tmp_path: Path
) -> None:
    if project == "ABSOLUTE":
        project = str(tmp_path / "elsewhere" / "EVIL")
    folder = tmp_path / "dl" / "out"
    folder.mkdir(parents=True)
    origin: list[str] = []
    with HostileServer(_status_then_file(project, origin)) as server:
        origin.append(server.origin)
        render = client_for(server).job(PID).wait()
        with pytest.raises(MalformedResponseError, match="not a plain file name"):
            render.download(folder)
        assert not server.seen("GET", "/files/render.mp4")  # refused before any byte
    assert files_under(tmp_path) == ["dl", "dl/out"]


def test_cli_download_refuses_a_path_for_a_project_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    origin: list[str] = []
    with HostileServer(_status_then_file("../../EVIL", origin)) as server:
        origin.append(server.origin)
        monkeypatch.setenv("JSON2VIDEO_API_KEY", API_KEY)
        monkeypatch.setenv("JSON2VIDEO_BASE_URL", server.base_url)
        out = tmp_path / "dl" / "out"
        out.mkdir(parents=True)
        result = CliRunner().invoke(app, ["download", PID, "-o", str(out)])
    assert result.exit_code == 1 and "not a plain file name" in result.output
    assert "Traceback" not in result.output and len(result.output.splitlines()) <= 3
    assert files_under(tmp_path) == ["dl", "dl/out"]


# ------------------------------------------------------------------ 7: deadlines per request


def _trickled_status(seen: Seen) -> Answer:
    body = json.dumps({"success": True, "movie": movie(PID, "running")}).encode()
    return Answer(200, trickled(body), {"Content-Type": "application/json"}, pause=0.2)


def test_trickled_status_cannot_hold_a_wait_past_its_timeout() -> None:
    with HostileServer(_trickled_status) as server, Clock() as clock:
        client = client_for(server, timeout=(1.0, 2.0))  # every byte arrives within 2 s
        with pytest.raises(WaitTimeoutError):
            client.job(PID).wait(timeout=1.5)
    assert clock.seconds < 4.0  # before: one read timeout per byte, 30 s here


def test_trickled_headers_count_against_the_deadline() -> None:
    def script(seen: Seen) -> Answer:
        answer = _trickled_status(seen)
        answer.trickle_head, answer.pause = True, 0.1
        return answer

    with HostileServer(script) as server, Clock() as clock:
        client = client_for(server, deadline=1.0, retry_policy=RetryPolicy(max_retries=0))
        with pytest.raises(APITimeoutError, match="1 s deadline"):
            client.get(PID)
    assert clock.seconds < 3.0


def test_trickled_submit_answer_is_reconciled_within_the_deadline() -> None:
    posted: list[str] = []

    def script(seen: Seen) -> Answer:
        if seen.method == "POST":
            posted.append(seen.json()["client-data"]["moviekit-submission"])
            body = json.dumps({"success": True, "project": PID}).encode()
            return Answer(200, trickled(body), pause=0.3)
        listed = movie(PID, "pending", **{"client-data": {"moviekit-submission": posted[-1]}})
        return json_answer({"success": True, "movies": [listed], "has_next": False})

    with HostileServer(script) as server, Clock() as clock:
        job = client_for(server, deadline=1.0).submit(SUBMIT_BODY, validate=False)
    assert job.project_id == PID and len(posted) == 1  # found by its key, not resent
    assert clock.seconds < 3.0  # before: 65 s


def test_trickled_download_ends_at_its_deadline_without_a_file(tmp_path: Path) -> None:
    def script(seen: Seen) -> Answer:
        return Answer(200, endless(b"\x00"), {"Content-Type": "video/mp4"}, pause=0.05)

    with HostileServer(script) as server, Clock() as clock:
        client = client_for(server, download_deadline=1.0, retry_policy=RetryPolicy(max_retries=1))
        with pytest.raises(APITimeoutError, match="deadline"):
            client.download(server.origin + "/files/x.mp4", tmp_path / "out.mp4")
        assert len(server.requests) == 2
    assert clock.seconds < 4.0  # before: never ended
    assert files_under(tmp_path) == []


# ------------------------------------------------------------------ 8: reconciling a lost POST


def _dropped_post_then(list_answer: Any) -> Any:
    def script(seen: Seen) -> Answer:
        if seen.method == "POST":
            return Answer(200, b'{"success": tr', length=100)  # cut short: ambiguous
        return list_answer(seen)

    return script


def test_a_list_that_repeats_its_token_is_not_followed_forever() -> None:
    def same_token(seen: Seen) -> Answer:
        return json_answer({"success": True, "movies": [], "has_next": True, "next_token": "T"})

    with HostileServer(_dropped_post_then(same_token)) as server, Clock() as clock:
        with pytest.raises(SubmitUncertainError, match="reconcile"):
            client_for(server).submit(SUBMIT_BODY, validate=False)
        assert len(server.seen("POST", "/v2/movies")) == 1
        assert len(server.seen("GET", "/v2/movies")) == 2  # before: 911 in 40 s
    assert clock.seconds < 2.0


def test_a_list_with_ever_new_tokens_is_cut_at_the_page_cap() -> None:
    def new_tokens(seen: Seen) -> Answer:
        token = str(int(seen.query.get("next_token", "0")) + 1)
        return json_answer({"success": True, "movies": [], "has_next": True, "next_token": token})

    with HostileServer(_dropped_post_then(new_tokens)) as server:
        with pytest.raises(SubmitUncertainError):
            client_for(server).submit(SUBMIT_BODY, validate=False)
        assert len(server.seen("POST", "/v2/movies")) == 1
        assert len(server.seen("GET", "/v2/movies")) == 100  # the reconcile's page cap


def test_a_list_without_movies_proves_nothing() -> None:
    def no_movies(seen: Seen) -> Answer:
        return json_answer({"success": True, "has_next": False})

    with HostileServer(_dropped_post_then(no_movies)) as server:
        with pytest.raises(SubmitUncertainError):
            client_for(server).submit(SUBMIT_BODY, validate=False)
        assert len(server.seen("POST", "/v2/movies")) == 1  # before: 4 POSTs


# ------------------------------------------------------------------ 9: unbounded answers


def test_a_huge_error_message_stays_short(monkeypatch: pytest.MonkeyPatch) -> None:
    message = "Error: " + "A" * 20_000_000

    def script(seen: Seen) -> Answer:
        return json_answer({"success": False, "message": message}, status=400)

    with HostileServer(script) as server:
        with pytest.raises(APIStatusError) as info:
            client_for(server).get(PID)
        assert len(str(info.value)) < 1500  # before: 20 MB
        assert server.sent_bytes < 20_000_000  # the client stopped reading
        monkeypatch.setenv("JSON2VIDEO_API_KEY", API_KEY)
        monkeypatch.setenv("JSON2VIDEO_BASE_URL", server.base_url)
        result = CliRunner().invoke(app, ["status", PID])
    assert result.exit_code == 1 and len(result.output) < 1500  # before: 5 MB printed


def test_a_giant_non_json_answer_is_read_once_and_only_up_to_the_cap() -> None:
    def script(seen: Seen) -> Answer:
        return Answer(200, endless(), {"Content-Type": "application/json"}, length=100_000_000)

    with HostileServer(script) as server:
        client = client_for(server, max_response_bytes=1_000_000)
        with pytest.raises(MalformedResponseError, match="larger than 1,000,000 bytes"):
            client.get(PID)
        assert len(server.requests) == 1  # before: read 4 times
        assert server.sent_bytes < 10_000_000  # a socket buffer or two past the cap


# ------------------------------------------------------------------ 10: download edge cases


def test_a_gzip_encoded_file_is_decoded_and_saved_once(tmp_path: Path) -> None:
    packed = gzip.compress(MP4)

    def script(seen: Seen) -> Answer:
        headers = {"Content-Type": "video/mp4", "Content-Encoding": "gzip"}
        return Answer(200, packed, headers)

    with HostileServer(script) as server:
        path = client_for(server).download(server.origin + "/files/x.mp4", tmp_path / "o.mp4")
        assert len(server.requests) == 1  # before: refused after 4 GETs
    assert path.read_bytes() == MP4 and files_under(tmp_path) == ["o.mp4"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html", b"<html><body>Sign in</body></html>"),
        ("application/octet-stream", b"  <!DOCTYPE html><html></html>"),
        ("application/json", b'{"error": "expired"}'),
    ],
)
def test_a_page_is_never_saved_as_a_video(content_type: str, body: bytes, tmp_path: Path) -> None:
    def script(seen: Seen) -> Answer:
        return Answer(200, body, {"Content-Type": content_type})

    with HostileServer(script) as server:
        with pytest.raises(MalformedResponseError, match="not a video"):
            client_for(server).download(server.origin + "/files/x.mp4", tmp_path / "o.mp4")
        assert len(server.requests) == 1
    assert files_under(tmp_path) == []


def test_a_cdn_403_does_not_blame_the_api_key(tmp_path: Path) -> None:
    def script(seen: Seen) -> Answer:
        return Answer(
            403, b"<Error><Code>AccessDenied</Code></Error>", {"Content-Type": "text/xml"}
        )

    with HostileServer(script) as server, pytest.raises(APIStatusError) as info:
        client_for(server).download(server.origin + "/files/x.mp4", tmp_path / "o.mp4")
    err = info.value
    assert not isinstance(err, (PermissionDeniedError, AuthenticationError))
    assert "file host" in str(err) and "JSON2VIDEO_API_KEY" not in str(err)
    assert "secondary key" not in str(err) and files_under(tmp_path) == []


def test_a_cdn_404_is_not_found(tmp_path: Path) -> None:
    server = HostileServer(lambda seen: Answer(404, b""))
    with server, pytest.raises(NotFoundError, match="HTTP 404"):
        client_for(server).download(server.origin + "/files/x.mp4", tmp_path / "o.mp4")
    assert files_under(tmp_path) == []


def test_redirects_are_followed_for_files_never_for_the_api(tmp_path: Path) -> None:
    with HostileServer(lambda seen: Answer(200, MP4, {"Content-Type": "video/mp4"})) as cdn:

        def script(seen: Seen) -> Answer:
            return Answer(302, b"", {"Location": cdn.origin + seen.path})

        with HostileServer(script) as server:
            client = client_for(server)
            path = client.download(server.origin + "/files/x.mp4", tmp_path / "o.mp4")
            assert path.read_bytes() == MP4
            with pytest.raises(MalformedResponseError, match="redirect"):
                client.get(PID)
            assert len(server.seen("GET", "/v2/movies")) == 1  # refused, not retried
        assert [r.path for r in cdn.requests] == ["/files/x.mp4"]  # the API GET never arrived
        assert not any("x-api-key" in r.headers for r in cdn.requests)


def test_a_redirect_loop_is_refused_once(tmp_path: Path) -> None:
    def script(seen: Seen) -> Answer:
        return Answer(302, b"", {"Location": seen.path})

    with HostileServer(script) as server:
        with pytest.raises(MalformedResponseError, match="could not follow"):
            client_for(server).download(server.origin + "/files/x.mp4", tmp_path / "o.mp4")
        assert len(server.requests) == 31  # one chain of requests' 30 redirects, not 4
    assert files_under(tmp_path) == []


# ------------------------------------------------------------------ 11: secrets


def test_a_key_echoed_by_the_service_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    def script(seen: Seen) -> Answer:
        echoed = f"Error: Invalid API Key {seen.headers['x-api-key']}"
        return json_answer({"success": False, "message": echoed}, status=400)

    with HostileServer(script) as server:
        with pytest.raises(AuthenticationError) as info:
            client_for(server).get(PID)
        monkeypatch.setenv("JSON2VIDEO_API_KEY", API_KEY)
        monkeypatch.setenv("JSON2VIDEO_BASE_URL", server.base_url)
        result = CliRunner().invoke(app, ["status", PID])
    err = info.value
    assert API_KEY not in str(err) and API_KEY not in repr(err) and API_KEY not in (err.body or "")
    assert "<redacted>" in str(err)
    assert result.exit_code == 1 and API_KEY not in result.output


def test_a_key_echoed_in_a_status_message_is_redacted() -> None:
    def script(seen: Seen) -> Answer:
        failed = movie(PID, "error", message=f"Scene #1 Element #1: bad key {API_KEY}")
        return json_answer({"success": True, "movie": failed})

    with HostileServer(script) as server:
        client = client_for(server)
        assert API_KEY not in client.get(PID).message
        with pytest.raises(APIError) as info:
            client.job(PID).wait()
    assert API_KEY not in str(info.value) and info.value.path == "scenes[0].elements[0]"  # type: ignore[attr-defined]


def test_the_presigned_upload_url_stays_out_of_debug_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG" + b"x" * 100)
    with FakeJSON2Video() as server:
        client = Client(api_key=server.api_key, base_url=server.base_url)
        client.media.upload(logo, folder="brand")
        (put,) = [r for r in server.requests if r.method == "PUT"]
    # The credential of a presigned URL: in its query (S3 style), else its last path segment.
    signature = put.query.get("X-Amz-Signature") or put.path.rsplit("/", 1)[-1]
    assert len(signature) > 10 and signature not in caplog.text
    assert "PUT" in caplog.text  # urllib3 did log the request line, redacted


def test_vars_of_a_client_never_show_the_key() -> None:
    client = Client(api_key=API_KEY, base_url="https://api.json2video.com/v2")
    shown = [repr(vars(client)), repr(vars(client._http)), repr(client), repr(client.media)]
    assert not any(API_KEY in text for text in shown)
    clone = client.with_options(timeout=5.0)
    assert API_KEY not in repr(vars(clone))


def test_a_delete_answer_of_the_wrong_shape_is_named() -> None:
    def odd_delete(seen: Seen) -> Answer:
        return json_answer({"success": True, "project": ["not", "an", "id"]})

    with HostileServer(odd_delete) as server, pytest.raises(APIError, match="delete answer"):
        client_for(server).delete(PID)


def test_a_reconcile_waits_between_its_two_lookups_only() -> None:
    def empty_list(seen: Seen) -> Answer:
        return json_answer({"success": True, "movies": [], "has_next": False})

    sleeps: list[float] = []
    with HostileServer(_dropped_post_then(empty_list)) as server:
        client = Client(**client_options(server, sleep=sleeps.append))
        with pytest.raises(APIConnectionError):
            client.submit(SUBMIT_BODY, validate=False)
        posts, lists = server.seen("POST", "/v2/movies"), server.seen("GET", "/v2/movies")
    # Each of the 4 lost submits is looked up twice with one wait in between, and each of the
    # 3 resubmits waits its retry delay: 7 waits, none after a reconcile's last lookup.
    assert (len(posts), len(lists), len(sleeps)) == (4, 8, 7)
