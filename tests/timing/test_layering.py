"""Timing sits on layer 3: it imports nothing above it, and its modules form no circle.

Every import counts, a lazy one inside a function or one under ``TYPE_CHECKING``
included (issue #13.2).
"""

from __future__ import annotations

import ast
from pathlib import Path

import moviekit

PACKAGE = Path(moviekit.__file__).resolve().parent
BELOW = ("moviekit._errors", "moviekit._problems", "moviekit.values", "moviekit.service")


def imports(path: Path) -> set[str]:
    """Every ``moviekit`` module ``path`` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("moviekit"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("moviekit"))
    return found


def modules(folder: str) -> dict[str, Path]:
    return {
        f"moviekit.{folder}.{p.stem}" if p.stem != "__init__" else f"moviekit.{folder}": p
        for p in (PACKAGE / folder).glob("*.py")
    }


def test_timing_imports_only_from_its_own_layer_and_below() -> None:
    for name, path in modules("timing").items():
        for module in imports(path):
            own = module.startswith("moviekit.timing")
            assert own or module.startswith(BELOW), f"{name} imports {module}"


def test_no_import_circle_in_timing_or_the_compile_entry() -> None:
    graph = {**modules("timing"), **modules("builders")}
    edges = {name: {m for m in imports(path) if m in graph} for name, path in graph.items()}
    edges = {name: targets - {"moviekit.builders"} for name, targets in edges.items()}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            for target in edges[todo.pop()]:
                if target == goal:
                    return True
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return False

    for name in graph:
        assert not reaches(name, name), f"{name} is part of an import circle"
