"""The moviekit exception tree.

Every error moviekit raises on purpose derives from :class:`MoviekitError`, so
``except moviekit.MoviekitError`` catches all of them::

    MoviekitError
    ├── BuildError               a builder was given a bad value or an unknown name
    ├── MovieValidationError     the compiled document breaks the schema or a lint
    ├── ClientConfigError        bad client settings (no API key, plain http to a remote host)
    ├── BudgetExceededError      the estimate is above max_credits: nothing was sent
    ├── MediaError               a local file cannot be uploaded (too big, empty, bad name)
    ├── WebhookError             a webhook body cannot be parsed, or its secret does not match
    ├── PreviewError             the local preview renderer (moviekit.preview) cannot render
    │   ├── PreviewUnavailableError  the ffmpeg it needs is missing (the preview extra)
    │   └── PreviewMediaError        a media file is missing, unreadable or of the wrong kind
    ├── BatchError               the batch layer refused: rows, a template, the dry run, the ledger
    │   ├── RowsError                rows cannot be read (bad file, missing or duplicate keys)
    │   ├── TemplateError            a template or its variable declaration is unusable
    │   ├── VariableValueError       a value does not fit a declared variable (code, hint)
    │   ├── BatchValidationError     the dry run found bad rows; ``.problems`` lists all of them
    │   └── LedgerError              the ledger cannot be used (not a ledger, in use, newer)
    ├── StudioError              the studio cannot use a script (it raised, or defines no movie)
    └── APIError                 anything that went wrong talking to the service
        ├── APIConnectionError       no usable answer: refused, reset, DNS ...
        │   └── APITimeoutError      the request timed out
        ├── MalformedResponseError   the answer was not the JSON we expect
        ├── APIStatusError           the service answered with an error status
        │   ├── BadRequestError          400 not matched by a more specific class
        │   ├── AuthenticationError      invalid or missing API key (400 or 401!)
        │   ├── QuotaExceededError       out of credits / movie quota
        │   ├── PlanLimitError           asked for more than the plan allows (resolution ...)
        │   ├── PermissionDeniedError    403, a secondary key without the role
        │   ├── NotFoundError            unknown project, template or file
        │   │   ├── ProjectNotFoundError
        │   │   └── TemplateNotFoundError
        │   ├── ConflictError            409, e.g. a media file name clash
        │   ├── RateLimitError           429
        │   └── ServerError              5xx
        ├── SubmitUncertainError     a submit may or may not have created a project
        ├── RenderFailedError        the job ended with status ``error`` or ``timeout``
        └── WaitTimeoutError         our wait deadline passed; the job may still be running

The service does not use status codes consistently (an invalid key is a 400, an
exhausted quota a 401), so the transport layer
(:func:`moviekit.transport._classify.error_from_response`) picks the class from
the status code *and* the message text; this module only defines the classes.

Messages say what is wrong, where (a JSON path such as
``scenes[1].elements[0].src``, or ``rows[12].price`` for a batch row) and how
to fix it. They never contain the API key. Transport failures during a batch
keep their own classes (``APIError`` and below).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from moviekit._problems import RowProblem, ValidationReport, describe_row_problems

if TYPE_CHECKING:  # pragma: no cover - imported for type hints only
    from moviekit._problems import Problem


class MoviekitError(Exception):
    """Root of every exception moviekit raises on purpose."""


class BuildError(MoviekitError, ValueError):
    """A builder was given a value or a property name it cannot use.

    ``path`` names where in the movie the problem is, when it is known.
    """

    def __init__(self, message: str, *, path: str = "") -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class MovieValidationError(MoviekitError, ValueError):
    """The compiled Movie JSON breaks the bundled schema or a lint.

    ``report`` holds every problem found (``report.errors`` and
    ``report.warnings``); ``str()`` lists the errors grouped by path, most
    specific first.
    """

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(report.describe())

    @property
    def errors(self) -> list[Problem]:
        """The problems that made validation fail."""
        return list(self.report.errors)


# --------------------------------------------------------------------------
# Transport errors (moviekit.Client, moviekit.testing, moviekit.webhooks)
# --------------------------------------------------------------------------


class ClientConfigError(MoviekitError, ValueError):
    """The client cannot be used as configured (no API key, insecure URL ...)."""


class BudgetExceededError(MoviekitError, ValueError):
    """A render's estimate (or its lower bound) is above ``max_credits``; nothing was sent.

    ``estimate`` is the :class:`~moviekit.CreditEstimate` (``estimate.items``
    lists what costs what), ``max_credits`` the budget, ``path`` where the
    budget was given (``max_credits``, or ``rows[3]`` for a batch row).
    """

    def __init__(
        self, message: str, *, estimate: object, max_credits: float, path: str = "max_credits"
    ) -> None:
        self.estimate = estimate
        self.max_credits = max_credits
        self.path = path
        super().__init__(message)


class MediaError(MoviekitError, ValueError):
    """A local file cannot be uploaded; raised before any request is sent."""

    def __init__(self, message: str, *, path: str = "") -> None:
        self.path = path
        super().__init__(message)


class WebhookError(MoviekitError, ValueError):
    """A webhook body cannot be parsed, or the shared secret does not match."""


class PreviewError(MoviekitError):
    """The local preview renderer cannot render this movie (ffmpeg failed, a template movie...).

    ``path`` names the scene or element concerned when known (``scenes[1]``).
    """

    def __init__(self, message: str, *, path: str = "") -> None:
        self.path = path
        super().__init__(message)


class PreviewUnavailableError(PreviewError):
    """The preview needs the ffmpeg of the ``imageio-ffmpeg`` wheel.

    The fix is in the message: ``pip install "moviekit-json2video[preview]"``.
    """


class PreviewMediaError(PreviewError):
    """A media file an element uses is missing, unreadable or not of its kind.

    ``path`` is the element's JSON path (``scenes[0].elements[1]``), ``file`` the
    file (local path or URL) as the movie names it.
    """

    def __init__(self, message: str, *, path: str = "", file: str = "") -> None:
        self.file = file
        super().__init__(message, path=path)


# --------------------------------------------------------------------------
# Batch errors (moviekit.Batch, MovieTemplate, read_rows, Ledger)
# --------------------------------------------------------------------------


class BatchError(MoviekitError):
    """Root of the batch layer's own errors (rows, templates, dry run, ledger)."""


