"""The "testing your movies" recipe: its pytest file runs as a user runs it, and stays short.

``cookbook/`` is not in ``testpaths`` (the other recipes are scripts, not
tests), so its test file is run here, in its own pytest session (pytester),
with the recipe and its committed golden file beside it.
"""

from __future__ import annotations

import ast
import shutil
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from moviekit.testing import golden_text

COOKBOOK = Path(__file__).resolve().parents[2] / "cookbook"
RECIPE = COOKBOOK / "testing_your_movies.py"
TESTS = COOKBOOK / "test_testing_your_movies.py"
GOLDEN = COOKBOOK / "golden" / "test_testing_your_movies"
PLUGIN = "moviekit.testing._plugin"
INSTALLED = any(ep.value == PLUGIN for ep in entry_points(group="pytest11"))


@pytest.fixture
def sandbox(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.delenv("MOVIEKIT_UPDATE_GOLDEN", raising=False)
    # Another test may have imported the recipe already (`moviekit validate cookbook/*.py`
    # runs this test file, which imports it); the sandbox must import its own copy.
    monkeypatch.delitem(sys.modules, RECIPE.stem, raising=False)
    shutil.copy(RECIPE, pytester.path)
    shutil.copy(TESTS, pytester.path)
    shutil.copytree(GOLDEN, pytester.path / "golden" / GOLDEN.name)
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    plugin = [] if INSTALLED else ["-p", PLUGIN]
    quiet = ["-p", "no:cacheprovider", "-p", "no:hypothesispytest"]
    return pytester.runpytest(*quiet, *plugin, *args)


def test_the_recipe_tests_pass_against_the_committed_golden_file(sandbox: pytest.Pytester) -> None:
    result = run(sandbox)
    result.assert_outcomes(passed=2)


def test_the_timeline_test_fails_with_the_timeline_shown(sandbox: pytest.Pytester) -> None:
    recipe = sandbox.path / RECIPE.name
    recipe.write_text(recipe.read_text().replace("Scene(duration=5)", "Scene(duration=9)"))
    result = run(sandbox, "-k", "timeline")
    result.assert_outcomes(failed=1, deselected=1)
    out = result.stdout.str()
    assert "the movie lasts 16 s, expected 11 s to 13 s" in out
    assert "total: 16 s" in out


def test_a_changed_movie_fails_its_golden_test_with_the_path(sandbox: pytest.Pytester) -> None:
    recipe = sandbox.path / RECIPE.name
    recipe.write_text(recipe.read_text().replace("Now $89", "Now $79"))
    result = run(sandbox, "-k", "golden")
    result.assert_outcomes(failed=1, deselected=1)
    assert "scenes[1].elements[1].text: 'Now $89' != 'Now $79'" in result.stdout.str()


def test_the_committed_golden_file_is_exactly_what_the_recipe_compiles_to() -> None:
    import runpy

    movie = runpy.run_path(str(RECIPE))["movie"]
    stored = GOLDEN / "test_movie_matches_its_golden_file.json"
    assert stored.read_text(encoding="utf-8") == golden_text(movie)
    assert [p.name for p in GOLDEN.iterdir()] == [stored.name]


def test_the_user_writes_under_ten_lines() -> None:
    tree = ast.parse(TESTS.read_text())
    body = tree.body[1:] if isinstance(tree.body[0], ast.Expr) else tree.body  # no docstring
    code_lines = {
        line for node in body for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)
    }
    assert len(code_lines) < 10, f"{TESTS.name} has {len(code_lines)} lines of code"
    tests = [n.name for n in body if isinstance(n, ast.FunctionDef)]
    assert tests == ["test_movie_matches_its_golden_file", "test_timeline"]
