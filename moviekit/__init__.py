"""moviekit: make videos as code for the JSON2Video API.

Build a movie with chained builders, check it offline, compile it to Movie JSON::

    from moviekit import Movie, Scene, Text, Video

    movie = Movie(resolution="full-hd").add(
        Scene().add(Video("https://example.com/beach.mp4"), Text("For sale").duration(4))
    )
    doc = movie.to_dict()   # validated Movie JSON

Everything users import lives here; modules whose names start with ``_`` are
private and may change. Only the exceptions and the validation report are
imported with the package; every other name is imported the first time it is
read (``moviekit._lazy``), so ``import moviekit`` stays cheap for the commands,
tests and scripts that use a small part of it.
"""

from typing import TYPE_CHECKING

# Imported with the package: cheap, and `except moviekit.SomeError` must need nothing else.
from moviekit._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BatchError,
    BatchValidationError,
    BudgetExceededError,
    BuildError,
    ClientConfigError,
    ConflictError,
    LedgerError,
    MalformedResponseError,
    MediaError,
    MoviekitError,
    MovieValidationError,
    NotFoundError,
    PermissionDeniedError,
    PlanLimitError,
    PreviewError,
    PreviewMediaError,
    PreviewUnavailableError,
    ProjectNotFoundError,
    QuotaExceededError,
    RateLimitError,
    RenderFailedError,
    RowsError,
    ServerError,
    StudioError,
    SubmitUncertainError,
    TemplateError,
    TemplateNotFoundError,
    VariableValueError,
    WaitTimeoutError,
    WebhookError,
)
from moviekit._lazy import lazy_exports, lend
from moviekit._problems import Problem, RowProblem, ValidationReport
from moviekit._version import __version__

if TYPE_CHECKING:  # the lazy names below, for type checkers and IDEs
    from moviekit import preview, webhooks
    from moviekit.batch._batch import Batch
    from moviekit.batch._estimate import BatchEstimate
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
    from moviekit.batch._ledger import Ledger
    from moviekit.batch._migrate import migrate_ledger
    from moviekit.batch._postgres import PostgresLedger
    from moviekit.batch._results import BatchResult, DryRun, RowResult
    from moviekit.batch._rows import Row, read_rows
    from moviekit.batch._store import LedgerRow, LedgerStore
    from moviekit.batch._template import MovieTemplate
    from moviekit.batch._variables import NO_DEFAULT, Variable
    from moviekit.builders._elements import (
        HTML,
        Audio,
        Audiogram,
        Component,
        Element,
        Image,
        Subtitles,
        Text,
        UnknownElement,
        Video,
        Voice,
    )
    from moviekit.builders._movie import LocalPreview, Movie, Scene
    from moviekit.service._subtitles import SubtitleCue, SubtitleTrack, with_captions
    from moviekit.timing._captions import voice_captions
    from moviekit.timing._estimate import CostItem, CreditEstimate
    from moviekit.timing._expr import TimeExpr, tmax, tmin
    from moviekit.timing._place import sequence
    from moviekit.timing._timeline import Credits, Span, Timeline, TransitionSpan
    from moviekit.transport._aclient import AsyncClient, AsyncJob, AsyncRender
    from moviekit.transport._client import Client, Job, Render, Submission
    from moviekit.transport._models import MediaFile, MovieStatus, Template, TemplateSummary
    from moviekit.transport._polling import PollPolicy, RetryPolicy, poll_delay
    from moviekit.validation._validate import validate
    from moviekit.values._values import (
        CONTAINER_END,
        CONTAINER_LENGTH,
        FTP,
        NATURAL_LENGTH,
        SFTP,
        ChromaKey,
        Connection,
        Correction,
        Crop,
        Email,
        Expr,
        Rotate,
        Transition,
        Var,
        Webhook,
    )

