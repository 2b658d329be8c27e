"""What a :class:`~moviekit.Timeline` is made of: spans, transitions, the cost, and how times read.

Plain frozen data, so the preview, the test assertions and the pictures
(:mod:`moviekit.timing._svg`) read the same thing the table shows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from moviekit.service._billing import render_rate
from moviekit.service._catalog import DEFAULT_SIZE, PRESET_SIZES
from moviekit.timing._interval import INF, NO_DEPS, Deps

__all__ = [
    "Credits",
    "ElementBuilder",
    "Span",
    "TransitionSpan",
    "credit_rate",
    "fmt_seconds",
    "seconds_text",
]


def fmt_seconds(value: float) -> str:
    """A number of seconds as the table shows it: ``4``, ``2.5``, ``∞``."""
    if math.isinf(value):
        return "∞"
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def seconds_text(value: float, exact: bool) -> str:
    """``"4 s"`` or ``"≥ 4 s"`` (at least) for a lower bound."""
    return f"{'' if exact else '≥ '}{fmt_seconds(value)} s"


class ElementBuilder(Protocol):
    """What a span's ``element`` is: the builder the user added (a moviekit element)."""

    def get(self, name: str, default: Any = None) -> Any:
        """A property by Python or wire name."""

    @property
    def props(self) -> Mapping[str, Any]:
        """The properties set, by wire name."""


@dataclass(frozen=True)
class Span:
    """One scene or element on the timeline. Times are seconds; lower bounds unless ``exact``.

    ``start`` / ``end`` are in the container (the scene, or the movie for
    movie-level elements and for scenes); ``movie_start`` / ``movie_end`` are in
    the movie. Ends are *shown* ends: an element trimmed by its scene's
    explicit duration ends there (``trimmed`` says so).
    """

    kind: Literal["scene", "element"]
    path: str
    """``scenes[0]``, ``scenes[0].elements[1]`` or ``elements[0]`` (movie level)."""
    type: str
    """``"scene"`` or the element's type (``"video"``...)."""
    scene: int | None
    """The scene index, or None for movie-level elements."""
    index: int
    """Position in its container (array order = layering order before z-index)."""
    start: float
    end: float
    length: float
    movie_start: float
    movie_end: float
    exact: bool
    """Start and end are known exactly (no unknown natural length is involved)."""
    props: Mapping[str, Any] = field(repr=False)
    """The compiled wire properties (what the service receives)."""
    element: ElementBuilder | None = field(default=None, repr=False)
    """The builder of this element (None for scenes and for timelines built from JSON)."""
    max_end: float = INF
    """Upper bound of ``movie_end`` (``inf`` when unbounded)."""
    fitted: bool = False
    """Its length is its container's (``CONTAINER_LENGTH``, or an image without duration)."""
    trimmed: bool = False
    """Cut short by an explicit scene duration."""
    hidden: bool = False
    """Starts at or after its scene's explicit end: never shown."""
    overlap: float = 0.0
    """Scenes: seconds of transition overlap with the previous scene."""
    start_exact: bool = True
    """The start alone is known exactly (``exact`` covers start and end)."""
    unknowns: Deps = field(default=NO_DEPS, repr=False, compare=False)
    """What the span depends on, listed on demand by :attr:`depends_on`."""

    @property
    def depends_on(self) -> tuple[str, ...]:
        """What is unknown when not exact (``scenes[0].elements[0] (voice): natural length``)."""
        return self.unknowns.listed()

    @property
    def known(self) -> bool:
        """Same as ``exact``."""
        return self.exact

    def label(self) -> str:
        """A short human description: the src file name, the text, or the type."""
        props = self.props
        for key in ("text", "src", "component", "prompt", "captions", "html"):
            value = props.get(key)
            if isinstance(value, str) and value:
                text = value.rsplit("/", 1)[-1] if key == "src" else value
                text = " ".join(text[:200].split())
                return text if len(text) <= 28 else text[:27] + "…"
        ident = props.get("id")
        return ident if isinstance(ident, str) and ident else self.type


@dataclass(frozen=True)
class TransitionSpan:
    """Where scene ``scene`` blends in from the previous one (see ``_engine.xfade_overlap``)."""

    scene: int
    style: str
    movie_start: float
    movie_end: float
    duration: float
    exact: bool


@dataclass(frozen=True)
class Credits:
    """The rendering part of a cost estimate, from the billing rule (``service._billing``).

    1 credit per output second up to Full HD (1920x1080 / 1080x1920), 4 above
    (up to 4K). moviekit counts started seconds (``ceil``). AI generation is
    added by :meth:`Timeline.estimate` (``moviekit.timing._estimate``).
    """

    amount: int
    """Credits; a lower bound unless ``exact``."""
    exact: bool
    seconds: float
    per_second: int
    note: str = ""

    def __int__(self) -> int:
        return self.amount

    def __str__(self) -> str:
        bound = "" if self.exact else "at least "
        return (
            f"{bound}{self.amount} credit{'s' if self.amount != 1 else ''} "
            f"({seconds_text(self.seconds, self.exact)} x {self.per_second}/s)"
        )


def credit_rate(doc: Mapping[str, Any]) -> tuple[int, str]:
    """Credits per output second for a document's size, and a note when it is assumed."""
    resolution = doc.get("resolution", "custom")
    if isinstance(resolution, str) and resolution in PRESET_SIZES:
        width, height = PRESET_SIZES[resolution]
    elif resolution == "custom":
        width, height = doc.get("width", DEFAULT_SIZE[0]), doc.get("height", DEFAULT_SIZE[1])
    else:
        return 1, "resolution decided by the service: 1 credit/s assumed (4 above Full HD)"
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (width, height)):
        return 1, "size decided by the service: 1 credit/s assumed (4 above Full HD)"
    rate = render_rate(width, height)
    return (rate, "") if rate == 1 else (rate, "above Full HD")
