"""The credit estimate the ``estimate_credits`` tool reports and ``render`` checks a budget with.

Written over the public timeline: today the rendering credits of
``Timeline.credits`` (exact, or a lower bound while natural lengths are
unknown). AI-generated items, billed per item, are not counted yet; when the
service model prices them, :func:`estimate` is the one place to add them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moviekit import Timeline

__all__ = ["Estimate", "estimate"]

NOT_COUNTED = "AI-generated images and ElevenLabs voices (billed per item) are not counted"


@dataclass(frozen=True)
class Estimate:
    """What a render of a document would cost, as far as is known offline."""

    credits: int
    """Credits; a lower bound unless ``exact``."""
    exact: bool
    seconds: float
    """The movie's length (a lower bound unless the timeline is exact)."""
    per_second: int
    depends_on: tuple[str, ...]
    """What is unknown offline and could make the cost higher."""
    text: str
    """One line: ``at least 8 credits (≥ 8 s x 1/s)``."""
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data for a tool result."""
        return {
            "credits": self.credits,
            "exact": self.exact,
            "at_least": not self.exact,
            "seconds": self.seconds,
            "per_second": self.per_second,
            "depends_on": list(self.depends_on),
            "text": self.text,
            "notes": list(self.notes),
        }


def estimate(timeline: Timeline) -> Estimate:
    """The estimate for the movie of ``timeline`` (its document is ``timeline.document``)."""
    credits = timeline.credits
    notes = tuple(n for n in (credits.note, NOT_COUNTED) if n)
    return Estimate(
        credits=credits.amount,
        exact=credits.exact,
        seconds=credits.seconds,
        per_second=credits.per_second,
        depends_on=timeline.depends_on,
        text=str(credits),
        notes=notes,
    )
