"""``moviekit fake-server``: fault specs, a real subprocess, and the README's offline loop."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.readme import ROOT, blocks, section
from typer.testing import CliRunner

from moviekit import Client, Movie, Scene, Text
from moviekit.cli import app
from moviekit.cli.fake_server import parse_fault
from moviekit.testing import Fault


@pytest.mark.parametrize(
    ("spec", "fault", "method", "path"),
    [
        ("503", Fault.status(503), None, None),
        ("500x3@get:/v2/movies", Fault.status(500, times=3), "GET", "/v2/movies"),
        ("429", Fault.rate_limit(1.0), None, None),
        ("drop@POST:/v2/movies", Fault.drop(), "POST", "/v2/movies"),
        ("malformedx2", Fault.malformed(times=2), None, None),
        ("slow=2.5", Fault.slow(2.5), None, None),
        ("late@GET:/v2/movies", Fault.late(), "GET", "/v2/movies"),
    ],
)
def test_fault_specs(spec: str, fault: Fault, method: str | None, path: str | None) -> None:
    assert parse_fault(spec) == (fault, method, path)


@pytest.mark.parametrize("spec", ["", "boom", "50", "503@movies", "slow=", "drop@GET"])
def test_bad_fault_specs_are_misuse(spec: str) -> None:
    with pytest.raises(ValueError, match="KIND"):
        parse_fault(spec)
    result = CliRunner().invoke(app, ["fake-server", "--fault", spec])
    assert result.exit_code == 2 and "--fault takes" in result.output


class FakeServerProcess:
    """``moviekit fake-server ARGS`` in a subprocess; ``env`` holds the lines it printed."""

    def __init__(self, args: list[str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moviekit", "fake-server", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        lines = [self.process.stdout.readline().strip() for _ in range(3)]
        self.env = dict(line.split("=", 1) for line in lines)

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGTERM)
        _, stderr = self.process.communicate(timeout=20)
        return self.process.returncode, stderr


@pytest.fixture
def fake_process() -> Iterator[FakeServerProcess]:
    server = FakeServerProcess(["--port", "0", "--speed", "50", "--renders", "tiny"])
    yield server
    if server.process.poll() is None:
        server.process.kill()
        server.process.wait()


def test_prints_settings_to_export_and_stops_cleanly(fake_process: FakeServerProcess) -> None:
    env = fake_process.env
    assert set(env) == {"JSON2VIDEO_BASE_URL", "JSON2VIDEO_API_KEY", "JSON2VIDEO_POLL_INTERVAL"}
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v2", env["JSON2VIDEO_BASE_URL"])
    assert env["JSON2VIDEO_POLL_INTERVAL"] == "0.2"
    code, stderr = fake_process.stop()
    assert code == 0 and "stopped" in stderr and "Traceback" not in stderr


def test_a_client_from_the_environment_renders_against_it(
    fake_process: FakeServerProcess, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name, value in fake_process.env.items():
        monkeypatch.setenv(name, value)
    client = Client()  # no arguments: the variables the fake printed
    movie = Movie(resolution="hd").add(Scene(duration=2).add(Text("offline")))
    path = client.submit(movie).wait().download(tmp_path)
    assert path.read_bytes()[4:8] == b"ftyp" and path.stat().st_size > 1000


def test_the_readme_walkthrough_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every line of the README's offline-loop block, in order, as a shell would run it."""
    (lang, code, line), python = [b for b in blocks(section("## The whole loop offline"))][:2]
    assert lang == "bash" and python[0] == "python"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cookbook").symlink_to(ROOT / "cookbook")
    variables: dict[str, str] = {}
    server: FakeServerProcess | None = None
    runner = CliRunner()
    try:
        for command in code.splitlines():
            command = command.split("  #", 1)[0].strip()
            if command.startswith("moviekit fake-server"):
                args = shlex.split(command.split(">", 1)[0])[2:]
                args[args.index("--port") + 1] = "0"  # any free port: tests run side by side
                server = FakeServerProcess([*args, "--renders", "tiny"])
            elif command.startswith("sleep 1 && export"):
                assert server is not None
                for name, value in server.env.items():
                    monkeypatch.setenv(name, value)
            elif command == "kill %1":
                assert server is not None
                assert server.stop()[0] == 0
            else:
                target, _, command = command.rpartition("=$(")
                command = command.rstrip(")") if target else command
                args = [
                    variables.get(w[1:], w) if w.startswith("$") else w
                    for w in shlex.split(command)
                ]
                assert args[0] == "moviekit", f"README.md:{line}: unexpected line {command!r}"
                result = runner.invoke(app, args[1:])
                assert result.exit_code == 0, f"README.md:{line}: {command!r}:\n{result.output}"
                if target:
                    variables[target] = result.stdout.strip()
            if command.startswith("moviekit status"):
                exec(compile(python[1], "README.md", "exec"), {"__name__": "__readme__"})
    finally:
        if server is not None and server.process.poll() is None:
            server.process.kill()
    project = variables["ID"]
    assert (tmp_path / "hello.mp4").read_bytes()[4:8] == b"ftyp"
    assert (tmp_path / f"{project}.mp4").is_file()
    assert os.environ["JSON2VIDEO_API_KEY"].startswith("fake-")
