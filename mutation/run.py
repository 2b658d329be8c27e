"""One command for the mutation score of moviekit's core: run mutmut, write the score table.

    python mutation/run.py                    # every module [tool.mutmut] lists (hours)
    python mutation/run.py timing transport   # only these areas (or module paths / mutant globs)
    python mutation/run.py --changed 78e9aea  # only functions whose lines changed since then
    python mutation/run.py --report           # rewrite the table from the last run, run nothing
    python mutation/run.py transport/_polling.py --tests tests/transport   # a bounded run
    python mutation/run.py timing --tests tests/timing --sample 0.04          # a seeded 4 % sample

mutmut (3.x) copies the package and the tests into ``mutants/``, maps every function to the tests
that call it, then runs each mutant against those tests only, in a forked worker. This script
names the mutants to run, then reads mutmut's results (``mutants/**/*.py.meta``) and writes
``mutation/scores.md``: killed / total per module. A survivor is either killed by a new test or
listed in ``mutation/survivors.md`` with one line saying why it is equivalent or accepted; the
script names every survivor that has no such line and exits 1 while any is left or a module
scores under the target.

A full run is about 11,000 mutants (a day and more on two cores). ``--sample`` runs a seeded
random share of each module's mutants instead (the same names for the same seed, so a rerun
after a fix checks the same mutants); the table then gives each score with its 95 % Wilson
interval, and the pooled score estimates the whole core's because every module is sampled in
proportion to its size.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import textwrap
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


def selected(globs: list[str], *, rerun: bool) -> list[str]:
    """The mutants ``globs`` select, only those without a result unless ``rerun``.

    Before the first run there are no results to read: the globs go to mutmut as they are.
    """
    known = every_result()
    if not known:
        return globs
    return [
        name
        for name, code in known.items()
        if (rerun or code is None) and any(fnmatch.fnmatchcase(name, g) for g in globs or ["*"])
    ]


def sample(names: list[str], fraction: float, seed: int, least: int = 5) -> list[str]:
    """A seeded share of ``names`` per module: ``fraction`` of each, at least ``least``.

    A name's rank is a hash of the seed and the name, so a module's sample does not change when
    another module gains mutants, and the same seed always draws the same mutants.
    """
    by_module: dict[str, list[str]] = {}
    for name in names:
        by_module.setdefault(module_path(name), []).append(name)
    drawn: list[str] = []
    for members in by_module.values():
        ranked = sorted(members, key=lambda n: hashlib.sha256(f"{seed}:{n}".encode()).digest())
        drawn += ranked[: max(least, math.ceil(fraction * len(members)))]
    return drawn


def wilson(killed: int, run: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a killed share, in percent (sound for small samples)."""
    share = killed / run
    centre = share + z * z / (2 * run)
    spread = z * math.sqrt(share * (1 - share) / run + z * z / (4 * run * run))
    scale = 1 + z * z / run
    return 100 * (centre - spread) / scale, 100 * (centre + spread) / scale


def stratified(strata: list[tuple[int, int, int]], z: float = 1.96) -> tuple[float, float]:
    """The score of all mutants of the modules that ran, from each one's (sampled) share.

    ``strata`` holds (mutants, run, killed) per module. Each module's share is weighed by its
    size; the interval's half-width (in percent) sums the modules' sampling variances, with
    the finite-population correction (a module run whole adds none).
    """
    total = sum(size for size, _, _ in strata)
    estimate = variance = 0.0
    for size, run, killed in strata:
        weight, share = size / total, killed / run
        estimate += weight * share
        correction = (size - run) / (size - 1) if size > 1 else 0.0
        variance += weight * weight * share * (1 - share) / run * correction
    return 100 * estimate, 100 * z * math.sqrt(variance)


def results() -> dict[str, dict[str, int | None]]:
    """mutmut's exit code per mutant name, per configured module (empty where none ran yet)."""
    out: dict[str, dict[str, int | None]] = {}
    for path in configured_modules():
        meta = ROOT / "mutants" / f"{path}.meta"
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"] if meta.exists() else {}
        out[path] = codes
    return out


def every_result(
    by_module: dict[str, dict[str, int | None]] | None = None,
) -> dict[str, int | None]:
    """mutmut's exit code per mutant name, every configured module together."""
    modules = results() if by_module is None else by_module
    return {name: code for codes in modules.values() for name, code in codes.items()}


