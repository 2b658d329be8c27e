"""Any answer the service could give -> a typed result or an APIError, for ``AsyncClient`` too.

The answers of ``test_transport_hostile_property`` (and template answers), served
by a real loopback server, read by an ``AsyncClient`` running on an anyio portal.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from anyio.from_thread import start_blocking_portal
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
from support.twins import Blocking

from moviekit import APIError, AsyncClient, MovieStatus, Template
from moviekit.transport._models import MoviePage

PID = "B" * 16
SCRIPT = Scripted()


async def _client(base_url: str) -> AsyncClient:
    return AsyncClient(base_url=base_url, **CLIENT_OPTIONS)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with HostileServer(SCRIPT) as server, start_blocking_portal() as portal:
        aclient = portal.call(_client, server.base_url)
        yield Blocking(aclient, portal)
        portal.call(aclient.aclose)


@PROPERTY
@given(status=statuses, body=status_bodies)
def test_any_status_answer(client: Any, status: int, body: Any) -> None:
    SCRIPT.set("status", status, body)
    assert isinstance(bounded(lambda: client.get(PID)), (MovieStatus, APIError))
    outcome = bounded(lambda: client.job(PID).wait())
    assert isinstance(outcome, APIError) or outcome.status.status == "done"  # type: ignore[attr-defined]


@PROPERTY
@given(status=statuses, body=list_bodies)
def test_any_list_answer(client: Any, status: int, body: Any) -> None:
    SCRIPT.set("list", status, body)
    assert isinstance(bounded(client.list_movies_page), (MoviePage, APIError))
    assert isinstance(bounded(lambda: client.list_movies(max_pages=3)), (list, APIError))


@PROPERTY
@given(submit=st.tuples(statuses, submit_bodies), listing=st.tuples(statuses, list_bodies))
def test_any_submit_answer(client: Any, submit: tuple[int, Any], listing: tuple[int, Any]) -> None:
    SCRIPT.set("submit", *submit)
    SCRIPT.set("list", *listing)
    body = {"resolution": "hd", "scenes": [{"duration": 1, "elements": []}]}
    outcome = bounded(lambda: client.submit(body, validate=False))
    assert isinstance(outcome, APIError) or isinstance(outcome.project_id, str)  # type: ignore[attr-defined]


@PROPERTY
@given(status=statuses, body=template_bodies)
def test_any_template_answer(client: Any, status: int, body: Any) -> None:
    SCRIPT.set("template", status, body)
    assert isinstance(bounded(lambda: client.templates.get("T" * 20)), (Template, APIError))
    assert isinstance(bounded(client.templates.list), (list, APIError))
