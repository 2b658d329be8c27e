"""Queries over a movie's elements: find them by type and by property, with their JSON paths.

Every query takes a :class:`~moviekit.Movie` (or a :class:`~moviekit.Scene`,
or a compiled Movie JSON dict) and returns a list of :class:`Found`, in
document order: each scene's elements, then the movie-level elements. A
``Found`` carries the element's JSON path (``scenes[1].elements[0]``, the same
paths validation and golden diffs use), so a failing test says where::

    assert not texts_containing(movie, "TODO"), texts_containing(movie, "TODO")
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from moviekit.builders._elements import Element, Text
from moviekit.builders._movie import Movie, Scene

__all__ = [
    "Found",
    "elements_longer_than",
    "find_elements",
    "iter_elements",
    "srcs_outside",
    "texts_containing",
]

_ABSENT = object()

ElementType = type[Element] | str


@dataclass(frozen=True)
class Found:
    """One element a query matched."""

    path: str
    """JSON path of the element, e.g. ``scenes[1].elements[0]``; of the property for
    property queries (``scenes[1].elements[0].src``)."""
    element: Element
    """The element's builder."""
    value: Any = None
    """The matched value when the query is about one (the ``src``, the length)."""
    note: str = ""
    """Why it matched, when that is not obvious (e.g. ``host not allowed: a.example``)."""

    def __str__(self) -> str:
        if self.path.endswith("]"):  # an element: show it (and the measured value, if any)
            text = f"{self.path}  {self.element!r}"
            if self.value is not None:
                text += f"  {self.value!r}"
        else:  # a property: its value says it all
            text = f"{self.path} = {self.value!r}"
        return f"{text}  ({self.note})" if self.note else text


def _movie(subject: Movie | Scene | Mapping[str, Any]) -> Movie | Scene:
    if isinstance(subject, (Movie, Scene)):
        return subject
    if isinstance(subject, Mapping):
        return Movie.from_dict(subject)
    raise TypeError(f"expected a Movie, a Scene or a Movie JSON dict, got {type(subject).__name__}")


def iter_elements(subject: Movie | Scene | Mapping[str, Any]) -> Iterator[Found]:
    """Every element with its path: scenes' elements in order, then movie-level ones."""
    node = _movie(subject)
    if isinstance(node, Scene):
        for j, element in enumerate(node.elements):
            yield Found(f"elements[{j}]", element)
        return
    for i, scene in enumerate(node.scenes):
        for j, element in enumerate(scene.elements):
            yield Found(f"scenes[{i}].elements[{j}]", element)
    for j, element in enumerate(node.elements):
        yield Found(f"elements[{j}]", element)


def _type_matches(element: Element, of_type: ElementType | tuple[ElementType, ...] | None) -> bool:
    if of_type is None:
        return True
    for wanted in of_type if isinstance(of_type, tuple) else (of_type,):
        if isinstance(wanted, str):
            # UnknownElement has no class-level type: its wire 'type' is a property.
            kind = element.type if element.type is not None else element.get("type")
            if kind == wanted:
                return True
        elif isinstance(element, wanted):
            return True
    return False


def find_elements(
    subject: Movie | Scene | Mapping[str, Any],
    of_type: ElementType | tuple[ElementType, ...] | None = None,
    /,
    **where: Any,
) -> list[Found]:
    """Elements of a type (a class such as ``Text`` or a wire type such as ``"text"``) whose
    properties match ``where``.

    Each ``where`` value is either the exact value wanted or a predicate
    called with the property's value (elements without the property never
    match)::

        find_elements(movie, Text, style="002")
        find_elements(movie, Video, volume=lambda v: v > 1)
        find_elements(movie, z_index=lambda z: z < 0)

    Property names are Python names (``z_index``); use the wire name for
    properties moviekit does not know.
    """
    found = []
    for item in iter_elements(subject):
        element = item.element
        if not _type_matches(element, of_type):
            continue
        if all(_prop_matches(element.get(name, _ABSENT), want) for name, want in where.items()):
            found.append(item)
    return found


