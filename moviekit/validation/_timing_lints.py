"""What the timing engine can tell without rendering: hidden, cut and too-short movies.

Only facts certain from the document count: an unknown natural length never
triggers a lint. The engine costs far more than a walk, so it runs only for
movies where a lint could fire: a scene with an explicit duration that an
element may outlast, or a movie that may be shorter than a second
(:func:`_needs_timing`); a long movie of well-fitted scenes never pays for it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeGuard

from moviekit._problems import Problem
from moviekit.service._catalog import MIN_MOVIE_SECONDS
from moviekit.service._rules import RULES
from moviekit.timing._engine import resolve_document

__all__ = ["timing_problems"]

Pos = tuple[int, int, int, int]
_LATE = 1_000_000
#: element types whose natural length only the service knows (text animations are short)
_NATURAL = frozenset(("video", "audio", "voice"))


def _number(value: Any) -> TypeGuard[float]:
    return (type(value) is int or type(value) is float) and -1e300 < value < 1e300


def _needs_timing(doc: Mapping[str, Any]) -> bool:
    """Could a timing lint fire? A cheap superset of the cases :func:`timing_problems` reports."""
    scenes = doc.get("scenes")
    if not isinstance(scenes, list) or "template" in doc or "templateId" in doc:
        return False
    long_enough = False
    for scene in scenes:
        if type(scene) is not dict:
            continue
        limit = scene.get("duration")
        elements = scene.get("elements")
        if not isinstance(elements, list):
            elements = ()
        if _number(limit) and limit > 0:
            long_enough = long_enough or limit >= MIN_MOVIE_SECONDS
            for element in elements:
                if (type(element) is dict or isinstance(element, Mapping)) and _may_outlast(
                    element, limit
                ):
                    return True
        elif not long_enough:
            long_enough = any(
                (type(e) is dict or isinstance(e, Mapping)) and _sets_length(e) for e in elements
            )
    if long_enough:
        return False
    overlay = doc.get("elements")
    return not (
        isinstance(overlay, list)
        and any((type(e) is dict or isinstance(e, Mapping)) and _sets_length(e) for e in overlay)
    )


def _may_outlast(element: Mapping[str, Any], limit: float) -> bool:
    start, duration = element.get("start", 0), element.get("duration")
    extra = element.get("extra-time", 0)
    if start == -1 or not _number(start) or start >= limit:
        return True
    if _number(extra) and extra > 0:
        return True
    return _number(duration) and duration > 0 and start + duration > limit


def _sets_length(element: Mapping[str, Any]) -> bool:
    """The element makes its container last a second, or a length only the service knows."""
    duration = element.get("duration")
    if _number(duration) and duration > 0:
        start = element.get("start", 0)
        return _number(start) and start + duration >= MIN_MOVIE_SECONDS
    kind = element.get("type")
    return type(kind) is str and kind in _NATURAL and (duration is None or duration == -1)


def timing_problems(doc: Mapping[str, Any], *, gated: bool = True) -> Iterator[tuple[Pos, Problem]]:
    """The timing lints of ``doc`` (reference §5), with their positions in the document.

    ``gated=False`` runs the engine even where the gate says no lint can fire
    (the tests use it to prove the gate hides nothing).
    """
    if gated and not _needs_timing(doc):
        return
    if not isinstance(doc.get("scenes"), list) or "template" in doc or "templateId" in doc:
        return
    timing = resolve_document(doc)
    for scene in timing.scenes:
        declared = scene.props.get("duration")
        if not scene.explicit or not scene.length.exact:
            continue
        if declared is not None and not (_number(declared) and declared > 0):
            continue  # an invalid duration is explained by the walk; it hides nothing
        limit = scene.length.lo
        for record in scene.elements:
            if not record.resolved:
                continue
            pos = (1, scene.index, record.index, _LATE)
            if record.start.lo >= limit:
                yield (
                    pos,
                    _problem(
                        record.path,
                        "starts-after-scene-end",
                        f"starts at {record.start.lo:g} s, at or after the end of its scene "
                        f"({limit:g} s): it is never shown",
                        "start it earlier, lengthen the scene, or move it to the next scene",
                        record.type,
                    ),
                )
            elif record.end.lo > limit + 1e-9:
                yield (
                    pos,
                    _problem(
                        record.path,
                        "trimmed-by-scene",
                        f"ends at {record.end.lo:g} s or later but its scene lasts {limit:g} s: "
                        "it is cut",
                        "shorten it, lengthen the scene, or remove the scene's duration so "
                        "the scene fits its elements",
                        record.type,
                    ),
                )
    if not timing.total.exact:
        return
    total = timing.total.lo
    if 0 < total < MIN_MOVIE_SECONDS:
        yield (
            (0, 0, 0, _LATE),
            _problem(
                "scenes",
                "movie-too-short",
                f"the movie lasts {total:g} s: the service fails movies shorter than a second "
                "with 'Movie duration cannot be zero'",
                "make it at least 1 s long (a scene or element duration)",
                None,
            ),
        )
    records = [*timing.elements, *(e for scene in timing.scenes for e in scene.elements)]
    if total == 0 and any(e.type in ("image", "html") for e in records):
        yield (
            (0, 0, 0, _LATE),
            _problem(
                "",
                "zero-length-movie",
                "the movie would last 0 seconds: nothing in it has a length of its own (an image "
                "takes its length from its scene); the errors page says the service fails such "
                "movies ('Movie duration cannot be zero'), other pages show images fitting their "
                "scene",
                "give the scenes a duration (Scene(duration=5)) or the images one "
                "(Image(...).duration(5))",
                None,
            ),
        )


def _problem(path: str, code: str, message: str, hint: str, etype: str | None) -> Problem:
    return Problem(path, code, message, RULES[code].severity, hint, None, etype)
