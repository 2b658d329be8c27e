"""moviekit.webhooks: both payload shapes, the shared secret, the endpoint helper."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from moviekit import webhooks
from moviekit._errors import WebhookError

FLAT = {
    "width": "1920",
    "height": "1080",
    "duration": "12.5",
    "size": "734003",
    "url": "https://assets.json2video.com/clients/x/renders/a.mp4",
    "project": "AbCdEfGhIjKlMnOp",
    "id": "my-movie",
    "client-data": {"row": 3},
}
ENVELOPE = {
    "success": True,
    "movie": {
        "success": True,
        "status": "done",
        "message": "",
        "project": "AbCdEfGhIjKlMnOp",
        "url": FLAT["url"],
        "duration": 12.5,
        "size": 734003,
        "width": 1920,
        "height": 1080,
        "id": "my-movie",
        "client-data": {"row": 3},
    },
}


def test_both_shapes_give_the_same_event() -> None:
    flat = webhooks.parse(json.dumps(FLAT).encode())
    env = webhooks.parse(json.dumps(ENVELOPE))
    assert flat.shape == "flat" and env.shape == "envelope"
    fields = (
        "project",
        "status",
        "url",
        "duration",
        "size",
        "width",
        "height",
        "movie_id",
        "client_data",
    )
    assert {f: getattr(flat, f) for f in fields} == {f: getattr(env, f) for f in fields}
    assert (
        flat.ok and flat.width == 1920 and flat.duration == 12.5 and flat.client_data == {"row": 3}
    )


def test_failed_render_in_both_shapes() -> None:
    flat = webhooks.parse({**FLAT, "url": ""})
    assert flat.status == "error" and not flat.ok and flat.url is None
    env = webhooks.parse(
        {
            "success": False,
            "movie": {
                "project": "AbCdEfGhIjKlMnOp",
                "status": "error",
                "url": None,
                "message": "Scene #1 Element #1: boom",
            },
        }
    )
    assert env.status == "error" and "boom" in env.message


def test_form_encoded_body() -> None:
    body = urlencode({**FLAT, "client-data": json.dumps({"row": 3})})
    event = webhooks.parse(body)
    assert event.project == FLAT["project"] and event.client_data == {"row": 3}


def test_secret_round_trip_through_endpoint_url() -> None:
    url = webhooks.endpoint_url("https://hooks.example.com/j2v?source=prod", "s3cret")
    assert url.startswith("https://hooks.example.com/j2v?") and "source=prod" in url
    event = webhooks.parse(FLAT, "s3cret", url=url)
    assert event.project == FLAT["project"]


@pytest.mark.parametrize(
    "url", ["https://hooks.example.com/j2v?moviekit_token=wrong", "https://hooks.example.com/j2v"]
)
def test_secret_mismatch_or_missing_rejected_without_echo(url: str) -> None:
    with pytest.raises(WebhookError) as info:
        webhooks.parse(FLAT, "s3cret", url=url)
    assert "s3cret" not in str(info.value) and "wrong" not in str(info.value)


def test_endpoint_must_be_https_and_secret_non_empty() -> None:
    with pytest.raises(WebhookError, match="https"):
        webhooks.endpoint_url("http://hooks.example.com", "s")
    with pytest.raises(WebhookError, match="empty"):
        webhooks.endpoint_url("https://hooks.example.com", "")


def test_destination_dict() -> None:
    dest = webhooks.destination("https://h.example.com/x", secret="abc")
    assert dest == {
        "type": "webhook",
        "endpoint": "https://h.example.com/x?moviekit_token=abc",
        "content-type": "application/json",
    }


@pytest.mark.parametrize(
    "body", [b"", "not json {", "[1, 2]", {"hello": "world"}, {"project": "x", "width": "wide"}]
)
def test_bad_bodies_raise_webhook_error(body: object) -> None:
    with pytest.raises(WebhookError):
        webhooks.parse(body)  # type: ignore[arg-type]


def test_secured_builder_destination_round_trips_into_movie_json() -> None:
    from moviekit import Movie, Scene, Text

    movie = (
        Movie()
        .add(Scene().add(Text("x").duration(2)))
        .export_to(webhooks.secured("https://hooks.example.com/done", "s3cret"))
    )
    dest = movie.to_dict()["exports"][0]["destinations"][0]
    assert dest["type"] == "webhook" and dest["content-type"] == "application/json"
    assert webhooks.parse(FLAT, "s3cret", url=dest["endpoint"]).project == FLAT["project"]
