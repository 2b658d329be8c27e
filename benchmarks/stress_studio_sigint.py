"""Stress: Ctrl-C (SIGINT) at many moments of a studio's life; does it always end promptly?

Run: ``python benchmarks/stress_studio_sigint.py`` (``--rounds N``, ``--load 2`` to keep
two busy-loop processes running meanwhile, ``--limit S`` for the seconds counted as a hang,
``--nice 19`` to run the studio below the busy loops: a much busier machine, for no more CPU,
``--script`` another recipe, ``--moments`` a comma-separated choice of the moments below).

Each trial starts ``python -m moviekit studio cookbook/hello_world.py --port 0 --no-open``
(what the README's studio line runs; a fresh preview cache, so the first build renders)
and sends one SIGINT at one moment:

  t=<s>      that many seconds after the process started (imports, loading, the watcher
             starting, the first build starting)
  line       as soon as the first stdout line (the address) is read
  page       right after the page was fetched
  rendering  while the first build is rendering (``/state`` says so)
  ready      after the first build finished

A trial "hangs" when the process is still alive ``--limit`` seconds after the signal (it
is then killed). Also counted: exit codes, leftover ``moviekit-studio-*`` work folders,
leftover ``*.tmp`` job folders in the cache and ffmpeg processes still running after the
studio ended (its children, found by their cache path; killed once counted). Exit status 1
when a trial hung or left something. Timings depend on the machine's load: on a shared
machine take the rates as indicative. ``--quick``: one round, two moments, no load.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "cookbook" / "hello_world.py"
MOMENTS = ("t=0", "t=0.05", "t=0.2", "t=0.5", "t=1", "t=2", "line", "page", "rendering", "ready")


def busy() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def state(url: str) -> str:
    with urllib.request.urlopen(url + "state", timeout=10) as reply:
        return str(json.load(reply)["status"])


def wait_status(url: str, wanted: set[str], timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if state(url) in wanted:
            return True
        time.sleep(0.02)
    return False


def orphans(cache: Path) -> list[int]:
    """Process ids of ffmpeg processes still working in ``cache``."""
    ps = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True, check=False)
    found = []
    for line in ps.stdout.splitlines():
        pid, _, args = line.strip().partition(" ")
        if "ffmpeg" in args and str(cache) in args:
            found.append(int(pid))
    return found


def leftovers(tmp: Path, cache: Path) -> list[str]:
    found = [p.name for p in tmp.glob("moviekit-studio-*")]
    found += [p.name for p in (cache / "jobs").glob("*.tmp")] if (cache / "jobs").is_dir() else []
    running = orphans(cache)
    for pid in running:  # counted; not left to compete with the next trials
        os.kill(pid, signal.SIGKILL)
    return found + ["ffmpeg running"] * len(running)


def trial(
    moment: str, limit: float, script: Path, nice: int
) -> tuple[str, float, int | None, list[str]]:
    """(outcome, seconds from the signal to the exit, exit code, leftovers)."""
    with tempfile.TemporaryDirectory(prefix="sigint-") as folder:
        tmp = Path(folder)
        cache = tmp / "cache"
        env = {**os.environ, "MOVIEKIT_CACHE_DIR": str(cache), "TMPDIR": str(tmp)}
        env["PYTHONPATH"] = str(ROOT)
        proc = subprocess.Popen(
            [sys.executable, "-m", "moviekit", "studio", str(script), "--port", "0", "--no-open"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp,
            preexec_fn=(lambda: os.nice(nice)) if nice else None,  # noqa: PLW1509 (no threads yet)
        )
        assert proc.stdout is not None
        note = ""
        if moment.startswith("t="):
            time.sleep(float(moment[2:]))
        else:
            url = proc.stdout.readline().strip().split(" ", 1)[-1]
            if moment == "page":
                urllib.request.urlopen(url, timeout=10).read()
            elif moment == "rendering":
                note = "" if wait_status(url, {"rendering"}, 30) else " (missed)"
            elif moment == "ready":
                note = "" if wait_status(url, {"ready", "error"}, 120) else " (not ready)"
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        try:
            proc.communicate(timeout=limit)
            outcome = "exit"
        except subprocess.TimeoutExpired:
            outcome = "HANG"
            proc.kill()
            proc.communicate()
        seconds = time.monotonic() - sent
        return outcome + note, seconds, proc.returncode, leftovers(tmp, cache)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--load", type=int, default=2, help="busy-loop processes meanwhile")
    parser.add_argument("--limit", type=float, default=15.0)
    parser.add_argument("--moments", default=",".join(MOMENTS))
    parser.add_argument("--script", type=Path, default=SCRIPT, help="the studio's script")
    parser.add_argument(
        "--nice", type=int, default=0, help="run the studio at this niceness (a busier machine)"
    )
    parser.add_argument("--quick", action="store_true", help="one round, two moments, no load")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.load, args.moments = 1, 0, "line,rendering"
    script = args.script.resolve()
    burners = [busy() for _ in range(args.load)]
    tally: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    bad = 0
    try:
        for round_ in range(args.rounds):
            for moment in args.moments.split(","):
                outcome, seconds, code, left = trial(moment, args.limit, script, args.nice)
                tally[moment][outcome] += 1
                tally[moment][f"exit {code}"] += 1
                if left:
                    tally[moment]["leftovers"] += 1
                bad += outcome.startswith("HANG") or bool(left)
                print(
                    f"round {round_} {moment:>9}: {outcome} after {seconds:5.2f} s, "
                    f"exit {code}{', left: ' + ', '.join(left) if left else ''}",
                    flush=True,
                )
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    print()
    for moment, counts in tally.items():
        print(f"{moment:>9}: " + ", ".join(f"{k} x{v}" for k, v in sorted(counts.items())))
    sys.exit(1 if bad else 0)  # 1: a trial hung or left something behind


if __name__ == "__main__":
    main()
