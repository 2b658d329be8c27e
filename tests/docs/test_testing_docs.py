"""Every code block of the README section "Testing your movies offline" runs.

* ``python`` blocks that are test files (first line ``# test_*.py``) are run
  by pytest in a sandbox, with the ``pytest`` command lines of the ``bash``
  blocks, in order (update the golden files, then compare);
* other ``python`` blocks are executed;
* the ``text`` block (a failure message) is compared with the output of a real
  failing run;
* the ``pip install`` line names this project, and the fixtures in the table exist.
"""

from __future__ import annotations

import re
import shlex
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from support.readme import section

ROOT = Path(__file__).resolve().parents[2]
TEXT = section("## Testing your movies offline")
BLOCKS = [
    (m.group(1), m.group(2), TEXT[: m.start()].count("\n") + 1)
    for m in re.finditer(r"```(\w+)\n(.*?)```", TEXT, re.S)
]
PLUGIN = "moviekit.testing._plugin"
INSTALLED = any(ep.value == PLUGIN for ep in entry_points(group="pytest11"))


def doc_test_files() -> dict[str, str]:
    files = {}
    for lang, code, _ in BLOCKS:
        first = code.splitlines()[0]
        if lang == "python" and re.fullmatch(r"# (test_\w+\.py)", first):
            files[first[2:]] = code
    return files


def scripts() -> list[tuple[str, int]]:
    files = set(doc_test_files().values())
    return [(code, line) for lang, code, line in BLOCKS if lang == "python" and code not in files]


def pytest_lines() -> list[list[str]]:
    lines = []
    for lang, code, _ in BLOCKS:
        if lang != "bash":
            continue
        for line in code.splitlines():
            command = line.split("#", 1)[0].strip()
            if command.startswith("pytest"):
                lines.append(shlex.split(command)[1:])
    return lines


@pytest.fixture
def sandbox(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.delenv("MOVIEKIT_UPDATE_GOLDEN", raising=False)
    for name, code in doc_test_files().items():
        (pytester.path / name).write_text(code, encoding="utf-8")
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    plugin = [] if INSTALLED else ["-p", PLUGIN]
    quiet = ["-p", "no:cacheprovider", "-p", "no:hypothesispytest"]
    return pytester.runpytest(*quiet, *plugin, *args)


def test_the_section_has_what_the_issue_asks_for() -> None:
    assert set(doc_test_files()) == {"test_promo.py", "test_publish.py"}
    assert pytest_lines() == [["--moviekit-update-golden"], []]
    assert len(scripts()) == 2


def test_golden_and_timeline_test_file_is_under_ten_lines() -> None:
    code = doc_test_files()["test_promo.py"]
    lines = [line for line in code.splitlines()[1:] if line.strip()]
    assert len(lines) < 10, lines


def test_the_pip_line_installs_this_project() -> None:
    # (tomllib is 3.11+; the project supports 3.10)
    found = re.search(r'^name = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert found is not None
    name = found[1]
    pip = [c for lang, c, _ in BLOCKS if lang == "bash" and "pip install" in c]
    assert pip == [f"pip install {name}\n"]


def test_test_files_pass_with_the_documented_commands(sandbox: pytest.Pytester) -> None:
    expected = 3  # test_promo: golden + timeline; test_publish: render
    for args in pytest_lines():
        result = run(sandbox, *args)
        assert result.ret == 0, result.stdout.str()
        result.assert_outcomes(passed=expected)
    assert (sandbox.path / "golden" / "test_promo" / "test_promo_json.json").exists()


def test_the_failure_shown_is_the_real_one(sandbox: pytest.Pytester) -> None:
    run(sandbox, "--moviekit-update-golden", "test_promo.py")
    promo = sandbox.path / "test_promo.py"
    promo.write_text(promo.read_text().replace('Text("Spring sale")', 'Text("Summer sale")'))
    result = run(sandbox, "test_promo.py", "-k", "json")
    result.assert_outcomes(failed=1)
    (sample,) = [code for lang, code, _ in BLOCKS if lang == "text"]
    out = result.stdout.str()
    for line in sample.splitlines():
        assert line in out, f"{line!r} is not in the real output:\n{out}"


def test_the_fixtures_in_the_table_exist(sandbox: pytest.Pytester) -> None:
    documented = set(re.findall(r"^\| `(moviekit_\w+)` \|", TEXT, re.M))
    assert documented == {
        "moviekit_golden",
        "moviekit_fake_server",
        "moviekit_client",
        "moviekit_async_client",
    }
    out = run(sandbox, "--fixtures").stdout.str()
    for name in documented:
        assert re.search(rf"^{name} ", out, re.M), f"{name} is not a fixture"


@pytest.mark.parametrize(("code", "line"), scripts(), ids=[f"line{line}" for _, line in scripts()])
def test_python_block_runs(code: str, line: int, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(code, f"README.md (testing section):{line}", "exec"), {"__name__": "__doc__"})
