"""Root conftest: pytester, the transport fixtures (server, client, clock), moviekit's plugin.

When moviekit is installed (CI, ``pip install -e``), pytest loads the plugin
through its ``pytest11`` entry point. Run from a bare checkout
(``PYTHONPATH=. pytest``) there is no entry point, so it is registered here;
registering it both ways would be an error ("Plugin already registered").

The suite runs in a random order (pytest-randomly, from the test extras) and
passes on parallel workers (``-n 2``, pytest-xdist): no test may lean on
another's imports, files, working directory or module state. The seed is
printed at the end of every run, ``-q`` included, so a failing order can be
repeated with ``--randomly-seed=N`` (``-p no:randomly`` runs in file order).
"""

from __future__ import annotations

import contextlib
from importlib.metadata import entry_points

import hypothesis
import pytest

# pytester's in-process runs remove the modules first imported during them. Were the async
# HTTP stack first imported there, later tests would hold two copies of its exception classes
# (the client's `except` matching one, httpx2 raising the other): import it once, up front.
with contextlib.suppress(ImportError):
    import httpcore2  # noqa: F401
    import httpx2  # noqa: F401

# For the same reason, moviekit's public names (imported on first use, see moviekit._lazy) are
# all imported here: one pytester run must not leave `moviekit.Client` a class that a later
# `from moviekit.transport._client import Client` no longer is. tests/package checks, in fresh
# processes, that `import moviekit` itself stays light.
import moviekit  # noqa: E402

for _name in moviekit.__all__:
    getattr(moviekit, _name)

# Property tests without settings of their own draw 50 examples (hypothesis's default is 100):
# the suite must stay within minutes on two cores, and CI runs it on every change, so each test
# still meets thousands of examples a week. No deadline: shared machines stall at random.
hypothesis.settings.register_profile("suite", max_examples=50, deadline=None)
hypothesis.settings.load_profile("suite")

_PLUGIN = "moviekit.testing._plugin"
_INSTALLED = any(ep.value == _PLUGIN for ep in entry_points(group="pytest11"))

pytest_plugins = ["pytester", "support.transport"] + ([] if _INSTALLED else [_PLUGIN])


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Print the random-order seed even under ``-q`` (pytest-randomly shows it in the header)."""
    if config.pluginmanager.hasplugin("randomly"):
        seed = config.getoption("randomly_seed", None)
        if isinstance(seed, int):
            terminalreporter.write_line(
                f"random order: seed {seed} (pytest --randomly-seed={seed} repeats it)"
            )


@pytest.fixture(autouse=True)
def _no_service_settings_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts without the shell's JSON2VIDEO_* settings (a key, a fake's address).

    A developer who exported ``moviekit fake-server``'s settings must get the same results
    as CI; a test that needs one sets it itself (subprocesses inherit the cleaned environment).
    """
    for name in ("JSON2VIDEO_API_KEY", "JSON2VIDEO_BASE_URL", "JSON2VIDEO_POLL_INTERVAL"):
        monkeypatch.delenv(name, raising=False)
