"""``Client.with_options`` clones that really use their new settings, and small client edges.

Found by the mutation run: a clone's media calls could have gone to the old address, or
lost the shared upload cache, and no test would have noticed.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from moviekit._errors import APIError, ProjectNotFoundError
from moviekit.testing import FakeClock, FakeJSON2Video, Fault
from moviekit.transport._client import Client
from moviekit.transport._http import Secret


def clip(tmp_path: Path, name: str = "intro.mp4") -> Path:
    path = tmp_path / name
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" * 50)
    return path


def test_a_clone_for_another_service_uploads_there(
    server: FakeJSON2Video, client: Client, clock: FakeClock, tmp_path: Path
) -> None:
    with FakeJSON2Video(clock=clock, api_key=server.api_key) as other:
        clone = client.with_options(base_url=other.base_url)
        stored = clone.media.upload(clip(tmp_path))
        assert stored.url == f"{other.origin}/media/intro.mp4"
        assert len(other.requests_to("POST", "/v2/media/file")) == 1
        assert clone.media.get("intro.mp4").status == "uploaded"
    assert not server.requests_to("POST", "/v2/media/file")  # the original saw nothing


def test_a_clone_shares_the_upload_cache(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    path = clip(tmp_path)
    movie = {"scenes": [{"elements": [{"type": "video", "src": str(path)}]}]}
    client.submit(movie, validate=False)
    client.with_options(timeout=5.0).submit(movie, validate=False)
    assert len(server.requests_to("POST", "/v2/media/file")) == 1  # uploaded once


def test_closing_a_clone_leaves_the_shared_session_to_its_owner(
    server: FakeJSON2Video, client: Client
) -> None:
    clone = client.with_options(timeout=5.0)
    clone.close()
    assert client.list_movies_page(limit=1) is not None  # the owner still works


def test_unknown_options_are_named_sorted() -> None:
    client = Client(api_key="k", base_url="http://127.0.0.1:9/v2")
    with pytest.raises(TypeError, match=r"^unknown option\(s\): colour, size$"):
        client.with_options(size=3, colour="red")  # type: ignore[call-arg]


def test_the_repr_says_whether_a_key_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JSON2VIDEO_API_KEY", raising=False)
    keyless = Client(base_url="http://127.0.0.1:9/v2")
    assert repr(keyless) == "Client(base_url='http://127.0.0.1:9/v2', api_key=<missing>)"
    keyed = Client(api_key="secret-key", base_url="http://127.0.0.1:9/v2")
    assert repr(keyed) == "Client(base_url='http://127.0.0.1:9/v2', api_key=<set>)"


def test_deleting_an_unknown_project_names_it(server: FakeJSON2Video, client: Client) -> None:
    with pytest.raises(ProjectNotFoundError) as info:
        client.delete("nosuchproject123")
    assert info.value.project_id == "nosuchproject123"
    assert "nosuchproject123" in str(info.value)


def test_a_secret_shows_only_whether_it_is_set() -> None:
    assert repr(Secret("k")) == str(Secret("k")) == "<secret>"
    assert repr(Secret("")) == "<missing>"
    with pytest.raises(TypeError, match="^a moviekit Secret cannot be pickled$"):
        pickle.dumps(Secret("k"))


def test_a_failed_download_names_its_project(
    server: FakeJSON2Video, client: Client, clock: FakeClock, tmp_path: Path
) -> None:
    job = client.submit(
        {"scenes": [{"duration": 2, "elements": [{"type": "text", "text": "x"}]}]}, validate=False
    )
    clock.advance(60)
    render = job.wait()
    server.inject(Fault.status(404, times=50), method="GET", path="/files/")
    with pytest.raises(APIError) as info:
        render.download(tmp_path)
    assert info.value.project_id == job.project_id
    assert job.project_id in str(info.value)
    assert list(tmp_path.iterdir()) == []
