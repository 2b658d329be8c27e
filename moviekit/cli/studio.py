"""``moviekit studio SCRIPT``: a page that shows the movie while you write it.

Serves on 127.0.0.1 only; the first line on stdout is the page's address
(``studio: http://127.0.0.1:N/``), so scripts and editors can read it. Needs
the ``preview`` and ``studio`` extras (``pip install "moviekit-json2video[studio]"``).

Ctrl-C (SIGINT) stops it at any moment, with exit code 0: a render in progress
is cancelled (its ffmpeg processes killed), the threads end and the work folder
is removed. See :class:`_CtrlC` for why the signal is caught rather than left
to raise ``KeyboardInterrupt`` wherever the main thread happens to be.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from types import FrameType, TracebackType
from typing import TYPE_CHECKING

import typer

from moviekit._errors import MoviekitError
from moviekit.cli._app import app, err, fail, out

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.studio._server import StudioServer
    from moviekit.studio._session import Studio
    from moviekit.studio._watch import Watcher


class _CtrlC:
    """SIGINT in the studio: a flag while it starts and stops, an interrupt while it serves.

    Left to itself, Python raises ``KeyboardInterrupt`` wherever the main thread
    is: before the ``try`` that would stop the threads just started, inside
    ``Thread.start``, halfway through the clean-up. Then the worker's render
    goes on (its ffmpeg processes were not signalled: only the studio was) and
    the work folder stays. So the handler only notes the press while the studio
    starts and stops, and raises only while it serves, where the main thread
    waits in ``select`` and the clean-up comes next. A second press is noted,
    not raised: the clean-up is short and must finish.
    """

    def __init__(self) -> None:
        self.pressed = False
        self.raising = False
        self._installed = False
        self._previous: Callable[[int, FrameType | None], object] | int = signal.SIG_DFL

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.pressed = True
        if self.raising:
            self.raising = False
            raise KeyboardInterrupt

    def __enter__(self) -> _CtrlC:
        if threading.current_thread() is threading.main_thread():  # where handlers live
            previous = signal.signal(signal.SIGINT, self._on_signal)
            self._previous = signal.SIG_DFL if previous is None else previous
            self._installed = True
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)

    def serve(self, server: StudioServer, browse: bool) -> None:
        """Open a browser if asked, then serve until Ctrl-C (no time at all if it came already)."""
        try:
            self.raising = True
            if not self.pressed:
                if browse:
                    webbrowser.open(server.url)
                server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            self.raising = False


@app.command()
def studio(
    source: str = typer.Argument(..., help="A script (script.py[:name]) or a JSON file."),
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port (0: any free one)."),
    no_open: bool = typer.Option(False, "--no-open", help="Do not open a browser."),
    rows: Path | None = typer.Option(  # noqa: B008
        None, "--rows", help="Rows (.csv/.json/.jsonl) for a template script: a row picker."
    ),
    key: str | None = typer.Option(None, "--key", "-k", help="Column that names a row."),
    row: int = typer.Option(0, "--row", min=0, help="The row to draft first."),
    quality: str | None = typer.Option(
        None, "--quality", help="Drafts: low, medium or high (default: the movie's)."
    ),
) -> None:
    """Serve a page with the draft, timeline, storyboard, problems and cost; re-render on save.

    Watches the script and the local media it uses; on a change only the scenes
    that changed render again, and the open page updates itself. Relative media
    paths are read next to the script. Ctrl-C stops it (exit code 0), at any moment.
    """
    from moviekit.studio._load import split_source

    path, name = split_source(source)
    if not path.is_file():
        fail(f"no such file: {path}", code=2)
    if path.suffix not in (".py", ".json"):
        fail(f"expected a .py script or a .json file, got {path.name}", code=2)
    if rows is not None and not rows.is_file():
        fail(f"no such file: {rows}", code=2)
    if quality not in (None, "low", "medium", "high"):
        fail(f"--quality must be low, medium or high, not {quality!r}", code=2)
    with _CtrlC() as ctrl_c:
        session: Studio | None = None
        watcher: Watcher | None = None
        server: StudioServer | None = None
        workdir = Path(tempfile.mkdtemp(prefix="moviekit-studio-"))
        try:
            try:
                from moviekit.preview._ffmpeg import ffmpeg_exe
                from moviekit.studio._server import StudioServer
                from moviekit.studio._session import Studio
                from moviekit.studio._watch import Watcher

                ffmpeg_exe()  # the first thing said when the preview extra is missing
                session = Studio(
                    path, name=name, rows=rows, key=key, row=row, workdir=workdir, quality=quality
                )
                rebuild = session.rebuild
                watcher = Watcher(lambda changed: rebuild())
            except MoviekitError as exc:
                fail(str(exc))
            try:
                server = StudioServer(session, port)
            except OSError as exc:
                fail(f"cannot serve on 127.0.0.1:{port}: {exc.strerror} (pick another with --port)")
            session.on_watch = watcher.follow
            watcher.follow(session.watched)
            out.file.write(f"studio: {server.url}\n")
            out.file.flush()
            err.print(f"watching {path.name} and its media; Ctrl-C stops", markup=False)
            if not ctrl_c.pressed:  # else there is nothing to start only to stop it
                watcher.start()
                session.start()
            ctrl_c.serve(server, browse=not no_open)
        finally:
            if session is not None:
                session.stop()
            if watcher is not None:
                watcher.stop()
            if server is not None:
                server.server_close()
            shutil.rmtree(workdir, ignore_errors=True)


__all__ = ["studio"]
