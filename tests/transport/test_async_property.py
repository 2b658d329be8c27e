"""Any answer the service could give -> a typed result or an APIError, for ``AsyncClient`` too.

The answers of ``test_transport_hostile_property`` (and template answers), served
by a real loopback server, read by an ``AsyncClient`` running on an anyio portal.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from anyio.from_thread import start_blocking_portal
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
from support.twins import Blocking

from moviekit import APIError, AsyncClient, MovieStatus, PollPolicy, RetryPolicy, Template
from moviekit.transport._models import MoviePage

PID = "B" * 16
BOUND = 3.0
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


async def _client(base_url: str) -> AsyncClient:
    return AsyncClient(
        api_key=API_KEY,
        base_url=base_url,
        timeout=(1.0, 1.0),
        retry_policy=RetryPolicy(max_retries=1, base=0.0, cap=0.0, jitter=0.0),
        poll_policy=PollPolicy.for_local_testing(interval=0.01, deadline=0.3),
    )


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with HostileServer(_script) as server, start_blocking_portal() as portal:
        aclient = portal.call(_client, server.base_url)
        yield Blocking(aclient, portal)
        portal.call(aclient.aclose)


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
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(status=statuses, body=status_bodies)
def test_any_status_answer(client: Any, status: int, body: Any) -> None:
    _set("status", status, body)
    assert isinstance(_bounded(lambda: client.get(PID)), (MovieStatus, APIError))
    outcome = _bounded(lambda: client.job(PID).wait())
    assert isinstance(outcome, APIError) or outcome.status.status == "done"  # type: ignore[attr-defined]


@PROPERTY
@given(status=statuses, body=list_bodies)
def test_any_list_answer(client: Any, status: int, body: Any) -> None:
    _set("list", status, body)
    assert isinstance(_bounded(client.list_movies_page), (MoviePage, APIError))
    assert isinstance(_bounded(lambda: client.list_movies(max_pages=3)), (list, APIError))


@PROPERTY
@given(submit=st.tuples(statuses, submit_bodies), listing=st.tuples(statuses, list_bodies))
def test_any_submit_answer(client: Any, submit: tuple[int, Any], listing: tuple[int, Any]) -> None:
    _set("submit", *submit)
    _set("list", *listing)
    body = {"resolution": "hd", "scenes": [{"duration": 1, "elements": []}]}
    outcome = _bounded(lambda: client.submit(body, validate=False))
    assert isinstance(outcome, APIError) or isinstance(outcome.project_id, str)  # type: ignore[attr-defined]


@PROPERTY
@given(status=statuses, body=template_bodies)
def test_any_template_answer(client: Any, status: int, body: Any) -> None:
    _set("template", status, body)
    assert isinstance(_bounded(lambda: client.templates.get("T" * 20)), (Template, APIError))
    assert isinstance(_bounded(client.templates.list), (list, APIError))
