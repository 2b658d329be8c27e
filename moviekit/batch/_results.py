"""What a batch says back: the dry run's report, and where every row ended.

:class:`DryRun` holds every row built and validated (nothing sent);
:class:`BatchResult` one :class:`RowResult` per row after a run or from the
ledger (:meth:`Batch.report`). Both are plain data: they describe themselves
as text and write CSV / JSONL, and the command line draws them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moviekit._errors import BatchValidationError
from moviekit._problems import RowProblem, describe_row_problems
from moviekit.batch._built import BuiltRow
from moviekit.batch._files import write_results
from moviekit.batch._store import IN_FLIGHT

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.batch._estimate import BatchEstimate

__all__ = ["BatchResult", "DryRun", "RowResult", "STATUSES"]

#: Every status a :class:`RowResult` can have, in the order reports list them.
STATUSES = ("done", "failed", "rendering", "submitted", "submitting", "pending", "invalid")


@dataclass(frozen=True)
class DryRun:
    """Every row built and validated; nothing sent.

    ``problems`` holds every error of every row (row key, path, message, fix);
    ``warnings`` the distinct warnings (once per path and code, first row shown).
    """

    built: tuple[BuiltRow, ...]
    estimate: BatchEstimate | None = None
    """The good rows' summed credit estimate, when asked for (``dry_run(estimate=True)``)."""

    @property
    def hashes(self) -> dict[str, str]:
        """Each good row's payload hash, by row key."""
        return {b.row.key: b.payload_hash for b in self.built if b.ok and b.payload_hash}

    @property
    def ok(self) -> bool:
        """True when every row can be submitted."""
        return all(b.ok for b in self.built)

    @property
    def problems(self) -> list[RowProblem]:
        """Every error of every bad row, in input order."""
        return [p for b in self.built for p in b.problems]

    @property
    def warnings(self) -> list[RowProblem]:
        """Distinct warnings (a template's warning would otherwise repeat on every row)."""
        seen: set[tuple[str, str]] = set()
        out = []
        for b in self.built:
            for w in b.warnings:
                where = w.path.split(".", 1)[1] if "." in w.path else w.path
                if (where, w.code) not in seen:
                    seen.add((where, w.code))
                    out.append(w)
        return out

    @property
    def good(self) -> list[BuiltRow]:
        """The rows that passed."""
        return [b for b in self.built if b.ok]

    @property
    def bad_keys(self) -> list[str]:
        """Keys of the rows that did not pass."""
        return [b.row.key for b in self.built if not b.ok]

    def describe(self) -> str:
        """A report: counts, then every problem."""
        head = f"{len(self.built)} row(s) checked: {len(self.good)} ok, {len(self.bad_keys)} bad"
        if self.estimate is not None:
            head += f"\nestimate: {self.estimate.text}"
        if self.ok:
            return head
        return head + "\n" + describe_row_problems(self.problems, limit=len(self.problems))

    def raise_for_problems(self) -> DryRun:
        """Raise :class:`~moviekit.BatchValidationError` (with every problem) unless ok."""
        if not self.ok:
            raise BatchValidationError(self.problems)
        return self

    def payloads(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(row_key, payload)`` of every good row: the exact Movie JSON each would send."""
        for b in self.built:
            if b.ok and b.payload is not None:
                yield b.row.key, b.payload


@dataclass(frozen=True)
class RowResult:
    """Where one row ended.

    ``status``: ``done`` / ``failed`` / ``submitted`` / ``rendering`` /
    ``submitting`` (from the ledger), ``invalid`` (bad in the dry run) or
    ``pending`` (not started: the run stopped early). A ``done`` row whose
    video could not be saved carries the reason in ``error``.
    """

    row_key: str
    status: str
    project_id: str | None = None
    url: str | None = None
    error: str | None = None
    file: str | None = None
    changed: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data (the columns of the results file)."""
        return {
            "row_key": self.row_key,
            "status": self.status,
            "project_id": self.project_id,
            "url": self.url,
            "error": self.error,
            "file": self.file,
            "changed": self.changed,
        }


@dataclass(frozen=True)
class BatchResult:
    """The outcome of a run (or of :meth:`Batch.report`): one :class:`RowResult` per row.

    ``stopped`` says why submitting stopped early (e.g. out of credits), if it did.
    """

    rows: tuple[RowResult, ...]
    stopped: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        """Rows per status, in the order of :data:`STATUSES`."""
        out = dict.fromkeys(STATUSES, 0)
        for r in self.rows:
            out[r.status] = out.get(r.status, 0) + 1
        return {status: n for status, n in out.items() if n}

    @property
    def ok(self) -> bool:
        """True when every row is done (and, when asked, its video saved)."""
        return all(r.status == "done" and r.error is None for r in self.rows)

    @property
    def changed(self) -> list[str]:
        """Keys of rows whose payload differs from the one the ledger recorded."""
        return [r.row_key for r in self.rows if r.changed]

    @property
    def unfinished(self) -> list[str]:
        """Keys of rows a re-run would still work on (in flight, pending, or uncertain)."""
        return [r.row_key for r in self.rows if r.status in IN_FLIGHT or r.status == "pending"]

    @property
    def not_saved(self) -> list[str]:
        """Keys of done rows whose video could not be saved (a re-run with a folder retries)."""
        return [r.row_key for r in self.rows if r.status == "done" and r.error is not None]

    def __getitem__(self, row_key: str) -> RowResult:
        for r in self.rows:
            if r.row_key == row_key:
                return r
        raise KeyError(row_key)

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the results: ``.csv`` (row_key, status, project_id, url, error, file,
        changed), ``.jsonl`` or ``.json``. Written atomically."""
        return write_results(path, [r.to_dict() for r in self.rows])

    def describe(self) -> str:
        """One paragraph: counts, what changed, what a re-run would do."""
        parts = [", ".join(f"{n} {s}" for s, n in self.counts.items()) or "no rows"]
        if self.changed:
            parts.append(
                f"{len(self.changed)} row(s) changed since they were rendered (kept; pass "
                "rerender_changed=True / --rerender-changed to render them again)"
            )
        if self.stopped:
            parts.append(f"stopped early: {self.stopped}")
        if self.unfinished:
            parts.append(f"{len(self.unfinished)} row(s) unfinished: run again to resume")
        failed = self.counts.get("failed", 0)
        if failed:
            parts.append(f"{failed} failed: retry with retry_failed=True / --retry-failed")
        if self.not_saved:
            parts.append(
                f"{len(self.not_saved)} video(s) not saved: run again with the download "
                "folder to retry"
            )
        return "; ".join(parts)
