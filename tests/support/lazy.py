"""Checking a package whose public names are imported on first use (``moviekit._lazy``)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest


def type_checked_names(package: ModuleType) -> dict[str, str]:
    """``name -> module`` (relative to the package) of the imports under ``if TYPE_CHECKING:``."""
    assert package.__file__ is not None
    tree = ast.parse(Path(package.__file__).read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom) and statement.module
                for alias in statement.names:
                    module = statement.module.removeprefix(package.__name__).lstrip(".")
                    found[alias.name] = module or alias.name  # `from moviekit import preview`
    return found


def loaded_names(package: str, statement: str) -> tuple[set[str], list[str]]:
    """In a fresh interpreter, after ``statement``: the package's own globals, and sys.modules."""
    code = (
        f"import json, sys\n{statement}\nimport {package} as p\n"
        "print(json.dumps([sorted(vars(p)), sorted(sys.modules)]))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    names, modules = json.loads(run.stdout)
    return set(names), modules


def check_lazy_package(package: ModuleType, typing_only: frozenset[str] = frozenset()) -> None:
    """``__all__``, the ``TYPE_CHECKING`` imports and the lazy table name the same things.

    ``typing_only``: names imported for type checkers that are not public (annotations).
    """
    public: list[str] = package.__all__
    assert public == sorted(public), "keep __all__ sorted"
    lazy = {name: module for module, names in package._MODULES.items() for name in names}
    checked = type_checked_names(package)
    assert typing_only <= set(checked) and not typing_only & set(public)
    checked = {name: module for name, module in checked.items() if name not in typing_only}
    assert checked == lazy, "the TYPE_CHECKING imports and _MODULES differ"
    eager = set(public) & loaded_names(package.__name__, f"import {package.__name__}")[0]
    assert not eager & set(lazy), "a name both imported with the package and on first use"
    assert eager | set(lazy) == set(public), "a public name nothing defines, or one not in __all__"
    for name in public:
        assert getattr(package, name) is not None
    assert set(public) <= set(dir(package))
    with pytest.raises(
        AttributeError, match=f"module '{package.__name__}' has no attribute 'nope'"
    ):
        package.nope  # noqa: B018
