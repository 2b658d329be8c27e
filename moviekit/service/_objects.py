"""The objects around the elements: movie, scene, exports, destinations, settings.

Same conventions as :mod:`moviekit.service._movie_json` (which holds the
elements and the shared choices); ``schema/generate.py`` reads both.
"""

from __future__ import annotations

from moviekit.service._model import Obj, Prop, Status
from moviekit.service._movie_json import (
    RESOLUTIONS,
    SUBTITLE_POSITIONS,
    TRANSITION_STYLES,
    VARIABLES_DOC,
)

__all__ = ["DESTINATION_FIELDS", "OBJECTS"]

LEGACY, EXAMPLE, IGNORED = Status.LEGACY, Status.EXAMPLE, Status.IGNORED

# ---------------------------------------------------------------------- movie, scene and nested objects

_MOVIE = Obj(
    "movie",
    "A JSON2Video movie: the body of POST /v2/movies.",
    (
        Prop("id", "string", "a label echoed in webhook payloads (not the project id)", ("A-movie",)),
        Prop("comment", "string", "a note for humans; not rendered", ("A-movie",)),
        Prop("template", "string", "id (20 characters) of a saved template to render instead of scenes", ("A-movie", "N-movies-create", "T11")),
        Prop("resolution", "string", "a preset size, or 'custom' with width and height", ("A-movie",), values=RESOLUTIONS, default="custom"),
        Prop("width", "integer", "pixels, 50..3840 (with resolution='custom')", ("A-movie",), minimum=50, maximum=3840, default="640"),
        Prop("height", "integer", "pixels, 50..3840 (with resolution='custom')", ("A-movie",), minimum=50, maximum=3840, default="360"),
        Prop("quality", "string", "lower renders faster and smaller; same credits", ("A-movie",), values=("low", "medium", "high"), default="high"),
        Prop("fps", "integer", "frames per second, 1..120 (default 25)", ("O", "8n"), minimum=1, maximum=120, default="25", note="in the official n8n node and the legacy OpenAPI; not in the current tables"),
        Prop("draft", "boolean", "legacy draft flag; the current service may ignore it", ("O", "OLD-text"), status=LEGACY),
        Prop("cache", "boolean", "False forces a fresh full render", ("A-movie", "N-movie"), default="true"),
        Prop("variables", "object", VARIABLES_DOC, ("A-movie", "A-variables"), custom=True, python_type="JSONObject"),
        Prop("client-data", "object", "data echoed back in status and webhooks", ("A-movie",), custom=True, python_type="JSONObject"),
        Prop("exports", "array", "delivery destinations; see export_to()", ("A-movie", "A-exports"), nested="export", python_type="list[JSONObject]"),
        Prop("audio-track", "boolean", "also export the movie's audio as an MP3 (paid plans)", ("N-movie",), default="false"),
        Prop("settings", "object", "legacy 'advanced settings'", ("O",), status=LEGACY, builder=False),
        Prop("templateId", "string", "legacy spelling of 'template' on one older page", ("A-templates",), status=LEGACY, builder=False),
    ),
    ("A-movie", "N-movie"),
)  # fmt: skip

_SCENE = Obj(
    "scene",
    "One segment of the movie timeline; scenes play one after another.",
    (
        Prop("id", "string", "a name for the scene", ("A-scene",)),
        Prop("comment", "string", "a note for humans; not rendered", ("A-scene",)),
        Prop("duration", "number", "seconds; unset (or -1) = until the last element ends", ("A-scene", "N-scene"), above=0, specials=(-1,), default="-1", python_type="float"),
        Prop("background-color", "string", "hex colour such as '#101820', or 'transparent'", ("A-scene",), default="#000000"),
        Prop("transition", "object", "how this scene is entered from the previous one", ("N-scene", "T03"), nested="transition", custom=True, python_type="Transition | JSONObject"),
        Prop("cache", "boolean", "False rebuilds the scene", ("A-scene",)),
        Prop("condition", "string", "an expression; the scene is skipped when it is false or empty", ("A-scene",)),
        Prop("variables", "object", VARIABLES_DOC, ("A-scene", "A-variables"), custom=True, python_type="JSONObject"),
        Prop("iterate", "string", "name of an array variable; the scene repeats once per item", ("A-iterate",)),
    ),
    ("A-scene", "N-scene"),
)  # fmt: skip

_CSS_KEYS = (
    "color", "background-color", "background", "font-family", "font-size", "font-weight",
    "font-style", "text-align", "text-transform", "text-decoration", "text-shadow",
    "line-height", "letter-spacing", "word-spacing", "padding", "margin", "border",
    "border-radius", "opacity", "width", "height", "white-space", "vertical-align",
    "text-stroke", "-webkit-text-stroke", "box-shadow", "transform", "filter",
)  # fmt: skip

