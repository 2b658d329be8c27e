"""Golden files: a movie's compiled JSON stored next to the tests, and a diff by JSON path.

A golden file holds ``json.dumps(doc, indent=2, ensure_ascii=False) + "\\n"``
of the compiled movie. Comparison is *structural*: two documents match when
they hold the same data, whatever the key order or the formatting of the
file. That is what makes golden files stable: reordering chained calls,
re-indenting the file by hand or a different ``dict`` insertion order in the
caller's code never fails a test, and :func:`assert_golden` with
``update=True`` rewrites a file only when its data really changed, so
``git diff`` shows nothing for a no-op refresh.

Numbers compare by value (``5`` matches ``5.0``: the same JSON number for the
service); booleans never equal numbers (``true`` is not ``1``).

A mismatch lists one line per difference, by JSON path::

    scenes[0].elements[1].text: 'Hello' != 'Hi'
    scenes[1].duration: added 5
    elements[0]: removed {'type': 'audio', 'src': 'https://...'}

(``golden != compiled``: the left side is what the file holds.)
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from moviekit._problems import format_path, short_repr

__all__ = [
    "Difference",
    "GoldenResult",
    "assert_golden",
    "compile_movie",
    "golden_diff",
    "golden_text",
]

#: At most this many differences are listed in a failure message; the rest are counted.
MAX_SHOWN = 40
_VALUE_WIDTH = 70

DifferenceKind = Literal["changed", "added", "removed"]


class _Missing:
    """The absent side of an added or removed value."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Difference:
    """One place where a golden file and the compiled movie disagree."""

    path: str
    """JSON path, e.g. ``scenes[0].elements[1].text``; ``""`` for the whole document."""
    kind: DifferenceKind
    """``changed``, ``added`` (only in the compiled movie) or ``removed`` (only in the file)."""
    golden: Any = MISSING
    """The value in the golden file (``MISSING`` when added)."""
    compiled: Any = MISSING
    """The value in the compiled movie (``MISSING`` when removed)."""

    def __str__(self) -> str:
        where = self.path or "(document)"
        if self.kind == "added":
            return f"{where}: added {_short(self.compiled)}"
        if self.kind == "removed":
            return f"{where}: removed {_short(self.golden)}"
        return f"{where}: {_short(self.golden)} != {_short(self.compiled)}"


def _short(value: Any) -> str:
    return short_repr(value, _VALUE_WIDTH)


# --------------------------------------------------------------------------- comparison


def _kind(value: Any) -> str:
    # bool before int: True is an int in Python but a different JSON type.
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    if value is None:
        return "null"
    return type(value).__name__


def _same(a: Any, b: Any) -> bool:
    """JSON equality: numbers by value, bools apart from numbers, objects ignore key order."""
    kind = _kind(a)
    if kind != _kind(b):
        return False
    if kind == "object":
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if kind == "array":
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _canonical(value: Any) -> str:
    """A hashable stand-in for list alignment: equal JSON data, equal string."""
    return json.dumps(_normalise_numbers(value), sort_keys=True, ensure_ascii=False)


