"""The Movie JSON, fact by fact: every object, property, type, range, choice and default.

This module and :mod:`moviekit.service._objects` (movie, scene and nested
objects) are the one place such facts are written. ``schema/generate.py`` turns it
into ``schema/movie.schema.json`` and ``moviekit/builders/_generated.py``;
validation, the timing engine, the preview and the fake service read it.

Reading conventions: ``values`` are the reference's documented choices,
``also`` choices shown working elsewhere (a tutorial, a real accepted
document), so neither is ever reported. A property's ``sources`` say where it
is documented; a ``note`` says where sources disagree and which reading we
took. The groups of element properties keep the order the builders have always
written them in, so compiled documents (and golden files) do not change.
"""

from __future__ import annotations

from moviekit.service._model import Element, Prop, Status

__all__ = ["ELEMENTS", "GROUPS", "POSITIONS", "RESOLUTIONS", "TRANSITION_STYLES"]

LEGACY, EXAMPLE, IGNORED = Status.LEGACY, Status.EXAMPLE, Status.IGNORED
_SECONDS = "Seconds"  # the builders' annotation for a time (float, int or a named constant)

# ---------------------------------------------------------------------- shared choices

POSITIONS = ("top-left", "top-right", "bottom-right", "bottom-left", "center-center", "custom")
#: Position presets documented for subtitles only; seen on other elements in tutorials.
SUBTITLE_POSITIONS = (
    "top-left", "top-center", "top-right", "center-left", "center-center", "center-right",
    "bottom-left", "bottom-center", "bottom-right", "mid-bottom-center", "mid-top-center",
    "custom",
)  # fmt: skip
TRANSITION_STYLES = (
    "fade", "wipeleft", "wiperight", "wipeup", "wipedown", "slideleft", "slideright",
    "slideup", "slidedown", "circlecrop", "rectcrop", "distance", "fadeblack", "fadewhite",
    "radial", "smoothleft", "smoothright", "smoothup", "smoothdown", "circleopen",
    "circleclose", "vertopen", "vertclose", "horzopen", "horzclose", "dissolve", "pixelize",
    "diagtl", "diagtr", "diagbl", "diagbr", "hlslice", "hrslice", "vuslice", "vdslice",
    "hblur", "fadegrays", "wipetl", "wipetr", "wipebl", "wipebr", "squeezeh", "squeezev",
    "zoomin",
)  # fmt: skip
SUBTITLE_LANGUAGES = (
    "auto", "en", "bg", "ca", "cs", "da", "nl", "en-AU", "en-GB", "en-NZ", "en-IN", "en-US", "et",
    "fr", "fi", "nl-BE", "de", "de-CH", "el", "hi", "hi-Latn", "hu", "id", "it", "ja", "ko", "lv",
    "lt", "ms", "no", "pl", "pt", "pt-BR", "ro", "ru", "sk", "es", "es-419", "sv", "th", "tr",
    "uk", "vi", "zh", "zh-TW",
)  # fmt: skip
RESOLUTIONS = (
    "sd", "hd", "full-hd", "squared", "instagram-story", "instagram-feed",
    "twitter-landscape", "twitter-portrait", "custom",
)  # fmt: skip

VARIABLES_DOC = "variables of this scope (names: a letter, then letters, digits, _)"

# ---------------------------------------------------------------------- element groups

