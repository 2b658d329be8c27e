"""The transport cookbook recipe runs end to end (as CI does)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

RECIPE = Path(__file__).resolve().parents[2] / "cookbook" / "render_against_fake_server.py"


def test_render_against_fake_server_recipe(capsys: pytest.CaptureFixture[str]) -> None:
    namespace = runpy.run_path(str(RECIPE))
    path = namespace["main"]()
    out = capsys.readouterr().out
    assert path.read_bytes()[4:8] == b"ftyp"
    assert "/files/" in out and "done" in out
