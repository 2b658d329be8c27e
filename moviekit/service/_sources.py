"""Where the facts of the service model come from: one key per source, with its address.

Every fact in :mod:`moviekit.service._movie_json` and :mod:`moviekit.service._rules`
names its sources by these keys, so a reader can check it and a later reader
knows what to re-read when the service changes. Ordered newest generation of
the documentation first; ``TEAM`` and ``CORPUS`` are observations, not pages.
"""

from __future__ import annotations

__all__ = ["SOURCES", "source_url"]

_DOCS = "https://json2video.com/docs"

SOURCES: dict[str, str] = {
    # The "Reference" generation of the v2 docs (newest).
    "N-movie": f"{_DOCS}/v2/reference/json-syntax/movie.md",
    "N-scene": f"{_DOCS}/v2/reference/json-syntax/scene",
    "N-element": f"{_DOCS}/v2/reference/json-syntax/element",
    "N-text": f"{_DOCS}/v2/reference/json-syntax/element/text.md",
    "N-html": f"{_DOCS}/v2/reference/json-syntax/element/html",
    "N-voice": f"{_DOCS}/v2/reference/json-syntax/element/voice",
    "N-syntax": f"{_DOCS}/v2/reference/json-syntax",
    "N-core": f"{_DOCS}/v2/getting-started/core-concepts",
    "N-ai-models": f"{_DOCS}/v2/reference/ai-models",
    "N-ai-pricing": f"{_DOCS}/v2/notes/ai-generation-pricing.md",
    "N-credits": f"{_DOCS}/v2/reference/credits/credit-consumption",
    "N-errors": f"{_DOCS}/v2/reference/errors",
    "N-movies-create": f"{_DOCS}/v2/reference/api-endpoints/movies-create",
    "N-movies-status": f"{_DOCS}/v2/reference/api-endpoints/movies-status",
    "N-webhooks": f"{_DOCS}/v2/reference/webhooks",
    "N-agent-rules": f"{_DOCS}/v2/help-for-ai-agents/rules-for-your-agent",
    "G-html": f"{_DOCS}/v2/guides/advanced/html-rendering",
    # The v2 tutorials (official examples).
    "T01": f"{_DOCS}/v2/tutorials/01-your-first-video",
    "T03": f"{_DOCS}/v2/tutorials/03-multiple-scenes-and-transitions",
    "T04": f"{_DOCS}/v2/tutorials/04-text-and-styling",
    "T06": f"{_DOCS}/v2/tutorials/06-html-elements",
    "T07": f"{_DOCS}/v2/tutorials/07-ai-voiceover",
    "T08": f"{_DOCS}/v2/tutorials/08-automatic-subtitles",
    "T09": f"{_DOCS}/v2/tutorials/09-ai-generated-images-and-videos",
    "T11": f"{_DOCS}/v2/tutorials/11-templates",
    "T12": f"{_DOCS}/v2/tutorials/12-expressions",
    "T14": f"{_DOCS}/v2/tutorials/14-conditional-elements",
    # The "API Reference" generation of the v2 docs (full property tables).
    "A-movie": f"{_DOCS}/v2/api-reference/json-syntax/movie",
    "A-scene": f"{_DOCS}/v2/api-reference/json-syntax/scene",
    "A-element": f"{_DOCS}/v2/api-reference/json-syntax/element",
    "A-image": f"{_DOCS}/v2/api-reference/json-syntax/element/image",
    "A-video": f"{_DOCS}/v2/api-reference/json-syntax/element/video",
    "A-text": f"{_DOCS}/v2/api-reference/json-syntax/element/text",
    "A-html": f"{_DOCS}/v2/api-reference/json-syntax/element/html",
    "A-component": f"{_DOCS}/v2/api-reference/json-syntax/element/component",
    "A-audio": f"{_DOCS}/v2/api-reference/json-syntax/element/audio",
    "A-audiogram": f"{_DOCS}/v2/api-reference/json-syntax/element/audiogram",
    "A-voice": f"{_DOCS}/v2/api-reference/json-syntax/element/voice",
    "A-subtitles": f"{_DOCS}/v2/api-reference/json-syntax/element/subtitles",
    "A-timing": f"{_DOCS}/v2/api-reference/mastering/duration-and-timing",
    "A-positioning": f"{_DOCS}/v2/api-reference/mastering/positioning",
    "A-variables": f"{_DOCS}/v2/api-reference/mastering/variables",
    "A-expressions": f"{_DOCS}/v2/api-reference/mastering/expressions",
    "A-conditions": f"{_DOCS}/v2/api-reference/mastering/conditional-elements",
    "A-iterate": f"{_DOCS}/v2/api-reference/mastering/dynamic-number-of-scenes",
    "A-exports": f"{_DOCS}/v2/api-reference/exports",
    "A-webhooks": f"{_DOCS}/v2/api-reference/exports/webhooks",
    "A-ftp": f"{_DOCS}/v2/api-reference/exports/uploading-to-ftpsftp",
    "A-email": f"{_DOCS}/v2/api-reference/exports/email-notification",
    "A-movies": f"{_DOCS}/v2/api-reference/api-endpoints/movies",
    "A-templates": f"{_DOCS}/v2/api-reference/templates/customizing-existing-templates",
    "A-credits": f"{_DOCS}/v2/pricing/credit-consumption",
    "A-11labs": f"{_DOCS}/v2/api-reference/ai-integrations/elevenlabs",
    # The older tutorial site, still the only source for some facts.
    "OLD-subtitles": f"{_DOCS}/tutorial/subtitle-elements",
    "OLD-dynvars": f"{_DOCS}/tutorial/templates/dynamically-generated-variables.html",
    "OLD-expressions": f"{_DOCS}/tutorial/templates/evaluate-expressions.html",
    "OLD-html": f"{_DOCS}/tutorial/html-elements/",
    "OLD-text": f"{_DOCS}/tutorial/text-elements/",
    "OLD-errors": f"{_DOCS}/troubleshooting/api-errors",
    "OLD-make": f"{_DOCS}/v2/no-code-integrations/makecom/common-issues",
    "W-pricing": "https://json2video.com/pricing",
    # Official code and observations.
    "O": f"{_DOCS}/api/json2video-api.json",
    "8n": "https://github.com/JSON2Video/n8n-nodes-json2video (MovieDescription.ts, TESTING.md)",
    "TEAM": "moviekit team: real rendered projects (shared/reference/movie-json.md §10a)",
    "CORPUS": "tests/data/conformance (published documents, see PROVENANCE.md)",
}


def source_url(key: str) -> str:
    """The address of a source key (``KeyError`` for a key not in :data:`SOURCES`)."""
    return SOURCES[key]
