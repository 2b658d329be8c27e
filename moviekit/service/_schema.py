"""The bundled JSON Schema: where it is and its contents, loaded once per process.

``schema/movie.schema.json`` is written from the service model by
``schema/generate.py`` and shipped in the wheel as ``moviekit/_bundled``. It
describes the Movie JSON as documented, for editors, agents and other tools;
moviekit's own validation reads the model directly (``moviekit/validation``),
which is faster and knows which breaks the service rejects and which it only
leaves undocumented.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["SCHEMA_NAME", "load_schema", "schema_path"]

SCHEMA_NAME = "movie.schema.json"


def schema_path() -> Path:
    """Where the bundled schema is: inside the installed wheel, or ``schema/`` in a checkout."""
    bundled = resources.files("moviekit") / "_bundled" / SCHEMA_NAME
    if bundled.is_file():
        return Path(str(bundled))
    return Path(__file__).resolve().parents[2] / "schema" / SCHEMA_NAME


@cache
def load_schema() -> dict[str, Any]:
    """The bundled Movie JSON schema as a dict (loaded once; do not modify it)."""
    with schema_path().open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema
