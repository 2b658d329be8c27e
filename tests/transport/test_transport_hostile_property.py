"""Any JSON the service could answer -> a typed result or a moviekit APIError, in bounded time.

Hypothesis draws answers (arbitrary JSON values, and objects shaped like the
real ones with arbitrary values inside) for the status, list and submit
endpoints, served by a real loopback server.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.hostile import API_KEY, Answer, HostileServer, Seen
from support.hostile_answers import (
    list_bodies,
    status_bodies,
    statuses,
    submit_bodies,
    template_bodies,
)

from moviekit import APIError, Client, Job, MovieStatus, PollPolicy, RetryPolicy, Template
from moviekit.transport._models import MoviePage

PID = "B" * 16
#: Seconds one call may take against this server (zero backoff, loopback).
BOUND = 3.0

#: The answers of the current example, by endpoint kind.
ANSWERS: dict[str, tuple[int, bytes]] = {}


def _script(seen: Seen) -> Answer:
    if seen.path == "/v2/templates":
        kind = "template"
    elif seen.method == "POST":
        kind = "submit"
    elif "project" in seen.query:
        kind = "status"
    else:
        kind = "list"
    status, body = ANSWERS.get(kind, (200, b"{}"))
    return Answer(status, body, {"Content-Type": "application/json"})


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with HostileServer(_script) as server:
        yield Client(
            api_key=API_KEY,
            base_url=server.base_url,
            timeout=(1.0, 1.0),
            retry_policy=RetryPolicy(max_retries=1, base=0.0, cap=0.0, jitter=0.0),
            poll_policy=PollPolicy.for_local_testing(interval=0.01, deadline=0.3),
        )


def _set(kind: str, status: int, value: Any) -> None:
    ANSWERS[kind] = (status, json.dumps(value).encode())


def _bounded(call: Any) -> object:
    start = time.monotonic()
    try:
        result = call()
    except APIError as exc:
        result = exc
    assert time.monotonic() - start < BOUND
    return result


PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(status=statuses, body=status_bodies)
def test_any_status_answer(client: Client, status: int, body: Any) -> None:
    _set("status", status, body)
    assert isinstance(_bounded(lambda: client.get(PID)), (MovieStatus, APIError))
    outcome = _bounded(lambda: client.job(PID).wait())
    assert isinstance(outcome, APIError) or outcome.status.status == "done"  # type: ignore[attr-defined]


@PROPERTY
@given(status=statuses, body=list_bodies)
def test_any_list_answer(client: Client, status: int, body: Any) -> None:
    _set("list", status, body)
    assert isinstance(_bounded(client.list_movies_page), (MoviePage, APIError))
    assert isinstance(_bounded(lambda: list(client.list_movies(max_pages=3))), (list, APIError))


@PROPERTY
@given(
    submit=st.tuples(statuses, submit_bodies),
    listing=st.tuples(statuses, list_bodies),
)
def test_any_submit_answer(
    client: Client, submit: tuple[int, Any], listing: tuple[int, Any]
) -> None:
    _set("submit", *submit)
    _set("list", *listing)
    body = {"resolution": "hd", "scenes": [{"duration": 1, "elements": []}]}
    assert isinstance(_bounded(lambda: client.submit(body, validate=False)), (Job, APIError))


@PROPERTY
@given(status=statuses, body=template_bodies)
def test_any_template_answer(client: Client, status: int, body: Any) -> None:
    _set("template", status, body)
    assert isinstance(_bounded(lambda: client.templates.get("T" * 20)), (Template, APIError))
    assert isinstance(_bounded(client.templates.list), (list, APIError))
    outcome = _bounded(lambda: client.templates.create("Promo", {"scenes": []}))
    assert isinstance(outcome, APIError) or len(outcome.template_id) > 0  # type: ignore[attr-defined]
