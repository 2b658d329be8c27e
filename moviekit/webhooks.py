"""Receive JSON2Video webhooks: build the endpoint, parse the callback (``moviekit.webhooks``).

The implementation lives in the transport layer (``moviekit/transport/_webhooks.py``);
this module is the public name users import.
"""

from moviekit.transport._webhooks import (
    SECRET_PARAM,
    WebhookEvent,
    destination,
    endpoint_url,
    parse,
    secured,
)

__all__ = ["SECRET_PARAM", "WebhookEvent", "destination", "endpoint_url", "parse", "secured"]
