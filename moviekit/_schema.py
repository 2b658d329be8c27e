"""The bundled JSON Schema: found, loaded and compiled once per process.

Two validators are built from the one schema file:

* a fast one (``jsonschema-rs``, compiled Rust) that answers "valid or not?"
  for the happy path in about a third of the time ``json.dumps`` takes;
* the reference ``jsonschema`` validator, used only when the fast one says
  "invalid", because its errors carry the paths and context the report needs.

If ``jsonschema-rs`` cannot be imported (a platform without a wheel), the
reference validator does both jobs: slower, same answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

__all__ = ["known_keys", "load_schema", "is_valid", "reference_validator", "schema_path"]

SCHEMA_NAME = "movie.schema.json"


def schema_path() -> Path:
    """Where the bundled schema is: inside the installed wheel, or ``schema/`` in a checkout."""
    bundled = resources.files("moviekit") / "_bundled" / SCHEMA_NAME
    if bundled.is_file():
        return Path(str(bundled))
    return Path(__file__).resolve().parent.parent / "schema" / SCHEMA_NAME


@cache
def load_schema() -> dict[str, Any]:
    """The bundled Movie JSON schema as a dict (loaded once; do not modify it)."""
    with schema_path().open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


@cache
def _fast_check() -> Callable[[Any], bool]:
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - exercised only where no wheel exists
        return reference_validator().is_valid
    return jsonschema_rs.Draft7Validator(load_schema()).is_valid  # type: ignore[no-any-return]


def is_valid(doc: Any) -> bool:
    """True when ``doc`` satisfies the bundled schema (fast path)."""
    return _fast_check()(doc)


@cache
def reference_validator() -> jsonschema.Draft7Validator:
    """The ``jsonschema`` validator whose errors explain what is wrong."""
    return jsonschema.Draft7Validator(load_schema())


@cache
def known_keys(definition: str) -> frozenset[str]:
    """The documented property names of one schema definition (``"video"``, ``"scene"``...)."""
    return frozenset(load_schema()["definitions"][definition].get("properties", ()))
