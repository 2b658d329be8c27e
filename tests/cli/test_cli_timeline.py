"""``moviekit timeline``: table, Gantt, SVG and JSON, driven in-process."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
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


def test_an_unknown_length_key_is_a_warning() -> None:
    code, output = run("timeline", RECIPE, "-l", "voice9=3")
    assert code == 0
    assert "warning: lengths['voice9']: matches no element's id, src, text or path" in output
    assert "did you mean 'voice1'?" in output
    code, output = run("timeline", RECIPE, "-l", "voice9=3", "--json")
    data = json.loads(output[output.index("{") :])
    assert [w["code"] for w in data["warnings"]] == ["unknown-length-key"]


def test_hostile_numbers_and_expressions_give_a_timeline(tmp_path: Path) -> None:
    # Issue #14: these raised OverflowError and RecursionError.
    deep = "{{" + "(" * 300 + "1" + ")" * 300 + "}}"
    long = "{{" + "+".join(["1"] * 2_000) + "}}"
    doc = {
        "scenes": [
            {
                "duration": 2.5,
                "elements": [
                    {"type": "image", "src": "a.png", "duration": deep},
                    {"type": "image", "src": "b.png", "duration": long},
                ],
            }
        ]
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, output = run("timeline", str(path))
    assert code == 0 and "total: 2.5 s" in output
    # A number no double can hold is refused when the file is read, in one line.
    huge = {"scenes": [{"elements": [{"type": "text", "text": "x", "start": 10**400}]}]}
    path.write_text(json.dumps(huge), encoding="utf-8")
    code, output = run("timeline", str(path))
    assert code == 1 and output.startswith(f"error: {path}: not valid JSON"), output
    assert len(output.strip().splitlines()) == 1


def test_a_big_movie_gets_the_table_as_plain_text(tmp_path: Path) -> None:
    # A Rich table takes about 2 ms a row: a 50 MB movie would take many minutes (#14).
    elements = [{"type": "image", "src": f"a{i}.png", "duration": 1} for i in range(1_200)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"scenes": [{"elements": elements}]}), encoding="utf-8")
    code, output = run("timeline", str(path), "-l", "nothing=1")
    assert code == 0
    lines = output.splitlines()
    assert lines[0].split() == ["path", "type", "what", "start", "end", "length", "in", "movie"]
    assert "  elements[1199]  image  a1199.png" in output and "total: 1 s; cost: 1 credit" in output
    assert output.count("warning: lengths['nothing']") == 1


def test_probe_reads_lengths_from_the_media(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from support.preview import make_media, serve_folder

    media = make_media(tmp_path / "media")
    monkeypatch.setenv("MOVIEKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)  # relative srcs are read next to the JSON file, not here
    with serve_folder(media.dir) as server:
        doc = {
            "scenes": [
                {"elements": [{"type": "video", "src": "red_blue.mp4"}]},
                {"elements": [{"type": "video", "src": f"{server}/bars.mp4"}]},
            ]
        }
        source = media.dir / "movie.json"
        source.write_text(json.dumps(doc), encoding="utf-8")
        code, output = run("timeline", str(source))
        assert code == 0 and "total: ≥ 0 s" in output  # offline: lower bounds
        code, output = run("timeline", str(source), "--probe")
        assert code == 0, output
        assert "total: 3 s; cost: 3 credits" in output and "depends on" not in output

        doc["scenes"].append({"elements": [{"type": "audio", "src": "silence.mp3"}]})
        source.write_text(json.dumps(doc), encoding="utf-8")
        code, output = run("timeline", str(source), "--probe", "--json")
    assert code == 0, output
    data = json.loads(output[output.index("{") :])
    assert data["exact"] is False and data["total"] == pytest.approx(3.0, abs=0.1)
    assert data["not_probed"] == {
        "scenes[2].elements[0]": (
            f"file not found: silence.mp3 (looked for {media.dir / 'silence.mp3'})"
        )
    }
    code, output = run("timeline", str(source), "--probe", "-l", "silence.mp3=2")
    assert code == 0 and "total: 5 s" in output and "not probed" not in output
