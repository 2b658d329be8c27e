"""Batch rendering: a dry run over every row, then resumable, bounded, ledgered renders.

::

    batch = Batch(template, "listings.csv", key="sku", ledger="renders.db", client=client)
    batch.dry_run().raise_for_problems()   # every bad row at once; nothing sent
    result = batch.run(download_to="videos/")
    result.write("results.csv")

How a run goes (and why):

1. **Dry run.** Every row is checked against the template's variables, built
   and validated. Unless every row passes (or ``skip_bad_rows=True``), nothing
   is submitted: a bad row 9,000 should not be found after 8,999 credits.
2. **Plan against the ledger.** ``done`` rows are skipped, ``submitted`` ones
   are polled (never resubmitted), ``failed`` ones are retried only with
   ``retry_failed=True``, rows whose payload hash changed are flagged (and
   re-rendered only with ``rerender_changed=True``).
3. **Reconcile.** Rows left ``submitting`` by a killed run (the POST may or may
   not have arrived) are looked up by their submission key in one pass over
   the movie list; found ones are polled, absent ones are posted again with
   the same key.
4. **Render.** One scheduler thread keeps at most ``concurrency`` rows on the
   service, records each intent in the ledger *before* its POST, and polls
   every job on the transport's schedule (5, 8, 11, 17, 25, then 30 s; at most
   ``max_failed_checks`` failed checks in a row; any other 4xx ends the job).
   HTTP calls run on a small worker pool so one slow answer does not delay the
   others, but there is one poller, not a thread per job.
5. **Results** go to the ledger as they happen; :class:`BatchResult` writes
   CSV / JSONL and, with ``download_to``, every finished video is saved
   (through a temporary file renamed into place).

A crash or Ctrl-C at any point loses nothing and duplicates nothing: re-run
the same command to resume.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from moviekit._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    AuthenticationError,
    MalformedResponseError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
    SubmitUncertainError,
    path_from_message,
)
from moviekit.batch._errors import BatchError, BatchValidationError, RowProblem, describe_problems
from moviekit.batch._ledger import IN_FLIGHT, Ledger, LedgerRow, write_results
from moviekit.batch._rows import Row, read_rows
from moviekit.batch._template import BuiltRow, MovieTemplate
from moviekit.transport._client import SUBMISSION_KEY_FIELD, Client, Job
from moviekit.transport._models import MovieStatus
from moviekit.transport._polling import PollPolicy

__all__ = ["Batch", "BatchResult", "DryRun", "RowResult", "payload_hash"]

#: Called with ``(step, row_key)`` at each durable step; tests use it to simulate a kill.
StepHook = Callable[[str, str], None]
#: The steps a :data:`StepHook` sees, in the order a row goes through them.
STEPS = ("before-post", "after-post", "polling", "downloading")

# Errors that mean "this account cannot submit now": every next row would fail the same way.
_ACCOUNT_ERRORS = (AuthenticationError, QuotaExceededError, PermissionDeniedError)
# Failed status checks that are tolerated (a few in a row), as in Job.wait.
_TRANSIENT = (APIConnectionError, MalformedResponseError, ServerError, RateLimitError)
_DOWNLOAD_WORKERS = 4
logger = logging.getLogger("moviekit")


# One encoder for every row: json.dumps(**options) would build a new one per call.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def payload_hash(payload: Mapping[str, Any]) -> str:
    """SHA-256 of the payload's canonical JSON: equal documents, equal hashes, across runs."""
    return hashlib.sha256(_CANONICAL.encode(payload).encode("ascii")).hexdigest()


