"""Put the checkout on ``sys.path`` of a script the tests start (the batch child and workers).

It goes after the ``PYTHONPATH`` entries and before the installed package: a changed copy of
the package that ``mutation/seven.py`` puts on ``PYTHONPATH`` is what runs, and in a mutation
run (``mutants/``) the mutated copy next to the tests is.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def put_checkout_on_path() -> None:
    root = str(Path(__file__).resolve().parents[2])
    given = [entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry]
    sys.path.insert(1 + len(given), root)  # sys.path[0] is the script's own folder
