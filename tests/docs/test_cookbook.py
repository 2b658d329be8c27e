"""Every cookbook recipe compiles, validates cleanly, matches its snapshot and runs as a script.

Recipes are found by glob (``cookbook/*.py``), so a new recipe is covered the moment
it is added. Each one defines a module-level ``movie``; its compiled JSON is committed
in ``cookbook/snapshots/<recipe>.json``. After an intended change, refresh the
snapshots with::

    MOVIEKIT_UPDATE_SNAPSHOTS=1 pytest tests/docs/test_cookbook.py

and review the diff in git like any other change.
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import moviekit
from moviekit import Movie

ROOT = Path(__file__).resolve().parents[2]
COOKBOOK = ROOT / "cookbook"
SNAPSHOTS = COOKBOOK / "snapshots"
# test_*.py files in cookbook/ are a recipe's own tests (testing_your_movies.py), not recipes.
RECIPES = sorted(p for p in COOKBOOK.glob("*.py") if not p.name.startswith("test_"))
UPDATE = os.environ.get("MOVIEKIT_UPDATE_SNAPSHOTS") == "1"
REFRESH_HINT = (
    "If the change is intended, refresh the snapshots with\n"
    "    MOVIEKIT_UPDATE_SNAPSHOTS=1 pytest tests/docs/test_cookbook.py\n"
    "and review the diff before committing."
)

recipes = pytest.mark.parametrize("path", RECIPES, ids=[p.stem for p in RECIPES])


@functools.cache
def load(path: Path) -> dict[str, Any]:
    """The recipe's module namespace (run once; builders are immutable, so sharing is safe)."""
    import runpy

    return runpy.run_path(str(path), run_name="__moviekit__")


def movie_of(path: Path) -> Movie:
    namespace = load(path)
    assert "movie" in namespace, f"{path.name} must define a module-level `movie`"
    movie = namespace["movie"]
    assert isinstance(movie, Movie), (
        f"{path.name}: `movie` is a {type(movie).__name__}, not a Movie"
    )
    return movie


def snapshot_text(movie: Movie) -> str:
    return json.dumps(movie.to_dict(), indent=2) + "\n"


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_there_are_recipes() -> None:
    assert len(RECIPES) >= 11, [p.name for p in RECIPES]


@recipes
def test_recipe_has_a_docstring(path: Path) -> None:
    doc = load(path).get("__doc__")
    assert doc and doc.strip(), (
        f"{path.name}: start with a docstring saying what it makes and how to run it"
    )


@recipes
def test_recipe_validates_without_errors_or_warnings(path: Path) -> None:
    report = moviekit.validate(movie_of(path))
    problems = [f"{p.severity}: {p}" for p in (*report.errors, *report.warnings)]
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@recipes
def test_other_module_level_movies_compile(path: Path) -> None:
    """Variants a recipe exposes besides `movie` (e.g. `movies`, `email_movie`) compile too."""
    for name, value in load(path).items():
        candidates = value if isinstance(value, (list, tuple)) else [value]
        for i, candidate in enumerate(candidates):
            if isinstance(candidate, Movie):
                report = moviekit.validate(candidate)
                assert report.ok, f"{path.name}: {name}[{i}]: " + "; ".join(
                    f"{p.path} [{p.code}] {p.message}" for p in report.errors
                )


@recipes
def test_recipe_matches_its_snapshot(path: Path) -> None:
    actual = snapshot_text(movie_of(path))
    snapshot = SNAPSHOTS / f"{path.stem}.json"
    expected = snapshot.read_text(encoding="utf-8") if snapshot.exists() else None
    if actual == expected:
        return
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_text(actual, encoding="utf-8")
        return
    if expected is None:
        pytest.fail(
            f"{rel(snapshot)} does not exist. Create it with\n"
            "    MOVIEKIT_UPDATE_SNAPSHOTS=1 pytest tests/docs/test_cookbook.py\n"
            "and commit it with the recipe.",
            pytrace=False,
        )
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"{rel(snapshot)} (committed)",
            tofile=f"{rel(path)} movie.to_dict() (now)",
        )
    )
    pytest.fail(
        f"{path.name} no longer compiles to its snapshot:\n{diff}\n{REFRESH_HINT}", pytrace=False
    )


def test_every_snapshot_belongs_to_a_recipe() -> None:
    stems = {p.stem for p in RECIPES}
    orphans = sorted(s for s in SNAPSHOTS.glob("*.json") if s.stem not in stems)
    if orphans and UPDATE:
        for orphan in orphans:
            orphan.unlink()
        return
    assert not orphans, (
        f"snapshots without a recipe: {[rel(o) for o in orphans]}; delete them or run with "
        "MOVIEKIT_UPDATE_SNAPSHOTS=1"
    )


@functools.lru_cache(maxsize=1)
def script_runs() -> dict[Path, subprocess.CompletedProcess[str]]:
    """Run every script recipe once, all at the same time (each pays for a Python start-up)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = {
        path: subprocess.Popen(
            [sys.executable, str(path)],
            cwd=ROOT,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for path in RECIPES
    }
    results = {}
    for path, proc in procs.items():
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        results[path] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    return results


@recipes
def test_recipe_runs_as_a_script_and_prints_its_movie(path: Path) -> None:
    run = script_runs()[path]
    assert run.returncode == 0, f"python {rel(path)} exited {run.returncode}:\n{run.stderr}"
    if load(path).get("RENDERS_AGAINST_FAKE"):
        # Such a recipe renders on a local FakeJSON2Video instead of printing JSON.
        assert run.stdout.strip(), f"python {rel(path)} printed nothing"
        return
    try:
        printed = json.loads(run.stdout)
    except json.JSONDecodeError as exc:
        pytest.fail(f"python {rel(path)} did not print JSON ({exc}):\n{run.stdout[:2000]}")
    assert printed == movie_of(path).to_dict()


def test_readme_indexes_every_recipe() -> None:
    index = (COOKBOOK / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in RECIPES if f"]({p.name})" not in index]
    assert not missing, f"cookbook/README.md has no line for {missing}"