def _prop_matches(value: Any, want: Any) -> bool:
    if value is _ABSENT:
        return False
    if callable(want) and not isinstance(want, type):
        return bool(want(value))
    return bool(value == want)


def texts_containing(
    subject: Movie | Scene | Mapping[str, Any], word: str, *, case_sensitive: bool = False
) -> list[Found]:
    """Every :class:`~moviekit.Text` element whose text contains ``word``."""
    needle = word if case_sensitive else word.casefold()

    def contains(text: Any) -> bool:
        if not isinstance(text, str):
            return False
        return needle in (text if case_sensitive else text.casefold())

    return [
        Found(f.path + ".text", f.element, f.element.get("text"))
        for f in find_elements(subject, Text, text=contains)
    ]


def _host_allowed(host: str, allowed: Iterable[str]) -> bool:
    for entry in allowed:
        entry = entry.lower().rstrip(".")
        if entry.startswith("*."):
            # "*.example.com" covers subdomains, as in TLS certificates; list the apex too.
            if host.endswith(entry[1:]):
                return True
        elif host == entry:
            return True
    return False


def srcs_outside(
    subject: Movie | Scene | Mapping[str, Any], allowed_hosts: Iterable[str]
) -> list[Found]:
    """Every ``src`` whose host is not in ``allowed_hosts``.

    Entries are host names (``cdn.example.com``) or wildcards for subdomains
    (``*.example.com``). A ``src`` that cannot be checked offline counts as
    outside, with a note saying why: a ``{{placeholder}}`` (decided at render
    time), or a value with no host (a relative path, a ``data:`` URI).
    """
    if isinstance(allowed_hosts, str):
        # A lone string would be read as a list of one-letter hosts.
        raise TypeError("allowed_hosts is a list of host names, not one string")
    allowed = list(allowed_hosts)
    found = []
    for item in iter_elements(subject):
        src = item.element.get("src")
        if src is None:
            continue
        path = item.path + ".src"
        if not isinstance(src, str):
            found.append(Found(path, item.element, src, "not a string"))
        elif "{{" in src:
            found.append(Found(path, item.element, src, "placeholder: decided at render time"))
        else:
            host = (urlsplit(src).hostname or "").lower()
            if not host:
                found.append(Found(path, item.element, src, "no host"))
            elif not _host_allowed(host, allowed):
                found.append(Found(path, item.element, src, f"host not allowed: {host}"))
    return found


def elements_longer_than(
    subject: Any,
    seconds: float,
    *,
    lengths: Mapping[str, float] | None = None,
    include_unknown: bool = False,
) -> list[Found]:
    """Every element on screen (or audible) for more than ``seconds``, from the timeline.

    Lengths are what plays: an element trimmed by its scene's duration counts
    for what is shown. An element whose length is unknown offline (a remote
    video's natural length) is included when its known lower bound is already
    longer; with ``include_unknown=True`` also when it *may* be longer.
    ``lengths`` is passed to ``movie.timeline()``. ``Found.value`` is the
    length in seconds (a lower bound when ``Found.note`` says so).
    """
    from moviekit.testing._assertions import timeline_of  # only this query needs a timeline

    timeline = timeline_of(subject, lengths)
    elements = {f.path: f.element for f in iter_elements(_element_source(subject, timeline))}
    found = []
    for span in timeline.elements:
        if span.hidden:
            continue
        upper = span.max_end - span.movie_start
        if span.length > seconds:
            note = "" if span.exact else "at least; natural length unknown"
        elif include_unknown and not span.exact and upper > seconds:
            note = "may be longer; natural length unknown"
        else:
            continue
        element = span.element if isinstance(span.element, Element) else elements[span.path]
        found.append(Found(span.path, element, span.length, note))
    return found


def _element_source(subject: Any, timeline: Any) -> Movie | Scene | Mapping[str, Any]:
    if isinstance(subject, (Movie, Scene, Mapping)):
        return subject
    return timeline.document  # type: ignore[no-any-return]  # a Timeline: its compiled doc


def describe(found: Iterable[Found]) -> str:
    """Found items as lines (for assertion messages)."""
    return "\n".join(f"  {f}" for f in found) or "  (none)"
