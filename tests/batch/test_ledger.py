"""The ledger: durable records, refusal of foreign files, the run lock, results export."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from support.batch_template import TEMPLATE, rows

from moviekit import Batch, Client, Ledger, LedgerError, LedgerRow, LedgerStore
from moviekit.testing import FakeJSON2Video


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


class MemoryLedger:
    """A LedgerStore kept in a dict: the runner must need nothing the protocol does not say."""

    def __init__(self) -> None:
        self.records: dict[str, LedgerRow] = {}
        self.held = False

    def acquire(self) -> None:
        self.held = True

    def release(self) -> None:
        self.held = False

    def close(self) -> None:
        self.release()

    def rows(self) -> list[LedgerRow]:
        return sorted(self.records.values(), key=lambda r: (r.row_index, r.row_key))

    def _set(self, key: str, **changes: Any) -> None:
        self.records[key] = dataclasses.replace(self.records[key], **changes)

    def record_intent(self, row_key: str, row_index: int, payload_hash: str,
                      submission_key: str) -> None:
        assert self.held
        old = self.records.get(row_key)
        self.records[row_key] = LedgerRow(row_key, row_index, payload_hash, submission_key, None,
                                          "submitting", None, None, None,
                                          (old.attempts if old else 0) + 1, "t", "t", None, None)

    def record_submitted(self, row_key: str, project_id: str) -> None:
        if self.records[row_key].status == "submitting":
            self._set(row_key, status="submitted", project_id=project_id)

    def record_rendering(self, row_key: str) -> None:
        if self.records[row_key].status == "submitted":
            self._set(row_key, status="rendering")

    def record_done(self, row_key: str, url: str | None) -> None:
        self._set(row_key, status="done", url=url)

    def record_failed(self, row_key: str, error: str) -> None:
        self._set(row_key, status="failed", error=error)

    def record_file(self, row_key: str, file: str) -> None:
        self._set(row_key, file=file)

    def forget_intent(self, row_key: str) -> None:
        if self.records[row_key].status == "submitting":
            del self.records[row_key]


def test_a_run_needs_only_the_ledger_store_protocol(
    server: FakeJSON2Video, client: Client, tmp_path: Path
) -> None:
    memory = MemoryLedger()
    store: LedgerStore = memory  # what Batch accepts: the protocol, not the SQLite class
    first = Batch(TEMPLATE, rows(4), key="sku", ledger=store, client=client).run(
        download_to=tmp_path / "v")
    assert first.ok and {r.status for r in store.rows()} == {"done"}
    assert all(r.file for r in store.rows()) and not memory.held
    again = Batch(TEMPLATE, rows(4), key="sku", ledger=store, client=client).run()
    assert again.ok and len(server.requests_to("POST", "/v2/movies")) == 4
