"""``import moviekit`` stays light (issue #15.2): heavy parts are imported on first use.

Each check runs in a fresh interpreter (this test process has imported everything). The
import time itself is the benchmark's job (``benchmarks/bench_import.py``); these tests guard
what makes it fast: which modules a bare ``import moviekit`` loads.
"""

from __future__ import annotations

import pytest
from support.lazy import check_lazy_package, loaded_names

import moviekit

#: what `import moviekit` used to load, and costs most: ffmpeg planning, batches, the HTTP
#: client and its pydantic models, the builders and their engines, the CLI's libraries
HEAVY = (
    "moviekit.preview",
    "moviekit.batch",
    "moviekit.transport",
    "moviekit.builders",
    "moviekit.timing",
    "moviekit.validation",
    "moviekit.studio",
    "moviekit.mcp",
    "moviekit.cli",
    "pydantic",
    "pydantic_core",
    "requests",
    "jsonschema",
    "rich",
    "typer",
)


def heavy_modules(statement: str) -> list[str]:
    return [m for m in loaded_names("moviekit", statement)[1] if m.startswith(HEAVY)]


def test_import_moviekit_loads_no_heavy_part() -> None:
    assert heavy_modules("import moviekit") == []


def test_the_exceptions_need_nothing_else() -> None:
    statement = "from moviekit import MoviekitError, PreviewUnavailableError, ValidationReport"
    assert heavy_modules(statement) == []


def test_the_pytest_plugin_loads_no_heavy_part() -> None:
    # every pytest run in an environment with moviekit installed imports it (entry point)
    assert heavy_modules("import moviekit.testing._plugin") == []


@pytest.mark.parametrize(
    "statement,absent",
    [
        ("from moviekit import Movie, Scene, Text", ("moviekit.preview", "moviekit.batch")),
        ("from moviekit import Movie, Scene, Text", ("moviekit.transport", "requests")),
        ("from moviekit import validate", ("moviekit.preview", "moviekit.transport")),
        ("from moviekit import Client", ("moviekit.preview", "moviekit.batch")),
    ],
)
def test_a_name_imports_what_it_needs_only(statement: str, absent: tuple[str, ...]) -> None:
    assert [m for m in loaded_names("moviekit", statement)[1] if m.startswith(absent)] == []


def test_a_name_read_once_is_then_a_plain_attribute() -> None:
    names, modules = loaded_names("moviekit", "from moviekit import Movie, preview")
    assert {"Movie", "preview"} <= names and "Batch" not in names
    assert "moviekit.preview" in modules


def test_the_public_surface_is_complete() -> None:
    # LocalPreview: the protocol the lent preview is checked against (moviekit/__init__.py)
    check_lazy_package(moviekit, typing_only=frozenset({"LocalPreview"}))


def test_star_import_gives_every_public_name() -> None:
    namespace: dict[str, object] = {}
    exec("from moviekit import *", namespace)
    assert set(moviekit.__all__) <= set(namespace)
    assert namespace["Movie"] is moviekit.Movie and namespace["preview"] is moviekit.preview
