"""Batch rendering: a dry run over every row, then resumable, bounded, ledgered renders.

::

    batch = Batch(template, "listings.csv", key="sku", ledger="renders.db", client=client)
    batch.dry_run().raise_for_problems()   # every bad row at once; nothing sent
    result = batch.run(download_to="videos/", on_event=print)
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
4. **Render** (``_runner``): at most ``concurrency`` rows on the service, each
   intent in the ledger *before* its POST, one poller on the transport's
   schedule; progress leaves as typed events (``_events``) through
   ``on_event``. The library draws nothing.
5. **Results** go to the ledger as they happen; :class:`BatchResult` writes
   CSV / JSONL and, with ``download_to``, every finished video is saved
   (through a temporary file renamed into place).

A crash or Ctrl-C at any point loses nothing and duplicates nothing: re-run
the same command to resume.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from moviekit._errors import BatchError, BatchValidationError, BudgetExceededError
from moviekit.batch._estimate import estimate_rows
from moviekit.batch._events import BatchEventHandler
from moviekit.batch._ledger import Ledger
from moviekit.batch._plan import plan_run
from moviekit.batch._postgres import PostgresLedger, is_database_url
from moviekit.batch._results import BatchResult, DryRun, RowResult
from moviekit.batch._rows import RowSource, read_rows
from moviekit.batch._runner import RunSettings, StepHook, run_batch
from moviekit.batch._store import LedgerRow, LedgerStore
from moviekit.batch._template import MovieTemplate, TemplateSource
from moviekit.transport._aclient import AsyncClient
from moviekit.transport._client import Client
from moviekit.transport._polling import PollPolicy

__all__ = ["Batch"]


class Batch:
    """One template, many rows, rendered once each, resumable through a ledger.

    Args:
        template: a :class:`~moviekit.MovieTemplate`, or anything it accepts
            (a function ``row -> Movie``, a placeholder Movie, a template id).
        rows: a CSV / JSON / JSONL path, an iterable of dicts, a DataFrame, or
            :class:`~moviekit.Row` objects from :func:`~moviekit.read_rows`.
        key: the column that identifies a row across runs (else its position).
        ledger: the SQLite ledger's path, a ``postgresql://`` URL (a
            :class:`~moviekit.PostgresLedger` that many runs share), or an open
            ledger (any :class:`~moviekit.LedgerStore`).
        client: the :class:`~moviekit.Client` to render with (only ``run``
            needs one), or an :class:`~moviekit.AsyncClient` for ``await run_async()``.
        concurrency: at most this many rows on the service at once (from this run).
        plan_concurrency: your plan's limit of renders at once, kept in a shared
            ledger for every run of the batch (default: the one stored, else the
            first run's ``concurrency``); runs never exceed it together.
        poll_policy: defaults to the client's (5 s floor, backing off to 30 s).
        step_hook: called with ``(step, row_key)`` at each step of
            ``STEPS``; a test seam to simulate a kill at an exact point.
        clock / sleep: default to the client's (inject a ``FakeClock``).
        max_credits: refuse a run (:class:`~moviekit.BudgetExceededError`,
            before anything is sent) when the rows it would submit are
            estimated above this many credits.

    Raises :class:`~moviekit.RowsError` when the rows cannot be read and
    :class:`~moviekit.TemplateError` when the template cannot be used.
    """

    def __init__(
        self,
        template: MovieTemplate | TemplateSource,
        rows: RowSource,
        *,
        key: str | None = None,
        ledger: str | os.PathLike[str] | LedgerStore | None = None,
        client: Client | AsyncClient | None = None,
        concurrency: int = 8,
        plan_concurrency: int | None = None,
        poll_policy: PollPolicy | None = None,
        step_hook: StepHook | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
        max_credits: float | None = None,
    ) -> None:
        if concurrency < 1:
            raise BatchError(f"concurrency must be >= 1, got {concurrency}")
        if plan_concurrency is not None and plan_concurrency < 1:
            raise BatchError(f"plan_concurrency must be >= 1, got {plan_concurrency}")
        if max_credits is not None and not (
            isinstance(max_credits, (int, float))
            and not isinstance(max_credits, bool)
            and math.isfinite(max_credits)
            and max_credits >= 0
        ):
            raise BatchError(f"max_credits must be a number of credits >= 0, got {max_credits!r}")
        self.template = template if isinstance(template, MovieTemplate) else MovieTemplate(template)
        self.rows = read_rows(rows, key=key)
        self._ledger_arg = ledger
        self.client = client
        self.concurrency = concurrency
        self.plan_concurrency = plan_concurrency
        self.poll_policy = poll_policy
        self.step_hook = step_hook
        self._clock = clock
        self._sleep = sleep
        self.max_credits = max_credits
        self._dry: DryRun | None = None

    def __repr__(self) -> str:
        return (
            f"Batch(rows={len(self.rows)}, template={self.template!r}, "
            f"concurrency={self.concurrency})"
        )

    # ------------------------------------------------------------ dry run
    def dry_run(self, *, estimate: bool = False) -> DryRun:
        """Build and validate every row; report every problem. Sends nothing, never raises.

        ``estimate``: also sum the good rows' credit estimates (``dry.estimate``;
        a saved template's movie is read once, for free, with the batch's client).
        """
        built = tuple(self.template.build(row) for row in self.rows)
        self._dry = DryRun(built, estimate_rows(built, self._saved_movie()) if estimate else None)
        return self._dry

    def _saved_movie(self) -> dict[str, Mapping[str, Any]]:
        """A saved template's movie by id, read with the batch's (blocking) client."""
        tid = self.template.template_id
        if tid is None or not isinstance(self.client, Client):
            return {}
        movie = self.client.templates.get(tid).movie
        return {tid: movie} if movie is not None else {}

    # ------------------------------------------------------------ budget
    def _check_budget(
        self,
        dry: DryRun,
        saved: Mapping[str, Mapping[str, Any]],
        *,
        retry_failed: bool,
        rerender_changed: bool,
    ) -> None:
        """Refuse, before anything is sent, a run whose rows to submit are over ``max_credits``."""
        if self.max_credits is None:
            return
        plan = plan_run(
            self._recorded(),
            dry,
            retry_failed=retry_failed,
            rerender_changed=rerender_changed,
            download=False,
        )
        good = {b.row.key: b for b in dry.built if b.ok}
        rows = [b for b, _, _ in plan.queue] + [
            good[r.row_key] for r in plan.interrupted if r.row_key in good
        ]
        found = estimate_rows(rows, saved)
        if found.over(self.max_credits):
            raise BudgetExceededError(
                f"max_credits: the row(s) this run would submit are estimated at {found.text}, "
                f"over max_credits={self.max_credits:g}; nothing was sent (render fewer rows, "
                "shorten the template, or raise max_credits)",
                estimate=found,
                max_credits=self.max_credits,
            )

    def _recorded(self) -> list[LedgerRow]:
        """The ledger's rows as they are (none when its file does not exist yet; nothing made)."""
        arg = self._ledger_arg
        if arg is None or (isinstance(arg, (str, os.PathLike)) and not Path(arg).exists()):
            return []
        ledger, owned = self._open_ledger()
        try:
            return ledger.rows()
        finally:
            if owned:
                ledger.close()

    # ------------------------------------------------------------ ledger
    def _open_ledger(self) -> tuple[LedgerStore, bool]:
        """The ledger, and whether this batch opened it (and so closes it)."""
        arg = self._ledger_arg
        if arg is None:
            raise BatchError(
                "a batch run needs a ledger: Batch(..., ledger='renders.db') (it is what makes "
                "the run resumable and free of duplicates)"
            )
        if isinstance(arg, str) and is_database_url(arg):
            return PostgresLedger(arg), True
        if isinstance(arg, (str, os.PathLike)):
            return Ledger(arg), True
        return arg, False

    @contextmanager
    def _held_ledger(self) -> Iterator[LedgerStore]:
        """The ledger, its run lock held for the ``with`` block (closed if this batch opened it)."""
        ledger, owned = self._open_ledger()
        try:
            ledger.acquire()
            yield ledger
        finally:
            if owned:
                ledger.close()
            else:
                ledger.release()

    def report(self) -> BatchResult:
        """The state of every row from the ledger and a dry run; no request is sent."""
        dry = self._dry or self.dry_run()
        ledger, owned = self._open_ledger()
        try:
            return _result(dry, ledger.rows(), stopped=None, not_saved={})
        finally:
            if owned:
                ledger.close()

    # ------------------------------------------------------------ run
    def run(
        self,
        *,
        skip_bad_rows: bool = False,
        retry_failed: bool = False,
        rerender_changed: bool = False,
        download_to: str | os.PathLike[str] | None = None,
        on_event: BatchEventHandler | None = None,
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
                (``<row key>.mp4``, see ``safe_file_name``).
            on_event: called with a typed event (:data:`~moviekit.BatchEvent`)
                at each step: row submitted, finished, failed ..., each with the
                run's :class:`~moviekit.BatchCounts`. Nothing is drawn otherwise.
        """
        client = self.client
        if not isinstance(client, Client):
            raise BatchError(
                "Batch.run() needs a client: Batch(..., client=Client(...))"
                if client is None
                else "this batch has an AsyncClient: run it with `await batch.run_async()`"
            )
        dry = self._checked_dry_run(skip_bad_rows)
        self._check_budget(
            dry,
            self._saved_movie() if self.max_credits is not None else {},
            retry_failed=retry_failed,
            rerender_changed=rerender_changed,
        )
        settings = RunSettings(
            client=client,
            poll_policy=self.poll_policy or client.poll_policy,
            # The client's clock and sleep, so one FakeClock drives both.
            clock=self._clock or client.clock,
            sleep=self._sleep or client.sleep,
            plan_concurrency=self.plan_concurrency,
            **self._run_options(retry_failed, rerender_changed, download_to, on_event),
        )
        with self._held_ledger() as ledger:
            outcome = run_batch(settings, ledger, dry)
            return _result(dry, ledger.rows(), outcome.stopped, outcome.not_saved)

    async def run_async(
        self,
        *,
        client: AsyncClient | None = None,
        skip_bad_rows: bool = False,
        retry_failed: bool = False,
        rerender_changed: bool = False,
        download_to: str | os.PathLike[str] | None = None,
        on_event: BatchEventHandler | None = None,
    ) -> BatchResult:
        """:meth:`run` on an :class:`~moviekit.AsyncClient`: every row a task, one event loop.

        The same dry run, ledger, resume rules, events and result as :meth:`run`
        (a run of either kind resumes the other's ledger). ``client`` defaults
        to the batch's own; ``on_event`` is called in the task running the batch.
        """
        from moviekit.batch._arunner import AsyncRunSettings, run_batch_async

        client = client or self.client  # type: ignore[assignment]
        if not isinstance(client, AsyncClient):
            raise BatchError(
                "Batch.run_async() needs an AsyncClient: Batch(..., client=AsyncClient(...)) "
                "or batch.run_async(client=...)"
            )
        dry = self._checked_dry_run(skip_bad_rows)
        saved: dict[str, Mapping[str, Any]] = {}
        tid = self.template.template_id
        if self.max_credits is not None and tid is not None:
            movie = (await client.templates.get(tid)).movie
            saved = {tid: movie} if movie is not None else {}
        self._check_budget(dry, saved, retry_failed=retry_failed, rerender_changed=rerender_changed)
        settings = AsyncRunSettings(
            client=client,
            poll_policy=self.poll_policy or client.poll_policy,
            **self._run_options(retry_failed, rerender_changed, download_to, on_event),
        )
        with self._held_ledger() as ledger:
            outcome = await run_batch_async(settings, ledger, dry)
            return _result(dry, ledger.rows(), outcome.stopped, outcome.not_saved)

    def _run_options(
        self,
        retry_failed: bool,
        rerender_changed: bool,
        download_to: str | os.PathLike[str] | None,
        on_event: BatchEventHandler | None,
    ) -> dict[str, Any]:
        """The settings both kinds of run take alike."""
        return {
            "concurrency": self.concurrency,
            "retry_failed": retry_failed,
            "rerender_changed": rerender_changed,
            "download_to": Path(download_to) if download_to is not None else None,
            "step_hook": self.step_hook,
            "on_event": on_event,
        }

    def _checked_dry_run(self, skip_bad_rows: bool) -> DryRun:
        """The dry run a render starts with; :class:`BatchValidationError` unless it may go on."""
        dry = self.dry_run()
        if not dry.ok and not skip_bad_rows:
            raise BatchValidationError(dry.problems)
        return dry


def _result(
    dry: DryRun, records: list[LedgerRow], stopped: str | None, not_saved: dict[str, str]
) -> BatchResult:
    """One :class:`RowResult` per input row (then per ledger row the input dropped)."""
    by_key = {r.row_key: r for r in records}
    hashes = dry.hashes
    out: list[RowResult] = []
    for b in dry.built:
        key = b.row.key
        rec = by_key.pop(key, None)
        if rec is not None:
            changed = key in hashes and rec.payload_hash != hashes[key]
            out.append(_from_record(rec, changed, not_saved.get(key)))
        elif not b.ok:
            first = b.problems[0] if b.problems else None
            error = f"{first.path}: {first.message}" if first else "invalid row"
            out.append(RowResult(key, "invalid", error=error))
        else:
            out.append(RowResult(key, "pending"))
    # Rows the ledger knows but the input no longer has still count (they cost credits).
    out.extend(_from_record(rec, False, not_saved.get(rec.row_key)) for rec in by_key.values())
    return BatchResult(tuple(out), stopped)


def _from_record(rec: LedgerRow, changed: bool, not_saved: str | None) -> RowResult:
    error = rec.error if not_saved is None else f"video not saved: {not_saved}"
    return RowResult(rec.row_key, rec.status, rec.project_id, rec.url, error, rec.file, changed)
