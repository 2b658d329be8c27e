"""The media procedures of both clients (``client.media``), as I/O-free generators.

Media upload is two steps: ``POST /v2/media/file`` returns a presigned
``uploadUrl`` (valid 120 s) and the final ``fileUrl``; the bytes then go by
``PUT`` with the same ``Content-Type`` and *without* the API key (it would be
handed to the storage provider). The stored file is ``pending`` until the
service confirms the bytes (``uploaded``); :meth:`MediaOps.wait_uploaded` waits
for that, and :meth:`MediaOps.move` does before moving (moving a pending file
loses it, observed on the service). The ``temp`` folder holds temporary files
the service deletes by itself and does not count against storage.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moviekit._errors import (
    APIError,
    APITimeoutError,
    ConflictError,
    MalformedResponseError,
    MediaError,
    NotFoundError,
)
from moviekit.service._src import is_local_source, map_local_sources
from moviekit.transport._exchange import JSONObject, Request, drain, json_reader, model_reader
from moviekit.transport._models import MediaFile, MediaFolder, StorageInfo, UploadTicket
from moviekit.transport._movies import Settings
from moviekit.transport._ops import Call, Op, blocking, now, sleep

__all__ = [
    "MAX_UPLOAD_BYTES",
    "TEMP_FOLDER",
    "MediaOps",
    "UploadCache",
    "sanitize_media_name",
]

#: The service rejects files above 500 MB.
MAX_UPLOAD_BYTES = 524_288_000
#: The folder whose files are temporary: deleted by the service, not counted as storage.
TEMP_FOLDER = "temp"
_NAME_OK = re.compile(r"^[a-zA-Z0-9._-]+$")


def sanitize_media_name(name: str) -> str:
    """The name the service will store: characters outside ``[a-zA-Z0-9._-]`` become ``_``."""
    return re.sub(r"[^a-zA-Z0-9._-]", "_", name)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class UploadCache:
    """Uploaded content (SHA-256 of the bytes -> ``fileUrl``), shared by a client's copies."""

    urls: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def check_file(path: Path, name: str | None) -> tuple[str, int]:
    """The stored name and size of a file to upload; its problems before any request."""
    if not path.is_file():
        raise MediaError(f"{path}: no such file; give the path of an existing file", path=str(path))
    size = path.stat().st_size
    if size == 0:
        raise MediaError(
            f"{path}: the file is empty; the service refuses empty uploads", path=str(path)
        )
    if size > MAX_UPLOAD_BYTES:
        raise MediaError(
            f"{path}: {size / 1e6:.1f} MB is above the 500 MB upload limit; compress or "
            "split the file, or host it elsewhere and use its URL",
            path=str(path),
        )
    if name is None:
        return sanitize_media_name(path.name), size
    if not _NAME_OK.match(name):
        raise MediaError(
            f"media name {name!r} has characters outside [a-zA-Z0-9._-]; the service "
            f"would store it as {sanitize_media_name(name)!r}; pass that name instead",
            path=str(path),
        )
    return name, size


