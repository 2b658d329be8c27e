"""Make the README's screenshots of the studio and the batch review (headless Chromium).

Run: ``python docs/make_screenshots.py`` (needs ``moviekit-json2video[studio,test]`` and Debian's
``chromium`` and ``chromium-driver``). Writes ``docs/images/studio.png`` and
``docs/images/review.png``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.browser import browser, wait_for  # noqa: E402
from support.review import make_batch  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from moviekit.cli import app  # noqa: E402

OUT = ROOT / "docs" / "images"


def shrink(png: Path, width: int) -> None:
    """Scale a screenshot down with the preview's ffmpeg (keeps the README light)."""
    from moviekit.preview._ffmpeg import ffmpeg_exe

    small = png.with_suffix(".small.png")
    subprocess.run(
        [
            ffmpeg_exe(),
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(png),
            "-vf",
            f"scale={width}:-1:flags=area",
            "-pred",
            "mixed",
            str(small),
        ],
        check=True,
    )
    small.replace(png)


def studio_shot(driver: object, tmp: Path) -> None:
    shutil.copy(ROOT / "cookbook" / "real_estate_listing.py", tmp / "listing.py")
    env = {**os.environ, "MOVIEKIT_CACHE_DIR": str(tmp / "cache")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "moviekit",
            "studio",
            str(tmp / "listing.py"),
            "--port",
            "0",
            "--no-open",
            "--quality",
            "low",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().split(" ", 1)[1].strip()
    try:
        driver.get(url)  # type: ignore[attr-defined]
        wait_for(
            lambda: driver.execute_script(  # type: ignore[attr-defined]
                "return document.getElementById('video').readyState >= 2"
            ),
            120,
            "the draft",
        )
        driver.execute_script(  # type: ignore[attr-defined]
            "document.getElementById('video').currentTime = 9.2"
        )
        time.sleep(1)
        driver.save_screenshot(str(OUT / "studio.png"))  # type: ignore[attr-defined]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    shrink(OUT / "studio.png", 900)


def review_shot(driver: object, tmp: Path) -> None:
    make_batch(tmp)
    os.chdir(tmp)
    result = CliRunner().invoke(
        app,
        [
            "batch",
            "review",
            "promo.py",
            "rows.csv",
            "--key",
            "sku",
            "--ledger",
            "ledger.db",
            "-o",
            "review.html",
        ],
    )
    assert result.exit_code == 0, result.output
    driver.set_window_size(1100, 900)  # type: ignore[attr-defined]
    driver.get((tmp / "review.html").as_uri())  # type: ignore[attr-defined]
    driver.save_screenshot(str(OUT / "review.png"))  # type: ignore[attr-defined]
    shrink(OUT / "review.png", 900)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    drivers = browser()
    driver = next(drivers)
    try:
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            studio_shot(driver, Path(a))
            review_shot(driver, Path(b))
    finally:
        drivers.close()
    print(f"wrote {OUT / 'studio.png'} and {OUT / 'review.png'}")


if __name__ == "__main__":
    main()
