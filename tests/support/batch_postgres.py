"""A throwaway PostgreSQL server for the shared-ledger tests (and the batch benchmark).

It runs the server binaries installed on the machine (Debian's ``postgresql``
package: ``/usr/lib/postgresql/<version>/bin``): a new cluster in a temporary
folder (``initdb``), one ``postgres`` process on a free loopback port with its
socket in that folder, removed when stopped. The server refuses to run as
root, so as root the cluster belongs to ``nobody`` and both programs run as
that user. ``fsync`` is off: the tests kill workers, never the server.

:func:`unavailable` says why no server can be had here (``None`` when one can);
the tests skip with that reason.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

USER = "moviekit"  # the cluster's superuser (trust authentication on loopback only)


def bin_dir() -> Path | None:
    """The newest installed server's binaries, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/postgres"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(found[-1]).parent if found else None


def unavailable() -> str | None:
    """Why no PostgreSQL server can be started here, or None when one can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'moviekit-json2video[postgresql]')"
    if bin_dir() is None:
        return "no PostgreSQL server binaries (Debian's postgresql package; .ci/run installs it)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("nobody")
        except KeyError:
            return "running as root and there is no unprivileged user 'nobody' to run the server"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One throwaway cluster: ``start()``, ``database()`` per test, ``stop()`` removes it."""

    def __init__(self) -> None:
        found = bin_dir()
        assert found is not None, unavailable()
        self.bin = found
        self.root = Path(tempfile.mkdtemp(prefix="moviekit-pg-"))
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._user: dict[str, Any] = {}
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.root, nobody.pw_uid, nobody.pw_gid)
            self._user = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
        self._databases = 0

    def _run(self, *args: str) -> None:
        subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            cwd=self.root,
            **self._user,
        )

    def start(self, timeout: float = 60.0) -> PostgresServer:
        data = self.root / "data"
        self._run("initdb", "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "-N")
        log = open(self.root / "server.log", "ab")  # noqa: SIM115 - the server's, until stop()
        for _ in range(5):  # another process may take the free port first
            self.port = _free_port()
            self.process = subprocess.Popen(
                [
                    str(self.bin / "postgres"),
                    "-D",
                    str(data),
                    "-p",
                    str(self.port),
                    "-k",
                    str(self.root),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "fsync=off",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "max_connections=200",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.root,
                **self._user,
            )
            if self._wait_ready(timeout):
                log.close()
                return self
        log.close()
        self.stop()
        raise RuntimeError(f"the PostgreSQL server did not start: {self.log()}")

    def _wait_ready(self, timeout: float) -> bool:
        import psycopg

        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return True
            except psycopg.OperationalError:
                time.sleep(0.1)
        return False

    def log(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def url(self, database: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        """A new, empty database on the server; its URL."""
        import psycopg

        self._databases += 1
        name = f"batch_{self._databases}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                # SIGQUIT: immediate shutdown, no checkpoint (the cluster is removed next;
                # a fast shutdown spent seconds writing what is deleted right after)
                self.process.send_signal(signal.SIGQUIT)
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def postgres_server() -> Any:
    """A started :class:`PostgresServer`, stopped and removed afterwards."""
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()
