"""What a render costs in credits: the billing rule and the AI price table, with a source per row.

Layer 1 (the service model): plain data, no I/O. Read by the one estimate
function (:meth:`moviekit.Timeline.estimate`), which the client's and the
batch's ``max_credits``, the command line and the MCP server all use.

All prices are for JSON2Video's *managed* provider keys. With a ``connection``
on an element the provider bills you and JSON2Video deducts nothing for it:
"When a connection is supplied on the element, the request runs against the
customer's own provider account and no JSON2Video credits are deducted." (N-ai-models)

The table is a snapshot (the price page names its source of truth,
``https://cdn.json2video.com/data/ai/models.json``); prices change, so it is
data, replaceable with :meth:`PriceTable.with_prices` (e.g. from that file),
never a number buried in code. Where the sources disagree the row says so in
``uncertain`` and the estimate counts the higher price (a budget must not be
passed by surprise).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from moviekit.service._sources import SOURCES

__all__ = [
    "BILLING_RULES",
    "DEFAULT_IMAGE_MODEL",
    "DEFAULT_PRICES",
    "DEFAULT_VOICE_MODEL",
    "FULL_HD",
    "BillingRule",
    "ModelPrice",
    "PriceTable",
    "UNPRICED_MODELS",
    "render_rate",
]

Kind = Literal["image", "video", "voice", "avatar", "subtitles"]
Unit = Literal["image", "second", "minute"]


@dataclass(frozen=True)
class ModelPrice:
    """The price of one AI model: ``credits`` per ``unit`` of what it makes."""

    model: str
    kind: Kind
    credits: float
    unit: Unit
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    note: str = ""
    uncertain: str = ""
    """Why the price is in doubt (sources disagree); empty when they agree."""

    @property
    def per_second(self) -> float:
        """Credits per second of output (for a per-second or per-minute price)."""
        return self.credits / 60.0 if self.unit == "minute" else self.credits

    @property
    def source_urls(self) -> tuple[str, ...]:
        """The pages this price was read from."""
        return tuple(SOURCES[key] for key in self.sources)


def _image(
    model: str, credits: float, *sources: str, aliases: tuple[str, ...] = (), note: str = ""
) -> ModelPrice:
    sources = sources or ("N-ai-pricing", "N-ai-models")
    return ModelPrice(model, "image", credits, "image", sources, aliases, note)


def _video(model: str, credits: float, note: str, *sources: str) -> ModelPrice:
    return ModelPrice(model, "video", credits, "second", sources or ("N-ai-pricing",), note=note)


_ELEVENLABS_DOUBT = (
    "the AI models catalog shows 0 credits/second, but the credits page's worked example "
    "charges 20 credits for a 20-second ElevenLabs voice-over, as older pages' 60 "
    "credits/minute do; counted at 1 credit/second"
)

_MODELS: tuple[ModelPrice, ...] = (
    # Images: credits per generated image (element type "image" with "prompt").
    _image("flux-schnell", 0, aliases=("text-to-image-basic",), note="the default model"),
    _image("freepik-classic", 0),
    _image("seedream-v4", 15, aliases=("text-to-image-pro",)),
    _image("flux-pro", 20, "N-ai-pricing", "N-ai-models", "A-credits"),
    _image("gemini-2.5-flash", 20, aliases=("nano-banana",)),
    _image("gpt-image-2.5", 20, "N-ai-pricing"),
    _image("gpt-image-2", 40, "N-ai-pricing"),
    _image("nano-banana-2", 40),
    _image("nano-banana-pro", 80),
    # Videos: credits per second at the model's default resolution (element "video" + "prompt").
    _video("seedance-v1.5-pro", 20, "text-to-video and image-to-video",
           "N-ai-pricing", "N-ai-models"),
    _video("wan-v2.5", 30, "image-to-video only", "N-ai-pricing", "N-ai-models"),
    _video("minimax-h3", 45, "image-to-video, first and last frame, 768p default"),
    _video("minimax-h3-reference", 75, "reference-to-video, 1 to 9 reference images"),
    _video("seedance-v2.0", 130, "image-to-video, 720p default, 4-15 s"),
    _video("seedance-v2.5", 200, "image-to-video, first and last frame, 720p default, 4-30 s"),
    # Avatars (talking heads): credits per second.
    ModelPrice("infinite-talk", "avatar", 20, "second", ("N-ai-models",), ("talking-head",)),
    # Voices: credits per second of speech (element "voice").
    ModelPrice("azure", "voice", 0, "second", ("N-ai-models", "A-voice", "A-credits"),
               note="the default voice model"),
    ModelPrice("elevenlabs-flash-v2-5", "voice", 1, "second",
               ("N-ai-models", "N-credits", "A-voice"), uncertain=_ELEVENLABS_DOUBT),
    ModelPrice("elevenlabs-v3", "voice", 1, "second", ("N-ai-models", "N-credits"),
               uncertain=_ELEVENLABS_DOUBT),
    ModelPrice("elevenlabs-v2", "voice", 1, "second", ("N-ai-models", "N-credits", "A-credits"),
               aliases=("elevenlabs",), uncertain=_ELEVENLABS_DOUBT),
    # Subtitles (transcription): free.
    ModelPrice("default", "subtitles", 0, "minute", ("N-credits", "A-credits")),
    ModelPrice("whisper", "subtitles", 0, "minute", ("N-credits", "A-credits")),
)  # fmt: skip

#: Models shown working in the docs that no price list names: known, but not priced.
UNPRICED_MODELS: dict[tuple[Kind, str], tuple[str, ...]] = {("video", "kling-1-6"): ("T09",)}

#: The model an AI image uses when the element names none ("Default.", N-ai-pricing).
DEFAULT_IMAGE_MODEL = "flux-schnell"
#: The model a voice uses when the element names none ("azure (default)", N-ai-models).
DEFAULT_VOICE_MODEL = "azure"
#: The long and short side up to which a render costs the Full HD rate.
FULL_HD = (1920, 1080)


@dataclass(frozen=True)
class PriceTable:
    """The AI models' prices by kind and id (aliases included); replaceable, never hard-coded."""

    models: tuple[ModelPrice, ...]
    as_of: str = ""
    """When the snapshot was read."""
    _index: dict[tuple[str, str], ModelPrice] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for price in self.models:
            for name in (price.model, *price.aliases):
                self._index[(price.kind, name)] = price

    def price(self, kind: Kind, model: str) -> ModelPrice | None:
        """The price of ``model`` (an id or an alias) for ``kind``; None when not listed."""
        return self._index.get((kind, model))

    def with_prices(self, prices: Iterable[ModelPrice], as_of: str = "") -> PriceTable:
        """A new table: ``prices`` replace the rows of the same kind and model, or are added."""
        given = {(p.kind, p.model): p for p in prices}
        kept = [p for p in self.models if (p.kind, p.model) not in given]
        return replace(self, models=(*kept, *given.values()), as_of=as_of or self.as_of)


