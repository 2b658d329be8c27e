"""One batch run: plan against the ledger, reconcile, then one loop that submits and polls.

The loop runs on the caller's thread. It keeps at most ``concurrency`` rows on
the service (and, with a ledger that several runs share, no more than the
ledger's limit across all of them), records each intent in the ledger *before*
its POST (the intent is also the run's claim on the row), and polls
every job by the transport's pure rule (``poll_step``, as ``Job.wait``: the
schedule, at most ``max_failed_checks`` failed checks in a row; any other 4xx
ends the job). HTTP calls run on a small worker
pool so one slow answer does not delay the others, but there is one poller,
not a thread per job. Progress leaves through typed events (``_events``); the
runner talks to the ledger only through :class:`LedgerStore`.

With a shared ledger (``takeover_interval`` set) the loop also looks, every
interval, for in-flight rows that no live run follows (a killed worker's,
once its lease ran out), takes them over and settles them like a resumed run
does: reconcile by ``client-data`` key first, then poll or post again. A run
with nothing left to do stays while another run follows rows, so a batch
ends only when no row may still need it.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from moviekit._errors import (
    APIError,
    APIStatusError,
    AuthenticationError,
    PermissionDeniedError,
    QuotaExceededError,
    SubmitUncertainError,
)
from moviekit.batch._events import (
    BatchCounts,
    BatchEvent,
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
from moviekit.batch._store import LedgerStore
from moviekit.transport._classify import path_from_message
from moviekit.transport._client import SUBMISSION_KEY_FIELD, Client, Job, Submission
from moviekit.transport._models import MovieStatus
from moviekit.transport._polling import (
    CheckFailed,
    CheckRead,
    PollAction,
    PollPolicy,
    PollState,
    check_failed,
    poll_step,
)

__all__ = ["STEPS", "RunReporter", "full_ledger_wait", "RunSettings", "StepHook", "run_batch"]

#: Called with ``(step, row_key)`` at each durable step; tests use it to simulate a kill.
StepHook = Callable[[str, str], None]
#: The steps a :data:`StepHook` sees, in the order a row goes through them.
STEPS = ("before-post", "after-post", "polling", "downloading")

# Errors that mean "this account cannot submit now": every next row would fail the same way.
_ACCOUNT_ERRORS = (AuthenticationError, QuotaExceededError, PermissionDeniedError)
_DOWNLOAD_WORKERS = 4
# Seconds between two looks at a shared ledger while this run waits for other runs' rows.
_IDLE_LOOK = 0.25
logger = logging.getLogger("moviekit")


@dataclass(frozen=True)
class RunSettings:
    """How one run goes: what to resubmit, where videos go, how fast to poll."""

    client: Client
    concurrency: int
    poll_policy: PollPolicy
    clock: Callable[[], float]
    sleep: Callable[[float], None]
    retry_failed: bool = False
    rerender_changed: bool = False
    download_to: Path | None = None
    step_hook: StepHook | None = None
    on_event: BatchEventHandler | None = None
    #: The plan's limit of rows in flight, shared by every run of the ledger
    #: (``None``: the ledger's stored one, else ``concurrency``).
    plan_concurrency: int | None = None


@dataclass(frozen=True)
class RunOutcome:
    """Why submitting stopped early (if it did), and the videos that could not be saved."""

    stopped: str | None
    not_saved: dict[str, str]


def run_batch(settings: RunSettings, ledger: LedgerStore, dry: DryRun) -> RunOutcome:
    """Plan, reconcile and render the good rows of ``dry``; the caller has acquired ``ledger``."""
    runner = _Runner(settings, ledger, dry)
    runner.plan()
    runner.run()
    return RunOutcome(runner.stopped, runner.download_errors)


@dataclass
class _Job:
    """A project being polled by the one poller."""

    key: str
    project_id: str
    poll: PollState
    next_check: float
    busy: bool = False
    running_seen: bool = False


_Kind = Literal["submit", "status", "download"]


def full_ledger_wait(policy: PollPolicy) -> float:
    """Seconds to wait before asking a shared ledger whose limit is reached for a slot again."""
    return min(max(policy.schedule[0], 0.1), 1.0)


class _Hooks(Protocol):
    """What a run reports through: the settings of either runner."""

    @property
    def step_hook(self) -> StepHook | None: ...

    @property
    def on_event(self) -> BatchEventHandler | None: ...


class RunReporter:
    """The counts, events and test steps a run reports; shared by the threaded and async runners."""

    settings: _Hooks
    counts: BatchCounts

    def _step(self, step: str, key: str) -> None:
        if self.settings.step_hook is not None:
            self.settings.step_hook(step, key)

    def _count(self, **change: int) -> BatchCounts:
        now = self.counts
        self.counts = BatchCounts(
            total=now.total,
            submitted=now.submitted + change.get("submitted", 0),
            rendering=now.rendering + change.get("rendering", 0),
            done=now.done + change.get("done", 0),
            failed=now.failed + change.get("failed", 0),
        )
        return self.counts

    def _emit(self, event: BatchEvent) -> None:
        if self.settings.on_event is not None:
            self.settings.on_event(event)


class _Runner(RunReporter):
    settings: RunSettings

    """One run: plan, reconcile, then the scheduler loop (the one poller)."""

    def __init__(self, settings: RunSettings, ledger: LedgerStore, dry: DryRun) -> None:
        self.settings = settings
        self.client = settings.client
        # One pooled connection per worker (submits, polls and downloads overlap).
        self.client.ensure_connections(settings.concurrency + 8)
        self.ledger = ledger
        self.dry = dry
        self.policy = settings.poll_policy
        self.clock = settings.clock
        self.built = {b.row.key: b for b in dry.built if b.ok}
        self.stopped: str | None = None
        self.queue: deque[Queued] = deque()
        self.jobs: dict[str, _Job] = {}
        plan = settings.plan_concurrency
        shared = ledger.set_limit(plan or settings.concurrency, replace=plan is not None)
        self.limit = min(settings.concurrency, shared)
        # Shared ledgers: until when the ledger's limit is reached, and the rows this run
        # stopped following (it never takes them over again).
        self.full_until = -math.inf
        self.given_up: set[str] = set()
        self.downloads: list[tuple[str, str, str]] = []  # (row key, project, url)
        # Futures of three kinds (Job, MovieStatus, Path): the kind says which.
        self.futures: dict[Future[Any], tuple[_Kind, str]] = {}
        self.submitting = 0
        self.download_errors: dict[str, str] = {}
        self.counts = BatchCounts(total=len(dry.built))

    # ------------------------------------------------------------ plan
    def plan(self) -> None:
        """Fill the queue and the poll list from the ledger, and settle interrupted submits."""
        records = self.ledger.rows()
        plan = plan_for(self.settings, records, self.dry, self.ledger.take_over())
        self.downloads = plan.downloads
        self._resume(plan)
        self.counts = starting_counts(plan, records, self.dry)

    def _resume(self, plan: Plan) -> None:
        """Settle ``plan``'s interrupted submits, then queue its rows and poll its projects."""
        if plan.interrupted:
            found: dict[str, str] = {}
            wanted = plan.wanted
            try:
                for movie in self.client.list_movies(since=reconcile_since(plan.interrupted)):
                    key = (movie.client_data or {}).get(SUBMISSION_KEY_FIELD)
                    if isinstance(key, str) and key in wanted:
                        found[key] = movie.project
            except APIError as exc:
                raise unreadable_movie_list(plan, exc) from exc
            settle(plan, self.dry, found, self.ledger)
        self.queue.extendleft(reversed(plan.queue))
        now = self.clock()
        for key, project in plan.follow.items():
            self._follow(key, project, now)

    def _take_over(self) -> None:
        """Take over the rows another run left behind (a shared ledger; see the module docs)."""
        before = len(self.jobs)
        plan = Plan()
        plan.take(self.ledger.take_over(self.given_up))
        self._resume(plan)
        if len(self.jobs) > before:
            self._count(rendering=len(self.jobs) - before)

    # ------------------------------------------------------------ workers (HTTP only)
    def _post(self, key: str, payload: dict[str, object], submission_key: str) -> Job:
        self._step("before-post", key)
        submission = Submission(payload=payload, key=submission_key)
        submission.payload = self.client.media.upload_local_sources(submission.payload)
        return self.client.submit_prepared(submission)

    def _check(self, project_id: str) -> MovieStatus:
        # One attempt: the poll step counts failed checks. No ``deadline=``: the wait's time
        # left is on the run's clock (a FakeClock in tests), a request's budget is real time.
        return self.client.get(project_id, retries=False)

    def _download(self, key: str, project_id: str, url: str) -> Path:
        folder = self.settings.download_to
        assert folder is not None
        name = safe_file_name(key)
        for stale in folder.glob(f".{name}.*.part"):  # left by a killed run
            stale.unlink(missing_ok=True)
        first = [True]

        def progress(done: int, total: int | None) -> None:
            if first[0]:
                first[0] = False
                self._step("downloading", key)

        return self.client.download(url, folder / name, on_progress=progress, project_id=project_id)

    # ------------------------------------------------------------ the loop
    def run(self) -> None:
        self._emit(BatchStarted(self.counts, queued=len(self.queue), resumed=len(self.jobs)))
        pool = ThreadPoolExecutor(
            max_workers=self.settings.concurrency + _DOWNLOAD_WORKERS,
            thread_name_prefix="moviekit-batch",
        )
        try:
            for item in self.downloads:
                self._start_download(pool, *item)
            self._loop(pool)
        except BaseException:
            # A crash or Ctrl-C: stop at once. Whatever was in flight is in the ledger as
            # an intent or a project id, and the next run resumes it.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)

    def _active(self) -> int:
        return self.submitting + len(self.jobs)

    def _loop(self, pool: ThreadPoolExecutor) -> None:
        scan = self.ledger.takeover_interval
        next_scan = math.inf if scan is None else self.clock() + scan
        while True:
            if self.clock() >= next_scan:
                assert scan is not None
                self._take_over()
                next_scan = self.clock() + scan
            while self._may_submit() and self.clock() >= self.full_until:
                self._start_submit(pool)
            now = self.clock()
            for job in self.jobs.values():
                if not job.busy and job.next_check <= now:
                    job.busy = True
                    self.futures[pool.submit(self._check, job.project_id)] = ("status", job.key)
            waiting = bool(self.queue) and not self.stopped
            idle = not (waiting or self.jobs or self.futures)
            if idle:
                if scan is None or not self.ledger.followed_elsewhere(self.given_up):
                    return
                # Nothing to do but wait for the other runs: look again soon.
                next_scan = min(next_scan, now + _IDLE_LOOK)
            due = [j.next_check for j in self.jobs.values() if not j.busy]
            if waiting and self.full_until > now:
                due.append(self.full_until)
            if scan is not None:
                due.append(next_scan)
            next_due = min(due) if due else None
            if self.futures:
                timeout = None if next_due is None else max(0.0, next_due - self.clock())
                finished, _ = wait(list(self.futures), timeout=timeout, return_when=FIRST_COMPLETED)
                for future in finished:
                    kind, key = self.futures.pop(future)
                    self._handle(pool, kind, key, future)
            elif next_due is not None:
                self.settings.sleep(max(0.0, next_due - self.clock()))

    def _may_submit(self) -> bool:
        return bool(self.queue) and not self.stopped and self._active() < self.limit

    def _start_submit(self, pool: ThreadPoolExecutor) -> None:
        built, reuse, attempts = self.queue.popleft()
        assert built.payload is not None and built.payload_hash is not None
        prepared = self.client.prepare(built.payload, validate=False, submission_key=reuse)
        key = built.row.key
        # The intent goes to disk before the POST can leave: a kill from here on is resumable.
        recorded = self.ledger.record_intent(
            key, built.row.index, built.payload_hash, prepared.key, attempts=attempts
        )
        if recorded == "taken":
            return  # another run (sharing the ledger) has submitted this row since the plan
        if recorded == "full":
            # Every slot of the shared limit is in use: this row waits for one.
            self.queue.appendleft((built, reuse, attempts))
            self.full_until = self.clock() + full_ledger_wait(self.policy)
            return
        self.submitting += 1
        future = pool.submit(self._post, key, prepared.payload, prepared.key)
        self.futures[future] = ("submit", key)

    def _start_download(self, pool: ThreadPoolExecutor, key: str, project: str, url: str) -> None:
        self.futures[pool.submit(self._download, key, project, url)] = ("download", key)

    def _handle(self, pool: ThreadPoolExecutor, kind: _Kind, key: str, future: Future[Any]) -> None:
        if kind == "submit":
            self.submitting -= 1
            self._submitted(key, future)
        elif kind == "status":
            self._checked(pool, key, future)
        else:
            self._downloaded(key, future)

    def _downloaded(self, key: str, future: Future[Any]) -> None:
        try:
            path = future.result()
        except (APIError, OSError) as exc:
            # The render is done and stays done; the next run with download_to retries.
            logger.warning("download of row %r failed: %s", key, exc)
            self.download_errors[key] = str(exc)
            self._emit(DownloadFailed(self.counts, key, str(exc)))
            return
        assert isinstance(path, Path)
        self.ledger.record_file(key, str(path))
        self._emit(RowDownloaded(self.counts, key, path))

    def _submitted(self, key: str, future: Future[Any]) -> None:
        try:
            job = future.result()
        except SubmitUncertainError:
            # Not known whether a project exists: the intent stays, the next run reconciles.
            return
        except _ACCOUNT_ERRORS as exc:
            # The service refused before creating anything; every next row would fail too.
            self.ledger.forget_intent(key)
            if self.stopped is None:
                self.stopped = f"{type(exc).__name__}: {exc.message}"
                self._emit(BatchStopped(self.counts, self.stopped))
            return
        except APIStatusError as exc:
            error = f"submit refused: {exc.message}"
            self.ledger.record_failed(key, error)
            self._emit(RowFailed(self._count(failed=1), key, error))
            return
        assert isinstance(job, Job)
        self._step("after-post", key)
        self.ledger.record_submitted(key, job.project_id)
        now = self.clock()
        self._follow(key, job.project_id, now)
        self._emit(RowSubmitted(self._count(submitted=1, rendering=1), key, job.project_id))

    def _follow(self, key: str, project_id: str, now: float) -> None:
        """Poll ``project_id`` from now on: a first check at once, then the schedule."""
        self.jobs[key] = _Job(key, project_id, PollState.start(now, self.policy), now)

    def _checked(self, pool: ThreadPoolExecutor, key: str, future: Future[Any]) -> None:
        job = self.jobs[key]
        job.busy = False
        status: MovieStatus | None = None
        outcome: CheckRead | CheckFailed
        try:
            status = future.result()
        except APIError as exc:
            error: APIError | None = exc
            outcome = check_failed(exc)
        else:
            assert isinstance(status, MovieStatus)
            error, outcome = None, CheckRead(status.status)
            self._step("polling", key)
            if status.status == "running" and not job.running_seen:
                job.running_seen = True
                self.ledger.record_rendering(key)
        job.poll, decision = poll_step(
            self.policy,
            job.poll,
            outcome,
            self.clock(),
            retry_after_cap=self.client.retry_policy.retry_after_cap,
        )
        action = decision.action
        if action is PollAction.CHECK:
            job.next_check = self.clock() + decision.delay
        elif action is PollAction.DONE:
            assert status is not None
            self.ledger.record_done(key, status.url)
            self._finish(job, url=status.url)
            if self.settings.download_to is not None and status.url:
                self._start_download(pool, key, job.project_id, status.url)
        elif action is PollAction.FAILED:
            assert status is not None
            message = status.message or f"the render ended with status {status.status!r}"
            where = path_from_message(message)
            self._finish(job, failed=f"{where}: {message}" if where else message)
        elif action is PollAction.REFUSED:
            # Any other 4xx ends the job at once (e.g. the project no longer exists).
            assert error is not None
            self._finish(job, failed=f"status check refused: {error.message}")
        elif action is PollAction.TOO_MANY_FAILURES:
            # The job may still render: the ledger keeps it for the next run.
            self._give_up(job, f"{job.poll.failures} status checks failed in a row ({error})")
        else:
            self._give_up(job, f"the wait deadline ({self.policy.deadline:g} s) passed")

    def _finish(self, job: _Job, *, url: str | None = None, failed: str | None = None) -> None:
        del self.jobs[job.key]
        if failed is not None:
            self.ledger.record_failed(job.key, failed)
            counts = self._count(rendering=-1, failed=1)
            self._emit(RowFailed(counts, job.key, failed, job.project_id))
        else:
            counts = self._count(rendering=-1, done=1)
            self._emit(RowFinished(counts, job.key, job.project_id, url))

    def _give_up(self, job: _Job, reason: str) -> None:
        """Stop polling ``job`` in this run; the ledger keeps it in flight for the next one."""
        del self.jobs[job.key]
        self.given_up.add(job.key)
        self.ledger.unclaim(job.key)
        counts = self._count(rendering=-1)
        self._emit(RowLeftInFlight(counts, job.key, job.project_id, reason))
