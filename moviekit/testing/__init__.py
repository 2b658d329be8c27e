"""Test helpers for code that uses moviekit: a local JSON2Video-compatible server.

``FakeJSON2Video`` runs on 127.0.0.1 over real sockets; see its docstring.
"""

from moviekit.testing._fake_server import FakeClock, FakeJSON2Video, Fault, RecordedRequest

__all__ = ["FakeClock", "FakeJSON2Video", "Fault", "RecordedRequest"]
