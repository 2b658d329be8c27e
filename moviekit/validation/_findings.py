"""What a validation walk found: problems with their places in the document.

Every problem is recorded with a position, ``(section, scene, element, key)``,
so the report can list problems in document order however they were found:
movie properties first, then each scene (its own properties, then its
elements), then the movie-level elements. Severity comes from the service
model's rules, never from the code that finds the problem.

A warning found by the thousand (an undocumented key of a repeated shape, an
undefined ``{{variable}}``) may be recorded as :data:`Later`: the function
that writes its :class:`~moviekit.Problem` and what it needs, all values that
cannot change. The report writes those words when its warnings are first read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from moviekit._problems import Problem, Severity, short_json
from moviekit.service._rules import RULES

__all__ = [
    "BLANK",
    "MOVIE",
    "OVERLAY",
    "SCENES",
    "Findings",
    "Found",
    "Later",
    "Pos",
    "Use",
    "REMARK_SEVERITY",
    "UNCHANGING",
    "label",
    "remark",
    "written",
]

Pos = tuple[int, int, int, int]
#: a problem written when read: its severity, and ``write(*args)`` makes it
Later = tuple[Severity, Callable[..., Problem], tuple[Any, ...]]
#: a problem found, with its position: written already, or later
Found = tuple[Pos, Problem | Later]
#: a ``{{ }}`` placeholder to read against its scope: path, value, scene (-2: an ``iterate``
#: scene, -1: the movie's own elements), element index and position
Use = tuple[str, Any, int, int, Pos]
#: Sections of a position: movie properties, scenes, movie-level elements.
MOVIE, SCENES, OVERLAY = 0, 1, 2
BLANK = re.compile(r"^\s*$")


#: the severity of an undocumented key (``unknown-property``)
REMARK_SEVERITY = RULES["unknown-property"].severity
#: the types of value a record may keep as they are: nothing can change them before it is read
UNCHANGING = frozenset((str, int, float, bool, type(None)))


def remark(
    i: int, j: int, key: str, message: str, hint: str, value: Any, shown: str | None, kind: str
) -> Problem:
    """The ``unknown-property`` warning of an undocumented key of a laned scene element.

    Recorded as a :data:`Later` by the fast lanes: ``shown`` is the value's text
    when it was mutable (written at once), else None and ``value`` is written now.
    """
    path = f"scenes[{i}].elements[{j}].{key}"
    value_text = shown if shown is not None else short_json(value)
    return Problem(path, "unknown-property", message, REMARK_SEVERITY, hint, value_text, kind)


def written(problem: Problem | Later) -> Problem:
    """The problem itself: as found, or written now from what was recorded."""
    return problem if isinstance(problem, Problem) else problem[1](*problem[2])


def label(kind: str) -> str:
    """``"an image"``, ``"a video"``: a word with its article."""
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


class Findings:
    """The problems found so far, each with its position."""

    def __init__(self) -> None:
        self.found: list[Found] = []
        #: whether a value that is not JSON was found (the document then has no JSON size)
        self.not_json = False

    def add(
        self,
        pos: Pos,
        path: str,
        code: str,
        message: str,
        hint: str = "",
        value: str | None = None,
        element_type: str | None = None,
    ) -> None:
        """Record a problem; its severity is the rule's (:mod:`moviekit.service._rules`)."""
        severity = RULES[code].severity
        if code == "not-json":
            self.not_json = True
        self.found.append((pos, Problem(path, code, message, severity, hint, value, element_type)))

    def drop(self, path: str, code: str) -> None:
        """Forget the problems of one code at one path (a more specific rule explains it)."""
        self.found = [
            f
            for f in self.found
            if not (type(f[1]) is Problem and f[1].path == path and f[1].code == code)
        ]
