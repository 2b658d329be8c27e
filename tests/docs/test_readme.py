"""Every code block in README.md runs.

Python blocks execute in order, one shared namespace per ``##`` section; a JSON
block parses (and, after an example that defines ``doc``, equals it); every
``moviekit`` command line runs. The quickstart block is run by ``.ci/run``
itself (it installs the package), so here it is only checked to hold exactly
two commands. Sections listed in ``support.readme.OWN_TESTS`` need servers or
ffmpeg and are run by their own test modules.
"""

from __future__ import annotations

import ast
import glob
import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
from support.readme import OWN_TESTS, README, ROOT, blocks, section, sections
from typer.testing import CliRunner

from moviekit.cli import app


def _quickstart() -> list[str]:
    part = README.split("<!-- quickstart:start -->", 1)[1].split("<!-- quickstart:end -->")[0]
    return [line for line in part.splitlines() if line and not line.startswith("```")]


def test_quickstart_is_exactly_two_commands() -> None:
    commands = _quickstart()
    assert len(commands) == 2
    assert "moviekit render cookbook/" in commands[0] and ".[preview]" in commands[0]
    assert ".[test]" in commands[1] and "pytest" in commands[1]


def test_sections_with_their_own_tests_exist() -> None:
    headings = [heading for heading, _ in sections()]
    for prefix, module in OWN_TESTS.items():
        assert any(h.startswith(prefix) for h in headings), prefix
        assert (ROOT / module).is_file()


def _checked_sections() -> list[tuple[str, str]]:
    return [(h, t) for h, t in sections() if not any(h.startswith(p) for p in OWN_TESTS)]


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "cookbook", tmp_path / "cookbook")
    monkeypatch.chdir(tmp_path)  # examples write files (out.mp4, hello.json)
    monkeypatch.delenv("JSON2VIDEO_API_KEY", raising=False)
    return tmp_path


CHECKED = _checked_sections()


@pytest.mark.parametrize("heading,text", CHECKED, ids=[h for h, _ in CHECKED])
def test_section_blocks_run(heading: str, text: str, workdir: Path) -> None:
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    runner = CliRunner()
    quick = set(_quickstart())
    for lang, code, line in blocks(text):
        where = f"README.md:{line}"
        if lang == "python":
            exec(compile(code, where, "exec"), namespace)
        elif lang == "json":
            data = json.loads(code)
            if "doc" in namespace:
                assert data == namespace.pop("doc"), f"{where} is not what the example prints"
        elif lang == "bash":
            for command in code.splitlines():
                command = command.split("  #", 1)[0].strip()
                if not command.startswith("moviekit ") or command in quick:
                    continue
                args: list[str] = []
                for word in shlex.split(command)[1:]:
                    args.extend(sorted(glob.glob(word)) if "*" in word else [word])
                result = runner.invoke(app, args)
                assert result.exit_code == 0, f"{where}: {command!r} failed:\n{result.output}"


def _distribution_name() -> str:
    # (tomllib is 3.11+; the project supports 3.10)
    found = re.search(r'^name = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert found is not None
    return found[1]


def test_the_distribution_name_is_ours() -> None:
    # `moviekit` on the package index is an unrelated project (issue #15): installing it by that
    # name, or asking for `moviekit[extra]` in an extra of our own, would fetch someone else's code
    assert _distribution_name() == "moviekit-json2video"


def test_every_install_hint_names_the_distribution() -> None:
    name = _distribution_name()
    texts = {"README.md": README, "pyproject.toml": (ROOT / "pyproject.toml").read_text()}
    for path in sorted((ROOT / "moviekit").rglob("*.py")):
        texts[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    wrong = [
        f"{where}: {m[0]}"
        for where, text in texts.items()
        for m in re.finditer(r"pip install ['\"]?([\w.-]+)|\b([\w-]*moviekit[\w-]*)\[", text)
        if (m[1] or m[2]) not in {name, "-e", "-q"} and not (m[1] or "").startswith(".")
    ]
    assert wrong == []


def test_the_first_movie_is_clean_and_bills_its_scenes(capsys: pytest.CaptureFixture[str]) -> None:
    # Issue #15.7: its music track once had no duration, so the timeline shown billed 30 s of
    # music for a 10 s scene; the example now gives no warning and the table shown is real.
    from moviekit import validate

    found = blocks(section("## A first movie"))
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    for lang, code, line in found:
        if lang == "python":
            exec(compile(code, f"README.md:{line}", "exec"), namespace)
    assert validate(namespace["doc"]).problems == ()
    (shown,) = [code for lang, code, _ in found if lang == "text"]
    assert capsys.readouterr().out == shown
    assert "total: 10 s; cost: 10 credits" in shown


def _named_tests(text: str, folder: str) -> list[tuple[str, str]]:
    """``(file, test)`` of every `` `file.py::test_name` `` in ``text`` (a bare `` `::name` ``
    is in the file named before it; a file without a folder is in ``folder``). A file
    named alone stands for all its tests: ``(file, "")``."""
    named: list[tuple[str, str]] = []
    current = ""
    for token in re.findall(r"`((?:[\w/]+\.py)?(?:::\w+)?)`", text):
        file, _, name = token.partition("::")
        if file:
            current = file if file.startswith("tests/") else f"{folder}/{file}"
        assert current, f"{token} names no file"
        named.append((current, name))
    return named


def _tests_in(file: str) -> set[str]:
    tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name.startswith("test_")
    }


@pytest.mark.parametrize(
    ("heading", "folder"),
    [
        ("## What moviekit guarantees", "tests"),
        ("### What moviekit guarantees, and the test that holds it to it", "tests/transport"),
    ],
)
def test_every_test_a_guarantee_names_exists(heading: str, folder: str) -> None:
    text = README.split(heading + "\n", 1)[1].split("\n#", 1)[0]
    named = _named_tests(text, folder)
    assert len(named) >= 10, named
    for file, name in named:
        assert (ROOT / file).is_file(), file
        tests = _tests_in(file)
        assert name in tests if name else tests, f"README names {file}::{name}, which is not a test"