def module_path(name: str) -> str:
    """The module a mutant belongs to, as a path (``moviekit/timing/_expr.py``)."""
    return name.split(".x")[0].replace(".", "/") + ".py"


def explained() -> set[str]:
    """Mutant names that ``survivors.md`` explains (the first backticked name of each line)."""
    return set(_verdicts())


def equivalent() -> set[str]:
    """Mutant names that ``survivors.md`` calls equivalent (no input tells them apart)."""
    return {name for name, verdict in _verdicts().items() if verdict == "equivalent"}


def caught() -> set[str]:
    """Mutant names ``survivors.md`` says a named test kills when the change is made by hand.

    mutmut forks each test run from a process that has imported the package, so a change to
    code that runs at import (the validation's check tables are built then) is never in
    effect in the test, and its map of tests does not see code run in a worker process a test
    starts: such a mutant "survives" whatever the tests. Its line names the test that fails
    when the change is made in the source.
    """
    return {name for name, verdict in _verdicts().items() if verdict == "caught"}


def _verdicts() -> dict[str, str]:
    if not SURVIVORS.exists():
        return {}
    lines = re.findall(r"^- `([^`]+)`: (\w+)", SURVIVORS.read_text("utf-8"), re.MULTILINE)
    return dict(lines)


def _status(name: str, code: int | None, same: set[str], by_hand: set[str]) -> str:
    """What one mutant's mutmut exit code means for the score."""
    if code is None:
        return "not run"
    if code in KILLED or name in by_hand:
        return "killed"
    if code in SKIPPED:
        return "skipped"
    if name in same:
        return "equivalent"
    if code in SURVIVED:
        return "survived"
    return "no tests" if code in NO_TESTS else "suspicious"


def write_scores(
    by_module: dict[str, dict[str, int | None]], only: set[str] | None = None
) -> tuple[list[str], list[str]]:
    """Write ``scores.md``; return the unexplained survivors and the modules under target.

    ``only``: score just these mutants (one ``--sample``); a module still weighs by all of its
    mutants in the estimate for the whole core.
    """
    known, same, by_hand = explained(), equivalent(), caught()
    rows = []
    unexplained: list[str] = []
    low: list[str] = []
    totals: Counter[str] = Counter()
    strata: list[tuple[int, int, int]] = []  # (mutants, run, killed) per module that ran
    for path, every in by_module.items():
        codes = every if only is None else {n: c for n, c in every.items() if n in only}
        count = Counter(_status(name, code, same, by_hand) for name, code in codes.items())
        totals.update(count)
        # The score of the mutants that ran and can be told apart from the code (the usual
        # definition: an equivalent mutant is not a missed bug, it is the same program).
        scored = sum(count.values()) - count["skipped"] - count["not run"] - count["equivalent"]
        if not codes or not scored:
            rows.append(f"| `{path}` | not run | | | | | |")
            continue
        score = 100.0 * count["killed"] / scored
        strata.append((len(every), scored, count["killed"]))
        survivors = sorted(
            name
            for name, c in codes.items()
            if c is not None and c not in KILLED | SKIPPED and name not in same | by_hand
        )
        unexplained += [name for name in survivors if name not in known]
        if score < TARGET:
            low.append(path)
        low_end, high_end = wilson(count["killed"], scored)
        rows.append(
            f"| `{path}` | {count['killed']}/{scored} | {score:.1f} % | "
            f"{low_end:.0f}–{high_end:.0f} % | {len(survivors)} | {count['equivalent']} | "
            f"{count['not run']} |"
        )
    scored = sum(totals.values()) - totals["skipped"] - totals["not run"] - totals["equivalent"]
    overall, interval = "-", ""
    if strata:
        estimate, spread = stratified(strata)
        overall = f"{estimate:.1f} %"
        interval = f"{estimate - spread:.0f}–{min(100.0, estimate + spread):.0f} %"
    SCORES.write_text(
        "# Mutation score of the core (written by `python mutation/run.py`)\n\n"
        "Killed = a test failed or timed out with the mutant in place. Survivors (survived, no\n"
        "test reached the line, suspicious) are each explained in `survivors.md`; those it\n"
        "shows to be equivalent (no input tells them from the code) are left out of the score.\n"
        "Where only a sample ran (`--sample`), the 95 % interval says how far the module's\n"
        "score can be from the score of all its mutants. The last row weighs each module's\n"
        "score by its number of mutants (a stratified estimate for every mutant of them).\n\n"
        "| module | killed / run | score | 95 % interval | survivors | equivalent | not run yet |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        + "\n".join(rows)
        + f"\n| **all run** | {totals['killed']}/{scored} | {overall} | {interval} | | "
        f"{totals['equivalent']} | {totals['not run']} |\n",
        encoding="utf-8",
    )
    return unexplained, low


