"""The PostgreSQL ledger against a real server: the SQLite ledger's rows and rules, claims, the
shared limit, its own schema, the report, moving a batch from SQLite, the command line."""

from __future__ import annotations

import dataclasses
import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from support.batch_service import ServiceProcess
from support.batch_template import TEMPLATE, rows, write_csv
from support.cli import assert_one_error, invoke
from support.readme import ROOT, blocks, section

from moviekit import (
    Batch,
    Client,
    Ledger,
    LedgerError,
    PostgresLedger,
    migrate_ledger,
)
from moviekit.batch._pg_schema import SCHEMA_VERSION
from moviekit.testing import FakeJSON2Video

WORKER = Path(__file__).resolve().parents[1] / "support" / "batch_worker.py"
README_URL = "postgresql://render@db.internal/listings"


def lifecycle(ledger: Ledger | PostgresLedger) -> list[dict[str, Any]]:
    """The same records, written the same way; the rows without their timestamps."""
    ledger.acquire()
    ledger.record_intent("a", 0, "h1", "k1")
    ledger.record_submitted("a", "P" * 16)
    ledger.record_rendering("a")
    ledger.record_done("a", "https://x/a.mp4")
    ledger.record_file("a", "a.mp4")
    ledger.record_intent("b", 1, "h2", "k2")
    ledger.record_failed("b", "boom")
    ledger.record_intent("b", 1, "h3", "k3", attempts=1)  # a retry: fresh attempt
    ledger.record_intent("c", 2, "h4", "k4")
    ledger.record_submitted("c", "Q" * 16)
    ledger.record_submitted("c", "R" * 16)  # only a submitting row changes
    ledger.record_intent("d", 3, "h5", "k5")
    ledger.forget_intent("d")
    times = {"created_at", "updated_at", "submitted_at", "finished_at"}
    return [{k: v for k, v in r.to_dict().items() if k not in times} for r in ledger.rows()]


