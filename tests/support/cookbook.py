"""The cookbook's recipes, for the tests that run every one of them."""

from __future__ import annotations

from pathlib import Path

COOKBOOK = Path(__file__).resolve().parents[2] / "cookbook"
#: every recipe; test_*.py files in cookbook/ are a recipe's own tests, not recipes
RECIPES = sorted(p for p in COOKBOOK.glob("*.py") if not p.name.startswith("test_"))
