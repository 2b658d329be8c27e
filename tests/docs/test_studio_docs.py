"""Every code block of the README's studio section runs (the studio itself as a subprocess)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from support.readme import section
from typer.testing import CliRunner

from moviekit import Batch, Client, PollPolicy
from moviekit.cli import app
from moviekit.studio._load import load
from moviekit.testing import FakeJSON2Video

pytest.importorskip("imageio_ffmpeg", reason="needs moviekit-json2video[preview]")
pytest.importorskip("watchfiles", reason="needs moviekit-json2video[studio]")
ROOT = Path(__file__).resolve().parents[2]
SECTION = section("## The studio")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", SECTION, re.S)
LINES = [
    line.split("  #", 1)[0].strip()
    for lang, code in BLOCKS
    if lang == "bash"
    for line in code.splitlines()
    if line.strip().startswith("moviekit ")
]


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "cookbook", tmp_path / "cookbook")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MOVIEKIT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def test_python_blocks_run(workdir: Path) -> None:
    blocks = [code for lang, code in BLOCKS if lang == "python"]
    assert blocks
    for code in blocks:
        namespace: dict[str, Any] = {"__name__": "__docs__"}
        exec(compile(code, "README.md", "exec"), namespace)


def test_the_studio_line_serves_its_page(workdir: Path) -> None:
    (line,) = [line for line in LINES if line.startswith("moviekit studio ")]
    # As written, but on any free port and without a browser to open.
    args = [*shlex.split(line)[1:], "--port", "0", "--no-open"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "moviekit", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        assert re.fullmatch(r"studio: http://127\.0\.0\.1:\d+/", first), first
        with urllib.request.urlopen(first.split(" ", 1)[1], timeout=10) as page:
            assert b"moviekit studio" in page.read()
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err  # as the README says: Ctrl-C stops it with exit code 0


def test_the_review_line_writes_its_page(workdir: Path) -> None:
    (line,) = [line for line in LINES if line.startswith("moviekit batch review ")]
    args = shlex.split(line)[1:]
    ledger = args[args.index("--ledger") + 1]
    # The ledger of a real batch run, against the fake service.
    template = load(Path("cookbook/batch_csv_ledger.py")).template
    assert template is not None
    with FakeJSON2Video(speed=50) as server:
        client = Client(
            api_key=server.api_key,
            base_url=server.base_url,
            poll_policy=PollPolicy.for_local_testing(interval=0.05),
        )
        Batch(template, "cookbook/data/listings.csv", key="sku", ledger=ledger, client=client).run()
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    page = (workdir / "review.html").read_text(encoding="utf-8")
    assert page.count('data-status="done"') == 4
