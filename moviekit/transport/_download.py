"""Downloading a render: only where asked, only a whole file, only a video.

The file URL and the project id come from the service, so both are checked
before anything touches the disk: the URL must be ``http(s)``, a project id
becomes a file name only when it is a plain name (the service's ids are 16
letters and digits). The bytes go to a temporary ``.part`` file beside the
target, renamed into place once complete; any failure removes it. A page
instead of a video (``text/html``, a JSON error) is refused, not saved as
``.mp4``; a ``Content-Encoding`` (gzip) is decoded, and the length check counts
the bytes as sent.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from moviekit._errors import MalformedResponseError
from moviekit._problems import short_repr
from moviekit.transport._http import HTTP, AttemptFailed, Reading, Request, safe_url
from moviekit.transport._polling import Failure

__all__ = ["MAX_DOWNLOAD_BYTES", "DownloadProgress", "download", "file_name_for"]

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


def download(
    http: HTTP,
    url: str,
    target: Path,
    *,
    on_progress: DownloadProgress | None = None,
    project_id: str | None = None,
) -> Path:
    """Stream ``url`` into ``target`` through a temporary file; return ``target``."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise MalformedResponseError(
            f"the file URL {short_repr(safe_url(url))} is not an http(s) URL; nothing was read",
            project_id=project_id,
        )
    target.parent.mkdir(parents=True, exist_ok=True)

    def save(reading: Reading) -> Path:
        _check_type(reading)
        encoded = bool(reading.response.headers.get("Content-Encoding", "").strip())
        length = _content_length(reading)
        total = None if encoded else length
        fd, tmp_name = _part_file(target)
        try:
            done = 0
            with os.fdopen(fd, "wb") as out:
                for chunk in reading.chunks(MAX_DOWNLOAD_BYTES, what="file"):
                    if not done and chunk.lstrip()[:1] == b"<":
                        raise _not_a_video(reading, "a markup page")
                    out.write(chunk)
                    done += len(chunk)
                    if on_progress is not None:
                        on_progress(done, total)
            sent = reading.response.raw.tell()
            if length is not None and sent != length:
                short = f"the download ended after {sent} of {length} bytes"
                raise reading.failed(MalformedResponseError, short, Failure.UNREADABLE)
            os.replace(tmp_name, target)
        except BaseException:
            os.unlink(tmp_name)
            raise
        return target

    request = Request("GET", url, headers={"Accept": "*/*"}, auth=False, project_id=project_id)
    return http.call(request, save)


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


def _content_length(reading: Reading) -> int | None:
    value = reading.response.headers.get("Content-Length", "")
    return int(value) if value.isdigit() else None


def _check_type(reading: Reading) -> None:
    content_type = reading.response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type.startswith(_PAGE_TYPES):
        raise _not_a_video(reading, content_type)


def _not_a_video(reading: Reading, what: str) -> AttemptFailed:
    page = (
        f"the file URL answered {what}, not a video; nothing was saved (render files "
        "expire after 7 days: read the project's status again for a fresh url)"
    )
    return reading.failed(MalformedResponseError, page, Failure.REFUSED)
