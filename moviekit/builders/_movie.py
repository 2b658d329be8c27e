"""``Scene`` and ``Movie``: the containers, reading documents back, and compiling to Movie JSON.

Also the local preview as lent to the builders (:func:`lend_preview`), for what a
movie asks of ffmpeg: probed lengths, frames, its notebook view.

The user's exits are ``to_dict`` / ``to_json`` on :class:`Movie` (both validate);
:func:`compile_movie` is the one compile entry under them, under
``Movie.timeline()`` and under the preview (see :mod:`moviekit.builders._compile`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from itertools import repeat
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from moviekit._errors import BuildError, MoviekitError, PreviewUnavailableError
from moviekit._lazy import borrow
from moviekit.builders._compile import Compiled, Compiler
from moviekit.builders._elements import ELEMENT_TYPES, Element, UnknownElement, merged_object
from moviekit.builders._generated import JSONObject, MovieProps, SceneProps
from moviekit.builders._html import (
    cost_html,
    esc,
    notebook_block,
    png_img,
    problems_html,
    unknown_lengths,
)
from moviekit.builders._json_values import to_json_value
from moviekit.builders._nodes import (
    KEPT_EMPTY,
    NO_CHILDREN,
    UNRANKED,
    Children,
    Node,
    appended_children,
    flat_children,
    is_kept_empty,
)
from moviekit.service._json_text import json_text, known_text, read_json_text
from moviekit.service._literals import TransitionStyle
from moviekit.timing._probed import ProbedLengths
from moviekit.timing._timeline import Timeline
from moviekit.values._values import (
    Destination,
    Expr,
    Transition,
)

__all__ = ["LocalPreview", "Movie", "Scene", "compile_movie", "movie_html"]

B = TypeVar("B", bound=Node)


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
        props[key] = to_json_value(value, f"{path}.{key}" if path else key)
    node._props = props  # in the document's order: from_dict(d).to_dict() is d, key for key
    node._chain = NO_CHILDREN
    node._deep = any(isinstance(v, (dict, list)) for v in props.values())
    node._tail = max((rank.get(k, UNRANKED) for k in props), default=-1)
    return node


def _in_layout(out: dict[str, Any], layout: tuple[str, ...]) -> dict[str, Any]:
    """``out`` in the key order of the document it was read from; keys set since come last."""
    if tuple(out) == layout:
        return out
    ordered = {key: out[key] for key in layout if key in out}
    ordered.update(out)
    return ordered


def _read_children(items: list[Any] | None, read: Callable[[Any, int], Node]) -> Children:
    """The children of a document's list (``read(item, index)`` builds each one).

    An empty list stays a kept-empty list, so it compiles back to ``[]``.
    """
    if items is None:
        return NO_CHILDREN
    if not items:
        return KEPT_EMPTY
    return appended_children(NO_CHILDREN, tuple(read(item, i) for i, item in enumerate(items)))


def _children_from_wire(doc: Mapping[str, Any], key: str, path: str) -> list[Any] | None:
    if key not in doc:
        return None
    items = doc[key]
    if not isinstance(items, list):
        raise BuildError(f"'{key}' must be a list, got {type(items).__name__}", path=f"{path}{key}")
    return items


# =========================================================================== scene


# =========================================================================== the lent preview
# movie.timeline(probe=True), movie.frame(t) and a movie's notebook view need ffmpeg, which
# the local preview (moviekit.preview, layer 7) runs. Builders sit on layer 5 and import
# nothing above them, so the preview is lent to them: moviekit/__init__.py, which stands
# above every layer, lends a loader of it (moviekit._lazy.lend, imported on first borrow);
# mypy checks there that the module satisfies LocalPreview.


class LocalPreview(Protocol):
    """The part of :mod:`moviekit.preview` the builders use."""

    INSTALL_HINT: str

    def available(self) -> bool:
        """True when ffmpeg can run."""

    def probe_lengths(
        self,
        movie: Movie | Mapping[str, Any],
        *,
        base_dir: str | os.PathLike[str] | None = None,
    ) -> ProbedLengths:
        """The natural lengths of the movie's media files, and why the rest are unknown."""

    def frame(
        self,
        movie: Movie | Mapping[str, Any],
        t: float,
        *,
        size: tuple[int, int] | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        use_cache: bool = True,
        base_dir: str | os.PathLike[str] | None = None,
        fetch_timeout: float = 5.0,
    ) -> bytes:
        """The picture at movie time ``t`` as PNG bytes."""

    def storyboard(
        self,
        movie: Movie | Mapping[str, Any],
        output: str | os.PathLike[str] = "storyboard.png",
        *,
        thumb_width: int = 320,
        base_dir: str | os.PathLike[str] | None = None,
    ) -> Path:
        """A contact sheet PNG, one frame per scene, written to ``output``."""


