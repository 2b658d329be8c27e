"""Fixtures for the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture()
def no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No API key, a private preview cache, and ``tmp_path`` as the working directory."""
    monkeypatch.delenv("JSON2VIDEO_API_KEY", raising=False)
    monkeypatch.setenv("MOVIEKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path