_NESTED = (
    Obj(
        "crop",
        "A crop window.",
        (
            Prop("width", "integer", "width of the window in pixels", ("A-element",), required=True),
            Prop("height", "integer", "height of the window in pixels", ("A-element",), required=True),
            Prop("x", "integer", "left edge", ("A-element",), default="0"),
            Prop("y", "integer", "top edge", ("A-element",), default="0"),
        ),
        ("A-element",),
    ),
    Obj(
        "rotate",
        "A rotation, optionally animated.",
        (
            Prop("angle", "number", "degrees, -360..360", ("A-element",), minimum=-360, maximum=360, required=True),
            Prop("speed", "number", "seconds to reach the angle (0 = at once)", ("A-element",), minimum=0),
        ),
        ("A-element",),
    ),
    Obj(
        "chromaKey",
        "Make one colour transparent (green screen).",
        (
            Prop("color", "string", "the colour to remove, e.g. '#00b140'", ("A-element",), required=True),
            Prop("tolerance", "integer", "1..100 (default 25)", ("A-element",), minimum=1, maximum=100),
        ),
        ("A-element",),
    ),
    Obj(
        "correction",
        "Colour correction.",
        (
            Prop("brightness", "number", "-1..1 (default 0)", ("A-element",), minimum=-1, maximum=1),
            Prop("contrast", "number", "-1000..1000 (default 1)", ("A-element",), minimum=-1000, maximum=1000),
            Prop("gamma", "number", "0.1..10 (default 1)", ("A-element",), minimum=0.1, maximum=10),
            Prop("saturation", "number", "0..3 (default 1)", ("A-element",), minimum=0, maximum=3),
        ),
        ("A-element",),
    ),
    Obj(
        "transition",
        "Scene transition (an FFmpeg xfade into this scene).",
        (
            Prop("style", "string", "transition style (xfade name, default fade)", ("O", "T03"), values=TRANSITION_STYLES, default="fade"),
            Prop("duration", "number", "transition length in seconds", ("O", "T03", "T12"), minimum=0),
            Prop("type", "string", "transition engine; only xfade", ("O",), values=("xfade",), default="xfade"),
        ),
        ("O", "T03"),
        note="the style list comes only from the legacy OpenAPI; tutorial 03 documents that the "
        "transition runs at the start of the scene and overlaps the previous one",
    ),
    Obj(
        "textSettings",
        "CSS-like text settings: real CSS property names, plus the two placement keys.",
        (
            Prop("vertical-position", "string", "place the text box: top, center or bottom", ("A-text", "A-positioning"), values=("top", "center", "bottom")),
            Prop("horizontal-position", "string", "place the text box: left, center or right", ("A-text", "A-positioning"), values=("left", "center", "right")),
            Prop("font-color", "string", "not CSS: the service ignores it; use 'color'", ("N-text", "A-text", "T04"), status=IGNORED),
            Prop("font-url", "string", "a TTF/OTF file for the font (tutorial 04)", ("T04",), status=EXAMPLE, note="the reference says text fonts go in font-family as a URL"),
        ),
        ("A-text", "N-text"),
        open=True,
        keys=_CSS_KEYS,
        note="'Most of the CSS properties are supported'; a key that is not a supported CSS "
        "property is 'silently ignored' (N-text)",
    ),
    Obj(
        "subtitlesSettings",
        "The look of the captions.",
        (
            Prop("style", "string", "caption style", ("A-subtitles",), values=("classic", "classic-progressive", "classic-one-word", "boxed-line", "boxed-word"), default="classic"),
            Prop("all-caps", "boolean", "upper-case every word", ("A-subtitles",)),
            Prop("font-family", "string", "a Google Font, a built-in ('Arial', 'Oswald Bold', ...) or the family in font-url", ("A-subtitles",), default="Arial"),
            Prop("font-size", "integer", "pixels (default 5% of the movie width)", ("A-subtitles",)),
            Prop("font-url", "string", "URL of a TTF font file", ("A-subtitles",)),
            Prop("font-weight", "string", "'100'...'900' (Google fonts)", ("A-subtitles",), note="real documents send it as a number (900)"),
            Prop("word-color", "string", "colour of the word being spoken", ("A-subtitles",), default="#FFFF00"),
            Prop("line-color", "string", "colour of the other words", ("A-subtitles",), default="#FFFFFF"),
            Prop("box-color", "string", "box behind the word or line", ("A-subtitles",), default="#000000"),
            Prop("outline-color", "string", "outline colour", ("A-subtitles",), default="#000000"),
            Prop("outline-width", "integer", "outline width in pixels", ("A-subtitles", "TEAM"), default="0", note="-1 appears in real rendered projects"),
            Prop("shadow-color", "string", "shadow colour", ("A-subtitles",), default="#000000"),
            Prop("shadow-offset", "integer", "shadow offset in pixels", ("A-subtitles",), default="0"),
            Prop("max-words-per-line", "integer", "words per line; 1 = one word at a time", ("A-subtitles",), default="4"),
            Prop("position", "string", "where the captions sit", ("A-subtitles",), values=SUBTITLE_POSITIONS, also=("center",), default="bottom-center"),
            Prop("x", "integer", "pixels from the left (position 'custom')", ("A-subtitles",)),
            Prop("y", "integer", "pixels from the top (position 'custom')", ("A-subtitles",)),
            Prop("keywords", "array", "extra vocabulary (default model only)", ("A-subtitles",)),
            Prop("replace", "object", "word -> replacement", ("A-subtitles",)),
            Prop("font-color", "string", "text colour (tutorial 08's most-used keys)", ("T08",), status=EXAMPLE),
            Prop("color", "string", "text colour (seen in real projects)", ("TEAM",), status=EXAMPLE),
            Prop("highlight-color", "string", "highlight colour (seen in real projects)", ("TEAM",), status=EXAMPLE),
        ),
        ("A-subtitles", "T08"),
    ),
    Obj(
        "export",
        "One export: its destinations run one after the other.",
        (Prop("destinations", "array", "destinations, in order", ("A-exports",), nested="destination", required=True),),
        ("A-exports",),
    ),
    Obj(
        "destination",
        "A delivery destination: inline (with 'type') or a dashboard connection by 'id' (other fields override it).",
        (
            Prop("id", "string", "dashboard connection id; its stored fields fill in the rest", ("A-exports",)),
            Prop("type", "string", "destination kind", ("A-exports",), values=("webhook", "ftp", "sftp", "email")),
            Prop("endpoint", "string", "public HTTPS URL receiving the POST (webhook)", ("A-webhooks",)),
            Prop("content-type", "string", "payload encoding: json (default) or urlencoded (webhook)", ("A-webhooks", "N-webhooks"), values=("json", "urlencoded"), also=("application/json", "application/x-www-form-urlencoded"), note="the official n8n node sends full MIME types"),
            Prop("host", "string", "server host name (ftp / sftp)", ("A-ftp",)),
            Prop("port", "integer", "server port, typically 21 (FTP) or 22 (SFTP)", ("A-ftp",), minimum=1, maximum=65535),
            Prop("username", "string", "login user name (ftp / sftp)", ("A-ftp",)),
            Prop("password", "string", "login password (ftp / sftp)", ("A-ftp",)),
            Prop("remote-path", "string", "remote folder (default ./); macros such as __yyyy__ allowed", ("A-ftp",)),
            Prop("file", "string", "remote file name; macros allowed", ("A-ftp",)),
            Prop("to", "string", "recipient address (email)", ("A-email",)),
            Prop("subject", "string", "subject line (email); macros allowed", ("A-email",)),
            Prop("message", "string", "plain-text body (email); __video_url__ allowed", ("A-email",)),
        ),
        ("A-exports",),
    ),
)  # fmt: skip

#: The data objects: any key, any JSON value.
_DATA = (
    Obj("variables", "Variables of a scope.", (), ("A-variables",), open=True),
    Obj("client-data", "Data echoed back unchanged.", (), ("A-movie",), open=True),
    Obj(
        "model-settings",
        "Settings passed to an AI provider.",
        (),
        ("A-image", "A-11labs"),
        open=True,
    ),
    Obj(
        "componentSettings",
        "A component's settings, keyed by its parts.",
        (),
        ("A-component",),
        open=True,
    ),
    Obj("htmlSettings", "Legacy html settings.", (), ("OLD-html",), open=True),
)

OBJECTS: dict[str, Obj] = {o.name: o for o in (_MOVIE, _SCENE, *_NESTED, *_DATA)}

#: Which destination fields each type needs when there is no connection ``id`` (A-exports).
DESTINATION_FIELDS: dict[str, tuple[str, ...]] = {
    "webhook": ("endpoint",),
    "ftp": ("host", "port", "username", "password"),
    "sftp": ("host", "port", "username", "password"),
    "email": ("to", "subject", "message"),
}
