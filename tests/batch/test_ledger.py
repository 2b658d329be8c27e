"""The ledger: durable records, refusal of foreign files, the run lock, results export."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from moviekit import Ledger, LedgerError


def test_lifecycle_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "l.db"
    with Ledger(path) as ledger:
        ledger.record_intent("a", 0, "h1", "k1")
        ledger.record_submitted("a", "P" * 16)
        ledger.record_rendering("a")
        ledger.record_done("a", "https://x/a.mp4")
        ledger.record_file("a", "a.mp4")
        ledger.record_intent("b", 1, "h2", "k2")
        ledger.record_failed("b", "boom")
        ledger.record_intent("b", 1, "h3", "k3")  # a retry: fresh attempt
    with Ledger(path) as ledger:
        a, b = ledger.rows()
        assert (a.status, a.project_id, a.url, a.file) == ("done", "P" * 16, "https://x/a.mp4",
                                                           "a.mp4")
        assert (b.status, b.error, b.attempts, b.submission_key) == ("submitting", None, 2, "k3")
        assert ledger.counts() == {"done": 1, "submitting": 1} and len(ledger) == 2
        ledger.forget_intent("b")
        assert ledger.get("b") is None
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_refuses_foreign_and_newer_files(tmp_path: Path) -> None:
    (tmp_path / "text.db").write_text("not a database at all, just text " * 100)
    with pytest.raises(LedgerError, match="not a moviekit ledger"):
        Ledger(tmp_path / "text.db")
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    with pytest.raises(LedgerError, match="no 'rows' table"):
        Ledger(tmp_path / "other.db")
    Ledger(tmp_path / "new.db").close()
    db = sqlite3.connect(tmp_path / "new.db")
    db.execute("PRAGMA user_version=99")
    db.close()
    with pytest.raises(LedgerError, match="newer moviekit"):
        Ledger(tmp_path / "new.db")


def test_run_lock_is_exclusive(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.db") as first, Ledger(tmp_path / "l.db") as second:
        first.acquire()
        with pytest.raises(LedgerError, match="another process is running this batch"):
            second.acquire()
        first.release()
        second.acquire()


def test_export_formats(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.db") as ledger:
        ledger.record_intent("a", 0, "h", "k")
        csv_text = ledger.export(tmp_path / "r.csv").read_text()
        assert csv_text.splitlines()[0].startswith("row_key,status,project_id,url,error,file")
        line = json.loads(ledger.export(tmp_path / "r.jsonl").read_text().splitlines()[0])
        assert line["status"] == "submitting"
        assert json.loads(ledger.export(tmp_path / "r.json").read_text())[0]["row_key"] == "a"
        with pytest.raises(LedgerError, match="use .csv"):
            ledger.export(tmp_path / "r.xlsx")
