"""The rules of the movie as a whole: scenes present, a size some plan renders, exports.

Each rule's severity and evidence are in :mod:`moviekit.service._rules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from moviekit._problems import short_json
from moviekit.service._catalog import SIZE_LIMITS, TEMPLATE_ID_LENGTH
from moviekit.service._objects import DESTINATION_FIELDS
from moviekit.validation._findings import MOVIE, Findings, Pos, label

__all__ = ["exports", "movie_rules"]


def movie_rules(f: Findings, doc: Mapping[str, Any], templated: bool) -> None:
    """The rules of the movie object as a whole: scenes, size, template."""
    pos = (MOVIE, 0, 0, 0)
    for key in ("scenes", "elements"):
        value = doc.get(key)
        if key in doc and not isinstance(value, list):
            f.add(
                pos,
                key,
                "not-a-list",
                f"'{key}' must be a list, got {short_json(value)}",
                f"give a list of {key}",
                short_json(value),
            )
    scenes, overlay = doc.get("scenes"), doc.get("elements")
    if templated:
        if scenes or overlay:
            f.add(
                pos,
                "scenes" if scenes else "elements",
                "template-with-scenes",
                "the movie renders a saved template: the service ignores these",
                "remove them, or drop 'template' to render them",
            )
    elif "scenes" not in doc:
        f.add(
            pos,
            "scenes",
            "missing-scenes",
            "'scenes' is required for the movie",
            "add at least one Scene, or render a saved template with Movie.from_template(id)",
        )
    elif scenes == [] and not overlay:
        f.add(
            pos,
            "scenes",
            "no-scenes",
            "the movie has no scenes and no elements: it has no "
            "length (the errors page: 'Movie duration cannot be zero')",
            "add a Scene",
        )
    size_rules(f, doc, pos)
    template = doc.get("template")
    if isinstance(template, str) and "{{" not in template and len(template) != TEMPLATE_ID_LENGTH:
        f.add(
            pos,
            "template",
            "template-id-length",
            f"a template id has {TEMPLATE_ID_LENGTH} characters; this one has {len(template)}",
            "copy the id from the dashboard or `moviekit templates`",
            short_json(template),
        )


def size_rules(f: Findings, doc: Mapping[str, Any], pos: Pos) -> None:
    """Custom sizes, sizes a preset ignores, and sizes no plan renders."""
    resolution = doc.get("resolution", "custom")
    sized = [k for k in ("width", "height") if k in doc]
    if "resolution" in doc and resolution == "custom" and len(sized) < 2:
        f.add(
            pos,
            "resolution",
            "custom-resolution-size",
            "resolution 'custom' without width and height renders 640x360",
            "set Movie(width=..., height=...) or pick a preset such as 'full-hd'",
        )
    elif (
        resolution != "custom" and sized and isinstance(resolution, str) and "{{" not in resolution
    ):
        f.add(
            pos,
            sized[0],
            "size-ignored",
            f"width/height are ignored with resolution {resolution!r}",
            "use resolution='custom' to set your own size",
        )
    if resolution != "custom":
        return
    for key in sized:
        value = doc[key]
        if type(value) in (int, float) and value > SIZE_LIMITS[1]:
            f.drop(key, "range")  # the plan limit says more than "outside the range"
            f.add(
                pos,
                key,
                "plan-limit",
                f"{short_json(value)} pixels is larger than any plan renders "
                f"({SIZE_LIMITS[1]} at most): the service answers 'Movie is larger than your "
                "plan allowance'",
                f"use at most {SIZE_LIMITS[1]}",
                short_json(value),
            )


def exports(f: Findings, exports: list[Any], path: str, pos: Pos) -> None:
    """One export, with destinations; each destination complete without a connection."""
    if len(exports) > 1:
        f.add(
            pos,
            f"{path}[1]",
            "export-count",
            f"the service takes one export; got {len(exports)}",
            "put every destination in one export: movie.export_to(dest1, dest2, ...)",
        )
    for i, export in enumerate(exports):
        dests = export.get("destinations") if isinstance(export, Mapping) else None
        if dests == []:
            f.add(
                pos,
                f"{path}[{i}].destinations",
                "empty-destinations",
                "no destinations: nothing is delivered",
                "add a Webhook, FTP or Email",
            )
        for j, dest in enumerate(dests if isinstance(dests, list) else ()):
            if isinstance(dest, Mapping):
                destination(f, dest, f"{path}[{i}].destinations[{j}]", pos)


def destination(f: Findings, dest: Mapping[str, Any], path: str, pos: Pos) -> None:
    kind = dest.get("type")
    if "id" not in dest:
        needed = ("type",) if not isinstance(kind, str) else DESTINATION_FIELDS.get(kind, ())
        for field in needed:
            if field not in dest:
                f.add(
                    pos,
                    f"{path}.{field}",
                    "required",
                    f"'{field}' is required for "
                    f"{label(kind) + ' destination' if isinstance(kind, str) else 'a destination'} "
                    "without a connection id",
                    f"set '{field}', or use Connection(id)",
                )
    endpoint = dest.get("endpoint")
    plain = isinstance(endpoint, str) and "{{" not in endpoint
    if kind == "webhook" and plain and not str(endpoint).lower().startswith("https://"):
        f.add(
            pos,
            f"{path}.endpoint",
            "webhook-not-https",
            "webhook endpoints must be public HTTPS URLs",
            "use https://",
            short_json(endpoint),
        )
