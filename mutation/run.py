"""One command for the mutation score of moviekit's core: run mutmut, write the score table.

    python mutation/run.py                    # every module [tool.mutmut] lists (hours)
    python mutation/run.py timing transport   # only these areas (or module paths / mutant globs)
    python mutation/run.py --changed 78e9aea  # only functions whose lines changed since then
    python mutation/run.py --report           # rewrite the table from the last run, run nothing
    python mutation/run.py transport/_polling.py --tests tests/transport   # a bounded run

mutmut (3.x) copies the package and the tests into ``mutants/``, maps every function to the tests
that call it, then runs each mutant against those tests only, in a forked worker. This script
names the mutants to run, then reads mutmut's results (``mutants/**/*.py.meta``) and writes
``mutation/scores.md``: killed / total per module. A survivor is either killed by a new test or
listed in ``mutation/survivors.md`` with one line saying why it is equivalent or accepted; the
script names every survivor that has no such line and exits 1 while any is left or a module
scores under the target.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # mutmut itself reads its configuration with tomli / toml there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "mutation"
SCORES = HERE / "scores.md"
SURVIVORS = HERE / "survivors.md"
TARGET = 85.0

# mutmut's exit codes per mutant (mutmut.stats.status_by_exit_code), folded into what a score needs
KILLED = {1, 3, 36, -24, 24, 152, 255, 37}  # a test failed, timed out or the type check caught it
SURVIVED = {0}
NO_TESTS = {5, 33}
SKIPPED = {34}


def configured_modules() -> list[str]:
    """The files ``[tool.mutmut] only_mutate`` lists, as paths relative to the checkout."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    return list(config["only_mutate"])


def ignored_test_folders(kept: list[str]) -> list[str]:
    """``--ignore=`` options for the configured test folders not in ``kept``."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    folders = list(config["pytest_add_cli_args_test_selection"])
    wanted = {folder.rstrip("/") for folder in kept}
    unknown = wanted - set(folders)
    if unknown:
        sys.exit(f"not configured test folders: {', '.join(sorted(unknown))}")
    return [f"--ignore={folder}" for folder in folders if folder not in wanted]


def dotted(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def selectors(names: list[str]) -> list[str]:
    """Mutant globs for areas (``timing``), module paths or dotted names, or globs as given."""
    modules = configured_modules()
    globs: list[str] = []
    for name in names:
        if "*" in name or "__mutmut_" in name:
            globs.append(name)
            continue
        wanted = dotted(name).removeprefix("moviekit.")
        matched = [m for m in modules if f"{dotted(m)}.".startswith(f"moviekit.{wanted}.")]
        if not matched:
            sys.exit(f"{name!r} is not one of the configured modules: {', '.join(modules)}")
        globs += [f"{dotted(m)}.*" for m in matched]
    return globs


def changed_functions(base: str) -> list[str]:
    """Mutant globs for the top-level functions and methods whose lines changed since ``base``.

    mutmut mutates whole functions (a nested function belongs to the one around it), so a
    changed line selects every mutant of the function it sits in.
    """
    globs: list[str] = []
    for path in configured_modules():
        diff = subprocess.run(
            ["git", "diff", "-U0", base, "--", path],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        lines: set[int] = set()
        for match in re.finditer(r"^@@ -\S+ \+(\d+)(?:,(\d+))? @@", diff, re.MULTILINE):
            start, count = int(match[1]), int(match[2] if match[2] is not None else 1)
            lines.update(range(start, start + max(count, 1)))
        if not lines:
            continue
        tree = ast.parse((ROOT / path).read_text("utf-8"))
        for node in tree.body:
            owners = [(None, node)]
            if isinstance(node, ast.ClassDef):
                owners = [(node.name, child) for child in node.body]
            for owner, function in owners:
                if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                first = min([function.lineno, *(d.lineno for d in function.decorator_list)])
                if lines & set(range(first, (function.end_lineno or first) + 1)):
                    key = f"xǁ{owner}ǁ{function.name}" if owner else f"x_{function.name}"
                    globs.append(f"{dotted(path)}.{key}__mutmut_*")
    return globs


def pending(globs: list[str]) -> list[str]:
    """The mutants ``globs`` select that have no result yet (named mutants always rerun).

    Before the first run there are no results to read: the globs go to mutmut as they are.
    """
    known = {name: code for codes in results().values() for name, code in codes.items()}
    if not known:
        return globs
    return [
        name
        for name, code in known.items()
        if code is None and any(fnmatch.fnmatchcase(name, glob) for glob in globs or ["*"])
    ]


def results() -> dict[str, dict[str, int | None]]:
    """mutmut's exit code per mutant name, per configured module (empty where none ran yet)."""
    out: dict[str, dict[str, int | None]] = {}
    for path in configured_modules():
        meta = ROOT / "mutants" / f"{path}.meta"
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"] if meta.exists() else {}
        out[path] = codes
    return out