def borrowed_preview() -> LocalPreview:
    """The local preview, as lent; a :class:`~moviekit.PreviewUnavailableError` if it never was."""
    preview = borrow("preview")
    if preview is None:
        raise PreviewUnavailableError(
            "the local preview was not lent to the builders: import moviekit (its __init__ "
            "lends it) before asking a movie for probed lengths, frames or storyboards"
        )
    return cast(LocalPreview, preview)


class Scene(SceneProps):
    """One scene: elements shown together, scenes play one after another.

    ``Scene(background_color="#101820").add(Video(...), Text(...))``. Without a
    duration a scene lasts until its last element ends.
    """

    __slots__ = ("_layout",)
    _label = "scene"
    _extra_slots = True

    #: a scene read from a document: the document's keys in order (see _in_layout)
    _layout: tuple[str, ...] | None

    def __init__(self, **props: Any) -> None:
        self._layout = None
        self._init(props)

    def _finish_copy(self, new: Scene) -> Scene:
        new._layout = self._layout
        return new

    def add(self, *elements: Element | Iterable[Element]) -> Scene:
        """Return a copy with these elements added on top of the existing ones."""
        # The common cases first, kept cheap: builders only, no lists to flatten.
        if all(map(isinstance, elements, repeat(Element))):  # one C loop, no generator
            return self._copy(appended_children(self._chain, elements))
        items = _flatten(elements)
        for i, item in enumerate(items):
            if not isinstance(item, Element):
                hint = " (add scenes to a Movie)" if isinstance(item, Scene) else ""
                raise BuildError(
                    f"Scene.add() takes elements such as Text or Video; argument {i} is "
                    f"{type(item).__name__}{hint}"
                )
        return self._copy(appended_children(self._chain, tuple(items))) if items else self

    def with_elements(self, elements: Iterable[Element]) -> Scene:
        """Return a copy whose elements are exactly ``elements`` (in that order)."""
        return self._copy(NO_CHILDREN).add(*_iterable(elements, "with_elements"))

    @property
    def elements(self) -> tuple[Element, ...]:
        """The scene's elements, bottom layer first."""
        return flat_children(self._chain)

    def transition(
        self, style: TransitionStyle | Transition | Expr = "fade", duration: float | None = None
    ) -> Scene:
        """Return a copy entered from the previous scene with an ``xfade`` transition."""
        value = style if isinstance(style, (Transition, Mapping)) else Transition(style, duration)
        return self._with_prop("transition", value)

    def variables(self, mapping: JSONObject | None = None, /, **values: Any) -> Scene:
        """Return a copy with these scene-scope variables added (they override movie ones)."""
        return merged_object(self, "variables", mapping, values, kebab=False)

    def _compile(self, compiler: Compiler, index: int) -> dict[str, Any]:
        out = compiler.props(self, index)
        elements = flat_children(self._chain)
        if elements or is_kept_empty(self._chain):
            out["elements"] = compiler.elements(elements, index)
        return _in_layout(out, self._layout) if self._layout else out

    def _repr_extra(self) -> Iterable[str]:
        return (f"elements={len(self._chain)}",)

    @classmethod
    def from_dict(cls, doc: JSONObject, *, path: str = "") -> Scene:
        """Build a scene from its Movie JSON form, unknown keys included."""
        if not isinstance(doc, Mapping):
            raise BuildError(f"a scene must be a JSON object, got {type(doc).__name__}", path=path)
        elements = _children_from_wire(doc, "elements", f"{path}." if path else "")
        scene = _node_from_wire(cls, {k: v for k, v in doc.items() if k != "elements"}, path)
        scene._layout = tuple(doc)
        scene._chain = _read_children(
            elements, lambda e, j: _element_from_dict(e, f"{path}.elements[{j}]")
        )
        return scene


