"""The async, templates-in-git and budget recipes run end to end and do what they say."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

COOKBOOK = Path(__file__).resolve().parents[2] / "cookbook"


def recipe(name: str) -> dict[str, object]:
    return runpy.run_path(str(COOKBOOK / f"{name}.py"))


def test_the_async_backend_serves_five_orders_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    answers = recipe("async_web_backend")["main"]()  # type: ignore[operator]
    assert [a["status"] for a in answers] == [200] * 5
    assert len({a["project"] for a in answers}) == 5 and all(a["duration"] == 6 for a in answers)
    assert capsys.readouterr().out.count("/files/") == 5


def test_the_templates_in_git_workflow_shows_the_change_by_path(
    capsys: pytest.CaptureFixture[str],
) -> None:
    diff = recipe("templates_in_git")["main"]()  # type: ignore[operator]
    assert diff.splitlines()[1:] == [  # type: ignore[attr-defined]
        "  movie.variables.headline: 'This week' != 'Picked for you'",
        "  movie.scenes[1].duration: 4 != 5",
    ]
    assert "matches template" in capsys.readouterr().out


def test_the_budget_batch_is_refused_then_spends_what_it_estimated(
    capsys: pytest.CaptureFixture[str],
) -> None:
    spent = recipe("batch_with_budget")["main"]()  # type: ignore[operator]
    out = capsys.readouterr().out
    assert "estimate: 55 credits for 3 row(s)" in out and "refused: max_credits" in out
    assert spent == 55  # the fake charged what the estimate said
