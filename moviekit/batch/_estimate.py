"""What a batch would cost: the one estimate (``Timeline.estimate``) of each row, summed.

Shown by ``batch.dry_run(estimate=True)`` and ``moviekit batch check``;
``Batch(max_credits=...)`` refuses a run, before anything is sent, when the
rows it would submit are estimated above the budget. A row that renders a
saved template is estimated from the template's movie (read once, free) with
the row's variables; without it (no client to read it with) the row is listed
as not estimated and the total is a lower bound.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from moviekit.batch._built import BuiltRow
from moviekit.timing._estimate import CreditEstimate
from moviekit.timing._timeline import Timeline
from moviekit.transport._budget import template_movie

__all__ = ["BatchEstimate", "estimate_rows"]


@dataclass(frozen=True)
class BatchEstimate:
    """The summed estimate of a batch's rows (a lower bound unless ``exact``)."""

    credits: int
    exact: bool
    rows: int
    """Rows estimated."""
    not_estimated: tuple[str, ...] = ()
    """Keys of rows whose cost is unknown offline (a saved template not read)."""
    uncertain: int = 0
    """Rows with a price in doubt (counted at the higher price)."""
    largest: tuple[str, CreditEstimate] | None = None
    """The costliest row: its key and estimate."""

    @property
    def text(self) -> str:
        """One line: ``at least 1,240 credits for 200 row(s); ...``."""
        bound = "" if self.exact else "at least "
        plural = "s" if self.credits != 1 else ""
        text = f"{bound}{self.credits:,} credit{plural} for {self.rows} row(s)"
        if self.largest is not None:
            key, most = self.largest
            text += f"; the costliest, row {key!r}: {most.text}"
        if self.uncertain:
            text += f"; {self.uncertain} row(s) with prices in doubt, counted high"
        if self.not_estimated:
            text += (
                f"; {len(self.not_estimated)} row(s) not estimated (a saved template's movie "
                "was not read)"
            )
        return text

    def __str__(self) -> str:
        return self.text

    def over(self, max_credits: float) -> bool:
        """True when the total (or its lower bound) is above ``max_credits``."""
        return self.credits > max_credits

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "credits": self.credits,
            "exact": self.exact,
            "rows": self.rows,
            "not_estimated": list(self.not_estimated),
            "uncertain_rows": self.uncertain,
            "text": self.text,
        }


def estimate_rows(
    built: Iterable[BuiltRow], saved: Mapping[str, Mapping[str, Any]] | None = None
) -> BatchEstimate:
    """The summed estimate of the good rows of ``built``.

    ``saved`` maps a saved template's id to its movie, for rows that render one.
    """
    total, exact, rows, uncertain = 0, True, 0, 0
    unknown: list[str] = []
    largest: tuple[str, CreditEstimate] | None = None
    for b in built:
        if not b.ok or b.payload is None:
            continue
        doc: Mapping[str, Any] = b.payload
        template = doc.get("template")
        if template is not None:
            movie = (saved or {}).get(str(template))
            if movie is None:
                unknown.append(b.row.key)
                exact = False
                continue
            doc = template_movie(movie, doc)
        found = Timeline.from_dict(doc).estimate()
        rows += 1
        total += found.credits
        exact = exact and found.exact
        uncertain += bool(found.uncertain)
        if largest is None or found.credits > largest[1].credits:
            largest = (b.row.key, found)
    return BatchEstimate(total, exact, rows, tuple(unknown), uncertain, largest)
