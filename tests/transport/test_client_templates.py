"""Templates: list, get, submit with variables, not found."""

from __future__ import annotations

import pytest

from moviekit._errors import MovieValidationError, PermissionDeniedError, TemplateNotFoundError
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


def test_create_update_duplicate_delete(server: FakeJSON2Video, client: Client) -> None:
    server.add_key("editor-key-0123456789", "editor")
    server.add_key("render-key-0123456789", "render")
    editor = client.with_options(api_key="editor-key-0123456789")
    saved = editor.templates.create("Promo", TEMPLATE, tags=["sales"])
    assert len(saved.template_id) == 20
    editor.templates.update(saved.template_id, name="Promo v2", tags=["sales", "q3"])
    got = editor.templates.get(saved.template_id)
    assert (got.name, got.tags, got.movie) == ("Promo v2", ["sales", "q3"], TEMPLATE)
    copy = editor.templates.duplicate(saved.template_id, variables={"seconds": 9})
    assert copy.name == "Promo v2 (custom)" and copy.template_id != saved.template_id
    copied = editor.templates.get(copy.template_id).movie
    assert copied is not None and copied["variables"] == {"headline": "Default", "seconds": 9}
    editor.templates.delete(copy.template_id)
    assert [t.id for t in editor.templates.list()] == [saved.template_id]
    renderer = client.with_options(api_key="render-key-0123456789")
    with pytest.raises(PermissionDeniedError):  # a render key may not change templates
        renderer.templates.create("Nope", TEMPLATE)


def test_variables_are_checked_against_the_template_before_submit(
    server: FakeJSON2Video, client: Client
) -> None:
    city = {"elements": [{"type": "text", "text": "{{city}}"}]}
    tid = server.add_template({**TEMPLATE, "scenes": [*TEMPLATE["scenes"], city]})  # type: ignore[list-item]
    with pytest.raises(MovieValidationError) as info:
        client.templates.submit(tid, {"headlin": "Typo"})
    assert [(p.path, p.code) for p in info.value.errors] == [
        ("variables.headlin", "unknown-variable"),
        ("variables.city", "missing-variable"),
    ]
    assert "the template's variables: city, headline, seconds" in str(info.value)
    assert server.requests_to("POST", "/v2/movies") == []  # nothing submitted
    job = client.templates.submit(tid, {"city": "Oslo"})
    assert job.wait().status.status == "done"
    unchecked = client.templates.submit(tid, {"anything": 1}, check=False)
    assert unchecked.project_id and len(server.requests_to("POST", "/v2/movies")) == 2
