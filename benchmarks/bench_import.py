"""Import benchmark: ``import moviekit`` against ``import requests``, side by side.

Run: ``python benchmarks/bench_import.py`` (add ``--quick`` for a smoke run with few repeats).

Every sample is a fresh interpreter that times its own import statement (interpreter start-up
is left out: both pay it alike). The statements are run in turns, so a burst of load on a
shared machine hits all of them alike, and each figure is the median of its samples. Both
imports run from compiled bytecode (one warm-up run each first), as they do for a user after
the first run.

Target (issue #15): ``import moviekit`` within 1.5x ``import requests``. For information, what
the first use of the builders, the client and the command line then adds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STATEMENTS = {
    "import requests": "import requests",
    "import moviekit": "import moviekit",
    "  (info) from moviekit import Movie, Scene, Text": "from moviekit import Movie, Scene, Text",
    "  (info) from moviekit import Client": "from moviekit import Client",
    "  (info) import moviekit.cli (the command)": "import moviekit.cli",
}
TARGET = 1.5


def timed_import(statement: str) -> float:
    """Seconds ``statement`` takes in a fresh interpreter that imports this checkout."""
    code = f"import time\nt = time.perf_counter()\n{statement}\nprint(time.perf_counter() - t)"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return float(run.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 sample each instead of 21")
    args = parser.parse_args()
    repeat = 1 if args.quick else 21

    for statement in STATEMENTS.values():
        timed_import(statement)  # warm-up: writes the bytecode caches
    samples: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    for _ in range(repeat):
        for name, statement in STATEMENTS.items():
            samples[name].append(timed_import(statement))
    median = {name: statistics.median(times) for name, times in samples.items()}
    base = median["import requests"]

    print(f"fresh interpreters, median of {repeat} each, run in turns")
    print(f"{'statement':50} {'ms':>8} {'ratio':>7}  vs")
    for name, seconds in median.items():
        print(f"{name:50} {seconds * 1000:8.1f} {seconds / base:7.2f}  import requests")

    ratio = median["import moviekit"] / base
    checks = {f"import moviekit within {TARGET}x import requests ({ratio:.2f}x)": ratio <= TARGET}
    print()
    for name, passed in checks.items():
        print(f"{'PASS' if passed else 'FAIL'}  {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
