"""What the server tells agents: its instructions and the "make a movie from this brief" prompt.

Both steer one way: read the contract, write Movie JSON, ``validate`` until it
is clean, ``timeline`` and ``estimate_credits``, look at a free local draft,
and only then ``render`` with a budget.
"""

from __future__ import annotations

from typing import Any

__all__ = ["INSTRUCTIONS", "make_movie_messages"]

INSTRUCTIONS = """\
moviekit checks and previews JSON2Video Movie JSON before any credit is spent.
Work in this order: read the resource moviekit://reference/properties.md; write the Movie JSON;
call validate and fix every error (each has a path and a hint) until it is valid; call timeline
(and estimate_credits) to check lengths and cost, passing natural lengths you know; look at
frame, storyboard or render_draft (local, free); only then call render with a max_credits budget,
and poll status with the project id it returns. Errors are one line: what is wrong, where, and
how to fix it."""

_STEPS = """\
Steps (use the moviekit tools; do not skip one):
1. Read the resource moviekit://reference/properties.md (the schema is moviekit://schema/movie.schema.json).
2. Write the Movie JSON: "resolution": "{resolution}", "scenes" played one after another, each with
   its "elements" (every element has a "type": text, image, video, audio, voice, html, component,
   audiogram; subtitles only in the movie-level "elements"). Use public https:// URLs for media.
   Give elements whose end you refer to an "id"; times are seconds.
3. Call validate; fix every error at the path it names (the hint says how) and call it again until
   it says valid. Read the warnings too.
4. Call timeline: check each scene's length and the total. "≥" marks a lower bound that depends on
   a natural length (a voice-over, a remote clip); pass lengths you know to make it exact.
5. Call estimate_credits{budget_step}
6. Look before paying: frame at a few moments, or storyboard; render_draft for the whole draft.
   Fix what looks wrong and go back to step 3.
7. Call render with max_credits{budget_arg}; it refuses, sending nothing, when the estimate is
   higher. Then call status with the project id until it is done, and give the video's url."""


def make_movie_messages(
    brief: str, *, max_credits: str = "", resolution: str = "full-hd"
) -> list[dict[str, Any]]:
    """The prompt's messages: the brief, then the steps from contract to render."""
    budget = max_credits.strip()
    steps = _STEPS.format(
        resolution=resolution.strip() or "full-hd",
        budget_step=f": the budget is {budget} credits; shorten the movie if it is over."
        if budget
        else ": tell the user the cost and ask for a budget before rendering.",
        budget_arg=f"={budget}" if budget else " set to the budget the user agreed",
    )
    text = f"Make a JSON2Video movie from this brief:\n\n{brief.strip()}\n\n{steps}"
    return [{"role": "user", "content": text}]