def check_caught() -> int:
    """Make each "caught" mutant's change by hand in a copy and run the test its line names.

    Exits 1 when a test named there no longer fails: the line's claim is then false.
    """
    from mutmut.mutation.diff_apply import get_diff_for_mutant  # the dev extra's mutmut

    sys.path.insert(0, str(HERE))
    from seven import Bug, check  # the same copy-change-run as the seven bugs of #20

    text = SURVIVORS.read_text("utf-8")
    wrong = 0
    for name in sorted(caught()):
        test = re.search(rf"^- `{re.escape(name)}`: caught — `([^`]+)`", text, re.MULTILINE)
        path = module_path(name)
        hunk = get_diff_for_mutant(name, path=path).split("\n@@", 1)[1].splitlines()[1:]
        # The change with the lines around it, so that it is found once in the module.
        old = "\n".join(line[1:] for line in hunk if line[:1] in (" ", "-"))
        new = "\n".join(line[1:] for line in hunk if line[:1] in (" ", "+"))
        assert test is not None, name
        if (ROOT / path).read_text("utf-8").count(old) != 1:  # a method: mutmut shows it dedented
            old, new = textwrap.indent(old, "    "), textwrap.indent(new, "    ")
        bug = Bug(name, "a caught mutant", path, old, new, (test[1],))
        killed, _ = check(bug, sys.executable)
        wrong += not killed
        print(f"{'caught  ' if killed else 'SURVIVED'} {name} by {test[1]}")
    return 1 if wrong else 0


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
        "--sample",
        type=float,
        metavar="SHARE",
        help="run a seeded share (0.04 = 4 %%, at least 5) of each selected module's mutants",
    )
    parser.add_argument("--seed", type=int, default=2026, help="the sample's seed (default 2026)")
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
    parser.add_argument(
        "--check-caught",
        action="store_true",
        help='make each "caught" survivor by hand and run its test (each must fail), run nothing',
    )
    args = parser.parse_args(argv)

    if args.check_caught:
        return check_caught()
    if args.survivors:
        return show_survivors(args.names)
    drawn = None
    if args.sample:  # also with --report: the table then scores only this sample
        drawn = sample(selected(selectors(args.names), rerun=True), args.sample, args.seed)
    if not args.report:
        globs = selectors(args.names)
        if args.changed:
            globs += changed_functions(args.changed)
            if not globs:
                print(f"no configured function changed since {args.changed}")
                return 0
        if drawn is not None:
            known = every_result()
            names = drawn if args.rerun else [n for n in drawn if known.get(n) is None]
            print(f"sample (seed {args.seed}): {len(drawn)} mutants, {len(names)} without a result")
        else:
            names = globs if args.rerun else selected(globs, rerun=False)
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

    by_module = results()
    unexplained, low = write_scores(by_module, None if drawn is None else set(drawn))
    print(SCORES.read_text("utf-8"))
    for name in unexplained:
        print(f"survivor without a line in {SURVIVORS.relative_to(ROOT)}: {name}")
    # A line is stale when its mutant is gone. One with no result is shown to be checked:
    # mutmut forgets the results of a function whose code changed (its mutants' numbers may
    # then stand for other changes), and of every function when the test set changes.
    results_now = every_result(by_module)
    stale = sorted(explained() - set(results_now)) if results_now else []
    for name in stale:
        print(f"line in {SURVIVORS.relative_to(ROOT)} for a mutant that no longer exists: {name}")
    for name in sorted(n for n in explained() & set(results_now) if results_now[n] is None):
        print(f"note: {name} (explained) has no result now: rerun it (--rerun {name})")
    for path in low:
        print(f"under {TARGET:.0f} %: {path}")
    return 1 if unexplained or low or stale else 0


if __name__ == "__main__":
    sys.exit(main())
