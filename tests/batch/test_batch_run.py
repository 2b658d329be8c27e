"""Batch runs in-process over real sockets against FakeJSON2Video on a shared FakeClock.

Covers: the dry run (every bad row at once), resume after a crash at each step
(an injected hook raises BaseException at a named step), changed payloads,
failed rows retried only when asked, bounded concurrency, quota stops,
render failures with paths, results files, and the key never printed.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from support.batch_template import TEMPLATE, rows

from moviekit import (
    Batch,
    BatchCounts,
    BatchEvent,
    BatchValidationError,
    Client,
    Ledger,
    Movie,
    MovieTemplate,
    RowFailed,
    Scene,
    Text,
    Variable,
    Video,
)
from moviekit.batch._built import payload_hash
from moviekit.batch._runner import STEPS
from moviekit.testing import FakeClock, FakeJSON2Video, Fault


class Crash(BaseException):
    """A simulated kill: not an Exception, so nothing in the runner may swallow it."""


def crash_at(step: str, nth: int = 1) -> Any:
    seen = [0]

    def hook(name: str, row_key: str) -> None:
        if name == step:
            seen[0] += 1
            if seen[0] == nth:
                raise Crash(f"{step} of {row_key}")

    return hook


def settle() -> None:
    """Let POSTs still in flight in the crashed run's worker threads finish.

    A real kill takes those threads down with the process; in-process they
    would race the resume, which is a test artefact, not a batch behaviour.
    """
    deadline = time.monotonic() + 10
    while any(t.name.startswith("moviekit-batch") for t in threading.enumerate()):
        assert time.monotonic() < deadline
        time.sleep(0.01)


def make(client: Client, ledger: Path, data: Any = None, **kwargs: Any) -> Batch:
    return Batch(
        kwargs.pop("template", TEMPLATE),
        rows(8) if data is None else data,
        key="sku",
        ledger=ledger,
        client=client,
        **kwargs,
    )


def assert_each_row_once(ledger: Path, server: FakeJSON2Video, n: int) -> None:
    with Ledger(ledger) as book:
        records = book.rows()
    assert len(records) == len({r.row_key for r in records}) == n
    assert {r.status for r in records} == {"done"}
    created = [p["project"] for p in server.projects()]
    assert len(created) == len(set(created)) == n, "a row was rendered twice"
    assert sorted(r.project_id or "" for r in records) == sorted(created)


def test_renders_every_row_and_writes_results(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    result = make(client, tmp_path / "l.db", concurrency=3).run(download_to=tmp_path / "v")
    assert result.ok and result.counts == {"done": 8}
    assert_each_row_once(tmp_path / "l.db", server, 8)
    sent = server.projects()[0]
    assert "EUR" in json.dumps(sent)  # the row's values went into the movie
    result.write(tmp_path / "r.csv")
    result.write(tmp_path / "r.jsonl")
    lines = (tmp_path / "r.csv").read_text().splitlines()
    assert lines[0] == "row_key,status,project_id,url,error,file,changed"
    assert len(lines) == 9 and lines[1].startswith("SKU-000,done,")
    first = json.loads((tmp_path / "r.jsonl").read_text().splitlines()[0])
    assert first["url"].endswith(".mp4") and Path(first["file"]).read_bytes()[4:8] == b"ftyp"


def test_second_run_sends_no_post(server: FakeJSON2Video, client: Client, tmp_path: Path) -> None:
    make(client, tmp_path / "l.db").run()
    posts = len(server.requests_to("POST", "/v2/movies"))
    again = make(client, tmp_path / "l.db").run()
    assert again.ok and len(server.requests_to("POST", "/v2/movies")) == posts


def test_poller_follows_the_transport_schedule(
    server: FakeJSON2Video, client: Client, clock: FakeClock, tmp_path: Path
) -> None:
    server.render_seconds = 100.0
    make(client, tmp_path / "l.db", data=rows(1)).run()
    checks = [r.server_time for r in server.requests_to("GET", "/v2/movies")]
    gaps = [round(b - a, 3) for a, b in zip(checks, checks[1:], strict=False)]
    assert gaps[:5] == [5.0, 8.0, 11.0, 17.0, 25.0]  # one poller, the documented back-off


@pytest.mark.parametrize("step", STEPS)
def test_resume_after_crash_at_each_step(
    server: FakeJSON2Video, client: Client, tmp_path: Path, step: str
) -> None:
    ledger = tmp_path / "l.db"
    with pytest.raises(Crash):
        make(client, ledger, concurrency=3, step_hook=crash_at(step, 2)).run(
            download_to=tmp_path / "v"
        )
    settle()
    result = make(client, ledger, concurrency=3).run(download_to=tmp_path / "v")
    assert result.ok, result.describe()
    assert_each_row_once(ledger, server, 8)
    assert sorted(p.name for p in (tmp_path / "v").iterdir()) == [
        f"SKU-{i:03d}.mp4" for i in range(8)
    ]


def test_crash_after_post_is_reconciled_not_resubmitted(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    ledger = tmp_path / "l.db"
    with pytest.raises(Crash):
        make(client, ledger, data=rows(1), step_hook=crash_at("after-post")).run()
    with Ledger(ledger) as book:
        (record,) = book.rows()
    assert record.status == "submitting" and record.project_id is None
    (project,) = server.projects()
    assert project["client-data"]["moviekit-submission"] == record.submission_key
    make(client, ledger, data=rows(1)).run()
    assert len(server.requests_to("POST", "/v2/movies")) == 1
    with Ledger(ledger) as book:
        assert book.rows()[0].project_id == project["project"]


def test_dry_run_reports_every_bad_row_at_once(client: Client, tmp_path: Path) -> None:
    data = rows(12)
    data[2]["price"] = "twelve"
    data[5]["title"] = ""
    data[5]["price"] = ""
    data[9]["price"] = "1e999"
    batch = make(client, tmp_path / "l.db", data=data)
    dry = batch.dry_run()
    assert not dry.ok and dry.bad_keys == ["SKU-002", "SKU-005", "SKU-009"]
    paths = [p.path for p in dry.problems]
    assert paths == ["rows[2].price", "rows[5].title", "rows[5].price", "rows[9].price"]
    assert "missing required text variable 'title'" in dry.describe()
    with pytest.raises(BatchValidationError) as caught:
        batch.run()
    assert caught.value.row_keys == ["SKU-002", "SKU-005", "SKU-009"]
    message = str(caught.value)
    assert "row 'SKU-002' rows[2].price: 'twelve' is not a number" in message
    assert "hint:" in message and "skip_bad_rows=True" in message
    assert not (tmp_path / "l.db").exists()  # nothing sent, nothing recorded


def test_skip_bad_rows_renders_the_good_ones(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    data = rows(4)
    data[1]["price"] = "n/a"
    result = make(client, tmp_path / "l.db", data=data).run(skip_bad_rows=True)
    assert result.counts == {"done": 3, "invalid": 1}
    assert result["SKU-001"].error == "rows[1].price: 'n/a' is not a number"
    assert len(server.projects()) == 3


def test_movie_problems_carry_row_and_movie_path(client: Client, tmp_path: Path) -> None:
    def clip(row: dict[str, Any]) -> Movie:
        return Movie().add(Scene(duration=2).add(Video(row["clip"])))

    data = [{"clip": "https://x.example/a.mp4"}, {"clip": "https://x.example/b.png"}]
    dry = Batch(clip, data, ledger=tmp_path / "l.db").dry_run()
    (problem,) = dry.problems
    assert problem.row_key == "1" and problem.path == "rows[1].movie.scenes[0].elements[0].src"


def test_changed_payloads_are_flagged_then_rerendered_on_request(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    ledger = tmp_path / "l.db"
    make(client, ledger, data=rows(3)).run()
    edited = rows(3)
    edited[1]["price"] = "999"
    flagged = make(client, ledger, data=edited).run()
    assert flagged.changed == ["SKU-001"] and flagged["SKU-001"].changed
    assert len(server.projects()) == 3  # flagged, not re-rendered
    assert "changed since they were rendered" in flagged.describe()
    redone = make(client, ledger, data=edited).run(rerender_changed=True)
    assert len(server.projects()) == 4 and redone.changed == []
    with Ledger(ledger) as book:
        record = book.get("SKU-001")
    assert record is not None and record.attempts == 2
    assert record.payload_hash == payload_hash(TEMPLATE.build(edited[1]).payload or {})


def test_failed_rows_are_retried_only_when_asked(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    def clip(row: dict[str, Any]) -> Movie:
        return Movie().add(Scene(duration=2).add(Video(row["clip"]), Text("x")))

    server.add_media("ok.mp4", b"x" * 10, content_type="video/mp4")
    bad = f"{server.origin}/media/missing.mp4"  # the service fails to download it
    data = [{"clip": f"{server.origin}/media/ok.mp4"}, {"clip": bad}]
    ledger = tmp_path / "l.db"
    first = Batch(clip, data, ledger=ledger, client=client).run()
    assert first.counts == {"done": 1, "failed": 1}
    assert first["1"].error is not None
    assert first["1"].error.startswith("scenes[0].elements[0]: Scene #1, element #1")
    Batch(clip, data, ledger=ledger, client=client).run()
    assert len(server.projects()) == 2  # not retried
    server.add_media("missing.mp4", b"x" * 10, content_type="video/mp4")
    retried = Batch(clip, data, ledger=ledger, client=client).run(retry_failed=True)
    assert retried.ok and len(server.projects()) == 3


def test_concurrency_is_bounded(server: FakeJSON2Video, client: Client, tmp_path: Path) -> None:
    server.queue_seconds, server.render_seconds = 0.0, 10.0
    make(client, tmp_path / "l.db", data=rows(7), concurrency=2).run()
    spans = [(p["created_at"], p["ended_at"]) for p in server.projects()]
    for created, _ in spans:
        overlapping = sum(1 for c, e in spans if c <= created < e)
        assert overlapping <= 2


def test_out_of_credits_stops_submitting_and_resumes_later(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    server.credits = 5.0  # two 2-second renders, then "Insufficient credits"
    server.queue_seconds = server.render_seconds = 0.0
    result = make(client, tmp_path / "l.db", data=rows(5), concurrency=1).run()
    assert result.stopped is not None and "QuotaExceededError" in result.stopped
    assert result.counts == {"done": 3, "pending": 2}
    server.credits = 100.0
    assert make(client, tmp_path / "l.db", data=rows(5)).run().ok
    assert len(server.projects()) == 5


def test_uncertain_submit_is_left_for_the_next_run(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    # The POST is processed, its answer lost, and the movie list is down too.
    server.inject(Fault.drop(), method="POST", path="/v2/movies")
    server.inject(Fault.status(503, times=4), method="GET", path="/v2/movies")  # 1 + 3 retries
    first = make(client, tmp_path / "l.db", data=rows(1)).run()
    assert first.counts == {"submitting": 1} and first.unfinished == ["SKU-000"]
    second = make(client, tmp_path / "l.db", data=rows(1)).run()
    assert second.ok and len(server.projects()) == 1


def test_events_tell_each_row_with_the_counts(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    def clip(row: dict[str, Any]) -> Movie:
        return Movie().add(Scene(duration=2).add(Video(row["clip"]), Text("x")))

    server.add_media("ok.mp4", b"x" * 10, content_type="video/mp4")
    data = [{"clip": f"{server.origin}/media/ok.mp4"}, {"clip": f"{server.origin}/media/no.mp4"}]
    events: list[BatchEvent] = []
    Batch(clip, data, ledger=tmp_path / "l.db", client=client).run(on_event=events.append)
    assert type(events[0]).__name__ == "BatchStarted" and len(events) == 5
    # Rows run at once, so their events interleave (one may end before the other is
    # submitted); each row's own events come in order.
    by_row = {
        key: [type(e).__name__ for e in events if getattr(e, "row_key", None) == key]
        for key in ("0", "1")
    }
    assert by_row == {"0": ["RowSubmitted", "RowFinished"], "1": ["RowSubmitted", "RowFailed"]}
    assert events[0].counts == BatchCounts(total=2)
    failed = next(e for e in events if isinstance(e, RowFailed))
    assert failed.row_key == "1" and failed.project_id and "Scene #1" in failed.error
    assert events[-1].counts == BatchCounts(total=2, submitted=2, rendering=0, done=1, failed=1)
    assert all(server.api_key not in repr(e) for e in events)


def test_report_reads_the_ledger_without_requests(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    make(client, tmp_path / "l.db", data=rows(2)).run()
    count = len(server.requests)
    report = Batch(TEMPLATE, rows(3), key="sku", ledger=tmp_path / "l.db").report()
    assert report.counts == {"done": 2, "pending": 1}
    assert len(server.requests) == count


def test_saved_template_rows_checked_against_service_variables(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    tid = server.add_template(
        {
            "resolution": "hd",
            "variables": {"headline": "Sale", "seconds": 3},
            "scenes": [
                {
                    "duration": "{{seconds}}",
                    "elements": [{"type": "text", "text": "{{headline}} {{city}}"}],
                }
            ],
        }
    )
    template = MovieTemplate.from_service(client, tid)
    assert [v.name for v in template.variables] == ["headline", "seconds", "city"]
    data = [{"city": "Oslo", "seconds": "4"}, {"seconds": "four"}]
    dry = Batch(template, data, ledger=tmp_path / "l.db").dry_run()
    assert [p.path for p in dry.problems] == ["rows[1].seconds", "rows[1].city"]
    result = Batch(template, data[:1], ledger=tmp_path / "l.db", client=client).run()
    assert result.ok
    sent = server.requests_to("POST", "/v2/movies")[0].json()
    assert sent["template"] == tid and sent["variables"] == {
        "headline": "Sale",
        "seconds": 4,
        "city": "Oslo",
    }


def test_placeholder_movie_template(server: FakeJSON2Video, client: Client, tmp_path: Path) -> None:
    movie = (
        Movie(resolution="hd")
        .variables(title="")
        .add(Scene(duration=2).add(Text("{{title}} from {{price}}")))
    )
    template = MovieTemplate(movie, [Variable("title"), Variable("price", "number", minimum=0)])
    bad = Batch(template, [{"title": "a", "price": "-1"}], ledger=tmp_path / "x.db").dry_run()
    assert bad.problems[0].code == "minimum"
    result = Batch(
        template, [{"title": "Loft", "price": "10"}], ledger=tmp_path / "l.db", client=client
    ).run()
    assert result.ok
    (project,) = server.projects()
    sent = json.loads(project["json"])  # placeholders go as they are; the service fills them
    assert sent["variables"] == {"title": "Loft", "price": 10}
    assert sent["scenes"][0]["elements"][0]["text"] == "{{title}} from {{price}}"
