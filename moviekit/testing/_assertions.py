"""Test assertions for movies: ``assert_valid`` here, the timeline ones re-exported.

The timeline assertions live in :mod:`moviekit.testing._timeline_assertions`
(they need :meth:`Movie.timeline`); every assertion is importable from
:mod:`moviekit.testing`.
"""

from __future__ import annotations

from typing import Any

from moviekit._validate import ValidationReport, validate
from moviekit.testing._timeline_assertions import (
    assert_not_on_screen,
    assert_on_screen,
    assert_scene_count,
    assert_scene_length,
    assert_total_between,
)

__all__ = [
    "assert_not_on_screen",
    "assert_on_screen",
    "assert_scene_count",
    "assert_scene_length",
    "assert_total_between",
    "assert_valid",
]


def assert_valid(movie: Any, *, warnings: bool = False) -> ValidationReport:
    """Assert that ``movie`` (a Movie or a Movie JSON dict) has no validation errors.

    The failure message is the whole validation report, errors and warnings,
    grouped by path with their hints. With ``warnings=True`` a warning fails
    too. Warnings of a passing movie are printed, so pytest shows them with
    the captured output of a test that fails later. Returns the report.
    """
    __tracebackhide__ = True
    report = validate(movie)
    if not report.ok or (warnings and report.warnings):
        what = "errors" if not report.ok else "warnings (warnings=True)"
        raise AssertionError(f"the movie has validation {what}:\n{report.describe(warnings=True)}")
    if report.warnings:
        print(f"moviekit: the movie is valid, with warnings:\n{report.describe(warnings=True)}")
    return report