#: module (relative to the package) -> the public names it defines, imported on first use
_MODULES: dict[str, tuple[str, ...]] = {
    "preview": ("preview",),
    "webhooks": ("webhooks",),
    "batch._batch": ("Batch",),
    "batch._estimate": ("BatchEstimate",),
    "batch._events": (
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
    ),
    "batch._ledger": ("Ledger",),
    "batch._migrate": ("migrate_ledger",),
    "batch._postgres": ("PostgresLedger",),
    "batch._results": ("BatchResult", "DryRun", "RowResult"),
    "batch._rows": ("Row", "read_rows"),
    "batch._store": ("LedgerRow", "LedgerStore"),
    "batch._template": ("MovieTemplate",),
    "batch._variables": ("NO_DEFAULT", "Variable"),
    "builders._elements": (
        "HTML",
        "Audio",
        "Audiogram",
        "Component",
        "Element",
        "Image",
        "Subtitles",
        "Text",
        "UnknownElement",
        "Video",
        "Voice",
    ),
    "builders._movie": ("Movie", "Scene"),
    "service._subtitles": ("SubtitleCue", "SubtitleTrack", "with_captions"),
    "timing._captions": ("voice_captions",),
    "timing._estimate": ("CostItem", "CreditEstimate"),
    "timing._expr": ("TimeExpr", "tmax", "tmin"),
    "timing._place": ("sequence",),
    "timing._timeline": ("Credits", "Span", "Timeline", "TransitionSpan"),
    "transport._aclient": ("AsyncClient", "AsyncJob", "AsyncRender"),
    "transport._client": ("Client", "Job", "Render", "Submission"),
    "transport._models": ("MediaFile", "MovieStatus", "Template", "TemplateSummary"),
    "transport._polling": ("PollPolicy", "RetryPolicy", "poll_delay"),
    "validation._validate": ("validate",),
    "values._values": (
        "CONTAINER_END",
        "CONTAINER_LENGTH",
        "FTP",
        "NATURAL_LENGTH",
        "SFTP",
        "ChromaKey",
        "Connection",
        "Correction",
        "Crop",
        "Email",
        "Expr",
        "Rotate",
        "Transition",
        "Var",
        "Webhook",
    ),
}


def _load_preview() -> "LocalPreview":
    from moviekit import preview

    return preview


# Builders (layer 5) never import the preview (layer 7): the top of the package lends it to them,
# for movie.timeline(probe=True), movie.frame(t) and a movie's notebook view; it is imported the
# first time one of those asks for it.
lend("preview", _load_preview)

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncJob",
    "AsyncRender",
    "Audio",
    "Audiogram",
    "AuthenticationError",
    "BadRequestError",
    "Batch",
    "BatchCounts",
    "BatchError",
    "BatchEstimate",
    "BatchEvent",
    "BatchEventHandler",
    "BatchResult",
    "BatchStarted",
    "BatchStopped",
    "BatchValidationError",
    "BudgetExceededError",
    "BuildError",
    "CONTAINER_END",
    "CONTAINER_LENGTH",
    "ChromaKey",
    "Client",
    "ClientConfigError",
    "Component",
    "ConflictError",
    "Connection",
    "Correction",
    "CostItem",
    "CreditEstimate",
    "Credits",
    "Crop",
    "DownloadFailed",
    "DryRun",
    "Element",
    "Email",
    "Expr",
    "FTP",
    "HTML",
    "Image",
    "Job",
    "Ledger",
    "LedgerError",
    "LedgerRow",
    "LedgerStore",
    "MalformedResponseError",
    "MediaError",
    "MediaFile",
    "Movie",
    "MovieStatus",
    "MovieTemplate",
    "MovieValidationError",
    "MoviekitError",
    "NATURAL_LENGTH",
    "NO_DEFAULT",
    "NotFoundError",
    "PermissionDeniedError",
    "PlanLimitError",
    "PollPolicy",
    "PostgresLedger",
    "PreviewError",
    "PreviewMediaError",
    "PreviewUnavailableError",
    "Problem",
    "ProjectNotFoundError",
    "QuotaExceededError",
    "RateLimitError",
    "Render",
    "RenderFailedError",
    "RetryPolicy",
    "Rotate",
    "Row",
    "RowDownloaded",
    "RowFailed",
    "RowFinished",
    "RowLeftInFlight",
    "RowProblem",
    "RowResult",
    "RowSubmitted",
    "RowsError",
    "SFTP",
    "Scene",
    "ServerError",
    "Span",
    "StudioError",
    "Submission",
    "SubmitUncertainError",
    "SubtitleCue",
    "SubtitleTrack",
    "Subtitles",
    "Template",
    "TemplateError",
    "TemplateNotFoundError",
    "TemplateSummary",
    "Text",
    "TimeExpr",
    "Timeline",
    "Transition",
    "TransitionSpan",
    "UnknownElement",
    "ValidationReport",
    "Var",
    "Variable",
    "VariableValueError",
    "Video",
    "Voice",
    "WaitTimeoutError",
    "Webhook",
    "WebhookError",
    "__version__",
    "migrate_ledger",
    "poll_delay",
    "preview",
    "read_rows",
    "sequence",
    "tmax",
    "tmin",
    "validate",
    "voice_captions",
    "webhooks",
    "with_captions",
]

if not TYPE_CHECKING:  # type checkers read the imports above, and flag a misspelt name
    __getattr__, __dir__ = lazy_exports(__name__, _MODULES, globals())
