"""A batch run in a child process that SIGKILLs itself at a scripted step (see test_batch_kill).

Usage: python batch_child.py BASE_URL LEDGER ROWS_CSV DOWNLOAD_DIR STEP NTH
The API key comes from JSON2VIDEO_API_KEY. The process kills itself with
SIGKILL (no cleanup, no finally blocks) the NTH time the batch reaches STEP.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

try:  # imported up front: the dying step must not wait for an import while others run on
    import coverage
except ImportError:  # pragma: no cover - coverage is in the test extras
    coverage = None  # type: ignore[assignment]

from checkout_path import put_checkout_on_path  # noqa: E402  (this folder is sys.path[0])

put_checkout_on_path()

from moviekit import Batch, Client, PollPolicy  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.batch_template import TEMPLATE  # noqa: E402


def save_coverage() -> None:
    """Write what coverage measured so far: SIGKILL skips its exit handler.

    Under ``coverage run`` (which measures this child through its subprocess patch) the
    child's lines would otherwise be lost with the process; nothing else is cleaned up.
    """
    current = coverage.Coverage.current() if coverage is not None else None
    if current is not None:
        current.stop()
        current.save()


def main() -> None:
    base_url, ledger, rows, download, step, nth = sys.argv[1:7]
    seen = [0]
    # One row at a time through the scripted step; the dying one never lets go, so no other
    # row passes that step (a POST, say) while this one saves coverage and kills the process.
    gate = threading.Lock()

    def hook(name: str, row_key: str) -> None:
        if name == step:
            with gate:
                seen[0] += 1
                if seen[0] == int(nth):
                    save_coverage()
                    os.kill(os.getpid(), signal.SIGKILL)

    client = Client(base_url=base_url, poll_policy=PollPolicy.for_local_testing(0.02))
    Batch(
        TEMPLATE, rows, key="sku", ledger=ledger, client=client, concurrency=3, step_hook=hook
    ).run(download_to=download)
    print("finished without being killed")


if __name__ == "__main__":
    main()
