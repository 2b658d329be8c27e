"""The rules of single elements: sources, AI models, voice-overs, subtitles.

Each rule's severity and evidence are in :mod:`moviekit.service._rules`.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from moviekit._problems import short_json
from moviekit.service._billing import DEFAULT_PRICES, UNPRICED_MODELS, Kind
from moviekit.service._src import (
    ACCEPTED_KINDS,
    EXTENSIONS,
    extension_kind,
    is_web_page,
    page_host,
)
from moviekit.validation._findings import BLANK, Findings, Pos, label

__all__ = [
    "QUIET_NAMES",
    "ai_model",
    "quiet_lines",
    "shows_html",
    "source",
    "subtitles_rules",
    "voice",
]


def source(f: Findings, el: Mapping[str, Any], kind: str, path: str, pos: Pos) -> None:
    """A media element's source: present (or an AI prompt), not blank, of the right kind."""
    src = el.get("src")
    if src is None:
        if kind != "audio" and "prompt" in el:
            ai_model(f, el, kind, path, pos)
            return
        f.add(
            pos,
            f"{path}.src",
            "missing-src",
            f"{label(kind)} element needs a 'src'",
            f"give the file's URL, e.g. {kind.capitalize()}('https://...')"
            + (" or an AI 'prompt' and 'model'" if kind != "audio" else ""),
            element_type=kind,
        )
    elif isinstance(src, str) and "{{" not in src:
        if BLANK.match(src):
            f.add(
                pos,
                f"{path}.src",
                "empty-src",
                f"the {kind} element's 'src' is empty",
                "give the file's URL",
                element_type=kind,
            )
            return
        found = _what_file(src)
        if found is not None and found not in ACCEPTED_KINDS[kind]:
            what = found if found == "a web page" else f"{label(found)} file (by its extension)"
            f.add(
                pos,
                f"{path}.src",
                "src-kind",
                f"this is {what}, not {label(kind)} file: the service fails the render",
                f"give the URL of the {kind} file itself"
                + (
                    ""
                    if found == "a web page"
                    else f", or use {label(found).split()[0]} {found.capitalize()} element"
                ),
                short_json(src),
                kind,
            )
    if "model" in el and kind != "audio":
        ai_model(f, el, kind, path, pos)


def ai_model(f: Findings, el: Mapping[str, Any], kind: str, path: str, pos: Pos) -> None:
    """An AI element's model: given (videos have no documented default), in the catalog."""
    model = el.get("model")
    if model is None:
        if kind == "video":
            f.add(
                pos,
                f"{path}.prompt",
                "ai-without-model",
                "an AI video without a 'model': the docs name no default video model",
                "set model=, e.g. 'seedance-v1.5-pro'",
                element_type=kind,
            )
    elif isinstance(model, str) and "{{" not in model and not _known_model(kind, model):
        f.add(
            pos,
            f"{path}.model",
            "unknown-model",
            f"{model!r} is not in moviekit's snapshot of the {kind} model catalog",
            "check the id against the live catalog (json2video.com/docs/v2/reference/ai-models)",
            short_json(model),
            kind,
        )


def voice(f: Findings, el: Mapping[str, Any], path: str, pos: Pos) -> None:
    """A voice-over's text (not empty) and model (in the catalog)."""
    text = el.get("text")
    if isinstance(text, str) and BLANK.match(text):
        f.add(
            pos,
            f"{path}.text",
            "empty-text",
            "the voice-over's text is empty: the service refuses it",
            "give the words to say",
            element_type="voice",
        )
    model = el.get("model")
    if isinstance(model, str) and "{{" not in model and not _known_model("voice", model):
        f.add(
            pos,
            f"{path}.model",
            "unknown-model",
            f"{model!r} is not in moviekit's snapshot of the voice model catalog",
            "'azure' (default), 'elevenlabs', 'elevenlabs-flash-v2-5', 'elevenlabs-v3'",
            short_json(model),
            "voice",
        )


def subtitles_rules(f: Findings, subtitles: list[tuple[str, Pos]]) -> None:
    """Subtitles at movie level, one per movie (both only documented, so warnings)."""
    for n, (path, pos) in enumerate(subtitles):
        if path.startswith("scenes["):
            f.add(
                pos,
                path,
                "subtitles-in-scene",
                "subtitles are documented at movie level",
                "move it: Movie(...).add(Subtitles(...)); the service's handling of "
                "scene-level subtitles is undocumented",
                element_type="subtitles",
            )
        if n == 1:
            f.add(
                pos,
                path,
                "subtitles-count",
                "the docs allow one subtitles element per movie",
                "keep one Subtitles element",
                element_type="subtitles",
            )


