"""Root conftest: registers the transport fixtures (server, client, clock)."""

pytest_plugins = ["transport_support"]