_ELEMENT = (Prop("comment", "string", "a note for humans; not rendered", ("A-element",)),)
_TIMED = (
    Prop(
        "id",
        "string",
        "a name for the element; needed to refer to its timing from others "
        "({{ID_start}}, {{ID_end}}, {{ID_duration}}, {{ID_extratime}})",
        ("A-element", "OLD-dynvars"),
    ),
    Prop(
        "condition",
        "string",
        "an expression; the element is skipped when it is false or empty",
        ("A-conditions",),
    ),
    Prop(
        "variables",
        "object",
        VARIABLES_DOC,
        ("A-variables",),
        custom=True,
        python_type="JSONObject",
    ),
    Prop(
        "start",
        "number",
        "seconds from the container's start; CONTAINER_END puts it at the end",
        ("A-element", "A-timing"),
        minimum=0,
        specials=(-1,),
        default="0",
        python_type=_SECONDS,
        named=("CONTAINER_END",),
    ),
    Prop(
        "duration",
        "number",
        "seconds; NATURAL_LENGTH (asset length) or CONTAINER_LENGTH (scene/movie length)",
        ("A-element", "N-element", "N-core", "A-timing"),
        above=0,
        specials=(-1, -2),
        python_type=_SECONDS,
        named=("NATURAL_LENGTH", "CONTAINER_LENGTH"),
        note="-2 is listed for every element type by the newer element reference and core "
        "concepts; the older per-type tables gave it only to text, component and audiogram",
    ),
    Prop("extra-time", "number", "seconds added after the element's own length", ("A-element",)),
    Prop(
        "z-index",
        "integer",
        "layer, -99..99; higher is drawn on top",
        ("A-element", "N-element"),
        minimum=-99,
        maximum=99,
        default="0",
    ),
    Prop("fade-in", "number", "fade-in length in seconds", ("A-element",), minimum=0),
    Prop("fade-out", "number", "fade-out length in seconds", ("A-element",), minimum=0),
    Prop("cache", "boolean", "False re-downloads / re-renders this element", ("A-element",)),
)
_VISUAL = (
    Prop(
        "position",
        "string",
        "a preset position, or 'custom' to use x / y",
        ("A-element", "A-positioning"),
        values=POSITIONS,
        also=("top-center", "bottom-center", "center-left", "center-right"),
        default="custom",
        note="the element tables list 6 presets; tutorial 14 places text at 'top-center' and "
        "subtitles document the centred ones, so those are accepted too",
    ),
    Prop(
        "x",
        "integer",
        "pixels from the left (with position='custom'; an offset with a preset)",
        ("A-element", "T06"),
        note="tutorials combine a preset with x / y offsets (x: -60 with bottom-right)",
    ),
    Prop("y", "integer", "pixels from the top (with position='custom'; an offset with a preset)", ("A-element", "T06")),
    Prop(
        "width",
        "integer",
        "pixels; -1 keeps the aspect ratio (text/html/component: canvas width)",
        ("A-element",),
        minimum=-1,
        default="-1",
    ),
    Prop("height", "integer", "pixels; -1 keeps the aspect ratio", ("A-element",), minimum=-1, default="-1"),
    Prop(
        "resize",
        "string",
        "fit the canvas: cover/fill (may crop) or contain/fit (all visible)",
        ("A-element",),
        values=("cover", "fill", "fit", "contain"),
    ),
    Prop("crop", "object", "show only a window of the element (Crop)", ("A-element",), nested="crop", python_type="Crop | JSONObject"),
    Prop("rotate", "object", "rotation (Rotate)", ("A-element",), nested="rotate", python_type="Rotate | JSONObject"),
    Prop("zoom", "integer", "-10..10; positive zooms in", ("A-element",), minimum=-10, maximum=10),
    Prop(
        "pan",
        "string",
        "direction to pan towards",
        ("A-element",),
        values=("left", "top", "right", "bottom", "top-left", "top-right", "bottom-left", "bottom-right"),
    ),
    Prop("pan-distance", "number", "amount of pan movement, 0.01..0.5", ("A-element",), minimum=0.01, maximum=0.5, default="0.1"),
    Prop("pan-crop", "boolean", "keep the canvas covered while panning", ("A-element",), default="true"),
    Prop("flip-horizontal", "boolean", "mirror left-right", ("A-element",)),
    Prop("flip-vertical", "boolean", "mirror top-bottom", ("A-element",)),
    Prop("mask", "string", "URL of a greyscale PNG or video; black is transparent", ("A-element",)),
    Prop("chroma-key", "object", "make one colour transparent (ChromaKey)", ("A-element",), nested="chromaKey", python_type="ChromaKey | JSONObject"),
    Prop("correction", "object", "colour correction (Correction)", ("A-element",), nested="correction", python_type="Correction | JSONObject"),
)  # fmt: skip
_AUDIBLE = (
    Prop("volume", "number", "loudness multiplier, 0..10 (1 = original)", ("A-video", "A-audio", "A-voice"), minimum=0, maximum=10, default="1"),
    Prop("muted", "boolean", "silence the element", ("A-video", "A-audio", "A-voice")),
)  # fmt: skip
_LOOPING = (
    Prop(
        "loop",
        "integer",
        "how many times to play; -1 forever (give a duration)",
        ("A-video", "A-audio", "A-timing"),
        minimum=-1,
        default="1",
    ),
    Prop(
        "seek",
        "number",
        "start offset inside the file; negative counts from the end",
        ("A-video", "A-audio"),
    ),
)

#: Shared property groups, by name, in the order the builders write them.
GROUPS: dict[str, tuple[Prop, ...]] = {
    "element": _ELEMENT,
    "timed": _TIMED,
    "visual": _VISUAL,
    "audible": _AUDIBLE,
    "looping": _LOOPING,
}


