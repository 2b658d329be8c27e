"""The error policy, rule by rule: what moviekit reports, how severely, and the evidence.

An **error** only for what the service is documented or observed to reject: the
rule cites the page (or the observation) and, where known, the service's own
message and when it comes (the POST's answer, or later in the render's status).
Anything shown working in the docs or in a real accepted document is never an
error. What is merely undocumented is a **warning** with a hint.

Validation takes every problem's severity from :data:`RULES`; the fake service
fails renders with the ``service`` messages of the same rules. Changing a
severity is a one-line change here, with its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["RULES", "Rule", "ServiceMessage", "Severity", "rule"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class ServiceMessage:
    """What the service says when it rejects: the text, and when it says it.

    ``status`` is the HTTP status of the POST's answer; ``None`` means the POST
    is accepted and the render fails later with this ``message`` in its status.
    ``text`` may hold ``{scene}`` / ``{element}`` (1-based), ``{type}``, ``{kind}``,
    ``{w}`` / ``{h}`` / ``{mw}`` / ``{mh}`` fields.
    """

    text: str
    status: int | None = None


@dataclass(frozen=True)
class Rule:
    """One kind of problem: its stable ``code``, severity, why, and the evidence."""

    code: str
    severity: Severity
    why: str
    sources: tuple[str, ...]
    service: ServiceMessage | None = None


_PARSE = ServiceMessage("Error parsing movie JSON or the movie was empty", 400)
_ZERO = ServiceMessage("Movie duration cannot be zero")
_REQUIRES_SRC = ServiceMessage(
    "Error: Scene #{scene} Element #{element}: The element type '{type}' requires a 'src' property."
)

_RULES = (
    # ------------------------------------------------------------------ errors: rejections
    Rule("not-json", "error", "the body is not a JSON object the service can parse", ("N-errors", "8n"), _PARSE),
    Rule("empty-movie", "error", "an empty body or {} is refused", ("N-errors", "8n"), _PARSE),
    Rule("missing-scenes", "error", "'scenes' must be present unless a template is rendered", ("A-movie", "N-agent-rules"), _PARSE),
    Rule("not-a-list", "error", "scenes and elements are lists; anything else cannot be read", ("A-movie", "A-scene"), _PARSE),
    Rule("not-an-object", "error", "a scene or an element is a JSON object", ("A-movie", "A-scene"), _PARSE),
    Rule("missing-type", "error", "every element needs its 'type'", ("N-element",)),
    Rule("removed-element-type", "error", "the 'template' element type was removed", ("N-syntax",)),
    Rule("missing-src", "error", "a video, audio or image element needs a source (or an AI prompt)", ("A-movies", "8n"), _REQUIRES_SRC),
    Rule("empty-src", "error", "an empty source is refused", ("OLD-make", "CORPUS"), ServiceMessage("Source URL is required for {type} element in Scene #{scene}, Element #{element}")),
    Rule("src-kind", "error", "a file of the wrong kind (by its extension) is refused", ("OLD-errors",), ServiceMessage("The URL provided is not a {kind} file and cannot be used as a source for a {type} element")),
    Rule("required", "error", "the reference marks this property required", ("A-element", "A-text", "A-voice", "A-component", "A-exports")),
    Rule("empty-text", "error", "a voice-over with empty text is refused", ("CORPUS", "A-voice"), ServiceMessage("Property 'text' is required in movie/scenes[{scene0}]/elements[{element0}]")),
    Rule("no-scenes", "warning", "no scenes and no movie-level elements: the errors page says such a movie has no length, but the reference and the agent rules allow 'scenes: []' and the docs' export examples send it", ("OLD-errors", "A-movie", "N-agent-rules", "A-exports"), _ZERO),
    Rule("movie-too-short", "error", "a movie shorter than one second fails", ("OLD-errors", "OLD-make"), _ZERO),
    Rule("plan-limit", "error", "no plan renders more than 3840 pixels a side", ("A-movie", "N-movies-create"), ServiceMessage("Movie is larger ({w}x{h}) than your plan allowance ({mw}x{mh})", 401)),
    Rule("too-large", "error", "a movie JSON over 2 MB is refused", ("N-movies-create", "N-errors"), ServiceMessage("Payload too large", 413)),
    # ------------------------------------------------------------------ warnings: undocumented
    Rule("unknown-property", "warning", "not in the docs; the service may ignore it", ("A-element", "N-text")),
    Rule("legacy-property", "warning", "only in legacy docs; the current service may ignore it", ("O",)),
    Rule("ignored-property", "warning", "the docs say the service ignores it", ("N-text",)),
    Rule("type", "warning", "a value of another JSON type than documented; the service's handling is undocumented", ("A-element",)),
    Rule("enum", "warning", "a value the docs do not list", ("A-element",)),
    Rule("range", "warning", "a number outside the documented range", ("A-element",)),
    Rule("variable-name", "warning", "the service silently renames such variables", ("A-variables", "8n")),
    Rule("undefined-variable", "warning", "a {{name}} no variable in scope defines", ("A-variables",)),
    Rule("unknown-function", "warning", "a function the expression docs do not show", ("A-expressions", "T12")),
    Rule("duplicate-id", "warning", "two elements of one container share an id their timing variables use", ("OLD-dynvars",)),
    Rule("subtitles-in-scene", "warning", "documented at movie level; older docs and real projects also use scenes", ("A-subtitles", "OLD-subtitles", "TEAM")),
    Rule("subtitles-count", "warning", "documented as one per movie; real projects have more", ("A-subtitles", "TEAM")),
    Rule("template-id-length", "warning", "template ids have 20 characters; tutorial 11 shows a name", ("8n", "T11")),
    Rule("template-with-scenes", "warning", "with a template, the body's scenes and elements are ignored", ("A-movie", "T11")),
    Rule("size-ignored", "warning", "width and height apply with resolution 'custom'", ("A-movie",)),
    Rule("custom-resolution-size", "warning", "resolution 'custom' without a size renders 640x360", ("A-movie",)),
    Rule("export-count", "warning", "the exports list takes one item", ("A-exports",)),
    Rule("empty-destinations", "warning", "an export without destinations delivers nothing", ("A-exports",)),
    Rule("webhook-not-https", "warning", "webhook endpoints are public HTTPS URLs", ("A-webhooks",)),
    Rule("client-data-spelling", "warning", "'client_data' is not accepted; the key is 'client-data'", ("A-movie",)),
    Rule("unknown-model", "warning", "a model id not in moviekit's snapshot of the live catalog", ("N-ai-models", "N-ai-pricing")),
    Rule("missing-html", "warning", "an html element without html or src shows nothing", ("A-html",)),
    Rule("ai-without-model", "warning", "an AI prompt without a model uses the default model", ("N-ai-pricing",)),
    Rule("loop-needs-duration", "warning", "an endless loop with the natural length may play once", ("A-timing",)),
    Rule("starts-after-scene-end", "warning", "never shown: it starts after its scene ends", ("A-timing",)),
    Rule("trimmed-by-scene", "warning", "cut: it ends after its scene", ("A-timing",)),
    Rule("zero-length-movie", "warning", "only lengthless elements; docs disagree whether that fails", ("OLD-errors", "T03")),
    Rule("may-lengthen-movie", "warning", "a movie-level track with its own length can outlast the scenes", ("A-timing",)),
)  # fmt: skip

RULES: dict[str, Rule] = {r.code: r for r in _RULES}


def rule(code: str) -> Rule:
    """The rule of a problem code (``KeyError`` for a code the policy does not know)."""
    return RULES[code]
