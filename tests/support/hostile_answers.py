"""Hypothesis strategies for what the service could answer: any JSON, and real-looking shapes.

Shared by the property tests of ``Client`` and ``AsyncClient``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from moviekit import APIError, PollPolicy, RetryPolicy
from support.hostile import API_KEY, Answer, Seen

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
status_words = st.sampled_from(["pending", "running", "done", "error", "timeout", "weird"])
movies = st.fixed_dictionaries(
    {},
    optional={
        "project": st.text(max_size=20) | json_values,
        "status": status_words | json_values,
        "url": st.just("http://127.0.0.1:1/x.mp4") | json_values,
        "message": st.text(max_size=30) | json_values,
        "duration": st.floats() | json_values,
        "size": st.integers() | json_values,
        "client-data": json_values,
        "json": st.text(max_size=30) | json_values,
        "thumbnail": json_values,
    },
)
status_bodies = json_values | st.fixed_dictionaries(
    {"movie": movies | json_values},
    optional={"success": st.booleans() | json_values, "remaining_quota": json_values},
)
list_bodies = json_values | st.fixed_dictionaries(
    {"movies": st.lists(movies | json_values, max_size=3) | json_values},
    optional={
        "success": st.booleans() | json_values,
        "has_next": st.booleans() | json_values,
        "next_token": st.text(max_size=4) | json_values,
    },
)
submit_bodies = json_values | st.fixed_dictionaries(
    {"project": st.text(max_size=20) | json_values},
    optional={"success": st.booleans() | json_values, "message": json_values},
)
statuses = st.sampled_from([200, 200, 200, 200, 400, 401, 404, 429, 500, 503])

templates = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=20) | json_values,
        "name": st.text(max_size=10) | json_values,
        "tags": st.lists(st.text(max_size=5), max_size=2) | json_values,
        "movie": st.text(max_size=30) | json_values,
    },
)
template_bodies = json_values | st.fixed_dictionaries(
    {"template": templates | json_values, "templates": st.lists(templates, max_size=2)},
    optional={"success": st.booleans() | json_values, "templateId": json_values},
)


# ------------------------------------------------------------------ serving them

#: Seconds one call may take against the scripted server (zero backoff, loopback).
BOUND = 3.0
#: Hypothesis settings of the property tests of both clients.
PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
#: The client settings of the property tests: one retry, no waiting, a short wait.
CLIENT_OPTIONS: dict[str, Any] = {
    "api_key": API_KEY,
    "timeout": (1.0, 1.0),
    "retry_policy": RetryPolicy(max_retries=1, base=0.0, cap=0.0, jitter=0.0),
    "poll_policy": PollPolicy.for_local_testing(interval=0.01, deadline=0.3),
}


class Scripted:
    """A ``HostileServer`` script answering each endpoint kind with the current example's answer."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, bytes]] = {}

    def __call__(self, seen: Seen) -> Answer:
        if seen.path == "/v2/templates":
            kind = "template"
        elif seen.method == "POST":
            kind = "submit"
        elif "project" in seen.query:
            kind = "status"
        else:
            kind = "list"
        status, body = self.answers.get(kind, (200, b"{}"))
        return Answer(status, body, {"Content-Type": "application/json"})

    def set(self, kind: str, status: int, value: Any) -> None:
        """Answer ``kind`` requests with ``status`` and ``value`` as JSON from now on."""
        self.answers[kind] = (status, json.dumps(value).encode())


def bounded(call: Callable[[], object]) -> object:
    """``call()``'s result or the APIError it raised; it must end within :data:`BOUND` s."""
    start = time.monotonic()
    try:
        result = call()
    except APIError as exc:
        result = exc
    assert time.monotonic() - start < BOUND
    return result
