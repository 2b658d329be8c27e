"""``max_credits``: a render over budget is refused and nothing is sent (the fake's log says)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import start_blocking_portal
from support.twins import Blocking

from moviekit import (
    AsyncClient,
    Batch,
    BudgetExceededError,
    BuildError,
    Client,
    Image,
    Movie,
    MovieTemplate,
    PollPolicy,
    Scene,
    Text,
    Voice,
)
from moviekit.testing import FakeJSON2Video

UHD = Movie(width=3840, height=2160).add(Scene(duration=3).add(Text("4K")))  # 12 credits
AI = Movie(resolution="hd").add(
    Scene(duration=2).add(Image(prompt="a loft", model="nano-banana-pro"))  # 2 + 80
)
TEMPLATE = {
    "resolution": "full-hd",
    "variables": {"seconds": 5},
    "scenes": [{"duration": "{{seconds}}", "elements": [{"type": "text", "text": "{{title}}"}]}],
}


@pytest.fixture
def fake() -> Iterator[FakeJSON2Video]:
    with FakeJSON2Video(speed=200) as server:
        yield server


def _async_client(server: FakeJSON2Video) -> Iterator[Any]:
    async def make() -> AsyncClient:
        return AsyncClient(
            api_key=server.api_key,
            base_url=server.base_url,
            poll_policy=PollPolicy.for_local_testing(),
        )

    with start_blocking_portal() as portal:
        client = portal.call(make)
        yield Blocking(client, portal)
        portal.call(client.aclose)


@pytest.fixture(params=["Client", "AsyncClient"])
def client(request: pytest.FixtureRequest, fake: FakeJSON2Video) -> Iterator[Any]:
    if request.param == "Client":
        with Client(
            api_key=fake.api_key, base_url=fake.base_url, poll_policy=PollPolicy.for_local_testing()
        ) as sync:
            yield sync
    else:
        yield from _async_client(fake)


@pytest.mark.parametrize(
    ("movie", "budget", "said"),
    [
        (UHD, 11.5, "the estimate is 12 credits (3 s x 4/s), over max_credits=11.5"),
        (AI, 81, "the estimate is 82 credits (2 s x 1/s + 80 for AI), over max_credits=81"),
    ],
)
def test_over_budget_nothing_is_sent(
    client: Any, fake: FakeJSON2Video, movie: Movie, budget: float, said: str
) -> None:
    with pytest.raises(BudgetExceededError) as info:
        client.render(movie, max_credits=budget)
    assert said in str(info.value) and "nothing was sent" in str(info.value)
    assert info.value.max_credits == budget and info.value.estimate.credits > budget  # type: ignore[attr-defined]
    assert fake.requests == []  # not one request, not even an upload


def test_a_lower_bound_over_budget_is_refused_and_within_it_renders(
    client: Any, fake: FakeJSON2Video
) -> None:
    movie = Movie(resolution="hd").add(Scene().add(Text("Hi").duration(3), Voice("Hello there")))
    with pytest.raises(BudgetExceededError, match="at least 3 credits.*depends on"):
        client.render(movie, max_credits=2)
    assert fake.requests == []
    render = client.render(movie, max_credits=3)  # the voice may run longer: it is submitted
    assert render.status.status == "done" and len(fake.projects()) == 1


def test_a_template_is_estimated_from_its_saved_movie(client: Any, fake: FakeJSON2Video) -> None:
    tid = fake.add_template(TEMPLATE)
    with pytest.raises(BudgetExceededError, match="the estimate is 9 credits"):
        client.templates.render(tid, {"title": "Sale", "seconds": 9}, max_credits=8)
    assert [(r.method, r.path) for r in fake.requests] == [("GET", "/v2/templates")]  # read only
    render = client.templates.render(tid, {"title": "Sale"}, max_credits=5)
    assert render.status.duration == 5


@pytest.mark.parametrize("budget", [-1, math.nan, math.inf, "10", True])
def test_a_budget_that_is_not_a_number_of_credits_is_named(client: Any, budget: Any) -> None:
    with pytest.raises(BuildError, match="max_credits must be a number of credits >= 0"):
        client.submit(UHD, max_credits=budget)


def test_a_template_body_given_to_submit_must_go_through_templates(client: Any) -> None:
    with pytest.raises(BuildError, match="templates.render"):
        client.submit({"template": "T" * 20, "variables": {}}, validate=False, max_credits=100)


# ------------------------------------------------------------------ batches


def card(row: dict[str, Any]) -> Movie:
    return Movie(resolution="full-hd").add(Scene(duration=int(row["seconds"])).add(Text("x")))


def test_a_batch_over_budget_is_refused_before_anything_is_sent(
    fake: FakeJSON2Video, tmp_path: Path
) -> None:
    rows = [{"seconds": s} for s in (2, 3, 4)]  # 9 credits
    with Client(api_key=fake.api_key, base_url=fake.base_url) as sync:
        batch = Batch(card, rows, ledger=tmp_path / "l.db", client=sync, max_credits=8)
        with pytest.raises(BudgetExceededError, match="estimated at 9 credits for 3 row"):
            batch.run()
        assert fake.requests == [] and not (tmp_path / "l.db").exists()
        assert "estimate: 9 credits for 3 row(s)" in batch.dry_run(estimate=True).describe()


def test_a_resumed_batch_counts_only_the_rows_it_would_submit(
    fake: FakeJSON2Video, tmp_path: Path
) -> None:
    ledger = tmp_path / "l.db"
    first = [{"seconds": s} for s in (2, 3)]
    policy = PollPolicy.for_local_testing()
    with Client(api_key=fake.api_key, base_url=fake.base_url, poll_policy=policy) as sync:
        assert Batch(card, first, ledger=ledger, client=sync, max_credits=5).run().ok
        more = [*first, {"seconds": 4}]  # 9 credits in all, 4 still to render
        result = Batch(card, more, ledger=ledger, client=sync, max_credits=4).run()
    assert result.ok and len(fake.projects()) == 3


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_an_async_batch_over_budget_reads_the_saved_template_and_sends_nothing(
    fake: FakeJSON2Video, tmp_path: Path
) -> None:
    tid = fake.add_template(TEMPLATE)
    rows = [{"title": "A", "seconds": 6}, {"title": "B"}]  # 6 + 5
    async with AsyncClient(api_key=fake.api_key, base_url=fake.base_url) as client:
        template = MovieTemplate(tid)
        batch = Batch(template, rows, ledger=tmp_path / "l.db", client=client, max_credits=10)
        with pytest.raises(BudgetExceededError, match="at 11 credits for 2 row"):
            await batch.run_async()
    assert [(r.method, r.path) for r in fake.requests] == [("GET", "/v2/templates")]