#: The snapshot moviekit ships (docs read for the 2026 price table).
DEFAULT_PRICES = PriceTable(_MODELS, as_of="2026-10")


@dataclass(frozen=True)
class BillingRule:
    """One rule of how renders are billed, with where it is written."""

    rule: str
    fact: str
    sources: tuple[str, ...]


#: The rendering billing rule (reference: the credits page) and what it leaves open.
BILLING_RULES: tuple[BillingRule, ...] = (
    BillingRule("rate up to Full HD", "1 credit per second of output (1920x1080 or 1080x1920)",
                ("N-credits",)),
    BillingRule("rate up to 4K", "4 credits per second of output", ("N-credits", "W-pricing")),
    BillingRule("sizes between Full HD and 4K", "not documented; counted at the 4K rate",
                ("N-credits",)),
    BillingRule("fractional seconds", "rounding not documented; moviekit counts started seconds",
                ("W-pricing", "8n")),
    BillingRule("failed renders", "not billed", ("N-credits",)),
    BillingRule("cached AI assets", "not billed again when prompt, model and settings match "
                "and cache is on: a real cost can be lower than the estimate", ("N-credits",)),
    BillingRule("own provider connection", "no JSON2Video credits for that element",
                ("N-ai-models",)),
)  # fmt: skip


def render_rate(width: float, height: float) -> int:
    """Credits per output second for a ``width`` x ``height`` render (either orientation)."""
    long_side, short_side = max(width, height), min(width, height)
    return 1 if long_side <= FULL_HD[0] and short_side <= FULL_HD[1] else 4
