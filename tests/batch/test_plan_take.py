"""What a run does with the rows in flight that the ledger hands it (``Plan.take``)."""

from __future__ import annotations

from moviekit.batch._plan import Plan
from moviekit.batch._store import LedgerRow


def row(key: str, status: str, project_id: str | None = None) -> LedgerRow:
    return LedgerRow(
        row_key=key,
        row_index=0,
        payload_hash="h",
        submission_key=f"sub-{key}",
        project_id=project_id,
        status=status,
        url=None,
        error=None,
        file=None,
        attempts=1,
        created_at="2026-12-03T00:00:00Z",
        updated_at="2026-12-03T00:00:00Z",
        submitted_at=None,
        finished_at=None,
    )


def test_rows_on_the_service_are_followed_and_interrupted_ones_looked_for() -> None:
    plan = Plan()
    plan.take(
        [
            row("a", "submitted", "P1"),
            row("b", "rendering", "P2"),  # killed while the service rendered it: follow it
            row("c", "submitting"),  # killed mid-submit: find out whether it was created
            row("d", "rendering"),  # no project id recorded: nothing to follow
            row("e", "done", "P5"),  # not in flight
        ]
    )
    assert plan.follow == {"a": "P1", "b": "P2"}
    assert [r.row_key for r in plan.interrupted] == ["c"]
    assert plan.wanted == {"sub-c"}
