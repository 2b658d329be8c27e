"""Saved templates (``client.templates``): every endpoint the service documents, as procedures.

Each method cites the page that documents its endpoint (answers are typed:
:class:`~moviekit.TemplateSummary`, :class:`~moviekit.Template`, ``TemplateSaved``):

- list, get: ``GET /v2/templates`` (``tag``), ``GET /v2/templates?id=``
  https://json2video.com/docs/v2/reference/api-endpoints/templates-list
- create, update, duplicate: ``POST /v2/templates`` (``?id=``, ``&action=duplicate``)
  https://json2video.com/docs/v2/reference/api-endpoints/templates-create
- delete: ``DELETE /v2/templates?id=``
  https://json2video.com/docs/v2/reference/api-endpoints/templates-delete
- render: ``POST /v2/movies`` with ``template`` and ``variables``
  https://json2video.com/docs/v2/reference/api-endpoints/movies-create and
  https://json2video.com/docs/v2/tutorials/11-templates

Creating and duplicating are not idempotent (each call is a new template):
when their answer is lost they are not sent again (the error says so), since
nothing identifies the template a lost answer created. Updating and deleting
are resent like reads.

Before a template is rendered, its variables are checked locally against its
movie (:func:`variable_problems`): a name the template does not use, or a
placeholder with no default and no value, stops the submit before anything is
sent, with the JSON path ``variables.<name>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from moviekit._errors import MalformedResponseError, MovieValidationError
from moviekit._problems import Problem, ValidationReport, short_json
from moviekit.service._placeholders import names_in_document
from moviekit.transport._budget import check_budget, estimate_movie, template_movie
from moviekit.transport._exchange import JSONObject, Request, json_reader, model_reader
from moviekit.transport._models import (
    Template,
    TemplateDeleted,
    TemplateSaved,
    TemplateSummary,
    parse,
)
from moviekit.transport._movies import Settings
from moviekit.transport._ops import Call, Op

__all__ = ["TemplateOps", "template_body", "template_payload", "variable_problems"]


def variable_problems(movie: Mapping[str, Any], variables: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with ``variables`` for a template whose movie is ``movie``.

    Errors: a variable the movie neither uses nor declares (a typo the service
    would ignore), and a ``{{placeholder}}`` without a default in the movie's
    ``variables`` and without a value (the service would render it as is).
    """
    defaults = movie.get("variables")
    declared = set(defaults) if isinstance(defaults, Mapping) else set()
    used = names_in_document(movie)
    known = sorted(used | declared)
    problems: list[Problem] = []
    for name in variables:
        if name not in used and name not in declared:
            problems.append(
                Problem(
                    f"variables.{name}",
                    "unknown-variable",
                    f"the template has no variable {name!r}; the service would ignore it",
                    hint=f"the template's variables: {', '.join(known) or '(none)'}",
                    value=short_json(variables[name]),
                )
            )
    for name in sorted(used - declared - set(variables)):
        problems.append(
            Problem(
                f"variables.{name}",
                "missing-variable",
                f"the template uses {{{{{name}}}}} and has no default for it",
                hint=f"pass a value: variables={{{name!r}: ...}}",
            )
        )
    return problems


