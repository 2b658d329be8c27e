"""The settings both clients check the same way: key, base URL, plain-http and poll-floor rules.

``Client`` and ``AsyncClient`` take the same options; :func:`configure`
checks them once for both, before any request, and names the fix.
"""

from __future__ import annotations

import ipaddress
import math
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from moviekit._errors import ClientConfigError
from moviekit.transport._exchange import Secret
from moviekit.transport._polling import PollPolicy

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "POLL_INTERVAL_ENV",
    "ClientConfig",
    "configure",
]

DEFAULT_BASE_URL = "https://api.json2video.com/v2"
API_KEY_ENV = "JSON2VIDEO_API_KEY"
BASE_URL_ENV = "JSON2VIDEO_BASE_URL"
#: seconds between status checks when no poll policy is given (``moviekit fake-server``
#: prints a short one: the 5 s floor is the real service's, so only loopback may go faster)
POLL_INTERVAL_ENV = "JSON2VIDEO_POLL_INTERVAL"
_LOOPBACK_NAMES = {"localhost"}


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ClientConfig:
    """Checked settings: the key, the API base, the poll policy and the deadlines."""

    key: Secret
    base_url: str
    poll_policy: PollPolicy
    deadline: float
    download_deadline: float
    connect_timeout: float
    read_timeout: float


def configure(
    api_key: str | None,
    base_url: str | None,
    *,
    timeout: float | tuple[float, float],
    deadline: float | None,
    download_deadline: float,
    poll_policy: PollPolicy | None,
) -> ClientConfig:
    """Check a client's settings (environment variables fill in the key and the base URL).

    Raises :class:`~moviekit.ClientConfigError` for a base URL that is not
    http(s), plain ``http://`` to a host that is not loopback (the key would
    travel in clear text), a poll policy faster than the service's 5 s floor
    against a real host, and a deadline that is not a positive number.
    """
    key = Secret(api_key if api_key is not None else os.environ.get(API_KEY_ENV))
    base_url = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ClientConfigError(f"base_url must be an https:// URL, got {base_url!r}")
    loopback = _is_loopback(parts.hostname)
    if parts.scheme == "http" and not loopback:
        raise ClientConfigError(
            f"refusing plain http:// to {parts.hostname}: the API key would travel in clear "
            "text; use https:// (http is allowed only for 127.0.0.1/localhost test servers)"
        )
    interval = os.environ.get(POLL_INTERVAL_ENV) if poll_policy is None else None
    policy = poll_policy or (_interval_policy(interval) if interval else PollPolicy())
    if not policy.respects_floor and not loopback:
        raise ClientConfigError(
            "the service asks clients never to poll faster than every 5 s; faster poll "
            "policies are allowed only against a loopback test server"
            + (f" (unset {POLL_INTERVAL_ENV}, which asks for {interval} s)" if interval else "")
        )
    connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    for name, value in (("deadline", deadline), ("download_deadline", download_deadline)):
        if value is not None and not value > 0:
            raise ClientConfigError(f"{name} must be a number of seconds > 0, got {value!r}")
    return ClientConfig(
        key=key,
        base_url=base_url,
        poll_policy=policy,
        deadline=deadline if deadline is not None else connect + read,
        download_deadline=download_deadline,
        connect_timeout=connect,
        read_timeout=read,
    )


def _interval_policy(text: str) -> PollPolicy:
    """The poll policy of :data:`POLL_INTERVAL_ENV`: every ``text`` seconds."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds <= _LONGEST_INTERVAL:
        raise ClientConfigError(
            f"{POLL_INTERVAL_ENV} must be a number of seconds between 0 and "
            f"{_LONGEST_INTERVAL:g}, got {text[:40]!r}"
        )
    return PollPolicy(schedule=(seconds,))


_LONGEST_INTERVAL = 3600.0  # an hour: any longer is a typo, not a schedule
