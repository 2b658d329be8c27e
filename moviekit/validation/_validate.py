"""Validation: every problem of a movie, as one report; never raises for a bad movie.

:func:`validate` returns a :class:`~moviekit.ValidationReport`;
:func:`ensure_valid` (what ``Movie.to_dict`` calls) raises
:class:`~moviekit.MovieValidationError` when the report has errors.

What is an error and what a warning is the service model's call
(:mod:`moviekit.service._rules`): an error only where the service is documented
or observed to reject. Every :class:`~moviekit.Problem` has a ``path`` such as
``scenes[1].elements[0].src``, a stable ``code``, a ``message`` saying what is
wrong and a ``hint`` saying how to fix it.

The work is one walk (:mod:`moviekit.validation._walk`), then the placeholders
it collected are read against their scopes, then, only for movies where they
can say something, the timing lints (:mod:`moviekit.validation._timing_lints`).
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
from typing import Any, Protocol

from moviekit._errors import MovieValidationError
from moviekit._problems import Problem, ValidationReport
from moviekit.service._catalog import MAX_BODY_BYTES, SIZE_LIMITS
from moviekit.service._json_text import SUBMISSION_ROOM, body_bytes
from moviekit.service._rules import RULES, ServiceMessage
from moviekit.validation._findings import MOVIE, Found, Pos, written
from moviekit.validation._timing_lints import timing_problems
from moviekit.validation._variables import variable_problems
from moviekit.validation._walk import Walk

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "Compiles",
    "ensure_valid",
    "service_failure",
    "too_large",
    "validate",
]


class Compiles(Protocol):
    """What :func:`validate` takes besides a dict: a builder that compiles to one (a ``Movie``).

    Named by its one method, so validation need not import the builders above it.
    """

    def to_dict(self, *, validate: bool = ...) -> dict[str, Any]: ...


_CLEAN = ValidationReport()


def validate(movie: Compiles | Mapping[str, Any]) -> ValidationReport:
    """Check a :class:`~moviekit.Movie` or a Movie JSON dict; never raises for a bad movie.

    Errors are what the service is known to reject (a video without ``src``,
    ``scenes`` missing, a file of the wrong kind, a movie under a second ...);
    warnings are what the docs do not describe (unknown properties, undocumented
    values, ``{{variables}}`` nothing defines, timing that hides an element).
    """
    doc = _as_document(movie)
    if not isinstance(doc, Mapping):
        problem = Problem(
            "",
            "not-json",
            f"a movie must be a JSON object, got {type(doc).__name__}",
            hint="pass a Movie builder or a dict such as {'scenes': [...]}",
        )
        return ValidationReport(errors=(problem,))
    walk = Walk(doc)
    walk.run()
    found = walk.found
    found.extend(variable_problems(doc, walk))
    found.extend(timing_problems(doc))
    if not walk.not_json:
        found.extend(_size_problems(doc))
    if not found:
        return _CLEAN
    return _report(found)


def _as_document(movie: object) -> object:
    if isinstance(movie, Mapping):
        return movie
    compile_ = getattr(movie, "to_dict", None)
    return compile_(validate=False) if callable(compile_) else movie


#: The largest document (as compact JSON) that still leaves room for moviekit's submit tag.
MAX_DOCUMENT_BYTES = MAX_BODY_BYTES - SUBMISSION_ROOM


def _size_problems(doc: Mapping[str, Any]) -> list[Found]:
    """``too-large`` when the body the client would send is over the service's limit.

    Measured on :func:`~moviekit.service._json_text.body_bytes`, the very bytes the
    client sends (and ``Movie.to_json`` returns), so validation and the client agree.
    """
    if len(doc) == 0:
        return []
    size = len(body_bytes(doc))
    if size <= MAX_DOCUMENT_BYTES:
        return []
    return [((MOVIE, 0, 0, 0), too_large(size, MAX_DOCUMENT_BYTES))]


def too_large(size: int, limit: int) -> Problem:
    """The ``too-large`` problem of a body of ``size`` bytes, over ``limit``.

    Validation's limit keeps :data:`SUBMISSION_ROOM` bytes for the client's
    submit tag; the client checks the tagged body against the service's own.
    """
    kept = MAX_BODY_BYTES - limit
    message = (
        f"the movie is {size:,} bytes of JSON, over {limit:,}: the service refuses a body "
        f"over {MAX_BODY_BYTES:,} bytes (413 Payload too large)"
        + (f", {kept} of which moviekit keeps for its submit tag" if kept else "")
    )
    hint = (
        "split it into several movies, or move bulky values (long html, data: URLs, "
        "subtitle text) into files referenced by URL"
    )
    return Problem("", "too-large", message, RULES["too-large"].severity, hint)


def _report(found: list[Found]) -> ValidationReport:
    """Errors written now, warnings when first read; each list in document order, no twins."""
    errors: list[tuple[Pos, Problem]] = []
    warnings: list[Found] = []
    for pos, problem in found:
        if isinstance(problem, Problem):
            (errors if problem.severity == "error" else warnings).append((pos, problem))
        elif problem[0] == "error":
            errors.append((pos, written(problem)))
        else:
            warnings.append((pos, problem))

    def write_warnings() -> tuple[Problem, ...]:
        return _in_order([(pos, written(problem)) for pos, problem in warnings])

    if not warnings:
        return ValidationReport(errors=_in_order(errors))
    return ValidationReport.with_pending_warnings(_in_order(errors), write_warnings)


def _in_order(found: list[tuple[Pos, Problem]]) -> tuple[Problem, ...]:
    """Document order (at one position, the order found); one problem per (path, code, message)."""
    found.sort(key=itemgetter(0))
    seen: set[tuple[str, str, str]] = set()
    kept: list[Problem] = []
    for _, problem in found:
        key = (problem.path, problem.code, problem.message)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return tuple(kept)


def ensure_valid(doc: Compiles | Mapping[str, Any]) -> ValidationReport:
    """Validate and raise :class:`~moviekit.MovieValidationError` if there is any error."""
    report = validate(doc)
    if not report.ok:
        raise MovieValidationError(report)
    return report


def service_failure(doc: Mapping[str, Any]) -> tuple[ServiceMessage, str] | None:
    """How the service fails ``doc``, as documented: its message rule and the filled-in text.

    The first error whose rule records the service's own words; None when the
    model knows none (the movie renders, as far as moviekit can tell). The fake
    service answers with this, so it rejects what the model says the service
    rejects, the way the service says it.
    """
    for problem in validate(doc).errors:
        if problem.code == "too-large":
            # Validation keeps room for the submit tag; the service measures the body it
            # got against MAX_BODY_BYTES itself (the fake service does too).
            continue
        service = RULES[problem.code].service
        if service is not None:
            return service, _fill(service, problem, doc)
    return None


def _fill(service: ServiceMessage, problem: Problem, doc: Mapping[str, Any]) -> str:
    scene, element = _indexes(problem.path)
    fields = {
        "scene": scene + 1,
        "element": element + 1,
        "scene0": scene,
        "element0": element,
        "type": problem.element_type or "",
        "kind": problem.element_type or "",
        "w": doc.get("width", ""),
        "h": doc.get("height", ""),
        "mw": SIZE_LIMITS[1],
        "mh": SIZE_LIMITS[1],
    }
    try:
        return service.text.format(**fields)
    except (KeyError, IndexError, ValueError):
        return service.text


def _indexes(path: str) -> tuple[int, int]:
    scene = element = 0
    if path.startswith("scenes["):
        scene = int(path[7 : path.index("]")])
    marker = path.find("elements[")
    if marker != -1:
        element = int(path[marker + 9 : path.index("]", marker)])
    return scene, element
