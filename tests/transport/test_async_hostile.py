"""``AsyncClient`` against a hostile or broken service: the same guarantees as ``Client``.

Deadlines for the whole exchange, bounded answers, the key redacted and never
sent through a redirect or to a file host, downloads only whole, only where
asked and only of a video. Real loopback servers (``support.hostile``).
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

from moviekit import (
    APIError,
    APIStatusError,
    APITimeoutError,
    AsyncClient,
    AuthenticationError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RetryPolicy,
    SubmitUncertainError,
    WaitTimeoutError,
)
from moviekit.testing import FakeJSON2Video
from moviekit.testing._mp4 import grey_mp4

pytestmark = pytest.mark.anyio

PID = "A" * 16
MP4 = grey_mp4(1.0, 64, 64)
SUBMIT_BODY = {"resolution": "hd", "scenes": [{"duration": 1, "elements": []}]}


def client_for(server: HostileServer, **options: Any) -> AsyncClient:
    return AsyncClient(**client_options(server, **options))


# ------------------------------------------------------------------ deadlines per exchange


def _trickled_status(seen: Seen) -> Answer:
    body = json.dumps({"success": True, "movie": movie(PID, "running")}).encode()
    return Answer(200, trickled(body), {"Content-Type": "application/json"}, pause=0.2)


async def test_trickled_status_cannot_hold_a_wait_past_its_timeout() -> None:
    with HostileServer(_trickled_status) as server, Clock() as clock:
        async with client_for(server) as client:
            with pytest.raises(WaitTimeoutError):
                await client.job(PID).wait(timeout=1.5)
    assert clock.seconds < 4.0


async def test_trickled_headers_count_against_the_deadline() -> None:
    def script(seen: Seen) -> Answer:
        answer = _trickled_status(seen)
        answer.trickle_head, answer.pause = True, 0.1
        return answer

    with HostileServer(script) as server, Clock() as clock:
        async with client_for(server, deadline=1.0, retry_policy=RetryPolicy(0)) as client:
            with pytest.raises(APITimeoutError, match="1 s deadline"):
                await client.get(PID)
    assert clock.seconds < 3.0


async def test_trickled_submit_answer_is_reconciled_within_the_deadline() -> None:
    posted: list[str] = []

    def script(seen: Seen) -> Answer:
        if seen.method == "POST":
            posted.append(seen.json()["client-data"]["moviekit-submission"])
            body = json.dumps({"success": True, "project": PID}).encode()
            return Answer(200, trickled(body), pause=0.3)
        listed = movie(PID, "pending", **{"client-data": {"moviekit-submission": posted[-1]}})
        return json_answer({"success": True, "movies": [listed], "has_next": False})

    with HostileServer(script) as server, Clock() as clock:
        async with client_for(server, deadline=1.0) as client:
            job = await client.submit(SUBMIT_BODY, validate=False)
    assert job.project_id == PID and len(posted) == 1  # found by its key, not resent
    assert clock.seconds < 3.0


async def test_trickled_download_ends_at_its_deadline_without_a_file(tmp_path: Path) -> None:
    def script(seen: Seen) -> Answer:
        return Answer(200, endless(b"\x00"), {"Content-Type": "video/mp4"}, pause=0.05)

    with HostileServer(script) as server, Clock() as clock:
        options = {"download_deadline": 1.0, "retry_policy": RetryPolicy(max_retries=1)}
        async with client_for(server, **options) as client:
            with pytest.raises(APITimeoutError, match="deadline"):
                await client.download(server.origin + "/files/x.mp4", tmp_path / "out.mp4")
        assert len(server.requests) == 2
    assert clock.seconds < 4.0
    assert files_under(tmp_path) == []


# ------------------------------------------------------------------ reconciling a lost POST


def _dropped_post_then(list_answer: Any) -> Any:
    def script(seen: Seen) -> Answer:
        if seen.method == "POST":
            return Answer(200, b'{"success": tr', length=100)  # cut short: ambiguous
        return list_answer(seen)

    return script


async def test_a_list_that_repeats_its_token_is_not_followed_forever() -> None:
    def same_token(seen: Seen) -> Answer:
        return json_answer({"success": True, "movies": [], "has_next": True, "next_token": "T"})

    with HostileServer(_dropped_post_then(same_token)) as server:
        async with client_for(server) as client:
            with pytest.raises(SubmitUncertainError, match="reconcile"):
                await client.submit(SUBMIT_BODY, validate=False)
        assert len(server.seen("POST", "/v2/movies")) == 1
        assert len(server.seen("GET", "/v2/movies")) == 2


async def test_a_list_without_movies_proves_nothing() -> None:
    def no_movies(seen: Seen) -> Answer:
        return json_answer({"success": True, "has_next": False})

    with HostileServer(_dropped_post_then(no_movies)) as server:
        async with client_for(server) as client:
            with pytest.raises(SubmitUncertainError):
                await client.submit(SUBMIT_BODY, validate=False)
        assert len(server.seen("POST", "/v2/movies")) == 1


# ------------------------------------------------------------------ unbounded answers


async def test_a_huge_error_message_stays_short() -> None:
    message = "Error: " + "A" * 20_000_000

    def script(seen: Seen) -> Answer:
        return json_answer({"success": False, "message": message}, status=400)

    with HostileServer(script) as server:
        async with client_for(server) as client:
            with pytest.raises(APIStatusError) as info:
                await client.get(PID)
        assert len(str(info.value)) < 1500
        assert server.sent_bytes < 20_000_000  # the client stopped reading


async def test_a_giant_non_json_answer_is_read_once_and_only_up_to_the_cap() -> None:
    def script(seen: Seen) -> Answer:
        return Answer(200, endless(), {"Content-Type": "application/json"}, length=100_000_000)

    with HostileServer(script) as server:
        async with client_for(server, max_response_bytes=1_000_000) as client:
            with pytest.raises(MalformedResponseError, match="larger than 1,000,000 bytes"):
                await client.get(PID)
        assert len(server.requests) == 1
        assert server.sent_bytes < 10_000_000


# ------------------------------------------------------------------ downloads


async def test_a_gzip_encoded_file_is_decoded_and_saved_once(tmp_path: Path) -> None:
    packed = gzip.compress(MP4)

    def script(seen: Seen) -> Answer:
        return Answer(200, packed, {"Content-Type": "video/mp4", "Content-Encoding": "gzip"})

    with HostileServer(script) as server:
        async with client_for(server) as client:
            path = await client.download(server.origin + "/files/x.mp4", tmp_path / "o.mp4")
        assert len(server.requests) == 1
    assert path.read_bytes() == MP4 and files_under(tmp_path) == ["o.mp4"]


async def test_a_cut_download_is_retried_and_never_left_half(tmp_path: Path) -> None:
    answers = iter([Answer(200, MP4[:100], {"Content-Type": "video/mp4"}, length=len(MP4))])

    def script(seen: Seen) -> Answer:
        return next(answers, Answer(200, MP4, {"Content-Type": "video/mp4"}))

    with HostileServer(script) as server:
        async with client_for(server) as client:
            path = await client.download(server.origin + "/files/x.mp4", tmp_path / "o.mp4")
        assert len(server.requests) == 2
    assert path.read_bytes() == MP4 and files_under(tmp_path) == ["o.mp4"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html", b"<html><body>Sign in</body></html>"),
        ("application/octet-stream", b"  <!DOCTYPE html><html></html>"),
        ("application/json", b'{"error": "expired"}'),
    ],
)
async def test_a_page_is_never_saved_as_a_video(
    content_type: str, body: bytes, tmp_path: Path
) -> None:
    with HostileServer(lambda seen: Answer(200, body, {"Content-Type": content_type})) as server:
        async with client_for(server) as client:
            with pytest.raises(MalformedResponseError, match="not a video"):
                await client.download(server.origin + "/files/x.mp4", tmp_path / "o.mp4")
        assert len(server.requests) == 1
    assert files_under(tmp_path) == []


async def test_a_cdn_403_does_not_blame_the_api_key(tmp_path: Path) -> None:
    def script(seen: Seen) -> Answer:
        return Answer(403, b"<Error>AccessDenied</Error>", {"Content-Type": "text/xml"})

    with HostileServer(script) as server:
        async with client_for(server) as client:
            with pytest.raises(APIStatusError) as info:
                await client.download(server.origin + "/files/x.mp4", tmp_path / "o.mp4")
    assert not isinstance(info.value, (PermissionDeniedError, AuthenticationError))
    assert "file host" in str(info.value) and files_under(tmp_path) == []


async def test_a_cdn_404_is_not_found(tmp_path: Path) -> None:
    with HostileServer(lambda seen: Answer(404, b"")) as server:
        async with client_for(server) as client:
            with pytest.raises(NotFoundError, match="HTTP 404"):
                await client.download(server.origin + "/files/x.mp4", tmp_path / "o.mp4")
    assert files_under(tmp_path) == []


async def test_download_name_from_the_service_never_leaves_the_folder(tmp_path: Path) -> None:
    origin: list[str] = []

    def script(seen: Seen) -> Answer:
        if seen.path == "/v2/movies":
            url = origin[0] + "/files/render.mp4"
            return json_answer({"success": True, "movie": movie("../../EVIL", url=url)})
        return Answer(200, MP4, {"Content-Type": "video/mp4"})

    folder = tmp_path / "out"
    folder.mkdir()
    with HostileServer(script) as server:
        origin.append(server.origin)
        async with client_for(server) as client:
            render = await client.job(PID).wait()
            with pytest.raises(MalformedResponseError, match="not a plain file name"):
                await render.download(folder)
        assert not server.seen("GET", "/files/render.mp4")
    assert files_under(tmp_path) == ["out"]


async def test_redirects_are_followed_for_files_never_for_the_api(tmp_path: Path) -> None:
    with HostileServer(lambda seen: Answer(200, MP4, {"Content-Type": "video/mp4"})) as cdn:

        def script(seen: Seen) -> Answer:
            return Answer(302, b"", {"Location": cdn.origin + seen.path})

        with HostileServer(script) as server:
            async with client_for(server) as client:
                path = await client.download(server.origin + "/files/x.mp4", tmp_path / "o.mp4")
                assert path.read_bytes() == MP4
                with pytest.raises(MalformedResponseError, match="redirect"):
                    await client.get(PID)
            assert len(server.seen("GET", "/v2/movies")) == 1  # refused, not retried
        assert [r.path for r in cdn.requests] == ["/files/x.mp4"]
        assert not any("x-api-key" in r.headers for r in cdn.requests)


async def test_a_redirect_loop_is_refused_once(tmp_path: Path) -> None:
    with HostileServer(lambda seen: Answer(302, b"", {"Location": seen.path})) as server:
        async with client_for(server) as client:
            with pytest.raises(MalformedResponseError, match="could not follow"):
                await client.download(server.origin + "/files/x.mp4", tmp_path / "o.mp4")
        assert len(server.requests) == 21  # one chain of httpx2's 20 redirects, not 4
    assert files_under(tmp_path) == []


# ------------------------------------------------------------------ secrets


async def test_a_key_echoed_by_the_service_is_redacted() -> None:
    def script(seen: Seen) -> Answer:
        echoed = f"Error: Invalid API Key {seen.headers['x-api-key']}"
        return json_answer({"success": False, "message": echoed}, status=400)

    with HostileServer(script) as server:
        async with client_for(server) as client:
            with pytest.raises(AuthenticationError) as info:
                await client.get(PID)
    err = info.value
    assert API_KEY not in str(err) and API_KEY not in repr(err) and API_KEY not in (err.body or "")
    assert "<redacted>" in str(err)


async def test_a_key_echoed_in_a_status_message_is_redacted() -> None:
    def script(seen: Seen) -> Answer:
        failed = movie(PID, "error", message=f"Scene #1 Element #1: bad key {API_KEY}")
        return json_answer({"success": True, "movie": failed})

    with HostileServer(script) as server:
        async with client_for(server) as client:
            assert API_KEY not in (await client.get(PID)).message
            with pytest.raises(APIError) as info:
                await client.job(PID).wait()
    assert API_KEY not in str(info.value) and info.value.path == "scenes[0].elements[0]"  # type: ignore[attr-defined]


async def test_the_presigned_upload_url_stays_out_of_the_request_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG" + b"x" * 100)
    with FakeJSON2Video() as server:
        async with AsyncClient(api_key=server.api_key, base_url=server.base_url) as client:
            await client.media.upload(logo, folder="brand")
        (put,) = [r for r in server.requests if r.method == "PUT"]
    signature = put.query.get("X-Amz-Signature") or put.path.rsplit("/", 1)[-1]
    assert len(signature) > 10 and signature not in caplog.text
    assert "HTTP Request: PUT" in caplog.text  # httpx2 did log the request line, redacted
    assert not put.had_api_key


async def test_vars_of_a_client_never_show_the_key() -> None:
    async with AsyncClient(api_key=API_KEY, base_url="https://api.json2video.com/v2") as client:
        shown = [repr(vars(client)), repr(vars(client._http)), repr(client), repr(client.media)]
    assert not any(API_KEY in text for text in shown)
