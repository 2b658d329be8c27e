"""The committed schema is exactly what ``schema/generate.py`` produces."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_is_fresh() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "schema" / "generate.py"), "--check"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_does_not_rewrite_the_schema() -> None:
    path = ROOT / "schema" / "movie.schema.json"
    before = path.read_bytes()
    subprocess.run([sys.executable, str(ROOT / "schema" / "generate.py"), "--check"],
                   cwd=ROOT, capture_output=True, timeout=120, check=False)
    assert path.read_bytes() == before


def test_check_fails_on_a_stale_schema(tmp_path: Path) -> None:
    copy = tmp_path / "schema"
    copy.mkdir()
    (copy / "generate.py").write_bytes((ROOT / "schema" / "generate.py").read_bytes())
    stale = (ROOT / "schema" / "movie.schema.json").read_text("utf-8").replace(
        '"full-hd"', '"ultra-hd"', 1)
    (copy / "movie.schema.json").write_text(stale, encoding="utf-8")
    result = subprocess.run([sys.executable, str(copy / "generate.py"), "--check"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert (copy / "movie.schema.json").read_text("utf-8") == stale  # --check never writes