class RowsError(BatchError, ValueError):
    """The rows cannot be read or keyed.

    ``problems`` lists every bad row found (each with its ``rows[i]`` path);
    ``path`` is where the first one is (``rows`` when the input as a whole is
    unusable); ``source`` names the input (a file path, or a type name).
    """

    def __init__(
        self,
        message: str,
        *,
        problems: Iterable[RowProblem] = (),
        path: str = "rows",
        source: str = "",
    ) -> None:
        self.problems = list(problems)
        self.path = self.problems[0].path if self.problems else path
        self.source = source
        if self.problems:
            message = f"{message}\n{describe_row_problems(self.problems)}"
        super().__init__(message)


class TemplateError(BatchError, ValueError):
    """A template or one of its variable declarations cannot be used."""


class VariableValueError(BatchError, ValueError):
    """A value does not fit a declared variable (``Variable.coerce``).

    ``code`` is the problem's stable name (``type``, ``choice``, ``url``,
    ``pattern``, ``minimum``, ``maximum``), ``hint`` how to fix the value. In
    a dry run it becomes a :class:`~moviekit.RowProblem` at the row's column.
    """

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        self.code = code
        self.message = message
        self.hint = hint
        super().__init__(message)


class BatchValidationError(BatchError, ValueError):
    """The dry run found bad rows; nothing was submitted.

    ``problems`` holds every problem of every row (not only the first), so one
    run shows everything to fix. Pass ``skip_bad_rows=True`` to render the good
    rows anyway.
    """

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = list(problems)
        super().__init__(
            describe_row_problems(self.problems)
            + "\nnothing was submitted; fix these rows, or pass skip_bad_rows=True "
            "(CLI: --skip-bad-rows) to render the good ones"
        )

    @property
    def row_keys(self) -> list[str]:
        """Keys of the bad rows, in input order, each once."""
        return list(dict.fromkeys(p.row_key for p in self.problems if p.severity == "error"))


class LedgerError(BatchError):
    """The ledger cannot be used: not a moviekit ledger, a newer format, or in use."""


class StudioError(MoviekitError):
    """The studio (``moviekit studio``, the batch review) cannot use a script or its rows.

    The message is one line: where (``recipe.py, line 12``) and what went wrong;
    the studio page shows it in place of the draft.
    """


_BODY_LIMIT = 500  # characters of a response body kept on an exception