def safe_file_name(row_key: str) -> str:
    """A file name for a row's video: the key, made safe, plus a hash if it had to change."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", row_key).strip(".") or "row"
    if safe != row_key:
        safe += "-" + hashlib.sha256(row_key.encode()).hexdigest()[:8]
    return safe[:120] + ".mp4"


# ----------------------------------------------------------------- dry run


@dataclass(frozen=True)
class DryRun:
    """Every row built and validated; nothing sent.

    ``problems`` holds every error of every row (row key, path, message, fix);
    ``warnings`` the distinct warnings (once per path and code, first row shown).
    """

    built: tuple[BuiltRow, ...]

    @cached_property
    def hashes(self) -> Mapping[str, str]:
        """Each good row's payload hash (what the ledger compares to flag changed rows).

        Computed on first use: a dry run alone only builds and validates.
        """
        return {b.row.key: payload_hash(b.payload) for b in self.built if b.ok and b.payload}

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
        if self.ok:
            return head
        return head + "\n" + describe_problems(self.problems, limit=len(self.problems))

    def raise_for_problems(self) -> DryRun:
        """Raise :class:`~moviekit.BatchValidationError` (with every problem) unless ok."""
        if not self.ok:
            raise BatchValidationError(self.problems)
        return self

    def payloads(self) -> Iterable[tuple[str, dict[str, Any]]]:
        """``(row_key, payload)`` of every good row: the exact Movie JSON each would send."""
        for b in self.built:
            if b.ok and b.payload is not None:
                yield b.row.key, b.payload


# ----------------------------------------------------------------- results


@dataclass(frozen=True)
class RowResult:
    """Where one row ended: ``done`` / ``failed`` / ``submitted`` / ``rendering`` /
    ``submitting`` (from the ledger), ``invalid`` (bad in the dry run) or ``pending``
    (not started: the run stopped early)."""

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
        """Rows per status."""
        out: dict[str, int] = {}
        for r in self.rows:
            out[r.status] = out.get(r.status, 0) + 1
        return out

    @property
    def ok(self) -> bool:
        """True when every row is done."""
        return all(r.status == "done" for r in self.rows)

    @property
    def changed(self) -> list[str]:
        """Keys of rows whose payload differs from the one the ledger recorded."""
        return [r.row_key for r in self.rows if r.changed]

    @property
    def unfinished(self) -> list[str]:
        """Keys of rows a re-run would still work on (in flight, pending, or uncertain)."""
        return [r.row_key for r in self.rows if r.status in IN_FLIGHT or r.status == "pending"]

    def __getitem__(self, row_key: str) -> RowResult:
        for r in self.rows:
            if r.row_key == row_key:
                return r
        raise KeyError(row_key)

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the results: ``.csv`` (row_key, status, project_id, url, error, file,
        changed), ``.jsonl`` or ``.json``. Written atomically."""
        return write_results(path, [r.to_dict() for r in self.rows])

    def table(self) -> Table:
        """A Rich table of the counts (what the run prints at the end)."""
        table = Table(title="batch summary", show_header=True)
        table.add_column("status")
        table.add_column("rows", justify="right")
        for status in (
            "done",
            "failed",
            "rendering",
            "submitted",
            "submitting",
            "pending",
            "invalid",
        ):
            n = self.counts.get(status, 0)
            if n:
                table.add_row(status, str(n))
        if self.changed:
            table.add_row("changed (flagged)", str(len(self.changed)))
        return table

    def describe(self) -> str:
        """One paragraph: counts, what changed, what a re-run would do."""
        parts = [", ".join(f"{n} {s}" for s, n in sorted(self.counts.items()))]
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
        return "; ".join(parts)


# ----------------------------------------------------------------- the runner


@dataclass
class _Job:
    """A project being polled by the one poller."""

    key: str
    project_id: str
    started: float
    next_check: float
    checks: int = 0
    failures: int = 0
    busy: bool = False
    running_seen: bool = False


class _Display:
    """The progress bar: submitted / rendering / done / failed, on a Rich console."""

    def __init__(self, console: Console | None, total: int, enabled: bool) -> None:
        self.counts = {"submitted": 0, "rendering": 0, "done": 0, "failed": 0}
        self._progress: Progress | None = None
        if enabled and console is not None:
            self._progress = Progress(
                TextColumn("[bold]batch[/]"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            )
            self._task = self._progress.add_task(self._text(), total=total)

    def _text(self) -> str:
        c = self.counts
        return (
            f"submitted {c['submitted']} · rendering {c['rendering']} · "
            f"done {c['done']} · failed {c['failed']}"
        )

    def __enter__(self) -> _Display:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._update()
            self._progress.stop()

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] += n
        self._update()

    def _update(self) -> None:
        if self._progress is not None:
            self._progress.update(
                self._task,
                description=self._text(),
                completed=self.counts["done"] + self.counts["failed"],
            )


