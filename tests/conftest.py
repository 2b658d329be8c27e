"""Root conftest: pytester, the transport fixtures (server, client, clock), moviekit's plugin.

When moviekit is installed (CI, ``pip install -e``), pytest loads the plugin
through its ``pytest11`` entry point. Run from a bare checkout
(``PYTHONPATH=. pytest``) there is no entry point, so it is registered here;
registering it both ways would be an error ("Plugin already registered").
"""

from importlib.metadata import entry_points

_PLUGIN = "moviekit.testing._plugin"
_INSTALLED = any(ep.value == _PLUGIN for ep in entry_points(group="pytest11"))

pytest_plugins = ["pytester", "support.transport"] + ([] if _INSTALLED else [_PLUGIN])
