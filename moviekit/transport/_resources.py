"""``client.media`` and ``client.templates``.

Media upload is two steps: ``POST /v2/media/file`` returns a presigned
``uploadUrl`` (valid 120 s) and the final ``fileUrl``; the bytes then go by
``PUT`` with the same ``Content-Type`` and *without* the API key (it would be
handed to the storage provider). The stored file is ``pending`` until the
service confirms the bytes (``uploaded``); :meth:`Media.wait_uploaded` waits for
that, and :meth:`Media.move` does before moving (moving a pending file loses it,
observed on the service). The ``temp`` folder holds temporary files the service
deletes by itself and does not count against storage.
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
from typing import TYPE_CHECKING, Any

from moviekit._errors import (
    APIError,
    APITimeoutError,
    ConflictError,
    MalformedResponseError,
    MediaError,
    NotFoundError,
)
from moviekit.service._src import is_local_source
from moviekit.transport._http import HTTP, Reading, Request
from moviekit.transport._models import (
    MediaFile,
    MediaFolder,
    StorageInfo,
    Template,
    TemplateSummary,
    UploadTicket,
    parse,
)

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.transport._client import Client
    from moviekit.transport._jobs import Job, ProgressCallback, Render

__all__ = [
    "MAX_UPLOAD_BYTES",
    "TEMP_FOLDER",
    "Media",
    "Templates",
    "UploadCache",
    "is_local_source",
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


class Media:
    """Media storage: upload, folders, list, get, move, delete (``client.media``)."""

    def __init__(self, http: HTTP, base_url: str, upload_folder: str, cache: UploadCache) -> None:
        self._http = http
        self._base_url = base_url
        self.upload_folder = upload_folder
        self.cache = cache

    def __repr__(self) -> str:
        return f"Media(base_url={self._base_url!r})"

    def _request(self, method: str, path: str, **fields: Any) -> Request:
        return Request(method, self._base_url + path, **fields)

    def _check_file(self, path: Path, name: str | None) -> tuple[str, int]:
        """Report size and name problems before any request."""
        if not path.is_file():
            raise MediaError(
                f"{path}: no such file; give the path of an existing file", path=str(path)
            )
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

    def upload(
        self,
        path: str | os.PathLike[str],
        *,
        folder: str = "",
        name: str | None = None,
        content_type: str | None = None,
    ) -> MediaFile:
        """Upload a local file; return the stored file (``.url`` is usable as a ``src``).

        Raises :class:`MediaError` before any request for a missing, empty or
        too large file or a bad name, and :class:`ConflictError` when a file of
        that name already exists in ``folder``.
        """
        file_path = Path(path)
        stored_name, size = self._check_file(file_path, name)
        ctype = (
            content_type or mimetypes.guess_type(file_path.name)[0] or "application/octet-stream"
        )
        body = {"name": stored_name, "contentType": ctype, "size": size, "folder": folder}
        ticket = self._create_upload(body, folder, stored_name)
        data = file_path.read_bytes()
        # No x-api-key here (auth=False): the presigned URL is the credential, and
        # itself a secret: kept out of messages and urllib3's log (secret_url).
        put = Request(
            "PUT",
            ticket.upload_url,
            data=data,
            headers={"Content-Type": ctype},
            auth=False,
            secret_url=True,
        )
        self._http.call(put, _drain)
        return MediaFile(
            name=stored_name,
            folder=folder,
            url=ticket.file_url,
            size=size,
            contentType=ctype,
            status="uploaded",
        )

    def _create_upload(self, body: dict[str, Any], folder: str, name: str) -> UploadTicket:
        def reconcile(failure: APIError) -> UploadTicket | None:
            # The record may exist (pending) without us holding its upload URL:
            # remove it, then ask again. An uploaded file of that name is not ours.
            existing = self._find(folder, name)
            if existing is not None and existing.status == "uploaded":
                raise ConflictError(
                    f"a file named {name!r} already exists in folder {folder or '/'!r}",
                    status_code=409,
                ) from failure
            if existing is not None:
                self.delete(name, folder=folder)
            return None

        def ticket(reading: Reading) -> UploadTicket:
            return parse(UploadTicket, self._http.read_json(reading), what="upload ticket")

        request = self._request("POST", "/media/file", json_body=body)
        return self._http.call(request, ticket, resend_safe=False, reconcile=reconcile)

    def _find(self, folder: str, name: str) -> MediaFile | None:
        try:
            return self.get(f"{folder}/{name}" if folder else name)
        except NotFoundError:
            return None

    def upload_local_sources(self, payload: dict[str, Any]) -> dict[str, Any]:
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
            self._check_file(path, None)
        urls: dict[str, str] = {}
        for _, path in found:
            key = str(path)
            if key not in urls:
                urls[key] = self._upload_once(path)
        replaced: dict[str, Any] = _replace_local(payload, urls)
        return replaced

    def _upload_once(self, path: Path) -> str:
        digest = _sha256(path)
        with self.cache.lock:
            cached = self.cache.urls.get(digest)
        if cached is not None:
            return cached
        name = f"{digest[:16]}-{sanitize_media_name(path.name)}"
        folder = self.upload_folder
        try:
            url = self.upload(path, folder=folder, name=name).url
        except ConflictError:
            # Same name = same content hash: uploaded earlier (maybe by another process).
            existing = self._find(folder, name)
            if existing is None or not existing.url:
                raise
            url = existing.url
        if not url:
            raise MalformedResponseError(f"the upload of {path.name!r} answered no file URL")
        with self.cache.lock:
            self.cache.urls[digest] = url
        return url

    def get(self, path: str) -> MediaFile:
        """One stored file by ``folder/name``."""
        request = self._request("GET", "/media/file", params={"path": path})
        return self._http.call_model(request, MediaFile, key="file", what="media file")

    def wait_uploaded(
        self, path: str, *, timeout: float = 60.0, interval: float = 1.0
    ) -> MediaFile:
        """Wait until the service confirms a file's bytes (``pending`` -> ``uploaded``).

        Raises :class:`~moviekit.APITimeoutError` when it is still pending
        after ``timeout`` seconds (of the client's clock).
        """
        start = self._http.clock()
        while True:
            stored = self.get(path)
            if stored.status != "pending":
                return stored
            if self._http.clock() - start + interval > timeout:
                raise APITimeoutError(
                    f"media file {path!r} is still pending after {timeout:g} s",
                    hint="the service confirms uploads asynchronously; wait longer, "
                    "or upload again if the presigned URL expired (120 s)",
                )
            self._http.sleep(interval)

    def move(self, name: str, *, folder: str = "", destination: str = "") -> MediaFile:
        """Move a stored file to the folder ``destination`` (``""`` is the root).

        Waits until the file is ``uploaded`` first: moving a pending file loses it.
        """
        source = f"{folder}/{name}" if folder else name
        self.wait_uploaded(source)
        request = self._request(
            "PUT",
            "/media/file",
            json_body={"name": name, "folder": folder, "destination": destination},
        )
        self._http.call_json(request)
        return self.get(f"{destination}/{name}" if destination else name)

    def list(
        self,
        folder: str = "/",
        *,
        page: int = 0,
        page_size: int = 100,
        type: str | None = None,
        query: str | None = None,
    ) -> MediaFolder:
        """One page of a folder's files and subfolders (``"temp"``: the temporary files)."""
        params: dict[str, str | int] = {"path": folder, "page": page, "page_size": page_size}
        if type:
            params["type"] = type
        if query:
            params["q"] = query
        request = self._request("GET", "/media/folder", params=params)
        return self._http.call_model(request, MediaFolder, what="media folder")

    def create_folder(self, folder: str) -> None:
        """Create a folder (nested paths allowed; an existing folder is fine)."""
        self._http.call_json(self._request("POST", "/media/folder", json_body={"folder": folder}))

    def delete(self, name: str, *, folder: str = "") -> None:
        """Delete a stored file."""
        body = {"name": name, "folder": folder}
        self._http.call_json(self._request("DELETE", "/media/file", json_body=body))

    def delete_folder(self, folder: str) -> None:
        """Delete an empty folder (not the root, not ``temp``)."""
        request = self._request("DELETE", "/media/folder", json_body={"folder": folder})
        self._http.call_json(request)

    def storage(self) -> StorageInfo:
        """Storage use and allowance."""
        request = self._request("GET", "/media")
        return self._http.call_model(request, StorageInfo, key="storage", what="storage")


def _drain(reading: Reading) -> None:
    """A storage host's answer to a PUT: read (a little of) it, keep nothing."""
    for _ in reading.chunks(64 * 1024, what="upload answer"):
        pass


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
    if isinstance(value, Mapping):
        return {
            k: (
                urls[str(Path(os.path.expanduser(v)))]
                if k == "src" and is_local_source(v)
                else _replace_local(v, urls)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_replace_local(v, urls) for v in value]
    return value


class Templates:
    """Saved templates (``client.templates``): list, get, submit, render."""

    def __init__(self, client: Client, http: HTTP) -> None:
        self._client = client
        self._http = http

    def __repr__(self) -> str:
        return f"Templates(base_url={self._client.base_url!r})"

    def list(self, *, tag: str | None = None) -> list[TemplateSummary]:
        """Every template (the service does not paginate), newest first."""

        def summaries(reading: Reading) -> list[TemplateSummary]:
            items = self._http.read_json(reading).get("templates")
            if not isinstance(items, list):
                raise MalformedResponseError("the template list has no 'templates' array")
            return [parse(TemplateSummary, item, what="template") for item in items]

        url = self._client.base_url + "/templates"
        return self._http.call(Request("GET", url, params={"tag": tag} if tag else None), summaries)

    def get(self, template_id: str) -> Template:
        """One template with its movie (``.movie`` dict, ``.to_movie()`` builders)."""
        url = self._client.base_url + "/templates"
        request = Request("GET", url, params={"id": template_id})
        return self._http.call_model(request, Template, key="template", what="template")

    def submit(
        self,
        template_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        overrides: Mapping[str, Any] | None = None,
        submission_key: str | None = None,
    ) -> Job:
        """Render a saved template with ``variables``; return the :class:`Job`.

        ``overrides`` are top-level movie properties applied on top of the
        template (``resolution``, ``quality``, ``client-data``, ``exports`` ...).
        """
        body: dict[str, Any] = {
            **(overrides or {}),
            "template": template_id,
            "variables": dict(variables or {}),
        }
        # The movie schema does not describe template bodies; the service checks them.
        return self._client.submit(body, validate=False, submission_key=submission_key)

    def render(
        self,
        template_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        overrides: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Render:
        """Submit a template and wait for the render."""
        job = self.submit(template_id, variables, overrides=overrides)
        return job.wait(timeout=timeout, on_progress=on_progress)