def _ai(kind: str) -> tuple[Prop, ...]:
    """The AI-generation properties an image (or, the same way, a video) takes."""
    sources = ("A-image", "T09", "N-ai-models") if kind == "image" else ("T09", "N-ai-models")
    status = Status.DOCUMENTED if kind == "image" else EXAMPLE
    note = "" if kind == "image" else "tutorial 09: AI clips 'work the same way on a video element'"
    return (
        Prop("prompt", "string", f"text prompt for an AI-generated {kind}", sources, status=status, note=note),
        Prop(
            "model",
            "string",
            f"AI {kind} model, e.g. " + ("'flux-schnell', 'flux-pro', 'seedream-v4'" if kind == "image" else "'seedance-v1.5-pro'"),
            sources,
            status=status,
            note="an open list: the live catalog grows (tutorial 09 uses 'kling-1-6', in no catalog); "
            "an id not in moviekit's snapshot is a warning",
        ),
        Prop("model-settings", "object", "settings passed to the AI provider", sources, status=status, python_type="JSONObject"),
        Prop(
            "aspect-ratio",
            "string",
            f"shape of the AI-generated {kind}",
            sources,
            values=("horizontal", "vertical", "squared"),
            also=("square",),
            default="horizontal",
            status=status,
            note="the reference says 'squared', tutorial 09 'square': both are accepted",
        ),
        Prop("connection", "string", "dashboard connection id to use your own provider key", sources, status=status),
    )  # fmt: skip


_SRC_DOC = {
    "image": "URL of the picture (JPG, PNG, GIF, ...); omit it for an AI picture (prompt + model)",
    "video": "URL of the video file (MP4 recommended); omit it for an AI clip (prompt + model)",
    "audio": "URL of the audio file (MP3, WAV, ...)",
}

