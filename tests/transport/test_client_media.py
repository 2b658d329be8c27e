"""Media upload (presigned PUT), folders, and local-file src replaced at submit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.transport import leak_check, movie

from moviekit._errors import APITimeoutError, ConflictError, MediaError
from moviekit.service._src import is_local_source
from moviekit.testing import FakeClock, FakeJSON2Video
from moviekit.transport._client import Client
from moviekit.transport._media import MAX_UPLOAD_BYTES, TEMP_FOLDER, sanitize_media_name


def _file(
    tmp_path: Path, name: str = "intro.mp4", data: bytes = b"\x00\x00\x00\x18ftypmp42" * 50
) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_upload_uses_presigned_put_without_key(
    server: FakeJSON2Video, client: Client, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _file(tmp_path)
    stored = client.media.upload(path, folder="clips")
    assert stored.url == f"{server.origin}/media/clips/intro.mp4"
    ticket = server.requests_to("POST", "/v2/media/file")[0].json()
    assert ticket == {
        "name": "intro.mp4",
        "contentType": "video/mp4",
        "size": path.stat().st_size,
        "folder": "clips",
    }
    put = [r for r in server.requests if r.method == "PUT"][0]
    assert not put.had_api_key and put.headers["content-type"] == "video/mp4"
    assert put.body == path.read_bytes()
    fetched = client.media.get("clips/intro.mp4")
    assert fetched.status == "uploaded" and fetched.size == path.stat().st_size
    leak_check(server, caplog, stored, fetched)


def test_name_clash_is_conflict(server: FakeJSON2Video, client: Client, tmp_path: Path) -> None:
    path = _file(tmp_path)
    client.media.upload(path)
    with pytest.raises(ConflictError) as info:
        client.media.upload(path)
    assert info.value.status_code == 409 and "already exists" in str(info.value)


@pytest.mark.parametrize("name", ["my clip.mp4", "ünï.mp4", "a/b.mp4"])
def test_bad_name_reported_before_any_request(
    server: FakeJSON2Video, client: Client, tmp_path: Path, name: str
) -> None:
    with pytest.raises(MediaError, match=sanitize_media_name(name).replace(".", r"\.")):
        client.media.upload(_file(tmp_path), name=name)
    assert server.requests == []


def test_size_problems_reported_before_any_request(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    big = tmp_path / "big.mp4"
    with big.open("wb") as fh:  # sparse: costs no disk
        fh.truncate(MAX_UPLOAD_BYTES + 1)
    with pytest.raises(MediaError, match="500 MB"):
        client.media.upload(big)
    with pytest.raises(MediaError, match="empty"):
        client.media.upload(_file(tmp_path, "empty.mp4", b""))
    with pytest.raises(MediaError, match="no such file"):
        client.media.upload(tmp_path / "missing.mp4")
    assert server.requests == []


def test_default_name_is_sanitised(server: FakeJSON2Video, client: Client, tmp_path: Path) -> None:
    stored = client.media.upload(_file(tmp_path, "my intro (final).mp4"))
    assert stored.name == "my_intro__final_.mp4"


def test_folders_list_get_delete(server: FakeJSON2Video, client: Client, tmp_path: Path) -> None:
    client.media.create_folder("brand/logos")
    client.media.create_folder("brand/logos")  # existing folder is fine
    client.media.upload(_file(tmp_path, "a.png", b"png" * 10), folder="brand/logos")
    client.media.upload(_file(tmp_path, "b.mp4"), folder="brand/logos")
    listing = client.media.list("brand/logos", type="image")
    assert [f.name for f in listing.files] == ["a.png"] and listing.total_files == 2
    assert client.media.list("brand").folders == ["logos"]
    client.media.delete("a.png", folder="brand/logos")
    assert [f.name for f in client.media.list("brand/logos").files] == ["b.mp4"]
    assert client.media.storage().used_bytes == (tmp_path / "b.mp4").stat().st_size


def test_local_src_uploaded_once_and_replaced_only_in_what_is_sent(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    clip = _file(tmp_path, "intro.mp4")
    copy_of_clip = _file(tmp_path, "same-bytes.mp4", clip.read_bytes())
    doc = movie()
    doc["scenes"][0]["elements"] += [
        {"type": "video", "src": str(clip)},
        {"type": "video", "src": str(copy_of_clip)},
        {"type": "image", "src": "https://example.com/a.png"},
    ]
    before = json.dumps(doc)
    first = client.submit(doc, validate=False)
    second = client.submit(doc, validate=False)
    assert json.dumps(doc) == before  # the user's document still names local files
    assert len(server.requests_to("POST", "/v2/media/file")) == 1  # same bytes: one upload
    for job in (first, second):
        sent = client.get(job.project_id, simple=False).submitted_movie
        assert sent is not None
        srcs = [e.get("src") for e in sent["scenes"][0]["elements"]]
        assert srcs[1] == srcs[2] and srcs[1].startswith(server.origin + "/media/moviekit/")
        assert srcs[3] == "https://example.com/a.png"
    assert first.wait().status.status == "done"  # the fake could download the upload


def test_local_upload_reused_across_clients_via_content_hash(
    server: FakeJSON2Video, client: Client, clock: FakeClock, tmp_path: Path
) -> None:
    clip = _file(tmp_path)
    doc = movie()
    doc["scenes"][0]["elements"].append({"type": "video", "src": str(clip)})
    client.submit(doc, validate=False)
    fresh = Client(
        api_key=server.api_key, base_url=server.base_url, sleep=clock.sleep, clock=clock
    )  # another process: empty in-memory cache
    job = fresh.submit(doc, validate=False)
    assert len([r for r in server.requests if r.method == "PUT"]) == 1
    assert job.wait().status.status == "done"


def test_missing_local_file_reported_with_path_before_any_request(
    server: FakeJSON2Video, client: Client
) -> None:
    doc = movie()
    doc["scenes"][0]["elements"].append({"type": "video", "src": "clips/nope.mp4"})
    with pytest.raises(MediaError) as info:
        client.submit(doc, validate=False)
    assert info.value.path == "scenes[0].elements[1].src"
    assert server.requests == []


def test_unuploaded_local_path_fails_render_like_the_service(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    doc = movie()
    doc["scenes"][0]["elements"].append({"type": "video", "src": str(_file(tmp_path))})
    job = client.submit(doc, validate=False, upload_local_files=False)
    with pytest.raises(Exception, match="Failed to download") as info:
        job.wait()
    assert info.value.path == "scenes[0].elements[1]"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("value", "local"),
    [
        ("clips/a.mp4", True),
        ("/abs/a.mp4", True),
        ("https://x/a.mp4", False),
        ("{{video_url}}", False),
        ("data:image/png;base64,AAA", False),
        ("", False),
        (5, False),
    ],
)
def test_is_local_source(value: object, local: bool) -> None:
    assert is_local_source(value) is local


def test_move_waits_until_the_file_is_uploaded(clock: FakeClock, tmp_path: Path) -> None:
    with FakeJSON2Video(clock=clock, upload_confirm_seconds=3) as server:
        client = Client(
            api_key=server.api_key, base_url=server.base_url, sleep=clock.sleep, clock=clock
        )
        client.media.upload(_file(tmp_path), folder="inbox")
        assert client.media.get("inbox/intro.mp4").status == "pending"
        moved = client.media.move("intro.mp4", folder="inbox", destination="clips")
        assert moved.folder == "clips" and moved.status == "uploaded"
        assert [f.name for f in client.media.list("clips").files] == ["intro.mp4"]
        assert client.media.list("inbox").files == []
        assert 3 <= clock() <= 5  # waited for the confirmation, one poll a second


def test_moving_a_pending_file_loses_it_on_the_service(clock: FakeClock, tmp_path: Path) -> None:
    """Why move() waits: the fake reproduces the observed race (8n TESTING.md)."""
    import requests

    with FakeJSON2Video(clock=clock, upload_confirm_seconds=3) as server:
        client = Client(
            api_key=server.api_key, base_url=server.base_url, sleep=clock.sleep, clock=clock
        )
        client.media.upload(_file(tmp_path), folder="inbox")
        answer = requests.put(
            server.base_url + "/media/file",
            json={"name": "intro.mp4", "folder": "inbox", "destination": "clips"},
            headers={"x-api-key": server.api_key},
            timeout=5,
        )
        assert answer.json()["success"] is True
        assert client.media.list("clips").files == client.media.list("inbox").files == []


def test_wait_uploaded_gives_up_after_its_timeout(clock: FakeClock, tmp_path: Path) -> None:
    with FakeJSON2Video(clock=clock, upload_confirm_seconds=600) as server:
        client = Client(
            api_key=server.api_key, base_url=server.base_url, sleep=clock.sleep, clock=clock
        )
        client.media.upload(_file(tmp_path))
        with pytest.raises(APITimeoutError, match="still pending after 5 s"):
            client.media.wait_uploaded("intro.mp4", timeout=5)
        assert clock() <= 5


def test_temp_folder_holds_temporary_files(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    stored = client.media.upload(_file(tmp_path), folder=TEMP_FOLDER)
    listed = client.media.list(TEMP_FOLDER).files
    assert [f.name for f in listed] == ["intro.mp4"] and listed[0].temporary is True
    assert client.media.storage().used_bytes == 0  # temporary files do not count
    assert stored.url and stored.url.endswith("/media/temp/intro.mp4")
