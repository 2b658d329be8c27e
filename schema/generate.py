"""Generate ``schema/movie.schema.json`` (draft-07), the schema moviekit bundles.

The schema is long and regular (every numeric field also takes a ``{{ }}``
placeholder, every element repeats the base properties), so it is written by
this script rather than by hand. Edit the tables here, then run::

    python schema/generate.py            # rewrites schema/movie.schema.json
    python schema/generate.py --check    # exits 1 if the committed file is stale

Facts come from the team's fact reference (``movie-json.md``); ``$comment``
entries name the reference's uncertainty item where a reading was chosen.
"""

import json
import sys
from collections import OrderedDict

PH = {"$ref": "#/definitions/placeholder"}
NS = {"$ref": "#/definitions/numericString"}


def _num(kind, desc, minimum=None, maximum=None, exclusive_minimum=None, extra=None, comment=None):
    branch = {"type": kind}
    if minimum is not None:
        branch["minimum"] = minimum
    if exclusive_minimum is not None:
        branch["exclusiveMinimum"] = exclusive_minimum
    if maximum is not None:
        branch["maximum"] = maximum
    branches = [branch]
    if extra is not None:
        branches.append(extra)
    branches += [PH, NS]
    out = {"description": desc, "anyOf": branches}
    if comment:
        out["$comment"] = comment
    return out


def number(desc, **kw):
    return _num("number", desc, **kw)


def integer(desc, **kw):
    return _num("integer", desc, **kw)


def boolean(desc, comment=None):
    out = {"description": desc, "anyOf": [{"type": "boolean"}, PH]}
    if comment:
        out["$comment"] = comment
    return out


def enum(desc, values, comment=None):
    out = {"description": desc, "anyOf": [{"type": "string", "enum": list(values)}, PH]}
    if comment:
        out["$comment"] = comment
    return out


def string(desc, comment=None):
    out = {"type": "string", "description": desc}
    if comment:
        out["$comment"] = comment
    return out


def freeobj(desc, comment=None):
    out = {"type": "object", "description": desc}
    if comment:
        out["$comment"] = comment
    return out


def ref(name, desc):
    return {"$ref": "#/definitions/" + name, "description": desc}


def array_of(name, desc):
    return {"type": "array", "description": desc, "items": {"$ref": "#/definitions/" + name}}


ELEMENT_TYPES = [
    "image",
    "video",
    "text",
    "html",
    "component",
    "audio",
    "voice",
    "audiogram",
    "subtitles",
]

# ---------------------------------------------------------------- shared value schemas


def element_duration(kind):
    """kind: 'natural' -> positive or -1; 'container' -> positive, -1 or -2."""
    if kind == "container":
        return number(
            "Length in seconds: a positive number, -1 for the natural length of the content, "
            "or -2 to last as long as the container (scene or movie).",
            exclusive_minimum=0,
            extra={"enum": [-1, -2]},
        )
    return number(
        "Length in seconds: a positive number, or -1 for the natural length of the asset.",
        exclusive_minimum=0,
        extra={"enum": [-1]},
    )


def base_props(type_name, duration_kind):
    return OrderedDict(
        [
            (
                "type",
                {"description": "Element type discriminator; always required.", "const": type_name},
            ),
            (
                "id",
                string(
                    "Element identifier (server generates a random one when omitted). Also names the "
                    "ID_start / ID_end / ID_duration / ID_extratime variables."
                ),
            ),
            ("comment", string("Free note; not rendered.")),
            (
                "condition",
                string(
                    "Expression; the element is dropped when it evaluates to false or is an "
                    "empty string."
                ),
            ),
            (
                "variables",
                freeobj("Element-scope variables (names: a letter, then letters, digits, _)."),
            ),
            (
                "start",
                number(
                    "Seconds from the start of the container; -1 places the element at the end of "
                    "the container timeline.",
                    minimum=0,
                    extra={"enum": [-1]},
                ),
            ),
            ("duration", element_duration(duration_kind)),
            ("extra-time", number("Seconds added after the element's own length.")),
            (
                "z-index",
                integer(
                    "Layer order override, -99 to 99 (scenes sit at 0).", minimum=-99, maximum=99
                ),
            ),
            ("fade-in", number("Fade-in length in seconds (0 = none).", minimum=0)),
            ("fade-out", number("Fade-out length in seconds (0 = none).", minimum=0)),
            ("cache", boolean("Reuse a cached render/download of this element (default true).")),
        ]
    )


POSITIONS = ["top-left", "top-right", "bottom-right", "bottom-left", "center-center", "custom"]


