"""What a batch run reports while it works: typed events, each with the run's counts.

The library draws nothing. ``Batch.run(on_event=handler)`` calls ``handler``
with one of these frozen dataclasses at every step that changes what a person
watching would want to see; the ``moviekit batch run`` command draws them as a
Rich progress bar, a test can collect them in a list, a service can forward
them to a queue. Every event carries :class:`BatchCounts`, so a handler needs
no state of its own::

    def show(event: BatchEvent) -> None:
        if isinstance(event, RowFailed):
            print(f"{event.row_key} failed: {event.error}")
        print(event.counts.describe())

    batch.run(on_event=show)

Events arrive in order, on the thread that called ``run()``, between two steps
of its scheduler: a slow handler delays polling (it never loses a row). An
exception raised by a handler stops the run like a crash would: everything in
flight is in the ledger and the next run resumes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

__all__ = [
    "BatchCounts",
    "BatchEvent",
    "BatchEventHandler",
    "BatchStarted",
    "BatchStopped",
    "DownloadFailed",
    "RowDownloaded",
    "RowFailed",
    "RowFinished",
    "RowLeftInFlight",
    "RowSubmitted",
]


@dataclass(frozen=True)
class BatchCounts:
    """Where the run's rows are now.

    ``total`` counts the rows of the input (bad ones included); ``submitted``
    the rows this run has submitted; ``rendering`` the rows on the service
    (submitted now or by an earlier run); ``done`` and ``failed`` the rows
    finished, from earlier runs too.
    """

    total: int
    submitted: int = 0
    rendering: int = 0
    done: int = 0
    failed: int = 0

    @property
    def finished(self) -> int:
        """Rows that reached an end: done or failed."""
        return self.done + self.failed

    def describe(self) -> str:
        """``submitted 3 · rendering 2 · done 1 · failed 0``."""
        return (
            f"submitted {self.submitted} · rendering {self.rendering} · "
            f"done {self.done} · failed {self.failed}"
        )


@dataclass(frozen=True)
class BatchStarted:
    """The plan is made: ``queued`` rows will be submitted, ``resumed`` in-flight rows followed."""

    counts: BatchCounts
    queued: int
    resumed: int


@dataclass(frozen=True)
class RowSubmitted:
    """The service accepted the row's movie as ``project_id``."""

    counts: BatchCounts
    row_key: str
    project_id: str


@dataclass(frozen=True)
class RowFinished:
    """The row's render is done; ``url`` is the video."""

    counts: BatchCounts
    row_key: str
    project_id: str
    url: str | None


@dataclass(frozen=True)
class RowFailed:
    """The row failed: its render ended in error, or its submit or status check was refused.

    ``error`` says why (with the element's path when the service names one).
    The ledger records it ``failed``; ``retry_failed=True`` submits it again.
    """

    counts: BatchCounts
    row_key: str
    error: str
    project_id: str | None = None


@dataclass(frozen=True)
class RowLeftInFlight:
    """This run stopped following the row (status checks kept failing, or the wait's
    deadline passed); it may still render. The ledger keeps it, the next run polls it."""

    counts: BatchCounts
    row_key: str
    project_id: str
    reason: str


@dataclass(frozen=True)
class RowDownloaded:
    """The row's video was saved at ``file``."""

    counts: BatchCounts
    row_key: str
    file: Path


@dataclass(frozen=True)
class DownloadFailed:
    """The row is done but its video could not be saved (a re-run with the folder retries)."""

    counts: BatchCounts
    row_key: str
    error: str


@dataclass(frozen=True)
class BatchStopped:
    """Submitting stopped early (out of credits, a rejected key): every next row would fail alike.

    Rows already on the service are still followed; rows not started stay
    ``pending`` for the next run.
    """

    counts: BatchCounts
    reason: str


BatchEvent: TypeAlias = (
    BatchStarted
    | RowSubmitted
    | RowFinished
    | RowFailed
    | RowLeftInFlight
    | RowDownloaded
    | DownloadFailed
    | BatchStopped
)
#: What ``Batch.run(on_event=...)`` calls.
BatchEventHandler: TypeAlias = Callable[[BatchEvent], None]
