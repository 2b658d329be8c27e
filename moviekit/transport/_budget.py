"""``max_credits``: refuse a render whose estimate is above the budget, before anything is sent.

One check for every way to render: ``Client.render`` / ``submit`` (and the
async ones), ``templates.render`` / ``submit``, ``Batch(max_credits=...)``,
``moviekit render --max-credits``. The estimate is the one estimate
(:meth:`moviekit.Timeline.estimate`); a lower bound ("at least N") over the
budget refuses too, since the real cost can only be higher.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from moviekit._errors import BudgetExceededError, BuildError
from moviekit.builders._movie import Movie
from moviekit.timing._estimate import CreditEstimate
from moviekit.timing._timeline import Timeline

__all__ = ["check_budget", "estimate_movie", "template_movie"]


def estimate_movie(
    source: Movie | Mapping[str, Any] | None, payload: Mapping[str, Any]
) -> CreditEstimate:
    """The estimate of a render of ``payload`` (a moviekit ``source`` gives its length hints).

    A saved template's body has no scenes: its cost comes from its saved movie
    (``client.templates.render(..., max_credits=...)`` reads it).
    """
    if "template" in payload:
        raise BuildError(
            "this body renders a saved template, whose movie is on the service: give "
            "max_credits to client.templates.render(...) or .submit(...), which read it first",
            path="template",
        )
    if isinstance(source, Movie):
        return source.timeline().estimate()
    return Timeline.from_dict(payload).estimate()


def template_movie(saved: Mapping[str, Any], body: Mapping[str, Any]) -> dict[str, Any]:
    """The movie a render of a template ``body`` makes: ``saved`` with the body's values on top.

    As the service does: the body's ``variables`` over the template's own, and
    the body's other top-level properties (``resolution``...) over the movie's.
    """
    movie = dict(saved)
    for key, value in body.items():
        if key not in ("template", "variables", "scenes", "elements"):
            movie[key] = value
    own, given = saved.get("variables"), body.get("variables")
    movie["variables"] = {
        **(own if isinstance(own, Mapping) else {}),
        **(given if isinstance(given, Mapping) else {}),
    }
    return movie


def check_budget(
    estimate: CreditEstimate, max_credits: float | None, *, path: str = "max_credits"
) -> None:
    """Raise :class:`~moviekit.BudgetExceededError` when ``estimate`` is over ``max_credits``."""
    if max_credits is None:
        return
    number = isinstance(max_credits, (int, float)) and not isinstance(max_credits, bool)
    if not (number and math.isfinite(max_credits) and max_credits >= 0):
        raise BuildError(
            f"max_credits must be a number of credits >= 0, got {max_credits!r}",
            path="max_credits",
        )
    if estimate.over(max_credits):
        unknown = f"; it depends on {estimate.depends_on[0]}" if estimate.depends_on else ""
        raise BudgetExceededError(
            f"{path}: the estimate is {estimate.text}, over max_credits={max_credits:g}{unknown}; "
            "nothing was sent (shorten the movie, lower its resolution or AI use, or raise "
            "max_credits)",
            estimate=estimate,
            max_credits=max_credits,
            path=path,
        )
