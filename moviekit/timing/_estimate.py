"""The one credit estimate: rendering seconds by the billing rule, plus AI generation by model.

``timeline.estimate()`` is what ``Client.render(max_credits=...)``,
``Batch(max_credits=...)``, the command line (``timeline``, ``validate``,
``render``, ``batch check``) and the MCP server's ``estimate_credits`` report.
Prices and rules come from the service model (:mod:`moviekit.service._billing`),
each with its source:

- rendering: started seconds of output x 1 credit (up to Full HD) or 4 (above);
- an AI image (``image`` with a ``prompt`` and no ``src``): its model's price
  per image (``flux-schnell`` when none is named);
- an AI video (``video`` with a ``prompt`` and no ``src``): its model's price
  per second x the element's length;
- a voice: its model's price per second x its length (``azure``, the default,
  is free; ElevenLabs' price is in doubt and counted at the higher reading);
- an avatar model (``infinite-talk``): per second x the element's length;
- nothing for an element with its own provider ``connection``.

The total is exact, or a lower bound ("at least") while a length is unknown
offline or a model is not in the price table. Prices in doubt are listed in
``uncertain``: a budget check counts them at the higher price.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from moviekit.service._billing import (
    BILLING_RULES,
    DEFAULT_IMAGE_MODEL,
    DEFAULT_PRICES,
    DEFAULT_VOICE_MODEL,
    Kind,
    ModelPrice,
    PriceTable,
)
from moviekit.service._sources import SOURCES
from moviekit.timing._spans import Credits, Span, fmt_seconds, seconds_text

__all__ = ["CostItem", "CreditEstimate", "estimate_credits"]

_CACHE_NOTE = next(r for r in BILLING_RULES if r.rule == "cached AI assets")


@dataclass(frozen=True)
class CostItem:
    """What one AI-generated element adds: ``credits`` for ``quantity`` ``unit`` s of ``model``."""

    path: str
    """The element: ``scenes[0].elements[1]``."""
    kind: Kind
    model: str
    credits: float
    """A lower bound unless ``exact``."""
    quantity: float
    unit: str
    exact: bool
    uncertain: str = ""
    """Why this price is in doubt (sources disagree, or the model is not in the table)."""
    sources: tuple[str, ...] = ()
    """The pages the price was read from."""

    def __str__(self) -> str:
        amount = fmt_seconds(self.credits)
        if self.unit == "image":
            what = f"1 image x {amount}"
        else:
            rate = self.credits / self.quantity if self.quantity else 0.0
            what = f"{seconds_text(self.quantity, self.exact)} x {fmt_seconds(rate)}/s"
        bound = "" if self.exact else "at least "
        doubt = f"; uncertain: {self.uncertain}" if self.uncertain else ""
        return f"{self.path}: {self.kind} {self.model}: {bound}{amount} credits ({what}){doubt}"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "path": self.path,
            "kind": self.kind,
            "model": self.model,
            "credits": self.credits,
            "quantity": self.quantity,
            "unit": self.unit,
            "exact": self.exact,
            "uncertain": self.uncertain,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class CreditEstimate:
    """What a render of a movie would cost in credits, as far as is known offline."""

    credits: int
    """The total (started credits); a lower bound unless ``exact``."""
    exact: bool
    rendering: Credits
    """The rendering part (seconds of output x the rate for the size)."""
    items: tuple[CostItem, ...]
    """AI generation, one item per element that costs (or may cost) credits."""
    depends_on: tuple[str, ...] = ()
    """What is unknown offline and could make the cost higher."""
    notes: tuple[str, ...] = ()

    @property
    def seconds(self) -> float:
        """The movie's length (a lower bound unless the rendering part is exact)."""
        return self.rendering.seconds

    @property
    def per_second(self) -> int:
        """Rendering credits per output second (1 up to Full HD, 4 above)."""
        return self.rendering.per_second

    @property
    def ai_credits(self) -> float:
        """The AI generation part of the total."""
        return sum(item.credits for item in self.items)

    @property
    def uncertain(self) -> tuple[str, ...]:
        """The items whose price is in doubt, one line each."""
        return tuple(f"{item.path}: {item.uncertain}" for item in self.items if item.uncertain)

    @property
    def text(self) -> str:
        """One line: ``at least 64 credits (≥ 4 s x 1/s + 60 for AI)``."""
        bound = "" if self.exact else "at least "
        rendering = f"{seconds_text(self.seconds, self.rendering.exact)} x {self.per_second}/s"
        ai = f" + {fmt_seconds(self.ai_credits)} for AI" if self.items else ""
        plural = "s" if self.credits != 1 else ""
        doubt = "; some prices uncertain" if self.uncertain else ""
        return f"{bound}{self.credits} credit{plural} ({rendering}{ai}{doubt})"

    def __str__(self) -> str:
        return self.text

    def __int__(self) -> int:
        return self.credits

    def over(self, max_credits: float) -> bool:
        """True when the estimate (or its lower bound) is above ``max_credits``."""
        return self.credits > max_credits

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (what ``--json`` outputs and the MCP tools return)."""
        return {
            "credits": self.credits,
            "exact": self.exact,
            "at_least": not self.exact,
            "seconds": self.seconds,
            "per_second": self.per_second,
            "rendering_credits": self.rendering.amount,
            "ai_credits": self.ai_credits,
            "items": [item.to_dict() for item in self.items],
            "uncertain": list(self.uncertain),
            "depends_on": list(self.depends_on),
            "text": self.text,
            "notes": list(self.notes),
        }


def estimate_credits(
    rendering: Credits,
    elements: Iterable[Span],
    depends_on: tuple[str, ...] = (),
    prices: PriceTable = DEFAULT_PRICES,
) -> CreditEstimate:
    """The estimate of a movie from its rendering credits and its element spans."""
    items = tuple(item for span in elements if (item := _item(span, prices)) is not None)
    exact = rendering.exact and all(item.exact for item in items)
    notes = [rendering.note] if rendering.note else []
    if any(item.kind in ("image", "video") for item in items):
        notes.append(f"{_CACHE_NOTE.fact} ({SOURCES[_CACHE_NOTE.sources[0]]})")
    total = rendering.amount + sum(item.credits for item in items)
    return CreditEstimate(
        credits=math.ceil(total - 1e-9),
        exact=exact,
        rendering=rendering,
        items=items,
        depends_on=depends_on,
        notes=tuple(notes),
    )


def _item(span: Span, prices: PriceTable) -> CostItem | None:
    props = span.props
    if props.get("connection"):
        return None  # the provider bills the user's own account
    prompt = isinstance(props.get("prompt"), str) and props["prompt"] and not props.get("src")
    named = props.get("model")
    model = named if isinstance(named, str) and named else None
    if model is not None and prices.price("avatar", model) is not None:
        price = prices.price("avatar", model)
        assert price is not None
        return _per_second(
            span, price, model, "avatar", "which element carries an avatar is not documented"
        )
    if span.type == "image" and prompt:
        return _per_image(span, prices, model or DEFAULT_IMAGE_MODEL)
    if span.type == "video" and prompt:
        if model is None:
            return _unpriced(span, "video", "(none)", "no model named")
        price = prices.price("video", model)
        if price is None:
            return _unlisted(span, "video", model, prices)
        return _per_second(span, price, model, "video")
    if span.type == "voice":
        model = model or DEFAULT_VOICE_MODEL
        price = prices.price("voice", model)
        if price is None:
            return _unlisted(span, "voice", model, prices)
        return _per_second(span, price, model, "voice") if price.credits else None
    return None


def _per_image(span: Span, prices: PriceTable, model: str) -> CostItem | None:
    price = prices.price("image", model)
    if price is None:
        return _unlisted(span, "image", model, prices)
    if not price.credits:
        return None
    return CostItem(
        span.path, "image", model, price.credits, 1, "image", True, price.uncertain,
        price.source_urls,
    )  # fmt: skip


def _per_second(span: Span, price: ModelPrice, model: str, kind: Kind, doubt: str = "") -> CostItem:
    seconds = max(0.0, span.length)
    return CostItem(
        span.path,
        kind,
        model,
        price.per_second * seconds,
        seconds,
        "second",
        span.exact,
        "; ".join(d for d in (price.uncertain, doubt) if d),
        price.source_urls,
    )


def _unlisted(span: Span, kind: Kind, model: str, prices: PriceTable) -> CostItem:
    when = f" ({prices.as_of})" if prices.as_of else ""
    return _unpriced(span, kind, model, f"model {model!r} is not in the price table{when}")


def _unpriced(span: Span, kind: Kind, model: str, why: str) -> CostItem:
    return CostItem(span.path, kind, model, 0.0, 0, "image" if kind == "image" else "second",
                    False, f"{why}; not counted")  # fmt: skip
