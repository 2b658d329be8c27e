"""Client construction, submit, status, list, delete, render and download over real sockets."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from support.transport import leak_check, movie

from moviekit._errors import (
    AuthenticationError,
    BadRequestError,
    BuildError,
    ClientConfigError,
    MoviekitError,
    PlanLimitError,
    ProjectNotFoundError,
    QuotaExceededError,
    RenderFailedError,
)
from moviekit.testing import FakeClock, FakeJSON2Video
from moviekit.transport._client import SUBMISSION_KEY_FIELD, Client
from moviekit.transport._models import MovieStatus
from moviekit.transport._polling import PollPolicy


def test_repr_shows_base_url_never_the_key(server: FakeJSON2Video, client: Client) -> None:
    text = repr(client)
    assert server.base_url in text and "api_key=<set>" in text
    assert server.api_key not in text
    assert "missing" in repr(Client(api_key="", base_url=server.base_url))


def test_missing_key_fails_at_first_request_not_construction(
    server: FakeJSON2Video, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JSON2VIDEO_API_KEY", raising=False)
    c = Client(base_url=server.base_url)  # no error yet
    with pytest.raises(AuthenticationError, match="JSON2VIDEO_API_KEY"):
        c.get("a" * 16)
    assert server.requests == []  # nothing was sent without a key


def test_key_from_environment(server: FakeJSON2Video, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JSON2VIDEO_API_KEY", server.api_key)
    job = Client(base_url=server.base_url).submit(movie(), validate=False)
    assert len(job.project_id) == 16


@pytest.mark.parametrize(
    "url", ["http://api.json2video.com/v2", "ftp://x/v2", "api.json2video.com"]
)
def test_insecure_or_bad_base_url_refused(url: str) -> None:
    with pytest.raises(ClientConfigError):
        Client(api_key="k", base_url=url)


def test_fast_polling_only_against_loopback(server: FakeJSON2Video) -> None:
    fast = PollPolicy.for_local_testing()
    with pytest.raises(ClientConfigError, match="5 s"):
        Client(api_key="k", base_url="https://api.json2video.com/v2", poll_policy=fast)
    Client(api_key="k", base_url=server.base_url, poll_policy=fast)  # loopback: fine
    Client(api_key="k", base_url="http://localhost:1/v2")


def test_the_poll_interval_setting_is_read_and_checked(
    server: FakeJSON2Video, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSON2VIDEO_POLL_INTERVAL", "0.2")
    assert Client(api_key="k", base_url=server.base_url).poll_policy.schedule == (0.2,)
    given = PollPolicy(schedule=(7.0,))  # a policy given in code wins over the environment
    assert Client(api_key="k", base_url=server.base_url, poll_policy=given).poll_policy == given
    with pytest.raises(ClientConfigError, match="unset JSON2VIDEO_POLL_INTERVAL") as info:
        Client(api_key="k", base_url="https://api.json2video.com/v2")
    assert "0.2 s" in str(info.value)
    monkeypatch.setenv("JSON2VIDEO_POLL_INTERVAL", "6")  # over the floor: fine anywhere
    assert Client(api_key="k").poll_policy.schedule == (6.0,)
    for bad in ("soon", "0", "-1", "nan", "inf", "1e9"):
        monkeypatch.setenv("JSON2VIDEO_POLL_INTERVAL", bad)
        with pytest.raises(ClientConfigError, match=f"JSON2VIDEO_POLL_INTERVAL .*{bad!r}"):
            Client(api_key="k", base_url=server.base_url)


def test_submit_sends_a_copy_tagged_with_a_unique_key(
    server: FakeJSON2Video, client: Client
) -> None:
    original = movie(**{"client-data": {"order": 42}})
    before = json.dumps(original, sort_keys=True)
    job = client.submit(original, validate=False)
    assert json.dumps(original, sort_keys=True) == before  # user's dict untouched
    sent = server.requests_to("POST", "/v2/movies")[0].json()
    assert sent["client-data"]["order"] == 42
    assert sent["client-data"][SUBMISSION_KEY_FIELD] == job.submission_key
    assert len(job.project_id) == 16 and repr(job) == f"Job(project_id={job.project_id!r})"
    other = client.submit(original, validate=False)
    assert other.submission_key != job.submission_key


def test_render_and_download_end_to_end(
    server: FakeJSON2Video, client: Client, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[tuple[str, float | None]] = []
    render = client.render(
        movie(), on_progress=lambda s: seen.append((s.status, s.progress)), validate=False
    )
    assert seen[0][0] == "pending" and seen[-1][0] == "done"
    assert render.status.status == "done" and render.status.width == 1280
    assert render.status.duration == 3.0 and render.status.size and render.status.size > 1000
    assert render.url.endswith(f"/files/{render.project_id}.mp4")
    progress: list[tuple[int, int | None]] = []
    path = render.download(tmp_path, on_progress=lambda d, t: progress.append((d, t)))
    data = path.read_bytes()
    assert path == tmp_path / f"{render.project_id}.mp4"
    assert data[4:8] == b"ftyp" and len(data) == render.status.size
    assert progress[-1] == (len(data), len(data))
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no .part left
    downloads = [r for r in server.requests if r.path.startswith("/files/")]
    assert downloads and not any(r.had_api_key for r in downloads)  # key stays home
    leak_check(server, caplog, render, client)


def test_status_model_and_remaining_credits(
    server: FakeJSON2Video, client: Client, clock: FakeClock
) -> None:
    job = client.submit(movie(seconds=7), validate=False)
    clock.advance(3)
    running = job.status()
    assert running.status == "running" and running.progress == 50.0
    assert not running.is_terminal and running.remaining_credits == 600
    clock.advance(10)
    done = client.get(job.project_id, simple=False)
    assert done.is_terminal and done.remaining_credits == 593
    assert done.submitted_movie is not None and done.submitted_movie["scenes"][0]["duration"] == 7
    assert done.rendering_time == 4.0


def test_list_movies_follows_pagination(server: FakeJSON2Video, client: Client) -> None:
    ids = {client.submit(movie(), validate=False).project_id for _ in range(5)}
    listed = list(client.list_movies(page_size=2))
    assert {m.project for m in listed} == ids and len(listed) == 5
    list_calls = [r for r in server.requests_to("GET", "/v2/movies") if "project" not in r.query]
    assert len(list_calls) == 3


def test_delete_keeps_history_removes_file(
    server: FakeJSON2Video, client: Client, clock: FakeClock
) -> None:
    job = client.submit(movie(), validate=False)
    clock.advance(10)
    result = client.delete(job.project_id)
    assert result.deleted_at
    status = job.status()
    assert status.url is None and status.deleted_at == result.deleted_at
    assert client.delete(job.project_id).deleted_at == result.deleted_at  # idempotent


def test_render_failed_maps_scene_element_to_path(server: FakeJSON2Video, client: Client) -> None:
    doc = movie()
    doc["scenes"].append({"elements": [{"type": "text", "text": "x"}, {"type": "video"}]})
    with pytest.raises(RenderFailedError) as info:
        client.render(doc, validate=False)
    err = info.value
    assert err.path == "scenes[1].elements[1]"
    assert err.project_id and err.project_id in str(err)
    assert "requires a 'src'" in str(err) and "scenes[1].elements[1]" in str(err)
    assert err.builder is None  # plain dict: no builder to point at


def test_timeout_status_is_terminal_failure(server: FakeJSON2Video, client: Client) -> None:
    job = client.submit(movie(), validate=False)
    server.force_status(job.project_id, "timeout", "Rendering timed out")
    with pytest.raises(RenderFailedError, match="Rendering timed out"):
        job.wait()


@pytest.mark.parametrize(
    ("setup", "cls", "needle"),
    [
        (lambda s: setattr(s, "credits", 0), QuotaExceededError, "Insufficient credits"),
        (lambda s: setattr(s, "movie_quota", 0), QuotaExceededError, "quota of movies"),
        (lambda s: setattr(s, "max_width", 1280), PlanLimitError, "than your plan allowance"),
    ],
)
def test_submit_errors_classified_by_status_and_message(
    server: FakeJSON2Video,
    client: Client,
    setup,
    cls,
    needle,  # type: ignore[no-untyped-def]
) -> None:
    setup(server)
    doc = movie()
    doc["resolution"] = "full-hd"
    with pytest.raises(cls, match=needle) as info:
        client.submit(doc, validate=False)
    # 401 with a quota message is a quota problem, not an authentication one.
    assert not isinstance(info.value, AuthenticationError)
    assert len(server.requests_to("POST", "/v2/movies")) == 1  # never retried


def test_invalid_key_is_authentication_error_on_400(server: FakeJSON2Video) -> None:
    bad = Client(api_key="wrong-key", base_url=server.base_url)
    with pytest.raises(AuthenticationError) as info:
        bad.submit(movie(), validate=False)
    assert info.value.status_code == 400 and "wrong-key" not in str(info.value)
    assert isinstance(info.value, MoviekitError)


def test_unknown_project_is_project_not_found(client: Client) -> None:
    with pytest.raises(ProjectNotFoundError) as info:
        client.get("Z" * 16)
    assert info.value.project_id == "Z" * 16 and info.value.status_code == 400


@pytest.mark.parametrize("project_id", ["", "   ", None])
def test_no_project_id_is_refused_unsent(
    server: FakeJSON2Video, client: Client, project_id: str
) -> None:
    # Without a project the endpoint lists movies: a status check would retry that for seconds.
    before = len(server.requests)
    for call in (client.get, client.delete, lambda p: client.job(p).wait()):
        with pytest.raises(ProjectNotFoundError, match="no project id given") as info:
            call(project_id)
        assert "nothing was sent" in str(info.value) and "submit returned" in str(info.value)
    assert len(server.requests) == before


def test_post_validation_error_without_success_field(
    server: FakeJSON2Video, client: Client
) -> None:
    with pytest.raises(BadRequestError, match="Error parsing movie JSON"):
        client.submit({"comment": "no scenes"}, validate=False)


def test_with_options_returns_new_client(server: FakeJSON2Video, client: Client) -> None:
    other = client.with_options(timeout=5.0)
    assert other is not client and other.timeout == 5.0 and client.timeout == (2.0, 2.0)
    assert other.submit(movie(), validate=False).project_id
    with pytest.raises(TypeError, match="unknown option"):
        client.with_options(colour="red")


def test_render_failed_points_at_the_builder(server: FakeJSON2Video, client: Client) -> None:
    from moviekit import Movie, Scene, Text, Video

    bad = Video("https://example.com/ok.mp4")
    movie = Movie(resolution="hd").add(
        Scene().add(Text("intro").duration(2)),
        Scene().add(Text("hi").duration(3), bad),
    )
    job = client.submit(movie)  # validated by the real builders first
    # Make the service fail on that element, the way it reports download errors.
    server.force_status(
        job.project_id,
        "error",
        "Scene #2, element #2: Failed to download 'https://example.com/ok.mp4' (404)",
    )
    with pytest.raises(RenderFailedError) as info:
        job.wait()
    assert info.value.path == "scenes[1].elements[1]"
    assert info.value.builder is movie.scenes[1].elements[1]
    assert "Video" in str(info.value)


def test_submit_validates_builders_and_dicts_before_sending(
    server: FakeJSON2Video, client: Client
) -> None:
    from moviekit import MovieValidationError

    with pytest.raises(MovieValidationError):
        client.submit({"scenes": "not a list"})
    assert server.requests == []


def test_status_thumbnail_is_a_typed_field() -> None:
    status = MovieStatus.model_validate(
        {"project": "p" * 16, "status": "done", "thumbnail": "https://cdn.example/t.jpg"}
    )
    assert status.thumbnail == "https://cdn.example/t.jpg"
    assert MovieStatus.model_validate({"project": "p", "status": "done"}).thumbnail is None


def test_a_download_gets_the_usual_file_permissions(
    client: Client, clock: FakeClock, tmp_path: Path
) -> None:
    job = client.submit(movie(), validate=False)
    clock.advance(10)
    old = os.umask(0o022)
    try:
        path = job.wait().download(tmp_path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # not mkstemp's 0600


def test_base_url_from_the_environment(
    server: FakeJSON2Video, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSON2VIDEO_BASE_URL", server.base_url)
    monkeypatch.setenv("JSON2VIDEO_API_KEY", server.api_key)
    client = Client()
    assert client.base_url == server.base_url
    assert client.list_movies_page().movies == []
    assert Client(base_url="https://api.json2video.com/v2").base_url.startswith("https://api")


def test_submit_refuses_what_is_not_a_movie(client: Client) -> None:
    with pytest.raises(BuildError, match="expects a Movie or a dict, got int"):
        client.submit(42, validate=False)  # type: ignore[arg-type]
    with pytest.raises(BuildError, match="not JSON-serialisable"):
        client.submit({"scenes": [], "when": object()}, validate=False)
