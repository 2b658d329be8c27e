"""Rows in: files and iterables, stable keys, every bad row reported at once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from moviekit import RowsError, read_rows


def test_csv_with_bom_and_key(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("\ufeffsku,title\nA1,Loft\nB2,\n".encode())
    rows = read_rows(path, key="sku")
    assert [(r.key, r.index, dict(r.values)) for r in rows] == [
        ("A1", 0, {"sku": "A1", "title": "Loft"}), ("B2", 1, {"sku": "B2", "title": ""})
    ]
    assert rows[1].path == "rows[1]"


def test_json_jsonl_and_iterables_key_by_position(tmp_path: Path) -> None:
    data = [{"a": 1}, {"a": 2}]
    (tmp_path / "r.json").write_text(json.dumps(data))
    (tmp_path / "r.jsonl").write_text("\n".join(json.dumps(d) for d in data) + "\n\n")
    for source in (tmp_path / "r.json", tmp_path / "r.jsonl", data, iter(data)):
        rows = read_rows(source)
        assert [r.key for r in rows] == ["0", "1"] and rows[1].values["a"] == 2


def test_every_bad_row_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"sku": "A"}\nnot json\n{"sku": "A"}\n{"title": "no key"}\n[1]\n')
    with pytest.raises(RowsError) as caught:
        read_rows(path, key="sku")
    codes = [(p.path, p.code) for p in caught.value.problems]
    assert codes == [("rows[1]", "bad-json"), ("rows[4]", "not-an-object"),
                     ("rows[2].sku", "duplicate-key"), ("rows[3].sku", "missing-key")]
    assert "line 2 is not valid JSON" in str(caught.value)


def test_csv_extra_cells_and_duplicate_header(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("a,b\n1,2,3\n")
    with pytest.raises(RowsError, match="more cells than the header"):
        read_rows(path)
    path.write_text("a,a\n1,2\n")
    with pytest.raises(RowsError, match="repeats column"):
        read_rows(path)


@pytest.mark.parametrize("source,message", [
    ({"a": 1}, "wrap it in a list"),
    (42, "cannot read rows"),
    ("rows.txt", "cannot tell the format"),
])
def test_wrong_sources_say_how_to_fix(source: Any, message: str) -> None:
    with pytest.raises(RowsError, match=message):
        read_rows(source)


def test_pandas_dataframe_when_installed() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"sku": ["A", "B"], "price": [1.5, float("nan")]})
    rows = read_rows(frame, key="sku")
    assert rows[0].values == {"sku": "A", "price": 1.5} and rows[1].values["price"] is None
