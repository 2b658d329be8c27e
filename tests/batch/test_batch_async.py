"""``await batch.run_async()``: a batch on an AsyncClient, over real sockets, on FakeJSON2Video.

The same guarantees as the threaded run (each row rendered once, resumable at
every step, bounded concurrency, stops when the account cannot submit), and
the two kinds of run resume each other's ledger.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from support.batch_run import Crash, assert_each_row_once, crash_at, make
from support.batch_template import rows

from moviekit import (
    AsyncClient,
    Batch,
    BatchCounts,
    BatchError,
    BatchEvent,
    Client,
    Ledger,
    Movie,
    RowFailed,
    Scene,
    Text,
    Video,
)
from moviekit.batch._runner import STEPS
from moviekit.testing import FakeClock, FakeJSON2Video, Fault

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def aclient(server: FakeJSON2Video, clock: FakeClock) -> AsyncIterator[AsyncClient]:
    async def sleep(seconds: float) -> None:
        clock.sleep(seconds)

    async with AsyncClient(
        api_key=server.api_key,
        base_url=server.base_url,
        sleep=sleep,
        clock=clock,
        random_fn=lambda: 0.0,
        timeout=(2.0, 2.0),
    ) as client:
        yield client


async def test_renders_every_row_once_and_saves_the_videos(
    server: FakeJSON2Video, aclient: AsyncClient, tmp_path: Path
) -> None:
    batch = make(aclient, tmp_path / "l.db", concurrency=3)
    result = await batch.run_async(download_to=tmp_path / "v")
    assert result.ok and result.counts == {"done": 8}
    assert_each_row_once(tmp_path / "l.db", server, 8)
    saved = sorted(p.name for p in (tmp_path / "v").iterdir())
    assert saved == [f"SKU-{i:03d}.mp4" for i in range(8)]
    assert all(r.file and Path(r.file).read_bytes()[4:8] == b"ftyp" for r in result.rows)
    again = await make(aclient, tmp_path / "l.db").run_async()
    assert again.ok and len(server.requests_to("POST", "/v2/movies")) == 8  # nothing resent


@pytest.mark.parametrize("resume_with", ["async", "threaded"])
@pytest.mark.parametrize("step", STEPS)
async def test_resume_after_a_crash_at_each_step(
    server: FakeJSON2Video,
    aclient: AsyncClient,
    client: Client,
    tmp_path: Path,
    step: str,
    resume_with: str,
) -> None:
    ledger, videos = tmp_path / "l.db", tmp_path / "v"
    crashing = make(aclient, ledger, concurrency=3, step_hook=crash_at(step, 2))
    with pytest.raises(Crash):
        await crashing.run_async(download_to=videos)
    if resume_with == "async":
        result = await make(aclient, ledger, concurrency=3).run_async(download_to=videos)
    else:
        result = make(client, ledger, concurrency=3).run(download_to=videos)
    assert result.ok, result.describe()
    assert_each_row_once(ledger, server, 8)
    assert sorted(p.name for p in videos.iterdir()) == [f"SKU-{i:03d}.mp4" for i in range(8)]


async def test_a_threaded_crash_after_the_post_is_reconciled_by_an_async_run(
    server: FakeJSON2Video, aclient: AsyncClient, client: Client, tmp_path: Path
) -> None:
    ledger = tmp_path / "l.db"
    with pytest.raises(Crash):
        make(client, ledger, data=rows(1), step_hook=crash_at("after-post")).run()
    with Ledger(ledger) as book:
        assert book.rows()[0].status == "submitting"
    assert (await make(aclient, ledger, data=rows(1)).run_async()).ok
    assert len(server.requests_to("POST", "/v2/movies")) == 1  # found by its key, not resent


async def test_at_most_concurrency_rows_are_on_the_service(
    server: FakeJSON2Video, aclient: AsyncClient, tmp_path: Path
) -> None:
    server.queue_seconds, server.render_seconds = 0.0, 10.0
    events: list[BatchEvent] = []
    await make(aclient, tmp_path / "l.db", data=rows(7), concurrency=2).run_async(
        on_event=events.append
    )
    spans = [(p["created_at"], p["ended_at"]) for p in server.projects()]
    for created, _ in spans:
        assert sum(1 for c, e in spans if c <= created < e) <= 2
    assert max(e.counts.rendering for e in events) <= 2


async def test_out_of_credits_stops_submitting_and_a_later_run_resumes(
    server: FakeJSON2Video, aclient: AsyncClient, tmp_path: Path
) -> None:
    server.credits = 5.0
    server.queue_seconds = server.render_seconds = 0.0
    result = await make(aclient, tmp_path / "l.db", data=rows(5), concurrency=1).run_async()
    assert result.stopped is not None and "QuotaExceededError" in result.stopped
    assert result.counts == {"done": 3, "pending": 2}
    server.credits = 100.0
    assert (await make(aclient, tmp_path / "l.db", data=rows(5)).run_async()).ok
    assert len(server.projects()) == 5


async def test_an_uncertain_submit_is_left_for_the_next_run(
    server: FakeJSON2Video, aclient: AsyncClient, tmp_path: Path
) -> None:
    server.inject(Fault.drop(), method="POST", path="/v2/movies")
    server.inject(Fault.status(503, times=4), method="GET", path="/v2/movies")
    first = await make(aclient, tmp_path / "l.db", data=rows(1)).run_async()
    assert first.counts == {"submitting": 1}
    second = await make(aclient, tmp_path / "l.db", data=rows(1)).run_async()
    assert second.ok and len(server.projects()) == 1


async def test_events_and_failures_as_in_the_threaded_run(
    server: FakeJSON2Video, aclient: AsyncClient, tmp_path: Path
) -> None:
    def clip(row: dict[str, Any]) -> Movie:
        return Movie().add(Scene(duration=2).add(Video(row["clip"]), Text("x")))

    server.add_media("ok.mp4", b"x" * 10, content_type="video/mp4")
    data = [{"clip": f"{server.origin}/media/ok.mp4"}, {"clip": f"{server.origin}/media/no.mp4"}]
    events: list[BatchEvent] = []
    batch = Batch(clip, data, ledger=tmp_path / "l.db", client=aclient)
    result = await batch.run_async(on_event=events.append)
    assert type(events[0]).__name__ == "BatchStarted" and len(events) == 5
    # Rows run at once, so their events interleave (one may end before the other is
    # submitted); each row's own events come in order.
    by_row = {
        key: [type(e).__name__ for e in events if getattr(e, "row_key", None) == key]
        for key in ("0", "1")
    }
    assert by_row == {"0": ["RowSubmitted", "RowFinished"], "1": ["RowSubmitted", "RowFailed"]}
    failed = next(e for e in events if isinstance(e, RowFailed))
    assert failed.error.startswith("scenes[0].elements[0]: Scene #1, element #1")
    assert result["1"].error == failed.error
    assert events[-1].counts == BatchCounts(total=2, submitted=2, rendering=0, done=1, failed=1)


async def test_the_wrong_kind_of_client_is_named(
    aclient: AsyncClient, client: Client, tmp_path: Path
) -> None:
    with pytest.raises(BatchError, match="run_async"):
        make(aclient, tmp_path / "l.db").run()
    with pytest.raises(BatchError, match="needs an AsyncClient"):
        await make(client, tmp_path / "l.db").run_async()
    assert not (tmp_path / "l.db").exists()


class _SharedLedger(Ledger):
    """A ledger shared with another worker: one row was taken by it, and the limit was full once."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.answers: list[tuple[str, str]] = []

    def record_intent(self, row_key: str, *args: Any, **kwargs: Any) -> Any:
        if not self.answers:
            answer = "taken"
        elif len(self.answers) == 1:
            answer = "full"
        else:
            answer = super().record_intent(row_key, *args, **kwargs)
        self.answers.append((row_key, answer))
        return answer


