"""``moviekit render | status | download | upload | templates``: talk to the service.

The key comes from ``JSON2VIDEO_API_KEY`` only (an option would land in shell
history) and is never printed.
"""

from __future__ import annotations

from pathlib import Path

import typer

from moviekit._cli._app import app, err, friendly_errors, load_movie, out, print_json
from moviekit._client import DEFAULT_BASE_URL, Client
from moviekit._models import MovieStatus

_BASE_URL = typer.Option(
    DEFAULT_BASE_URL,
    "--base-url",
    envvar="JSON2VIDEO_BASE_URL",
    help="API base URL (env JSON2VIDEO_BASE_URL).",
)


def _client(base_url: str) -> Client:
    return Client(base_url=base_url)


def _show(status: MovieStatus) -> None:
    progress = f" {status.progress:.0f}%" if status.progress is not None else ""
    err.print(f"{status.project}: {status.status}{progress}", markup=False)


@app.command()
def render(
    source: str = typer.Argument(..., help="A script (script.py[:name]) or a JSON file."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Download the MP4 here."),  # noqa: B008
    no_wait: bool = typer.Option(False, "--no-wait", help="Submit and print the project id."),
    base_url: str = _BASE_URL,
) -> None:
    """Submit a movie, wait for the render, print its URL (and download it)."""
    with friendly_errors():
        client = _client(base_url)
        job = client.submit(load_movie(source))
        err.print(f"submitted project {job.project_id}", markup=False)
        if no_wait:
            out.file.write(job.project_id + "\n")
            return
        result = job.wait(on_progress=_show)
        out.file.write(result.url + "\n")
        if output is not None:
            err.print(f"saved {result.download(output)}", markup=False)


@app.command()
def status(
    project_id: str = typer.Argument(..., help="The 16-character project id."),
    wait: bool = typer.Option(False, "--wait", help="Wait until the render ends."),
    base_url: str = _BASE_URL,
) -> None:
    """Print a project's status as JSON."""
    with friendly_errors():
        client = _client(base_url)
        current = (
            client.job(project_id).wait(on_progress=_show).status
            if wait
            else (client.get(project_id))
        )
        print_json(current.model_dump(by_alias=True, exclude_none=True))


@app.command()
def download(
    project_id: str = typer.Argument(..., help="The 16-character project id."),
    output: Path = typer.Option(Path("."), "--output", "-o", help="File or directory."),  # noqa: B008
    base_url: str = _BASE_URL,
) -> None:
    """Download a finished render."""
    with friendly_errors():
        client = _client(base_url)
        current = client.get(project_id)
        if current.status != "done" or not current.url:
            err.print(
                f"project {project_id} is {current.status}; nothing to download", markup=False
            )
            raise typer.Exit(1)
        from moviekit._client import Render

        out.file.write(f"{Render(current, client).download(output)}\n")


@app.command()
def upload(
    path: Path = typer.Argument(..., help="A local file (500 MB at most)."),  # noqa: B008
    folder: str = typer.Option("", "--folder", help="Media folder."),
    base_url: str = _BASE_URL,
) -> None:
    """Upload a file to the account's media storage; print its URL."""
    with friendly_errors():
        stored = _client(base_url).media.upload(path, folder=folder)
        out.file.write(f"{stored.url}\n")


@app.command()
def templates(
    template_id: str | None = typer.Argument(None, help="Show this template's movie JSON."),
    tag: str | None = typer.Option(None, "--tag", help="Only templates with this tag."),
    base_url: str = _BASE_URL,
) -> None:
    """List templates, or print one template's movie."""
    with friendly_errors():
        client = _client(base_url)
        if template_id:
            print_json(client.templates.get(template_id).movie)
            return
        for t in client.templates.list(tag=tag):
            out.print(f"{t.id}  {t.name}  {','.join(t.tags)}", markup=False)


__all__ = ["download", "render", "status", "templates", "upload"]
