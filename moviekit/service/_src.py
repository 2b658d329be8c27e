"""What an element's ``src`` value is: a URL, a data URI, a ``{{placeholder}}``, or a local path.

The service only fetches URLs; a local path in ``src`` is something moviekit
must deal with before a render (the client uploads it, the preview reads it in
place, the studio watches it). One rule decides which values are local.
"""

from __future__ import annotations

import re

__all__ = ["is_local_source"]

_URL_LIKE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_local_source(value: object) -> bool:
    """True for a ``src`` string that is a local path rather than a URL or a placeholder."""
    if not isinstance(value, str) or not value.strip():
        return False
    return not (_URL_LIKE.match(value) or value.startswith("data:") or "{{" in value)
