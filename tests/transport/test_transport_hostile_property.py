"""Any JSON the service could answer -> a typed result or a moviekit APIError, in bounded time.

Hypothesis draws answers (arbitrary JSON values, and objects shaped like the
real ones with arbitrary values inside) for the status, list and submit
endpoints, served by a real loopback server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.hostile import HostileServer
from support.hostile_answers import (
    CLIENT_OPTIONS,
    PROPERTY,
    Scripted,
    bounded,
    list_bodies,
    status_bodies,
    statuses,
    submit_bodies,
    template_bodies,
)

from moviekit import APIError, Client, Job, MovieStatus, Template
from moviekit.transport._models import MoviePage

PID = "B" * 16
SCRIPT = Scripted()


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with HostileServer(SCRIPT) as server:
        yield Client(base_url=server.base_url, **CLIENT_OPTIONS)


@PROPERTY
@given(status=statuses, body=status_bodies)
def test_any_status_answer(client: Client, status: int, body: Any) -> None:
    SCRIPT.set("status", status, body)
    assert isinstance(bounded(lambda: client.get(PID)), (MovieStatus, APIError))
    outcome = bounded(lambda: client.job(PID).wait())
    assert isinstance(outcome, APIError) or outcome.status.status == "done"  # type: ignore[attr-defined]


@PROPERTY
@given(status=statuses, body=list_bodies)
def test_any_list_answer(client: Client, status: int, body: Any) -> None:
    SCRIPT.set("list", status, body)
    assert isinstance(bounded(client.list_movies_page), (MoviePage, APIError))
    assert isinstance(bounded(lambda: list(client.list_movies(max_pages=3))), (list, APIError))


@PROPERTY
@given(
    submit=st.tuples(statuses, submit_bodies),
    listing=st.tuples(statuses, list_bodies),
)
def test_any_submit_answer(
    client: Client, submit: tuple[int, Any], listing: tuple[int, Any]
) -> None:
    SCRIPT.set("submit", *submit)
    SCRIPT.set("list", *listing)
    body = {"resolution": "hd", "scenes": [{"duration": 1, "elements": []}]}
    assert isinstance(bounded(lambda: client.submit(body, validate=False)), (Job, APIError))


@PROPERTY
@given(status=statuses, body=template_bodies)
def test_any_template_answer(client: Client, status: int, body: Any) -> None:
    SCRIPT.set("template", status, body)
    assert isinstance(bounded(lambda: client.templates.get("T" * 20)), (Template, APIError))
    assert isinstance(bounded(client.templates.list), (list, APIError))
    outcome = bounded(lambda: client.templates.create("Promo", {"scenes": []}))
    assert isinstance(outcome, APIError) or len(outcome.template_id) > 0  # type: ignore[attr-defined]
