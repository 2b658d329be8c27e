"""``moviekit templates``: saved templates as files a team keeps in git and reviews.

- ``templates`` / ``templates list [--tag T]``  the account's templates
- ``templates show ID``                         a template's movie (Movie JSON)
- ``templates pull ID -o FILE``                 the template as a file: id, name, tags, movie
- ``templates push FILE [--save-id]``           update the template the file names (or create it)
- ``templates diff FILE [ID]``                  what differs, by JSON path (exit 1 when anything)
- ``templates duplicate ID [--name N]``, ``templates delete ID``

A template file is plain, stable JSON (``pull`` writes it; review its diff in
git like code)::

    {"id": "...20 characters...", "name": "Promo", "tags": ["sales"], "movie": {...}}

``push`` validates the movie first (errors stop it; nothing is sent) and says
what changed on the service, path by path, with the golden-file differ.
Files are written whole (a temporary file renamed into place), only where
asked. The key comes from ``JSON2VIDEO_API_KEY`` only and is never printed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from moviekit.cli._app import CLIError, app, err, out, print_json, print_warning, printable
from moviekit.cli.render import BASE_URL_OPTION, service_client
from moviekit.service._catalog import TEMPLATE_ID_LENGTH

if TYPE_CHECKING:  # pragma: no cover
    from typer._click import Context as ClickContext

    from moviekit.transport._models import Template


class _TemplatesGroup(TyperGroup):
    """``moviekit templates ID`` (the older form) still shows a template: as ``show ID``."""

    def resolve_command(self, ctx: ClickContext, args: list[str]) -> Any:
        first = args[0] if args else ""
        if first not in self.commands and len(first) == TEMPLATE_ID_LENGTH and first.isalnum():
            args = ["show", *args]
        return super().resolve_command(ctx, args)


templates_app = typer.Typer(
    name="templates",
    cls=_TemplatesGroup,
    help="Saved templates as files: list, show, pull, push, diff, duplicate, delete.",
    invoke_without_command=True,
)

#: The keys of a template file, in the order ``pull`` writes them.
FILE_KEYS = ("id", "name", "tags", "movie")


@templates_app.callback()
def _default(
    ctx: typer.Context,
    tag: str | None = typer.Option(None, "--tag", help="Only templates with this tag."),
    base_url: str = BASE_URL_OPTION,
) -> None:
    """Saved templates as files (no command: list them)."""
    if ctx.invoked_subcommand is None:
        _list(tag, base_url)


@templates_app.command("list")
def list_(
    tag: str | None = typer.Option(None, "--tag", help="Only templates with this tag."),
    base_url: str = BASE_URL_OPTION,
) -> None:
    """List the account's templates: id, name, tags."""
    _list(tag, base_url)


def _list(tag: str | None, base_url: str) -> None:
    for t in service_client(base_url).templates.list(tag=tag):
        out.print(printable(f"{t.id}  {t.name}  {','.join(t.tags)}"))


@templates_app.command()
def show(
    template_id: str = typer.Argument(..., help="The 20-character template id."),
    base_url: str = BASE_URL_OPTION,
) -> None:
    """Print a template's movie (Movie JSON with its {{placeholders}})."""
    print_json(service_client(base_url).templates.get(template_id).movie)