def template_payload(
    template_id: str, variables: Mapping[str, Any] | None, overrides: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The body of ``POST /v2/movies`` that renders a saved template.

    Docs: https://json2video.com/docs/v2/reference/api-endpoints/movies-create and
    https://json2video.com/docs/v2/tutorials/11-templates
    """
    return {**(overrides or {}), "template": template_id, "variables": dict(variables or {})}


def template_body(
    *,
    name: str | None = None,
    movie: Mapping[str, Any] | None = None,
    tags: Iterable[str] | None = None,
    prompt: str | None = None,
) -> dict[str, Any]:
    """The body of a template create or update (only the fields given)."""
    body: dict[str, Any] = {}
    if name is not None:
        if not name or len(name) > 100:
            raise MovieValidationError(
                ValidationReport(
                    errors=(
                        Problem(
                            "name",
                            "template-name",
                            f"a template name has 1 to 100 characters, got {len(name)}",
                            hint="shorten the name",
                        ),
                    )
                )
            )
        body["name"] = name
    if movie is not None:
        body["movie"] = dict(movie)
    if tags is not None:
        body["tags"] = list(tags)
    if prompt is not None:
        body["prompt"] = prompt
    return body


class TemplateOps:
    """Templates: list, get, create, update, duplicate, delete, and the render check."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _request(self, method: str, **fields: Any) -> Request:
        return Request(method, self.settings.url("/templates"), **fields)

    def list(self, *, tag: str | None = None) -> Op[list[TemplateSummary]]:
        """Every template (the service does not paginate), newest first.

        Docs: https://json2video.com/docs/v2/reference/api-endpoints/templates-list
        """

        def summaries(body: JSONObject) -> list[TemplateSummary]:
            items = body.get("templates")
            if not isinstance(items, list):
                raise MalformedResponseError("the template list has no 'templates' array")
            return [parse(TemplateSummary, item, what="template") for item in items]

        request = self._request("GET", params={"tag": tag} if tag else None)
        return self.settings.send(Call(request, json_reader(summaries)))

    def get(self, template_id: str) -> Op[Template]:
        """One template with its movie (``.movie`` dict, ``.to_movie()`` builders).

        Docs: https://json2video.com/docs/v2/reference/api-endpoints/templates-list
        """
        request = self._request("GET", params={"id": template_id})
        return self.settings.send(
            Call(request, model_reader(Template, key="template", what="template"))
        )

    def create(
        self,
        name: str,
        movie: Mapping[str, Any],
        *,
        tags: Iterable[str] = (),
        prompt: str | None = None,
    ) -> Op[TemplateSaved]:
        """Save a new template (``name`` up to 100 characters; the movie up to ~100 KB).

        Not resent when its answer is lost (it would make a second template).
        Docs: https://json2video.com/docs/v2/reference/api-endpoints/templates-create
        """
        body = template_body(name=name, movie=movie, tags=tags, prompt=prompt)
        request = self._request("POST", json_body=body)
        read = model_reader(TemplateSaved, what="template create answer")
        return self.settings.send(Call(request, read, resend_safe=False))

    def update(
        self,
        template_id: str,
        *,
        name: str | None = None,
        movie: Mapping[str, Any] | None = None,
        tags: Iterable[str] | None = None,
        prompt: str | None = None,
    ) -> Op[TemplateSaved]:
        """Change a template: only the fields given are sent.

        Docs: https://json2video.com/docs/v2/reference/api-endpoints/templates-create
        """
        body = template_body(name=name, movie=movie, tags=tags, prompt=prompt)
        request = self._request("POST", params={"id": template_id}, json_body=body)
        return self.settings.send(
            Call(request, model_reader(TemplateSaved, what="template update answer"))
        )

    def duplicate(
        self,
        template_id: str,
        *,
        name: str | None = None,
        variables: Mapping[str, Any] | None = None,
    ) -> Op[TemplateSaved]:
        """Copy a template; ``variables`` are deep-merged into the copy's defaults.

        The service names the copy ``<name> (custom)`` unless ``name`` is given.
        Not resent when its answer is lost (it would make a second copy).
        Docs: https://json2video.com/docs/v2/reference/api-endpoints/templates-create
        """
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if variables is not None:
            body["variables"] = dict(variables)
        params = {"id": template_id, "action": "duplicate"}
        request = self._request("POST", params=params, json_body=body)
        read = model_reader(TemplateSaved, what="template duplicate answer")
        return self.settings.send(Call(request, read, resend_safe=False))

    def delete(self, template_id: str) -> Op[TemplateDeleted]:
        """Delete a template.

        Docs: https://json2video.com/docs/v2/reference/api-endpoints/templates-delete
        """
        request = self._request("DELETE", params={"id": template_id})
        return self.settings.send(
            Call(request, model_reader(TemplateDeleted, what="template delete answer"))
        )

    def render_payload(
        self,
        template_id: str,
        variables: Mapping[str, Any] | None,
        overrides: Mapping[str, Any] | None,
        *,
        check: bool = True,
        max_credits: float | None = None,
    ) -> Op[JSONObject]:
        """The ``POST /v2/movies`` body that renders a template, checked before anything is sent.

        With ``check``, reads the template (free) and raises
        :class:`~moviekit.MovieValidationError` (paths ``variables.<name>``)
        for an unknown or missing variable; with ``max_credits``, estimates the
        render from the saved movie and these variables and raises
        :class:`~moviekit.BudgetExceededError` when it is over.
        """
        body = template_payload(template_id, variables, overrides)
        if not check and max_credits is None:
            return body
        template = yield from self.get(template_id)
        if template.movie is None:
            raise MalformedResponseError(f"template {template_id} came without its movie")
        if check:
            problems = variable_problems(template.movie, variables or {})
            if problems:
                raise MovieValidationError(ValidationReport(errors=tuple(problems)))
        if max_credits is not None:
            movie = template_movie(template.movie, body)
            check_budget(estimate_movie(None, movie), max_credits)
        return body
