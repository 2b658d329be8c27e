"""``moviekit timeline``: table, Gantt, SVG and JSON, driven in-process."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from moviekit.cli import app

RECIPE = str(Path(__file__).resolve().parents[2] / "cookbook" / "voiceover_slideshow.py")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_table() -> None:
    code, output = run("timeline", RECIPE)
    assert code == 0
    assert "detail-red.jpg" in output and "total: 17 s; cost: 17 credits" in output


def test_lengths_gantt_json_and_svg(tmp_path: Path) -> None:
    code, output = run("timeline", RECIPE, "--gantt", "-l", "voice1=20")
    assert code == 0 and "█" in output and "21 s" in output
    svg = tmp_path / "t.svg"
    code, output = run("timeline", RECIPE, "--json", "--svg", str(svg))
    assert code == 0
    data = json.loads(output[output.index("{") :])
    assert data["total"] == 17 and data["exact"] is True
    ET.fromstring(svg.read_text(encoding="utf-8"))


def test_misuse_and_errors(tmp_path: Path) -> None:
    assert run("timeline", RECIPE, "-l", "voice1")[0] == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    code, output = run("timeline", str(bad))
    assert code == 1 and "error:" in output
