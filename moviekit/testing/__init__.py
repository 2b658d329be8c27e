"""Test helpers for code that uses moviekit, and for users' own movies.

* ``FakeJSON2Video``: a local JSON2Video-compatible server over real sockets
  (see its docstring); ``CheckedFakeJSON2Video`` adds expectations and the
  end-of-test report the ``moviekit_fake_server`` fixture uses.
* Golden files: :func:`assert_golden`, :func:`golden_diff` (a diff by JSON path).
* Queries: :func:`find_elements`, :func:`texts_containing`, :func:`srcs_outside`,
  :func:`elements_longer_than`, :func:`iter_elements` (results carry JSON paths).
* Assertions: :func:`assert_valid`, and on the timeline :func:`assert_scene_count`,
  :func:`assert_scene_length`, :func:`assert_on_screen`, :func:`assert_not_on_screen`,
  :func:`assert_total_between`.

The pytest plugin (fixtures ``moviekit_golden``, ``moviekit_fake_server``,
``moviekit_client``; option ``--moviekit-update-golden``) is registered
automatically when moviekit is installed.

Names are imported on first use: the pytest plugin imports this package in
every test run, and must not start pulling in the HTTP server until a test
asks for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - the same names, for type checkers and IDEs
    from moviekit.testing._assertions import (
        assert_not_on_screen,
        assert_on_screen,
        assert_scene_count,
        assert_scene_length,
        assert_total_between,
        assert_valid,
    )
    from moviekit.testing._checked_server import CheckedFakeJSON2Video, Expectation
    from moviekit.testing._fake_server import FakeClock, FakeJSON2Video, Fault, RecordedRequest
    from moviekit.testing._golden import (
        Difference,
        GoldenMismatch,
        GoldenResult,
        assert_golden,
        golden_diff,
        golden_text,
    )
    from moviekit.testing._queries import (
        Found,
        elements_longer_than,
        find_elements,
        iter_elements,
        srcs_outside,
        texts_containing,
    )

#: public name -> private module that defines it
_EXPORTS: dict[str, str] = {
    "FakeClock": "_fake_server",
    "FakeJSON2Video": "_fake_server",
    "Fault": "_fake_server",
    "RecordedRequest": "_fake_server",
    "CheckedFakeJSON2Video": "_checked_server",
    "Expectation": "_checked_server",
    "Difference": "_golden",
    "GoldenMismatch": "_golden",
    "GoldenResult": "_golden",
    "assert_golden": "_golden",
    "golden_diff": "_golden",
    "golden_text": "_golden",
    "Found": "_queries",
    "elements_longer_than": "_queries",
    "find_elements": "_queries",
    "iter_elements": "_queries",
    "srcs_outside": "_queries",
    "texts_containing": "_queries",
    "assert_not_on_screen": "_assertions",
    "assert_on_screen": "_assertions",
    "assert_scene_count": "_assertions",
    "assert_scene_length": "_assertions",
    "assert_total_between": "_assertions",
    "assert_valid": "_assertions",
}

__all__ = [
    "CheckedFakeJSON2Video",
    "Difference",
    "Expectation",
    "FakeClock",
    "FakeJSON2Video",
    "Fault",
    "Found",
    "GoldenMismatch",
    "GoldenResult",
    "RecordedRequest",
    "assert_golden",
    "assert_not_on_screen",
    "assert_on_screen",
    "assert_scene_count",
    "assert_scene_length",
    "assert_total_between",
    "assert_valid",
    "elements_longer_than",
    "find_elements",
    "golden_diff",
    "golden_text",
    "iter_elements",
    "srcs_outside",
    "texts_containing",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'moviekit.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"moviekit.testing.{module}"), name)
    globals()[name] = value  # cache: the next access is a plain attribute lookup
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
