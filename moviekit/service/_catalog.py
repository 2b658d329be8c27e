"""The service's sizes and limits: preset resolutions, the plan's size range, body and id sizes.

AI models and their prices are in :mod:`moviekit.service._billing`.
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_SIZE",
    "MAX_BODY_BYTES",
    "MIN_MOVIE_SECONDS",
    "PRESET_SIZES",
    "SIZE_LIMITS",
    "TEMPLATE_ID_LENGTH",
]

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

#: A movie shorter than this fails with "Movie duration cannot be zero" (OLD-errors, OLD-make).
MIN_MOVIE_SECONDS = 1.0
#: POST /v2/movies answers 413 for a movie JSON over 2 MB (N-movies-create, N-errors).
MAX_BODY_BYTES = 2 * 1024 * 1024
#: Saved template ids have 20 characters (8n, N-movies-create).
TEMPLATE_ID_LENGTH = 20
