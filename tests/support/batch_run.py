"""Helpers the batch run tests share: a simulated kill at a step, a batch, the once-each check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from moviekit import Batch, Ledger
from moviekit.testing import FakeJSON2Video
from support.batch_template import TEMPLATE, rows


class Crash(BaseException):
    """A simulated kill: not an Exception, so nothing in the runner may swallow it."""


def crash_at(step: str, nth: int = 1) -> Any:
    """A step hook that raises :class:`Crash` at the ``nth`` time ``step`` is reached."""
    seen = [0]

    def hook(name: str, row_key: str) -> None:
        if name == step:
            seen[0] += 1
            if seen[0] == nth:
                raise Crash(f"{step} of {row_key}")

    return hook


def make(client: Any, ledger: Path, data: Any = None, **kwargs: Any) -> Batch:
    """A batch of the shared template (8 rows unless ``data``) on ``client``."""
    template = kwargs.pop("template", TEMPLATE)
    data = rows(8) if data is None else data
    return Batch(template, data, key="sku", ledger=ledger, client=client, **kwargs)


def assert_each_row_once(ledger: Path, server: FakeJSON2Video, n: int) -> None:
    """Every one of ``n`` rows is done, with one project each, and no project twice."""
    with Ledger(ledger) as book:
        records = book.rows()
    assert len(records) == len({r.row_key for r in records}) == n
    assert {r.status for r in records} == {"done"}
    created = [p["project"] for p in server.projects()]
    assert len(created) == len(set(created)) == n, "a row was rendered twice"
    assert sorted(r.project_id or "" for r in records) == sorted(created)
