"""``moviekit render | status | download | delete | upload``: talk to the service.

The key comes from ``JSON2VIDEO_API_KEY`` only (an option would land in shell
history) and is never printed. Without a key, ``render`` makes a local draft
instead (``moviekit.cli.preview``) and says so; ``--local`` / ``--service``
choose explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from moviekit.cli._app import CLIError, app, err, out, print_json, progress_bar
from moviekit.cli._load import load_movie
from moviekit.cli.preview import media_root
from moviekit.service._src import map_local_sources

if TYPE_CHECKING:  # pragma: no cover
    from moviekit.transport._client import Client
    from moviekit.transport._models import MovieStatus


def _default_base_url() -> str:
    from moviekit.transport._client import DEFAULT_BASE_URL

    return DEFAULT_BASE_URL


BASE_URL_OPTION = typer.Option(
    default_factory=_default_base_url,
    show_default=False,
    envvar="JSON2VIDEO_BASE_URL",
    help="API base URL (default: the JSON2Video API).",
)


MAX_CREDITS_OPTION = typer.Option(
    None,
    "--max-credits",
    min=0,
    help="Refuse, sending nothing, when the estimate is above this many credits.",
)


def service_client(base_url: str) -> Client:
    """A client for the service, or one line saying how to get a key (before any request)."""
    from moviekit._errors import ClientConfigError
    from moviekit.transport._client import API_KEY_ENV, Client

    if not os.environ.get(API_KEY_ENV):
        raise CLIError(
            f"no API key: set {API_KEY_ENV} to your JSON2Video API key (from the dashboard), "
            "or run `moviekit fake-server` for an offline loop with no account"
        )
    try:
        return Client(base_url=base_url)
    except ClientConfigError as exc:
        raise CLIError(f"--base-url (JSON2VIDEO_BASE_URL): {exc}", 2) from exc


def _show(status: MovieStatus) -> None:
    progress = f" {status.progress:.0f}%" if status.progress is not None else ""
    err.print(f"{status.project}: {status.status}{progress}")


@app.command()
def render(
    source: str = typer.Argument(..., help="A script (script.py[:name]) or a JSON file."),
    output: Path | None = typer.Option(  # noqa: B008
        None, "--output", "-o", help="Write the MP4 here (service: download it)."
    ),
    no_wait: bool = typer.Option(False, "--no-wait", help="Submit and print the project id."),
    local: bool | None = typer.Option(
        None,
        "--local/--service",
        help="Render a local draft with ffmpeg, or on JSON2Video. Default: the service when "
        "JSON2VIDEO_API_KEY is set, else a local draft.",
    ),
    quality: str | None = typer.Option(
        None, "--quality", help="Local drafts: low, medium or high (default: the movie's)."
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Local drafts: render every scene afresh."
    ),
    max_credits: float | None = MAX_CREDITS_OPTION,
    base_url: str = BASE_URL_OPTION,
) -> None:
    """Render a movie: on JSON2Video with an API key, else as a local draft MP4 (no credits).

    Service: submit, wait, print the URL (and download it with -o). Local: print
    the draft's path and what it approximates; relative media paths are read
    next to the script (or JSON file).
    """
    from moviekit.transport._client import API_KEY_ENV

    has_key = bool(os.environ.get(API_KEY_ENV))
    if local or (local is None and not has_key):
        from moviekit.cli.preview import render_local

        if no_wait:
            raise CLIError(
                "--no-wait applies to service renders; a local draft is rendered at once", 2
            )
        if quality not in (None, "low", "medium", "high"):
            raise CLIError(f"--quality must be low, medium or high, not {quality!r}", 2)
        reason = (
            "rendering a local draft with ffmpeg (--local): no credits used"
            if local
            else f"no API key ({API_KEY_ENV} is not set): rendering a local draft with ffmpeg "
            "instead, no credits used (set the key, or pass --service, to render on JSON2Video)"
        )
        render_local(source, output, reason=reason, quality=quality, no_cache=no_cache)
        return
    client = service_client(base_url)
    movie = load_movie(source)
    doc = movie.to_dict()
    # relative paths are read next to the script (or JSON file), as the draft reads them
    root = media_root(source)
    here = map_local_sources(doc, lambda path: str(root / os.path.expanduser(path)))
    job = client.submit(movie if here == doc else here, max_credits=max_credits)
    err.print(f"submitted project {job.project_id}")
    if no_wait:
        out.file.write(job.project_id + "\n")
        return
    with progress_bar() as bar:
        task = bar.add_task(f"{job.project_id}: submitted", total=100)

        def show(status: MovieStatus) -> None:
            bar.update(
                task,
                description=f"{status.project}: {status.status}",
                completed=status.progress or 0,
            )

        result = job.wait(on_progress=show)
    err.print(f"{result.project_id}: done")
    out.file.write(result.url + "\n")
    if output is not None:
        err.print(f"saved {result.download(output)}")


@app.command()
def status(
    project_id: str = typer.Argument(..., help="The 16-character project id."),
    wait: bool = typer.Option(False, "--wait", help="Wait until the render ends."),
    base_url: str = BASE_URL_OPTION,
) -> None:
    """Print a project's status as JSON."""
    client = service_client(base_url)
    job = client.job(project_id)
    current = job.wait(on_progress=_show).status if wait else client.get(project_id)
    print_json(current.model_dump(by_alias=True, exclude_none=True))


@app.command()
def download(
    project_id: str = typer.Argument(..., help="The 16-character project id."),
    output: Path = typer.Option(Path("."), "--output", "-o", help="File or directory."),  # noqa: B008
    base_url: str = BASE_URL_OPTION,
) -> None:
    """Download a finished render."""
    from moviekit.transport._client import Render

    client = service_client(base_url)
    current = client.get(project_id)
    if current.status != "done" or not current.url:
        raise CLIError(f"project {project_id} is {current.status}; nothing to download")
    out.file.write(f"{Render(current, client).download(output)}\n")


@app.command()
def delete(
    project_id: str = typer.Argument(..., help="The 16-character project id."),
    base_url: str = BASE_URL_OPTION,
) -> None:
    """Delete a project's rendered video on the service (its history row stays; idempotent)."""
    result = service_client(base_url).delete(project_id)
    print_json(result.model_dump(by_alias=True, exclude_none=True))


@app.command()
def upload(
    path: Path = typer.Argument(..., help="A local file (500 MB at most)."),  # noqa: B008
    folder: str = typer.Option("", "--folder", help="Media folder."),
    base_url: str = BASE_URL_OPTION,
) -> None:
    """Upload a file to the account's media storage; print its URL."""
    stored = service_client(base_url).media.upload(path, folder=folder)
    out.file.write(f"{stored.url}\n")


__all__ = [
    "BASE_URL_OPTION",
    "MAX_CREDITS_OPTION",
    "delete",
    "download",
    "render",
    "service_client",
    "status",
    "upload",
]
