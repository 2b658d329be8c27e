"""The numbers timing computes with: seconds, their range, and how a bad one is named.

A document may hold ``10**400`` or ``NaN`` where a time belongs; these helpers
turn any number into a float without raising, keep times within
:data:`MAX_SECONDS`, and describe any value briefly for a message.
"""

from __future__ import annotations

import math

from moviekit._problems import short_repr

__all__ = ["MAX_SECONDS", "as_seconds", "short_value", "to_float"]

#: The largest time, in seconds, moviekit computes with (about 31,700 years). A
#: number beyond it is read as "a time beyond this", never converted into an
#: overflow or an infinity that would break totals and costs.
MAX_SECONDS = 1e12


def to_float(value: int | float) -> float:
    """``value`` as a float; an integer too large for one becomes ``±inf`` instead of raising."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def as_seconds(value: object) -> float | None:
    """``value`` as a length in seconds (a number from 0 to :data:`MAX_SECONDS`), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    seconds = to_float(value)
    return seconds if 0 <= seconds <= MAX_SECONDS else None  # NaN fails too


def short_value(value: object) -> str:
    """A short ``repr`` for messages, also for integers too long for ``repr`` (4,300+ digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        digits = int(value.bit_length() * math.log10(2)) + 1
        return f"{'-' if value < 0 else ''}an integer of about {digits} digits"
    return short_repr(value)
