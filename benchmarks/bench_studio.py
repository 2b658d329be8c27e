"""Studio benchmark: re-render after a one-scene edit vs a full render, in one run.

Run: ``python benchmarks/bench_studio.py`` (``--quick`` renders at low quality; ``--smoke``,
the test suite's run, also at the ``sd`` size: its figures mean nothing).

Copies ``cookbook/real_estate_listing.py`` into a temporary folder and drives
the studio's own build (:class:`moviekit.studio._session.Studio`, what runs on
every save) with an empty preview cache:

  full      the first build: every scene, transition and storyboard frame rendered
  one edit  the agent card's caption edited in the file (what the issue's user does),
            built again: only that scene, the transition into it and its storyboard
            frame render

Both builds also run the script, validate, probe and time the movie. The ratio
is measured in the same run; on a shared machine take it as indicative and
measure again on a quiet one.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from moviekit.studio._session import Studio  # noqa: E402

RECIPE = ROOT / "cookbook" / "real_estate_listing.py"
BEFORE, AFTER = 'f"Call {agent', 'f"Ring {agent'


def build(studio: Studio) -> tuple[float, str]:
    started = time.perf_counter()
    studio.build()
    seconds = time.perf_counter() - started
    state = studio.state
    if state.status != "ready":
        raise SystemExit(f"build failed: {state.error}")
    return seconds, state.cached


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="low quality drafts")
    parser.add_argument("--smoke", action="store_true", help="also at the sd size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="moviekit-bench-studio-") as tmp:
        folder = Path(tmp)
        script = folder / RECIPE.name
        text = RECIPE.read_text(encoding="utf-8")
        if BEFORE not in text:
            raise SystemExit(f"{RECIPE.name} no longer holds {BEFORE}: update the benchmark")
        if args.smoke:
            text = text.replace('resolution="full-hd"', 'resolution="sd"')
        script.write_text(text, encoding="utf-8")
        (folder / "work").mkdir()
        studio = Studio(
            script,
            workdir=folder / "work",
            cache_dir=folder / "cache",
            quality="low" if args.quick or args.smoke else None,
            fetch_timeout=1.0,
        )
        full, full_cached = build(studio)
        script.write_text(text.replace(BEFORE, AFTER), encoding="utf-8")
        edit, edit_cached = build(studio)
    size = "sd" if args.smoke else "full-hd"
    quality = "low" if args.quick or args.smoke else "its"
    print(f"cookbook/{RECIPE.name} ({size}), studio builds, {quality} quality")
    print(f"  full render           {full:6.2f} s  (jobs from the cache: {full_cached})")
    print(f"  one-scene edit        {edit:6.2f} s  (jobs from the cache: {edit_cached})")
    print(f"  edit / full           {edit / full:6.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