def visual_props():
    return OrderedDict(
        [
            (
                "position",
                enum(
                    "Placement preset (5% margin from the edge); x/y apply with 'custom'.",
                    POSITIONS,
                    comment="§10.12: only the 6 official values; the 4 extra third-party presets "
                    "are unverified and rejected.",
                ),
            ),
            ("x", integer("Pixels from the left edge (with position 'custom').")),
            ("y", integer("Pixels from the top edge (with position 'custom').")),
            (
                "width",
                integer(
                    "Width in pixels; -1 keeps the aspect ratio (or fills the canvas for "
                    "text/html/component/audiogram).",
                    minimum=-1,
                ),
            ),
            (
                "height",
                integer(
                    "Height in pixels; -1 keeps the aspect ratio (or fills the canvas for "
                    "text/html/component/audiogram).",
                    minimum=-1,
                ),
            ),
            (
                "resize",
                enum(
                    "Fit to the canvas: cover/fill fill it (may crop), contain/fit show it whole. "
                    "Overrides width/height.",
                    ["cover", "fill", "fit", "contain"],
                ),
            ),
            ("crop", ref("crop", "Crop rectangle applied to the element.")),
            ("rotate", ref("rotate", "Rotation (optionally animated).")),
            (
                "zoom",
                integer("Zoom level, -10 (out) to 10 (in); 0 = none.", minimum=-10, maximum=10),
            ),
            (
                "pan",
                enum(
                    "Pan direction (with or without zoom).",
                    [
                        "left",
                        "top",
                        "right",
                        "bottom",
                        "top-left",
                        "top-right",
                        "bottom-left",
                        "bottom-right",
                    ],
                ),
            ),
            (
                "pan-distance",
                number(
                    "Amount of pan movement, 0.01 to 0.5 (default 0.1).", minimum=0.01, maximum=0.5
                ),
            ),
            (
                "pan-crop",
                boolean(
                    "Keep the canvas covered while panning by stretching/cropping (default true)."
                ),
            ),
            ("flip-horizontal", boolean("Mirror the element horizontally.")),
            ("flip-vertical", boolean("Flip the element upside down.")),
            (
                "mask",
                string(
                    "URL of a greyscale PNG or video mask (black = transparent, white = opaque)."
                ),
            ),
            ("chroma-key", ref("chromaKey", "Colour keying (green screen).")),
            ("correction", ref("correction", "Colour correction.")),
        ]
    )


def volume_props():
    return OrderedDict(
        [
            ("volume", number("Volume multiplier, 0 to 10 (1 = original).", minimum=0, maximum=10)),
            ("muted", boolean("Silence the element's audio.")),
        ]
    )


def loop_seek_props(kind):
    return OrderedDict(
        [
            (
                "loop",
                integer("Number of plays; -1 loops forever (then give duration -2).", minimum=-1),
            ),
            (
                "seek",
                number(
                    "Start offset inside the "
                    + kind
                    + " file in seconds; negative counts from the end."
                ),
            ),
        ]
    )


def element_def(
    type_name,
    desc,
    own,
    duration_kind,
    visual,
    volume=False,
    loopseek=False,
    required=None,
    comment=None,
):
    props = base_props(type_name, duration_kind)
    if visual:
        props.update(visual_props())
    if volume:
        props.update(volume_props())
    if loopseek:
        props.update(loop_seek_props(type_name))
    for k, v in own.items():
        props[k] = v  # type-specific value wins (e.g. html width/height description)
    out = OrderedDict([("type", "object"), ("description", desc)])
    if comment:
        out["$comment"] = comment
    out["required"] = ["type"] + list(required or [])
    out["properties"] = props
    return out