class APIError(MoviekitError):
    """Root of every error that comes from talking to the JSON2Video service.

    Attributes (``None`` when unknown):

    - ``message``: the service's own message (or ours when it sent none)
    - ``status_code``: HTTP status of the answer
    - ``project_id``: the 16-character project the call was about
    - ``request_id``: a request id header from the answer, for support
    - ``method`` / ``url``: the request (the URL never carries the API key;
      the key only travels in the ``x-api-key`` header)
    - ``body``: the start of the raw response body

    ``str()`` starts with the project id (what JSON2Video support asks for),
    then the message and a hint saying how to fix or resume.
    """

    hint: str = ""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        project_id: str | None = None,
        request_id: str | None = None,
        method: str | None = None,
        url: str | None = None,
        body: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.status_code = status_code
        self.project_id = project_id
        self.request_id = request_id
        self.method = method
        self.url = url
        self.body = body[:_BODY_LIMIT] if body is not None else None
        if hint is not None:
            self.hint = hint
        super().__init__(self._describe())

    def _describe(self) -> str:
        head = []
        if self.project_id:
            head.append(f"project {self.project_id}")
        if self.request_id:
            head.append(f"request {self.request_id}")
        text = f"[{', '.join(head)}] " if head else ""
        text += self.message
        where = []
        if self.status_code is not None:
            where.append(f"HTTP {self.status_code}")
        if self.method and self.url:
            where.append(f"{self.method} {self.url}")
        if where:
            text += f" ({'; '.join(where)})"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors do not pickle by default; errors cross
        # process boundaries in batch runners.
        return (
            _rebuild_error,
            (type(self), self.message, self.__dict__.copy()),
        )


def _rebuild_error(cls: type[APIError], message: str, state: dict[str, Any]) -> APIError:
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    err.args = (err._describe(),)
    return err


class APIConnectionError(APIError):
    """No usable answer: connection refused or reset, DNS failure, broken stream."""

    hint = "check the network and base_url; status checks and downloads are retried automatically"


class APITimeoutError(APIConnectionError):
    """The request did not complete within the client's timeout."""

    hint = "raise Client(timeout=...) or retry later"


class MalformedResponseError(APIError):
    """The service answered, but not with the JSON shape moviekit expects."""

    hint = "this is usually transient; if it persists, report the request id and body"


class APIStatusError(APIError):
    """The service answered with an error status (``success: false``)."""


class BadRequestError(APIStatusError):
    """HTTP 400 not matched by a more specific class: the request was refused."""

    hint = "read the message: it names the property or parameter the service did not accept"


class AuthenticationError(APIStatusError):
    """The API key is missing or invalid (the service answers 400 or 401)."""

    hint = (
        "pass Client(api_key=...) or set JSON2VIDEO_API_KEY; "
        "copy the key again from the JSON2Video dashboard"
    )


class QuotaExceededError(APIStatusError):
    """Out of credits, or the plan's movie quota is used up."""

    hint = (
        "add credits or upgrade the plan in the JSON2Video dashboard; failed renders are not billed"
    )


class PlanLimitError(APIStatusError):
    """The request asks for more than the plan allows (e.g. a resolution above it)."""

    hint = "lower the resolution or duration, or upgrade the plan"


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the key's role does not allow this call, or the account is blocked."""

    hint = "use the primary key, or a secondary key with the needed role (render/editor/manager)"


class NotFoundError(APIStatusError):
    """The project, template or file does not exist (or is not yours)."""


class ProjectNotFoundError(NotFoundError):
    """No project with this id on this account.

    The service reports it as HTTP 400 with a leaked ``TypeError`` message.
    """

    hint = "check the 16-character project id and that the same account's key is used"


class TemplateNotFoundError(NotFoundError):
    """No template with this id on this account."""

    hint = "check the 20-character template id (client.templates.list() shows yours)"


class ConflictError(APIStatusError):
    """HTTP 409: e.g. a media file with this name already exists."""

    hint = "delete the existing file first, or upload under another name"


class RateLimitError(APIStatusError):
    """HTTP 429: too many requests. ``retry_after`` holds the server's wish."""

    hint = "slow down; idempotent calls are retried automatically, honouring Retry-After"

    retry_after: float | None = None


class ServerError(APIStatusError):
    """HTTP 5xx: the service failed. Idempotent calls were retried already."""

    hint = "retry later; a submit is never retried blindly (see SubmitUncertainError)"


