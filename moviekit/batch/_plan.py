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

The async runner (:mod:`moviekit.batch._arunner`) plans with this module; the
threaded runner holds the same rules in its ``plan`` step.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from moviekit.batch._events import BatchCounts
from moviekit.batch._results import BuiltRow, DryRun
from moviekit.batch._store import LedgerRow, LedgerStore

__all__ = ["Plan", "plan_run", "reconcile_since", "settle"]


@dataclass
class Plan:
    """The work of one run: rows to submit, projects to follow, videos to fetch."""

    queue: deque[tuple[BuiltRow, str | None]] = field(default_factory=deque)
    """Rows to submit, each with the submission key to reuse (an interrupted submit's)."""
    follow: dict[str, str] = field(default_factory=dict)
    """Row key -> project id of rows already on the service."""
    downloads: list[tuple[str, str, str]] = field(default_factory=list)
    """(row key, project id, url) of finished rows whose video is not saved yet."""
    interrupted: list[LedgerRow] = field(default_factory=list)
    """Rows left ``submitting``: look for their submission keys, then :func:`settle`."""


def plan_run(
    records: Sequence[LedgerRow],
    dry: DryRun,
    *,
    retry_failed: bool,
    rerender_changed: bool,
    download: bool,
) -> Plan:
    """The plan for the good rows of ``dry`` given the ledger's ``records``."""
    plan = Plan()
    by_key = {r.row_key: r for r in records}
    for b in dry.built:
        if not b.ok:
            continue
        rec = by_key.get(b.row.key)
        if rec is None:
            plan.queue.append((b, None))
            continue
        again = rec.payload_hash != b.payload_hash and rerender_changed
        if rec.status == "done":
            if again:
                plan.queue.append((b, None))
            elif download and not _saved(rec) and rec.url and rec.project_id:
                plan.downloads.append((rec.row_key, rec.project_id, rec.url))
        elif rec.status == "failed" and (retry_failed or again):
            plan.queue.append((b, None))
    for rec in records:
        # In-flight rows are followed even if the input dropped them: they cost credits.
        if rec.status == "submitting":
            plan.interrupted.append(rec)
        elif rec.status in ("submitted", "rendering") and rec.project_id:
            plan.follow[rec.row_key] = rec.project_id
    return plan


def reconcile_since(interrupted: Sequence[LedgerRow]) -> datetime:
    """Where the movie list must be searched from for these interrupted submits."""
    return min(_parse_time(r.updated_at) for r in interrupted) - timedelta(hours=1)


def settle(plan: Plan, dry: DryRun, found: Mapping[str, str], ledger: LedgerStore) -> None:
    """Apply what the movie list said about the interrupted submits (``found``: key -> project)."""
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
            plan.queue.appendleft((built[rec.row_key], rec.submission_key))
        else:
            ledger.forget_intent(rec.row_key)  # dropped from the input, never created
    plan.interrupted = []


def starting_counts(plan: Plan, records: Sequence[LedgerRow], dry: DryRun) -> BatchCounts:
    """The run's counts before anything is sent: rows followed, done and failed earlier."""
    built = {b.row.key for b in dry.built if b.ok}
    queued = {b.row.key for b, _ in plan.queue}
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