class MediaOps:
    """Media storage: upload, folders, list, get, move, delete (as procedures)."""

    def __init__(self, settings: Settings, upload_folder: str, cache: UploadCache) -> None:
        self.settings = settings
        self.upload_folder = upload_folder
        self.cache = cache

    def _call(self, method: str, path: str, **fields: Any) -> Op[JSONObject]:
        request = Request(method, self.settings.url(path), **fields)
        return self.settings.send(Call(request, json_reader(dict)))

    def upload(
        self,
        path: str | os.PathLike[str],
        *,
        folder: str = "",
        name: str | None = None,
        content_type: str | None = None,
    ) -> Op[MediaFile]:
        """Upload a local file; return the stored file (``.url`` is usable as a ``src``).

        Raises :class:`MediaError` before any request for a missing, empty or
        too large file or a bad name, and :class:`ConflictError` when a file of
        that name already exists in ``folder``.
        """
        file_path = Path(path)
        stored_name, size = check_file(file_path, name)
        ctype = (
            content_type or mimetypes.guess_type(file_path.name)[0] or "application/octet-stream"
        )
        body = {"name": stored_name, "contentType": ctype, "size": size, "folder": folder}
        ticket = yield from self._create_upload(body, folder, stored_name)
        data = yield from blocking(file_path.read_bytes)
        # No x-api-key here (auth=False): the presigned URL is the credential, and
        # itself a secret: kept out of messages and the HTTP libraries' logs.
        put = Request(
            "PUT",
            ticket.upload_url,
            data=data,
            headers={"Content-Type": ctype},
            auth=False,
            secret_url=True,
        )
        yield from self.settings.send(Call(put, drain))
        return MediaFile(
            name=stored_name,
            folder=folder,
            url=ticket.file_url,
            size=size,
            contentType=ctype,
            status="uploaded",
        )

    def _create_upload(self, body: dict[str, Any], folder: str, name: str) -> Op[UploadTicket]:
        def reconcile(failure: APIError) -> Op[UploadTicket | None]:
            # The record may exist (pending) without us holding its upload URL:
            # remove it, then ask again. An uploaded file of that name is not ours.
            existing = yield from self._find(folder, name)
            if existing is not None and existing.status == "uploaded":
                raise ConflictError(
                    f"a file named {name!r} already exists in folder {folder or '/'!r}",
                    status_code=409,
                ) from failure
            if existing is not None:
                yield from self.delete(name, folder=folder)
            return None

        request = Request("POST", self.settings.url("/media/file"), json_body=body)
        read = model_reader(UploadTicket, what="upload ticket")
        return self.settings.send(Call(request, read, resend_safe=False, reconcile=reconcile))

    def _find(self, folder: str, name: str) -> Op[MediaFile | None]:
        try:
            return (yield from self.get(f"{folder}/{name}" if folder else name))
        except NotFoundError:
            return None

    def upload_local_sources(self, payload: dict[str, Any]) -> Op[dict[str, Any]]:
        """A copy of ``payload`` whose local-file ``src`` values are uploaded URLs.

        Each distinct content is uploaded once per client (keyed by SHA-256),
        under ``<sha16>-<name>`` in the client's ``upload_folder``, so the same
        bytes are reused across submits and processes. Missing files are
        reported (with their JSON path) before any request.
        """
        found: list[tuple[str, Path]] = []
        _collect_local(payload, "", found)
        if not found:
            return payload
        for where, path in found:
            if not path.is_file():
                raise MediaError(
                    f"{where}: {str(path)!r} is neither a URL nor an existing "
                    "file; give an https:// URL or a path to a local file",
                    path=where,
                )
            check_file(path, None)
        urls: dict[str, str] = {}
        for _, path in found:
            key = str(path)
            if key not in urls:
                urls[key] = yield from self._upload_once(path)
        replaced: dict[str, Any] = _replace_local(payload, urls)
        return replaced

    def _upload_once(self, path: Path) -> Op[str]:
        digest = yield from blocking(lambda: _sha256(path))
        with self.cache.lock:
            cached = self.cache.urls.get(digest)
        if cached is not None:
            return cached
        name = f"{digest[:16]}-{sanitize_media_name(path.name)}"
        folder = self.upload_folder
        try:
            url = (yield from self.upload(path, folder=folder, name=name)).url
        except ConflictError:
            # Same name = same content hash: uploaded earlier (maybe by another process).
            existing = yield from self._find(folder, name)
            if existing is None or not existing.url:
                raise
            url = existing.url
        if not url:
            raise MalformedResponseError(f"the upload of {path.name!r} answered no file URL")
        with self.cache.lock:
            self.cache.urls[digest] = url
        return url

    def get(self, path: str) -> Op[MediaFile]:
        """One stored file by ``folder/name``."""
        request = Request("GET", self.settings.url("/media/file"), params={"path": path})
        return self.settings.send(
            Call(request, model_reader(MediaFile, key="file", what="media file"))
        )

    def wait_uploaded(
        self, path: str, *, timeout: float = 60.0, interval: float = 1.0
    ) -> Op[MediaFile]:
        """Wait until the service confirms a file's bytes (``pending`` -> ``uploaded``).

        Raises :class:`~moviekit.APITimeoutError` when it is still pending
        after ``timeout`` seconds (of the client's clock).
        """
        start = yield from now()
        while True:
            stored = yield from self.get(path)
            if stored.status != "pending":
                return stored
            if (yield from now()) - start + interval > timeout:
                raise APITimeoutError(
                    f"media file {path!r} is still pending after {timeout:g} s",
                    hint="the service confirms uploads asynchronously; wait longer, "
                    "or upload again if the presigned URL expired (120 s)",
                )
            yield from sleep(interval)

    def move(self, name: str, *, folder: str = "", destination: str = "") -> Op[MediaFile]:
        """Move a stored file to the folder ``destination`` (``""`` is the root).

        Waits until the file is ``uploaded`` first: moving a pending file loses it.
        """
        source = f"{folder}/{name}" if folder else name
        yield from self.wait_uploaded(source)
        body = {"name": name, "folder": folder, "destination": destination}
        yield from self._call("PUT", "/media/file", json_body=body)
        return (yield from self.get(f"{destination}/{name}" if destination else name))

    def list(
        self,
        folder: str = "/",
        *,
        page: int = 0,
        page_size: int = 100,
        type: str | None = None,
        query: str | None = None,
    ) -> Op[MediaFolder]:
        """One page of a folder's files and subfolders (``"temp"``: the temporary files)."""
        params: dict[str, str | int] = {"path": folder, "page": page, "page_size": page_size}
        if type:
            params["type"] = type
        if query:
            params["q"] = query
        request = Request("GET", self.settings.url("/media/folder"), params=params)
        return self.settings.send(Call(request, model_reader(MediaFolder, what="media folder")))

    def create_folder(self, folder: str) -> Op[None]:
        """Create a folder (nested paths allowed; an existing folder is fine)."""
        yield from self._call("POST", "/media/folder", json_body={"folder": folder})

    def delete(self, name: str, *, folder: str = "") -> Op[None]:
        """Delete a stored file."""
        yield from self._call("DELETE", "/media/file", json_body={"name": name, "folder": folder})

    def delete_folder(self, folder: str) -> Op[None]:
        """Delete an empty folder (not the root, not ``temp``)."""
        yield from self._call("DELETE", "/media/folder", json_body={"folder": folder})

    def storage(self) -> Op[StorageInfo]:
        """Storage use and allowance."""
        request = Request("GET", self.settings.url("/media"))
        return self.settings.send(
            Call(request, model_reader(StorageInfo, key="storage", what="storage"))
        )


def _collect_local(value: Any, where: str, out: list[tuple[str, Path]]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if key == "src" and is_local_source(item):
                out.append((path, Path(os.path.expanduser(item))))
            else:
                _collect_local(item, path, out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _collect_local(item, f"{where}[{i}]", out)


def _replace_local(value: Any, urls: Mapping[str, str]) -> Any:
    return map_local_sources(value, lambda path: urls[str(Path(os.path.expanduser(path)))])
