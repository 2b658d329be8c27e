"""Movies of an exact size in bytes of JSON, for the tests of the service's body limit."""

from __future__ import annotations

from typing import Any

from moviekit.service._json_text import body_bytes


def movie_of_size(size: int, *, fill: str = "x") -> dict[str, Any]:
    """A valid one-second movie whose body (compact UTF-8 JSON) is exactly ``size`` bytes.

    The bulk is its ``comment``, made of ``fill`` (one character; a multi-byte or
    a lone surrogate one tests that the size is counted in bytes as sent), topped
    up with ASCII to the byte.
    """
    doc: dict[str, Any] = {"scenes": [{"duration": 1}], "comment": ""}
    room = size - len(body_bytes(doc))
    unit = len(body_bytes(fill)) - 2  # bytes one character takes in the body
    assert room >= 0, f"no movie is as small as {size} bytes"
    doc["comment"] = fill * (room // unit) + "x" * (room % unit)
    assert len(body_bytes(doc)) == size
    return doc
