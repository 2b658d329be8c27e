"""The service model agrees with the service on real documents (issue #12).

Zero errors on every document the service accepts or its docs show working;
the documented reason on every documented failure; and every document read
into builders and compiled again, unchanged, key order included.
"""

from __future__ import annotations

import json

import pytest
from support.corpus import CORPUS, FAILURE, Entry, accepted, entries, failures
from typer.testing import CliRunner

from moviekit import Movie, validate
from moviekit.cli import app


def ids(entry: Entry) -> str:
    return entry.file.removesuffix(".json")


def test_the_corpus_is_indexed_and_big_enough() -> None:
    indexed = {e.file for e in entries()}
    on_disk = {p.name for p in CORPUS.glob("*.json") if p.name != "index.json"}
    assert indexed == on_disk
    provenance = (CORPUS / "PROVENANCE.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in provenance for name in indexed)
    assert len(indexed) >= 150
    assert len(failures()) >= 8
    assert {e.kind for e in entries()} >= {"accepted", "docs-example", "published", FAILURE}


@pytest.mark.parametrize("entry", accepted(), ids=ids)
def test_no_error_on_what_the_service_accepts(entry: Entry) -> None:
    report = validate(entry.document())
    assert report.errors == (), report.describe()
    expected_warning = entry.row.get("expected_warning")
    if expected_warning:
        assert expected_warning in {p.code for p in report.warnings}


@pytest.mark.parametrize("entry", failures(), ids=ids)
def test_documented_failures_are_errors_with_their_reason(entry: Entry) -> None:
    expected = entry.expected_error
    assert expected is not None
    report = validate(entry.document())
    found = {(p.code, p.path) for p in report.errors}
    assert (expected["code"], expected["path"] or "") in found, report.describe()


@pytest.mark.parametrize("entry", entries(), ids=ids)
def test_every_document_round_trips_exactly(entry: Entry) -> None:
    doc = entry.document()
    again = Movie.from_dict(doc).to_dict(validate=False)
    assert again == doc
    assert json.dumps(again) == json.dumps(doc)  # nothing reordered either


@pytest.mark.parametrize("entry", entries()[::7], ids=ids)
def test_the_command_line_gives_the_library_s_verdict(entry: Entry) -> None:
    result = CliRunner().invoke(app, ["validate", str(entry.path)])
    assert result.exit_code == (0 if validate(entry.document()).ok else 1), result.output
