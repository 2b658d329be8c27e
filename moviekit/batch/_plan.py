"""What a run must do, from the ledger and the dry run: the resume rules, without I/O.

A run starts by reading the ledger against the rows it was given:

- a row the ledger does not know is **queued**;
- ``done``: skipped, queued again only when its payload changed and
  ``rerender_changed``; downloaded when asked and its file is missing;
- ``failed``: queued again with ``retry_failed`` (or changed + ``rerender_changed``);
- ``submitted`` / ``rendering``: **followed** (polled), never resubmitted;
- ``submitting`` (killed around the POST): **interrupted**; :func:`settle` decides
  once the movie list was searched for their submission keys: found ones are
  followed, absent ones queued first under the same key, dropped ones forgotten.

Both runners (:mod:`moviekit.batch._runner` on threads, :mod:`moviekit.batch._arunner`
on an event loop) plan with this module, and the threaded one settles the rows it
takes over from a dead run of a shared ledger with it too (:meth:`Plan.take`).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol

from moviekit._errors import APIError, BatchError
from moviekit.batch._built import BuiltRow
from moviekit.batch._events import BatchCounts
from moviekit.batch._results import DryRun
from moviekit.batch._store import LedgerRow, LedgerStore

__all__ = [
    "Plan",
    "Queued",
    "ResumeRules",
    "plan_for",
    "plan_run",
    "reconcile_since",
    "settle",
    "starting_counts",
    "unreadable_movie_list",
]

#: A row to submit: the built row, the submission key to reuse (an interrupted
#: submit's, proven absent) and the attempts the ledger had recorded for it (0: a
#: new row; a shared ledger records an intent only while the count is still so).
Queued = tuple[BuiltRow, str | None, int]


@dataclass
class Plan:
    """The work of one run: rows to submit, projects to follow, videos to fetch."""

    queue: deque[Queued] = field(default_factory=deque)
    """Rows to submit, with the submission key to reuse and the attempts seen."""
    follow: dict[str, str] = field(default_factory=dict)
    """Row key -> project id of rows already on the service."""
    downloads: list[tuple[str, str, str]] = field(default_factory=list)
    """(row key, project id, url) of finished rows whose video is not saved yet."""
    interrupted: list[LedgerRow] = field(default_factory=list)
    """Rows left ``submitting``: look for their submission keys, then :func:`settle`."""

    def take(self, in_flight: Sequence[LedgerRow]) -> None:
        """Resume rows in flight handed to this run: follow submitted ones, hold interrupted ones.

        Rows in other states are ignored. In-flight rows are resumed even if the
        input dropped them: they cost credits.
        """
        for rec in in_flight:
            if rec.status == "submitting":
                self.interrupted.append(rec)
            elif rec.status in ("submitted", "rendering") and rec.project_id:
                self.follow[rec.row_key] = rec.project_id

    @property
    def wanted(self) -> set[str]:
        """The submission keys of the interrupted rows, to look for in the movie list."""
        return {r.submission_key for r in self.interrupted if r.submission_key}


def plan_run(
    records: Sequence[LedgerRow],
    dry: DryRun,
    *,
    retry_failed: bool,
    rerender_changed: bool,
    download: bool,
    in_flight: Sequence[LedgerRow] | None = None,
) -> Plan:
    """The plan for the good rows of ``dry`` given the ledger's ``records``.

    ``in_flight``: the rows in flight this run resumes (what the ledger's
    ``take_over`` handed it); by default every in-flight row of ``records``.
    """
    plan = Plan()
    by_key = {r.row_key: r for r in records}
    for b in dry.built:
        if not b.ok:
            continue
        rec = by_key.get(b.row.key)
        if rec is None:
            plan.queue.append((b, None, 0))
            continue
        again = rec.payload_hash != b.payload_hash and rerender_changed
        if rec.status == "done":
            if again:
                plan.queue.append((b, None, rec.attempts))
            elif download and not _saved(rec) and rec.url and rec.project_id:
                plan.downloads.append((rec.row_key, rec.project_id, rec.url))
        elif rec.status == "failed" and (retry_failed or again):
            plan.queue.append((b, None, rec.attempts))
    plan.take(records if in_flight is None else in_flight)
    return plan


class ResumeRules(Protocol):
    """What a run's settings say about resuming (both runners' settings have these)."""

    @property
    def retry_failed(self) -> bool: ...

    @property
    def rerender_changed(self) -> bool: ...

    @property
    def download_to(self) -> Path | None: ...


def plan_for(
    rules: ResumeRules, records: Sequence[LedgerRow], dry: DryRun, in_flight: Sequence[LedgerRow]
) -> Plan:
    """:func:`plan_run` with a run's settings, resuming the rows in flight the ledger handed it."""
    return plan_run(
        records,
        dry,
        retry_failed=rules.retry_failed,
        rerender_changed=rules.rerender_changed,
        download=rules.download_to is not None,
        in_flight=in_flight,
    )


def reconcile_since(interrupted: Sequence[LedgerRow]) -> datetime:
    """Where the movie list must be searched from for these interrupted submits."""
    return min(_parse_time(r.updated_at) for r in interrupted) - timedelta(hours=1)


def unreadable_movie_list(plan: Plan, exc: APIError) -> BatchError:
    """The error when the movie list cannot be read to settle ``plan``'s interrupted submits."""
    return BatchError(
        f"{len(plan.interrupted)} row(s) were interrupted while submitting and the movie "
        f"list cannot be read to check whether they were created ({exc.message}); "
        "nothing was resubmitted. Run again when the service is reachable."
    )


def settle(plan: Plan, dry: DryRun, found: Mapping[str, str], ledger: LedgerStore) -> None:
    """Apply what the movie list said about the interrupted submits (``found``: key -> project).

    Found ones are recorded submitted and followed; absent ones go first in the
    queue under the same key; ones the input dropped are forgotten.
    """
    built = {b.row.key: b for b in dry.built if b.ok}
    for rec in plan.interrupted:
        if not rec.submission_key:
            continue
        project = found.get(rec.submission_key)
        if project is not None:
            ledger.record_submitted(rec.row_key, project)
            plan.follow[rec.row_key] = project
        elif rec.row_key in built:
            # Proven absent: post again, under the same key (a late duplicate would show).
            plan.queue.appendleft((built[rec.row_key], rec.submission_key, rec.attempts))
        else:
            ledger.forget_intent(rec.row_key)  # dropped from the input, never created
    plan.interrupted = []


def starting_counts(plan: Plan, records: Sequence[LedgerRow], dry: DryRun) -> BatchCounts:
    """The run's counts before anything is sent: rows followed, done and failed earlier."""
    built = {b.row.key for b in dry.built if b.ok}
    queued = {b.row.key for b, _, _ in plan.queue}
    ended = [r for r in records if r.row_key in built and r.row_key not in queued]
    return BatchCounts(
        total=len(dry.built),
        rendering=len(plan.follow),
        done=sum(r.status == "done" for r in ended),
        failed=sum(r.status == "failed" for r in ended),
    )


def _saved(rec: LedgerRow) -> bool:
    return bool(rec.file) and os.path.isfile(rec.file or "")


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
