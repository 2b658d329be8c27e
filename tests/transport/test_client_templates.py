"""Templates: list, get, submit with variables, not found."""

from __future__ import annotations

import pytest

from moviekit._errors import TemplateNotFoundError
from moviekit.testing import FakeJSON2Video
from moviekit.transport._client import Client

TEMPLATE = {
    "resolution": "hd",
    "variables": {"headline": "Default", "seconds": 4},
    "scenes": [
        {"duration": "{{seconds}}", "elements": [{"type": "text", "text": "Sale: {{headline}}"}]}
    ],
}


def test_list_and_get(server: FakeJSON2Video, client: Client) -> None:
    a = server.add_template(TEMPLATE, name="Promo", tags=("sales",))
    server.add_template(TEMPLATE, name="Other")
    assert {t.id for t in client.templates.list()} >= {a}
    assert [t.name for t in client.templates.list(tag="sales")] == ["Promo"]
    tpl = client.templates.get(a)
    assert len(tpl.id) == 20 and tpl.movie == TEMPLATE  # the JSON string became a dict


def test_render_with_variables_and_overrides(server: FakeJSON2Video, client: Client) -> None:
    tid = server.add_template(TEMPLATE)
    render = client.templates.render(
        tid, {"headline": "50% off", "seconds": 6}, overrides={"client-data": {"row": 7}}
    )
    sent = server.requests_to("POST", "/v2/movies")[0].json()
    assert sent["template"] == tid and sent["variables"]["headline"] == "50% off"
    assert sent["client-data"]["row"] == 7 and "moviekit-submission" in sent["client-data"]
    stored = client.get(render.project_id, simple=False).submitted_movie
    assert stored is not None
    assert stored["scenes"][0]["elements"][0]["text"] == "Sale: 50% off"
    assert stored["scenes"][0]["duration"] == 6 and render.status.duration == 6


def test_unknown_template(client: Client) -> None:
    with pytest.raises(TemplateNotFoundError, match="not found"):
        client.templates.get("T" * 20)
    with pytest.raises(TemplateNotFoundError):
        client.templates.submit("T" * 20, {"x": 1})
