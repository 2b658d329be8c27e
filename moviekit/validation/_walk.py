"""One walk over a Movie JSON document that finds every problem validation reports.

Errors and warnings are found in one pass. Per object shape (its keys, in
order) the walk plans once what to check and writes a fast check that proves
"nothing to report" (:mod:`._fast`); an object that passes it is done, and a
scene's element whose element rules are quiet too is skipped whole (the fast
lane). Everything else takes the detailed path: set operations on its keys
(unknown, required, legacy), one table lookup and one small check per value
(:mod:`._checks`), and only a value that fails its check pays for the words
that explain it. ``benchmarks/bench_foundation.py`` holds the figures.

Placeholders are collected on the way and read afterwards against the scope
they are in (:meth:`Walk.variable_problems`). Every problem carries a
position in the document, so the report reads in document order.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from moviekit._problems import short_json
from moviekit.service._json_text import MAX_DEPTH
from moviekit.service._model import Obj, Prop, Status
from moviekit.service._movie_json import ELEMENTS
from moviekit.service._objects import OBJECTS
from moviekit.service._placeholders import is_variable_name
from moviekit.service._src import ACCEPTED_KINDS
from moviekit.validation._checks import (
    BAD,
    DATA,
    LARGEST_NUMBER,
    NESTED,
    PLACEHOLDER,
    Check,
    Entry,
    element_table,
    explain,
    not_json,
    object_table,
    unknown_key_hint,
)
from moviekit.validation._element_rules import PLAIN, source, subtitles_rules, voice
from moviekit.validation._fast import Checker, plain_data, shape_checker
from moviekit.validation._findings import MOVIE, OVERLAY, SCENES, Findings, Pos, label
from moviekit.validation._movie_rules import exports, movie_rules

__all__ = ["MAX_DEPTH", "Walk"]

_MAX_PLANS = 256
_NO_SKIP: frozenset[str] = frozenset()
_NATURAL = frozenset(("audio", "video", "voice"))
_NOTICES = {Status.LEGACY: "legacy-property", Status.IGNORED: "ignored-property"}
_NOTICE_HINTS = {
    "legacy-property": "the current docs do not list it: remove it unless you know it still works",
    "ignored-property": "remove it; it changes nothing",
}


class _ObjectInfo:
    """What the walk needs to know of one Movie JSON object, computed once."""

    __slots__ = ("keys", "known", "notices", "obj", "plans", "required", "table")

    def __init__(self, obj: Obj | None, table: dict[str, Entry], props: tuple[Prop, ...]) -> None:
        self.obj = obj
        self.table = table
        self.known = frozenset(table) | ({"type"} if obj is None else set(obj.keys))
        self.required = frozenset(p.wire for p in props if p.required)
        self.notices = {p.wire: _NOTICES[p.status] for p in props if p.status in _NOTICES}
        self.keys = tuple(table) + (obj.keys if obj else ())
        self.plans: dict[tuple[tuple[Any, ...], frozenset[str]], _Plan] = {}

    def plan(self, obj: Mapping[str, Any], skip: frozenset[str]) -> _Plan:
        """What to check in an object of this shape (its keys, in order), computed once per shape.

        A movie repeats a few element shapes thousands of times: the set
        arithmetic on keys is done once per shape, not once per element, and a
        fast check is written for the shape (:mod:`._fast`). Shapes come from the
        user's document, so only the first few hundred are kept; later ones are
        planned each time and take the detailed path.
        """
        shape = (tuple(obj), skip)
        plan = self.plans.get(shape)
        if plan is None:
            kept = len(self.plans) < _MAX_PLANS
            plan = _Plan(self, shape[0], skip, fast=kept)
            if kept:
                self.plans[shape] = plan
        return plan

    def is_clean(self, value: Any) -> bool:
        """The fast check of a nested object: True when the detailed walk would find nothing."""
        if type(value) is not dict:
            return False
        fast = self.plan(value, _NO_SKIP).fast
        return fast is not None and fast(value)


class _Plan:
    """The checks one object shape needs: unknown, missing and noticed keys, value checks."""

    __slots__ = ("checks", "fast", "missing", "notices", "unknown")

    def __init__(
        self, info: _ObjectInfo, keys: tuple[Any, ...], skip: frozenset[str], *, fast: bool
    ) -> None:
        present = frozenset(keys)
        self.unknown = present - info.known - skip
        self.missing = tuple(sorted(info.required - present))
        self.notices = tuple(k for k in keys if k in info.notices)
        self.checks = tuple(
            (key, _inline(entry), entry.prop)
            for key in keys
            if (entry := info.table.get(key)) is not None
        )
        #: the shape's fast check, when one can prove it clean (nothing missing or noticed,
        #: any unknown key one that an open object takes silently)
        self.fast: Checker | None = None
        silent = info.obj is not None and info.obj.open
        if (
            fast
            and not self.missing
            and not self.notices
            and all(
                silent and type(k) is str and not _suspicious(k, info.keys) for k in self.unknown
            )
        ):
            self.fast = shape_checker(self.checks, _nested_checker)


def _plain_element(el: dict[str, Any]) -> bool:
    """An element of a scene with nothing to report: its shape's fast check and its rules agree.

    Only shapes seen before count (their plan is cached): the first element of a
    shape takes the detailed walk, which plans the shape.
    """
    kind = el.get("type")
    if type(kind) is not str:
        return False
    info = _ELEMENTS.get(kind)
    plain = PLAIN.get(kind)
    if info is None or plain is None:
        return False
    plan = info.plans.get((tuple(el), _NO_SKIP))
    if plan is None or plan.fast is None or not plan.fast(el):
        return False
    if el.get("loop") == -1 and el.get("duration", -1) == -1:
        return False
    return plain(el, kind)


def _nested_checker(name: str) -> Callable[[Any], bool]:
    return _OBJECTS[name].is_clean


def _inline(entry: Entry) -> Check | None:
    """None for a plain text property (the walk checks those itself), else the entry's check."""
    prop = entry.prop
    return None if prop.kind == "string" and not prop.choices else entry.check


