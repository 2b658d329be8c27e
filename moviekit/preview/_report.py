"""The approximation report: everything the draft shows differently from the service.

Nothing is dropped silently: an element the preview cannot draw faithfully is
drawn as a labelled placeholder (or as static text, or as silence) and listed
here with its JSON path, so a draft never pretends to be the final render.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Approximation:
    """One thing the draft approximates."""

    path: str
    """Where: ``scenes[0].elements[2]``, ``scenes[1]`` or ``""`` for the movie."""
    kind: str
    """A stable code: ``placeholder``, ``static-text``, ``voice-silence``, ``unreachable``,
    ``font``, ``zoom-pan``, ``mask``, ``animated-image``, ``loop``, ``condition``, ``iterate``,
    ``timing``, ``transition``, ``variables``."""
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(movie)'}: {self.message} [{self.kind}]"


@dataclass
class Report:
    """What a preview render approximated, and warnings worth reading."""

    approximations: list[Approximation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, path: str, kind: str, message: str) -> None:
        """Record one approximation (the same path+kind+message only once)."""
        item = Approximation(path, kind, message)
        if item not in self.approximations:
            self.approximations.append(item)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    @property
    def faithful(self) -> bool:
        """True when nothing was approximated."""
        return not self.approximations

    def summary(self) -> str:
        """One line: ``3 approximations (2 static-text, 1 placeholder)``."""
        if not self.approximations:
            return "no approximations"
        counts = Counter(a.kind for a in self.approximations)
        parts = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
        n = len(self.approximations)
        return f"{n} approximation{'s' if n != 1 else ''} ({parts})"

    def __str__(self) -> str:
        lines = [f"preview: {self.summary()}"]
        lines.extend(f"  {a}" for a in self.approximations)
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)
