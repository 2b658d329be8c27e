"""The public builders: ``Movie``, ``Scene`` and one class per element type.

Each class declares its documented properties (reference §1-§4) with
:class:`~moviekit.builders._nodes.Prop`; everything else (copying, ordering, the escape
hatch, equality) lives in :class:`~moviekit.builders._nodes.Node`. Compilation to Movie
JSON is ``to_dict`` / ``to_json`` on :class:`Movie`, the only exits.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import TypeAdapter

from moviekit._errors import BuildError
from moviekit.builders._nodes import (
    _KEPT_EMPTY,
    _NO_CHILDREN,
    _UNRANKED,
    Children,
    Node,
    Prop,
    _appended,
    _flat,
    _kept_empty,
    to_json_value,
)
from moviekit.timing import _expr as _timeexpr
from moviekit.timing._expr import LENGTH_HINT, PENDING, TimeExpr, TimeRefs
from moviekit.values._values import (
    CONTAINER_END,
    CONTAINER_LENGTH,
    NATURAL_LENGTH,
    ChromaKey,
    Correction,
    Crop,
    Destination,
    Expr,
    Rotate,
    Special,
    Transition,
    TransitionStyle,
)

__all__ = [
    "HTML",
    "Audio",
    "Audiogram",
    "Component",
    "Element",
    "Image",
    "Movie",
    "Scene",
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
_JSON_TEXT = TypeAdapter(Any)  # serialises compiled documents (plain JSON values only)


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


def _own_props(node: Node) -> dict[str, Any]:
    """A compiled copy of ``node``'s properties (nested containers copied when it has any).

    For an element that is the whole compiled element.
    """
    return _copy_nested(node._props.copy()) if node._deep else node._props.copy()


def _copy_nested(out: dict[str, Any]) -> dict[str, Any]:
    # Compiled output must not share dicts with the builder: a caller editing
    # the output would otherwise change the (immutable) builder.
    for key, value in out.items():
        if type(value) is dict or type(value) is list:
            out[key] = json.loads(json.dumps(value))
        elif key is LENGTH_HINT or isinstance(value, TimeExpr):
            PENDING.count += 1  # timing hook: Movie._compile must lower this element
    return out


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

    # -- relative placement (moviekit/timing/_expr.py) ------------------------------------------

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
        return _timeexpr.after(self, other, gap)

    def with_(self: B, other: Element, offset: float | TimeExpr = 0) -> B:
        """Return a copy that starts when ``other`` starts (plus ``offset`` seconds)."""
        return _timeexpr.with_(self, other, offset)

    def until(self: B, other: Element, gap: float | TimeExpr = 0) -> B:
        """Return a copy whose duration makes it end when ``other`` ends (plus ``gap``)."""
        return _timeexpr.until(self, other, gap)

    def after_previous(self: B, gap: float | TimeExpr = 0) -> B:
        """Return a copy that starts ``gap`` seconds after the element before it ends."""
        return _timeexpr.after_previous(self, gap)

    def length_hint(self: B, seconds: float) -> B:
        """Return a copy whose natural length the timeline takes as ``seconds`` (never sent)."""
        new: B = _timeexpr.length_hint(self, seconds)
        new._deep = True  # so compile strips the hint (see _copy_nested)
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


def _iterable(items: Any, method: str) -> Iterable[Any]:
    if isinstance(items, (str, bytes, Mapping)) or not isinstance(items, Iterable):
        raise BuildError(f"{method}() takes a list of builders, got {type(items).__name__}")
    return items


def _flatten(items: Iterable[Any]) -> list[Any]:
    flat: list[Any] = []
    for item in items:
        if isinstance(item, (list, tuple)) or (
            not isinstance(item, (Node, str, Mapping)) and isinstance(item, Iterable)
        ):
            flat.extend(item)
        else:
            flat.append(item)
    return flat


def _element_from_dict(doc: Any, path: str) -> Element:
    if not isinstance(doc, Mapping):
        raise BuildError(f"an element must be a JSON object, got {type(doc).__name__}", path=path)
    kind = doc.get("type")
    cls = ELEMENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        # Unknown or missing type: keep everything; validation explains what is wrong.
        return UnknownElement({k: to_json_value(v, f"{path}.{k}") for k, v in doc.items()})
    return _node_from_wire(cls, doc, path)


def _node_from_wire(cls: type[B], doc: Mapping[str, Any], path: str) -> B:
    node = object.__new__(cls)
    rank = cls._rank
    props = {}
    for key, value in doc.items():
        if not isinstance(key, str):
            raise BuildError(f"object keys must be strings, got {key!r}", path=path)
        props[key] = to_json_value(value, f"{path}.{key}")
    node._props = dict(sorted(props.items(), key=lambda kv: rank.get(kv[0], _UNRANKED)))
    node._chain = _NO_CHILDREN
    node._deep = any(isinstance(v, (dict, list)) for v in props.values())
    node._tail = max((rank.get(k, _UNRANKED) for k in props), default=-1)
    return node


def _read_children(items: list[Any] | None, read: Callable[[Any, int], Node]) -> Children:
    """The children of a document's list (``read(item, index)`` builds each one).

    An empty list stays a kept-empty list, so it compiles back to ``[]``.
    """
    if items is None:
        return _NO_CHILDREN
    if not items:
        return _KEPT_EMPTY
    return _appended(_NO_CHILDREN, tuple(read(item, i) for i, item in enumerate(items)))


def _children_from_wire(doc: Mapping[str, Any], key: str, path: str) -> list[Any] | None:
    if key not in doc:
        return None
    items = doc[key]
    if not isinstance(items, list):
        raise BuildError(f"'{key}' must be a list, got {type(items).__name__}", path=f"{path}{key}")
    return items


# =========================================================================== scene


class Scene(Node):
    """One scene: elements shown together, scenes play one after another.

    ``Scene(background_color="#101820").add(Video(...), Text(...))``. Without a
    duration a scene lasts until its last element ends.
    """

    __slots__ = ()
    _label = "scene"

    id = Prop[str]("a name for the scene")
    comment = Prop[str]("a note for humans; not rendered")
    duration = Prop[float]("seconds; unset (or -1) = until the last element ends")
    background_color = Prop[str]("hex colour such as '#101820', or 'transparent'")
    _transition = Prop[Transition | JSONObject]("how this scene is entered", wire="transition")
    cache = Prop[bool]("False rebuilds the scene")
    condition = Prop[str]("an expression; the scene is skipped when it is false or empty")
    _variables = Prop[JSONObject]("scene-scope variables", wire="variables")
    iterate = Prop[str]("name of an array variable; the scene repeats once per item")

    def __init__(self, **props: Any) -> None:
        self._init(props)

    def add(self, *elements: Element | Iterable[Element]) -> Scene:
        """Return a copy with these elements added on top of the existing ones."""
        # The common cases first, kept cheap: builders only, no lists to flatten.
        if (len(elements) == 1 and isinstance(elements[0], Element)) or all(
            isinstance(e, Element) for e in elements
        ):
            return self._copy(_appended(self._chain, elements))
        items = _flatten(elements)
        for i, item in enumerate(items):
            if not isinstance(item, Element):
                hint = " (add scenes to a Movie)" if isinstance(item, Scene) else ""
                raise BuildError(
                    f"Scene.add() takes elements such as Text or Video; argument {i} is "
                    f"{type(item).__name__}{hint}"
                )
        return self._copy(_appended(self._chain, tuple(items))) if items else self

    def with_elements(self, elements: Iterable[Element]) -> Scene:
        """Return a copy whose elements are exactly ``elements`` (in that order)."""
        return self._copy(_NO_CHILDREN).add(*_iterable(elements, "with_elements"))

    @property
    def elements(self) -> tuple[Element, ...]:
        """The scene's elements, bottom layer first."""
        return _flat(self._chain)

    def transition(
        self, style: TransitionStyle | Transition | Expr = "fade", duration: float | None = None
    ) -> Scene:
        """Return a copy entered from the previous scene with an ``xfade`` transition."""
        value = style if isinstance(style, (Transition, Mapping)) else Transition(style, duration)
        return self._with_prop("transition", value)

    def variables(self, mapping: JSONObject | None = None, /, **values: Any) -> Scene:
        """Return a copy with these scene-scope variables added (they override movie ones)."""
        return _merge(self, "variables", mapping, values, kebab=False)

    def _compile(self) -> dict[str, Any]:
        out = _own_props(self)
        elements = _flat(self._chain)
        if elements or _kept_empty(self._chain):
            out["elements"] = [_own_props(e) for e in elements]
        return out

    def _repr_extra(self) -> Iterable[str]:
        return (f"elements={len(self._chain)}",)

    @classmethod
    def from_dict(cls, doc: JSONObject, *, path: str = "") -> Scene:
        """Build a scene from its Movie JSON form, unknown keys included."""
        if not isinstance(doc, Mapping):
            raise BuildError(f"a scene must be a JSON object, got {type(doc).__name__}", path=path)
        elements = _children_from_wire(doc, "elements", f"{path}." if path else "")
        scene = _node_from_wire(cls, {k: v for k, v in doc.items() if k != "elements"}, path)
        scene._chain = _read_children(
            elements, lambda e, j: _element_from_dict(e, f"{path}.elements[{j}]")
        )
        return scene