class Batch:
    """One template, many rows, rendered once each, resumable through a ledger.

    Args:
        template: a :class:`~moviekit.MovieTemplate`, or anything it accepts
            (a function ``row -> Movie``, a placeholder Movie, a template id).
        rows: a CSV / JSON / JSONL path, an iterable of dicts, a DataFrame, or
            :class:`~moviekit.Row` objects from :func:`~moviekit.read_rows`.
        key: the column that identifies a row across runs (else its position).
        ledger: the SQLite ledger path (or an open :class:`~moviekit.Ledger`).
        client: the :class:`~moviekit.Client` to render with (only ``run``
            needs one).
        concurrency: at most this many rows on the service at once.
        poll_policy: defaults to the client's (5 s floor, backing off to 30 s).
        console: where the progress bar and summary go (default: stderr);
            ``progress=False`` turns both off.
        step_hook: called with ``(step, row_key)`` at each step of
            :data:`STEPS`; a test seam to simulate a kill at an exact point.
        clock / sleep: default to the client's (inject a ``FakeClock``).
    """

    def __init__(
        self,
        template: Any,
        rows: Any,
        *,
        key: str | None = None,
        ledger: str | os.PathLike[str] | Ledger | None = None,
        client: Client | None = None,
        concurrency: int = 8,
        poll_policy: PollPolicy | None = None,
        console: Console | None = None,
        progress: bool = True,
        step_hook: StepHook | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        if concurrency < 1:
            raise BatchError(f"concurrency must be >= 1, got {concurrency}")
        self.template = template if isinstance(template, MovieTemplate) else MovieTemplate(template)
        if isinstance(rows, (list, tuple)) and rows and all(isinstance(r, Row) for r in rows):
            self.rows: list[Row] = list(rows)
        else:
            self.rows = read_rows(rows, key=key)
        self._ledger_arg = ledger
        self.client = client
        self.concurrency = concurrency
        self.poll_policy = poll_policy
        self.console = console
        self.progress = progress
        self.step_hook = step_hook
        self._clock = clock
        self._sleep = sleep
        self._dry: DryRun | None = None

    def __repr__(self) -> str:
        return (
            f"Batch(rows={len(self.rows)}, template={self.template!r}, "
            f"concurrency={self.concurrency})"
        )

    # ------------------------------------------------------------ dry run
    def dry_run(self) -> DryRun:
        """Build and validate every row; report every problem. Sends nothing."""
        self._dry = DryRun(tuple(self.template.build(row) for row in self.rows))
        return self._dry

    # ------------------------------------------------------------ ledger
    def _open_ledger(self) -> tuple[Ledger, bool]:
        arg = self._ledger_arg
        if isinstance(arg, Ledger):
            return arg, False
        if arg is None:
            raise BatchError(
                "a batch run needs a ledger: Batch(..., ledger='renders.db') (it is what makes "
                "the run resumable and free of duplicates)"
            )
        return Ledger(arg), True

    def report(self) -> BatchResult:
        """The state of every row from the ledger and a dry run; no request is sent."""
        dry = self._dry or self.dry_run()
        ledger, owned = self._open_ledger()
        try:
            return self._result(dry, ledger, stopped=None)
        finally:
            if owned:
                ledger.close()

    def _result(self, dry: DryRun, ledger: Ledger, stopped: str | None) -> BatchResult:
        records = {r.row_key: r for r in ledger.rows()}
        out: list[RowResult] = []
        for b in dry.built:
            key = b.row.key
            rec = records.pop(key, None)
            changed = bool(rec and key in dry.hashes and rec.payload_hash != dry.hashes[key])
            if rec is not None:
                out.append(_from_record(rec, changed))
            elif not b.ok:
                first = b.problems[0] if b.problems else None
                out.append(
                    RowResult(
                        key,
                        "invalid",
                        error=f"{first.path}: {first.message}" if first else "invalid row",
                    )
                )
            else:
                out.append(RowResult(key, "pending"))
        # Rows the ledger knows but the input no longer has still count (they cost credits).
        out.extend(_from_record(rec, False) for rec in records.values())
        return BatchResult(tuple(out), stopped)

    # ------------------------------------------------------------ run
    def run(
        self,
        *,
        skip_bad_rows: bool = False,
        retry_failed: bool = False,
        rerender_changed: bool = False,
        download_to: str | os.PathLike[str] | None = None,
    ) -> BatchResult:
        """Dry-run, then render every row not done yet; resume whatever a previous run left.

        Args:
            skip_bad_rows: render the good rows even when some are bad (the bad
                ones are reported as ``invalid``). Otherwise a bad row stops the
                run before anything is sent (:class:`~moviekit.BatchValidationError`).
            retry_failed: submit rows whose render failed in an earlier run again.
            rerender_changed: submit rows again whose payload changed since they
                were rendered (they are flagged either way).
            download_to: a directory to save every finished video in
                (``<row key>.mp4``).
        """
        if self.client is None:
            raise BatchError("Batch.run() needs a client: Batch(..., client=Client(...))")
        dry = self.dry_run()
        if not dry.ok and not skip_bad_rows:
            raise BatchValidationError(dry.problems)
        ledger, owned = self._open_ledger()
        try:
            ledger.acquire()
            runner = _Runner(self, ledger, dry, download_to)
            stopped = runner.run(retry_failed=retry_failed, rerender_changed=rerender_changed)
            result = self._result(dry, ledger, stopped)
        finally:
            if owned:
                ledger.close()
            else:
                ledger.release()
        if self.progress:
            console = self.console or Console(stderr=True)
            console.print(result.table())
            console.print(result.describe(), markup=False, highlight=False)
        return result


def _from_record(rec: LedgerRow, changed: bool) -> RowResult:
    return RowResult(rec.row_key, rec.status, rec.project_id, rec.url, rec.error, rec.file, changed)


class _Runner:
    """One run: plan, reconcile, then the scheduler loop (the one poller)."""

    def __init__(
        self, batch: Batch, ledger: Ledger, dry: DryRun, download_to: str | os.PathLike[str] | None
    ) -> None:
        assert batch.client is not None
        self.batch = batch
        self.client: Client = batch.client
        # One pooled connection per worker (submits, polls and downloads overlap).
        self.client.ensure_connections(batch.concurrency + 8)
        self.ledger = ledger
        self.dry = dry
        self.policy = batch.poll_policy or self.client.poll_policy
        self.clock = batch._clock or self.client._clock
        self.sleep = batch._sleep or self.client._sleep
        self.hook = batch.step_hook
        self.download_dir = Path(download_to) if download_to is not None else None
        self.built = {b.row.key: b for b in dry.built if b.ok}
        self.stopped: str | None = None
        self.queue: deque[tuple[BuiltRow, str | None]] = deque()  # (row, reused submission key)
        self.jobs: dict[str, _Job] = {}
        self.downloads: list[tuple[str, str, str]] = []  # (row key, project, url)
        self.futures: dict[Future[Any], tuple[str, str]] = {}
        self.submitting = 0
        self.download_errors: dict[str, str] = {}

    def _step(self, step: str, key: str) -> None:
        if self.hook is not None:
            self.hook(step, key)

    # ------------------------------------------------------------ plan
    def plan(self, retry_failed: bool, rerender_changed: bool) -> list[LedgerRow]:
        """Fill the queue and the poll list from the ledger; return the rows to reconcile."""
        records = {r.row_key: r for r in self.ledger.rows()}
        now = self.clock()
        to_reconcile: list[LedgerRow] = []
        for key, b in self.built.items():
            rec = records.get(key)
            digest = self.dry.hashes[key]
            if rec is None:
                self.queue.append((b, None))
                continue
            changed = rec.payload_hash != digest
            if rec.status == "done":
                if changed and rerender_changed:
                    self.queue.append((b, None))
                elif (
                    self.download_dir is not None and not _saved(rec) and rec.url and rec.project_id
                ):
                    self.downloads.append((key, rec.project_id, rec.url))
            elif rec.status == "failed" and (retry_failed or (changed and rerender_changed)):
                self.queue.append((b, None))
        for rec in records.values():
            # In-flight rows are followed even if the input dropped them: they cost credits.
            if rec.status == "submitting":
                to_reconcile.append(rec)
            elif rec.status in ("submitted", "rendering") and rec.project_id:
                self.jobs[rec.row_key] = _Job(rec.row_key, rec.project_id, now, now)
        return to_reconcile

    def reconcile(self, recs: Sequence[LedgerRow]) -> None:
        """Settle interrupted submits: one pass over the movie list, matched by key."""
        if not recs:
            return
        oldest = min(_parse_time(r.updated_at) for r in recs) - timedelta(hours=1)
        wanted = {r.submission_key: r for r in recs if r.submission_key}
        found: dict[str, str] = {}
        try:
            for movie in self.client.list_movies(since=oldest):
                data = movie.client_data or {}
                key = data.get(SUBMISSION_KEY_FIELD)
                if key in wanted:
                    found[key] = movie.project
        except APIError as exc:
            raise BatchError(
                f"{len(recs)} row(s) were interrupted while submitting and the movie list "
                f"cannot be read to check whether they were created ({exc.message}); nothing "
                "was resubmitted. Run again when the service is reachable."
            ) from exc
        now = self.clock()
        for skey, rec in wanted.items():
            project = found.get(skey)
            if project is not None:
                self.ledger.record_submitted(rec.row_key, project)
                self.jobs[rec.row_key] = _Job(rec.row_key, project, now, now)
            elif rec.row_key in self.built:
                # Proven absent: post again, under the same key (a late duplicate would show).
                self.queue.appendleft((self.built[rec.row_key], skey))
            else:
                self.ledger.forget_intent(rec.row_key)  # dropped from the input, never created

    # ------------------------------------------------------------ workers (HTTP only)
    def _post(self, key: str, payload: dict[str, Any], submission_key: str) -> Job:
        self._step("before-post", key)
        from moviekit.transport._client import Submission

        submission = Submission(payload=payload, key=submission_key)
        submission.payload = self.client.media.upload_local_sources(submission.payload)
        return self.client.submit_prepared(submission)

    def _check(self, project_id: str) -> MovieStatus:
        return self.client.get(project_id, retries=False)

    def _download(self, key: str, project_id: str, url: str) -> Path:
        assert self.download_dir is not None
        name = safe_file_name(key)
        for stale in self.download_dir.glob(f".{name}.*.part"):  # left by a killed run
            stale.unlink(missing_ok=True)
        first = [True]

        def progress(done: int, total: int | None) -> None:
            if first[0]:
                first[0] = False
                self._step("downloading", key)

        return self.client.download(
            url, self.download_dir / name, on_progress=progress, project_id=project_id
        )

    # ------------------------------------------------------------ the loop
    def run(self, *, retry_failed: bool, rerender_changed: bool) -> str | None:
        to_reconcile = self.plan(retry_failed, rerender_changed)
        self.reconcile(to_reconcile)
        total = len(self.dry.built)
        console = (self.batch.console or Console(stderr=True)) if self.batch.progress else None
        display = _Display(console, total, self.batch.progress)
        queued = {b.row.key for b, _ in self.queue}
        display.counts["done"] = sum(
            1
            for r in self.ledger.rows()
            if r.status == "done" and r.row_key in self.built and r.row_key not in queued
        )
        display.counts["rendering"] = len(self.jobs)
        pool = ThreadPoolExecutor(
            max_workers=self.batch.concurrency + _DOWNLOAD_WORKERS,
            thread_name_prefix="moviekit-batch",
        )
        try:
            with display:
                self.display = display
                for item in self.downloads:
                    self._start_download(pool, *item)
                self._loop(pool)
        except BaseException:
            # A crash or Ctrl-C: stop at once. Whatever was in flight is in the ledger as
            # an intent or a project id, and the next run resumes it.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return self.stopped

    def _active(self) -> int:
        return self.submitting + len(self.jobs)

    def _loop(self, pool: ThreadPoolExecutor) -> None:
        while self.queue and not self.stopped or self.jobs or self.futures:
            while self.queue and not self.stopped and self._active() < self.batch.concurrency:
                self._start_submit(pool)
            now = self.clock()
            for job in self.jobs.values():
                if not job.busy and job.next_check <= now:
                    job.busy = True
                    self.futures[pool.submit(self._check, job.project_id)] = ("status", job.key)
            idle = [j.next_check for j in self.jobs.values() if not j.busy]
            next_due = min(idle) if idle else None
            if self.futures:
                timeout = None if next_due is None else max(0.0, next_due - self.clock())
                finished, _ = wait(list(self.futures), timeout=timeout, return_when=FIRST_COMPLETED)
                for future in finished:
                    kind, key = self.futures.pop(future)
                    self._handle(pool, kind, key, future)
            elif next_due is not None:
                self.sleep(max(0.0, next_due - self.clock()))

    def _start_submit(self, pool: ThreadPoolExecutor) -> None:
        built, reuse = self.queue.popleft()
        assert built.payload is not None
        prepared = self.client.prepare(built.payload, validate=False, submission_key=reuse)
        key = built.row.key
        # The intent goes to disk before the POST can leave: a kill from here on is resumable.
        self.ledger.record_intent(key, built.row.index, self.dry.hashes[key], prepared.key)
        self.submitting += 1
        future = pool.submit(self._post, key, prepared.payload, prepared.key)
        self.futures[future] = ("submit", key)

    def _start_download(self, pool: ThreadPoolExecutor, key: str, project: str, url: str) -> None:
        self.futures[pool.submit(self._download, key, project, url)] = ("download", key)

    def _handle(self, pool: ThreadPoolExecutor, kind: str, key: str, future: Future[Any]) -> None:
        if kind == "submit":
            self.submitting -= 1
            self._submitted(key, future)
        elif kind == "status":
            self._checked(pool, key, future)
        else:
            try:
                path: Path = future.result()
            except (APIError, OSError) as exc:
                # The render is done and stays done; the next run with download_to retries.
                logger.warning("download of row %r failed: %s", key, exc)
                self.download_errors[key] = str(exc)
                return
            self.ledger.record_file(key, str(path))

    def _submitted(self, key: str, future: Future[Any]) -> None:
        try:
            job: Job = future.result()
        except SubmitUncertainError:
            # Not known whether a project exists: the intent stays, the next run reconciles.
            return
        except _ACCOUNT_ERRORS as exc:
            # The service refused before creating anything; every next row would fail too.
            self.ledger.forget_intent(key)
            self.stopped = f"{type(exc).__name__}: {exc.message}"
            return
        except APIStatusError as exc:
            self.ledger.record_failed(key, f"submit refused: {exc.message}")
            self.display.add("failed")
            return
        self._step("after-post", key)
        self.ledger.record_submitted(key, job.project_id)
        now = self.clock()
        # First check at once, then the schedule: the same cadence as Job.wait.
        self.jobs[key] = _Job(key, job.project_id, now, now)
        self.display.add("submitted")
        self.display.add("rendering")

    def _checked(self, pool: ThreadPoolExecutor, key: str, future: Future[Any]) -> None:
        job = self.jobs[key]
        job.busy = False
        retry_after: float | None = None
        try:
            status: MovieStatus = future.result()
        except _TRANSIENT as exc:
            job.failures += 1
            if job.failures > self.policy.max_failed_checks:
                self._give_up(job)  # the job may still render: the ledger keeps it for resume
                return
            if isinstance(exc, RateLimitError):
                retry_after = exc.retry_after
        except APIStatusError as exc:
            # Any other 4xx ends the job at once (e.g. the project no longer exists).
            self._finish(job, failed=f"status check refused: {exc.message}")
            return
        else:
            job.failures = 0
            self._step("polling", key)
            if status.status == "done":
                self.ledger.record_done(key, status.url)
                self._finish(job)
                if self.download_dir is not None and status.url:
                    self._start_download(pool, key, job.project_id, status.url)
                return
            if status.is_terminal:
                message = status.message or f"the render ended with status {status.status!r}"
                where = path_from_message(message)
                self._finish(job, failed=f"{where}: {message}" if where else message)
                return
            if status.status == "running" and not job.running_seen:
                job.running_seen = True
                self.ledger.record_rendering(key)
        delay = self.policy.delay(job.checks)
        job.checks += 1
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.client.retry_policy.retry_after_cap))
        now = self.clock()
        if now - job.started + delay > self.policy.deadline:
            self._give_up(job)
            return
        job.next_check = now + delay

    def _finish(self, job: _Job, failed: str | None = None) -> None:
        del self.jobs[job.key]
        self.display.counts["rendering"] -= 1
        if failed is not None:
            self.ledger.record_failed(job.key, failed)
            self.display.add("failed")
        else:
            self.display.add("done")

    def _give_up(self, job: _Job) -> None:
        """Stop polling ``job`` in this run; the ledger keeps it in flight for the next one."""
        del self.jobs[job.key]
        self.display.add("rendering", -1)


def _saved(rec: LedgerRow) -> bool:
    return bool(rec.file) and Path(rec.file or "").is_file()


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