def _normalise_numbers(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)  # 5 and 5.0 align as the same item
    if isinstance(value, Mapping):
        return {k: _normalise_numbers(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalise_numbers(v) for v in value]
    return value


def golden_diff(golden: Any, compiled: Any) -> list[Difference]:
    """Every difference between two JSON documents, by path, in document order.

    Lists are aligned (``difflib``) before they are compared item by item, so
    a scene inserted at the front reads as one ``added`` line, not as every
    later scene changed. Paths of changed and added items use the compiled
    index; removed items use the index they had in the golden file.
    """
    out: list[Difference] = []
    _diff(golden, compiled, [], [], out)
    return out


def _diff(
    golden: Any, compiled: Any, gpath: list[Any], cpath: list[Any], out: list[Difference]
) -> None:
    kind = _kind(golden)
    if kind != _kind(compiled):
        out.append(Difference(format_path(cpath), "changed", golden, compiled))
    elif kind == "object":
        _diff_objects(golden, compiled, gpath, cpath, out)
    elif kind == "array":
        _diff_arrays(golden, compiled, gpath, cpath, out)
    elif not _same(golden, compiled):
        out.append(Difference(format_path(cpath), "changed", golden, compiled))


def _diff_objects(
    golden: Mapping[str, Any],
    compiled: Mapping[str, Any],
    gpath: list[Any],
    cpath: list[Any],
    out: list[Difference],
) -> None:
    # Compiled key order first (canonical), then keys only the file has.
    for key, value in compiled.items():
        if key in golden:
            _diff(golden[key], value, [*gpath, key], [*cpath, key], out)
        else:
            out.append(Difference(format_path([*cpath, key]), "added", compiled=value))
    for key, value in golden.items():
        if key not in compiled:
            out.append(Difference(format_path([*gpath, key]), "removed", golden=value))


def _diff_arrays(
    golden: Sequence[Any],
    compiled: Sequence[Any],
    gpath: list[Any],
    cpath: list[Any],
    out: list[Difference],
) -> None:
    if len(golden) == len(compiled) and all(map(_same, golden, compiled)):
        return
    # autojunk=False: a movie with 200+ identical elements must still align exactly.
    matcher = difflib.SequenceMatcher(
        None, [_canonical(v) for v in golden], [_canonical(v) for v in compiled], autojunk=False
    )
    for tag, g0, g1, c0, c1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(g1 - g0, c1 - c0) if tag == "replace" else 0
        for k in range(paired):
            _diff(golden[g0 + k], compiled[c0 + k], [*gpath, g0 + k], [*cpath, c0 + k], out)
        for g in range(g0 + paired, g1):
            out.append(Difference(format_path([*gpath, g]), "removed", golden=golden[g]))
        for c in range(c0 + paired, c1):
            out.append(Difference(format_path([*cpath, c]), "added", compiled=compiled[c]))


def describe_differences(differences: Sequence[Difference], limit: int = MAX_SHOWN) -> str:
    """The differences as indented lines, at most ``limit`` of them."""
    lines = [f"  {d}" for d in differences[:limit]]
    if len(differences) > limit:
        lines.append(f"  ... and {len(differences) - limit} more")
    return "\n".join(lines)


# --------------------------------------------------------------------------- files


def compile_movie(movie: Any) -> dict[str, Any]:
    """The JSON document a golden file stores for ``movie``.

    A :class:`~moviekit.Movie` is compiled with ``to_dict()`` (so it is
    validated: a movie with errors raises
    :class:`~moviekit.MovieValidationError` rather than being stored); a
    mapping is taken as an already compiled document.
    """
    to_dict = getattr(movie, "to_dict", None)
    if callable(to_dict):
        doc = to_dict()
    elif isinstance(movie, Mapping):
        doc = movie
    else:
        raise TypeError(
            f"a golden file stores a Movie or a Movie JSON dict, got {type(movie).__name__}"
        )
    # A round trip through JSON: what is stored is exactly what would be sent.
    parsed: dict[str, Any] = json.loads(json.dumps(doc, ensure_ascii=False))
    return parsed


def golden_text(movie: Any) -> str:
    """The exact text of the golden file for ``movie`` (byte-stable; see module docs)."""
    return json.dumps(compile_movie(movie), indent=2, ensure_ascii=False) + "\n"


GoldenOutcome = Literal["matched", "created", "updated"]


@dataclass(frozen=True)
class GoldenResult:
    """What :func:`assert_golden` did."""

    path: Path
    outcome: GoldenOutcome
    differences: tuple[Difference, ...] = ()


class GoldenMismatch(AssertionError):
    """A golden file is missing, unreadable, or holds a different movie."""

    def __init__(self, message: str, differences: Sequence[Difference] = ()) -> None:
        super().__init__(message)
        self.differences = tuple(differences)


# Tracebacks name the public home (moviekit.testing.GoldenMismatch), not the private module.
GoldenMismatch.__module__ = "moviekit.testing"


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is below it (shorter messages)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def assert_golden(
    movie: Any,
    path: str | os.PathLike[str],
    *,
    update: bool = False,
    update_hint: str = "rerun with update=True",
) -> GoldenResult:
    """Check that ``movie`` compiles to the document stored in the golden file ``path``.

    Raises :class:`GoldenMismatch` (an ``AssertionError``) listing the
    differences by JSON path. With ``update=True`` a missing or different file
    is (re)written instead and the check passes; a file holding the same data
    is left untouched, even when its formatting differs.

    ``update_hint`` ends the failure message (the pytest plugin names its flag).
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this function
    target = Path(path)
    compiled = compile_movie(movie)
    text = json.dumps(compiled, indent=2, ensure_ascii=False) + "\n"
    if not target.exists():
        if update:
            _write(target, text)
            return GoldenResult(target, "created")
        raise GoldenMismatch(
            f"golden file {_shown(target)} does not exist.\n"
            f"To create it from the compiled movie, {update_hint}."
        )
    stored_text = target.read_text(encoding="utf-8")
    try:
        stored = json.loads(stored_text)
    except json.JSONDecodeError as exc:
        if update:
            _write(target, text)
            return GoldenResult(target, "updated")
        raise GoldenMismatch(
            f"golden file {_shown(target)} is not valid JSON ({exc.msg} at line {exc.lineno} "
            f"column {exc.colno}).\nTo rewrite it from the compiled movie, {update_hint}."
        ) from None
    differences = golden_diff(stored, compiled)
    if not differences:
        return GoldenResult(target, "matched")
    if update:
        _write(target, text)
        return GoldenResult(target, "updated", tuple(differences))
    count = len(differences)
    raise GoldenMismatch(
        f"the compiled movie does not match golden file {_shown(target)}\n"
        f"{count} difference{'s' if count != 1 else ''} (golden file != compiled movie):\n"
        f"{describe_differences(differences)}\n"
        f"If the change is intended, {update_hint} and review the file's diff.",
        differences,
    )


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # newline="\n": the same bytes on every OS, or golden files churn on Windows checkouts.
    with open(target, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
