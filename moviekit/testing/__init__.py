"""Test helpers for code that uses moviekit, and for users' own movies.

* ``FakeJSON2Video``: a local JSON2Video-compatible server over real sockets
  (see its docstring); ``CheckedFakeJSON2Video`` adds expectations and the
  end-of-test report the ``moviekit_fake_server`` fixture uses.
* Golden files: :func:`assert_golden`, :func:`golden_diff` (a diff by JSON path).

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
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'moviekit.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"moviekit.testing.{module}"), name)
    globals()[name] = value  # cache: the next access is a plain attribute lookup
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
