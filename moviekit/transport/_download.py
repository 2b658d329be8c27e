"""Downloading a render: only where asked, only a whole file, only a video.

The file URL and the project id come from the service, so both are checked
before anything touches the disk: the URL must be ``http(s)``, a project id
becomes a file name only when it is a plain name (the service's ids are 16
letters and digits). The bytes go to a temporary ``.part`` file beside the
target, renamed into place once complete; any failure removes it. A page
instead of a video (``text/html``, a JSON error) is refused, not saved as
``.mp4``; a ``Content-Encoding`` (gzip) is decoded, and the length check counts
the bytes as sent.

:class:`FileReader` is the reader both transports feed, so a download behaves
the same from ``Client`` and ``AsyncClient``.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from moviekit._errors import MalformedResponseError
from moviekit._problems import short_repr
from moviekit.transport._exchange import Answer, AttemptFailed, Request, safe_url
from moviekit.transport._ops import Call
from moviekit.transport._polling import Failure

__all__ = ["MAX_DOWNLOAD_BYTES", "DownloadProgress", "FileReader", "download_call", "file_name_for"]

#: Called with ``(bytes written, total bytes or None)`` as a download proceeds.
DownloadProgress = Callable[[int, "int | None"], None]

#: A render is at most a few GB; a body without end is cut here.
MAX_DOWNLOAD_BYTES = 8 * 1024**3
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
#: Content types a render may come as; anything textual is a page, not the video.
_PAGE_TYPES = ("text/", "application/json", "application/xml", "application/xhtml")


def file_name_for(project_id: str) -> str:
    """``<project_id>.mp4``; a project id that is not a plain name is refused.

    The id comes from the service: ``../x``, an absolute path or a NUL would
    otherwise choose where the file goes.
    """
    if not _SAFE_ID.fullmatch(project_id):
        raise MalformedResponseError(
            f"the service gave the project id {short_repr(project_id)}, which is not a plain "
            "file name (letters, digits, '-' and '_'); pass a file path to download() instead",
            project_id=None,
        )
    return f"{project_id}.mp4"


def download_call(
    url: str,
    target: Path,
    *,
    on_progress: DownloadProgress | None = None,
    project_id: str | None = None,
) -> Call[Path]:
    """The call that streams ``url`` into ``target`` through a temporary file.

    Checked before any request: ``url`` must be http(s); ``target``'s folder is created.
    """
    if urlsplit(url).scheme not in ("http", "https"):
        raise MalformedResponseError(
            f"the file URL {short_repr(safe_url(url))} is not an http(s) URL; nothing was read",
            project_id=project_id,
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    request = Request("GET", url, headers={"Accept": "*/*"}, auth=False, project_id=project_id)
    return Call(request, lambda answer: FileReader(answer, target, on_progress))


class FileReader:
    """A render's bytes into ``target``, through a ``.part`` file renamed into place when whole."""

    what = "file"

    def __init__(
        self, answer: Answer, target: Path, on_progress: DownloadProgress | None = None
    ) -> None:
        self.answer = answer
        self.target = target
        self.on_progress = on_progress
        content_type = answer.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type.startswith(_PAGE_TYPES):
            raise self._not_a_video(content_type)
        encoded = bool(answer.headers.get("content-encoding", "").strip())
        value = answer.headers.get("content-length", "")
        self.length = int(value) if value.isdigit() else None
        self.total = None if encoded else self.length
        self.done = 0
        self.tmp_name: str | None = None
        self.out: IO[bytes] | None = None

    def feed(self, chunk: bytes) -> bool:
        if self.out is None:
            if chunk.lstrip()[:1] == b"<":
                raise self._not_a_video("a markup page")
            fd, self.tmp_name = _part_file(self.target)
            self.out = os.fdopen(fd, "wb")
        self.done += len(chunk)
        if self.done > MAX_DOWNLOAD_BYTES:
            raise self.answer.too_large(MAX_DOWNLOAD_BYTES, self.what)
        self.out.write(chunk)
        if self.on_progress is not None:
            self.on_progress(self.done, self.total)
        return False

    def finish(self, sent: int | None) -> Path:
        if self.out is None:  # an empty body: still a (empty) file, as the server sent it
            fd, self.tmp_name = _part_file(self.target)
            self.out = os.fdopen(fd, "wb")
        self.out.close()
        if self.length is not None and sent is not None and sent != self.length:
            short = f"the download ended after {sent} of {self.length} bytes"
            raise self.answer.failed(MalformedResponseError, short, Failure.UNREADABLE)
        assert self.tmp_name is not None
        os.replace(self.tmp_name, self.target)
        self.tmp_name = None
        return self.target

    def abort(self) -> None:
        if self.out is not None:
            self.out.close()
        if self.tmp_name is not None:
            os.unlink(self.tmp_name)
            self.tmp_name = None

    def _not_a_video(self, what: str) -> AttemptFailed:
        page = (
            f"the file URL answered {what}, not a video; nothing was saved (render files "
            "expire after 7 days: read the project's status again for a fresh url)"
        )
        return self.answer.failed(MalformedResponseError, page, Failure.REFUSED)


def _part_file(target: Path) -> tuple[int, str]:
    """A new ``.<name>.<random>.part`` beside ``target``, with the umask's permissions.

    (``tempfile.mkstemp`` would make it 0600, and the renamed video with it.)
    """
    while True:
        name = str(target.parent / f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), name
        except FileExistsError:
            continue
