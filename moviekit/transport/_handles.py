"""What ``Client`` and ``AsyncClient`` share above the procedures: the client's basics, the
handles on a submitted project (``Job`` / ``AsyncJob``) and on a finished one (``Render`` /
``AsyncRender``), which differ only in whether their calls are awaited.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from moviekit._errors import MalformedResponseError
from moviekit.builders._movie import Movie
from moviekit.transport._download import file_name_for
from moviekit.transport._exchange import Secret
from moviekit.transport._models import MovieStatus
from moviekit.transport._movies import MovieOps, ProgressCallback, Submission, prepare
from moviekit.transport._ops import Op
from moviekit.transport._polling import PollPolicy

__all__ = ["BaseJob", "BaseRender", "ClientBasics", "Resource"]


class ClientBasics:
    """The parts of a client that do no I/O: its repr, clock and :meth:`prepare`."""

    _key: Secret
    _clock: Callable[[], float]
    _ops: MovieOps
    base_url: str

    def __repr__(self) -> str:
        key = "set" if self._key else "missing"
        return f"{type(self).__name__}(base_url={self.base_url!r}, api_key=<{key}>)"

    def clock(self) -> float:
        """Seconds on the client's clock (``time.monotonic`` unless injected)."""
        return self._clock()

    def prepare(
        self,
        movie: Movie | Mapping[str, Any],
        *,
        validate: bool = True,
        submission_key: str | None = None,
    ) -> Submission:
        """Compile (and validate) ``movie`` and tag it with a unique submission key (no I/O).

        The key goes into a copy's ``client-data`` under ``moviekit-submission``;
        the user's object is never changed.
        """
        return prepare(movie, validate=validate, submission_key=submission_key)


@dataclass(frozen=True)
class BaseRender:
    """A finished render's final status: its project id and video URL."""

    status: MovieStatus

    @property
    def project_id(self) -> str:
        """The 16-character project id."""
        return self.status.project

    @property
    def url(self) -> str:
        """The MP4 URL (files expire after 7 days on the service)."""
        if not self.status.url:
            raise MalformedResponseError(
                "the finished movie has no url", project_id=self.status.project
            )
        return self.status.url

    def target(self, path: str | os.PathLike[str]) -> Path:
        """``path``, or ``path/<project>.mp4`` when it is a folder (a plain project id only)."""
        target = Path(path)
        return target / file_name_for(self.project_id) if target.is_dir() else target


class _Procedures(Protocol):
    """A client, as its handles see it: its API base and the procedures it runs."""

    @property
    def _ops(self) -> MovieOps: ...

    @property
    def base_url(self) -> str: ...


_C = TypeVar("_C", bound=_Procedures)


class BaseJob(Generic[_C]):
    """A submitted project on a client of type ``_C``."""

    def __init__(
        self,
        client: _C,
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
        return f"{type(self).__name__}(project_id={self.project_id!r})"

    def _waiting(
        self,
        timeout: float | None,
        on_progress: ProgressCallback | None,
        poll_policy: PollPolicy | None,
    ) -> Op[MovieStatus]:
        """The wait (``MovieOps.wait``) for this project, to run on its client."""
        return self.client._ops.wait(
            self.project_id,
            timeout=timeout,
            on_progress=on_progress,
            poll_policy=poll_policy,
            source=self.source,
        )


_O = TypeVar("_O")


class Resource(Generic[_O, _C]):
    """``client.media`` or ``client.templates``: procedures ``_O`` run on client ``_C``."""

    def __init__(self, ops: _O, client: _C) -> None:
        self._ops = ops
        self._client = client

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._client.base_url!r})"
