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

from typing import TYPE_CHECKING

from moviekit._lazy import lazy_exports

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

#: private module -> the public names it defines, imported on first use (moviekit._lazy)
_MODULES: dict[str, tuple[str, ...]] = {
    "_fake_server": ("FakeClock", "FakeJSON2Video", "Fault", "RecordedRequest"),
    "_checked_server": ("CheckedFakeJSON2Video", "Expectation"),
    "_golden": (
        "Difference",
        "GoldenMismatch",
        "GoldenResult",
        "assert_golden",
        "golden_diff",
        "golden_text",
    ),
    "_queries": (
        "Found",
        "elements_longer_than",
        "find_elements",
        "iter_elements",
        "srcs_outside",
        "texts_containing",
    ),
    "_assertions": (
        "assert_not_on_screen",
        "assert_on_screen",
        "assert_scene_count",
        "assert_scene_length",
        "assert_total_between",
        "assert_valid",
    ),
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


if not TYPE_CHECKING:  # type checkers read the imports above, and flag a misspelt name
    __getattr__, __dir__ = lazy_exports(__name__, _MODULES, globals())