def explained() -> set[str]:
    """Mutant names that ``survivors.md`` explains (the first backticked name of each line)."""
    if not SURVIVORS.exists():
        return set()
    return set(re.findall(r"^- `([^`]+)`", SURVIVORS.read_text("utf-8"), re.MULTILINE))


def write_scores(by_module: dict[str, dict[str, int | None]]) -> tuple[list[str], list[str]]:
    """Write ``scores.md``; return the unexplained survivors and the modules under target."""
    known = explained()
    rows = []
    unexplained: list[str] = []
    low: list[str] = []
    totals: Counter[str] = Counter()
    for path, codes in by_module.items():
        count = Counter(
            "killed"
            if c in KILLED
            else "survived"
            if c in SURVIVED
            else "no tests"
            if c in NO_TESTS
            else "skipped"
            if c in SKIPPED
            else "not run"
            if c is None
            else "suspicious"
            for c in codes.values()
        )
        totals.update(count)
        scored = sum(count.values()) - count["skipped"] - count["not run"]
        if not codes or not scored:
            rows.append(f"| `{path}` | not run | | | |")
            continue
        score = 100.0 * count["killed"] / scored
        survivors = sorted(
            name for name, c in codes.items() if c is not None and c not in KILLED | SKIPPED
        )
        unexplained += [name for name in survivors if name not in known]
        if score < TARGET:
            low.append(path)
        rows.append(
            f"| `{path}` | {count['killed']}/{scored} | {score:.1f} % | "
            f"{len(survivors)} | {count['not run']} |"
        )
    scored = sum(totals.values()) - totals["skipped"] - totals["not run"]
    overall = f"{100.0 * totals['killed'] / scored:.1f} %" if scored else "-"
    SCORES.write_text(
        "# Mutation score of the core (written by `python mutation/run.py`)\n\n"
        "Killed = a test failed or timed out with the mutant in place. Survivors (survived, no\n"
        "test reached the line, suspicious) are each explained in `survivors.md`.\n\n"
        "| module | killed / run | score | survivors | not run yet |\n"
        "| --- | ---: | ---: | ---: | ---: |\n"
        + "\n".join(rows)
        + f"\n| **all run** | {totals['killed']}/{scored} | {overall} | | {totals['not run']} |\n",
        encoding="utf-8",
    )
    return unexplained, low


def show_survivors(names: list[str]) -> int:
    """Print each survivor without a line in ``survivors.md``, with the change mutmut made."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant  # the dev extra's mutmut

    known = explained()
    globs = selectors(names) or ["*"]
    for path, codes in results().items():
        for name, code in codes.items():
            unexplained = code is not None and code not in KILLED | SKIPPED and name not in known
            if unexplained and any(fnmatch.fnmatchcase(name, glob) for glob in globs):
                diff = get_diff_for_mutant(name, path=path)
                changed = [
                    line
                    for line in diff.splitlines()
                    if line[:1] in "+-" and line[:3] not in ("+++", "---")
                ]
                status = "no tests" if code in NO_TESTS else "survived"
                print(f"== {name} ({status})", *changed, sep="\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="areas (timing), module paths or mutant globs")
    parser.add_argument("--changed", metavar="COMMIT", help="only functions changed since COMMIT")
    parser.add_argument("--report", action="store_true", help="only rewrite scores.md")
    parser.add_argument("--max-children", type=int, help="parallel workers (default: CPU count)")
    parser.add_argument("--rerun", action="store_true", help="run mutants that have a result too")
    parser.add_argument(
        "--tests",
        nargs="+",
        metavar="FOLDER",
        help="map and kill mutants with only these of the configured test folders (bounded runs)",
    )
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="print the change of every unexplained survivor, run nothing",
    )
    args = parser.parse_args(argv)

    if args.survivors:
        return show_survivors(args.names)
    if not args.report:
        globs = selectors(args.names)
        if args.changed:
            globs += changed_functions(args.changed)
            if not globs:
                print(f"no configured function changed since {args.changed}")
                return 0
        names = globs if args.rerun else pending(globs)
        if names:
            mutmut = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or "mutmut"
            workers = ["--max-children", str(args.max_children)] if args.max_children else []
            command = [mutmut, "run", *workers, *names]
            print("+", " ".join(command[:12]), "..." if len(command) > 12 else "", flush=True)
            env = dict(os.environ)
            if args.tests:
                env["PYTEST_ADDOPTS"] = " ".join(
                    [env.get("PYTEST_ADDOPTS", ""), *ignored_test_folders(args.tests)]
                ).strip()
            code = subprocess.run(command, cwd=ROOT, check=False, env=env).returncode
            if code:
                return code
        else:
            print("every selected mutant has a result (--rerun runs them again)")

    unexplained, low = write_scores(results())
    print(SCORES.read_text("utf-8"))
    for name in unexplained:
        print(f"survivor without a line in {SURVIVORS.relative_to(ROOT)}: {name}")
    for path in low:
        print(f"under {TARGET:.0f} %: {path}")
    return 1 if unexplained or low else 0


if __name__ == "__main__":
    sys.exit(main())