async def test_a_shared_ledger_row_taken_elsewhere_is_not_sent_and_a_full_limit_waits(
    server: FakeJSON2Video, aclient: AsyncClient, tmp_path: Path
) -> None:
    ledger = _SharedLedger(tmp_path / "l.db")
    with ledger:
        await make(aclient, ledger, concurrency=1).run_async()  # type: ignore[arg-type]
    taken, waited = ledger.answers[0][0], ledger.answers[1][0]
    assert [a for k, a in ledger.answers if k == waited] == ["full", "recorded"]  # asked again
    assert taken not in {k for k, a in ledger.answers[1:]}  # never asked for again
    sent = {p["client_data"]["sku"] for p in server.projects() if p.get("client_data")}
    assert len(server.projects()) == 7 and taken not in sent


async def test_a_failed_row_is_retried_on_a_shared_ledger(
    server: FakeJSON2Video, aclient: AsyncClient, pg_url: str
) -> None:
    # The retry carries the attempts the ledger had: a shared ledger records an intent only
    # while that count is unchanged, so a retry planned with 0 would be refused as "taken".
    def clip(row: dict[str, Any]) -> Movie:
        return Movie().add(Scene(duration=2).add(Video(row["clip"]), Text("x")))

    data = [{"clip": f"{server.origin}/media/late.mp4"}]
    first = await Batch(clip, data, ledger=pg_url, client=aclient).run_async()
    assert first.counts == {"failed": 1}
    server.add_media("late.mp4", b"x" * 10, content_type="video/mp4")
    second = await Batch(clip, data, ledger=pg_url, client=aclient).run_async(retry_failed=True)
    assert second.ok and second.counts == {"done": 1}
    assert len(server.projects()) == 2
