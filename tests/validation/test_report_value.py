"""A report is a value: its warnings, written when first read, say what was true when it was made.

Validation records the warnings of repeated shapes (an undocumented key, an
undefined ``{{variable}}``) and writes their words on the first read of
``report.warnings``. Whatever happens to the document in between, and however
many threads read at once, the report is the one an eager validation gives.
"""

from __future__ import annotations

import copy
import pickle
import threading
from typing import Any

import pytest

from moviekit import Problem, ValidationReport, validate


def template_movie(scenes: int = 40) -> dict[str, Any]:
    """Scenes of one shape: a caption with an undefined variable, a video with an unknown key."""
    return {
        "resolution": "full-hd",
        "scenes": [
            {
                "elements": [
                    {"type": "text", "text": "Hi {{first_name}}", "duration": 3},
                    {
                        "type": "video",
                        "src": f"https://example.com/{i}.mp4",
                        "glow": {"level": [i]},
                        "shine": i,
                    },
                ]
            }
            for i in range(scenes)
        ],
    }


def written_at_once(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [p.to_dict() for p in validate(doc).warnings]


def test_the_template_movie_takes_the_recorded_path() -> None:
    report = validate(template_movie())
    assert report._pending is not None  # (the words are not written yet)
    assert len(report.warnings) == 40 * 3
    assert report._pending is None
    first = report.warnings[:3]
    assert [(p.path, p.code, p.value) for p in first] == [
        ("scenes[0].elements[0].text", "undefined-variable", None),
        ("scenes[0].elements[1].glow", "unknown-property", '{"level": [0]}'),
        ("scenes[0].elements[1].shine", "unknown-property", "0"),
    ]


def test_warnings_read_late_are_those_of_the_document_as_it_was() -> None:
    doc = template_movie()
    expected = written_at_once(copy.deepcopy(doc))
    report = validate(doc)
    # Change everything the warnings speak of before reading them.
    for i, scene in enumerate(doc["scenes"]):
        text, video = scene["elements"]
        text["text"] = "plain"
        video["glow"]["level"].append("changed")
        video["shine"] = "changed"
        if i % 2:
            del video["glow"]
        doc["variables"] = {"first_name": "Ada"}
    assert [p.to_dict() for p in report.warnings] == expected
    assert validate(doc).warnings != report.warnings  # (the document really changed)


def test_threads_reading_at_once_read_the_same_warnings() -> None:
    report = validate(template_movie(200))
    start = threading.Barrier(8)
    seen: list[tuple[Problem, ...]] = []

    def read() -> None:
        start.wait()
        seen.append(report.warnings)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and all(warnings == seen[0] for warnings in seen)
    assert len(seen[0]) == 600


def test_a_report_compares_hashes_pickles_and_copies_as_a_value() -> None:
    later, eager = validate(template_movie(3)), validate(template_movie(3))
    eager.warnings  # noqa: B018  (written now; the other one when compared)
    assert later == eager and hash(later) == hash(eager)
    assert later == ValidationReport(errors=(), warnings=eager.warnings)
    assert pickle.loads(pickle.dumps(validate(template_movie(3)))) == eager
    assert copy.deepcopy(validate(template_movie(3))) == eager
    assert later != ValidationReport() and later != eager.to_dict()
    assert "shine" in repr(validate(template_movie(1)))


def test_a_report_cannot_be_changed() -> None:
    report = validate(template_movie(1))
    with pytest.raises(AttributeError, match="does not change"):
        report.errors = ()  # type: ignore[misc]
    with pytest.raises(AttributeError, match="does not change"):
        del report.warnings  # type: ignore[misc]
    assert len(report.warnings) == 3


def test_errors_are_written_at_once_and_warnings_wait() -> None:
    # Errors decide report.ok: nothing about them waits.
    doc = template_movie(5)
    doc["scenes"][4]["elements"][1]["src"] = ""
    report = validate(doc)
    assert not report.ok and report._pending is not None
    assert [(p.path, p.code) for p in report.errors] == [("scenes[4].elements[1].src", "empty-src")]
    assert len(report.warnings) == 5 * 3 and report._pending is None