def test_the_same_rows_and_states_as_the_sqlite_ledger(pg_url: str, tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.db") as sqlite, PostgresLedger(pg_url) as shared:
        assert lifecycle(shared) == lifecycle(sqlite)
        assert shared.counts() == sqlite.counts() == {"done": 1, "submitting": 1, "submitted": 1}
        assert shared.get("a") is not None and shared.get("zz") is None and len(shared) == 3
        assert [r.row_key for r in shared] == ["a", "b", "c"]
        assert shared.export(tmp_path / "r.csv").read_text().splitlines()[0].startswith("row_key")


def test_a_run_its_resume_and_report_are_the_same_on_both_ledgers(
    server: FakeJSON2Video, client: Client, pg_url: str, tmp_path: Path
) -> None:
    def runs(ledger: str) -> list[Any]:
        data = rows(5)
        first = Batch(TEMPLATE, data, key="sku", ledger=ledger, client=client).run()
        data[2] = {**data[2], "title": "changed"}
        again = Batch(TEMPLATE, data, key="sku", ledger=ledger, client=client).run()
        report = Batch(TEMPLATE, data, key="sku", ledger=ledger).report()
        return [
            (r.row_key, r.status, r.changed) for res in (first, again, report) for r in res.rows
        ]

    assert runs(pg_url) == runs(str(tmp_path / "l.db"))
    assert len(server.requests_to("POST", "/v2/movies")) == 10  # 5 per ledger, none again


def test_the_review_page_reads_the_shared_ledger(
    server: FakeJSON2Video, client: Client, pg_url: str, tmp_path: Path
) -> None:
    from moviekit.studio._review import review_rows

    Batch(TEMPLATE, rows(2), key="sku", ledger=pg_url, client=client).run()
    reviewed = review_rows(TEMPLATE, rows(3), ledger=pg_url, key="sku", thumbnails=False)
    assert [(r.key, r.status) for r in reviewed] == [
        ("SKU-000", "done"),
        ("SKU-001", "done"),
        ("SKU-002", "pending"),
    ]


# --------------------------------------------------------------------------- claims and the limit


def test_claims_are_exclusive_and_the_limit_is_shared(pg_url: str) -> None:
    with PostgresLedger(pg_url) as one, PostgresLedger(pg_url) as two:
        one.acquire()
        two.acquire()
        assert one.set_limit(2, replace=False) == 2
        assert two.set_limit(8, replace=False) == 2  # the first run's stays
        assert one.record_intent("x", 0, "h", "k1") == "recorded"
        assert two.record_intent("x", 0, "h", "k2") == "taken"  # it saw no attempt; one exists
        assert two.record_intent("y", 1, "h", "k3") == "recorded"
        assert one.record_intent("z", 2, "h", "k4") == "full"  # x and y are in flight
        one.record_submitted("x", "P" * 16)
        assert two.take_over() == []  # x is followed by a live run
        assert two.followed_elsewhere()
        one.record_done("x", "u")
        assert one.record_intent("z", 2, "h", "k4") == "recorded"
        assert two.set_limit(3, replace=True) == 3
        assert one.record_intent("w", 3, "h", "k5") == "recorded"
        one.close()  # leaves: its rows in flight are free to take over, at once
        taken = two.take_over()
        assert [r.row_key for r in taken] == ["z", "w"]
        assert two.take_over() == [] and not two.followed_elsewhere()
        assert two.record_intent("z", 2, "h", "k4", attempts=1) == "recorded"  # a resubmit
        two.unclaim("w")
        assert two.followed_elsewhere() and not two.followed_elsewhere(skip={"w"})
        assert [r.row_key for r in two.take_over()] == ["w"]


def test_a_row_a_live_run_holds_is_taken_whatever_count_the_caller_saw(pg_url: str) -> None:
    """The second guard of ``record_intent``: the attempts count aside, a row that another
    live run holds is never claimed; once that run has left, it may be."""
    with PostgresLedger(pg_url) as one, PostgresLedger(pg_url) as two:
        one.acquire()
        two.acquire()
        assert one.record_intent("x", 0, "h", "k1") == "recorded"
        assert two.record_intent("x", 0, "h", "k2", attempts=1) == "taken"  # the same count
        one.close()
        assert two.record_intent("x", 0, "h", "k2", attempts=1) == "recorded"
        (row,) = two.rows()
        assert (row.submission_key, row.attempts) == ("k2", 2)


def wait_frozen_and_taken_over(
    frozen: subprocess.Popen[str], other: subprocess.Popen[str], pg_url: str
) -> None:
    """Once ``frozen`` has stopped itself, let ``other`` run; return once ``other`` has taken
    ``frozen``'s row over (so ``frozen``'s lease has run out)."""
    deadline = time.monotonic() + 60
    while Path(f"/proc/{frozen.pid}/stat").read_text().split()[2] != "T":
        assert time.monotonic() < deadline and frozen.poll() is None
        time.sleep(0.02)
    assert other.stdin is not None and other.stdout is not None
    assert other.stdout.readline() == "ready\n"
    other.stdin.write("go\n")
    other.stdin.flush()
    with PostgresLedger(pg_url) as shared:
        # The frozen run's one row in flight stays its own until a live run takes it over.
        while [(w["alive"], w["claims"]) for w in shared.workers() if w["pid"] == frozen.pid] != [
            (False, 0)
        ]:
            assert time.monotonic() < deadline and other.poll() is None
            time.sleep(0.05)


def test_a_frozen_worker_loses_its_rows_and_stops_before_posting_again(
    pg_url: str, tmp_path: Path
) -> None:
    """SIGSTOP a worker (one row at a time, frozen while polling) for longer than its lease:
    another takes its row over; woken up, it stops at its next intent instead of posting."""
    data = write_csv(tmp_path / "rows.csv", 40)
    with ServiceProcess(queue_seconds=0.05, render_seconds=0.15) as service:
        env = {**os.environ, "JSON2VIDEO_API_KEY": service.api_key}
        args = [service.base_url, pg_url, data]
        frozen = subprocess.Popen(
            [sys.executable, str(WORKER), *map(str, [*args, 1, 4, 2.0])],
            env={**env, "STOP_AT": "polling:3"},
            text=True,
            stderr=subprocess.PIPE,
        )
        # The other worker imports and connects meanwhile; it joins the batch on "go".
        other = subprocess.Popen(
            [sys.executable, str(WORKER), *map(str, [*args, 3, 4, 2.0, "go"])],
            env=env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        try:
            wait_frozen_and_taken_over(frozen, other, pg_url)
        except BaseException:
            frozen.kill()
            other.kill()
            raise
        frozen.send_signal(signal.SIGCONT)
        _, said = frozen.communicate(timeout=60)
        assert frozen.returncode == 1 and "this run lost its claim on the batch" in said
        other.communicate(timeout=120)
        assert other.returncode == 0
        per_row = service.renders_per_row()
    assert len(per_row) == 40 and set(per_row.values()) == {1}, per_row
    with PostgresLedger(pg_url) as shared:
        assert shared.counts() == {"done": 40}


# --------------------------------------------------------------------------- schema


def test_the_ledger_creates_and_versions_its_tables_once(pg_url: str) -> None:
    errors: list[BaseException] = []

    def open_close() -> None:
        try:
            PostgresLedger(pg_url).close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    starters = [threading.Thread(target=open_close) for _ in range(6)]
    for t in starters:
        t.start()
    for t in starters:
        t.join()
    assert not errors
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT version FROM moviekit_meta").fetchall() == [(SCHEMA_VERSION,)]
        conn.execute("UPDATE moviekit_meta SET version = 99")
    with pytest.raises(LedgerError, match="newer moviekit"):
        PostgresLedger(pg_url)


def test_the_password_never_shows(pg_url: str, tmp_path: Path) -> None:
    url = "postgresql://moviekit:s3cr3t-pw@127.0.0.1:1/nowhere"
    with pytest.raises(LedgerError) as caught:
        PostgresLedger(url)
    assert "s3cr3t" not in str(caught.value) and "127.0.0.1:1/nowhere" in str(caught.value)
    with PostgresLedger(pg_url.replace("moviekit@", "moviekit:s3cr3t-pw@")) as ledger:
        assert "s3cr3t" not in repr(ledger) + ledger.where
    (tmp_path / "rows.csv").write_text("title,price\nA,1\n")
    (tmp_path / "t.py").write_text("from support.batch_template import TEMPLATE as template\n")
    result = invoke("batch", "report", tmp_path / "t.py", tmp_path / "rows.csv", "--ledger", url)
    line = assert_one_error(result.exit_code, result.stderr, result.stdout, expected_code=1)
    assert "s3cr3t" not in result.output and "cannot open the ledger" in line


# --------------------------------------------------------------------------- moving a batch


def test_a_batch_moves_from_sqlite_and_resumes_there(
    server: FakeJSON2Video, client: Client, pg_url: str, tmp_path: Path
) -> None:
    db = tmp_path / "l.db"
    Batch(TEMPLATE, rows(3), key="sku", ledger=db, client=client).run()
    # A row killed after its POST: the project exists, the ledger says "submitting".
    built = TEMPLATE.build(Batch(TEMPLATE, rows(4), key="sku").rows[3])
    assert built.payload is not None and built.payload_hash is not None
    posted = client.submit(built.payload, submission_key="interrupted")
    with Ledger(db) as sqlite:
        sqlite.record_intent("SKU-003", 3, built.payload_hash, "interrupted")
        before = [dataclasses.astuple(r) for r in sqlite.rows()]
    assert migrate_ledger(db, pg_url) == 4
    with PostgresLedger(pg_url) as shared:
        assert [dataclasses.astuple(r) for r in shared.rows()] == before
    result = Batch(TEMPLATE, rows(5), key="sku", ledger=pg_url, client=client).run()
    assert result.ok and result["SKU-003"].project_id == posted.project_id
    assert len(server.requests_to("POST", "/v2/movies")) == 5  # 3 + the interrupted + 1 new
    with pytest.raises(LedgerError, match="was moved to postgresql://"):
        Batch(TEMPLATE, rows(5), key="sku", ledger=db, client=client).run()
    assert Batch(TEMPLATE, rows(5), key="sku", ledger=db).report().counts["submitting"] == 1
    with pytest.raises(LedgerError, match="already holds 5 row"):
        migrate_ledger(Ledger(tmp_path / "other.db").path, pg_url)


def test_migrate_on_the_command_line(pg_url: str, tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    with Ledger(db) as sqlite:
        sqlite.record_intent("a", 0, "h", "k")
        sqlite.record_submitted("a", "P" * 16)
        sqlite.record_done("a", "u")
    moved = invoke("batch", "migrate", db, pg_url)
    assert moved.exit_code == 0 and "1 row(s) moved to postgresql://moviekit@" in moved.stderr
    again = invoke("batch", "migrate", db, pg_url)
    assert_one_error(
        again.exit_code,
        again.stderr,
        again.stdout,
        expected_code=1,
        names="was moved to postgresql://",
    )
    misuse = invoke("batch", "migrate", db, str(tmp_path / "x.db"))
    assert_one_error(
        misuse.exit_code,
        misuse.stderr,
        misuse.stdout,
        expected_code=2,
        names="TARGET must be a postgresql:// URL",
    )
    missing = invoke("batch", "migrate", tmp_path / "none.db", pg_url)
    assert_one_error(
        missing.exit_code, missing.stderr, missing.stdout, expected_code=2, names="no ledger at"
    )


# --------------------------------------------------------------------------- two terminals


def test_the_readmes_two_terminals_run_one_batch_on_one_ledger(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's example as written (its database URL swapped for the test server's): the
    two ``batch run`` lines as two processes at once, then the ``batch report`` line."""
    text = section("## Many videos from data").split("### Many workers, one batch", 1)[1]
    (block,) = [code for lang, code, _ in blocks(text.split("\n### ", 1)[0]) if lang == "bash"]
    lines = [
        line.replace(README_URL, pg_url)
        for line in block.splitlines()
        if line.startswith("moviekit ")
    ]
    runs = [shlex.split(line)[1:] + ["--poll-interval", "0.05"] for line in lines[:2]]
    assert len(lines) == 3 and all(words[:2] == ["batch", "run"] for words in runs)
    shutil.copytree(ROOT / "cookbook", tmp_path / "cookbook")
    with ServiceProcess(queue_seconds=0.1, render_seconds=0.3) as service:
        env = {
            **os.environ,
            "JSON2VIDEO_API_KEY": service.api_key,
            "JSON2VIDEO_BASE_URL": service.base_url,
        }
        terminals = [
            subprocess.Popen(
                [sys.executable, "-m", "moviekit", *words],
                cwd=tmp_path,
                env=env,
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for words in runs
        ]
        outputs = [t.communicate(timeout=180) for t in terminals]
        assert [t.returncode for t in terminals] == [0, 0], outputs
        assert service.ask("projects") == 4  # the recipe's 4 rows, each rendered once
    assert all("4 done" in err for _, err in outputs)
    monkeypatch.chdir(tmp_path)
    report = invoke(*shlex.split(lines[2])[1:])
    assert report.exit_code == 0 and "4 done" in report.stdout
