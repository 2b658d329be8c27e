"""``client.media`` and ``client.templates``.

Media upload is two steps: ``POST /v2/media/file`` returns a presigned
``uploadUrl`` (valid 120 s) and the final ``fileUrl``; the bytes then go by
``PUT`` with the same ``Content-Type`` and *without* the API key (it would be
handed to the storage provider).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moviekit._errors import (
    APIConnectionError,
    ConflictError,
    MalformedResponseError,
    MediaError,
    NotFoundError,
    RateLimitError,
    ServerError,
)
from moviekit.service._src import is_local_source
from moviekit.transport._models import (
    MediaFile,
    MediaFolder,
    StorageInfo,
    Template,
    TemplateSummary,
    UploadTicket,
)
from moviekit.transport._polling import backoff_delay

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.transport._client import Client, Job, ProgressCallback, Render

__all__ = ["MAX_UPLOAD_BYTES", "Media", "Templates", "is_local_source", "sanitize_media_name"]

#: The service rejects files above 500 MB.
MAX_UPLOAD_BYTES = 524_288_000
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


class Media:
    """Media storage: upload, folders, list, get, delete (``client.media``)."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"Media(base_url={self._client.base_url!r})"

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
        client = self._client
        file_path = Path(path)
        stored_name, size = self._check_file(file_path, name)
        ctype = (
            content_type or mimetypes.guess_type(file_path.name)[0] or "application/octet-stream"
        )
        body = {"name": stored_name, "contentType": ctype, "size": size, "folder": folder}
        ticket = self._create_upload(body, folder, stored_name)
        data = file_path.read_bytes()
        # No x-api-key here: the presigned URL is the credential; the key must not leak.
        client._request(
            "PUT",
            ticket.upload_url,
            idempotent=True,
            auth=False,
            data=data,
            headers={"Content-Type": ctype},
        )
        return MediaFile(
            name=stored_name,
            folder=folder,
            url=ticket.file_url,
            size=size,
            contentType=ctype,
            status="uploaded",
        )

    def _create_upload(self, body: dict[str, Any], folder: str, name: str) -> UploadTicket:
        client = self._client
        attempt = 0
        while True:
            try:
                response = client._request(
                    "POST", client._url("/media/file"), idempotent=False, json_body=body
                )
                return client._model(UploadTicket, client._json(response), what="upload ticket")
            except (APIConnectionError, ServerError, RateLimitError, MalformedResponseError) as exc:
                if attempt >= client.retry_policy.max_retries:
                    raise
                # The record may exist (pending) without us holding its upload URL:
                # remove it, then ask again. An uploaded file of that name is not ours.
                existing = self._find(folder, name)
                if existing is not None and existing.status == "uploaded":
                    raise ConflictError(
                        f"a file named {name!r} already exists in folder {folder or '/'!r}",
                        status_code=409,
                    ) from exc
                if existing is not None:
                    self.delete(name, folder=folder)
                client._sleep(backoff_delay(attempt, client.retry_policy, random_fn=client._random))
                attempt += 1

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
        client = self._client
        digest = _sha256(path)
        with client._upload_lock:
            cached = client._uploaded.get(digest)
        if cached is not None:
            return cached
        name = f"{digest[:16]}-{sanitize_media_name(path.name)}"
        folder = client.upload_folder
        try:
            url = self.upload(path, folder=folder, name=name).url
        except ConflictError:
            # Same name = same content hash: uploaded earlier (maybe by another process).
            existing = self._find(folder, name)
            if existing is None or not existing.url:
                raise
            url = existing.url
        assert url is not None
        with client._upload_lock:
            client._uploaded[digest] = url
        return url

    def get(self, path: str) -> MediaFile:
        """One stored file by ``folder/name``."""
        client = self._client
        body = client._request_json("GET", client._url("/media/file"), params={"path": path})
        return client._model(MediaFile, body.get("file"), what="media file")

    def list(
        self,
        folder: str = "/",
        *,
        page: int = 0,
        page_size: int = 100,
        type: str | None = None,
        query: str | None = None,
    ) -> MediaFolder:
        """One page of a folder's files and subfolders."""
        client = self._client
        params: dict[str, Any] = {"path": folder, "page": page, "page_size": page_size}
        if type:
            params["type"] = type
        if query:
            params["q"] = query
        body = client._request_json("GET", client._url("/media/folder"), params=params)
        return client._model(MediaFolder, body, what="media folder")

    def create_folder(self, folder: str) -> None:
        """Create a folder (nested paths allowed; an existing folder is fine)."""
        client = self._client
        client._request_json("POST", client._url("/media/folder"), json_body={"folder": folder})

    def delete(self, name: str, *, folder: str = "") -> None:
        """Delete a stored file."""
        client = self._client
        client._request_json(
            "DELETE", client._url("/media/file"), json_body={"name": name, "folder": folder}
        )

    def delete_folder(self, folder: str) -> None:
        """Delete an empty folder."""
        client = self._client
        client._request_json("DELETE", client._url("/media/folder"), json_body={"folder": folder})

    def storage(self) -> StorageInfo:
        """Storage use and allowance."""
        client = self._client
        body = client._request_json("GET", client._url("/media"))
        return client._model(StorageInfo, body.get("storage"), what="storage")


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

    def __init__(self, client: Client) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"Templates(base_url={self._client.base_url!r})"

    def list(self, *, tag: str | None = None) -> list[TemplateSummary]:
        """Every template (the service does not paginate), newest first."""
        client = self._client
        body = client._request_json(
            "GET", client._url("/templates"), params={"tag": tag} if tag else None
        )
        items = body.get("templates")
        if not isinstance(items, list):
            raise MalformedResponseError("the template list has no 'templates' array")
        return [client._model(TemplateSummary, item, what="template") for item in items]

    def get(self, template_id: str) -> Template:
        """One template with its movie (``.movie`` dict, ``.to_movie()`` builders)."""
        client = self._client
        body = client._request_json("GET", client._url("/templates"), params={"id": template_id})
        return client._model(Template, body.get("template"), what="template")

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
