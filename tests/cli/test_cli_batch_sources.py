"""`moviekit batch`'s TEMPLATE argument: every kind of source, and each way it can be wrong.

A script (``t.py``, ``t.py:NAME``, the one template it defines), a Movie JSON file or a saved
template's id on the fake service; a source that is none of these is a one-line error with
exit 2 that says what TEMPLATE may be. ``batch check`` sends nothing, so it drives most of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.cli import assert_one_error, invoke

from moviekit.testing import FakeJSON2Video

ROWS = "sku,title\nA,Hello\nB,World\n"
MOVIE = {"scenes": [{"duration": 2, "elements": [{"type": "text", "text": "{{title}}"}]}]}
ONE_TEMPLATE = """
from moviekit import Movie, MovieTemplate, Scene, Text, Variable

listing = MovieTemplate(lambda row: Movie().add(Scene(duration=2).add(Text(row["title"]))),
                        [Variable("title")])
"""
TWO_TEMPLATES = ONE_TEMPLATE + "\nother = listing\n_private = listing\n"
A_FUNCTION = """
from moviekit import Movie, Scene, Text

def make(row):
    return Movie().add(Scene(duration=2).add(Text(row["title"])))
"""


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "rows.csv").write_text(ROWS)
    return tmp_path


@pytest.fixture()
def service(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJSON2Video]:
    with FakeJSON2Video(queue_seconds=0, render_seconds=0) as fake:
        monkeypatch.setenv("JSON2VIDEO_API_KEY", fake.api_key)
        monkeypatch.setenv("JSON2VIDEO_BASE_URL", fake.base_url)
        yield fake


def check(folder: Path, template: str, *extra: str) -> tuple[int, str, str]:
    result = invoke("batch", "check", template, folder / "rows.csv", "--key", "sku", *extra)
    return result.exit_code, result.stdout, result.stderr


def test_a_script_with_one_template_under_any_name(folder: Path) -> None:
    (folder / "t.py").write_text(ONE_TEMPLATE)
    code, _, stderr = check(folder, str(folder / "t.py"))
    assert code == 0, stderr
    assert "2 row(s): 2 ok, 0 bad" in stderr


def test_a_script_with_two_templates_needs_a_name(folder: Path) -> None:
    (folder / "t.py").write_text(TWO_TEMPLATES)
    code, stdout, stderr = check(folder, str(folder / "t.py"))
    line = assert_one_error(code, stderr, stdout, expected_code=2, names="t.py")
    assert "defines no 'template'" in line and "t.py:NAME" in line
    code, _, stderr = check(folder, f"{folder / 't.py'}:other")
    assert code == 0, stderr


def test_a_named_function_becomes_a_template(folder: Path) -> None:
    (folder / "t.py").write_text(A_FUNCTION)
    code, _, stderr = check(folder, f"{folder / 't.py'}:make")
    assert code == 0, stderr
    assert "2 row(s): 2 ok, 0 bad" in stderr


def test_a_name_the_script_does_not_define(folder: Path) -> None:
    (folder / "t.py").write_text(ONE_TEMPLATE)
    code, stdout, stderr = check(folder, f"{folder / 't.py'}:missing")
    line = assert_one_error(code, stderr, stdout, expected_code=2, names="t.py")
    assert "defines no 'missing'" in line


def test_a_missing_script(folder: Path) -> None:
    code, stdout, stderr = check(folder, str(folder / "nope.py"))
    line = assert_one_error(code, stderr, stdout, expected_code=2)
    assert "no such file" in line and "nope.py" in line


def test_a_movie_json_file(folder: Path) -> None:
    (folder / "movie.json").write_text(json.dumps(MOVIE))
    code, _, stderr = check(folder, str(folder / "movie.json"))
    assert code == 0, stderr
    assert "2 row(s): 2 ok, 0 bad" in stderr


def test_a_missing_json_file_is_named(folder: Path) -> None:
    code, stdout, stderr = check(folder, "missing.json")
    line = assert_one_error(code, stderr, stdout, expected_code=2)
    assert line == "error: no such file: missing.json"  # as every command reads files


@pytest.mark.parametrize(
    "source", ["movie.yaml", "short-id", "x" * 19, "x" * 21, "not-alnum-twenty!!!!"]
)
def test_anything_else_says_what_template_may_be(folder: Path, source: str) -> None:
    code, stdout, stderr = check(folder, source)
    line = assert_one_error(code, stderr, stdout, expected_code=2)
    assert ".py script, a .json movie or a 20-character template id" in line
    assert repr(source) in line


def test_a_saved_template_by_its_id(folder: Path, service: FakeJSON2Video) -> None:
    template_id = service.add_template(MOVIE, name="listing")
    assert len(template_id) == 20
    code, _, stderr = check(folder, template_id)
    assert code == 0, stderr
    assert "2 row(s): 2 ok, 0 bad" in stderr
    assert service.api_key not in stderr
    assert not service.projects()  # a check renders nothing


def test_an_unknown_template_id_is_one_error(folder: Path, service: FakeJSON2Video) -> None:
    code, stdout, stderr = check(folder, "A" * 20)
    line = assert_one_error(code, stderr, stdout, expected_code=1, names="A" * 20)
    assert "not found" in line and "moviekit templates" in line
    assert service.api_key not in stderr + stdout


def test_bad_rows_as_json(folder: Path) -> None:
    (folder / "t.py").write_text(ONE_TEMPLATE)
    (folder / "rows.csv").write_text("sku,title\nA,Hello\nB,\n")
    code, stdout, stderr = check(folder, str(folder / "t.py"), "--json")
    assert code == 1
    report = json.loads(stdout)
    assert report["ok"] is False
    assert [p["row_key"] for p in report["problems"]] == ["B"]


def test_report_without_a_ledger_is_exit_2(folder: Path) -> None:
    (folder / "t.py").write_text(ONE_TEMPLATE)
    result = invoke(
        "batch",
        "report",
        folder / "t.py",
        folder / "rows.csv",
        "--key",
        "sku",
        "--ledger",
        folder / "none.db",
    )
    line = assert_one_error(result.exit_code, result.stderr, result.stdout, expected_code=2)
    assert "no ledger at" in line and "moviekit batch run" in line
    assert not (folder / "none.db").exists()


def test_run_with_bad_rows_submits_nothing(folder: Path, service: FakeJSON2Video) -> None:
    (folder / "t.py").write_text(ONE_TEMPLATE)
    (folder / "rows.csv").write_text("sku,title\nA,Hello\nB,\n")
    result = invoke(
        "batch",
        "run",
        folder / "t.py",
        folder / "rows.csv",
        "--key",
        "sku",
        "--ledger",
        folder / "l.db",
        "--poll-interval",
        "0.05",
    )
    line = assert_one_error(result.exit_code, result.stderr, result.stdout, expected_code=1)
    assert "1 bad row(s); nothing was submitted" in line and "--skip-bad-rows" in line
    assert not service.projects()