_OBJECTS = {
    name: _ObjectInfo(obj, object_table(name), obj.props)
    for name, obj in OBJECTS.items()
    if obj.props
}
_ELEMENTS = {
    kind: _ObjectInfo(
        None, element_table(kind), tuple(e.prop for e in element_table(kind).values())
    )
    for kind in ELEMENTS
}


class Walk(Findings):
    """Walk one document; :attr:`found` holds the problems, with their positions."""

    def __init__(self, doc: Mapping[str, Any], *, fast: bool = True) -> None:
        super().__init__()
        self.doc = doc
        #: whether clean objects may be passed by their shape's fast check (tests compare both)
        self.fast = fast
        #: (path, text, scene index or -1, element index or -1, position) of every placeholder
        self.uses: list[tuple[str, str, int, int, Pos]] = []
        self.subtitles: list[tuple[str, Pos]] = []
        self.templated = "template" in doc or "templateId" in doc

    # -- objects -----------------------------------------------------------------------

    def properties(
        self,
        info: _ObjectInfo,
        obj: Mapping[str, Any],
        prefix: str,
        pos: Pos,
        etype: str | None,
        where: tuple[int, int],
        skip: frozenset[str] = frozenset(),
    ) -> None:
        """Check every property of one object against its table."""
        plan = info.plan(obj, skip)
        if self.fast and plan.fast is not None and type(obj) is dict and plan.fast(obj):
            return
        if plan.unknown:
            self.unknown_keys(info, obj, plan.unknown, prefix, pos, etype)
        for wire in plan.missing:
            self.add(
                pos,
                f"{prefix}{wire}",
                "required",
                f"'{wire}' is required for {_what(etype, info)}",
                _REQUIRED.get(wire, f"set '{wire}'"),
                element_type=etype,
            )
        for wire in plan.notices:
            prop = info.table[wire].prop
            hint = prop.note or _NOTICE_HINTS[info.notices[wire]]
            self.add(
                pos,
                f"{prefix}{wire}",
                info.notices[wire],
                f"'{wire}' is {prop.status.value}: {prop.doc}",
                hint,
                element_type=etype,
            )
        for key, check, prop in plan.checks:
            value = obj[key]
            if check is None:  # any text (the commonest property): checked here, not called
                if type(value) is str:
                    if "{{" in value:
                        self.uses.append((f"{prefix}{key}", value, where[0], where[1], pos))
                    continue
                verdict: int | None = BAD
            else:
                verdict = check(value)
                if verdict is None:
                    continue
            if verdict == PLACEHOLDER:
                self.uses.append((f"{prefix}{key}", value, where[0], where[1], pos))
            elif verdict == NESTED:
                self.nested(prop, value, f"{prefix}{key}", pos, etype, where)
            elif verdict == DATA:
                if key == "variables":
                    self.variable_names(value, f"{prefix}{key}", pos, etype)
                record = key not in ("variables", "client-data")
                self.data(value, f"{prefix}{key}", pos, where if record else None, etype)
            elif verdict == BAD:
                why = explain(prop, value)
                self.add(pos, f"{prefix}{key}", why.code, why.message, why.hint, why.value, etype)

    def unknown_keys(
        self,
        info: _ObjectInfo,
        obj: Mapping[str, Any],
        unknown: frozenset[Any],
        prefix: str,
        pos: Pos,
        etype: str | None,
    ) -> None:
        for key in [k for k in obj if k in unknown]:  # document order
            if not isinstance(key, str):
                self.add(
                    pos,
                    prefix.rstrip("."),
                    "not-json",
                    f"object keys are text, got {key!r}",
                    "use string keys",
                    element_type=etype,
                )
                continue
            path = f"{prefix}{key}"
            if key == "client_data" and info.obj is not None and info.obj.name == "movie":
                self.add(
                    pos,
                    path,
                    "client-data-spelling",
                    "'client_data' is not accepted by the service; the key is 'client-data'",
                    "rename it to 'client-data' (Movie.client_data() writes it)",
                )
            elif info.obj is not None and info.obj.open and not _suspicious(key, info.keys):
                continue  # e.g. any CSS property in text settings
            else:
                hint = unknown_key_hint(key, info.keys)
                near = info.table.get(hint[14:-2]) if hint.startswith("did you mean") else None
                if near is not None and near.prop.wire in info.notices:
                    hint = f"{hint} ({near.prop.doc})"
                self.add(
                    pos,
                    path,
                    "unknown-property",
                    f"'{key}' is not a documented property (the service may ignore it)",
                    hint,
                    short_json(obj[key]),
                    etype,
                )
            self.data(obj[key], path, pos, None, etype)

    def nested(
        self, prop: Prop, value: Any, path: str, pos: Pos, etype: str | None, where: tuple[int, int]
    ) -> None:
        if prop.kind == "array":
            for i, item in enumerate(value):
                self.nested_object(prop.nested, item, f"{path}[{i}]", pos, etype, where)
            if prop.nested == "export":
                exports(self, value, path, pos)
        else:
            self.nested_object(prop.nested, value, path, pos, etype, where)

    def nested_object(
        self, name: str, value: Any, path: str, pos: Pos, etype: str | None, where: tuple[int, int]
    ) -> None:
        if type(value) is not dict and not isinstance(value, Mapping):
            self.add(
                pos,
                path,
                "type",
                f"expected a JSON object, got {short_json(value)}",
                value=short_json(value),
                element_type=etype,
            )
            return
        self.properties(_OBJECTS[name], value, f"{path}.", pos, etype, where)

    def data(
        self, value: Any, path: str, pos: Pos, where: tuple[int, int] | None, etype: str | None
    ) -> None:
        """The user's data: any JSON, checked only for being JSON; placeholders recorded."""
        if self.fast and plain_data(value):
            return  # the common case, found without spelling a path for every value
        stack: list[tuple[Any, str, int]] = [(value, path, 0)]
        while stack:
            item, where_, depth = stack.pop()
            kind = type(item)
            if kind is str:
                if where is not None and "{{" in item:
                    self.uses.append((where_, item, where[0], where[1], pos))
            elif kind is dict or isinstance(item, Mapping):
                if depth >= MAX_DEPTH:
                    self.too_deep(where_, pos, etype)
                    continue
                for key, inner in item.items():
                    if not isinstance(key, str):
                        self.add(
                            pos,
                            where_,
                            "not-json",
                            f"object keys are text, got {key!r}",
                            "use string keys",
                            element_type=etype,
                        )
                        continue
                    stack.append((inner, f"{where_}.{key}", depth + 1))
            elif kind is list:
                if depth >= MAX_DEPTH:
                    self.too_deep(where_, pos, etype)
                    continue
                stack.extend((inner, f"{where_}[{i}]", depth + 1) for i, inner in enumerate(item))
            elif item is None or kind is bool:
                continue
            elif (kind is int or kind is float) and -LARGEST_NUMBER <= item <= LARGEST_NUMBER:
                continue  # (NaN fails the comparison)
            else:
                self.add(
                    pos,
                    where_,
                    "not-json",
                    not_json(item) or "not a JSON value",
                    "use a string, a finite number, true/false, null, a list or an object",
                    short_json(item),
                    etype,
                )

    def variable_names(
        self, values: Mapping[Any, Any], path: str, pos: Pos, etype: str | None
    ) -> None:
        for name in values:
            if not is_variable_name(name):
                fixed = re.sub(r"\W", "_", str(name))
                fixed = fixed if fixed[:1].isalpha() else f"v_{fixed}"
                self.add(
                    pos,
                    f"{path}.{name}",
                    "variable-name",
                    f"{str(name)!r} is not a valid "
                    "variable name: start with a letter, then use letters, digits and '_'",
                    f"rename it, e.g. {fixed!r} (the service would silently change it)",
                    element_type=etype,
                )

    def too_deep(self, path: str, pos: Pos, etype: str | None) -> None:
        self.add(
            pos,
            path,
            "not-json",
            f"nested more than {MAX_DEPTH} levels deep (or it contains itself)",
            "flatten the data",
            element_type=etype,
        )

    # -- the movie -----------------------------------------------------------------------

    def run(self) -> None:
        doc = self.doc
        if not doc:
            self.add(
                (MOVIE, 0, 0, 0),
                "",
                "empty-movie",
                "the movie is empty",
                "add scenes: Movie().add(Scene().add(...))",
            )
            return
        self.properties(
            _OBJECTS["movie"],
            doc,
            "",
            (MOVIE, 0, 0, 0),
            None,
            (-1, -1),
            skip=frozenset(("scenes", "elements")),
        )
        movie_rules(self, doc, self.templated)
        scenes = doc.get("scenes")
        if isinstance(scenes, list):
            for i, scene in enumerate(scenes):
                self.scene(scene, i)
        overlay = doc.get("elements")
        if isinstance(overlay, list):
            for j, element in enumerate(overlay):
                self.element(element, f"elements[{j}]", (OVERLAY, 0, j, 0), -1, j)
        subtitles_rules(self, self.subtitles)

    def scene(self, scene: Any, i: int) -> None:
        path, pos = f"scenes[{i}]", (SCENES, i, -1, 0)
        if type(scene) is not dict and not isinstance(scene, Mapping):
            self.add(
                pos,
                path,
                "not-an-object",
                f"a scene is a JSON object, got {short_json(scene)}",
                "use Scene() or a dict",
                short_json(scene),
            )
            return
        open_scope = "iterate" in scene
        self.properties(
            _OBJECTS["scene"],
            scene,
            f"{path}.",
            pos,
            None,
            (-2 if open_scope else i, -1),
            skip=frozenset(("elements",)),
        )
        elements = scene.get("elements")
        if "elements" in scene and not isinstance(elements, list):
            self.add(
                pos,
                f"{path}.elements",
                "not-a-list",
                f"'elements' must be a list, got {short_json(elements)}",
                "give a list of elements",
                short_json(elements),
            )
            return
        fast = self.fast
        for j, element in enumerate(elements or ()):
            if fast and type(element) is dict and _plain_element(element):
                continue  # the fast lane: a shape known clean, values and element rules quiet
            self.element(
                element, f"{path}.elements[{j}]", (SCENES, i, j, 0), -2 if open_scope else i, j
            )

    def element(self, el: Any, path: str, pos: Pos, scene: int, j: int) -> None:
        if type(el) is not dict and not isinstance(el, Mapping):
            self.add(
                pos,
                path,
                "not-an-object",
                f"an element is a JSON object, got {short_json(el)}",
                "use an element builder such as Text(...) or a dict",
                short_json(el),
            )
            return
        kind = el.get("type")
        info = _ELEMENTS.get(kind) if type(kind) is str else None
        if info is None:
            self.unknown_element(el, kind, path, pos, scene, j)
            return
        self.properties(info, el, f"{path}.", pos, kind, (scene, j))
        if kind in ACCEPTED_KINDS:
            source(self, el, kind, path, pos)
        elif kind == "voice":
            voice(self, el, path, pos)
        elif kind == "html" and not PLAIN["html"](el, kind):
            self.add(
                pos,
                path,
                "missing-html",
                "an html element without 'html' or 'src' shows nothing",
                "HTML('<h1>Hi</h1>') or HTML(src='https://...')",
                element_type=kind,
            )
        elif kind == "subtitles":
            self.subtitles.append((path, pos))
        if (
            scene == -1
            and kind in _NATURAL
            and el.get("duration", -1) == -1
            and self.doc.get("scenes")
        ):
            self.add(
                pos,
                path,
                "may-lengthen-movie",
                f"a movie-level {kind} plays to its own end: "
                "if it is longer than the scenes, the movie (and its cost) grows to fit it",
                "give it duration=CONTAINER_LENGTH to last exactly as long as the scenes",
                element_type=kind,
            )
        if el.get("loop") == -1 and el.get("duration", -1) == -1:
            self.add(
                pos,
                f"{path}.loop",
                "loop-needs-duration",
                "an endless loop needs a duration; with the natural length it may play only once",
                "set duration=CONTAINER_LENGTH to loop for the whole scene, or a number of seconds",
                "-1",
                kind,
            )

    def unknown_element(
        self, el: Mapping[str, Any], kind: Any, path: str, pos: Pos, scene: int, j: int
    ) -> None:
        if kind is None:
            self.add(
                pos,
                f"{path}.type",
                "missing-type",
                "every element needs a 'type'",
                "such as 'video' or 'text' (or use an element builder)",
            )
        elif kind == "template":
            self.add(
                pos,
                f"{path}.type",
                "removed-element-type",
                "the 'template' element type was removed from the service",
                "render a saved template with Movie.from_template(id)",
                short_json(kind),
            )
        else:
            why = explain(Prop("type", "string", "", (), values=tuple(ELEMENTS)), kind)
            self.add(
                pos,
                f"{path}.type",
                why.code,
                why.message.replace("value", "element type", 1),
                why.hint,
                why.value,
            )
        self.data(dict(el), path, pos, (scene, j), None)


_REQUIRED = {
    "text": "give the text, e.g. Text('Hello')",
    "component": "name a library component, e.g. Component('basic/001')",
    "destinations": "movie.export_to(Webhook(...)) writes one",
}


def _what(etype: str | None, info: _ObjectInfo) -> str:
    if etype is not None:
        return f"{label(etype)} {etype} element"
    return f"a {info.obj.name}" if info.obj is not None else "this object"


_CSS_NAME = re.compile(r"^-?[a-z]+(-[a-z]+)*$")


@lru_cache(
    maxsize=4096
)  # the same CSS keys repeat on every text of a movie; bounded for hostile input
def _suspicious(key: str, keys: tuple[str, ...]) -> bool:
    """An unknown key of an open object (CSS) worth a warning: not CSS-shaped, or a near miss."""
    if not _CSS_NAME.match(key):
        return True
    return bool(difflib.get_close_matches(key, keys, n=1, cutoff=0.85))
