"""The fake service's templates: ``/v2/templates`` and movies made from a saved template.

The fake replaces ``{{name}}`` placeholders itself, with its own small
substitution (:func:`substitute`), on purpose: it stands in for the service,
which does this server-side, so it must not share the client's template code
it is meant to check.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from typing import Any

from moviekit.testing._fake_base import JSONDict, ServiceState, TemplateRecord, fail, random_id

__all__ = ["TemplateEndpoints", "substitute"]

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}")


def substitute(value: Any, variables: Mapping[str, Any]) -> Any:
    """Replace ``{{name}}`` placeholders; a string that is only one keeps the value's type.

    The fake's own, on purpose (see the module docs): it plays the service.
    """
    if isinstance(value, dict):
        return {k: substitute(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, variables) for v in value]
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value.strip())
        if whole and whole[1] in variables:
            return variables[whole[1]]
        return _PLACEHOLDER.sub(
            lambda m: str(variables[m[1]]) if m[1] in variables else m[0], value
        )
    return value


class TemplateEndpoints(ServiceState):
    """The template routes of ``FakeJSON2Video`` (a mixin over its state)."""

    def add_template(
        self,
        movie: Mapping[str, Any],
        *,
        name: str = "Template",
        tags: tuple[str, ...] = (),
        template_id: str | None = None,
    ) -> str:
        """Store a template (a Movie JSON with ``{{placeholders}}``); return its 20-char id."""
        tid = template_id or random_id(20)
        now = self._iso()
        with self._lock:
            self._templates[tid] = TemplateRecord(
                tid, name, copy.deepcopy(dict(movie)), list(tags), now, now
            )
        return tid

    def _expand_template(self, body: JSONDict) -> JSONDict:
        tid = body["template"]
        with self._lock:
            tpl = self._templates.get(tid) if isinstance(tid, str) else None
        if tpl is None:
            raise fail(404, "Template not found")
        given = body.get("variables")
        variables = {
            **tpl.movie.get("variables", {}),
            **(given if isinstance(given, dict) else {}),
        }
        movie = substitute(copy.deepcopy(tpl.movie), variables)
        for key, value in body.items():
            if key not in ("template", "variables", "scenes", "elements"):
                movie[key] = value
        movie["variables"] = variables
        return dict(movie)

    # ------------------------------------------------------------ templates
    def _templates_get(self, q: Mapping[str, str]) -> JSONDict:
        with self._lock:
            tid = q.get("id")
            if tid is not None:
                t = self._templates.get(tid)
                if t is None:
                    raise fail(400, f"Template {tid} not found")
                return {
                    "success": True,
                    "timestamp": self._iso(),
                    "template": {
                        "id": t.id,
                        "name": t.name,
                        "tags": t.tags,
                        "movie": json.dumps(t.movie),
                        "created_at": t.created_at,
                        "updated_at": t.updated_at,
                        "owner": True,
                        "prompt": False,
                    },
                }
            tag = q.get("tag")
            items = [t for t in self._templates.values() if tag is None or tag in t.tags]
            items.sort(key=lambda t: t.updated_at, reverse=True)
            return {
                "success": True,
                "count": len(items),
                "templates": [
                    {
                        "id": t.id,
                        "name": t.name,
                        "tags": t.tags,
                        "created_at": t.created_at,
                        "updated_at": t.updated_at,
                    }
                    for t in items
                ],
            }

    def _templates_post(self, q: Mapping[str, str], body: JSONDict, role: str) -> JSONDict:
        """Create, update (``?id=``) or duplicate (``?id=&action=duplicate``) a template.

        As documented at .../api-endpoints/templates-create: ``name`` (up to 100
        characters) is required to create; ``tags`` a string or an array;
        ``movie`` an object or a JSON string; a copy's variables are merged into
        its movie's and its default name is the original's + `` (custom)``.
        """
        if role == "render":
            raise fail(403, "Insufficient permissions")
        if not body and q.get("action") != "duplicate":
            raise fail(400, "No payload provided")
        tags = body.get("tags", [])
        if isinstance(tags, str):
            tags = [tags]
        if not isinstance(tags, list):
            raise fail(400, "Tags must be a string or an array")
        movie = body.get("movie")
        if isinstance(movie, str):
            try:
                movie = json.loads(movie)
            except (ValueError, RecursionError):
                movie = None
        if "movie" in body and not isinstance(movie, dict):
            raise fail(400, "Payload movie must be a JSON string or JSON object")
        tid = q.get("id")
        if tid is None:
            name = body.get("name")
            if not isinstance(name, str) or not name or len(name) > 100:
                raise fail(400, "name is required (at most 100 characters)")
            tid = self.add_template(movie or {}, name=name, tags=tuple(map(str, tags)))
            return {"success": True, "templateId": tid, "id": tid, "timestamp": self._iso()}
        with self._lock:
            t = self._templates.get(tid)
            if t is None:
                raise fail(400, f"Template {tid} not found")
            if q.get("action") == "duplicate":
                duplicated = copy.deepcopy(t.movie)
                extra = body.get("variables")
                if isinstance(extra, dict):
                    duplicated["variables"] = {**duplicated.get("variables", {}), **extra}
                name = body.get("name") or f"{t.name} (custom)"
                new = self.add_template(duplicated, name=str(name), tags=tuple(t.tags))
                return {"success": True, "templateId": new, "name": name, "timestamp": self._iso()}
            if "name" in body:
                t.name = str(body["name"])
            if movie is not None:
                t.movie = movie
            if "tags" in body:
                t.tags = list(map(str, tags))
            t.updated_at = self._iso()
        return {"success": True, "templateId": tid, "timestamp": self._iso()}

    def _templates_delete(self, q: Mapping[str, str], role: str) -> JSONDict:
        if role == "render":
            raise fail(403, "Insufficient permissions")
        tid = q.get("id")
        if not tid:
            raise fail(400, "No template ID provided")
        with self._lock:
            if self._templates.pop(tid, None) is None:
                raise fail(400, f"Template {tid} not found")
        return {"success": True, "timestamp": self._iso()}
