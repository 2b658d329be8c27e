"""What a builder stores of a value it is given: a private, JSON-ready copy, or a BuildError.

Every setter, constructor and ``from_dict`` passes the user's value through
:func:`to_json_value`: typed values become their wire form, tuples lists,
``str`` subclasses plain text, and containers are copied, so a later change
to the caller's dict never reaches inside an (immutable) builder. Plain data
(the common case) is copied by :func:`_plain_copy` without spelling a single
path; anything else takes the path that converts it or says what is wrong
and where (``data.rows[2]``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast

from moviekit._errors import BuildError
from moviekit._problems import short_repr as _short
from moviekit.service._json_text import MAX_DEPTH
from moviekit.timing._expr import TimeExpr
from moviekit.values._values import Expr, WireValue

__all__ = ["json_container", "to_json_value"]

_INF = math.inf


def to_json_value(value: Any, where: str, _open: tuple[int, ...] = ()) -> Any:
    """Return a private JSON-ready copy of ``value``, or raise :class:`BuildError`.

    Typed values become their wire dicts, :class:`Expr` its ``{{ }}`` string,
    tuples become lists; containers are copied so later changes to the caller's
    dict cannot reach inside a builder. ``where`` names the property in errors.
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict or kind is list or kind is tuple:  # before the isinstance chain: common
        return json_container(value, where, _open)
    if kind is float:
        if not math.isfinite(value):
            raise BuildError(
                f"{value!r} is not a number JSON can carry; use a finite number", path=where
            )
        return value
    if isinstance(value, Expr):
        return str(value)
    if isinstance(value, WireValue):
        return to_json_value(value.to_wire(), where)
    if isinstance(value, TimeExpr):
        # Timing hook: relative placement stays an expression until Movie compile lowers it.
        return value
    # Subclasses (such as the Special constants) become the plain type: the
    # compiled document must hold only what any JSON tool accepts.
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return to_json_value(float(value), where)
    if isinstance(value, (Mapping, list, tuple)):
        return json_container(value, where, _open)
    raise BuildError(
        f"{type(value).__name__} value {_short(value)} cannot be sent as JSON; "
        "use a string, number, boolean, list or dict",
        path=where,
    )


def json_container(
    value: Mapping[Any, Any] | list[Any] | tuple[Any, ...], where: str, _open: tuple[int, ...] = ()
) -> dict[str, Any] | list[Any]:
    """:func:`to_json_value` of a mapping, list or tuple (``_open``: the containers around it)."""
    if not _open:
        try:
            return _plain_copy(value, 0)
        except _NotPlain:
            pass  # the path below finds what is wrong and says where, or converts it
    if id(value) in _open:
        raise BuildError("this value contains itself; JSON cannot carry a cycle", path=where)
    if len(_open) >= MAX_DEPTH:  # validation draws the line at the same depth
        raise BuildError(f"nested more than {MAX_DEPTH} levels deep; flatten the data", path=where)
    inside = (*_open, id(value))
    kind = type(value)
    if kind is dict or (kind is not list and kind is not tuple and isinstance(value, Mapping)):
        out: dict[str, Any] = {}
        for key, item in cast("Mapping[Any, Any]", value).items():
            if type(key) is not str:
                if not isinstance(key, str):
                    raise BuildError(f"object keys must be strings, got {key!r}", path=where)
                key = str.__str__(key)  # a str subclass: its text as a plain str (as JSON has it)
            kind = type(item)
            # Plain scalars inline and plain containers straight to this function: most data
            # is flat or plain, and a path is only spelled out to go one level down.
            if kind is str or kind is int or kind is bool or item is None:
                out[key] = item
            elif kind is dict or kind is list or kind is tuple:
                out[key] = json_container(item, f"{where}.{key}", inside)
            else:
                out[key] = _inner_value(item, f"{where}.{key}", inside)
        return out
    items: list[Any] = []
    for i, item in enumerate(value):
        kind = type(item)
        if kind is str or kind is int or kind is bool or item is None:
            items.append(item)
        elif kind is dict or kind is list or kind is tuple:
            items.append(json_container(item, f"{where}[{i}]", inside))
        else:
            items.append(_inner_value(item, f"{where}[{i}]", inside))
    return items


def _inner_value(item: Any, where: str, _open: tuple[int, ...]) -> Any:
    """:func:`to_json_value` of a value inside a dict or list, where no time expression goes.

    Refused here, at the call that gave it: compile lowers only an element's own
    ``start``, ``duration`` and ``extra-time``, and never looks inside data.
    """
    value = to_json_value(item, where, _open)
    if isinstance(value, TimeExpr):
        raise BuildError(
            "a time expression (such as voice.time.end) can only be the whole value of an "
            "element's start, duration or extra-time, not inside a dict or list",
            path=where,
        )
    return value


class _NotPlain(Exception):
    """Raised by :func:`_plain_copy` for a value it does not take."""


def _plain_copy(value: Any, depth: int) -> dict[str, Any] | list[Any]:
    """A copy of plain JSON data, or :class:`_NotPlain`: the common case without paths.

    Plain: dicts with ``str`` keys, lists and tuples (copied as lists), text,
    whole numbers, finite floats, booleans and None, nested within
    :data:`MAX_DEPTH` (so a cycle is not plain either). The same result as
    :func:`_json_container` on such data; anything else takes that function,
    which converts it or explains what is wrong with its path.
    """
    if depth >= MAX_DEPTH:
        raise _NotPlain
    if type(value) is dict:
        out: dict[str, Any] = {}
        for key, item in value.items():
            kind = type(item)
            if type(key) is not str:
                raise _NotPlain
            if kind is str or kind is int or kind is bool or item is None:
                out[key] = item
            elif kind is dict or kind is list or kind is tuple:
                out[key] = _plain_copy(item, depth + 1)
            elif kind is float and -_INF < item < _INF:
                out[key] = item
            else:
                raise _NotPlain
        return out
    if type(value) is not list and type(value) is not tuple:
        raise _NotPlain
    items: list[Any] = []
    for item in value:
        kind = type(item)
        if kind is str or kind is int or kind is bool or item is None:
            items.append(item)
        elif kind is dict or kind is list or kind is tuple:
            items.append(_plain_copy(item, depth + 1))
        elif kind is float and -_INF < item < _INF:
            items.append(item)
        else:
            raise _NotPlain
    return items