def build():
    d = OrderedDict()

    # ------------------------------------------------------------ templating helpers
    d["placeholder"] = {
        "type": "string",
        "pattern": r"\{\{[\s\S]*\}\}",
        "description": "A string containing a {{ ... }} variable or expression, resolved by the service; "
        "accepted in any field, including numeric, boolean and enum ones.",
        "$comment": "§0 and §10.18: official examples put {{...}} strings into numeric fields.",
    }
    d["numericString"] = {
        "type": "string",
        "pattern": r"^\s*-?[0-9]+(\.[0-9]+)?\s*$",
        "description": 'A number written as a string (e.g. "1080"); official examples send these.',
        "$comment": "§0 and §10.18: ranges are not checked on this branch.",
    }

    # ------------------------------------------------------------ movie
    movie_props = OrderedDict(
        [
            (
                "scenes",
                array_of(
                    "scene",
                    "Scenes, played back to back in array order. Required unless "
                    "'template' is given (then ignored).",
                ),
            ),
            (
                "elements",
                array_of(
                    "element",
                    "Movie-level elements overlaying every scene; the only proper "
                    "place for a subtitles element.",
                ),
            ),
            (
                "resolution",
                enum(
                    "Output size preset; 'custom' uses width/height.",
                    [
                        "sd",
                        "hd",
                        "full-hd",
                        "squared",
                        "instagram-story",
                        "instagram-feed",
                        "twitter-landscape",
                        "twitter-portrait",
                        "custom",
                    ],
                    comment="§10.1 preset pixel sizes uncertain; §10.17 'instagram-portrait' "
                    "not accepted.",
                ),
            ),
            (
                "width",
                integer(
                    "Output width in pixels, 50 to 3840 (resolution 'custom').",
                    minimum=50,
                    maximum=3840,
                    comment="§10.15: current 50..3840, not the legacy 1920 cap.",
                ),
            ),
            (
                "height",
                integer(
                    "Output height in pixels, 50 to 3840 (resolution 'custom').",
                    minimum=50,
                    maximum=3840,
                    comment="§10.15: current 50..3840, not the legacy 1080 cap.",
                ),
            ),
            (
                "quality",
                enum(
                    "Encoding quality; lower renders faster and smaller.", ["low", "medium", "high"]
                ),
            ),
            (
                "cache",
                boolean("Reuse cached renders (default true); false forces a full re-render."),
            ),
            ("id", string("Client-side label echoed in webhook payloads; not the project ID.")),
            ("comment", string("Free note; not rendered.")),
            (
                "client-data",
                freeobj(
                    "Any JSON object, returned unchanged in status results and webhooks.",
                    comment="§10.22: only the hyphen form is accepted; client_data is not listed.",
                ),
            ),
            (
                "variables",
                freeobj("Movie-scope variables (names: a letter, then letters, digits, _)."),
            ),
            (
                "exports",
                array_of(
                    "export", "Delivery configuration (the service currently takes one item)."
                ),
            ),
            (
                "template",
                string(
                    "ID (20 characters) of a saved template to render; scenes/elements are then "
                    "ignored and the other top-level keys apply on top.",
                    comment="§10.3: 'templateId' from one older page is not listed; 'template' "
                    "is used everywhere else.",
                ),
            ),
            (
                "fps",
                integer(
                    "Frames per second, 1 to 120 (default 25).",
                    minimum=1,
                    maximum=120,
                    comment="§10.2: not in the current reference tables; from legacy OpenAPI and the "
                    "official n8n node.",
                ),
            ),
            (
                "draft",
                boolean(
                    "Legacy: render a watermarked draft.",
                    comment="§10.2: legacy OpenAPI/SDK only; unknown whether still honoured.",
                ),
            ),
            (
                "settings",
                freeobj(
                    "Legacy hidden 'advanced settings' object; do not emit.",
                    comment="§1: legacy OpenAPI only.",
                ),
            ),
        ]
    )
    movie = OrderedDict(
        [
            ("type", "object"),
            ("description", "A JSON2Video movie: the body of POST /v2/movies."),
            (
                "$comment",
                "§10.19: unknown keys are allowed (the service's handling is undocumented).",
            ),
            ("properties", movie_props),
            ("if", {"required": ["template"]}),
            ("else", {"required": ["scenes"]}),
        ]
    )
    d["movie"] = movie

    # ------------------------------------------------------------ scene
    d["scene"] = OrderedDict(
        [
            ("type", "object"),
            ("description", "One segment of the movie timeline."),
            (
                "properties",
                OrderedDict(
                    [
                        (
                            "elements",
                            array_of("element", "Elements of the scene; later items paint on top."),
                        ),
                        (
                            "duration",
                            number(
                                "Scene length in seconds: positive, or -1 (default) to fit all its elements.",
                                exclusive_minimum=0,
                                extra={"enum": [-1]},
                            ),
                        ),
                        (
                            "background-color",
                            string("Background colour: hex (e.g. #000000) or 'transparent'."),
                        ),
                        (
                            "transition",
                            ref("transition", "Transition effect for this scene change."),
                        ),
                        ("cache", boolean("Reuse a cached render of this scene (default true).")),
                        (
                            "condition",
                            string("Expression; the scene is skipped when false or empty."),
                        ),
                        (
                            "variables",
                            freeobj(
                                "Scene-scope variables, overriding movie variables of the same name."
                            ),
                        ),
                        (
                            "id",
                            string(
                                "Scene identifier (server generates a random one when omitted)."
                            ),
                        ),
                        ("comment", string("Free note; not rendered.")),
                        (
                            "iterate",
                            string(
                                "Name of an array variable; the scene is repeated once per item."
                            ),
                        ),
                    ]
                ),
            ),
        ]
    )

    # ------------------------------------------------------------ element dispatcher
    d["element"] = OrderedDict(
        [
            ("type", "object"),
            ("description", "Any element; its 'type' selects the definition that applies."),
            (
                "$comment",
                "§10.13: type is required on every element. Dispatch uses if/then so errors point "
                "at the offending property.",
            ),
            ("required", ["type"]),
            ("properties", {"type": {"description": "Element type.", "enum": ELEMENT_TYPES}}),
            (
                "allOf",
                [
                    {
                        "if": {"properties": {"type": {"const": t}}, "required": ["type"]},
                        "then": {"$ref": "#/definitions/" + t},
                    }
                    for t in ELEMENT_TYPES
                ],
            ),
        ]
    )

    # ------------------------------------------------------------ element types
    d["image"] = element_def(
        "image",
        "A still image, from a URL or generated by AI from a prompt.",
        OrderedDict(
            [
                (
                    "src",
                    string(
                        "Public URL of the image (JPG, PNG, GIF, ...). Needed unless 'prompt' is given.",
                        comment="§10.10: a missing src fails at render time, so the schema does not require it.",
                    ),
                ),
                ("prompt", string("Prompt for AI image generation.")),
                (
                    "model",
                    string(
                        "AI image model, e.g. flux-pro, flux-schnell, freepik-classic.",
                        comment="§10.16: the live catalog has more models and aliases; kept a free string.",
                    ),
                ),
                (
                    "model-settings",
                    freeobj("Provider-specific settings passed through to the AI model."),
                ),
                (
                    "aspect-ratio",
                    enum(
                        "Shape of the AI-generated picture.", ["horizontal", "vertical", "squared"]
                    ),
                ),
                ("connection", string("Dashboard Connection ID to use your own provider key.")),
            ]
        ),
        "natural",
        visual=True,
    )

    d["video"] = element_def(
        "video",
        "A video clip.",
        OrderedDict(
            [
                (
                    "src",
                    string(
                        "Public URL of the video file (MP4 recommended).",
                        comment="§10.10: a missing src fails at render time, so the schema does not require it.",
                    ),
                ),
                (
                    "prompt",
                    string(
                        "Prompt for AI video generation (newer, unverified).",
                        comment="§4.2: the AI catalog mentions prompt+model on video; property list unseen.",
                    ),
                ),
                (
                    "model",
                    string(
                        "AI video model (newer, unverified).",
                        comment="§4.2 and §10.16: free string.",
                    ),
                ),
            ]
        ),
        "container",
        visual=True,
        volume=True,
        loopseek=True,
        comment="duration allows -2 although the [A] table says min -1: §5.1/§5.3 document "
        "'loop: -1, duration: -2' on video.",
    )

    d["text"] = element_def(
        "text",
        "Animated text overlay.",
        OrderedDict(
            [
                ("text", string("The text to show (plain text, no HTML).")),
                ("style", string('Animation style ID, e.g. "001" to "005" (default "001").')),
                (
                    "settings",
                    freeobj(
                        "CSS-like styling keys (font-family, font-size, font-color, text-align, "
                        "vertical-position, horizontal-position, ...); depend on the style."
                    ),
                ),
            ]
        ),
        "container",
        visual=True,
        required=["text"],
    )

    d["html"] = element_def(
        "html",
        "An HTML snippet or a captured web page.",
        OrderedDict(
            [
                (
                    "html",
                    string(
                        "HTML5/CSS3/JavaScript snippet rendered in a transparent browser viewport."
                    ),
                ),
                (
                    "src",
                    string(
                        "URL of a web page to capture instead of inline HTML.",
                        comment="§10.4: only from a guide/page intro.",
                    ),
                ),
                (
                    "tailwindcss",
                    boolean(
                        "Preload Tailwind CSS (legacy OpenAPI name).",
                        comment="§10.4: both 'tailwindcss' and 'tailwind' are listed.",
                    ),
                ),
                (
                    "tailwind",
                    boolean(
                        "Preload Tailwind CSS (name used by the new tutorial).",
                        comment="§10.4: both 'tailwindcss' and 'tailwind' are listed.",
                    ),
                ),
                (
                    "wait",
                    number(
                        "Seconds to wait before the snapshot.",
                        minimum=0,
                        comment="§10.4: name/default (2) and range 0-5 only from a third-party doc; "
                        "only minimum 0 enforced.",
                    ),
                ),
                (
                    "dpi",
                    number(
                        "Pixel density multiplier, e.g. 2.",
                        exclusive_minimum=0,
                        comment="§10.4: only from the html-rendering guide.",
                    ),
                ),
                (
                    "settings",
                    freeobj(
                        "Legacy settings object passed by an old html tutorial.",
                        comment="§10.4: old tutorial only.",
                    ),
                ),
            ]
        ),
        "natural",
        visual=True,
        comment="§10.4: property list partly uncertain; one of html/src is expected but not enforced. "
        "Default duration undocumented (legacy -1), so -1 is the minimum.",
    )

    d["component"] = element_def(
        "component",
        "A pre-built animated component from the library.",
        OrderedDict(
            [
                (
                    "component",
                    string("Component ID, e.g. basic/000, advanced/001, shape/rectangle."),
                ),
                (
                    "settings",
                    freeobj(
                        "Settings keyed by the component's parts (card, headline, ...), each with "
                        "CSS-like and proprietary keys."
                    ),
                ),
            ]
        ),
        "container",
        visual=True,
        required=["component"],
    )

    d["audio"] = element_def(
        "audio",
        "An audio track.",
        OrderedDict(
            [
                (
                    "src",
                    string(
                        "Public URL of the audio file (MP3, WAV, ...).",
                        comment="§10.10: a missing src fails at render time, so the schema does not require it.",
                    ),
                ),
            ]
        ),
        "container",
        visual=False,
        volume=True,
        loopseek=True,
        comment="duration allows -2 although the [A] table says min -1: §5.3 documents audio "
        "'duration: -2'.",
    )

    d["voice"] = element_def(
        "voice",
        "AI text-to-speech voice-over.",
        OrderedDict(
            [
                ("text", string("Text to speak (Azure accepts SSML).")),
                (
                    "voice",
                    string(
                        "Voice name or ID (Azure 'en-US-EmmaMultilingualNeural', ElevenLabs 'Rachel', ...).",
                        comment="§10.14: default undocumented.",
                    ),
                ),
                (
                    "model",
                    string(
                        "TTS model: azure (default), elevenlabs, elevenlabs-flash-v2-5, ...",
                        comment="§10.16: the live catalog lists more; kept a free string.",
                    ),
                ),
                (
                    "connection",
                    string("Dashboard Connection ID for your own Azure/ElevenLabs key."),
                ),
                (
                    "model-settings",
                    freeobj(
                        'Settings passed through to the provider, e.g. {"language_code": "en"}.'
                    ),
                ),
            ]
        ),
        "natural",
        visual=False,
        volume=True,
        required=["text"],
    )

    d["audiogram"] = element_def(
        "audiogram",
        "Waveform visualisation of the scene/movie audio.",
        OrderedDict(
            [
                (
                    "color",
                    string("Hex colour of the waves.", comment="§10.14: default undocumented."),
                ),
                (
                    "opacity",
                    number("Opacity of the waves, 0 to 1 (default 0.5).", minimum=0, maximum=1),
                ),
                (
                    "amplitude",
                    number("Wave amplitude, 0 to 10 (default 5).", minimum=0, maximum=10),
                ),
            ]
        ),
        "container",
        visual=True,
    )

    d["subtitles"] = OrderedDict(
        [
            ("type", "object"),
            (
                "description",
                "Automatic or supplied subtitles burnt into the finished movie (movie level, "
                "one per movie).",
            ),
            (
                "$comment",
                "§4.9 and §10.23: only type, comment and its own keys; allowed inside a scene by "
                "the schema, a lint warns.",
            ),
            ("required", ["type"]),
            (
                "properties",
                OrderedDict(
                    [
                        (
                            "type",
                            {
                                "description": "Element type discriminator; always required.",
                                "const": "subtitles",
                            },
                        ),
                        ("comment", string("Free note; not rendered.")),
                        (
                            "captions",
                            string(
                                "URL to, or inline text of, an SRT / VTT / ASS file; omit to transcribe "
                                "the movie audio."
                            ),
                        ),
                        (
                            "language",
                            enum(
                                "Spoken language for transcription (default auto).",
                                [
                                    "auto",
                                    "en",
                                    "bg",
                                    "ca",
                                    "cs",
                                    "da",
                                    "nl",
                                    "en-AU",
                                    "en-GB",
                                    "en-NZ",
                                    "en-IN",
                                    "en-US",
                                    "et",
                                    "fr",
                                    "fi",
                                    "nl-BE",
                                    "de",
                                    "de-CH",
                                    "el",
                                    "hi",
                                    "hi-Latn",
                                    "hu",
                                    "id",
                                    "it",
                                    "ja",
                                    "ko",
                                    "lv",
                                    "lt",
                                    "ms",
                                    "no",
                                    "pl",
                                    "pt",
                                    "pt-BR",
                                    "ro",
                                    "ru",
                                    "sk",
                                    "es",
                                    "es-419",
                                    "sv",
                                    "th",
                                    "tr",
                                    "uk",
                                    "vi",
                                    "zh",
                                    "zh-TW",
                                ],
                            ),
                        ),
                        (
                            "model",
                            enum(
                                "Transcription model (default 'default').", ["default", "whisper"]
                            ),
                        ),
                        ("settings", ref("subtitlesSettings", "Look of the subtitles.")),
                    ]
                ),
            ),
        ]
    )

    d["subtitlesSettings"] = OrderedDict(
        [
            ("type", "object"),
            (
                "description",
                "Styling of a subtitles element. The service rejects unknown keys here.",
            ),
            (
                "$comment",
                "§10.17: font-color, color, highlight-color seen in newer examples are not confirmed "
                "and are rejected.",
            ),
            ("additionalProperties", False),
            (
                "properties",
                OrderedDict(
                    [
                        (
                            "style",
                            enum(
                                "Subtitle style (default classic).",
                                [
                                    "classic",
                                    "classic-progressive",
                                    "classic-one-word",
                                    "boxed-line",
                                    "boxed-word",
                                ],
                            ),
                        ),
                        ("all-caps", boolean("Upper-case every word.")),
                        (
                            "font-family",
                            string(
                                "Google Font or built-in family (Arial, Arial Bold, Oswald Bold, ...), or "
                                "the family inside font-url."
                            ),
                        ),
                        (
                            "font-size",
                            integer(
                                "Font size in pixels (default 5% of the movie width).", minimum=1
                            ),
                        ),
                        ("font-url", string("URL of a TTF font file.")),
                        (
                            "font-weight",
                            {
                                "description": 'Font weight "100" to "900" (Google Fonts only; falls back to "400").',
                                "$comment": "Documented as a string; integers 100..900 are accepted as well.",
                                "anyOf": [
                                    {"type": "string"},
                                    {"type": "integer", "minimum": 100, "maximum": 900},
                                ],
                            },
                        ),
                        (
                            "word-color",
                            string("Colour of the word being spoken (default #FFFF00)."),
                        ),
                        ("line-color", string("Colour of the other words (default #FFFFFF).")),
                        (
                            "box-color",
                            string("Colour of the box behind the word or line (default #000000)."),
                        ),
                        ("outline-color", string("Outline colour (default #000000).")),
                        (
                            "outline-width",
                            integer("Outline width in pixels (default 0).", minimum=0),
                        ),
                        ("shadow-color", string("Shadow colour (default #000000).")),
                        ("shadow-offset", integer("Shadow offset in pixels (default 0).")),
                        (
                            "max-words-per-line",
                            integer(
                                "Words per line (default 4; 1 = one word at a time).", minimum=1
                            ),
                        ),
                        (
                            "position",
                            enum(
                                "Placement of the subtitles (default bottom-center).",
                                [
                                    "top-left",
                                    "top-center",
                                    "top-right",
                                    "center-left",
                                    "center-center",
                                    "center-right",
                                    "bottom-left",
                                    "bottom-center",
                                    "bottom-right",
                                    "mid-bottom-center",
                                    "mid-top-center",
                                    "custom",
                                ],
                            ),
                        ),
                        ("x", integer("Pixels from the left (position custom).")),
                        ("y", integer("Pixels from the top (position custom).")),
                        (
                            "keywords",
                            {
                                "type": "array",
                                "items": {"type": "string"},
                                "description": "Extra vocabulary for transcription (default model only).",
                            },
                        ),
                        ("replace", freeobj("Word-to-replacement map applied to the transcript.")),
                    ]
                ),
            ),
        ]
    )

    # ------------------------------------------------------------ nested visual objects
    d["crop"] = OrderedDict(
        [
            ("type", "object"),
            ("description", "Crop rectangle in pixels."),
            ("required", ["width", "height"]),
            (
                "properties",
                OrderedDict(
                    [
                        ("width", integer("Width of the kept area.")),
                        ("height", integer("Height of the kept area.")),
                        ("x", integer("Left offset of the kept area (default 0).")),
                        ("y", integer("Top offset of the kept area (default 0).")),
                    ]
                ),
            ),
        ]
    )
    d["rotate"] = OrderedDict(
        [
            ("type", "object"),
            ("description", "Rotation of the element."),
            ("required", ["angle"]),
            (
                "properties",
                OrderedDict(
                    [
                        (
                            "angle",
                            number("Angle in degrees, -360 to 360.", minimum=-360, maximum=360),
                        ),
                        ("speed", number("Seconds to reach the angle (0 = static).", minimum=0)),
                    ]
                ),
            ),
        ]
    )
    d["chromaKey"] = OrderedDict(
        [
            ("type", "object"),
            ("description", "Chroma key (colour made transparent)."),
            ("required", ["color"]),
            (
                "properties",
                OrderedDict(
                    [
                        ("color", string("Colour to key out, e.g. #00b140.")),
                        (
                            "tolerance",
                            integer("Tolerance 1 to 100 (default 25).", minimum=1, maximum=100),
                        ),
                    ]
                ),
            ),
        ]
    )
    d["correction"] = OrderedDict(
        [
            ("type", "object"),
            ("description", "Colour correction."),
            (
                "properties",
                OrderedDict(
                    [
                        (
                            "brightness",
                            number("Brightness -1 to 1 (default 0).", minimum=-1, maximum=1),
                        ),
                        (
                            "contrast",
                            number(
                                "Contrast -1000 to 1000 (default 1).", minimum=-1000, maximum=1000
                            ),
                        ),
                        ("gamma", number("Gamma 0.1 to 10 (default 1).", minimum=0.1, maximum=10)),
                        (
                            "saturation",
                            number("Saturation 0 to 3 (default 1).", minimum=0, maximum=3),
                        ),
                    ]
                ),
            ),
        ]
    )

    # ------------------------------------------------------------ transition
    d["transition"] = OrderedDict(
        [
            ("type", "object"),
            ("description", "Scene transition (FFmpeg xfade)."),
            (
                "$comment",
                "§10.5: internals only from the legacy OpenAPI, which sets additionalProperties false; "
                "boundary and timing semantics undocumented.",
            ),
            ("additionalProperties", False),
            (
                "properties",
                OrderedDict(
                    [
                        (
                            "style",
                            enum(
                                "Transition style (xfade name, default fade).",
                                [
                                    "fade",
                                    "wipeleft",
                                    "wiperight",
                                    "wipeup",
                                    "wipedown",
                                    "slideleft",
                                    "slideright",
                                    "slideup",
                                    "slidedown",
                                    "circlecrop",
                                    "rectcrop",
                                    "distance",
                                    "fadeblack",
                                    "fadewhite",
                                    "radial",
                                    "smoothleft",
                                    "smoothright",
                                    "smoothup",
                                    "smoothdown",
                                    "circleopen",
                                    "circleclose",
                                    "vertopen",
                                    "vertclose",
                                    "horzopen",
                                    "horzclose",
                                    "dissolve",
                                    "pixelize",
                                    "diagtl",
                                    "diagtr",
                                    "diagbl",
                                    "diagbr",
                                    "hlslice",
                                    "hrslice",
                                    "vuslice",
                                    "vdslice",
                                    "hblur",
                                    "fadegrays",
                                    "wipetl",
                                    "wipetr",
                                    "wipebl",
                                    "wipebr",
                                    "squeezeh",
                                    "squeezev",
                                    "zoomin",
                                ],
                            ),
                        ),
                        (
                            "duration",
                            number(
                                "Transition length in seconds.",
                                minimum=0,
                                comment="§10.14: default undocumented.",
                            ),
                        ),
                        ("type", enum("Transition engine; only xfade.", ["xfade"])),
                    ]
                ),
            ),
        ]
    )

    # ------------------------------------------------------------ exports
    d["export"] = OrderedDict(
        [
            ("type", "object"),
            ("description", "One export: destinations run one after the other."),
            ("required", ["destinations"]),
            (
                "properties",
                OrderedDict(
                    [
                        (
                            "destinations",
                            array_of(
                                "destination", "Destinations, executed sequentially in array order."
                            ),
                        ),
                    ]
                ),
            ),
        ]
    )
    dest_types = ["webhook", "ftp", "sftp", "email"]
    d["destination"] = OrderedDict(
        [
            ("type", "object"),
            (
                "description",
                "A delivery destination: inline (with 'type') or a dashboard Connection "
                "referenced by 'id' (other fields then optional overrides).",
            ),
            (
                "properties",
                OrderedDict(
                    [
                        (
                            "id",
                            string(
                                "Dashboard Connection ID; when given, 'type' and required fields come from the "
                                "connection."
                            ),
                        ),
                        ("type", {"description": "Destination kind.", "enum": dest_types}),
                    ]
                ),
            ),
            (
                "allOf",
                [
                    {
                        "if": {"type": "object", "not": {"required": ["id"]}},
                        "then": {"required": ["type"]},
                    },
                    {
                        "if": {
                            "type": "object",
                            "properties": {"type": {"const": "webhook"}},
                            "required": ["type"],
                        },
                        "then": {"$ref": "#/definitions/webhookDestination"},
                    },
                    {
                        "if": {
                            "type": "object",
                            "properties": {"type": {"enum": ["ftp", "sftp"]}},
                            "required": ["type"],
                        },
                        "then": {"$ref": "#/definitions/ftpDestination"},
                    },
                    {
                        "if": {
                            "type": "object",
                            "properties": {"type": {"const": "email"}},
                            "required": ["type"],
                        },
                        "then": {"$ref": "#/definitions/emailDestination"},
                    },
                ],
            ),
        ]
    )

    def typed_dest(desc, type_values, fields, required):
        props = OrderedDict(
            [
                (
                    "id",
                    string(
                        "Dashboard Connection ID; its stored fields fill in anything omitted here."
                    ),
                ),
                ("type", {"description": "Destination kind.", "enum": type_values}),
            ]
        )
        props.update(fields)
        return OrderedDict(
            [
                ("type", "object"),
                ("description", desc),
                ("$comment", "Required keys apply only without 'id' (a Connection supplies them)."),
                ("properties", props),
                ("if", {"not": {"required": ["id"]}}),
                ("then", {"required": ["type"] + required}),
            ]
        )

    d["webhookDestination"] = typed_dest(
        "POST a notification to an HTTPS endpoint when the render ends.",
        ["webhook"],
        OrderedDict(
            [
                ("endpoint", string("Public HTTPS URL (valid certificate) receiving the POST.")),
                (
                    "content-type",
                    string(
                        "Payload encoding: json (default) or urlencoded per the docs; the "
                        "official node sends full MIME types.",
                        comment="§10.6: short and MIME forms conflict; kept a free string.",
                    ),
                ),
            ]
        ),
        ["endpoint"],
    )
    d["ftpDestination"] = typed_dest(
        "Upload the video to an FTP or SFTP server.",
        ["ftp", "sftp"],
        OrderedDict(
            [
                ("host", string("Server host name.")),
                (
                    "port",
                    integer(
                        "Server port (typically 21 for FTP, 22 for SFTP).", minimum=1, maximum=65535
                    ),
                ),
                ("username", string("Login user name.")),
                ("password", string("Login password.")),
                (
                    "remote-path",
                    string("Remote folder (default ./); macros such as __yyyy__ allowed."),
                ),
                (
                    "file",
                    string("Remote file name (default: date + random number); macros allowed."),
                ),
            ]
        ),
        ["host", "port", "username", "password"],
    )
    d["emailDestination"] = typed_dest(
        "Email the video link.",
        ["email"],
        OrderedDict(
            [
                ("to", string("Recipient address.")),
                ("subject", string("Subject line; macros allowed.")),
                ("message", string("Plain-text body; macros such as __video_url__ allowed.")),
            ]
        ),
        ["to", "subject", "message"],
    )

    return d


def main(path):
    defs = build()
    root = OrderedDict(
        [
            ("$schema", "http://json-schema.org/draft-07/schema#"),
            ("$id", "https://moviekit.dev/schema/movie.schema.json"),
            ("title", "JSON2Video Movie JSON"),
            (
                "description",
                "Movie JSON accepted by POST https://api.json2video.com/v2/movies, as bundled "
                "with moviekit. Written from the moviekit fact reference (movie-json.md); any "
                "field may hold a {{ ... }} placeholder.",
            ),
        ]
    )
    # The root *is* the movie (a copy of definitions.movie), so $id is not a sibling of $ref.
    for k, v in defs["movie"].items():
        if k != "description":
            root[k] = v
    root["definitions"] = defs
    with open(path, "w") as f:
        json.dump(root, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    import os
    import tempfile

    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "movie.schema.json")
    if sys.argv[1:] == ["--check"]:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = os.path.join(tmp, "movie.schema.json")
            main(fresh)
            with open(fresh) as new, open(target) as old:
                stale = new.read() != old.read()
        print(
            "schema/movie.schema.json is stale: run python schema/generate.py"
            if stale
            else "schema/movie.schema.json is up to date"
        )
        sys.exit(1 if stale else 0)
    main(target)
