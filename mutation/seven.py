"""The seven one-line bugs issue #20 found the suite letting through, each put back on purpose.

    python mutation/seven.py            # every bug (and its boundary twins): a few minutes
    python mutation/seven.py 500 frames # only these (by name)

Each bug is a one-line change to a copy of the package in a temporary folder
(the checkout is never touched); the tests named for it run against that copy
(``PYTHONPATH`` puts it first, child processes included) and must fail. The
script prints, per bug, which of its tests failed, and exits 1 when a bug
survives: a test that should bite no longer does. The same tests pass on the
unchanged package (the normal suite).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Bug:
    """A one-line change (``old`` -> ``new``, once, in ``path``) and the tests it must fail."""

    name: str
    what: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


_RETRY = "tests/transport/test_retry_layer.py"
_POLLER = "tests/batch/test_batch_poller.py"
_TIMING = "tests/timing/test_timing.py"

BUGS = (
    Bug(
        "500",
        "HTTP 500 is no longer retried (>= 500 -> > 500)",
        "moviekit/transport/_exchange.py",
        "answer.status == 429 or answer.status >= 500:",
        "answer.status == 429 or answer.status > 500:",
        (
            f"{_RETRY}::test_http_500_is_retried",
            f"{_RETRY}::test_http_500_on_submit_is_reconciled_not_raised",
        ),
    ),
    Bug(
        "499",
        "boundary twin: HTTP 499 is retried as a server error (>= 500 -> >= 499)",
        "moviekit/transport/_exchange.py",
        "answer.status == 429 or answer.status >= 500:",
        "answer.status == 429 or answer.status >= 499:",
        (f"{_RETRY}::test_http_499_is_not_retried",),
    ),
    Bug(
        "late-listing",
        "the reconcile's second lookup after an ambiguous submit is skipped",
        "moviekit/transport/_movies.py",
        "lookups = 2  #",
        "lookups = 1  #",
        (f"{_RETRY}::test_second_lookup_finds_a_project_the_list_showed_late",),
    ),
    Bug(
        "overlap-cap",
        "a transition's overlap is no longer capped by the scene lengths (4, 2, 4 s: 7 s)",
        "moviekit/timing/_engine.py",
        "return overlap.min(cap) if cap.hi < INF or cap.lo < overlap.lo else overlap",
        "return overlap",
        (
            f"{_TIMING}::test_transition_overlap_is_capped_by_both_scenes",
            f"{_TIMING}::test_transition_on_first_scene_is_ignored_and_overlap_is_capped",
        ),
    ),
    Bug(
        "condition-range",
        "a conditional element no longer makes its scene's length a range",
        "moviekit/timing/_engine.py",
        'optional="condition" in props,',
        "optional=False,",
        (f"{_TIMING}::test_a_conditional_element_makes_its_scene_length_a_range",),
    ),
    Bug(
        "poll-early",
        "the batch poller gives up one failed check early (> -> >=)",
        "moviekit/transport/_polling.py",
        "if failures > policy.max_failed_checks:",
        "if failures >= policy.max_failed_checks:",
        (f"{_POLLER}::test_failed_checks_up_to_the_limit_are_tolerated",),
    ),
    Bug(
        "poll-late",
        "boundary twin: the batch poller gives up one failed check late",
        "moviekit/transport/_polling.py",
        "if failures > policy.max_failed_checks:",
        "if failures > policy.max_failed_checks + 1:",
        (f"{_POLLER}::test_one_failed_check_more_leaves_the_row_for_the_next_run",),
    ),
    Bug(
        "exit-code",
        "`moviekit batch run` exits 0 when rows fail",
        "moviekit/cli/batch.py",
        "        _finish(result, results, as_json)\n        if not result.ok:\n"
        "            raise typer.Exit(1)",
        "        _finish(result, results, as_json)",
        (
            "tests/batch/test_batch_cli.py::test_a_failed_row_exits_1",
            "tests/batch/test_batch_cli.py::test_an_unfinished_row_exits_1",
        ),
    ),
    Bug(
        "frames",
        "the preview rounds frame counts down instead of to the nearest frame",
        "moviekit/preview/_plan.py",
        "return int(math.floor(t * fps + 0.5 + 1e-9))",
        "return int(math.floor(t * fps + 1e-9))",
        ("tests/preview/test_preview_render.py::test_frame_counts_round_to_the_nearest_frame",),
    ),
)


def check(bug: Bug, python: str) -> tuple[bool, list[str]]:
    """Put ``bug`` into a copy of the package, run its tests; (caught, the tests that failed)."""
    with tempfile.TemporaryDirectory(prefix="moviekit-bug-") as tmp:
        shutil.copytree(ROOT / "moviekit", Path(tmp) / "moviekit")
        target = Path(tmp) / bug.path
        text = target.read_text("utf-8")
        if text.count(bug.old) != 1:
            sys.exit(f"{bug.name}: the line to change is not once in {bug.path}: {bug.old!r}")
        target.write_text(text.replace(bug.old, bug.new), "utf-8")
        # PYTHONSAFEPATH: no process the tests start (``python -m moviekit`` workers) puts its
        # working folder, which may be the checkout, before the copy on its path.
        env = {**os.environ, "PYTHONPATH": tmp, "PYTHONSAFEPATH": "1"}
        # -P: the checkout (the working folder) must not come before the copy on the path
        where = [python, "-P", "-c", "import moviekit; print(moviekit.__file__)"]
        imported = subprocess.run(where, cwd=ROOT, env=env, capture_output=True, text=True)
        if not imported.stdout.startswith(tmp):
            sys.exit(f"the copy is not what Python imports: {imported.stdout or imported.stderr}")
        command = [python, "-P", "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        command += ["-p", "no:randomly"]
        command += ["-p", "no:xdist", *bug.tests]
        run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        # A test that fails, or errors because the changed package cannot even be imported.
        failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", run.stdout, re.MULTILINE)
        if run.returncode == 4 and "ImportError while loading conftest" in run.stdout + run.stderr:
            return True, ["(the changed package does not import)"]
        return run.returncode in (1, 2) and bool(failed), failed


def main(argv: list[str] | None = None) -> int:
    if sys.version_info < (3, 11):
        sys.exit("python 3.11 or later: the copy is put first on the path with -P")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=", ".join(b.name for b in BUGS))
    args = parser.parse_args(argv)
    chosen = [b for b in BUGS if not args.names or b.name in args.names]
    survived = 0
    for bug in chosen:
        caught, failed = check(bug, sys.executable)
        survived += not caught
        print(f"{'caught  ' if caught else 'SURVIVED'} {bug.name}: {bug.what}")
        for test in failed:
            print(f"           failed: {test}")
    print(f"{len(chosen) - survived}/{len(chosen)} bugs caught")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
