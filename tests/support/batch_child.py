"""A batch run in a child process that SIGKILLs itself at a scripted step (see test_batch_kill).

Usage: python batch_child.py BASE_URL LEDGER ROWS_CSV DOWNLOAD_DIR STEP NTH
The API key comes from JSON2VIDEO_API_KEY. The process kills itself with
SIGKILL (no cleanup, no finally blocks) the NTH time the batch reaches STEP.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from moviekit import Batch, Client, PollPolicy  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.batch_template import TEMPLATE  # noqa: E402


def main() -> None:
    base_url, ledger, rows, download, step, nth = sys.argv[1:7]
    seen = [0]

    def hook(name: str, row_key: str) -> None:
        if name == step:
            seen[0] += 1
            if seen[0] == int(nth):
                os.kill(os.getpid(), signal.SIGKILL)

    client = Client(base_url=base_url, poll_policy=PollPolicy.for_local_testing(0.02))
    Batch(TEMPLATE, rows, key="sku", ledger=ledger, client=client, concurrency=3,
          step_hook=hook).run(download_to=download)
    print("finished without being killed")


if __name__ == "__main__":
    main()
