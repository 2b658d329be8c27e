"""Receive JSON2Video webhooks: build the endpoint, parse the callback.

The service POSTs once per render (success or failure) to a webhook
destination. It does not sign callbacks, so authenticity rests on a shared
secret that only you and the service know: :func:`endpoint_url` puts it in the
endpoint URL's query string, and :func:`parse` checks it (in constant time)
against the URL the request arrived on.

Two payload shapes are documented and both are accepted:

- flat (older docs, the official n8n example): ``{"project", "url",
  "duration", "size", "width", "height", "id", "client-data"}``, numbers
  often as strings
- envelope (newer guide): ``{"success", "movie": {...status fields...}}``

Both become the same :class:`WebhookEvent`.
"""

from __future__ import annotations

import contextlib
import hmac
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from moviekit._errors import WebhookError

__all__ = ["SECRET_PARAM", "WebhookEvent", "destination", "endpoint_url", "parse", "secured"]

#: Query parameter that carries the shared secret in the endpoint URL.
SECRET_PARAM = "moviekit_token"


class WebhookEvent(BaseModel):
    """One render-finished callback, whatever shape it came in."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    project: str
    status: str = Field(description="done or error (inferred from url in the flat shape)")
    url: str | None = None
    message: str = ""
    duration: float | None = None
    size: int | None = None
    width: int | None = None
    height: int | None = None
    movie_id: str | None = Field(default=None, alias="id")
    client_data: dict[str, Any] = Field(default_factory=dict, alias="client-data")
    shape: str = Field(description="'flat' or 'envelope': which documented shape was received")

    @property
    def ok(self) -> bool:
        """True when the render succeeded."""
        return self.status == "done"


def endpoint_url(endpoint: str, secret: str) -> str:
    """``endpoint`` with the shared secret added as ``?moviekit_token=...``.

    The service requires a public ``https://`` endpoint with a valid certificate.
    """
    parts = urlsplit(endpoint)
    if parts.scheme != "https":
        raise WebhookError(
            f"webhook endpoint must be https:// (the service requires it), "
            f"got {parts.scheme or 'no'} scheme"
        )
    if not secret:
        raise WebhookError("the shared secret must not be empty")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != SECRET_PARAM]
    query.append((SECRET_PARAM, secret))
    return urlunsplit(parts._replace(query=urlencode(query)))


def destination(endpoint: str, *, secret: str | None = None) -> dict[str, Any]:
    """A webhook destination for a movie's ``exports[0].destinations``.

    ``content-type`` is the full MIME type: the official integration reports
    that the short forms in the docs are ignored.
    """
    url = endpoint_url(endpoint, secret) if secret is not None else endpoint
    return {"type": "webhook", "endpoint": url, "content-type": "application/json"}


def secured(endpoint: str, secret: str) -> Any:
    """A :class:`moviekit.Webhook` destination whose URL carries ``secret``.

    Use it with the builder: ``movie.export_to(webhooks.secured(url, secret))``.
    """
    from moviekit.values._values import Webhook  # lazy: the builders import moviekit

    return Webhook(endpoint_url(endpoint, secret), content_type="application/json")


def _decode(body: bytes | str | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(body, Mapping):
        return dict(body)
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = text.strip()
    if not text:
        raise WebhookError("the webhook body is empty")
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise WebhookError(f"the webhook body is not valid JSON: {exc}") from None
        if not isinstance(value, dict):
            raise WebhookError("the webhook body is not a JSON object")
        return value
    # content-type "urlencoded": nested objects arrive as JSON strings, if at all.
    flat: dict[str, Any] = {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}
    if not flat:
        raise WebhookError("the webhook body is neither JSON nor form-encoded")
    for key in ("client-data", "movie"):
        if isinstance(flat.get(key), str):
            with contextlib.suppress(ValueError):
                flat[key] = json.loads(flat[key])
    return flat


def _check_secret(secret: str, url: str | None, token: str | None) -> None:
    if token is None and url is not None:
        values = parse_qs(urlsplit(url).query).get(SECRET_PARAM)
        token = values[-1] if values else None
    if token is None:
        raise WebhookError(
            f"no {SECRET_PARAM} in the request URL: pass parse(body, secret, url=request_url) "
            "and build the endpoint with moviekit.webhooks.endpoint_url()"
        )
    if not hmac.compare_digest(token.encode(), secret.encode()):
        raise WebhookError("the webhook secret does not match; ignore this request")


def parse(
    body: bytes | str | Mapping[str, Any],
    secret: str | None = None,
    *,
    url: str | None = None,
    token: str | None = None,
) -> WebhookEvent:
    """Turn a webhook body (either documented shape) into a :class:`WebhookEvent`.

    With ``secret``, the callback is accepted only when the request URL
    (``url=``, e.g. ``request.url``) or the ``token=`` taken from it carries the
    same secret; otherwise :class:`~moviekit.WebhookError` is raised.
    Secrets are never echoed in messages.
    """
    if secret is not None:
        _check_secret(secret, url, token)
    data = _decode(body)
    if isinstance(data.get("movie"), Mapping):
        movie = dict(data["movie"])
        fields = {**movie, "shape": "envelope"}
        fields.setdefault("status", "done" if movie.get("url") else "error")
    elif "project" in data:
        fields = {**data, "shape": "flat"}
        # The flat shape has no status: a url means the render is there.
        fields.setdefault("status", "done" if data.get("url") else "error")
    else:
        raise WebhookError(
            "unrecognised webhook body: expected a 'project' field (flat shape) "
            "or a 'movie' object (envelope shape)"
        )
    for key in ("duration", "size", "width", "height", "url", "id"):
        if fields.get(key) == "":
            fields[key] = None  # string-typed payloads send "" for absent values
    if fields.get("message") is None:
        fields["message"] = ""
    if not isinstance(fields.get("client-data"), Mapping):
        fields["client-data"] = {}
    try:
        return WebhookEvent.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise WebhookError(
            f"webhook field {'.'.join(map(str, first['loc']))}: {first['msg']}"
        ) from None
