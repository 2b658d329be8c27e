"""One batch worker in a process of its own, on a shared PostgreSQL ledger (test_shared_workers).

Usage: python batch_worker.py BASE_URL LEDGER_URL ROWS_CSV CONCURRENCY PLAN_CONCURRENCY LEASE
       [START_AT | go]
The API key comes from JSON2VIDEO_API_KEY. START_AT (a time.time() value) makes
several workers start their run at the same instant; ``go`` instead prints
``ready`` once the worker is connected, then starts its run when a line arrives on
stdin (the test sends it to every worker at once; a closed stdin ends the worker).
With KILL_AT=STEP:NTH in the environment the worker SIGKILLs itself the NTH time it
reaches STEP (see ``moviekit.batch._runner.STEPS``); with STOP_AT=STEP:NTH it
SIGSTOPs itself (frozen, until the test sends SIGCONT). It checks its renders every
0.05 s (the fake service is on loopback). Prints one JSON line with the run's counts;
exits 0 when every row is done, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from checkout_path import put_checkout_on_path  # noqa: E402  (this folder is sys.path[0])

put_checkout_on_path()

from moviekit import Batch, Client, PollPolicy, PostgresLedger  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.batch_template import SHARED_TEMPLATE  # noqa: E402


def signal_at(spec: str, signum: int) -> Callable[[str, str], None] | None:
    if not spec:
        return None
    step, nth = spec.split(":")
    seen = [0]

    def hook(name: str, row_key: str) -> None:
        if name == step:
            seen[0] += 1
            if seen[0] == int(nth):
                os.kill(os.getpid(), signum)

    return hook


def main() -> int:
    base_url, ledger_url, rows, concurrency, plan, lease = sys.argv[1:7]
    client = Client(base_url=base_url, poll_policy=PollPolicy.for_local_testing(0.05))
    with PostgresLedger(ledger_url, lease=float(lease)) as ledger:
        batch = Batch(
            SHARED_TEMPLATE,
            rows,
            key="sku",
            ledger=ledger,
            client=client,
            concurrency=int(concurrency),
            plan_concurrency=int(plan),
            step_hook=signal_at(os.environ.get("KILL_AT", ""), signal.SIGKILL)
            or signal_at(os.environ.get("STOP_AT", ""), signal.SIGSTOP),
        )
        if len(sys.argv) > 7 and sys.argv[7] == "go":
            print("ready", flush=True)
            if not sys.stdin.readline():
                return 1  # the test ended without saying go
        elif len(sys.argv) > 7:
            time.sleep(max(0.0, float(sys.argv[7]) - time.time()))
        result = batch.run()
    print(json.dumps({"counts": result.counts, "ok": result.ok}), flush=True)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