def shows_html(el: Mapping[str, Any]) -> bool:
    """True when an html element has something to show (``html`` or ``src``)."""
    return any(isinstance(el.get(k), str) and not BLANK.match(el[k]) for k in ("html", "src"))


def quiet_lines(kind: str, keys: tuple[Any, ...], fail: str) -> list[str] | None:
    """The test that an element type's rules have nothing to say, for one shape, as code.

    Lines of a walk's fast lane (:mod:`moviekit.validation._fast`), on the
    element ``obj``: they ``return {fail}`` where :func:`source`, :func:`voice`
    or the html rule might report something, so the detailed walk explains
    it; ``keys`` are the element's keys, so what a shape lacks is settled when
    the lines are written. None for subtitles, which the movie-level rules
    count, so they are always walked.
    """
    present = frozenset(keys)
    if kind in ACCEPTED_KINDS:
        return _media_lines(kind, present, fail)
    if kind == "voice":
        lines = []
        if "text" in present:
            lines += [  # blank text: empty or all whitespace, as BLANK says (tests pin the two)
                "    v = obj['text']",
                f"    if isinstance(v, str) and (not v or v.isspace()): return {fail}",
            ]
        if "model" in present:
            lines += [
                "    v = obj['model']",
                "    if isinstance(v, str) and '{{' not in v and not known_model('voice', v):",
                f"        return {fail}",
            ]
        return lines
    if kind == "html":
        shows = [
            f"(isinstance(obj[{k!r}], str) and obj[{k!r}] and not obj[{k!r}].isspace())"
            for k in ("html", "src")
            if k in present
        ]
        return [f"    if not ({' or '.join(shows) or 'False'}): return {fail}"]
    if kind in ("text", "component", "audiogram"):
        return []
    return None


def _media_lines(kind: str, present: frozenset[Any], fail: str) -> list[str]:
    """:func:`source` quiet: a URL of the right kind, or an AI prompt; a catalogued model."""
    model = [f"    if not plain_model(obj, {kind!r}): return {fail}"]
    if "src" not in present:
        if kind == "audio" or "prompt" not in present:
            return [f"    return {fail}"]
        return model
    return [
        "    v = obj['src']",
        # BLANK.match(v) for exact text, without calling it (tests/validation pins the two alike)
        f"    if type(v) is not str or '{{{{' in v or not v or v.isspace(): return {fail}",
        # Most URLs end in an extension of the right kind, with no query or fragment, on a
        # site that hosts no video pages: what_file's answer, found without cutting the URL
        # apart. Anything else, a page host's URL included, what_file itself decides.
        "    c = v.find('/', 8)",  # site_of(v), written out: a call per URL saved
        f"    if not v.endswith(SUFFIXES[{kind!r}]) or '?' in v or '#' in v or page_host(",
        "        v if c < 0 else v[:c]",
        "    ):",
        "        f = what_file(v)",
        f"        if f is not None and f not in {ACCEPTED_KINDS[kind]!r}: return {fail}",
    ] + (model if "model" in present and kind != "audio" else [])


def _plain_model(el: Mapping[str, Any], kind: str) -> bool:
    """True when :func:`ai_model` has nothing to say."""
    model = el.get("model")
    if model is None:
        return kind != "video"
    return not (isinstance(model, str) and "{{" not in model and not _known_model(kind, model))


@lru_cache(maxsize=4096)  # a movie repeats its URLs; bounded, as they come from the document
def _what_file(src: str) -> str | None:
    """ "a web page", or the kind of file a URL's extension names, or None."""
    return "a web page" if is_web_page(src) else extension_kind(src)


@lru_cache(maxsize=1024)
def _known_model(kind: str, model: str) -> bool:
    """Whether the AI model is in moviekit's snapshot of the catalog, priced or not."""
    as_kind = typing.cast(Kind, kind)
    return DEFAULT_PRICES.price(as_kind, model) is not None or (as_kind, model) in UNPRICED_MODELS


#: What the lines of :func:`quiet_lines` read besides the element (``obj``).
QUIET_NAMES: dict[str, Any] = {
    "what_file": _what_file,
    "page_host": page_host,
    "SUFFIXES": {
        element: tuple(f".{ext}" for kind in kinds for ext in EXTENSIONS[kind])
        for element, kinds in ACCEPTED_KINDS.items()
    },
    "known_model": _known_model,
    "plain_model": _plain_model,
}
