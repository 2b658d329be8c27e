"""Handles on submitted work: :class:`Submission` (before the POST), :class:`Job`, :class:`Render`.

``Job.wait`` is a loop around the pure :func:`~moviekit.transport._polling.poll_step`:
this module does the I/O (one status check, the progress callback, the sleep),
the step decides what comes next. The batch runner's single poller uses the
same step for many jobs at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moviekit._errors import APIError, MalformedResponseError, RenderFailedError, WaitTimeoutError
from moviekit.builders._movie import Movie
from moviekit.transport._classify import clean_text, path_from_message
from moviekit.transport._download import DownloadProgress, file_name_for
from moviekit.transport._models import MovieStatus
from moviekit.transport._polling import (
    CheckRead,
    PollAction,
    PollOutcome,
    PollPolicy,
    PollState,
    check_failed,
    poll_step,
)

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.builders._elements import Element
    from moviekit.transport._client import Client

__all__ = ["Job", "ProgressCallback", "Render", "Submission"]

#: Called with each status read while waiting.
ProgressCallback = Callable[[MovieStatus], None]

_ELEMENT_PATH = re.compile(r"scenes\[(\d+)\]\.elements\[(\d+)\]")


@dataclass
class Submission:
    """A movie ready to POST: the exact body and its unique submission key.

    Build with :meth:`Client.prepare`; a batch runner records ``key`` (and a
    hash of ``payload``) before calling :meth:`Client.submit_prepared`, so an
    interrupted run can :meth:`Client.reconcile` instead of resubmitting.
    """

    payload: dict[str, Any]
    key: str
    source: Movie | Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Render:
    """A finished render: its final status and the way to fetch the file."""

    status: MovieStatus
    client: Client = field(repr=False)

    @property
    def project_id(self) -> str:
        """The 16-character project id."""
        return self.status.project

    @property
    def url(self) -> str:
        """The MP4 URL (files expire after 7 days on the service)."""
        if not self.status.url:
            raise MalformedResponseError(
                "the finished movie has no url", project_id=self.project_id
            )
        return self.status.url

    def download(
        self, path: str | os.PathLike[str], on_progress: DownloadProgress | None = None
    ) -> Path:
        """Stream the MP4 to ``path``: a file, or an existing folder to put ``<project>.mp4`` in.

        The file appears only when complete (no half file is ever left), and
        only where asked: a project id from the service that is not a plain
        name (``../x``, an absolute path, a NUL) is refused, not followed.
        """
        target = Path(path)
        if target.is_dir():
            target = target / file_name_for(self.project_id)
        return self.client.download(
            self.url, target, on_progress=on_progress, project_id=self.project_id
        )


class Job:
    """A submitted project. ``status()`` reads it, ``wait()`` follows it to the end."""

    def __init__(
        self,
        client: Client,
        project_id: str,
        *,
        source: Movie | Mapping[str, Any] | None = None,
        submission_key: str | None = None,
    ) -> None:
        self.client = client
        self.project_id = project_id
        self.source = source
        self.submission_key = submission_key

    def __repr__(self) -> str:
        return f"Job(project_id={self.project_id!r})"

    def status(self) -> MovieStatus:
        """The current status (retried on transient failures)."""
        return self.client.get(self.project_id)

    def wait(
        self,
        timeout: float | None = None,
        on_progress: ProgressCallback | None = None,
        *,
        poll_policy: PollPolicy | None = None,
    ) -> Render:
        """Poll until the job ends; return the :class:`Render` when done.

        Cadence: a first check at once, then 5, 8, 11, 17, 25 s and every 30 s.
        Up to ``max_failed_checks`` failed checks in a row (connection, 5xx,
        429, unreadable answers) are tolerated; any other 4xx stops at once.
        Each check is one request, cut short when the wait's time runs out.

        Raises :class:`RenderFailedError` when the job ends in ``error`` or
        ``timeout`` and :class:`WaitTimeoutError` when ``timeout`` seconds
        (default: the policy's 10 minutes) pass; the job keeps running then
        and ``wait()`` can be called again.
        """
        client = self.client
        policy = poll_policy or client.poll_policy
        state = PollState.start(client.clock(), policy, timeout)
        last: MovieStatus | None = None
        while True:
            left = state.deadline - (client.clock() - state.started)
            error: APIError | None = None
            outcome: PollOutcome
            try:
                current = client.get(self.project_id, retries=False, deadline=left)
            except APIError as exc:
                error, outcome = exc, check_failed(exc)
            else:
                last, outcome = current, CheckRead(current.status)
                if on_progress is not None:
                    on_progress(current)
            state, decision = poll_step(
                policy,
                state,
                outcome,
                client.clock(),
                retry_after_cap=client.retry_policy.retry_after_cap,
            )
            action = decision.action
            if action is PollAction.CHECK:
                client.sleep(decision.delay)
            elif action is PollAction.DONE:
                assert last is not None
                return Render(last, client)
            elif action is PollAction.FAILED:
                assert last is not None
                raise self._failure(last)
            elif action is PollAction.REFUSED or action is PollAction.TOO_MANY_FAILURES:
                assert error is not None
                raise error
            else:
                raise WaitTimeoutError(
                    f"gave up waiting after {state.deadline:g} s; the last status was "
                    f"{last.status if last else 'unknown'!r}",
                    project_id=self.project_id,
                    last_status=last,
                )

    def _failure(self, status: MovieStatus) -> RenderFailedError:
        # The key was redacted when the answer was read; the rest is made safe to show.
        message = clean_text(status.message or f"the render ended with status {status.status!r}")
        path = path_from_message(message)
        builder = _builder_at(self.source, path) if path else None
        return RenderFailedError(
            message, path=path, builder=builder, status=status, project_id=self.project_id
        )


def _builder_at(source: Movie | Mapping[str, Any] | None, path: str) -> Element | None:
    """The builder at ``scenes[i].elements[j]`` of a moviekit Movie, if there is one."""
    if not isinstance(source, Movie):
        return None
    match = _ELEMENT_PATH.fullmatch(path)
    if not match:
        return None
    scene, element = int(match[1]), int(match[2])
    if scene >= len(source.scenes) or element >= len(source.scenes[scene].elements):
        return None
    return source.scenes[scene].elements[element]