# =========================================================================== movie


class Movie(MovieProps):
    """A whole video: scenes played in order, plus movie-level elements laid over them.

    Build it by chaining (every call returns a new Movie), then compile it with
    :meth:`to_dict` or :meth:`to_json`, the only two exits; both validate.
    """

    __slots__ = ("_overlay", "_layout")
    _label = "movie"
    _extra_slots = True

    _overlay: Children
    #: a movie read from a document: the document's keys in order (see _in_layout)
    _layout: tuple[str, ...] | None

    def __init__(self, **props: Any) -> None:
        self._overlay = NO_CHILDREN
        self._layout = None
        self._init(props)

    @classmethod
    def from_template(cls, template_id: str, /, **variables: Any) -> Movie:
        """A movie that renders the saved template ``template_id`` with these variables."""
        movie = cls(template=template_id)
        return movie.variables(variables) if variables else movie

    def _finish_copy(self, new: Movie) -> Movie:
        new._overlay = self._overlay
        new._layout = self._layout
        return new

    # -- children ------------------------------------------------------------------------

    def add(self, *items: Scene | Element | Iterable[Scene | Element]) -> Movie:
        """Return a copy with scenes appended and/or movie-level elements added.

        Scenes play in the order added; elements (e.g. background music, a
        watermark, :class:`Subtitles`) overlay every scene.
        """
        if len(items) == 1 and isinstance(items[0], Scene):  # the common case, kept cheap
            return self._copy(appended_children(self._chain, items))
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
            new._chain = appended_children(self._chain, tuple(scenes))
        if overlay:
            new._overlay = appended_children(self._overlay, tuple(overlay))
        return new

    def with_scenes(self, scenes: Iterable[Scene]) -> Movie:
        """Return a copy whose scenes are exactly ``scenes`` (in that order)."""
        return self._copy(NO_CHILDREN).add(*_iterable(scenes, "with_scenes"))

    def with_elements(self, elements: Iterable[Element]) -> Movie:
        """Return a copy whose movie-level elements are exactly ``elements``."""
        new = self._copy()
        new._overlay = NO_CHILDREN
        return new.add(*_iterable(elements, "with_elements"))

    @property
    def scenes(self) -> tuple[Scene, ...]:
        """The scenes, in play order."""
        return flat_children(self._chain)

    @property
    def elements(self) -> tuple[Element, ...]:
        """The movie-level elements, bottom layer first."""
        return flat_children(self._overlay)

    # -- object properties -----------------------------------------------------------------

    def variables(self, mapping: JSONObject | None = None, /, **values: Any) -> Movie:
        """Return a copy with these movie-scope variables added (or replaced by name)."""
        return merged_object(self, "variables", mapping, values, kebab=False)

    def client_data(self, mapping: JSONObject | None = None, /, **values: Any) -> Movie:
        """Return a copy with these ``client-data`` entries added; the service echoes them back."""
        return merged_object(self, "client-data", mapping, values, kebab=False)

    def export_to(self, *destinations: Destination | JSONObject) -> Movie:
        """Return a copy that delivers the finished video to these destinations, in order.

        Accepts :class:`Webhook`, :class:`FTP`, :class:`SFTP`, :class:`Email`,
        :class:`Connection` (the service takes one export with several destinations).
        """
        if not destinations:
            raise BuildError("export_to() needs at least one destination, e.g. Webhook(url)")
        return self._with_prop("exports", [{"destinations": list(destinations)}])

    # -- compile -------------------------------------------------------------------------

    def _compile(self, compiler: Compiler) -> dict[str, Any]:
        out = compiler.props(self, -1)
        scenes = flat_children(self._chain)
        # A movie needs its scenes key, unless it renders a template; a movie read
        # from a document has exactly the keys the document had.
        wanted = "template" not in self._props if self._layout is None else "scenes" in self._layout
        if scenes or wanted or is_kept_empty(self._chain):
            out["scenes"] = [s._compile(compiler, i) for i, s in enumerate(scenes)]
        overlay = flat_children(self._overlay)
        if overlay or is_kept_empty(self._overlay):
            out["elements"] = compiler.elements(overlay, -1)
        return _in_layout(out, self._layout) if self._layout else out

    def to_dict(self, *, validate: bool = True) -> dict[str, Any]:
        """Compile to a plain, JSON-ready Movie JSON dict.

        With ``validate=True`` (the default) the document is checked against the
        bundled schema and moviekit's lints first; errors raise
        :class:`~moviekit.MovieValidationError` listing every problem by path.
        Warnings do not raise (see :func:`moviekit.validate` to read them).
        """
        doc = compile_movie(self).document
        if validate:
            from moviekit.validation._validate import ensure_valid

            ensure_valid(doc)
        return doc

    def to_json(self, *, indent: int | None = None, validate: bool = True) -> str:
        """Compile to a Movie JSON string (see :meth:`to_dict`); key order is stable.

        Without ``indent`` the text is compact (no spaces after ``,`` and ``:``):
        exactly the body a :class:`~moviekit.Client` sends. Non-ASCII characters
        are written as they are, not escaped; a lone surrogate (which UTF-8
        cannot carry) as its ``\\uXXXX`` escape, so the text always encodes.
        """
        doc = compile_movie(self, share_data=True).document  # written out, never handed out
        if not validate:
            return json_text(doc, indent)
        from moviekit.validation._validate import ensure_valid

        text = json_text(doc)
        with known_text(doc, text):  # validation measures the body on this text: write it once
            ensure_valid(doc)
        return text if indent is None else json_text(doc, indent)

    def validate(self) -> Any:
        """Check this movie; returns the :class:`~moviekit.ValidationReport` (never raises)."""
        from moviekit.validation._validate import validate

        return validate(self)

    def timeline(
        self,
        lengths: Mapping[str, float] | None = None,
        *,
        probe: bool = False,
        base_dir: str | os.PathLike[str] | None = None,
    ) -> Timeline:
        """When every scene and element plays, without rendering: a :class:`~moviekit.Timeline`.

        ``lengths`` maps an element's ``id``, ``src``, ``text`` or path
        (``scenes[0].elements[1]``) to its natural length in seconds (otherwise
        unknown, and totals become lower bounds). A key that gives no element its
        length is reported in ``timeline.warnings``.

        ``probe=True`` reads the natural lengths of the video and audio files with
        the local preview's probe (:func:`moviekit.preview.probe_lengths`: local
        paths from ``base_dir``, default the current directory; remote URLs
        through the preview's cache): ``timeline.exact`` is then True when every
        length could be read, and ``timeline.not_probed`` says why the others
        could not. ``lengths`` given too win over probed ones. Needs the
        ``preview`` extra (ffmpeg).
        """
        if probe and (lengths is None or isinstance(lengths, Mapping)):
            probed = borrowed_preview().probe_lengths(self, base_dir=base_dir)
            if lengths:
                probed = ProbedLengths({**probed, **lengths}, probed.reasons)
            lengths = probed
        return Timeline.from_compiled(compile_movie(self), lengths)

    def frame(self, t: float, *, size: tuple[int, int] | None = None, **options: Any) -> Any:
        """The picture at movie time ``t`` (seconds), drawn locally: PNG bytes.

        Delegates to :func:`moviekit.preview.frame` (needs ``pip install
        "moviekit-json2video[preview]"``; no API key, no credits). ``size=(w, h)`` scales it.
        """
        return borrowed_preview().frame(self, t, size=size, **options)

    def _repr_html_(self) -> str:
        """What a notebook shows: timeline, storyboard, cost and problems (:func:`movie_html`)."""
        return movie_html(self)

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
        movie._layout = tuple(doc)
        movie._chain = _read_children(scenes, lambda s, i: Scene.from_dict(s, path=f"scenes[{i}]"))
        movie._overlay = _read_children(
            overlay, lambda e, j: _element_from_dict(e, f"elements[{j}]")
        )
        return movie

    @classmethod
    def from_json(cls, text: str | bytes) -> Movie:
        """Build the builder tree of a Movie JSON string (see :meth:`from_dict`).

        Anything that is not strict Movie JSON (not text, not UTF-8, ``NaN``, a
        number no double holds, nesting too deep) is a :class:`BuildError`.
        """
        return cls.from_dict(read_json_text(text))

    def _repr_extra(self) -> Iterable[str]:
        extra = [f"scenes={len(self._chain)}"]
        if len(self._overlay):
            extra.append(f"elements={len(self._overlay)}")
        return extra


