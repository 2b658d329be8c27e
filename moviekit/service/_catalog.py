"""Catalogs the service publishes: AI models with their prices, preset sizes, the billing rule.

A snapshot of live lists (the AI catalog grows), so an id that is not here is
a warning, never an error. Prices are in credits with JSON2Video's own provider
keys; with a ``connection`` on the element the provider bills you instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "AI_MODELS",
    "CREDITS_PER_SECOND",
    "DEFAULT_SIZE",
    "FOUR_K_PIXELS",
    "FULL_HD_PIXELS",
    "MAX_BODY_BYTES",
    "MIN_MOVIE_SECONDS",
    "PRESET_SIZES",
    "SIZE_LIMITS",
    "TEMPLATE_ID_LENGTH",
    "AIModel",
    "model_named",
]

Unit = Literal["image", "second"]


@dataclass(frozen=True)
class AIModel:
    """One AI model: the element type it serves, its ids, and what one unit costs."""

    id: str
    element: Literal["image", "video", "voice"]
    credits: float | None
    """Credits per ``unit``; None where the published figures disagree."""
    unit: Unit
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ("N-ai-pricing", "N-ai-models")
    note: str = ""


_ELEVENLABS = (
    "the catalog lists 0 credits/second, the credit page's worked example charges about 1/second "
    "(older pages: 60/minute): not estimated"
)

AI_MODELS: tuple[AIModel, ...] = (
    AIModel("flux-schnell", "image", 0, "image", ("text-to-image-basic",), note="the default"),
    AIModel("freepik-classic", "image", 0, "image"),
    AIModel("seedream-v4", "image", 15, "image", ("text-to-image-pro",)),
    AIModel("flux-pro", "image", 20, "image"),
    AIModel("gemini-2.5-flash", "image", 20, "image", ("nano-banana",)),
    AIModel("gpt-image-2.5", "image", 20, "image", sources=("N-ai-pricing",)),
    AIModel("gpt-image-2", "image", 40, "image", sources=("N-ai-pricing",)),
    AIModel("nano-banana-2", "image", 40, "image"),
    AIModel("nano-banana-pro", "image", 80, "image"),
    AIModel("seedance-v1.5-pro", "video", 20, "second"),
    AIModel("wan-v2.5", "video", 30, "second", note="image-to-video only"),
    AIModel("minimax-h3", "video", 45, "second", sources=("N-ai-pricing",)),
    AIModel("minimax-h3-reference", "video", 75, "second", sources=("N-ai-pricing",)),
    AIModel("seedance-v2.0", "video", 130, "second", sources=("N-ai-pricing",)),
    AIModel("seedance-v2.5", "video", 200, "second", sources=("N-ai-pricing",)),
    AIModel(
        "kling-1-6",
        "video",
        None,
        "second",
        sources=("T09",),
        note="in tutorial 09; priced nowhere",
    ),
    AIModel("azure", "voice", 0, "second", sources=("N-ai-models", "A-voice"), note="the default"),
    AIModel("elevenlabs-flash-v2-5", "voice", None, "second", note=_ELEVENLABS),
    AIModel("elevenlabs-v3", "voice", None, "second", note=_ELEVENLABS),
    AIModel("elevenlabs-v2", "voice", None, "second", ("elevenlabs",), note=_ELEVENLABS),
)

_BY_ID = {name: m for m in AI_MODELS for name in (m.id, *m.aliases)}


def model_named(name: str) -> AIModel | None:
    """The catalog entry for a model id or alias, or None for one not in the snapshot."""
    return _BY_ID.get(name)


#: Preset ``resolution`` sizes. The docs print none; these are the official n8n node's labels
#: (source "8n"). A live test rendered an ``sd`` template at 640x480: ``sd`` is uncertain.
PRESET_SIZES: dict[str, tuple[int, int]] = {
    "sd": (640, 360),
    "hd": (1280, 720),
    "full-hd": (1920, 1080),
    "squared": (1080, 1080),
    "instagram-story": (1080, 1920),
    "instagram-feed": (1080, 1080),
    "twitter-landscape": (1600, 900),
    "twitter-portrait": (1080, 1350),
}
#: Width and height of ``resolution: custom`` without a size (A-movie).
DEFAULT_SIZE = (640, 360)
#: The largest size any plan renders (A-movie: "between 50 and 3840"); above it the service
#: answers 401 "Movie is larger (WxH) than your plan allowance" (N-movies-create).
SIZE_LIMITS = (50, 3840)

#: Rendering credits per output second: up to Full HD 1, up to 4K 4 (N-credits).
CREDITS_PER_SECOND = {"full-hd": 1, "4k": 4}
FULL_HD_PIXELS = 1920 * 1080
FOUR_K_PIXELS = 3840 * 2160

#: A movie shorter than this fails with "Movie duration cannot be zero" (OLD-errors, OLD-make).
MIN_MOVIE_SECONDS = 1.0
#: POST /v2/movies answers 413 for a movie JSON over 2 MB (N-movies-create, N-errors).
MAX_BODY_BYTES = 2 * 1024 * 1024
#: Saved template ids have 20 characters (8n, N-movies-create).
TEMPLATE_ID_LENGTH = 20
