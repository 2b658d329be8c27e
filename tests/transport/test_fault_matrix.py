"""Each scripted fault x submit, status, download, upload.

Asserts: no duplicate project, no lost job, the right exception when the
fault persists, and no API key in any output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.transport import leak_check, movie

from moviekit._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    MalformedResponseError,
    RateLimitError,
    ServerError,
    SubmitUncertainError,
)
from moviekit.testing import FakeClock, FakeJSON2Video, Fault
from moviekit.transport._client import SUBMISSION_KEY_FIELD, Client

READ_TIMEOUT = 0.3

FAULTS = {
    "5xx-burst": lambda n: Fault.status(503, times=n),
    "429": lambda n: Fault.rate_limit(retry_after=2, times=n),
    "slow": lambda n: Fault.slow(READ_TIMEOUT * 2.5, times=n),
    "drop": lambda n: Fault.drop(times=n),
    "malformed": lambda n: Fault.malformed(times=n),
}
# What a persisting fault surfaces as, per operation.
PERSISTENT = {
    "5xx-burst": ServerError,
    "429": RateLimitError,
    "slow": APITimeoutError,
    "drop": APIConnectionError,
    "malformed": (MalformedResponseError, APIConnectionError),
}


@pytest.fixture
def server(clock: FakeClock):  # type: ignore[no-untyped-def]
    with FakeJSON2Video(clock=clock, queue_seconds=1, render_seconds=4) as srv:
        yield srv


@pytest.fixture
def client(server: FakeJSON2Video, clock: FakeClock) -> Client:
    return Client(
        api_key=server.api_key,
        base_url=server.base_url,
        sleep=clock.sleep,
        clock=clock,
        random_fn=lambda: 0.0,
        timeout=(1.0, READ_TIMEOUT),
    )


def _status_checks(server: FakeJSON2Video, pid: str) -> list[Any]:
    """The status requests for ``pid`` (not movie listings, which a slow submit's
    reconciliation may add when the machine is loaded)."""
    return [r for r in server.requests_to("GET", "/v2/movies") if r.query.get("project") == pid]


def _done_project(client: Client, clock: FakeClock) -> str:
    job = client.submit(movie(), validate=False)
    clock.advance(10)
    return job.project_id


@pytest.mark.parametrize("name", FAULTS)
def test_submit_transient_fault_one_project(
    name: str,
    server: FakeJSON2Video,
    client: Client,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.inject(FAULTS[name](1), method="POST", path="/v2/movies")
    job = client.submit(movie(), validate=False)
    projects = server.projects()
    assert [p["project"] for p in projects] == [job.project_id]  # no duplicate, none lost
    assert projects[0]["client-data"][SUBMISSION_KEY_FIELD] == job.submission_key
    assert job.wait().status.status == "done"
    leak_check(server, caplog, job)


@pytest.mark.parametrize("name", ["5xx-burst", "429"])
def test_submit_persistent_refusal_creates_nothing(
    name: str, server: FakeJSON2Video, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    server.inject(FAULTS[name](50), method="POST", path="/v2/movies")
    with pytest.raises(PERSISTENT[name]) as info:
        client.submit(movie(), validate=False)
    assert server.projects() == []
    # bounded: 1 + max_retries POSTs, each preceded by a reconcile lookup
    assert len(server.requests_to("POST", "/v2/movies")) == 1 + client.retry_policy.max_retries
    leak_check(server, caplog, info.value)


@pytest.mark.parametrize("name", ["slow", "drop", "malformed"])
def test_submit_persistent_ambiguity_still_one_project(
    name: str, server: FakeJSON2Video, client: Client
) -> None:
    server.inject(FAULTS[name](50), method="POST", path="/v2/movies")
    job = client.submit(movie(), validate=False)
    assert [p["project"] for p in server.projects()] == [job.project_id]
    assert len(server.requests_to("POST", "/v2/movies")) == 1  # found by reconcile, not resent


def test_submit_refused_connection_is_retried(
    server: FakeJSON2Video, client: Client, clock: FakeClock
) -> None:
    server.pause()

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        server.resume()

    client._sleep = sleep
    job = client.submit(movie(), validate=False)
    assert [p["project"] for p in server.projects()] == [job.project_id]
    assert len(clock.sleeps) == 1  # one retry, no reconcile needed (nothing was sent)


def test_ambiguous_submit_with_unreadable_list_is_uncertain_then_reconciled(
    server: FakeJSON2Video, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    server.inject(Fault.drop(), method="POST", path="/v2/movies")
    server.inject(Fault.status(503, times=50), method="GET", path="/v2/movies")
    with pytest.raises(SubmitUncertainError) as info:
        client.submit(movie(), validate=False)
    err = info.value
    assert "reconcile" in str(err) and err.submission_key in str(err)
    # Both failures are named: the dropped submit, then the list answering 503.
    assert "the submit failed (APIConnectionError: " in str(err)
    assert "could not be read to check whether it was created (ServerError)" in str(err)
    assert len(server.requests_to("POST", "/v2/movies")) == 1
    server._faults.clear()
    job = client.reconcile(err.submission_key)
    assert job is not None and [p["project"] for p in server.projects()] == [job.project_id]
    leak_check(server, caplog, err)


@pytest.mark.parametrize("name", FAULTS)
def test_status_transient_fault_retried(
    name: str, server: FakeJSON2Video, client: Client, clock: FakeClock
) -> None:
    pid = _done_project(client, clock)
    server.inject(FAULTS[name](2), method="GET", path="/v2/movies")
    assert client.get(pid).status == "done"
    assert len(_status_checks(server, pid)) == 3


@pytest.mark.parametrize("name", FAULTS)
def test_status_persistent_fault_right_exception(
    name: str,
    server: FakeJSON2Video,
    client: Client,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    pid = _done_project(client, clock)
    server.inject(FAULTS[name](50), method="GET", path="/v2/movies")
    with pytest.raises(PERSISTENT[name]) as info:
        client.get(pid)
    assert info.value.project_id == pid
    assert len(_status_checks(server, pid)) == 1 + client.retry_policy.max_retries
    leak_check(server, caplog, info.value)


@pytest.mark.parametrize("name", FAULTS)
def test_download_transient_fault_retried(
    name: str, server: FakeJSON2Video, client: Client, clock: FakeClock, tmp_path: Path
) -> None:
    render = client.job(_done_project(client, clock)).wait()
    server.inject(FAULTS[name](2), method="GET", path="/files/")
    path = render.download(tmp_path / "out.mp4")
    assert path.read_bytes()[4:8] == b"ftyp" and path.stat().st_size == render.status.size
    assert [p.name for p in tmp_path.iterdir()] == ["out.mp4"]


@pytest.mark.parametrize("name", FAULTS)
def test_download_persistent_fault_leaves_no_file(
    name: str,
    server: FakeJSON2Video,
    client: Client,
    clock: FakeClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    render = client.job(_done_project(client, clock)).wait()
    server.inject(FAULTS[name](50), method="GET", path="/files/")
    with pytest.raises(APIError) as info:
        render.download(tmp_path / "out.mp4")
    if name != "malformed":
        assert isinstance(info.value, PERSISTENT[name])
    assert list(tmp_path.iterdir()) == []  # no half file
    leak_check(server, caplog, info.value)


def _media_file(tmp_path: Path) -> Path:
    path = tmp_path / "logo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 2000)
    return path


@pytest.mark.parametrize("target", ["/v2/media/file", "/upload/"])
@pytest.mark.parametrize("name", FAULTS)
def test_upload_transient_fault_one_file(
    name: str,
    target: str,
    server: FakeJSON2Video,
    client: Client,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    method = "POST" if target == "/v2/media/file" else "PUT"
    server.inject(FAULTS[name](1), method=method, path=target)
    stored = client.media.upload(_media_file(tmp_path), folder="brand")
    listing = client.media.list("brand")
    assert [f.name for f in listing.files] == ["logo.png"]
    assert listing.files[0].status == "uploaded" and listing.files[0].url == stored.url
    puts = [r for r in server.requests if r.path.startswith("/upload/")]
    assert puts and not any(r.had_api_key for r in puts)
    leak_check(server, caplog, stored)


@pytest.mark.parametrize("name", ["5xx-burst", "429"])
def test_upload_persistent_fault_right_exception(
    name: str, server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    server.inject(FAULTS[name](50), method="POST", path="/v2/media/file")
    with pytest.raises(PERSISTENT[name]):
        client.media.upload(_media_file(tmp_path))
    assert client.media.list("/").files == []
