"""The files derived from the service model are exactly what ``schema/generate.py`` writes."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "schema" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_files_are_fresh() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "schema" / "generate.py"), "--check"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "every generated file is up to date"


def test_check_finds_each_stale_file_and_writes_nothing(tmp_path: Path) -> None:
    gen = generator()
    for path in gen.outputs():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / path, tmp_path / path)
    assert gen.main(["--check"], root=tmp_path) == 0
    for path in gen.outputs():
        fresh = (tmp_path / path).read_text("utf-8")
        (tmp_path / path).write_text(fresh + " ", encoding="utf-8")
        assert gen.main(["--check"], root=tmp_path) == 1
        assert (tmp_path / path).read_text("utf-8") == fresh + " "  # --check never writes
        gen.main([], root=tmp_path)
        assert (tmp_path / path).read_text("utf-8") == fresh
