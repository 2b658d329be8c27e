"""The element builders: one class per Movie JSON element type, and their shared bases.

Each class declares its documented properties (reference §3-§4) with
:class:`~moviekit.builders._nodes.Prop`; everything else (copying, ordering, the escape
hatch, equality) lives in :class:`~moviekit.builders._nodes.Node`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal, TypeVar

from moviekit._errors import BuildError
from moviekit.builders._nodes import (
    _NO_CHILDREN,
    _UNRANKED,
    Node,
    Prop,
    to_json_value,
)
from moviekit.timing import _place
from moviekit.timing._expr import TimeExpr, TimeRefs
from moviekit.values._values import (
    CONTAINER_END,
    CONTAINER_LENGTH,
    NATURAL_LENGTH,
    ChromaKey,
    Correction,
    Crop,
    Expr,
    Rotate,
    Special,
)

__all__ = [
    "ELEMENT_TYPES",
    "HTML",
    "Audio",
    "Audiogram",
    "Component",
    "Element",
    "Image",
    "Subtitles",
    "Text",
    "UnknownElement",
    "Video",
    "Voice",
]

B = TypeVar("B", bound=Node)

Seconds = float | int | Special
Position = Literal[
    "top-left", "top-right", "bottom-right", "bottom-left", "center-center", "custom"
]
Resize = Literal["cover", "fill", "fit", "contain"]
Pan = Literal[
    "left", "top", "right", "bottom", "top-left", "top-right", "bottom-left", "bottom-right"
]
Resolution = Literal[
    "sd", "hd", "full-hd", "squared", "instagram-story", "instagram-feed",
    "twitter-landscape", "twitter-portrait", "custom",
]  # fmt: skip
Quality = Literal["low", "medium", "high"]
AspectRatio = Literal["horizontal", "vertical", "squared"]
JSONObject = Mapping[str, Any]


def _merge(
    node: B, wire: str, mapping: JSONObject | None, values: Mapping[str, Any], *, kebab: bool
) -> B:
    """Return ``node`` with the object property ``wire`` updated by ``mapping`` and ``values``."""
    current = node._props.get(wire)
    if current is not None and not isinstance(current, dict):
        raise BuildError(
            f"holds {type(current).__name__} {current!r}, not an object, so it cannot be "
            f"extended; replace it with .set({wire!r}, {{...}})",
            path=wire,
        )
    merged = dict(current or {})
    if mapping is not None:
        if not isinstance(mapping, Mapping):
            raise BuildError(f"expected a dict, got {type(mapping).__name__}", path=wire)
        merged.update(mapping)
    for key, value in values.items():
        merged[key.replace("_", "-") if kebab else key] = value
    return node._with_prop(wire, merged)


# =========================================================================== elements


class Element(Node):
    """Base of every element builder. ``type`` is fixed by the class."""

    __slots__ = ()

    #: the wire ``type`` of this element class
    type: ClassVar[str | None] = None
    _label = "element"

    comment = Prop[str]("a note for humans; not rendered")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # ``type`` is stored with the other properties (first), so compiling an
        # element is one dict copy.
        if isinstance(cls.__dict__.get("type"), str):
            cls._fixed = {"type": cls.type}
        super().__init_subclass__(**kwargs)


class _Timed(Element):
    """Properties every element but subtitles has (reference §3.1)."""

    __slots__ = ()

    id = Prop[str]("a name for the element; needed to refer to its timing from others")
    condition = Prop[str]("an expression; the element is skipped when it is false or empty")
    _variables = Prop[JSONObject]("element-scope variables", wire="variables")
    start = Prop[Seconds](
        "seconds from the container's start; CONTAINER_END puts it at the end",
        named=(CONTAINER_END,),
    )
    duration = Prop[Seconds](
        "seconds; NATURAL_LENGTH (asset length) or CONTAINER_LENGTH (scene/movie length)",
        named=(NATURAL_LENGTH, CONTAINER_LENGTH),
    )
    extra_time = Prop[float]("seconds added after the element's own length")
    z_index = Prop[int]("layer, -99..99; higher is drawn on top")
    fade_in = Prop[float]("fade-in length in seconds")
    fade_out = Prop[float]("fade-out length in seconds")
    cache = Prop[bool]("False re-downloads / re-renders this element")

    def variables(self: B, mapping: JSONObject | None = None, /, **values: Any) -> B:
        """Return a copy with these element-scope variables added (or replaced by name)."""
        return _merge(self, "variables", mapping, values, kebab=False)

    # -- relative placement (moviekit/timing/_place.py) -----------------------------------------

    @property
    def time(self) -> TimeRefs:
        """This element's timing as expressions: ``.start``, ``.end``, ``.duration``,
        ``.extra_time``.

        ``Text("Hi").start(voice.time.end + 1)``; the reference is to this very
        object, so add this same object to the scene.
        """
        return TimeRefs(self)

    def after(self: B, other: Element, gap: float | TimeExpr = 0) -> B:
        """Return a copy that starts ``gap`` seconds (may be negative) after ``other`` ends."""
        return _place.after(self, other, gap)

    def with_(self: B, other: Element, offset: float | TimeExpr = 0) -> B:
        """Return a copy that starts when ``other`` starts (plus ``offset`` seconds)."""
        return _place.with_(self, other, offset)

    def until(self: B, other: Element, gap: float | TimeExpr = 0) -> B:
        """Return a copy whose duration makes it end when ``other`` ends (plus ``gap``)."""
        return _place.until(self, other, gap)

    def after_previous(self: B, gap: float | TimeExpr = 0) -> B:
        """Return a copy that starts ``gap`` seconds after the element before it ends."""
        return _place.after_previous(self, gap)

    def length_hint(self: B, seconds: float) -> B:
        """Return a copy whose natural length the timeline takes as ``seconds`` (never sent)."""
        new: B = self._with_prop(_place.LENGTH_HINT, _place.check_length_hint(seconds))
        new._deep = True  # so compile takes the hint out (see builders/_compile.py)
        return new


class _Visual(_Timed):
    """Placement, size and look (reference §3.2)."""

    __slots__ = ()

    position = Prop[Position]("a preset position, or 'custom' to use x / y")
    x = Prop[int]("pixels from the left (with position='custom')")
    y = Prop[int]("pixels from the top (with position='custom')")
    width = Prop[int]("pixels; -1 keeps the aspect ratio (text/html/component: canvas width)")
    height = Prop[int]("pixels; -1 keeps the aspect ratio")
    resize = Prop[Resize]("fit the canvas: cover/fill (may crop) or contain/fit (all visible)")
    crop = Prop[Crop | JSONObject]("show only a window of the element (Crop)")
    rotate = Prop[Rotate | JSONObject]("rotation (Rotate)")
    zoom = Prop[int]("-10..10; positive zooms in")
    pan = Prop[Pan]("direction to pan towards")
    pan_distance = Prop[float]("amount of pan movement, 0.01..0.5")
    pan_crop = Prop[bool]("keep the canvas covered while panning")
    flip_horizontal = Prop[bool]("mirror left-right")
    flip_vertical = Prop[bool]("mirror top-bottom")
    mask = Prop[str]("URL of a greyscale PNG or video; black is transparent")
    chroma_key = Prop[ChromaKey | JSONObject]("make one colour transparent (ChromaKey)")
    correction = Prop[Correction | JSONObject]("colour correction (Correction)")


class _Audible(_Timed):
    """Playback loudness (reference §3.4)."""

    __slots__ = ()

    volume = Prop[float]("loudness multiplier, 0..10 (1 = original)")
    muted = Prop[bool]("silence the element")


class _Looping(_Audible):
    __slots__ = ()

    loop = Prop[int]("how many times to play; -1 forever (give a duration)")
    seek = Prop[float]("start offset inside the file; negative counts from the end")


class Image(_Visual):
    """A still picture from ``src``, or one generated from ``prompt`` by an AI model.

    An image has no natural length: give it (or its scene) a duration.
    """

    __slots__ = ()
    type = "image"

    src = Prop[str]("URL of the picture (JPG, PNG, GIF, ...)")
    prompt = Prop[str]("text prompt for an AI-generated picture")
    model = Prop[str]("AI model, e.g. 'flux-schnell', 'flux-pro', 'freepik-classic'")
    model_settings = Prop[JSONObject]("settings passed to the AI provider")
    aspect_ratio = Prop[AspectRatio]("shape of the AI-generated picture")
    connection = Prop[str]("dashboard connection id to use your own provider key")

    def __init__(self, src: str | Expr | None = None, /, **props: Any) -> None:
        self._init(props, "src", src)


class Video(_Visual, _Looping):
    """A video clip from ``src`` (MP4 recommended), with its sound unless muted."""

    __slots__ = ()
    type = "video"

    src = Prop[str]("URL of the video file")
    prompt = Prop[str]("text prompt for an AI-generated video (newer, unverified service feature)")
    model = Prop[str]("AI video model (newer, unverified service feature)")

    def __init__(self, src: str | Expr, /, **props: Any) -> None:
        self._init(props, "src", src)


class Text(_Visual):
    """Animated text. ``style`` picks the animation ("001"...); ``settings`` holds CSS-like keys."""

    __slots__ = ()
    type = "text"

    text = Prop[str]("the text to show (plain text, no HTML)")
    style = Prop[str]("animation style id such as '001'...'005'")
    _settings = Prop[JSONObject]("CSS-like text settings", wire="settings")

    def __init__(self, text: str | Expr, /, **props: Any) -> None:
        self._init(props, "text", text)

    def settings(self: B, mapping: JSONObject | None = None, /, **css: Any) -> B:
        """Return a copy with these text settings added.

        Keyword names turn ``_`` into ``-`` (``font_size="48px"`` -> ``font-size``);
        pass a dict to give exact keys.
        """
        return _merge(self, "settings", mapping, css, kebab=True)


class HTML(_Visual):
    """An HTML snippet (or a web page from ``src``) rendered in a transparent browser viewport."""

    __slots__ = ()
    type = "html"

    html = Prop[str]("HTML5 / CSS / JavaScript to render")
    src = Prop[str]("URL of a web page to capture instead of inline HTML")
    tailwindcss = Prop[bool]("preload Tailwind CSS")
    tailwind = Prop[bool]("preload Tailwind CSS (the spelling a newer tutorial uses)")
    wait = Prop[float]("seconds to wait before the snapshot (0..5)")
    dpi = Prop[float]("pixel density, e.g. 2 for sharper output")
    _settings = Prop[JSONObject](
        "legacy html settings (an old tutorial passes them)", wire="settings"
    )

    def __init__(self, html: str | Expr | None = None, /, **props: Any) -> None:
        self._init(props, "html", html)

    def settings(self: B, mapping: JSONObject | None = None, /, **values: Any) -> B:
        """Return a copy with these legacy html settings added (names: ``_`` -> ``-``)."""
        return _merge(self, "settings", mapping, values, kebab=True)


class Component(_Visual):
    """A pre-built animated component from the library, e.g. ``Component("basic/001")``."""

    __slots__ = ()
    type = "component"

    component = Prop[str]("library id such as 'basic/001' or 'shape/rectangle'")
    _settings = Prop[JSONObject]("settings keyed by the component's parts", wire="settings")

    def __init__(self, component: str | Expr, /, **props: Any) -> None:
        self._init(props, "component", component)

    def settings(self: B, mapping: JSONObject | None = None, /, **parts: Any) -> B:
        """Return a copy with these component settings (keyed by part, e.g. ``headline``) added."""
        return _merge(self, "settings", mapping, parts, kebab=True)


class Audio(_Looping):
    """A sound file from ``src`` (MP3, WAV, ...)."""

    __slots__ = ()
    type = "audio"

    src = Prop[str]("URL of the audio file")

    def __init__(self, src: str | Expr, /, **props: Any) -> None:
        self._init(props, "src", src)


class Voice(_Audible):
    """Text-to-speech: ``text`` spoken by ``voice`` (Azure by default, or ElevenLabs)."""

    __slots__ = ()
    type = "voice"

    text = Prop[str]("what to say (Azure also accepts SSML)")
    voice = Prop[str]("voice name, e.g. 'en-US-EmmaMultilingualNeural' or 'Rachel'")
    model = Prop[str]("'azure' (default), 'elevenlabs', 'elevenlabs-flash-v2-5', ...")
    connection = Prop[str]("dashboard connection id to use your own provider key")
    model_settings = Prop[JSONObject]("settings passed to the speech provider")

    def __init__(self, text: str | Expr, /, **props: Any) -> None:
        self._init(props, "text", text)


class Audiogram(_Visual):
    """Sound waves that visualise the audio of its scene (or movie)."""

    __slots__ = ()
    type = "audiogram"

    color = Prop[str]("colour of the waves, e.g. '#ffffff'")
    opacity = Prop[float]("0..1")
    amplitude = Prop[float]("wave height, 0..10")

    def __init__(self, **props: Any) -> None:
        self._init(props)


SubtitleLanguage = Literal[
    "auto", "en", "bg", "ca", "cs", "da", "nl", "en-AU", "en-GB", "en-NZ", "en-IN", "en-US", "et",
    "fr", "fi", "nl-BE", "de", "de-CH", "el", "hi", "hi-Latn", "hu", "id", "it", "ja", "ko", "lv",
    "lt", "ms", "no", "pl", "pt", "pt-BR", "ro", "ru", "sk", "es", "es-419", "sv", "th", "tr",
    "uk", "vi", "zh", "zh-TW",
]  # fmt: skip


class Subtitles(Element):
    """Captions for the whole movie: transcribed from its audio, or from ``captions``.

    Add it to the :class:`Movie` (never to a scene), at most once.
    """

    __slots__ = ()
    type = "subtitles"

    captions = Prop[str]("URL or inline text of an SRT / VTT / ASS file; omit to transcribe")
    language = Prop[SubtitleLanguage]("'auto' (default) or a language code such as 'en', 'pt-BR'")
    model = Prop[Literal["default", "whisper"]]("transcription model")
    _settings = Prop[JSONObject]("look of the captions", wire="settings")

    def __init__(self, captions: str | Expr | None = None, /, **props: Any) -> None:
        self._init(props, "captions", captions)

    def settings(self: B, mapping: JSONObject | None = None, /, **values: Any) -> B:
        """Return a copy with these subtitle settings added.

        Keyword names turn ``_`` into ``-`` (``max_words_per_line=2``,
        ``word_color="#FFFF00"``, ``style="boxed-word"``).
        """
        return _merge(self, "settings", mapping, values, kebab=True)


class UnknownElement(_Timed):
    """An element whose ``type`` moviekit does not know, kept exactly as it was read."""

    __slots__ = ()

    def __init__(self, props: JSONObject) -> None:
        self._props = {k: to_json_value(v, k) for k, v in props.items()}
        self._chain = _NO_CHILDREN
        self._deep = True
        self._tail = _UNRANKED


ELEMENT_TYPES: dict[str, type[Element]] = {
    cls.type: cls
    for cls in (Image, Video, Text, HTML, Component, Audio, Voice, Audiogram, Subtitles)
    if cls.type
}