@templates_app.command()
def pull(
    template_id: str = typer.Argument(..., help="The 20-character template id."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here, not stdout."),  # noqa: B008
    base_url: str = BASE_URL_OPTION,
) -> None:
    """Save a template as a file (id, name, tags, movie) to keep in git."""
    data = as_file(service_client(base_url).templates.get(template_id))
    if output is None:
        print_json(data)
        return
    write_file(output, data)
    err.print(printable(f"wrote {output}"))


@templates_app.command()
def push(
    file: Path = typer.Argument(..., help="A template file (from `templates pull`)."),  # noqa: B008
    save_id: bool = typer.Option(
        False, "--save-id", help="Write the new template's id into FILE when one is created."
    ),
    base_url: str = BASE_URL_OPTION,
) -> None:
    """Update the template FILE names by its id, or create it; print what changed."""
    data = read_file(file)
    _check_movie(data["movie"], file)
    templates = service_client(base_url).templates
    template_id = data.get("id")
    if template_id:
        before = as_file(templates.get(template_id))
        templates.update(template_id, name=data["name"], movie=data["movie"], tags=data["tags"])
        changes = _differences(before, {**before, **data})
        err.print(printable(f"updated {template_id}: {len(changes)} change(s)"))
        for line in changes:
            out.print(printable(line))
        return
    saved = templates.create(data["name"], data["movie"], tags=data["tags"])
    out.file.write(saved.template_id + "\n")
    if save_id:
        write_file(file, {"id": saved.template_id, **{k: data[k] for k in FILE_KEYS[1:]}})
        err.print(printable(f"created {saved.template_id}; its id is now in {file}"))
    else:
        err.print(
            printable(
                f'created {saved.template_id}; add "id": "{saved.template_id}" to {file} '
                "(or push with --save-id) so the next push updates it"
            )
        )


@templates_app.command()
def diff(
    file: Path = typer.Argument(..., help="A template file."),  # noqa: B008
    template_id: str | None = typer.Argument(
        None, help="The template to compare with (default: the file's id)."
    ),
    base_url: str = BASE_URL_OPTION,
) -> None:
    """Show what differs between FILE and the service's template, by JSON path; exit 1 if any."""
    data = read_file(file)
    template_id = template_id or data.get("id")
    if not template_id:
        raise CLIError(f"{file} has no id: name the template to compare with (diff FILE ID)", 2)
    remote = as_file(service_client(base_url).templates.get(template_id))
    changes = _differences(remote, {**data, "id": remote["id"]})
    if not changes:
        err.print(printable(f"{file} matches template {template_id}"))
        return
    out.print(printable(f"{len(changes)} difference(s) (template {template_id} != {file}):"))
    for line in changes:
        out.print(printable(line))
    raise typer.Exit(1)


@templates_app.command()
def duplicate(
    template_id: str = typer.Argument(..., help="The template to copy."),
    name: str | None = typer.Option(None, "--name", help="The copy's name."),
    base_url: str = BASE_URL_OPTION,
) -> None:
    """Copy a template; print the copy's id."""
    out.file.write(
        service_client(base_url).templates.duplicate(template_id, name=name).template_id + "\n"
    )


@templates_app.command()
def delete(
    template_id: str = typer.Argument(..., help="The template to delete."),
    base_url: str = BASE_URL_OPTION,
) -> None:
    """Delete a template."""
    service_client(base_url).templates.delete(template_id)
    err.print(printable(f"deleted {template_id}"))


# ------------------------------------------------------------------ the file format


def as_file(template: Template) -> dict[str, Any]:
    """A template as its file's data."""
    return {"id": template.id, "name": template.name, "tags": list(template.tags),
            "movie": template.movie or {}}  # fmt: skip


def read_file(path: Path) -> dict[str, Any]:
    """A template file's data, checked: a one-line error naming the file and key otherwise."""
    from moviekit.cli._load import read_json

    data = read_json(path)
    if not isinstance(data, dict):
        raise CLIError("a template file is a JSON object (id, name, tags, movie)", source=str(path))
    unknown = sorted(set(data) - set(FILE_KEYS))
    if unknown:
        raise CLIError(
            f"unknown key(s) {', '.join(unknown)}; a template file has {', '.join(FILE_KEYS)}",
            source=str(path),
        )
    if not isinstance(data.get("movie"), dict):
        raise CLIError("movie: a template file needs its movie (a JSON object)", source=str(path))
    name = data.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        raise CLIError("name: a template's name has 1 to 100 characters", source=str(path))
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise CLIError("tags: a list of strings", source=str(path))
    template_id = data.get("id")
    if template_id is not None and not (isinstance(template_id, str) and template_id.isalnum()):
        raise CLIError("id: the template's id (letters and digits), or no id", source=str(path))
    return {"id": template_id, "name": name, "tags": tags, "movie": data["movie"]}


def write_file(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as stable JSON, whole (a temporary file beside it, renamed into place)."""
    text = json.dumps({k: data[k] for k in FILE_KEYS if k in data}, indent=2, ensure_ascii=False)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text + "\n", encoding="utf-8", errors="backslashreplace")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _differences(remote: dict[str, Any], local: dict[str, Any]) -> list[str]:
    from moviekit.testing import golden_diff

    return [f"  {d}" for d in golden_diff(remote, local)]


def _check_movie(movie: dict[str, Any], file: Path) -> None:
    """Errors stop a push before anything is sent; warnings are shown."""
    from moviekit._errors import invalid_movie_line
    from moviekit.validation._validate import validate

    report = validate(movie)
    if not report.ok:
        raise CLIError(invalid_movie_line(report, str(file)), source=str(file))
    for problem in report.warnings:
        print_warning(f"{file}: {problem}")


app.add_typer(templates_app)

__all__ = ["as_file", "read_file", "templates_app", "write_file"]
