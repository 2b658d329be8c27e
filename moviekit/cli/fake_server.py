"""``moviekit fake-server``: the whole service loop offline, on this machine.

Starts :class:`~moviekit.testing.FakeJSON2Video` on 127.0.0.1, prints the three
settings a shell can ``export`` (``JSON2VIDEO_BASE_URL=...``,
``JSON2VIDEO_API_KEY=...`` and ``JSON2VIDEO_POLL_INTERVAL=...``, on stdout, one
per line) and serves until stopped (Ctrl-C or SIGTERM). Every ``moviekit``
command and every ``moviekit.Client()`` of that shell then talks to it: no
account, no credits, and no 5 s wait between status checks (that floor is the
real service's). The key printed is the fake's own, not a JSON2Video key.
"""

from __future__ import annotations

import re
import signal
import time
from types import FrameType

import typer

from moviekit.cli._app import app, err, fail, out
from moviekit.testing._fake_server import FakeJSON2Video, Fault
from moviekit.transport._config import API_KEY_ENV, BASE_URL_ENV, POLL_INTERVAL_ENV

#: seconds between status checks the printed settings ask for: the fake is on this machine
FAKE_POLL_INTERVAL = 0.2

_FAULT = re.compile(
    r"(?P<kind>\d{3}|drop|malformed|late|slow=(?P<seconds>[0-9.]+))"
    r"(?:x(?P<times>\d+))?(?:@(?P<method>[A-Za-z]+):(?P<path>/\S*))?"
)


def parse_fault(spec: str) -> tuple[Fault, str | None, str | None]:
    """``KIND[xTIMES][@METHOD:PATH]`` -> the fault and where it applies.

    KIND is an HTTP status (``503``; ``429`` says Retry-After: 1), ``drop``,
    ``malformed``, ``late`` or ``slow=SECONDS``.
    """
    match = _FAULT.fullmatch(spec.strip())
    if match is None:
        raise ValueError(
            f"--fault takes KIND[xTIMES][@METHOD:PATH] (e.g. 503x2@GET:/v2/movies, drop, "
            f"slow=3, late@GET:/v2/movies), got {spec!r}"
        )
    times = int(match["times"] or 1)
    kind = match["kind"]
    if kind.isdigit():
        code = int(kind)
        fault = (
            Fault.rate_limit(1.0, times=times) if code == 429 else Fault.status(code, times=times)
        )
    elif kind.startswith("slow="):
        fault = Fault.slow(float(match["seconds"]), times=times)
    else:
        fault = {"drop": Fault.drop, "malformed": Fault.malformed, "late": Fault.late}[kind](
            times=times
        )
    method = match["method"].upper() if match["method"] else None
    return fault, method, match["path"]


@app.command("fake-server")
def fake_server(
    port: int = typer.Option(0, "--port", "-p", help="Port on 127.0.0.1 (0: a free one)."),
    speed: float = typer.Option(
        1.0, "--speed", help="Server seconds per real second (10: a 4 s render takes 0.4 s)."
    ),
    queue_seconds: float = typer.Option(1.0, "--queue-seconds", help="Seconds a job is pending."),
    render_seconds: float = typer.Option(4.0, "--render-seconds", help="Seconds a job is running."),
    credits: float = typer.Option(600.0, "--credits", help="Credits on the fake account."),
    renders: str = typer.Option(
        "auto",
        "--renders",
        help="Files delivered: draft (the local preview of the movie), tiny (a grey MP4 of "
        "the right length and size) or auto (draft when the preview extra is installed).",
    ),
    failure_rate: float = typer.Option(
        0.0, "--failure-rate", help="Chance (0..1) that an API request is answered 503."
    ),
    fault: list[str] = typer.Option(
        [],
        "--fault",
        metavar="KIND[xN][@METHOD:PATH]",
        help="A scripted fault (repeat): 503x2@GET:/v2/movies, 429, drop@POST:/v2/movies, "
        "malformed, slow=3, late@GET:/v2/movies.",
    ),
    api_key: str | None = typer.Option(
        None, "--api-key", help="The key the fake accepts (default: a random one)."
    ),
) -> None:
    """Run a local JSON2Video-compatible service until stopped; print the settings to export."""
    if renders not in ("auto", "draft", "tiny"):
        fail(f"--renders must be auto, draft or tiny, not {renders!r}", 2)
    if speed <= 0:
        fail(f"--speed must be > 0, got {speed:g}", 2)
    try:
        faults = [parse_fault(spec) for spec in fault]
        server = FakeJSON2Video(
            api_key=api_key,
            speed=speed,
            queue_seconds=queue_seconds,
            render_seconds=render_seconds,
            credits=credits,
            renders=renders,  # type: ignore[arg-type]  # checked above
            failure_rate=failure_rate,
            port=port,
        )
    except ValueError as exc:
        fail(str(exc), 2)
    for scripted, method, path in faults:
        server.inject(scripted, method=method, path=path)
    try:
        server.start()
    except OSError as exc:
        fail(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}")
    # Only a plain list: the handler runs in the main thread between two bytecodes, maybe
    # while that thread holds a lock (an Event's), which the handler must then not take.
    stopping: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.append(signum)

    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        out.file.write(
            f"{BASE_URL_ENV}={server.base_url}\n{API_KEY_ENV}={server.api_key}\n"
            f"{POLL_INTERVAL_ENV}={FAKE_POLL_INTERVAL:g}\n"
        )
        out.file.flush()
        err.print(
            f"fake JSON2Video service on {server.origin} (x{speed:g} speed, renders: {renders}); "
            "Ctrl-C to stop",
            markup=False,
        )
        while not stopping:
            time.sleep(0.2)  # a signal ends the sleep early
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
    err.print(f"stopped; {len(server.requests)} request(s) served", markup=False)


__all__ = ["fake_server", "parse_fault"]
