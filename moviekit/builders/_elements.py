"""The element builders: one class per Movie JSON element type, and their shared bases.

Their properties come from the service model, declared in the generated
:mod:`moviekit.builders._generated` (``python schema/generate.py`` writes it);
here are the hand-written parts: constructors, the setters that merge dicts
(``settings()``, ``variables()``) and relative placement. Everything else
(copying, ordering, the escape hatch, equality) lives in
:class:`~moviekit.builders._nodes.Node`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from moviekit._errors import BuildError
from moviekit.builders._generated import (
    AudibleProps,
    AudiogramProps,
    AudioProps,
    ComponentProps,
    ElementProps,
    HtmlProps,
    ImageProps,
    JSONObject,
    LoopingProps,
    SubtitlesProps,
    TextProps,
    TimedProps,
    VideoProps,
    VisualProps,
    VoiceProps,
)
from moviekit.builders._json_values import to_json_value
from moviekit.builders._nodes import NO_CHILDREN, UNRANKED, Node
from moviekit.timing import _place
from moviekit.timing._expr import TimeExpr, TimeRefs
from moviekit.values._values import Expr

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


def merged_object(
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
        if type(mapping) is not dict and not isinstance(mapping, Mapping):  # ABC check: slow
            raise BuildError(f"expected a dict, got {type(mapping).__name__}", path=wire)
        merged.update(mapping)
    for key, value in values.items():
        merged[key.replace("_", "-") if kebab else key] = value
    return node._with_prop(wire, merged)


# =========================================================================== elements


class Element(ElementProps):
    """Base of every element builder. ``type`` is fixed by the class."""

    __slots__ = ()

    #: the wire ``type`` of this element class
    type: ClassVar[str | None] = None
    _label = "element"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # ``type`` is stored with the other properties (first), so compiling an
        # element is one dict copy.
        if isinstance(cls.__dict__.get("type"), str):
            cls._fixed = {"type": cls.type}
        super().__init_subclass__(**kwargs)


class _Timed(TimedProps, Element):
    """Properties every element but subtitles has (reference §3.1)."""

    __slots__ = ()

    def variables(self: B, mapping: JSONObject | None = None, /, **values: Any) -> B:
        """Return a copy with these element-scope variables added (or replaced by name)."""
        return merged_object(self, "variables", mapping, values, kebab=False)

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


class _Visual(VisualProps, _Timed):
    """Placement, size and look (reference §3.2)."""

    __slots__ = ()


class _Audible(AudibleProps, _Timed):
    """Playback loudness (reference §3.4)."""

    __slots__ = ()


class _Looping(LoopingProps, _Audible):
    __slots__ = ()


class Image(ImageProps, _Visual):
    """A still picture from ``src``, or one generated from ``prompt`` by an AI model.

    An image has no natural length: give it (or its scene) a duration.
    """

    __slots__ = ()
    type = "image"

    def __init__(self, src: str | Expr | None = None, /, **props: Any) -> None:
        self._init(props, "src", src)


class Video(VideoProps, _Visual, _Looping):
    """A video clip from ``src`` (MP4 recommended), with its sound unless muted."""

    __slots__ = ()
    type = "video"

    def __init__(self, src: str | Expr | None = None, /, **props: Any) -> None:
        self._init(props, "src", src)


class Text(TextProps, _Visual):
    """Animated text. ``style`` picks the animation ("001"...); ``settings`` holds CSS-like keys."""

    __slots__ = ()
    type = "text"

    def __init__(self, text: str | Expr, /, **props: Any) -> None:
        self._init(props, "text", text)

    def settings(self: B, mapping: JSONObject | None = None, /, **css: Any) -> B:
        """Return a copy with these text settings added.

        Keyword names turn ``_`` into ``-`` (``font_size="48px"`` -> ``font-size``);
        pass a dict to give exact keys.
        """
        return merged_object(self, "settings", mapping, css, kebab=True)


class HTML(HtmlProps, _Visual):
    """An HTML snippet (or a web page from ``src``) rendered in a transparent browser viewport."""

    __slots__ = ()
    type = "html"

    def __init__(self, html: str | Expr | None = None, /, **props: Any) -> None:
        self._init(props, "html", html)

    def settings(self: B, mapping: JSONObject | None = None, /, **values: Any) -> B:
        """Return a copy with these legacy html settings added (names: ``_`` -> ``-``)."""
        return merged_object(self, "settings", mapping, values, kebab=True)


class Component(ComponentProps, _Visual):
    """A pre-built animated component from the library, e.g. ``Component("basic/001")``."""

    __slots__ = ()
    type = "component"

    def __init__(self, component: str | Expr, /, **props: Any) -> None:
        self._init(props, "component", component)

    def settings(self: B, mapping: JSONObject | None = None, /, **parts: Any) -> B:
        """Return a copy with these component settings (keyed by part, e.g. ``headline``) added."""
        return merged_object(self, "settings", mapping, parts, kebab=True)


class Audio(AudioProps, _Looping):
    """A sound file from ``src`` (MP3, WAV, ...)."""

    __slots__ = ()
    type = "audio"

    def __init__(self, src: str | Expr, /, **props: Any) -> None:
        self._init(props, "src", src)


class Voice(VoiceProps, _Audible):
    """Text-to-speech: ``text`` spoken by ``voice`` (Azure by default, or ElevenLabs)."""

    __slots__ = ()
    type = "voice"

    def __init__(self, text: str | Expr, /, **props: Any) -> None:
        self._init(props, "text", text)


class Audiogram(AudiogramProps, _Visual):
    """Sound waves that visualise the audio of its scene (or movie)."""

    __slots__ = ()
    type = "audiogram"

    def __init__(self, **props: Any) -> None:
        self._init(props)


class Subtitles(SubtitlesProps, Element):
    """Captions for the whole movie: transcribed from its audio, or from ``captions``.

    Add it to the :class:`Movie` (never to a scene), at most once.
    """

    __slots__ = ()
    type = "subtitles"

    def __init__(self, captions: str | Expr | None = None, /, **props: Any) -> None:
        self._init(props, "captions", captions)

    def settings(self: B, mapping: JSONObject | None = None, /, **values: Any) -> B:
        """Return a copy with these subtitle settings added.

        Keyword names turn ``_`` into ``-`` (``max_words_per_line=2``,
        ``word_color="#FFFF00"``, ``style="boxed-word"``).
        """
        return merged_object(self, "settings", mapping, values, kebab=True)


class UnknownElement(_Timed):
    """An element whose ``type`` moviekit does not know, kept exactly as it was read."""

    __slots__ = ()

    def __init__(self, props: JSONObject) -> None:
        self._props = {k: to_json_value(v, k) for k, v in props.items()}
        self._chain = NO_CHILDREN
        self._deep = True
        self._tail = UNRANKED


ELEMENT_TYPES: dict[str, type[Element]] = {
    cls.type: cls
    for cls in (Image, Video, Text, HTML, Component, Audio, Voice, Audiogram, Subtitles)
    if cls.type
}
