"""What an element's ``src`` value is: a URL, a data URI, a ``{{placeholder}}``, or a local path.

The service only fetches URLs; a local path in ``src`` is something moviekit
must deal with before a render (the client uploads it, the preview reads it in
place, the studio watches it). One rule decides which values are local.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

__all__ = [
    "ACCEPTED_KINDS",
    "EXTENSIONS",
    "extension_kind",
    "is_local_source",
    "is_web_page",
    "map_local_sources",
]

_URL_LIKE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_local_source(value: object) -> bool:
    """True for a ``src`` string that is a local path rather than a URL or a placeholder."""
    if not isinstance(value, str) or not value.strip():
        return False
    return not (_URL_LIKE.match(value) or value.startswith("data:") or "{{" in value)


def map_local_sources(value: Any, replace: Callable[[str], str]) -> Any:
    """A copy of a Movie JSON ``value`` whose local ``src`` paths are ``replace(path)``.

    Everything else is kept as it is (and shared, not copied): URLs, placeholders, non-``src``
    keys. The client replaces local paths by uploaded URLs; the command line makes a script's
    relative paths absolute, next to the script.
    """
    if isinstance(value, Mapping):
        return {
            key: replace(item)
            if key == "src" and is_local_source(item)
            else map_local_sources(item, replace)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [map_local_sources(item, replace) for item in value]
    return value


# --------------------------------------------------------------------------- the kind of a file

#: File extensions by the kind of media they hold.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image": ("jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff", "svg", "avif", "heic"),
    "video": ("mp4", "mov", "mkv", "webm", "avi", "m4v", "mpg", "mpeg", "wmv", "ogv", "flv"),
    "audio": ("mp3", "wav", "flac", "ogg", "oga", "opus", "m4a", "aac", "wma"),
}
_KIND_OF_EXTENSION = {ext: kind for kind, exts in EXTENSIONS.items() for ext in exts}
#: Which kinds of file each element type plays (an audio element takes a video's sound).
ACCEPTED_KINDS: dict[str, tuple[str, ...]] = {
    "image": ("image",),
    "video": ("video",),
    "audio": ("audio", "video"),
}
# Pages that show a video but are not one: the service fetches the page and refuses it
# ("The URL provided is not a video file ...", OLD-errors). By host: how a page's path starts.
_PAGE_PATHS = {
    "youtube.com": "(watch|shorts/|embed/|live/)",
    "youtu.be": "",
    "vimeo.com": r"\d",
    "tiktok.com": "@",
    "instagram.com": "(p|reel)/",
    "facebook.com": ".+/videos/",
}
_SCHEME = r"^https?://(www\.|m\.)?"
_WEB_PAGES = re.compile(
    _SCHEME + "(" + "|".join(re.escape(h) + "/" + p for h, p in _PAGE_PATHS.items()) + ")",
    re.IGNORECASE,
)
_PAGE_HOST = re.compile(_SCHEME + "(" + "|".join(map(re.escape, _PAGE_PATHS)) + ")$", re.IGNORECASE)


def extension_kind(src: str) -> str | None:
    """``"image"``, ``"video"`` or ``"audio"`` from a URL's file extension, else None."""
    tail = src.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    if "." not in tail:
        return None
    ext = tail.rsplit(".", 1)[1]
    if not ext.isascii():  # str.lower() folds e.g. the Kelvin sign to "k"
        return None
    return _KIND_OF_EXTENSION.get(ext.lower())


def is_web_page(src: str) -> bool:
    """True for the address of a video *page* (YouTube, Vimeo, ...), not of a media file."""
    return page_host(site_of(src)) and _WEB_PAGES.match(src) is not None


def site_of(src: str) -> str:
    """``src`` up to the first ``/`` after its scheme: ``https://www.youtube.com``."""
    # A page's scheme is 7 or 8 characters and its host at least one: the first "/" from
    # index 8 on ends the host ("https:///x" gives "https://", which is no page's site).
    cut = src.find("/", 8)
    return src if cut < 0 else src[:cut]


@lru_cache(maxsize=512)  # a movie's URLs come from a handful of sites; bounded for hostile input
def page_host(site: str) -> bool:
    """Whether a URL of this site (:func:`site_of`) may be a video page: one of their hosts."""
    return _PAGE_HOST.match(site) is not None