ELEMENTS: dict[str, Element] = {
    e.type: e
    for e in (
        Element(
            "image",
            "Image",
            "A still picture from ``src``, or one generated from ``prompt`` by an AI model.",
            (Prop("src", "string", _SRC_DOC["image"], ("A-image",)), *_ai("image")),
            ("visual", "timed", "element"),
            ("A-image",),
            note="an image has no natural length: -1 fits it to its container",
        ),
        Element(
            "video",
            "Video",
            "A video clip from ``src`` (or AI-generated from ``prompt``), with its sound unless muted.",
            (Prop("src", "string", _SRC_DOC["video"], ("A-video",)), *_ai("video")),
            ("visual", "looping", "audible", "timed", "element"),
            ("A-video", "T09"),
            natural=True,
        ),
        Element(
            "text",
            "Text",
            "Animated text. ``style`` picks the animation ('001'...); ``settings`` holds CSS keys.",
            (
                Prop(
                    "text",
                    "string",
                    "the text to show (plain text, no HTML)",
                    ("A-text",),
                    required=True,
                ),
                Prop(
                    "style",
                    "string",
                    "animation style id such as '001'...'005'",
                    ("A-text",),
                    default="001",
                ),
                Prop(
                    "settings",
                    "object",
                    "CSS-like text settings",
                    ("A-text", "N-text"),
                    nested="textSettings",
                    custom=True,
                    python_type="JSONObject",
                ),
            ),
            ("visual", "timed", "element"),
            ("A-text", "N-text"),
            default_duration=-2,
            natural=True,
        ),
        Element(
            "html",
            "HTML",
            "An HTML snippet (or a web page from ``src``) rendered in a transparent browser viewport.",
            (
                Prop("html", "string", "HTML5 / CSS / JavaScript to render", ("A-html", "N-html")),
                Prop(
                    "src",
                    "string",
                    "URL of a web page to capture instead of inline HTML",
                    ("N-html", "G-html"),
                ),
                Prop("tailwindcss", "boolean", "preload Tailwind CSS", ("O", "A-html")),
                Prop(
                    "tailwind",
                    "boolean",
                    "preload Tailwind CSS (the spelling tutorial 06 uses)",
                    ("T06",),
                    status=EXAMPLE,
                ),
                Prop(
                    "wait",
                    "number",
                    "seconds to wait before the snapshot (0..5)",
                    ("A-html",),
                    minimum=0,
                    maximum=5,
                    note="the delay is documented; its name only by a third party",
                ),
                Prop(
                    "dpi",
                    "number",
                    "pixel density, e.g. 2 for sharper output",
                    ("G-html",),
                    status=EXAMPLE,
                ),
                Prop(
                    "settings",
                    "object",
                    "legacy html settings (an old tutorial passes them)",
                    ("OLD-html",),
                    custom=True,
                    python_type="JSONObject",
                    status=LEGACY,
                ),
            ),
            ("visual", "timed", "element"),
            ("A-html", "N-html"),
            note="html's default duration is undocumented; like an image it has no natural length",
        ),
        Element(
            "component",
            "Component",
            "A pre-built animated component from the library, e.g. ``Component('basic/001')``.",
            (
                Prop(
                    "component",
                    "string",
                    "library id such as 'basic/001' or 'shape/rectangle'",
                    ("A-component",),
                    required=True,
                ),
                Prop(
                    "settings",
                    "object",
                    "settings keyed by the component's parts",
                    ("A-component",),
                    custom=True,
                    python_type="JSONObject",
                ),
            ),
            ("visual", "timed", "element"),
            ("A-component",),
            default_duration=-2,
            natural=True,
        ),
        Element(
            "audio",
            "Audio",
            "A sound file from ``src`` (MP3, WAV, ...).",
            (Prop("src", "string", _SRC_DOC["audio"], ("A-audio",)),),
            ("looping", "audible", "timed", "element"),
            ("A-audio",),
            natural=True,
        ),
        Element(
            "voice",
            "Voice",
            "Text-to-speech: ``text`` spoken by ``voice`` (Azure by default, or ElevenLabs).",
            (
                Prop(
                    "text",
                    "string",
                    "what to say (Azure also accepts SSML)",
                    ("A-voice",),
                    required=True,
                ),
                Prop(
                    "voice",
                    "string",
                    "voice name, e.g. 'en-US-EmmaMultilingualNeural' or 'Rachel'",
                    ("A-voice",),
                ),
                Prop(
                    "model",
                    "string",
                    "'azure' (default), 'elevenlabs', 'elevenlabs-flash-v2-5', ...",
                    ("A-voice", "N-ai-models", "T07"),
                    default="azure",
                ),
                Prop(
                    "connection",
                    "string",
                    "dashboard connection id to use your own provider key",
                    ("A-voice",),
                ),
                Prop(
                    "model-settings",
                    "object",
                    "settings passed to the speech provider",
                    ("A-11labs",),
                    python_type="JSONObject",
                ),
            ),
            ("audible", "timed", "element"),
            ("A-voice", "T07"),
            natural=True,
        ),
        Element(
            "audiogram",
            "Audiogram",
            "Sound waves that visualise the audio of its scene (or movie).",
            (
                Prop("color", "string", "colour of the waves, e.g. '#ffffff'", ("A-audiogram",)),
                Prop(
                    "opacity",
                    "number",
                    "0..1",
                    ("A-audiogram",),
                    minimum=0,
                    maximum=1,
                    default="0.5",
                ),
                Prop(
                    "amplitude",
                    "number",
                    "wave height, 0..10",
                    ("A-audiogram",),
                    minimum=0,
                    maximum=10,
                    default="5",
                ),
                Prop(
                    "volume",
                    "number",
                    "loudness multiplier, 0..10",
                    ("N-element",),
                    minimum=0,
                    maximum=10,
                ),
                Prop("muted", "boolean", "silence the element", ("N-element",)),
            ),
            ("visual", "timed", "element"),
            ("A-audiogram", "N-element"),
            default_duration=-2,
            natural=True,
            note="volume and muted: the newer element reference lists them for audiograms",
        ),
        Element(
            "subtitles",
            "Subtitles",
            "Captions for the whole movie: transcribed from its audio, or from ``captions``.",
            (
                Prop(
                    "captions",
                    "string",
                    "URL or inline text of an SRT / VTT / ASS file; omit to transcribe",
                    ("A-subtitles",),
                ),
                Prop(
                    "language",
                    "string",
                    "'auto' (default) or a language code such as 'en', 'pt-BR'",
                    ("A-subtitles", "OLD-subtitles"),
                    values=SUBTITLE_LANGUAGES,
                    also=("ar",),
                    default="auto",
                    note="the list is the 'default' model's; 'whisper' takes more languages "
                    "(none published), so an unlisted code is a warning",
                ),
                Prop(
                    "model",
                    "string",
                    "transcription model",
                    ("A-subtitles",),
                    values=("default", "whisper"),
                    default="default",
                ),
                Prop(
                    "settings",
                    "object",
                    "look of the captions",
                    ("A-subtitles",),
                    nested="subtitlesSettings",
                    custom=True,
                    python_type="JSONObject",
                ),
            ),
            ("element",),
            ("A-subtitles", "T08"),
            note="documented at movie level, one per movie; the older tutorial documented "
            "scene-level subtitles and real projects use both, so those are warnings",
        ),
    )  # fmt: skip
}
