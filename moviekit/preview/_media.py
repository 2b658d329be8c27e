"""Media for the preview: where a ``src`` lives on disk, and what is in it.

* Local paths are used in place; a relative one is read from ``base_dir`` (the media
  root: the command line passes the script's folder).
* ``http(s)://`` URLs are fetched once into the cache (``<cache>/media``, named
  by the URL's SHA-256) with a short timeout; an unreachable URL is *not* an
  error: the element becomes a labelled placeholder and the report says so.
* Probing runs ``ffmpeg -i FILE`` and reads what it prints (the imageio-ffmpeg
  wheel has no ffprobe). Results are memoised per (path, size, mtime).

A local file that is missing, unreadable or not of the element's kind raises
:class:`~moviekit.PreviewMediaError` naming the element path and the file.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from moviekit._errors import PreviewMediaError
from moviekit.preview._ffmpeg import capture, check_cancel, ffmpeg_exe
from moviekit.service._src import is_local_source

#: codecs ffmpeg reports for still pictures (a "video" stream of one frame)
_STILL_CODECS = frozenset(
    {
        "png",
        "mjpeg",
        "jpeg",
        "jpg",
        "bmp",
        "tiff",
        "webp",
        "gif",
        "jpegls",
        "jpeg2000",
        "svg",
        "qoi",
        "apng",
        "pam",
        "ppm",
        "pgm",
    }
)
_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (\w+).*?, (\d{2,5})x(\d{2,5})")
_FPS = re.compile(r", (\d+(?:\.\d+)?) fps")
_AUDIO = re.compile(r"Stream #\S+.*?: Audio: (\w+)")


@dataclass(frozen=True)
class Probe:
    """What ffmpeg says is in a file."""

    duration: float | None
    """Seconds, or None for a still picture (ffmpeg prints ``Duration: N/A``)."""
    width: int
    height: int
    video_codec: str
    audio_codec: str
    fps: float | None

    @property
    def has_video(self) -> bool:
        """A moving picture: a video stream that is not a still-image codec."""
        return bool(self.video_codec) and self.video_codec not in _STILL_CODECS

    @property
    def has_picture(self) -> bool:
        """Any picture at all (a still image or a video)."""
        return bool(self.video_codec)

    @property
    def has_audio(self) -> bool:
        return bool(self.audio_codec)


_probe_cache: dict[tuple[str, int, int], Probe] = {}
_probe_lock = threading.Lock()


def probe(file: Path, *, path: str, src: str, cancel: threading.Event | None = None) -> Probe:
    """Probe a local file; raise :class:`PreviewMediaError` if ffmpeg cannot read it.

    Once ``cancel`` is set, raises :class:`PreviewError` instead (see ``_ffmpeg.capture``).
    """
    check_cancel(cancel, path)
    try:
        stat = file.stat()
    except FileNotFoundError:
        # A relative src is read from the media root (the script's folder on the command
        # line): say where it was looked for, so a wrong root is plain to see.
        where = "" if os.path.expanduser(src) == str(file) else f" (looked for {file})"
        raise PreviewMediaError(
            f"{path}: file not found: {src}{where}", path=path, file=src
        ) from None
    except OSError as exc:
        raise PreviewMediaError(
            f"{path}: cannot read {src}: {exc.strerror}", path=path, file=src
        ) from None
    except ValueError:  # a NUL byte: no file system has such a name
        raise PreviewMediaError(
            f"{path}: {src!r} is not a usable file name (it holds a NUL character)",
            path=path,
            file=src,
        ) from None
    if not os.access(file, os.R_OK):
        raise PreviewMediaError(
            f"{path}: cannot read {src}: permission denied", path=path, file=src
        )
    key = (str(file.resolve()), stat.st_size, stat.st_mtime_ns)
    with _probe_lock:
        if key in _probe_cache:
            return _probe_cache[key]
    result = capture(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(file)],
        what=path,
        path=path,
        timeout=60,
        cancel=cancel,
    )
    info = result.stderr
    video = _VIDEO.search(info)
    audio = _AUDIO.search(info)
    if video is None and audio is None:
        last = info.strip().splitlines()[-1] if info.strip() else "no output"
        reason = "not a media file ffmpeg can read" if "Invalid data" in info else last
        raise PreviewMediaError(f"{path}: cannot use {src}: {reason}", path=path, file=src)
    duration_match = _DURATION.search(info)
    duration = None
    if duration_match:
        h, m, s = duration_match.groups()
        duration = int(h) * 3600 + int(m) * 60 + float(s)
    fps_match = _FPS.search(info[video.start() :]) if video else None
    found = Probe(
        duration=duration,
        width=int(video.group(2)) if video else 0,
        height=int(video.group(3)) if video else 0,
        video_codec=video.group(1) if video else "",
        audio_codec=audio.group(1) if audio else "",
        fps=float(fps_match.group(1)) if fps_match else None,
    )
    with _probe_lock:
        _probe_cache[key] = found
    return found


def check_kind(info: Probe, kind: str, *, path: str, src: str) -> None:
    """Raise :class:`PreviewMediaError` when the file is not what the element needs."""
    if kind == "video" and not (info.has_video and info.duration):
        what = "a still image" if info.has_picture else "audio only"
        raise PreviewMediaError(f"{path}: {src} is not a video ({what})", path=path, file=src)
    if kind == "image" and not info.has_picture:
        raise PreviewMediaError(
            f"{path}: {src} is not an image (no picture in it)", path=path, file=src
        )
    if kind == "audio" and not (info.has_audio and info.duration):
        raise PreviewMediaError(
            f"{path}: {src} is not an audio file (no audio stream)", path=path, file=src
        )


class MediaStore:
    """Resolves ``src`` values to local files, fetching remote ones once into the cache.

    Relative paths are read from ``base_dir`` (default: the current directory).
    ``cancel``: once set, fetches stop (between chunks) and probes kill their
    ffmpeg, raising :class:`PreviewError`; the render that owns the store ends.
    """

    def __init__(
        self,
        cache_dir: Path,
        base_dir: str | os.PathLike[str] | None = None,
        *,
        fetch_timeout: float = 5.0,
        offline: bool = False,
        cancel: threading.Event | None = None,
    ) -> None:
        self.dir = cache_dir / "media"
        self.base_dir = Path(base_dir) if base_dir else Path.cwd()
        self.fetch_timeout = fetch_timeout
        self.offline = offline
        self.cancel = cancel
        self._failed: dict[str, str] = {}  # url -> why (asked once per render)
        self._lock = threading.Lock()

    def local(self, src: str) -> Path | None:
        """The local file for a local ``src`` (not checked), else None."""
        if src.startswith("file://"):
            src = src[len("file://") :]
        elif not is_local_source(src):
            return None
        file = Path(os.path.expanduser(src))
        return file if file.is_absolute() else self.base_dir / file

    def fetch(self, url: str) -> tuple[Path | None, str]:
        """A cached copy of a remote URL, or (None, why it is unavailable)."""
        if not url.startswith(("http://", "https://")):
            return None, "not a local file or an http(s) URL"
        digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        suffix = Path(url.split("?", 1)[0]).suffix[:8]
        target = self.dir / f"{digest}{suffix}"
        if target.is_file():
            return target, ""
        with self._lock:
            if url in self._failed:
                return None, self._failed[url]
        check_cancel(self.cancel, "fetching media")  # no URL: it may be presigned
        if self.offline:
            why = "not in the cache and fetching is off"
        else:
            why = self._download(url, target)
        if why:
            with self._lock:
                self._failed[url] = why
            return None, why
        return target, ""

    def _download(self, url: str, target: Path) -> str:
        self.dir.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + f".{os.getpid()}.{threading.get_ident()}.part")
        request = urllib.request.Request(url, headers={"User-Agent": "moviekit-preview"})
        try:
            with (
                urllib.request.urlopen(request, timeout=self.fetch_timeout) as answer,
                open(part, "wb") as sink,
            ):
                while chunk := answer.read(1 << 20):
                    check_cancel(self.cancel, "fetching media")
                    sink.write(chunk)
            os.replace(part, target)
            return ""
        except urllib.error.HTTPError as exc:
            return f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return f"unreachable ({reason})"
        finally:
            if part.exists():
                part.unlink()