class SubmitUncertainError(APIError):
    """A submit may or may not have created a project, and reconciling failed.

    ``submission_key`` is the unique key moviekit put in the movie's
    ``client-data``; ``client.reconcile(submission_key)`` finds the project
    later, so nothing is rendered twice.
    """

    def __init__(self, message: str, *, submission_key: str, **kwargs: Any) -> None:
        self.submission_key = submission_key
        kwargs.setdefault(
            "hint",
            f"do not resubmit blindly; call client.reconcile({submission_key!r}) once the "
            "service is reachable to find the project if it was created",
        )
        super().__init__(message, **kwargs)


class RenderFailedError(APIError):
    """The job ended with status ``error`` (or ``timeout``).

    ``path`` is the JSON path of the failing element when the service's
    message names it (``Scene #2 Element #1`` -> ``scenes[1].elements[0]``);
    ``builder`` is the moviekit builder object that produced it, when the
    movie was built with moviekit. ``status`` is the movie status model.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        builder: object | None = None,
        status: object | None = None,
        **kwargs: Any,
    ) -> None:
        self.path = path
        self.builder = builder
        self.status = status
        if path and "hint" not in kwargs:
            where = f"{path} ({type(builder).__name__})" if builder is not None else path
            kwargs["hint"] = f"fix {where} and submit again; failed renders are not billed"
        super().__init__(message, **kwargs)


class WaitTimeoutError(APIError):
    """Our wait deadline passed. The job may still be running on the service.

    Resume with ``client.job(project_id).wait()``; no new render is needed.
    """

    def __init__(
        self, message: str, *, project_id: str, last_status: object = None, **kwargs: Any
    ) -> None:
        self.last_status = last_status
        kwargs.setdefault(
            "hint",
            f"the render may still finish: resume with client.job({project_id!r}).wait() "
            "or check it with `moviekit status " + project_id + "`",
        )
        super().__init__(message, project_id=project_id, **kwargs)


# --------------------------------------------------------------------------
# One line per error, for the command line and for agents
# --------------------------------------------------------------------------

_MESSAGE_LIMIT = 500  # characters of an exception's message kept on the line


def error_line(exc: BaseException, source: str = "") -> str:
    """What went wrong, as one plain line for a person or an agent (never Python).

    An invalid movie's first error with its path, a service error with its
    project and request ids, anything else with its type. The command line
    prints it after ``error:``; the MCP server returns it as the tool error.
    """
    if isinstance(exc, MovieValidationError):
        return invalid_movie_line(exc.report, source)
    if isinstance(exc, APIError):
        return _api_error(exc)
    if isinstance(exc, MoviekitError):
        return _one_line(str(exc))
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror or _one_line(str(exc))}"
    text = _one_line(str(exc))
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _one_line(text: str) -> str:
    """A message as one line: a ``hint:`` line becomes ``(hint: ...)``; cut when very long."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    head = " ".join(line for line in lines if not line.startswith("hint: "))
    if len(head) > _MESSAGE_LIMIT:
        head = head[: _MESSAGE_LIMIT - 3] + "..."
    hints = [line for line in lines if line.startswith("hint: ")]
    return head + "".join(f" ({hint})" for hint in hints)


def invalid_movie_line(report: ValidationReport, source: str = "") -> str:
    """``invalid movie: <path>: <message> (hint: ...) [+N more; ...]``: the first error."""
    if not report.errors:
        return "invalid movie"
    first = report.errors[0]
    hint = f" (hint: {first.hint})" if first.hint else ""
    more = len(report.errors) - 1
    command = f"moviekit validate {source}" if source else "moviekit validate"
    extra = f" [+{more} more; run `{command}` to see all]" if more > 0 else ""
    return f"invalid movie: {first.path or '(movie)'}: {_one_line(first.message)}{hint}{extra}"


# The library's hints speak Python (``Client(timeout=...)``); a line says what to do instead.
_CLI_HINTS: tuple[tuple[type[APIError], str], ...] = (
    (
        AuthenticationError,
        "check JSON2VIDEO_API_KEY: copy the key again from the JSON2Video dashboard",
    ),
    (APITimeoutError, "retry later; the service may be slow"),
    (
        APIConnectionError,
        "check the network and --base-url (JSON2VIDEO_BASE_URL); status checks and downloads "
        "are retried automatically",
    ),
    (
        TemplateNotFoundError,
        "check the 20-character template id (`moviekit templates` lists yours)",
    ),
)


def _api_error(exc: APIError) -> str:
    text = str(exc)
    for kind, hint in _CLI_HINTS:
        if isinstance(exc, kind):
            text = text.replace(exc.hint, hint) if exc.hint else f"{text}\nhint: {hint}"
            break
    return _one_line(text)
