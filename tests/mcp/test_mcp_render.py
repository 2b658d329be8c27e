"""``render``, ``status`` and the templates through a real MCP session, against the fake service.

The fake JSON2Video runs in the test; its URL and key reach the server
subprocess through its environment only. Its request log proves what was (and
was not) sent; the key must appear in no tool result and no line of the log.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from support.mcp_session import COOKBOOK, McpSession, text

from moviekit import RetryPolicy
from moviekit.testing import FakeJSON2Video, Fault

HELLO = json.loads((COOKBOOK / "hello_world.json").read_text(encoding="utf-8"))  # 5 credits
#: the same movie with its music playing to the file's own end: at least 5 credits
MUSIC_PLAYS_ON = {
    **HELLO,
    "elements": [{k: v for k, v in HELLO["elements"][0].items() if k != "duration"}],
}
#: 3 s above Full HD: 4 credits a second, exactly 12
UHD = {"resolution": "custom", "width": 3840, "height": 2160,
       "scenes": [{"duration": 3, "elements": [{"type": "text", "text": "4K"}]}]}  # fmt: skip


@pytest.fixture(scope="module")
def session(service_session: McpSession) -> McpSession:
    return service_session


def posts(fake: FakeJSON2Video) -> list[Any]:
    return [r.json() for r in fake.requests_to("POST", "/v2/movies")]


def uhd_posts(fake: FakeJSON2Video) -> list[Any]:
    """The submits of exactly UHD (other tests of this module send variants of it)."""
    return [p for p in posts(fake) if {k: v for k, v in p.items() if k != "client-data"} == UHD]


def test_over_budget_is_refused_and_nothing_is_sent(
    session: McpSession, fake: FakeJSON2Video
) -> None:
    before = len(fake.requests)
    result = session.call("render", {"movie": MUSIC_PLAYS_ON, "max_credits": 4})
    assert result.is_error
    assert text(result) == (
        "max_credits: the estimate is at least 5 credits (≥ 5 s x 1/s), over max_credits=4; "
        "nothing was sent (shorten the movie or raise max_credits)"
    )
    uhd = session.call("render", {"movie": UHD, "max_credits": 11.5})
    assert text(uhd).startswith("max_credits: the estimate is 12 credits (3 s x 4/s), over")
    known = {"https://example.com/music/soft-piano.mp3": 9}  # a longer track: a higher bound
    longer = session.call("render", {"movie": MUSIC_PLAYS_ON, "max_credits": 8, "lengths": known})
    assert text(longer).startswith("max_credits: the estimate is 9 credits (9 s x 1/s)")
    assert len(fake.requests) == before  # not one request reached the service


def test_within_budget_is_submitted_once_and_followed_to_done(
    session: McpSession, fake: FakeJSON2Video
) -> None:
    result = session.call("render", {"movie": UHD, "max_credits": 12})
    assert not result.is_error, text(result)
    data = result.structured_content
    project = data["project_id"]
    assert data["submitted"] is True and data["estimate"]["credits"] == 12
    assert text(result).startswith(f"submitted project {project}; estimate 12 credits")
    assert f"submitted project {project}" in session.stderr()  # the log is real, and checked
    assert len(uhd_posts(fake)) == 1

    deadline = time.monotonic() + 30
    while True:
        status = session.call("status", {"project_id": project})
        assert not status.is_error, text(status)
        if status.structured_content["status"] == "done" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert status.structured_content["status"] == "done"
    url = status.structured_content["url"]
    assert text(status) == f"{project}: done: {url}" or text(status).endswith(f"%: {url}")

    again = session.call("render", {"movie": UHD, "max_credits": 12})
    assert not again.is_error
    assert again.structured_content == {**data, "submitted": False}
    assert text(again).startswith(f"not sent again: this exact movie was submitted in this "
                                  f"session as project {project}")  # fmt: skip
    assert len(uhd_posts(fake)) == 1
    paid = session.call("render", {"movie": UHD, "max_credits": 12, "resubmit": True})
    assert paid.structured_content["project_id"] != project
    assert len(uhd_posts(fake)) == 2


def test_a_template_is_estimated_from_its_saved_movie(
    session: McpSession, fake: FakeJSON2Video
) -> None:
    card = {"type": "text", "text": "{{city}}"}
    saved = {"resolution": "hd", "variables": {"city": "Rome"},
             "scenes": [{"duration": 20, "elements": [card]}]}  # fmt: skip
    template = fake.add_template(saved, name="City card", tags=("cards",))
    doc = {"template": template, "variables": {"city": "Oslo"}}
    before = len(posts(fake))
    refused = session.call("render", {"movie": doc, "max_credits": 10})
    assert text(refused) == (
        "max_credits: the estimate is 20 credits (20 s x 1/s), over max_credits=10; nothing "
        "was sent (shorten the movie or raise max_credits)"
    )
    assert len(posts(fake)) == before  # only the template was read
    result = session.call("render", {"movie": doc, "max_credits": 20})
    assert not result.is_error, text(result)
    assert posts(fake)[-1]["template"] == template

    listed = session.call("templates_list", {"tag": "cards"})
    assert listed.structured_content == {
        "templates": [{"id": template, "name": "City card", "tags": ["cards"]}]
    }
    got = session.call("template_get", {"template_id": template})
    assert got.structured_content["movie"] == saved
    assert json.loads(text(got)) == saved


def test_service_errors_are_the_cli_lines(
    session: McpSession, fake: FakeJSON2Video, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JSON2VIDEO_")}
    env |= {"JSON2VIDEO_API_KEY": fake.api_key, "JSON2VIDEO_BASE_URL": fake.base_url}
    for tool, args, command in [
        ("status", {"project_id": "nosuchproject123"}, ["status", "nosuchproject123"]),
        ("template_get", {"template_id": "x" * 20}, ["templates", "x" * 20]),
    ]:
        run = subprocess.run(
            [sys.executable, "-m", "moviekit", *command],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
        )  # fmt: skip
        assert run.returncode == 1
        cli_said = run.stderr.rstrip("\n").removeprefix("error: ")
        result = session.call(tool, args)
        assert result.is_error
        said = text(result)
        # The message starts with "[project ID, request ID]"; the request id differs per call.
        ids = re.compile(r"^\[(project \w+, )?request [\w-]+\] ")
        assert ids.match(said), said
        assert ids.sub("", said) == ids.sub("", cli_said), tool
        assert fake.api_key not in said


def test_an_empty_project_id_is_refused_without_a_request(
    session: McpSession, fake: FakeJSON2Video
) -> None:
    before = len(fake.requests)
    result = session.call("status", {"project_id": ""})
    assert result.is_error
    assert text(result) == (
        "project_id: empty; pass the project id render returned (nothing was sent)"
    )
    assert len(fake.requests) == before


def test_a_retry_while_the_first_submit_is_in_flight_sends_nothing(
    session: McpSession, fake: FakeJSON2Video
) -> None:
    doc = {**UHD, "comment": "in flight"}
    # The first answer is late; the retry needs only its own round trip inside that time.
    fake.inject(Fault.slow(1.5), method="POST", path="/v2/movies")
    before = len(posts(fake))
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(session.call, "render", {"movie": doc, "max_credits": 12})
        deadline = time.monotonic() + 30
        while len(posts(fake)) == before and time.monotonic() < deadline:
            time.sleep(0.01)  # until the first submit reached the service (and waits there)
        assert len(posts(fake)) == before + 1
        # the client gave up waiting and retries, as agents' clients do
        retry = session.call("render", {"movie": doc, "max_credits": 12})
        assert retry.is_error
        assert text(retry) == (
            "an earlier call in this session is submitting this exact movie right now; nothing "
            "was sent again (its project id comes back from that call)"
        )
        assert not first.result().is_error
    assert len(posts(fake)) == before + 1


def test_an_uncertain_submit_is_not_sent_again_unless_asked(
    session: McpSession, fake: FakeJSON2Video
) -> None:
    doc = {**UHD, "comment": "uncertain"}
    fake.inject(Fault.drop(), method="POST", path="/v2/movies")  # taken, then hung up
    # No listing: every attempt of the lookup fails (the server's Client() has the default
    # retry policy); more faults would only be used up by status calls, each backing off.
    lookup_attempts = RetryPolicy().max_retries + 1
    fake.inject(Fault.status(500, times=lookup_attempts), method="GET", path="/v2/movies")
    before = len(posts(fake))
    unknown = session.call("render", {"movie": doc, "max_credits": 12})
    assert unknown.is_error
    assert text(unknown).startswith("the submit failed (APIConnectionError")
    key = re.search(r"client\.reconcile\('(\w+)'\)", text(unknown))  # the CLI's message too
    assert key, text(unknown)
    again = session.call("render", {"movie": doc, "max_credits": 12})
    assert text(again) == (
        "an earlier submit of this exact movie in this session may have created a project (the "
        f"service never said; submission key {key[1]}); nothing was sent again: pass "
        "resubmit=true only once you know it did not"
    )
    assert len(posts(fake)) == before + 1
    while fake.pending_faults:  # use up the listing faults
        session.call("status", {"project_id": "nosuchproject123"})
    sure = session.call("render", {"movie": doc, "max_credits": 12, "resubmit": True})
    assert not sure.is_error, text(sure)
    assert len(posts(fake)) == before + 2
