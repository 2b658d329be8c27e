"""Natural lengths measured from the media itself, for an exact timeline.

Offline, the timeline cannot know how long a video or an audio file runs, so
every total that depends on one is a lower bound. :func:`probe_lengths` reads
those lengths from the files: local paths in place (relative ones from the
media root), remote URLs through the preview's media cache (fetched once,
with a short timeout). The result plugs straight into the timeline::

    lengths = preview.probe_lengths(movie, base_dir="media/")
    movie.timeline(lengths=lengths)          # exact wherever the media could be read
    lengths.reasons                          # {path: why not} for the rest

Nothing here raises for media it cannot read: an unknown length stays
unknown (a lower bound in the timeline), with the reason.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path

from moviekit._errors import PreviewMediaError
from moviekit.preview._media import MediaStore, check_kind, probe
from moviekit.preview._plan import substitute, walk_elements
from moviekit.timing._probed import ProbedLengths

#: element types whose natural length is a file's (images have none: they fit their scene)
MEDIA_TYPES = frozenset({"video", "audio"})


def probe_lengths(
    doc: Mapping[str, object],
    *,
    base_dir: str | os.PathLike[str] | None = None,
    cache_dir: Path,
    fetch_timeout: float = 5.0,
    cancel: threading.Event | None = None,
) -> ProbedLengths:
    """Measure the natural length of every video and audio ``src`` in a Movie JSON document.

    Once ``cancel`` is set, raises :class:`~moviekit.PreviewError` (the probe running is killed).
    """
    store = MediaStore(cache_dir, base_dir, fetch_timeout=fetch_timeout, cancel=cancel)
    lengths: dict[str, float] = {}
    reasons: dict[str, str] = {}
    failed: dict[str, str] = {}  # src -> why (each file is tried once)
    for path, props, scope in walk_elements(doc):
        kind = props.get("type")
        if kind == "voice" and props.get("duration") in (None, -1):
            reasons[path] = "synthesised speech: only the service knows how long it runs"
            continue
        raw = props.get("src")
        if kind not in MEDIA_TYPES or not isinstance(raw, str) or not raw:
            continue
        if raw in lengths:
            continue
        why = failed.get(raw)
        if why is None:
            why = _measure(raw, str(kind), path, scope, store, lengths)
            if why:
                failed[raw] = why
        if why:
            reasons[path] = why
    return ProbedLengths(lengths, reasons)


def _measure(
    raw: str,
    kind: str,
    path: str,
    scope: Mapping[str, object],
    store: MediaStore,
    lengths: dict[str, float],
) -> str:
    """Probe one ``src`` into ``lengths``; return why not ("" when measured)."""
    src = substitute(raw, scope)
    if "{{" in src:
        return f"{raw}: the src is decided by variables"
    file = store.local(src)
    if file is None:
        file, why = store.fetch(src)
        if file is None:
            return f"{src}: {why}"
    try:
        info = probe(file, path=path, src=src, cancel=store.cancel)
        check_kind(info, kind, path=path, src=src)
    except PreviewMediaError as exc:  # a cancelled probe is no reason: it ends the call
        return str(exc).removeprefix(f"{path}: ")
    if not info.duration:
        return f"{src}: the file has no length"
    lengths[raw] = info.duration
    return ""
