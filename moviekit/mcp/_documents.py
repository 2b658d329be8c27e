"""What the MCP server does with a document an agent sends, before any tool looks at it.

Agents are untrusted callers: a document may be huge, absurdly nested, not JSON
at all, or point ``src`` at files the user never meant to share. Here:

* :func:`read_document` turns the ``movie`` argument (a JSON object, or the
  same as a JSON string, which some agents send) into plain JSON data, refusing
  anything bigger than the size cap or nested deeper than :data:`MAX_DEPTH`,
  in time proportional to the cap, never to the input;
* :func:`confine_local_files` lets a local ``src`` through only when it lies
  under the server's root directory, and makes it absolute, so the preview
  and the upload read exactly the file that was checked.

A failure is spelled by :func:`moviekit._errors.error_line`, the same line the
``moviekit`` command prints.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from moviekit import MoviekitError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_DEPTH",
    "ToolRefused",
    "confine_local_files",
    "read_document",
]

#: the default size cap of a document, in bytes of JSON (a 1,000-scene movie is about 1.5 MB)
DEFAULT_MAX_BYTES = 5_000_000
#: the deepest nesting accepted (real Movie JSON is under 10 levels deep)
MAX_DEPTH = 64

_URL_LIKE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


class ToolRefused(MoviekitError):
    """A tool call the server will not carry out: the message says why and what to do.

    ``path`` names the place in the document, when the reason is in one.
    """

    def __init__(self, message: str, *, path: str = "") -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


def read_document(value: object, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """The ``movie`` argument as JSON data: a decoded object, or a JSON text decoded.

    Raises :class:`ToolRefused` for text that is not JSON, and for a document
    over ``max_bytes`` (as compact JSON) or deeper than :data:`MAX_DEPTH`.
    """
    if isinstance(value, str):
        size = len(value.encode("utf-8", errors="replace"))
        if size > max_bytes:
            raise _too_big(f"{size:,} bytes", max_bytes)
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ToolRefused(f"not valid JSON: {exc}", path="movie") from None
        except RecursionError:
            raise _too_deep() from None
    _check_size(value, max_bytes)
    return value


def _too_big(size: str, max_bytes: int) -> ToolRefused:
    return ToolRefused(
        f"the document is {size}, over this server's limit of {max_bytes:,} bytes; "
        "split the work into smaller movies (the limit is `moviekit mcp --max-bytes`)",
        path="movie",
    )


def _too_deep() -> ToolRefused:
    return ToolRefused(
        f"the document is nested more than {MAX_DEPTH} levels deep; Movie JSON is "
        "movie > scenes > elements > settings, a few levels",
        path="movie",
    )


def _check_size(value: Any, max_bytes: int) -> None:
    """Refuse ``value`` once its compact JSON would pass ``max_bytes`` or :data:`MAX_DEPTH`.

    The size is counted as it would be written, never more (characters, not
    bytes, and no escapes), iteratively and stopping at the cap: the work is
    bounded by the cap whatever the input's real size, and no recursion limit
    can be hit.
    """
    size = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep()
        if isinstance(item, Mapping):
            size += 1 + len(item)  # braces and commas
            for key, child in item.items():
                size += len(str(key)) + 3  # quotes and colon
                stack.append((child, depth + 1))
        elif isinstance(item, (list, tuple)):
            size += 1 + max(len(item), 1)
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            size += len(item) + 2
        elif isinstance(item, float):
            size += len(repr(item))
        elif isinstance(item, bool) or item is None:
            size += 4
        elif isinstance(item, int):
            # at most its digits, counted without str() (which refuses huge numbers)
            size += max(item.bit_length() - 1, 0) * 30103 // 100_000 + 1 + (item < 0)
        if size > max_bytes:
            raise _too_big(f"more than {max_bytes:,} bytes", max_bytes)


def _local_path(src: str) -> str | None:
    """The file a ``src`` names when it is local (a path or ``file://``), else None."""
    if src.startswith("file://"):
        return src[len("file://") :]
    if not src.strip() or _URL_LIKE.match(src) or src.startswith("data:") or "{{" in src:
        return None
    return src


def confine_local_files(doc: Any, root: Path, *, absolute: bool = False) -> Any:
    """``doc``, refused if a local ``src`` lies outside ``root``; ``absolute`` rewrites them.

    URLs, ``data:`` and ``{{placeholders}}`` pass unchanged. A local file is
    what the draft renderer reads and what a service render uploads, so only
    files under the directory the user gave the server are allowed. The draft
    renderer resolves relative paths against the root itself (and names them
    in its messages as written); an upload resolves them against the working
    directory, so a service render gets them absolute.
    """
    base = root.resolve()

    def walk(value: Any, where: str) -> Any:
        if isinstance(value, Mapping):
            out: dict[str, Any] = {}
            for key, item in value.items():
                path = f"{where}.{key}" if where else str(key)
                local = _local_path(item) if key == "src" and isinstance(item, str) else None
                if local is None:
                    out[key] = walk(item, path)
                else:
                    resolved = _inside(local, base, path)
                    out[key] = resolved if absolute else item
            return out
        if isinstance(value, list):
            return [walk(item, f"{where}[{i}]") for i, item in enumerate(value)]
        return value

    return walk(doc, "")


def _inside(local: str, base: Path, where: str) -> str:
    file = Path(os.path.expanduser(local))
    try:
        resolved = (file if file.is_absolute() else base / file).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise ToolRefused(f"cannot use the local file {local!r}: {exc}", path=where) from None
    if not resolved.is_relative_to(base):
        raise ToolRefused(
            f"the local file {local!r} is outside this server's root {base}; "
            "put it under the root, or give an https:// URL",
            path=where,
        )
    return str(resolved)
