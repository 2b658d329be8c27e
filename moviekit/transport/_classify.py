"""Which exception an answer becomes: by status code *and* message, cleaned for display.

The service does not use status codes consistently (an invalid key is a 400,
an exhausted quota a 401, a plan limit a 401), so :func:`error_from_response`
reads the message first. Answers from a file host (the CDN serving a render,
the storage behind a presigned upload URL) are classified by status only: the
API key never travels there, so a 403 from them says nothing about the key.

Everything the service says is untrusted text: before it reaches an exception
it is cut to a readable length, stripped of control characters and cleaned of
the secrets the client knows (the API key), so a hostile or broken answer can
neither flood a terminal nor echo a key into a log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from moviekit._errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    PlanLimitError,
    ProjectNotFoundError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
    TemplateNotFoundError,
)
from moviekit._problems import shorten

__all__ = [
    "MESSAGE_LIMIT",
    "REDACTED",
    "clean_text",
    "error_from_response",
    "path_from_message",
    "parse_retry_after",
]

#: Characters of a service message kept on an exception (the service's own are < 200).
MESSAGE_LIMIT = 500
#: What a secret is replaced with wherever the service echoed it.
REDACTED = "<redacted>"
#: Secrets shorter than this are not searched for (they would match ordinary text).
_MIN_SECRET = 8

_SCENE_ELEMENT = re.compile(
    r"scene\s*#?\s*(?P<scene>\d{1,6})\s*,?\s*element\s*#?\s*(?P<element>\d{1,6})", re.IGNORECASE
)
_TEMPLATE_NOT_FOUND = re.compile(r"\btemplate\b(\s+\S+)?\s+not found")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret in ``secrets`` replaced by ``<redacted>``."""
    for secret in secrets:
        if secret and len(secret) >= _MIN_SECRET and secret in text:
            text = text.replace(secret, REDACTED)
    return text


def clean_text(text: str, secrets: Iterable[str] = (), limit: int = MESSAGE_LIMIT) -> str:
    """Service text made safe to show: secrets redacted, control characters escaped, cut."""
    text = redact(text, secrets)
    text = _CONTROL.sub(lambda m: repr(m[0])[1:-1], text)
    return shorten(text, limit)


def path_from_message(message: str) -> str | None:
    """Turn a service message naming ``Scene #i Element #j`` into a JSON path.

    The service counts from 1 and spells it several ways (``Scene #1 Element
    #2``, ``Scene #1, element #2``, ``in Scene 1, Element 2``); the path
    counts from 0: ``scenes[0].elements[1]``. ``None`` when no element is named.
    """
    match = _SCENE_ELEMENT.search(message)
    if match is None:
        return None
    scene, element = int(match["scene"]), int(match["element"])
    if scene < 1 or element < 1:
        return None
    return f"scenes[{scene - 1}].elements[{element - 1}]"


def _classify(status: int, message: str) -> type[APIStatusError]:
    text = message.lower()
    # Message first: the same status means different things on this service.
    if "api key" in text:
        return AuthenticationError
    if "storage is blocked" in text or "account_suspended" in text:
        return PermissionDeniedError
    if "insufficient credits" in text or "quota" in text:
        return QuotaExceededError
    if "plan allowance" in text or (
        "plan" in text and ("resolution" in text or "maximum" in text or "exceed" in text)
    ):
        return PlanLimitError
    if _TEMPLATE_NOT_FOUND.search(text):
        return TemplateNotFoundError
    if "cannot read properties of null" in text or "project not found" in text:
        return ProjectNotFoundError
    if "insufficient permissions" in text:
        return PermissionDeniedError
    if "not found" in text and status in (400, 404):
        return NotFoundError
    return _by_status(status, {401: AuthenticationError, 403: PermissionDeniedError})


def _by_status(status: int, special: Mapping[int, type[APIStatusError]]) -> type[APIStatusError]:
    if status in special:
        return special[status]
    if status in (404, 410):
        return NotFoundError
    if status == 409:
        return ConflictError
    if status == 429:
        return RateLimitError
    if status >= 500:
        return ServerError
    return BadRequestError


def _file_host_class(status: int) -> type[APIStatusError]:
    if status in (404, 410, 429) or status >= 500:
        return _by_status(status, {})
    return APIStatusError


_FILE_HOST_HINT = (
    "this answer comes from the file host, not the JSON2Video API (no key is sent there): "
    "rendered files expire after 7 days and presigned upload URLs after 120 s; "
    "read the project's status again (client.get(project_id).url) or upload again"
)


def error_from_response(
    status: int,
    body: Mapping[str, Any] | None,
    *,
    raw: str | None = None,
    headers: Mapping[str, str] | None = None,
    project_id: str | None = None,
    method: str | None = None,
    url: str | None = None,
    secrets: Iterable[str] = (),
    file_host: bool = False,
) -> APIStatusError:
    """Build the right :class:`APIStatusError` subclass for an error answer.

    ``body`` is the decoded JSON (or ``None``); the message is read from
    ``message`` whether or not ``success`` is present (the service omits it on
    some 400s). ``file_host`` marks an answer from the CDN or the storage
    behind a presigned URL: classified by status only, with a hint that does
    not blame the API key. ``secrets`` are redacted from message and body.
    """
    secrets = tuple(secrets)
    message = ""
    if body is not None:
        value = body.get("message") or body.get("error") or ""
        message = value if isinstance(value, str) else str(value)
    message = clean_text(message, secrets)
    if not message and body is None and raw and raw.strip():
        start = clean_text(raw.strip(), secrets, 120)
        message = f"the service answered HTTP {status} with a body that is not JSON: {start}"
    elif not message:
        message = f"the service answered HTTP {status} without a message"
    request_id = None
    retry_after = None
    if headers is not None:
        lowered = {k.lower(): v for k, v in headers.items()}
        for name in ("x-request-id", "x-amzn-requestid", "x-amz-request-id", "cf-ray"):
            if name in lowered:
                request_id = clean_text(lowered[name], secrets, 100)
                break
        retry_after = parse_retry_after(lowered.get("retry-after"))
    cls = _file_host_class(status) if file_host else _classify(status, message)
    hint = _FILE_HOST_HINT if file_host and status < 500 and status != 429 else None
    err = cls(
        message,
        status_code=status,
        project_id=project_id,
        request_id=request_id,
        method=method,
        url=url,
        body=clean_text(raw, secrets) if raw is not None else None,
        hint=hint,
    )
    if isinstance(err, RateLimitError):
        err.retry_after = retry_after
    return err


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        # NaN and infinity are not a wish anyone can honour.
        return max(0.0, seconds) if seconds == seconds and seconds != float("inf") else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
