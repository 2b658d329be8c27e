"""Movie JSON as text: read strictly, written as the exact bytes the service receives.

The service reads a UTF-8 JSON body whose numbers are doubles (A-movie) and
refuses one over :data:`~moviekit.service._catalog.MAX_BODY_BYTES` (413). So:

* :func:`read_json_text` turns text (or bytes) into a JSON value, or raises a
  :class:`~moviekit.BuildError` saying why not: not text, not UTF-8, not JSON,
  ``NaN``, a number no double holds (``1e999``, 5,000 digits), nesting too deep
  to read. ``Movie.from_json`` and every ``moviekit`` command read through it.
* :func:`json_text` is the one spelling of a document: compact unless indented,
  non-ASCII as it is, a lone surrogate (which UTF-8 cannot carry) as its JSON
  ``\\uXXXX`` escape. ``Movie.to_json`` returns it; :func:`body_bytes` (its
  UTF-8 bytes) is what the client sends and what validation measures against
  the limit, so the two never disagree about a document's size. orjson writes
  it: the same bytes as pydantic's serialiser in a quarter of the time
  (``tests/service/test_json_text.py`` compares them on any value); what orjson
  refuses (an integer over 64 bits, a lone surrogate) falls back to pydantic's.
  Inside
  :func:`known_text` a caller that already wrote a document (``Movie.to_json``)
  lends its text to :func:`body_bytes`, so validating it does not write it again.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import orjson
from pydantic import TypeAdapter

from moviekit._errors import BuildError
from moviekit._problems import shorten

__all__ = [
    "MAX_DEPTH",
    "SUBMISSION_ROOM",
    "body_bytes",
    "escape_surrogates",
    "json_text",
    "known_text",
    "read_json_text",
]

#: Data nested deeper than this inside a property is refused, by validation and by the
#: builders alike (it is also how a dict that contains itself ends); Movie JSON itself is
#: a few levels deep.
MAX_DEPTH = 200

#: Bytes of the body kept for the ``client-data`` tag a moviekit submit adds to find the
#: project again (``"moviekit-submission": KEY``, 77 bytes with the default key): a
#: document validation passes is a body the service takes, tag included.
SUBMISSION_ROOM = 128

# pydantic's Rust serialiser: indented text, and integers over 64 bits (which orjson refuses).
_PYDANTIC = TypeAdapter(Any)


class _NotMovieJSON(ValueError):
    """Valid to Python's ``json`` module, but not JSON a movie can be: NaN, 1e999, 5000 digits."""


def _constant(text: str) -> Any:
    raise _NotMovieJSON(f"{text} is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotMovieJSON(f"the number {shorten(text, 40)} is too large")
    return value


def _int(text: str) -> int:
    limit = getattr(sys, "get_int_max_str_digits", lambda: 0)()
    if limit and len(text.lstrip("-")) > limit:
        raise _NotMovieJSON(f"an integer with {len(text)} digits is too long (at most {limit})")
    value = int(text)
    if abs(value) > sys.float_info.max:  # the service reads JSON numbers as doubles
        raise _NotMovieJSON(f"the number {shorten(text, 40)} is too large")
    return value


def read_json_text(text: object) -> Any:
    """The JSON value of ``text`` (``str``, ``bytes`` or ``bytearray`` of UTF-8).

    Raises :class:`~moviekit.BuildError` (its message starts with ``not valid
    JSON`` or names the input's type) for anything a movie cannot be read from;
    never another exception, and in time linear in the text.
    """
    if not isinstance(text, (str, bytes, bytearray)):
        raise BuildError(f"Movie JSON is text (str or UTF-8 bytes), got {type(text).__name__}")
    try:
        return json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise BuildError(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except UnicodeDecodeError as exc:
        raise BuildError(
            f"not valid JSON: the bytes are not UTF-8 ({exc.reason} at byte {exc.start})"
        ) from None
    except _NotMovieJSON as exc:
        raise BuildError(f"not valid JSON: {exc}") from None
    except RecursionError:
        raise BuildError("the JSON is nested too deeply to read") from None


def escape_surrogates(text: str) -> str:
    r"""``text`` (JSON text) with each lone surrogate written as its ``\uXXXX`` escape.

    Outside strings JSON text is ASCII, and UTF-8 can carry every other
    character, so the result is the same JSON value, now encodable as UTF-8.
    """
    # backslashreplace spells a surrogate \udXXX: exactly JSON's escape, at C speed.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def json_text(document: Any, indent: int | None = None) -> str:
    """``document`` (plain JSON data: validation or the client checked it) as JSON text.

    Compact without ``indent``; key order as given; text UTF-8 can carry as it
    is; a lone surrogate as its ``\\uXXXX`` escape, so the text always encodes.
    """
    if indent is None:
        return _compact(document).decode()
    try:
        return _PYDANTIC.dump_json(document, indent=indent).decode()
    except ValueError:  # pydantic's PydanticSerializationError: a lone surrogate, a UserDict
        return _standard_library(document, indent)


def _compact(document: Any) -> bytes:
    """The compact UTF-8 text of ``document`` by the fastest writer that spells it right."""
    try:
        return orjson.dumps(document)
    except TypeError:  # orjson.JSONEncodeError: an int over 64 bits, a surrogate, a Mapping
        pass
    try:
        return _PYDANTIC.dump_json(document)
    except ValueError:
        return _standard_library(document, None).encode()


def _standard_library(document: Any, indent: int | None) -> str:
    separators = None if indent is not None else (",", ":")
    text = json.dumps(
        document, ensure_ascii=False, indent=indent, separators=separators, default=_plain
    )
    return escape_surrogates(text)


def _plain(value: object) -> dict[str, Any]:
    """A mapping that is not a dict (``MappingProxyType``, ``UserDict``) is written as one."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def body_bytes(document: Any) -> bytes:
    """``document`` as the request body the service receives: :func:`json_text`, UTF-8."""
    known = _KNOWN_TEXT.get()
    if known is not None and known[0] is document:
        return known[1].encode("utf-8")
    return _compact(document)


#: The document whose compact text is already written, and that text (see known_text).
_KNOWN_TEXT: ContextVar[tuple[object, str] | None] = ContextVar("known_text", default=None)


@contextmanager
def known_text(document: object, text: str) -> Iterator[None]:
    """While open, :func:`body_bytes` of this very ``document`` object is ``text``, UTF-8.

    For a caller that wrote its own document (``json_text(document)``) and has it
    validated, which measures the body: one serialisation instead of two. The
    document must not change while the block runs. Scoped to the current thread
    or task (a context variable), so no other caller ever sees it.
    """
    token = _KNOWN_TEXT.set((document, text))
    try:
        yield
    finally:
        _KNOWN_TEXT.reset(token)
