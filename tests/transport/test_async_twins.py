"""``AsyncClient`` follows ``Client``'s rules: one scenario, the same requests, the same end.

Each scenario runs once on a ``Client`` and once on an ``AsyncClient``, each
against its own ``FakeJSON2Video`` (real sockets) on its own ``FakeClock``,
with the same scripted faults. The servers must receive the same requests in
the same order, and the scenario must end the same way (a result or the same
exception). Since both clients run one implementation of the rules, a rule
changed for one is changed for both; these tests hold that.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.transport import movie
from support.twins import Side, twin_clients

from moviekit import APIError, MovieValidationError, SubmitUncertainError
from moviekit.testing import Fault

TEMPLATE = {
    "resolution": "hd",
    "variables": {"headline": "Default"},
    "scenes": [{"duration": 2, "elements": [{"type": "text", "text": "{{headline}} in {{city}}"}]}],
}
BROKEN = {
    "resolution": "hd",
    "scenes": [{"duration": 2, "elements": [{"type": "video"}]}],
}


def _render(side: Side, tmp: Path) -> Any:
    render = side.client.render(movie(), validate=False)
    path = render.download(tmp / f"{side.name}.mp4")
    return render.status.status, render.status.duration, path.stat().st_size


def _fault_then_render(*faults: tuple[Fault, str, str]) -> Callable[[Side, Path], Any]:
    def scenario(side: Side, tmp: Path) -> Any:
        for fault, method, path in faults:
            side.server.inject(fault, method=method, path=path)
        result = _render(side, tmp)
        return result, len(side.server.projects())

    return scenario


def _wait_with_status_faults(times: int) -> Callable[[Side, Path], Any]:
    def scenario(side: Side, tmp: Path) -> Any:
        job = side.client.submit(movie(), validate=False)
        side.server.inject(Fault.status(503, times=times), method="GET", path="/v2/movies")
        return job.wait().status.status

    return scenario


def _render_failure(side: Side, tmp: Path) -> Any:
    return side.client.render(BROKEN, validate=False)


def _unknown_project(side: Side, tmp: Path) -> Any:
    return side.client.get("A" * 16)


def _no_project(side: Side, tmp: Path) -> Any:
    return side.client.get("")


def _template_round_trip(side: Side, tmp: Path) -> Any:
    templates = side.client.templates
    saved = templates.create("Promo", TEMPLATE, tags=["sales"])
    templates.update(saved.template_id, name="Promo v2")
    copy = templates.duplicate(saved.template_id, name="Copy")
    listed = sorted(t.name for t in templates.list(tag="sales"))
    render = templates.render(saved.template_id, {"city": "Oslo"})
    templates.delete(copy.template_id)
    return listed, render.status.status, [t.name for t in templates.list()]


def _template_variables_checked(side: Side, tmp: Path) -> Any:
    tid = side.server.add_template(TEMPLATE)
    return side.client.templates.submit(tid, {"cty": "Oslo"})


def _upload_local_file(side: Side, tmp: Path) -> Any:
    clip = tmp / "clip.png"
    clip.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 1000)
    doc = {
        "resolution": "hd",
        "scenes": [{"duration": 1, "elements": [{"type": "image", "src": str(clip)}]}],
    }
    side.server.inject(Fault.drop(), method="POST", path="/v2/media/file")
    render = side.client.render(doc, validate=False)
    stored = side.client.media.list("moviekit").files
    return render.status.status, [(f.name, f.status) for f in stored]


def _list_and_reconcile(side: Side, tmp: Path) -> Any:
    side.server.inject(Fault.drop(), method="POST", path="/v2/movies")
    side.server.inject(Fault.status(503, times=20), method="GET", path="/v2/movies")
    with pytest.raises(SubmitUncertainError) as info:
        side.client.submit(movie(), validate=False)
    side.server._faults.clear()
    found = side.client.reconcile(info.value.submission_key)
    return found is not None, len(list(side.client.list_movies(page_size=1)))


SCENARIOS: dict[str, Callable[[Side, Path], Any]] = {
    "render and download": _fault_then_render(),
    "submit answer dropped": _fault_then_render((Fault.drop(), "POST", "/v2/movies")),
    "submit 503 then list lags": _fault_then_render(
        (Fault.status(503), "POST", "/v2/movies"), (Fault.late(), "GET", "/v2/movies")
    ),
    "submit refused 5 times": _fault_then_render(
        (Fault.status(503, times=5), "POST", "/v2/movies")
    ),
    "submit 429": _fault_then_render((Fault.rate_limit(2.0), "POST", "/v2/movies")),
    "garbled submit answer": _fault_then_render((Fault.malformed(), "POST", "/v2/movies")),
    "download cut short": _fault_then_render((Fault.malformed(times=2), "GET", "/files/")),
    "status 503 tolerated": _wait_with_status_faults(2),
    "status 503 too often": _wait_with_status_faults(50),
    "render error": _render_failure,
    "unknown project": _unknown_project,
    "no project id": _no_project,
    "templates": _template_round_trip,
    "template variables": _template_variables_checked,
    "local file uploaded": _upload_local_file,
    "uncertain submit reconciled": _list_and_reconcile,
}
#: the scenarios both clients end before any request
SENDS_NOTHING = {"no project id"}


def _outcome(scenario: Callable[[Side, Path], Any], side: Side, tmp: Path) -> Any:
    try:
        return "ok", scenario(side, tmp)
    except (APIError, MovieValidationError) as exc:
        detail = [
            getattr(exc, "path", None),
            getattr(exc, "status_code", None),
            type(getattr(exc, "builder", None)).__name__,
        ]
        # The service's words (ids and ports differ between the two servers).
        said = exc.message if isinstance(exc, APIError) else str(exc)
        return "raised", type(exc).__name__, said, detail


@pytest.mark.parametrize("name", SCENARIOS)
def test_both_clients_send_the_same_requests_and_end_the_same_way(
    name: str, tmp_path: Path
) -> None:
    with twin_clients() as (blocking, awaited):
        outcomes = [_outcome(SCENARIOS[name], side, tmp_path) for side in (blocking, awaited)]
        sent = [side.requests() for side in (blocking, awaited)]
        sleeps = [side.clock.sleeps for side in (blocking, awaited)]
    assert outcomes[0] == outcomes[1]
    assert sent[0] == sent[1] and (sent[0] or name in SENDS_NOTHING)
    assert sleeps[0] == sleeps[1]  # the same backoff and poll schedule, to the millisecond
