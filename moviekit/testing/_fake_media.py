"""The fake service's media storage: ``/v2/media``, folders, presigned uploads, file serving.

Follows reference §8.4: ``POST /v2/media/file`` hands out a presigned upload
URL whose credential is in its query string (as S3's are) and which refuses
the API key and a Content-Type other than the announced one; a file stays
``pending`` until its bytes arrive (and, with ``upload_confirm_seconds``, a
while longer: the service confirms asynchronously); moving a file that is
still pending answers success and loses the file, as observed on the service.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from urllib.parse import unquote

from moviekit.testing._fake_base import (
    JSONDict,
    MediaRecord,
    ServiceState,
    fail,
    sanitize_folder,
    sanitize_name,
)

__all__ = ["FREE_STORAGE", "MAX_UPLOAD_BYTES", "UPLOAD_URL_TTL", "MediaEndpoints"]

MAX_UPLOAD_BYTES = 524_288_000  # 500 MB, the documented media limit
UPLOAD_URL_TTL = 120.0  # seconds a presigned upload URL stays valid
FREE_STORAGE = 52_428_800
#: The query parameter of a presigned upload URL that carries its credential.
SIGNATURE_PARAM = "X-Amz-Signature"


class MediaEndpoints(ServiceState):
    """The media routes of ``FakeJSON2Video`` (a mixin over its state)."""

    upload_confirm_seconds: float

    def add_media(
        self,
        name: str,
        data: bytes,
        *,
        folder: str = "",
        content_type: str = "application/octet-stream",
    ) -> str:
        """Store an already uploaded media file; return its ``fileUrl``."""
        with self._lock:
            f = MediaRecord(
                name, folder, content_type, len(data), self._iso(), "", self.now(), data
            )
            self._media[(folder, name)] = f
            self._folders.add(folder)
        return self._file_url(folder, name)

    def _media_status(self, f: MediaRecord) -> str:
        if f.data is None or self.now() < f.arrived + self.upload_confirm_seconds:
            return "pending"
        return "uploaded"

    def _media_route(
        self,
        method: str,
        path: str,
        q: Mapping[str, str],
        body: JSONDict,
    ) -> JSONDict | None:
        """The answer of a ``/v2/media...`` route, or None when no such route exists."""
        route = (method, path)
        if route == ("GET", "/v2/media"):
            return self._storage()
        if route == ("POST", "/v2/media/file"):
            return self._media_file_post(body)
        if route == ("GET", "/v2/media/file"):
            return self._media_file_get(q)
        if route == ("PUT", "/v2/media/file"):
            return self._media_file_move(body)
        if route == ("DELETE", "/v2/media/file"):
            return self._media_file_delete(body)
        if route == ("GET", "/v2/media/folder"):
            return self._media_folder_get(q)
        if route == ("POST", "/v2/media/folder"):
            return self._media_folder_post(body)
        if route == ("DELETE", "/v2/media/folder"):
            return self._media_folder_delete(body)
        return None

    def _serve_media(self, path: str) -> tuple[int, bytes, dict[str, str]]:
        rest = unquote(path[len("/media/") :])
        folder, _, name = rest.rpartition("/")
        with self._lock:
            f = self._media.get((folder, name))
        if f is None or f.data is None:
            return 404, b"Not Found", {"Content-Type": "text/plain"}
        return 200, f.data, {"Content-Type": f.content_type}

    def _media_view(self, f: MediaRecord) -> JSONDict:
        major = f.content_type.split("/", 1)[0]
        return {
            "name": f.name,
            "folder": f.folder,
            "type": major if major in ("image", "video", "audio") else "other",
            "contentType": f.content_type,
            "size": f.size,
            "url": self._file_url(f.folder, f.name),
            "status": self._media_status(f),
            "temporary": f.folder == "temp",
            "created_at": f.created_at,
        }

    def _media_file_post(self, body: JSONDict) -> JSONDict:
        name = body.get("name")
        if not name or not isinstance(name, str):
            raise fail(400, "name is required")
        size = body.get("size")
        if not isinstance(size, int) or size <= 0:
            raise fail(400, "size must be a positive integer")
        if size > MAX_UPLOAD_BYTES:
            raise fail(413, "File exceeds maximum size of 500 MB")
        content_type = str(body.get("contentType") or "application/octet-stream")
        folder = sanitize_folder(str(body.get("folder") or ""))
        name = sanitize_name(name)
        with self._lock:
            if (folder, name) in self._media:
                raise fail(409, "A file with this name already exists. Delete it first.")
            token = secrets.token_urlsafe(16)
            self._media[(folder, name)] = MediaRecord(
                name, folder, content_type, size, self._iso(), token, self.now()
            )
            self._folders.add(folder)
        return {
            "success": True,
            "uploadUrl": (
                f"{self.origin}/upload/{folder + '/' if folder else ''}{name}"
                f"?X-Amz-Expires=120&{SIGNATURE_PARAM}={token}"
            ),
            "fileUrl": self._file_url(folder, name),
            "expiresIn": int(UPLOAD_URL_TTL),
        }

    def _presigned_put(
        self, q: Mapping[str, str], headers: Mapping[str, str], body: bytes
    ) -> JSONDict:
        if "x-api-key" in headers:
            # Stricter than S3: a key here means the client leaked it to a third party.
            raise fail(400, "The API key must not be sent to a presigned upload URL")
        token = q.get(SIGNATURE_PARAM, "")
        with self._lock:
            f = next((m for m in self._media.values() if m.token == token and token), None)
            if f is None:
                raise fail(403, "AccessDenied: unknown or used upload URL")
            if self.now() - f.issued > UPLOAD_URL_TTL:
                raise fail(403, "AccessDenied: Request has expired")
            if headers.get("content-type", "") != f.content_type:
                raise fail(
                    403,
                    "SignatureDoesNotMatch: Content-Type differs from the one "
                    "given when the upload URL was created",
                )
            if len(body) != f.size:
                raise fail(400, f"Expected {f.size} bytes, got {len(body)}")
            f.data = body
            f.arrived = self.now()
        return {}

    def _media_file_get(self, q: Mapping[str, str]) -> JSONDict:
        path = q.get("path", "").strip("/")
        folder, _, name = path.rpartition("/")
        with self._lock:
            f = self._media.get((folder, name))
            if f is None:
                raise fail(404, "File not found")
            return {"success": True, "file": self._media_view(f)}

    def _media_file_delete(self, body: JSONDict) -> JSONDict:
        if not body.get("name"):
            raise fail(400, "name is required")
        if "folder" not in body:
            raise fail(400, "folder is required")
        key = (sanitize_folder(str(body["folder"])), str(body["name"]))
        with self._lock:
            if self._media.pop(key, None) is None:
                raise fail(404, "File not found")
        return {"success": True, "timestamp": self._iso()}

    def _media_file_move(self, body: JSONDict) -> JSONDict:
        if not body.get("name"):
            raise fail(400, "name is required")
        if "folder" not in body:
            raise fail(400, "folder is required")
        if "destination" not in body:
            raise fail(400, "destination is required")
        src = (sanitize_folder(str(body["folder"])), str(body["name"]))
        dest = sanitize_folder(str(body["destination"]))
        with self._lock:
            f = self._media.get(src)
            if f is None:
                raise fail(404, "File not found")
            if (dest, f.name) in self._media:
                raise fail(409, "A file with this name already exists in the destination folder")
            del self._media[src]
            if self._media_status(f) == "pending":
                # Observed on the service: success is answered, and the file is gone.
                return {"success": True, "timestamp": self._iso()}
            f.folder = dest
            self._media[(dest, f.name)] = f
            self._folders.add(dest)
        return {"success": True, "timestamp": self._iso()}

    def _media_folder_get(self, q: Mapping[str, str]) -> JSONDict:
        with self._lock:
            if q.get("tree") == "true":
                return {
                    "success": True,
                    "tree": [
                        {
                            "path": "/" + f if f else "/",
                            "files": sum(1 for m in self._media.values() if m.folder == f),
                            "size": sum(m.size for m in self._media.values() if m.folder == f),
                        }
                        for f in sorted(self._folders)
                    ],
                }
            path = q.get("path", "/").strip("/")
            try:
                page, page_size = int(q.get("page", "0")), int(q.get("page_size", "100"))
            except ValueError:
                raise fail(400, "page and page_size must be integers") from None
            page_size = max(1, min(page_size, 100))
            files = [m for m in self._media.values() if m.folder == path]
            total_size = sum(m.size for m in files)
            if q.get("type"):
                files = [m for m in files if self._media_view(m)["type"] == q["type"]]
            if q.get("q"):
                files = [m for m in files if q["q"].lower() in m.name.lower()]
            files.sort(key=lambda m: m.name)
            prefix = path + "/" if path else ""
            sub = sorted(
                {
                    f[len(prefix) :].split("/")[0]
                    for f in self._folders
                    if f.startswith(prefix) and f != path and f
                }
            )
            return {
                "success": True,
                "path": "/" + path,
                "folders": sub,
                "files": [
                    self._media_view(m) for m in files[page * page_size : (page + 1) * page_size]
                ],
                "total": len(files),
                "total_files": sum(1 for m in self._media.values() if m.folder == path),
                "total_size": total_size,
            }

    def _media_folder_post(self, body: JSONDict) -> JSONDict:
        folder = sanitize_folder(str(body.get("folder") or ""))
        if not folder:
            raise fail(400, "Invalid folder name")
        with self._lock:
            if folder in self._folders:
                return {"success": True, "message": "Folder already exists"}
            parts = folder.split("/")
            for i in range(1, len(parts) + 1):
                self._folders.add("/".join(parts[:i]))
        return {"success": True}

    def _media_folder_delete(self, body: JSONDict) -> JSONDict:
        if "folder" not in body:
            raise fail(400, "folder is required")
        folder = sanitize_folder(str(body["folder"]))
        if not folder:
            raise fail(400, "Cannot delete root folder")
        if folder == "temp":
            raise fail(400, "Cannot delete the temp folder")
        with self._lock:
            if folder not in self._folders:
                raise fail(404, "Folder not found")
            if any(
                m.folder == folder or m.folder.startswith(folder + "/")
                for m in self._media.values()
            ) or any(f.startswith(folder + "/") for f in self._folders):
                raise fail(400, "Folder is not empty. Delete all files first.")
            self._folders.discard(folder)
        return {"success": True, "timestamp": self._iso()}

    def _storage(self) -> JSONDict:
        with self._lock:
            used = sum(m.size for m in self._media.values() if m.folder != "temp")
        return {
            "success": True,
            "storage": {
                "used_bytes": used,
                "free_allowance": FREE_STORAGE,
                "credits_per_week": 10,
                "blocked": False,
                "blocked_at": None,
            },
        }
