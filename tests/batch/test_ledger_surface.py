"""The ledger as a Python object: its repr, iteration, and forgetting only an unsent intent
(found by the mutation run: nothing read these)."""

from __future__ import annotations

from pathlib import Path

from moviekit import Ledger


def test_repr_names_the_file(tmp_path: Path) -> None:
    with Ledger(tmp_path / "renders.db") as ledger:
        assert repr(ledger) == f"Ledger({str(tmp_path / 'renders.db')!r})"


def test_iterating_gives_the_rows_in_order(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.db") as ledger:
        assert list(ledger) == []
        ledger.record_intent("b", 1, "h2", "k2")
        ledger.record_intent("a", 0, "h1", "k1")
        assert [row.row_key for row in ledger] == [row.row_key for row in ledger.rows()]
        assert sorted(row.row_key for row in ledger) == ["a", "b"] and len(ledger) == 2


def test_forgetting_an_intent_leaves_a_submitted_row(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.db") as ledger:
        ledger.record_intent("sent", 0, "h1", "k1")
        ledger.record_submitted("sent", "P" * 16)
        ledger.forget_intent("sent")  # it may have reached the service: never forgotten
        assert ledger.get("sent") is not None and ledger.counts() == {"submitted": 1}
