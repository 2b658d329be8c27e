"""The moviekit pytest plugin (registered through the ``pytest11`` entry point ``moviekit``).

Fixtures, all prefixed ``moviekit_``:

``moviekit_golden``
    ``moviekit_golden(movie)`` compares the movie's compiled JSON with
    ``golden/<test module>/<test name>.json`` next to the test file and fails
    with a diff by JSON path. ``pytest --moviekit-update-golden`` (or
    ``MOVIEKIT_UPDATE_GOLDEN=1``) writes the files instead.
``moviekit_fake_server``
    A running :class:`~moviekit.testing.CheckedFakeJSON2Video`. At teardown the
    test errors if a request was unexpected or a scripted response (an
    injected fault, an ``expect()``) went unused. Configure it with
    ``@pytest.mark.moviekit_server(...)``.
``moviekit_client``
    A :class:`~moviekit.Client` pointed at that server, with fast polling and
    retries.
``moviekit_async_client``
    The same, as an :class:`~moviekit.AsyncClient` (``moviekit-json2video[async]``): an
    async fixture for tests marked ``@pytest.mark.anyio`` (anyio's pytest
    plugin comes with it).

This module is imported by every pytest run in an environment where moviekit
is installed, so it imports nothing heavy itself: the golden-file code, the
HTTP server and the client are imported when a fixture is first used.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # pragma: no cover - imported lazily at run time
    from moviekit.testing._checked_server import CheckedFakeJSON2Video
    from moviekit.testing._golden import GoldenResult
    from moviekit.transport._aclient import AsyncClient
    from moviekit.transport._client import Client

__all__ = ["GoldenFixture"]

UPDATE_OPTION = "--moviekit-update-golden"
UPDATE_ENV = "MOVIEKIT_UPDATE_GOLDEN"
GOLDEN_DIR_INI = "moviekit_golden_dir"
SERVER_MARKER = "moviekit_server"

#: pytest's per-item record of the phase reports, so teardown knows whether the test failed.
_PHASE_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()
#: Golden files written during this session (for the terminal summary).
_WRITTEN = pytest.StashKey[list[tuple[str, str]]]()


# =========================================================================== hooks


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("moviekit", "moviekit movie tests")
    group.addoption(
        UPDATE_OPTION,
        action="store_true",
        default=False,
        help=f"write golden files from the compiled movies instead of comparing "
        f"(also: {UPDATE_ENV}=1)",
    )
    parser.addini(
        GOLDEN_DIR_INI,
        default="golden",
        help="directory of golden files, relative to each test file (default: golden)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{SERVER_MARKER}(assert_all_expected=True, assert_all_used=True, **server_options): "
        "configure the moviekit_fake_server fixture; server_options go to FakeJSON2Video "
        "(speed, credits, queue_seconds, render_seconds, ...)",
    )
    config.stash[_WRITTEN] = []


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    item.stash.setdefault(_PHASE_REPORTS, {})[report.when] = report


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    written = config.stash.get(_WRITTEN, [])
    if not written:
        return
    terminalreporter.section("moviekit golden files")
    for outcome, path in written:
        terminalreporter.write_line(f"{outcome}: {path}")


def _update_requested(config: pytest.Config) -> bool:
    env = os.environ.get(UPDATE_ENV, "").strip().lower()
    return bool(config.getoption(UPDATE_OPTION)) or env in ("1", "true", "yes", "on")


def _test_failed(request: pytest.FixtureRequest) -> bool:
    reports = request.node.stash.get(_PHASE_REPORTS, {})
    return any(r.failed for r in reports.values())


# =========================================================================== golden


class GoldenFixture:
    """What ``moviekit_golden`` gives a test: call it with a movie.

    ``moviekit_golden(movie)`` checks ``<golden dir>/<module>/<test>.json``;
    ``moviekit_golden(movie, name="outro")`` checks ``<test>.outro.json`` (for
    several movies in one test).
    """

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request
        self._config = request.config
        self.update: bool = _update_requested(request.config)
        """True when this run writes golden files instead of comparing."""
        self._used: set[Path] = set()

    def path_for(self, name: str | None = None) -> Path:
        """The golden file a call with this ``name`` uses."""
        node = self._request.node
        test_file = Path(str(node.path))
        folder = Path(str(self._config.getini(GOLDEN_DIR_INI) or "golden"))
        if not folder.is_absolute():
            folder = test_file.parent / folder
        # Parametrized ids ("test_x[hd-2]") and class tests become safe file names.
        cls = getattr(node, "cls", None)  # None for module-level tests (and non-Python items)
        stem = _safe(node.name if cls is None else f"{cls.__name__}.{node.name}")
        if name:
            stem += "." + _safe(name)
        return folder / test_file.stem / f"{stem}.json"

    def __call__(self, movie: Any, *, name: str | None = None) -> GoldenResult:
        """Check ``movie`` against its golden file (or write it, in update mode)."""
        __tracebackhide__ = True
        from moviekit.testing._golden import assert_golden

        path = self.path_for(name)
        if path in self._used:
            raise ValueError(
                f"this test already checked {path.name}; give each movie its own "
                "name: moviekit_golden(movie, name='...')"
            )
        self._used.add(path)
        result = assert_golden(
            movie,
            path,
            update=self.update,
            update_hint=f"run pytest with {UPDATE_OPTION} (or {UPDATE_ENV}=1)",
        )
        if result.outcome != "matched":
            shown = os.path.relpath(path, self._config.rootpath)
            self._config.stash[_WRITTEN].append((result.outcome, shown))
        return result

    def __repr__(self) -> str:
        return f"GoldenFixture(update={self.update})"


def _safe(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_") or "golden"


@pytest.fixture
def moviekit_golden(request: pytest.FixtureRequest) -> GoldenFixture:
    """Compare movies with golden files: ``moviekit_golden(movie)``."""
    return GoldenFixture(request)


# =========================================================================== fake server


#: FakeJSON2Video's clock runs this many times faster than real time in the fixture:
#: a default job (1 s queued, 4 s rendering) finishes in 0.05 s, and code under test
#: that builds its own Client with a real sleep still sees jobs progress.
FIXTURE_SPEED = 100.0


@pytest.fixture
def moviekit_fake_server(request: pytest.FixtureRequest) -> Iterator[CheckedFakeJSON2Video]:
    """A running fake JSON2Video service; errors at teardown if the script was not followed."""
    from moviekit.testing._checked_server import CheckedFakeJSON2Video

    options: dict[str, Any] = {"speed": FIXTURE_SPEED}
    for marker in reversed(list(request.node.iter_markers(SERVER_MARKER))):
        if marker.args:
            raise TypeError(f"@pytest.mark.{SERVER_MARKER} takes keyword arguments only")
        options.update(marker.kwargs)  # the closest marker (the test's own) wins
    assert_all_expected = bool(options.pop("assert_all_expected", True))
    assert_all_used = bool(options.pop("assert_all_used", True))

    server = CheckedFakeJSON2Video(**options)
    with server:
        yield server
    # After the test: its own failure is the story, so only a passing test is checked
    # (as pytest_httpx does); listing unused responses then would only add noise.
    if _test_failed(request):
        return
    report = server.problems(
        assert_all_expected=assert_all_expected, assert_all_used=assert_all_used
    )
    if report:
        pytest.fail(report, pytrace=False)


def _client_options(server: CheckedFakeJSON2Video) -> dict[str, Any]:
    """What both client fixtures are made with: the server, fast polls, quick retries."""
    from moviekit.transport._polling import PollPolicy, RetryPolicy

    return {
        "api_key": server.api_key,
        "base_url": server.base_url,
        "poll_policy": PollPolicy.for_local_testing(),
        # Same retry rules as production, with delays cut so a scripted 503 costs
        # milliseconds; no jitter, so the request sequence is the same on every run.
        "retry_policy": RetryPolicy(base=0.01, cap=0.05, jitter=0.0, retry_after_cap=0.1),
        "timeout": (2.0, 10.0),
    }


@pytest.fixture
def moviekit_client(moviekit_fake_server: CheckedFakeJSON2Video) -> Iterator[Client]:
    """A :class:`~moviekit.Client` for ``moviekit_fake_server``: fast polls, quick retries."""
    from moviekit.transport._client import Client

    with Client(**_client_options(moviekit_fake_server)) as client:
        yield client


@pytest.fixture
async def moviekit_async_client(
    moviekit_fake_server: CheckedFakeJSON2Video,
) -> AsyncIterator[AsyncClient]:
    """An :class:`~moviekit.AsyncClient` for ``moviekit_fake_server`` (tests marked anyio)."""
    from moviekit.transport._aclient import AsyncClient

    async with AsyncClient(**_client_options(moviekit_fake_server)) as client:
        yield client
