"""What a validation walk found: problems with their places in the document.

Every problem is recorded with a position, ``(section, scene, element, key)``,
so the report can list problems in document order however they were found:
movie properties first, then each scene (its own properties, then its
elements), then the movie-level elements. Severity comes from the service
model's rules, never from the code that finds the problem.
"""

from __future__ import annotations

import re

from moviekit._problems import Problem
from moviekit.service._rules import RULES

__all__ = ["BLANK", "MOVIE", "OVERLAY", "SCENES", "Findings", "Pos", "label"]

Pos = tuple[int, int, int, int]
#: Sections of a position: movie properties, scenes, movie-level elements.
MOVIE, SCENES, OVERLAY = 0, 1, 2
BLANK = re.compile(r"^\s*$")


def label(kind: str) -> str:
    """``"an image"``, ``"a video"``: a word with its article."""
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


class Findings:
    """The problems found so far, each with its position."""

    def __init__(self) -> None:
        self.found: list[tuple[Pos, Problem]] = []

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
        self.found.append((pos, Problem(path, code, message, severity, hint, value, element_type)))

    def drop(self, path: str, code: str) -> None:
        """Forget the problems of one code at one path (a more specific rule explains it)."""
        self.found = [f for f in self.found if not (f[1].path == path and f[1].code == code)]
