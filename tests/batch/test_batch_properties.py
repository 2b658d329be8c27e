"""Any input a user controls: rows in (any CSV / JSON / JSONL text) and any row values.

Rows in: any text gives rows or a RowsError with a path, never another
exception, in linear time. The dry run: any values give a DryRun report whose
problems all point into their row, never another exception.
"""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moviekit import (
    Batch,
    DryRun,
    Movie,
    MovieTemplate,
    RowsError,
    Scene,
    Text,
    Variable,
    read_rows,
)

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

CSV_TEXT = st.text(alphabet=st.sampled_from(list('sku,a"\n\r\x00 1é;')), max_size=80)
JSON_TEXT = st.text(alphabet=st.sampled_from(list('{}[]":,sku a1\n-e.')), max_size=80)
ANY_TEXT = st.text(max_size=80) | CSV_TEXT | JSON_TEXT


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def check_rows(path: Path, key: str | None) -> None:
    try:
        rows = read_rows(path, key=key)
    except RowsError as exc:
        assert exc.path.startswith("rows") and exc.source
        assert all(p.path.startswith("rows[") and p.row_key for p in exc.problems)
        return
    assert len({r.key for r in rows}) == len(rows)
    assert [r.index for r in rows] == sorted({r.index for r in rows})


@SETTINGS
@given(text=ANY_TEXT, suffix=st.sampled_from([".csv", ".json", ".jsonl"]),
       key=st.sampled_from([None, "sku", "a"]))
def test_any_text_gives_rows_or_a_rows_error(
    folder: Path, text: str, suffix: str, key: str | None
) -> None:
    path = folder / f"rows{suffix}"
    path.write_text(text, encoding="utf-8")
    check_rows(path, key)


@SETTINGS
@given(data=st.binary(max_size=60), suffix=st.sampled_from([".csv", ".json", ".jsonl"]))
def test_any_bytes_give_rows_or_a_rows_error(folder: Path, data: bytes, suffix: str) -> None:
    path = folder / f"bytes{suffix}"
    path.write_bytes(data)
    check_rows(path, None)


# Each input is large enough that a quadratic step would take minutes, and each is
# one a careless parser turns into an exception other than RowsError.
@pytest.mark.parametrize("name,text", [
    ("header.csv", "a," * 100_000 + "a\n1\n"),
    ("field.csv", "a\n" + "x" * 300_000 + "\n"),
    ("nul.csv", "a,b\n1,\x002\n"),
    ("deep.json", "[" * 100_000),
    ("deep.jsonl", "[" * 100_000 + "\n{}\n"),
    ("bigint.jsonl", '{"a": ' + "1" * 5_000 + "}\n"),
    ("lines.jsonl", "{\n" * 100_000),
    ("dupes.jsonl", '{"sku": "A"}\n' * 100_000),
])
def test_adversarial_files_read_in_linear_time(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    check_rows(path, "sku" if name.startswith("dupes") else None)
    assert time.perf_counter() - started < 10


# Values Python gives and JSON does not carry; built on draw (hypothesis repr()s a
# strategy's constants, and an int of 5,000 digits has no repr).
_ODD = (lambda: b"bytes", lambda: float("nan"), lambda: math.inf, lambda: -math.inf,
        lambda: 10**5000, lambda: {1, 2}, object, lambda: "{{x}}", lambda: "", lambda: " ",
        lambda: "1e999", lambda: "\x00", lambda: "x" * 10_000, lambda: [[[[[]]]]],
        lambda: {"a": {"b": None}})
ODD = st.integers(0, len(_ODD) - 1).map(lambda i: _ODD[i]())
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | ODD,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=8,
)
COLUMNS = st.sampled_from(["title", "price", "n", "ok", "photo", "kind", "tags", "meta", "x",
                           "", "1st", "é"])
ROWS = st.lists(st.dictionaries(COLUMNS, VALUES, max_size=6), min_size=1, max_size=4)


def _function(row: dict[str, Any]) -> Movie:
    return Movie().add(Scene(duration=2).add(Text(f"{row.get('title')} {row.get('x')}")))


DECLARED = [Variable("title"), Variable("price", "number", minimum=0), Variable("n", "integer"),
            Variable("ok", "boolean", default=False), Variable("photo", "url", required=False),
            Variable("kind", "select", choices=("a", 1), default="a"),
            Variable("tags", "array", default=[]), Variable("meta", "object", required=False),
            Variable("x", "any", required=False)]
PLACEHOLDERS = {"resolution": "hd", "variables": {"title": "T", "x": 1},
                "scenes": [{"duration": "{{n}}",
                            "elements": [{"type": "text", "text": "{{title}} {{x}} {{tags}}"},
                                         {"type": "image", "src": "{{photo}}"}]}]}
TEMPLATES = [
    MovieTemplate(_function),
    MovieTemplate(_function, DECLARED),
    MovieTemplate(PLACEHOLDERS),
    MovieTemplate(PLACEHOLDERS, DECLARED),
    MovieTemplate("aBcDeFgHiJkLmNoPqRsT", [Variable("x", "any")]),
]


@settings(max_examples=200, deadline=None)
@given(rows=ROWS, which=st.integers(0, len(TEMPLATES) - 1), key=st.sampled_from([None, "title"]))
def test_any_row_values_give_a_dry_run_report(
    rows: list[dict[str, Any]], which: int, key: str | None
) -> None:
    try:
        batch = Batch(TEMPLATES[which], rows, key=key)
    except RowsError as exc:  # keyed by a column: missing, duplicate or unusable keys
        assert key and exc.problems and all(p.path.startswith("rows[") for p in exc.problems)
        return
    dry = batch.dry_run()
    assert isinstance(dry, DryRun) and isinstance(dry.describe(), str)
    for i, built in enumerate(dry.built):
        assert all(p.path.startswith(f"rows[{i}]") for p in built.problems + built.warnings)
        assert built.ok == (built.payload is not None and built.payload_hash is not None)
    assert dry.ok == (not dry.problems)
