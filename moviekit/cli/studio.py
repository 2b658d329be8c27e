"""``moviekit studio SCRIPT``: a page that shows the movie while you write it.

Serves on 127.0.0.1 only; the first line on stdout is the page's address
(``studio: http://127.0.0.1:N/``), so scripts and editors can read it. Needs
the ``preview`` and ``studio`` extras (``pip install "moviekit-json2video[studio]"``).
"""

from __future__ import annotations

import shutil
import tempfile
import webbrowser
from pathlib import Path

import typer

from moviekit._errors import MoviekitError
from moviekit.cli._app import app, err, fail, out


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
    paths are read next to the script. Ctrl-C stops it.
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
    try:
        from moviekit.preview._ffmpeg import ffmpeg_exe
        from moviekit.studio._server import StudioServer
        from moviekit.studio._session import Studio
        from moviekit.studio._watch import Watcher

        ffmpeg_exe()  # the first thing said when the preview extra is missing
        workdir = Path(tempfile.mkdtemp(prefix="moviekit-studio-"))
        session = Studio(
            path, name=name, rows=rows, key=key, row=row, workdir=workdir, quality=quality
        )
        watcher = Watcher(lambda changed: session.rebuild())
    except MoviekitError as exc:
        fail(str(exc))
    try:
        server = StudioServer(session, port)
    except OSError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        fail(f"cannot serve on 127.0.0.1:{port}: {exc.strerror} (pick another with --port)")
    session.on_watch = watcher.follow
    watcher.follow(session.watched)
    out.file.write(f"studio: {server.url}\n")
    out.file.flush()
    err.print(f"watching {path.name} and its media; Ctrl-C stops", markup=False)
    watcher.start()
    session.start()
    if not no_open:
        webbrowser.open(server.url)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        session.stop()
        watcher.stop()
        server.server_close()
        shutil.rmtree(workdir, ignore_errors=True)


__all__ = ["studio"]
