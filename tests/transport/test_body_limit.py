"""The service's body limit (413 over 2 MB): validation, ``to_json`` and both clients agree.

The model's rule ``too-large`` was reported by nothing: ``to_json()``, ``moviekit
build`` and ``submit`` passed a document the service refuses. Now validation measures
the bytes the client sends (``Movie.to_json``'s compact text, keeping room for the
submit tag), the clients refuse a tagged body over the limit before sending anything,
and the fake service answers 413 as the service does. Real loopback servers.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from support.hostile import Answer, HostileServer, Seen, client_options, json_answer
from support.sizes import movie_of_size

from moviekit import AsyncClient, Client, Movie, MovieValidationError
from moviekit.service._catalog import MAX_BODY_BYTES
from moviekit.testing import FakeJSON2Video
from moviekit.transport._movies import SUBMISSION_KEY_FIELD
from moviekit.validation._validate import MAX_DOCUMENT_BYTES

PID = "B" * 16


def _accepting(seen: Seen) -> Answer:
    return json_answer({"success": True, "project": PID, "timestamp": "2024-01-01T00:00:00Z"})


def _untagged(body: bytes) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(body)
    client_data = doc["client-data"]
    del client_data[SUBMISSION_KEY_FIELD]
    if not client_data:
        del doc["client-data"]
    return doc


@pytest.mark.parametrize("fill", ["x", "é", "\ud800"], ids=["ascii", "two-bytes", "surrogate"])
def test_the_largest_valid_movie_is_sent_as_to_json_spells_it(fill: str) -> None:
    doc = movie_of_size(MAX_DOCUMENT_BYTES, fill=fill)
    with HostileServer(_accepting) as server:
        Client(**client_options(server)).submit(doc)
        (post,) = server.seen("POST", "/v2/movies")
    assert len(post.body) <= MAX_BODY_BYTES  # the service takes it, tag included
    assert post.headers["content-type"] == "application/json"
    sent = _untagged(post.body)
    assert sent == json.loads(Movie.from_dict(doc).to_json())
    tagged = Movie.from_dict(json.loads(post.body)).to_json(validate=False)
    assert post.body == tagged.encode("utf-8")  # byte for byte what to_json writes


@pytest.mark.parametrize("validate", [True, False])
def test_a_body_over_the_limit_is_never_sent(validate: bool) -> None:
    size = MAX_DOCUMENT_BYTES + 1 if validate else MAX_BODY_BYTES - 60  # + a 77-byte tag
    with HostileServer(_accepting) as server:
        with pytest.raises(MovieValidationError) as info:
            Client(**client_options(server)).submit(movie_of_size(size), validate=validate)
        assert server.requests == []
    (problem,) = info.value.errors
    assert problem.code == "too-large" and problem.path == "" and "413" in problem.message


@pytest.mark.anyio
async def test_the_async_client_refuses_the_same_body() -> None:
    with HostileServer(_accepting) as server:
        async with AsyncClient(**client_options(server)) as client:
            with pytest.raises(MovieValidationError):
                await client.submit(movie_of_size(MAX_DOCUMENT_BYTES + 1))
            with pytest.raises(MovieValidationError):
                await client.submit(movie_of_size(MAX_BODY_BYTES - 60), validate=False)
            await client.submit(movie_of_size(MAX_DOCUMENT_BYTES))
        (post,) = server.seen("POST", "/v2/movies")
    assert len(post.body) <= MAX_BODY_BYTES


def test_the_fake_service_answers_413_over_the_limit_as_the_service_does() -> None:
    with FakeJSON2Video() as fake:
        client = Client(api_key=fake.api_key, base_url=fake.base_url)
        assert client.submit(movie_of_size(MAX_DOCUMENT_BYTES)).project_id
        url, headers = fake.base_url + "/movies", {"x-api-key": fake.api_key}
        at_limit = json.dumps(movie_of_size(MAX_BODY_BYTES), separators=(",", ":"))
        assert requests.post(url, data=at_limit, headers=headers, timeout=30).status_code == 200
        over = json.dumps(movie_of_size(MAX_BODY_BYTES + 1), separators=(",", ":"))
        answer = requests.post(url, data=over, headers=headers, timeout=30)
        assert answer.status_code == 413 and "Payload too large" in answer.text