def compile_movie(movie: Movie, *, share_data: bool = False) -> Compiled:
    """Compile ``movie``: its Movie JSON document (not validated), length hints and builders.

    The one compile entry: ``Movie.to_dict`` validates its ``document``,
    ``Movie.timeline()`` and the preview read all of it. Relative placement is
    lowered here (:func:`moviekit.timing._place.lower`); a placement that cannot
    be expressed is a :class:`~moviekit.BuildError` with the element's path.
    ``share_data``: the document's nested data is the builders' own (see
    :class:`~moviekit.builders._compile.Compiler`); for a caller that only reads it.
    """
    compiler = Compiler(share_data=share_data)
    return compiler.finish(movie._compile(compiler))


def movie_html(
    movie: Movie,
    *,
    storyboard: bool = True,
    base_dir: str | os.PathLike[str] | None = None,
) -> str:
    """The notebook view of ``movie``: timeline, storyboard, length and cost, problems by path.

    One self-contained HTML block (no server, no script, no other file: the
    storyboard is inlined, so the block survives being saved in the notebook);
    ``Movie._repr_html_`` is this. With the ``preview`` extra the lengths are
    probed from the media (``timeline(probe=True)``) and the storyboard is drawn;
    without it the block says how to get them. ``storyboard=False`` runs no
    ffmpeg at all. ``base_dir`` is the media root for relative paths (default:
    the current directory).
    """
    report = movie.validate()
    preview = borrowed_preview()
    drawn = storyboard and preview.available()
    try:
        timeline = movie.timeline(probe=drawn, base_dir=base_dir)
    except MoviekitError as exc:
        return notebook_block(f'<p class="error">{esc(str(exc))}</p>' + problems_html(report))
    parts = [f'<div class="mk-timeline">{timeline.to_svg(width=820)}</div>', cost_html(timeline)]
    if drawn:
        with tempfile.TemporaryDirectory(prefix="moviekit-notebook-") as tmp:
            try:
                board = preview.storyboard(
                    movie, Path(tmp) / "board.png", thumb_width=200, base_dir=base_dir
                )
                parts.append(png_img(board.read_bytes(), "storyboard"))
            except MoviekitError as exc:
                parts.append(f'<p class="error">storyboard: {esc(str(exc))}</p>')
    elif storyboard:
        parts.append(f'<p class="muted">storyboard: {esc(preview.INSTALL_HINT)}</p>')
    parts.append(problems_html(report, (), unknown_lengths(timeline)))
    return notebook_block("".join(parts))
