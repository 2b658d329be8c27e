"""The batch README section and the cookbook recipe run: Python blocks, CLI lines, recipe."""

from __future__ import annotations

import re
import runpy
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
from support.readme import section
from typer.testing import CliRunner

from moviekit.cli import app
from moviekit.testing import FakeJSON2Video

ROOT = Path(__file__).resolve().parents[2]
SECTION = section("## Many videos from data")
BLOCKS = [
    (m.group(1), m.group(2), SECTION[: m.start()].count("\n") + 1)
    for m in re.finditer(r"```(\w+)\n(.*?)```", SECTION, re.S)
]
PYTHON = [(code, line) for lang, code, line in BLOCKS if lang == "python"]


@pytest.mark.parametrize("code,line", PYTHON, ids=[f"line{line}" for _, line in PYTHON])
def test_section_python_block_runs(
    code: str, line: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the examples write renders.db, videos/, results.csv
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    exec(compile(code, f"README.md:{line}", "exec"), namespace)


def test_section_cli_lines_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (text,) = [code for lang, code, _ in BLOCKS if lang == "text" and "moviekit batch" in code]
    lines = text.replace("\\\n", " ").splitlines()
    commands = [shlex.split(line.split(" #", 1)[0]) for line in lines if line.strip()]
    shutil.copytree(ROOT / "cookbook", tmp_path / "cookbook")
    monkeypatch.chdir(tmp_path)
    with FakeJSON2Video(queue_seconds=0, render_seconds=0) as server:
        monkeypatch.setenv("JSON2VIDEO_API_KEY", server.api_key)
        monkeypatch.setenv("JSON2VIDEO_BASE_URL", server.base_url)
        for words in commands + commands[1:2]:  # the run twice: the second one resumes
            result = CliRunner().invoke(app, words[1:])
            assert result.exit_code == 0, f"{words}: {result.output}"
            assert server.api_key not in result.output
        assert len(server.projects()) == 4
        assert (tmp_path / "results.csv").read_text().count(",done,") == 4
        assert len(list((tmp_path / "videos").glob("*.mp4"))) == 4


def test_cli_check_lists_every_bad_row(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("sku,title,price,photo\nA,x,1,https://a.example/a.jpg\nB,,zz,nope\n")
    result = CliRunner().invoke(
        app,
        [
            "batch",
            "check",
            str(ROOT / "cookbook" / "batch_csv_ledger.py"),
            str(rows),
            "--key",
            "sku",
            "--json",
        ],
    )
    assert result.exit_code == 1
    assert [
        p for p in ("rows[1].title", "rows[1].price", "rows[1].photo") if p in result.output
    ] == ["rows[1].title", "rows[1].price", "rows[1].photo"]


def test_cookbook_batch_recipe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    namespace = runpy.run_path(str(ROOT / "cookbook" / "batch_csv_ledger.py"))
    assert namespace["RENDERS_AGAINST_FAKE"] is True
    assert namespace["movie"].to_dict()["resolution"] == "hd"
    result = namespace["main"](tmp_path)
    assert result.ok and len(result.rows) == 4
    assert (tmp_path / "results.csv").read_text().count(",done,") == 4
    assert "4 row(s) checked: 4 ok, 0 bad" in capsys.readouterr().out


def test_section_error_tree_matches_the_classes() -> None:
    import moviekit

    (tree,) = [code for lang, code, _ in BLOCKS if lang == "text" and "BatchError" in code]
    names = re.findall(r"[├└]── (\w+)", tree)
    assert names[0] == "BatchError" and len(names) == 6
    assert {cls.__name__ for cls in moviekit.BatchError.__subclasses__()} == set(names[1:])
    assert issubclass(moviekit.BatchError, moviekit.MoviekitError)
    documented = moviekit._errors.__doc__ or ""
    assert all(f"── {name} " in documented for name in names)
