"""``mutation/seven.py`` stays pointed at real lines and real tests as the code moves."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _seven() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation_seven", ROOT / "mutation" / "seven.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_each_bug_changes_one_line_that_exists_and_names_tests_that_exist() -> None:
    bugs = _seven().BUGS
    assert len({b.name for b in bugs}) == len(bugs) >= 7
    for bug in bugs:
        text = (ROOT / bug.path).read_text("utf-8")
        assert text.count(bug.old) == 1, f"{bug.name}: {bug.old!r} is not once in {bug.path}"
        assert bug.old != bug.new
        for node in bug.tests:
            file, name = node.split("::")
            tree = ast.parse((ROOT / file).read_text("utf-8"))
            defined = {f.name for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
            assert name in defined, f"{bug.name}: no test {node}"