# =========================================================================== movie


class Movie(Node):
    """A whole video: scenes played in order, plus movie-level elements laid over them.

    Build it by chaining (every call returns a new Movie), then compile it with
    :meth:`to_dict` or :meth:`to_json`, the only two exits; both validate.
    """

    __slots__ = ("_overlay",)
    _label = "movie"
    _extra_slots = True

    id = Prop[str]("a label echoed in webhook payloads (not the project id)")
    comment = Prop[str]("a note for humans; not rendered")
    template = Prop[str]("id (20 characters) of a saved template to render instead of scenes")
    resolution = Prop[Resolution]("a preset size, or 'custom' with width and height")
    width = Prop[int]("pixels, 50..3840 (with resolution='custom')")
    height = Prop[int]("pixels, 50..3840 (with resolution='custom')")
    quality = Prop[Quality]("lower renders faster and smaller; same credits")
    fps = Prop[int]("frames per second, 1..120 (default 25)")
    draft = Prop[bool]("legacy draft flag; the current service may ignore it")
    cache = Prop[bool]("False forces a fresh full render")
    _variables = Prop[JSONObject]("movie-scope variables", wire="variables")
    _client_data = Prop[JSONObject]("data echoed back in status and webhooks", wire="client-data")
    exports = Prop[list[JSONObject]]("delivery destinations; see export_to()")

    _overlay: Children

    def __init__(self, **props: Any) -> None:
        self._overlay = _NO_CHILDREN
        self._init(props)

    @classmethod
    def from_template(cls, template_id: str, /, **variables: Any) -> Movie:
        """A movie that renders the saved template ``template_id`` with these variables."""
        movie = cls(template=template_id)
        return movie.variables(variables) if variables else movie

    def _finish_copy(self, new: Movie) -> Movie:
        new._overlay = self._overlay
        return new

    # -- children ------------------------------------------------------------------------

    def add(self, *items: Scene | Element | Iterable[Scene | Element]) -> Movie:
        """Return a copy with scenes appended and/or movie-level elements added.

        Scenes play in the order added; elements (e.g. background music, a
        watermark, :class:`Subtitles`) overlay every scene.
        """
        if len(items) == 1 and isinstance(items[0], Scene):  # the common case, kept cheap
            return self._copy(_appended(self._chain, items))
        flat = _flatten(items)
        scenes: list[Scene] = []
        overlay: list[Element] = []
        for i, item in enumerate(flat):
            if isinstance(item, Scene):
                scenes.append(item)
            elif isinstance(item, Element):
                overlay.append(item)
            else:
                raise BuildError(
                    f"Movie.add() takes Scene or element builders; argument {i} is "
                    f"{type(item).__name__}"
                    + (
                        " (use Movie.from_dict for JSON documents)"
                        if isinstance(item, Mapping)
                        else ""
                    )
                )
        new = self._copy()
        if scenes:
            new._chain = _appended(self._chain, tuple(scenes))
        if overlay:
            new._overlay = _appended(self._overlay, tuple(overlay))
        return new

    def with_scenes(self, scenes: Iterable[Scene]) -> Movie:
        """Return a copy whose scenes are exactly ``scenes`` (in that order)."""
        return self._copy(_NO_CHILDREN).add(*_iterable(scenes, "with_scenes"))

    def with_elements(self, elements: Iterable[Element]) -> Movie:
        """Return a copy whose movie-level elements are exactly ``elements``."""
        new = self._copy()
        new._overlay = _NO_CHILDREN
        return new.add(*_iterable(elements, "with_elements"))

    @property
    def scenes(self) -> tuple[Scene, ...]:
        """The scenes, in play order."""
        return _flat(self._chain)

    @property
    def elements(self) -> tuple[Element, ...]:
        """The movie-level elements, bottom layer first."""
        return _flat(self._overlay)

    # -- object properties -----------------------------------------------------------------

    def variables(self, mapping: JSONObject | None = None, /, **values: Any) -> Movie:
        """Return a copy with these movie-scope variables added (or replaced by name)."""
        return _merge(self, "variables", mapping, values, kebab=False)

    def client_data(self, mapping: JSONObject | None = None, /, **values: Any) -> Movie:
        """Return a copy with these ``client-data`` entries added; the service echoes them back."""
        return _merge(self, "client-data", mapping, values, kebab=False)

    def export_to(self, *destinations: Destination | JSONObject) -> Movie:
        """Return a copy that delivers the finished video to these destinations, in order.

        Accepts :class:`Webhook`, :class:`FTP`, :class:`SFTP`, :class:`Email`,
        :class:`Connection` (the service takes one export with several destinations).
        """
        if not destinations:
            raise BuildError("export_to() needs at least one destination, e.g. Webhook(url)")
        return self._with_prop("exports", [{"destinations": list(destinations)}])

    # -- compile -------------------------------------------------------------------------

    def _compile(self) -> dict[str, Any]:
        pending = PENDING.count  # timing hook: did any element hold an expression or a hint?
        out = _own_props(self)
        scenes = _flat(self._chain)
        if scenes or "template" not in self._props or _kept_empty(self._chain):
            out["scenes"] = [s._compile() for s in scenes]
        overlay = _flat(self._overlay)
        if overlay or _kept_empty(self._overlay):
            out["elements"] = [_own_props(e) for e in overlay]
        if PENDING.count != pending:
            out = _timeexpr.lower(self, out)
        return out

    def to_dict(self, *, validate: bool = True) -> dict[str, Any]:
        """Compile to a plain, JSON-ready Movie JSON dict.

        With ``validate=True`` (the default) the document is checked against the
        bundled schema and moviekit's lints first; errors raise
        :class:`~moviekit.MovieValidationError` listing every problem by path.
        Warnings do not raise (see :func:`moviekit.validate` to read them).
        """
        doc = self._compile()
        if validate:
            from moviekit.validation._validate import ensure_valid

            ensure_valid(doc)
        return doc

    def to_json(self, *, indent: int | None = None, validate: bool = True) -> str:
        """Compile to a Movie JSON string (see :meth:`to_dict`); key order is stable.

        Without ``indent`` the text is compact (no spaces after ``,`` and ``:``);
        non-ASCII characters are written as they are, not escaped.
        """
        doc = self.to_dict(validate=validate)
        try:
            # pydantic's Rust serializer: about 3x faster than json.dumps on a
            # big movie (benchmarks/bench_foundation.py), which batches notice.
            return _JSON_TEXT.dump_json(doc, indent=indent).decode()
        except ValueError:  # pydantic's PydanticSerializationError
            # Text UTF-8 cannot carry (a lone surrogate): json.dumps keeps it as given.
            return json.dumps(doc, indent=indent, ensure_ascii=False)

    def validate(self) -> Any:
        """Check this movie; returns the :class:`~moviekit.ValidationReport` (never raises)."""
        from moviekit.validation._validate import validate

        return validate(self)

    def timeline(self, lengths: Mapping[str, float] | None = None) -> Any:
        """When every scene and element plays, without rendering: a :class:`~moviekit.Timeline`.

        ``lengths`` maps an element ``id`` or a ``src`` to its natural length in
        seconds (otherwise unknown, and totals become lower bounds).
        """
        from moviekit.timing._timeline import Timeline

        return Timeline.of(self, lengths)

    def frame(self, t: float, *, size: tuple[int, int] | None = None, **options: Any) -> Any:
        """The picture at movie time ``t`` (seconds), drawn locally: PNG bytes.

        Delegates to :func:`moviekit.preview.frame` (needs ``pip install
        "moviekit[preview]"``; no API key, no credits). ``size=(w, h)`` scales it.
        """
        from moviekit import preview

        return preview.frame(self, t, size=size, **options)

    @classmethod
    def from_dict(cls, doc: JSONObject) -> Movie:
        """Build the builder tree of an existing Movie JSON document.

        Unknown keys are kept, so ``Movie.from_dict(d).to_dict(validate=False) == d``.
        """
        if not isinstance(doc, Mapping):
            raise BuildError(
                f"a movie must be a JSON object at the top level, got {type(doc).__name__}"
            )
        scenes = _children_from_wire(doc, "scenes", "")
        overlay = _children_from_wire(doc, "elements", "")
        movie = _node_from_wire(
            cls, {k: v for k, v in doc.items() if k not in ("scenes", "elements")}, ""
        )
        movie._chain = _read_children(scenes, lambda s, i: Scene.from_dict(s, path=f"scenes[{i}]"))
        movie._overlay = _read_children(
            overlay, lambda e, j: _element_from_dict(e, f"elements[{j}]")
        )
        return movie

    @classmethod
    def from_json(cls, text: str | bytes) -> Movie:
        """Build the builder tree of a Movie JSON string (see :meth:`from_dict`)."""
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BuildError(
                f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from None
        except UnicodeDecodeError as exc:
            raise BuildError(
                f"not valid JSON: the bytes are not UTF-8 ({exc.reason} at byte {exc.start})"
            ) from None
        return cls.from_dict(doc)

    def _repr_extra(self) -> Iterable[str]:
        extra = [f"scenes={len(self._chain)}"]
        if len(self._overlay):
            extra.append(f"elements={len(self._overlay)}")
        return extra
