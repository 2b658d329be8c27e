"""The movie procedures of both clients: submit (and never twice), status, list, wait, download.

Each method of :class:`MovieOps` returns an :data:`~moviekit.transport._ops.Op`
(an I/O-free generator); ``Client`` runs it blocking, ``AsyncClient`` awaits
it. The rules therefore exist once:

Why submits are special: ``POST /v2/movies`` is not idempotent (each call is a
new, billed project). It is resent only when the request provably never left
(connection refused / connect timeout). When the outcome is unknown (read
timeout, reset after sending, 5xx, 429, unreadable answer), the client looks
for its own unique key in ``client-data`` in the movie list (twice, a moment
apart: the list can lag), and resubmits only when that lookup proves the
project was not created. Every POST counts against the same retry budget: at
most ``max_retries + 1`` POSTs per submit.

Waiting is a loop around the pure :func:`~moviekit.transport._polling.poll_step`.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from moviekit._errors import (
    APIError,
    BuildError,
    MalformedResponseError,
    MovieValidationError,
    NotFoundError,
    ProjectNotFoundError,
    RenderFailedError,
    SubmitUncertainError,
    WaitTimeoutError,
)
from moviekit._problems import ValidationReport, short_repr
from moviekit.builders._movie import Movie
from moviekit.service._catalog import MAX_BODY_BYTES
from moviekit.service._json_text import body_bytes
from moviekit.service._subtitles import SubtitleTrack
from moviekit.transport._classify import clean_text, path_from_message
from moviekit.transport._download import DownloadProgress, download_call
from moviekit.transport._exchange import (
    JSONObject,
    Request,
    json_reader,
    model_reader,
    safe_url,
    text_reader,
)
from moviekit.transport._models import DeleteResult, MoviePage, MovieStatus, SubmitResult, parse
from moviekit.transport._ops import Call, Op, notify, now, send, sleep
from moviekit.transport._polling import (
    CheckRead,
    PollAction,
    PollOutcome,
    PollPolicy,
    PollState,
    RetryPolicy,
    backoff_delay,
    check_failed,
    poll_step,
)
from moviekit.validation._validate import ensure_valid, too_large

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.builders._elements import Element

__all__ = [
    "MAX_LIST_PAGES",
    "RECONCILE_PAGES",
    "SUBMISSION_KEY_FIELD",
    "MovieList",
    "MovieOps",
    "ProgressCallback",
    "Settings",
    "Submission",
]

#: The ``client-data`` entry that carries a submission's unique key.
SUBMISSION_KEY_FIELD = "moviekit-submission"
_JSON_CONTENT = {"Content-Type": "application/json"}
#: Pages of the movie list followed at most by one ``list_movies()`` (100 movies a page).
MAX_LIST_PAGES = 1000
#: Pages a reconcile reads before it calls the outcome unknown (two days of movies).
RECONCILE_PAGES = 100

#: Called with each status read while waiting (an ``AsyncClient`` also awaits a coroutine).
ProgressCallback = Callable[[MovieStatus], object]

logger = logging.getLogger("moviekit")
_T = TypeVar("_T")
_ELEMENT_PATH = re.compile(r"scenes\[(\d+)\]\.elements\[(\d+)\]")


@dataclass(frozen=True)
class Settings:
    """What the procedures need to know of their client (no I/O in here)."""

    base_url: str
    retry_policy: RetryPolicy
    poll_policy: PollPolicy
    random_fn: Callable[[], float]

    def url(self, path: str) -> str:
        """The API URL of ``path`` (``/movies``)."""
        return self.base_url + path

    def send(self, call: Call[_T]) -> Op[_T]:
        """``call`` through the one retry loop."""
        return send(call, self.retry_policy, self.random_fn)


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


def compile_document(movie: Movie | Mapping[str, Any], validate: bool) -> dict[str, Any]:
    """The JSON document to send, as a fresh dict the caller can change freely."""
    document: object
    if isinstance(movie, Movie):
        document = movie.to_dict(validate=validate)
    elif isinstance(movie, Mapping):
        document = dict(movie)
        if validate:
            ensure_valid(document)
    else:
        raise BuildError(f"submit() expects a Movie or a dict, got {type(movie).__name__}")
    try:
        # A JSON round trip is the deep copy that also proves the body serialises.
        fresh = json.loads(json.dumps(document, allow_nan=False))
    except (TypeError, ValueError, RecursionError) as exc:
        raise BuildError(f"the movie is not JSON-serialisable: {exc}") from None
    return fresh  # type: ignore[no-any-return]  # a dict in, a dict out


def prepare(
    movie: Movie | Mapping[str, Any], *, validate: bool = True, submission_key: str | None = None
) -> Submission:
    """Compile (and validate) ``movie`` and tag it with a unique submission key.

    The key goes into a copy's ``client-data`` under ``moviekit-submission``;
    the user's object is never changed.
    """
    payload = compile_document(movie, validate)
    key = submission_key or uuid.uuid4().hex
    client_data = payload.get("client-data")
    client_data = dict(client_data) if isinstance(client_data, Mapping) else {}
    client_data[SUBMISSION_KEY_FIELD] = key
    payload["client-data"] = client_data
    return Submission(payload=payload, key=key, source=movie)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class MovieList:
    """Following the movie list's pages (``next_token``), with the rule against a list without end.

    After each page, :meth:`take` raises :class:`MalformedResponseError` when
    the service hands out a token it gave before, or more than ``max_pages``
    pages: a list that does not end is not followed forever.
    """

    def __init__(self, max_pages: int = MAX_LIST_PAGES) -> None:
        self.max_pages = max_pages
        self.token: str | None = None
        self.done = False
        self._seen: set[str] = set()
        self._pages = 0

    def take(self, page: MoviePage) -> None:
        """Note that ``page`` was read; :attr:`done` once it was the last one."""
        self._pages += 1
        if not page.has_next:
            self.done = True
            return
        if not page.next_token or page.next_token in self._seen:
            raise MalformedResponseError(
                "the movie list says it has more pages but gives "
                + ("no next_token" if not page.next_token else "a next_token it gave before")
                + "; stopped following it"
            )
        self._seen.add(page.next_token)
        self.token = page.next_token
        if self._pages >= self.max_pages:
            raise MalformedResponseError(
                f"the movie list did not end after {self.max_pages} pages; stopped following it "
                "(narrow the window with since= and until=)"
            )


class MovieOps:
    """Movies: submit, reconcile, status, delete, list, wait, download (as procedures)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    # ------------------------------------------------------------ submitting
    def submit_prepared(self, submission: Submission) -> Op[str]:
        """POST a prepared submission; reconcile through its key when the outcome is unknown.

        Returns the project id.
        """

        def created(body: JSONObject) -> str:
            result = parse(SubmitResult, body, what="submit answer")
            logger.info("submitted project %s", result.project)
            return result.project

        def reconcile(failure: APIError) -> Op[str | None]:
            return self._reconcile_after(submission, failure)

        body = body_bytes(submission.payload)
        if len(body) > MAX_BODY_BYTES:  # the service would answer 413: nothing is sent
            problem = too_large(len(body), MAX_BODY_BYTES)
            raise MovieValidationError(ValidationReport(errors=(problem,)))
        # The bytes Movie.to_json spells and validation measured, whichever HTTP stack sends them.
        request = Request("POST", self.settings.url("/movies"), data=body, headers=_JSON_CONTENT)
        call = Call(request, json_reader(created), resend_safe=False, reconcile=reconcile)
        return self.settings.send(call)

    def _reconcile_after(self, submission: Submission, failure: APIError) -> Op[str | None]:
        lookups = 2  # a second look covers a project listed only after our first list
        for attempt in range(lookups):
            try:
                project = yield from self.find_submission(submission.key)
            except APIError as exc:
                raise SubmitUncertainError(
                    f"the submit failed ({type(failure).__name__}: {failure.message}) and the "
                    f"movie list could not be read to check whether it was created "
                    f"({type(exc).__name__})",
                    submission_key=submission.key,
                    status_code=failure.status_code,
                ) from exc
            if project is not None:
                logger.info("submit %s was created after all: project %s", submission.key, project)
                return project
            if attempt + 1 < lookups:
                policy = self.settings.retry_policy
                yield from sleep(backoff_delay(attempt, policy, random_fn=self.settings.random_fn))
        logger.info("submit %s was not created (%s)", submission.key, type(failure).__name__)
        return None

    def find_submission(self, submission_key: str, since: datetime | None = None) -> Op[str | None]:
        """The project created by a submission, found by its ``client-data`` key.

        Lists movies created since ``since`` (default: the last 2 days). Returns
        ``None`` when the whole list was read and no project carries the key;
        raises :class:`MalformedResponseError` when the list cannot be read to
        its end (so absence is never guessed).
        """
        since = since or datetime.now(timezone.utc) - timedelta(days=2)
        pages = MovieList(RECONCILE_PAGES)
        while not pages.done:
            page = yield from self.list_page(since=since, next_token=pages.token)
            for movie in page.movies:
                if (movie.client_data or {}).get(SUBMISSION_KEY_FIELD) == submission_key:
                    return movie.project
            pages.take(page)
        return None

    # ------------------------------------------------------------ reading
    def get(
        self,
        project_id: str,
        *,
        retries: bool = True,
        simple: bool = True,
        deadline: float | None = None,
    ) -> Op[MovieStatus]:
        """The status of a project by id.

        ``retries=False`` makes exactly one attempt (pollers count failures
        themselves); ``simple=False`` also returns the submitted JSON;
        ``deadline`` caps the seconds each attempt may take.
        """
        params: dict[str, str | int] = {"project": _sendable(project_id)}
        if simple:
            params["format"] = "simple"

        def status(body: JSONObject) -> MovieStatus:
            movie = body.get("movie")
            if not isinstance(movie, dict):
                raise MalformedResponseError(
                    "the status answer has no 'movie' object", project_id=project_id
                )
            movie = {**movie, "remaining_quota": body.get("remaining_quota")}
            movie.setdefault("project", project_id)
            return parse(MovieStatus, movie, what="movie status", project_id=project_id)

        request = Request("GET", self.settings.url("/movies"), params=params, project_id=project_id)
        return self.settings.send(
            Call(request, json_reader(status), retries=retries, budget=deadline)
        )

    def delete(self, project_id: str) -> Op[DeleteResult]:
        """Delete a project's video file (the history row stays; idempotent)."""
        url = self.settings.url("/movies")
        params = {"project": _sendable(project_id)}
        request = Request("DELETE", url, params=params, project_id=project_id)
        return self.settings.send(Call(request, model_reader(DeleteResult, what="delete answer")))

    def list_page(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
        next_token: str | None = None,
    ) -> Op[MoviePage]:
        """One page of the movie list (newest first)."""
        params: dict[str, str | int] = {"limit": limit}
        if since is not None:
            params["from"] = _iso(since)
        if until is not None:
            params["to"] = _iso(until)
        if next_token:
            params["next_token"] = next_token
        request = Request("GET", self.settings.url("/movies"), params=params)
        return self.settings.send(Call(request, model_reader(MoviePage, what="movie list")))

    # ------------------------------------------------------------ waiting
    def wait(
        self,
        project_id: str,
        *,
        timeout: float | None = None,
        on_progress: ProgressCallback | None = None,
        poll_policy: PollPolicy | None = None,
        source: Movie | Mapping[str, Any] | None = None,
    ) -> Op[MovieStatus]:
        """Poll until the job ends; the final ``done`` status.

        Cadence: a first check at once, then 5, 8, 11, 17, 25 s and every 30 s.
        Up to ``max_failed_checks`` failed checks in a row (connection, 5xx,
        429, unreadable answers) are tolerated; any other 4xx stops at once.
        Each check is one request, cut short when the wait's time runs out.

        Raises :class:`RenderFailedError` when the job ends in ``error`` or
        ``timeout`` and :class:`WaitTimeoutError` when ``timeout`` seconds
        (default: the policy's 10 minutes) pass; the job keeps running then
        and can be waited for again.
        """
        policy = poll_policy or self.settings.poll_policy
        state = PollState.start((yield from now()), policy, timeout)
        last: MovieStatus | None = None
        while True:
            left = state.deadline - ((yield from now()) - state.started)
            error: APIError | None = None
            outcome: PollOutcome
            try:
                current = yield from self.get(project_id, retries=False, deadline=left)
            except APIError as exc:
                error, outcome = exc, check_failed(exc)
            else:
                last, outcome = current, CheckRead(current.status)
                if on_progress is not None:
                    yield from notify(on_progress, current)
            state, decision = poll_step(
                policy,
                state,
                outcome,
                (yield from now()),
                retry_after_cap=self.settings.retry_policy.retry_after_cap,
            )
            action = decision.action
            if action is PollAction.CHECK:
                yield from sleep(decision.delay)
            elif action is PollAction.DONE:
                assert last is not None
                return last
            elif action is PollAction.FAILED:
                assert last is not None
                raise render_failure(last, source, project_id)
            elif action is PollAction.REFUSED or action is PollAction.TOO_MANY_FAILURES:
                assert error is not None
                raise error
            else:
                raise WaitTimeoutError(
                    f"gave up waiting after {state.deadline:g} s; the last status was "
                    f"{last.status if last else 'unknown'!r}",
                    project_id=project_id,
                    last_status=last,
                )

    # ------------------------------------------------------------ subtitles
    def subtitles(self, project_id: str) -> Op[SubtitleTrack]:
        """A finished movie's subtitle transcript (its status's ``ass`` file) as typed cues.

        Only a movie with a ``Subtitles`` element has one, once it is done;
        otherwise :class:`~moviekit.NotFoundError` says so.
        """
        status = yield from self.get(project_id)
        return (yield from self.subtitle_file(status.ass, project_id))

    def subtitle_file(self, url: object, project_id: str) -> Op[SubtitleTrack]:
        """The subtitle file at ``url`` (a status's ``ass``) as typed cues."""
        if not isinstance(url, str) or not url:
            raise NotFoundError(
                f"the movie has no subtitle file (its status says ass={url!r})",
                project_id=project_id,
                hint="only a finished movie with a Subtitles element has one: add "
                "Subtitles() to the movie and render it",
            )
        if urlsplit(url).scheme not in ("http", "https"):
            raise MalformedResponseError(
                f"the subtitle URL {short_repr(safe_url(url))} is not an http(s) URL",
                project_id=project_id,
            )
        request = Request("GET", url, headers={"Accept": "*/*"}, auth=False, project_id=project_id)
        text = yield from self.settings.send(Call(request, text_reader))
        try:
            return SubtitleTrack.parse(text)
        except BuildError as exc:
            raise MalformedResponseError(
                f"the subtitle file cannot be read: {exc}", project_id=project_id
            ) from None

    # ------------------------------------------------------------ download
    def download(
        self,
        url: str,
        path: Path,
        *,
        on_progress: DownloadProgress | None = None,
        project_id: str | None = None,
    ) -> Op[Path]:
        """Stream ``url`` to the file ``path`` through a temporary file renamed into place.

        A failed or interrupted download leaves no partial file behind; a page
        instead of a video is refused. The API key is not sent (the file lives
        on a CDN). Retried like a status check; the whole transfer has the
        client's ``download_deadline``.
        """
        call = download_call(url, path, on_progress=on_progress, project_id=project_id)
        return self.settings.send(call)


def render_failure(
    status: MovieStatus, source: Movie | Mapping[str, Any] | None, project_id: str
) -> RenderFailedError:
    """The :class:`RenderFailedError` of a render that ended in ``error`` or ``timeout``."""
    # The key was redacted when the answer was read; the rest is made safe to show.
    message = clean_text(status.message or f"the render ended with status {status.status!r}")
    path = path_from_message(message)
    builder = _builder_at(source, path) if path else None
    return RenderFailedError(
        message, path=path, builder=builder, status=status, project_id=project_id
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


def _sendable(project_id: object) -> str:
    """``project_id`` as the ``project`` parameter, or :class:`ProjectNotFoundError`, unsent.

    Without a project the endpoint answers with the movie list: a status check
    would retry that answer as a glitch for seconds, then call it transient.
    """
    if isinstance(project_id, str) and project_id.strip():
        return project_id
    raise ProjectNotFoundError(
        f"no project id given ({short_repr(project_id)}); nothing was sent",
        hint="pass the id that submit returned (job.project_id, or `moviekit render --no-wait`)",
    )
