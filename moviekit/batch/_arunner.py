"""One batch run on an :class:`~moviekit.AsyncClient`: many rows in flight on one event loop.

The same run as the threaded runner (:mod:`moviekit.batch._runner`), with
the same resume rules (:mod:`moviekit.batch._plan`), ledger steps, events and
outcome, on tasks instead of threads:

- ``concurrency`` worker tasks each take the next row, record its intent in
  the ledger (durably, *before* the POST), submit it and follow it to its end
  with the client's own wait (the pure poll step, the same cadence as
  ``Job.wait``), then take the next row; at most ``concurrency`` rows are on
  the service at once, rows resumed from an earlier run included;
- finished videos are downloaded by up to four tasks at a time;
- the ledger is written from a worker thread, one call at a time, so its
  fsyncs never stall the event loop that polls every other row.

A crash, a cancellation or a kill at any point leaves the ledger as the
threaded runner would: the next run (threaded or async) resumes it.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from moviekit._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    AuthenticationError,
    MalformedResponseError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    RenderFailedError,
    ServerError,
    SubmitUncertainError,
    WaitTimeoutError,
)
from moviekit.batch._built import BuiltRow
from moviekit.batch._events import (
    BatchCounts,
    BatchEventHandler,
    BatchStarted,
    BatchStopped,
    DownloadFailed,
    RowDownloaded,
    RowFailed,
    RowFinished,
    RowLeftInFlight,
    RowSubmitted,
)
from moviekit.batch._files import safe_file_name
from moviekit.batch._plan import (
    Plan,
    Queued,
    plan_for,
    reconcile_since,
    settle,
    starting_counts,
    unreadable_movie_list,
)
from moviekit.batch._results import DryRun
from moviekit.batch._runner import RunOutcome, RunReporter, StepHook, full_ledger_wait
from moviekit.batch._store import LedgerStore
from moviekit.transport._aclient import AsyncClient
from moviekit.transport._models import MovieStatus
from moviekit.transport._movies import SUBMISSION_KEY_FIELD, Submission
from moviekit.transport._polling import PollPolicy

__all__ = ["AsyncRunSettings", "run_batch_async"]

# Errors that mean "this account cannot submit now": every next row would fail the same way.
_ACCOUNT_ERRORS = (AuthenticationError, QuotaExceededError, PermissionDeniedError)
# Failed status checks that end a wait after too many in a row (the row stays in flight).
_TRANSIENT = (APIConnectionError, MalformedResponseError, ServerError, RateLimitError)
_DOWNLOADS_AT_ONCE = 4
_T = TypeVar("_T")
logger = logging.getLogger("moviekit")


@dataclass(frozen=True)
class AsyncRunSettings:
    """How one async run goes (the fields of the threaded runner's ``RunSettings``)."""

    client: AsyncClient
    concurrency: int
    poll_policy: PollPolicy
    retry_failed: bool = False
    rerender_changed: bool = False
    download_to: Path | None = None
    step_hook: StepHook | None = None
    on_event: BatchEventHandler | None = None


async def run_batch_async(
    settings: AsyncRunSettings, ledger: LedgerStore, dry: DryRun
) -> RunOutcome:
    """Plan, reconcile and render the good rows of ``dry``; the caller holds ``ledger``'s lock."""
    runner = _AsyncRunner(settings, ledger, dry)
    await runner.run()
    return RunOutcome(runner.stopped, runner.download_errors)


class _AsyncRunner(RunReporter):
    settings: AsyncRunSettings

    def __init__(self, settings: AsyncRunSettings, ledger: LedgerStore, dry: DryRun) -> None:
        self.settings = settings
        self.client = settings.client
        self.ledger = ledger
        self.dry = dry
        self.policy = settings.poll_policy
        self.stopped: str | None = None
        self.download_errors: dict[str, str] = {}
        self.counts = BatchCounts(total=len(dry.built))
        self._failure: BaseException | None = None
        self._db_limiter = anyio.CapacityLimiter(1)
        self._download_limiter = anyio.CapacityLimiter(_DOWNLOADS_AT_ONCE)

    async def _db(self, call: Callable[..., _T], *args: Any) -> _T:
        """A ledger call, in a worker thread, one at a time (an fsync must not stall polling)."""
        return await anyio.to_thread.run_sync(call, *args, limiter=self._db_limiter)

    # ------------------------------------------------------------ plan
    async def _plan(self) -> Plan:
        records = await self._db(self.ledger.rows)
        in_flight = await self._db(self.ledger.take_over)
        plan = plan_for(self.settings, records, self.dry, in_flight)
        if plan.interrupted:
            await self._reconcile(plan)
        self.counts = starting_counts(plan, records, self.dry)
        return plan

    async def _reconcile(self, plan: Plan) -> None:
        """Settle interrupted submits: one pass over the movie list, matched by key."""
        wanted = plan.wanted
        found: dict[str, str] = {}
        try:
            async for movie in self.client.list_movies(since=reconcile_since(plan.interrupted)):
                key = (movie.client_data or {}).get(SUBMISSION_KEY_FIELD)
                if isinstance(key, str) and key in wanted:
                    found[key] = movie.project
        except APIError as exc:
            raise unreadable_movie_list(plan, exc) from exc
        await self._db(settle, plan, self.dry, found, self.ledger)

    # ------------------------------------------------------------ the run
    async def run(self) -> None:
        plan = await self._plan()
        self._emit(BatchStarted(self.counts, queued=len(plan.queue), resumed=len(plan.follow)))
        follows = deque(plan.follow.items())
        async with anyio.create_task_group() as tasks:
            self._tasks = tasks
            for item in plan.downloads:
                self._start(self._download, *item)
            for _ in range(min(self.settings.concurrency, len(follows) + len(plan.queue))):
                self._start(self._worker, follows, plan.queue)
        if self._failure is not None:
            # One task's failure ends the run, as in the threaded runner: the ledger
            # holds whatever was in flight, and the next run resumes it.
            raise self._failure

    def _start(self, task: Callable[..., Any], *args: Any) -> None:
        async def guarded() -> None:
            try:
                await task(*args)
            except anyio.get_cancelled_exc_class():
                raise
            except BaseException as exc:  # a crash, a Ctrl-C: stop every task, then re-raise
                if self._failure is None:
                    self._failure = exc
                self._tasks.cancel_scope.cancel()

        self._tasks.start_soon(guarded)

    async def _worker(self, follows: deque[tuple[str, str]], queue: deque[Queued]) -> None:
        """Follow the resumed rows first, then submit and follow the queued ones, one at a time."""
        while follows or queue:
            project: str | None
            if follows:
                key, project = follows.popleft()
            else:
                built, reuse, attempts = queue.popleft()
                if self.stopped is not None:
                    continue  # rows not started stay pending for the next run
                key, project = built.row.key, await self._submit(built, reuse, attempts)
            if project is not None:
                await self._follow(key, project)

    async def _submit(self, built: BuiltRow, reuse: str | None, attempts: int) -> str | None:
        assert built.payload is not None and built.payload_hash is not None
        key = built.row.key
        prepared = self.client.prepare(built.payload, validate=False, submission_key=reuse)
        # The intent goes to disk before the POST can leave: a kill from here on is resumable.
        while True:
            recorded = await self._db(
                partial(self.ledger.record_intent, attempts=attempts),
                key,
                built.row.index,
                built.payload_hash,
                prepared.key,
            )
            if recorded == "taken":
                return None  # another run sharing the ledger has submitted this row
            if recorded == "recorded":
                break
            # "full": every slot of a shared ledger's limit is in use; wait for one
            await self.client.sleep(full_ledger_wait(self.policy))
        self._step("before-post", key)
        try:
            payload = await self.client.media.upload_local_sources(prepared.payload)
            job = await self.client.submit_prepared(Submission(payload, prepared.key))
        except SubmitUncertainError:
            return None  # not known whether a project exists: the next run reconciles
        except _ACCOUNT_ERRORS as exc:
            await self._db(self.ledger.forget_intent, key)
            if self.stopped is None:
                self.stopped = f"{type(exc).__name__}: {exc.message}"
                self._emit(BatchStopped(self.counts, self.stopped))
            return None
        except APIStatusError as exc:
            error = f"submit refused: {exc.message}"
            await self._db(self.ledger.record_failed, key, error)
            self._emit(RowFailed(self._count(failed=1), key, error))
            return None
        self._step("after-post", key)
        await self._db(self.ledger.record_submitted, key, job.project_id)
        self._emit(RowSubmitted(self._count(submitted=1, rendering=1), key, job.project_id))
        return job.project_id

    async def _follow(self, key: str, project: str) -> None:
        seen_running = False

        async def progress(status: MovieStatus) -> None:
            nonlocal seen_running
            self._step("polling", key)
            if status.status == "running" and not seen_running:
                seen_running = True
                await self._db(self.ledger.record_rendering, key)

        try:
            render = await self.client.job(project).wait(
                poll_policy=self.policy, on_progress=progress
            )
        except RenderFailedError as exc:
            where = f"{exc.path}: " if exc.path else ""
            await self._failed(key, project, where + exc.message)
        except WaitTimeoutError:
            await self._left(key, project, f"the wait deadline ({self.policy.deadline:g} s) passed")
        except _TRANSIENT as exc:
            failures = self.policy.max_failed_checks + 1
            await self._left(key, project, f"{failures} status checks failed in a row ({exc})")
        except APIStatusError as exc:
            await self._failed(key, project, f"status check refused: {exc.message}")
        else:
            url = render.status.url
            await self._db(self.ledger.record_done, key, url)
            self._emit(RowFinished(self._count(rendering=-1, done=1), key, project, url))
            if self.settings.download_to is not None and url:
                self._start(self._download, key, project, url)

    async def _failed(self, key: str, project: str, error: str) -> None:
        await self._db(self.ledger.record_failed, key, error)
        self._emit(RowFailed(self._count(rendering=-1, failed=1), key, error, project))

    async def _left(self, key: str, project: str, reason: str) -> None:
        """Stop following ``key`` in this run; the ledger keeps it in flight for the next one."""
        await self._db(self.ledger.unclaim, key)
        self._emit(RowLeftInFlight(self._count(rendering=-1), key, project, reason))

    async def _download(self, key: str, project: str, url: str) -> None:
        folder = self.settings.download_to
        assert folder is not None
        name = safe_file_name(key)
        async with self._download_limiter:
            for stale in folder.glob(f".{name}.*.part"):  # left by a killed run
                stale.unlink(missing_ok=True)
            first = [True]

            def progress(done: int, total: int | None) -> None:
                if first[0]:
                    first[0] = False
                    self._step("downloading", key)

            try:
                path = await self.client.download(
                    url, folder / name, on_progress=progress, project_id=project
                )
            except (APIError, OSError) as exc:
                # The render is done and stays done; the next run with download_to retries.
                logger.warning("download of row %r failed: %s", key, exc)
                self.download_errors[key] = str(exc)
                self._emit(DownloadFailed(self.counts, key, str(exc)))
                return
        await self._db(self.ledger.record_file, key, str(path))
        self._emit(RowDownloaded(self.counts, key, path))
