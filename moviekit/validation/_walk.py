"""One walk over a Movie JSON document that finds every problem validation reports.

Errors and warnings are found in one pass. Per object shape (its keys, in
order) the walk plans once what to check (:mod:`._plans`) and writes a fast
check (:mod:`._fast`): an object that passes it is done. A scene's element
takes its shape's fast lane, which also says what a shape with fixed remarks
reports (an undocumented key) and which values are placeholders; the lane of
the element at the same place in the scene before is tried first, so a movie
of repeated scenes finds its lanes without a lookup per element. Everything
else takes the detailed path: set operations on its keys (unknown, required,
legacy), one table lookup and one small check per value (:mod:`._checks`),
and only a value that fails its check pays for the words that explain it.
``benchmarks/bench_foundation.py`` holds the figures.

Placeholders are collected on the way and read afterwards against the scope
they are in (:mod:`._variables`). Every problem carries a position in the
document, so the report reads in document order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from moviekit._problems import short_json
from moviekit.service._json_text import MAX_DEPTH
from moviekit.service._model import Prop
from moviekit.service._movie_json import ELEMENTS
from moviekit.service._placeholders import is_variable_name
from moviekit.service._src import ACCEPTED_KINDS
from moviekit.validation._checks import (
    BAD,
    DATA,
    LARGEST_NUMBER,
    NESTED,
    PLACEHOLDER,
    explain,
    not_json,
)
from moviekit.validation._element_rules import shows_html, source, subtitles_rules, voice
from moviekit.validation._fast import Lane, LaneAnswer, Remarks, SceneLane, plain_data
from moviekit.validation._findings import (
    MOVIE,
    OVERLAY,
    REMARK_SEVERITY,
    SCENES,
    UNCHANGING,
    Findings,
    Pos,
    Use,
    label,
    remark,
)
from moviekit.validation._movie_rules import exports, movie_rules
from moviekit.validation._plans import (
    ELEMENT_INFO,
    NOTICE_HINTS,
    OBJECT_INFO,
    ObjectInfo,
    lane_of,
    scene_lane_of,
    suspicious,
)

__all__ = ["MAX_DEPTH", "Walk"]

_NATURAL = frozenset(("audio", "video", "voice"))
_SCENE, _SCENE_SKIP = OBJECT_INFO["scene"], frozenset(("elements",))


class Walk(Findings):
    """Walk one document; :attr:`found` holds the problems, with their positions."""

    def __init__(self, doc: Mapping[str, Any], *, fast: bool = True) -> None:
        super().__init__()
        self.doc = doc
        #: whether clean objects may be passed by their shape's fast check (tests compare both)
        self.fast = fast
        #: (path, text, scene index or -1, element index or -1, position) of every placeholder
        self.uses: list[Use] = []
        self.subtitles: list[tuple[str, Pos]] = []
        self.templated = "template" in doc or "templateId" in doc
        #: the fast lane taken by the element at each place of the last scene walked
        self.lanes: list[Lane | None] = []
        #: the fast lane of the last scene whose elements all took their own lanes
        self.scene_lane: SceneLane | None = None

    # -- objects -----------------------------------------------------------------------

    def properties(
        self,
        info: ObjectInfo,
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
            hint = prop.note or NOTICE_HINTS[info.notices[wire]]
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
        info: ObjectInfo,
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
            elif info.obj is not None and info.obj.open and not suspicious(key, info.keys):
                continue  # e.g. any CSS property in text settings
            else:
                message, hint = info.remark(key)
                self.add(pos, path, "unknown-property", message, hint, short_json(obj[key]), etype)
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
        self.properties(OBJECT_INFO[name], value, f"{path}.", pos, etype, where)

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
            OBJECT_INFO["movie"],
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
        pos = (SCENES, i, -1, 0)
        if type(scene) is not dict and not isinstance(scene, Mapping):
            self.add(
                pos,
                f"scenes[{i}]",
                "not-an-object",
                f"a scene is a JSON object, got {short_json(scene)}",
                "use Scene() or a dict",
                short_json(scene),
            )
            return
        open_scope = "iterate" in scene
        if not (self.fast and type(scene) is dict and _SCENE.quiet(scene, _SCENE_SKIP)):
            where = (-2 if open_scope else i, -1)
            self.properties(_SCENE, scene, f"scenes[{i}].", pos, None, where, _SCENE_SKIP)
        elements = scene.get("elements")
        if "elements" in scene and not isinstance(elements, list):
            self.add(
                pos,
                f"scenes[{i}].elements",
                "not-a-list",
                f"'elements' must be a list, got {short_json(elements)}",
                "give a list of elements",
                short_json(elements),
            )
            return
        fast, lanes = self.fast, self.lanes
        if fast and elements and self.scene_lane is not None:
            told = self.scene_lane(elements, i, -2 if open_scope else i)
            if told is True:
                return  # the elements of a scene like the last one, quiet
            if told is not False:  # what a scene like the last one records
                self.found.extend(told[0])
                self.uses.extend(told[1])
                return
        laned = True
        for j, element in enumerate(elements or ()):
            if fast and type(element) is dict:
                # Scenes of a movie tend to repeat their elements' shapes: the lane of the
                # element at the same place in the scene before is tried first.
                lane = lanes[j] if j < len(lanes) else None
                found = lane(element) if lane is not None else False
                if found is False:
                    found = self.new_lane(element, j)
                if found is True:
                    continue  # the fast lane: a shape known clean, values and rules quiet
                if found:  # (not None: the detailed walk's)
                    self.remarks(element, *found, i, j, open_scope)
                    continue
            laned = False
            self.element(
                element,
                f"scenes[{i}].elements[{j}]",
                (SCENES, i, j, 0),
                -2 if open_scope else i,
                j,
            )
        if fast and laned and elements:
            self.scene_lane = scene_lane_of(elements)

    def new_lane(self, element: dict[str, Any], j: int) -> LaneAnswer:
        """The answer of the lane of ``element``'s own shape, kept for place ``j`` of a scene."""
        lanes = self.lanes
        lane = lane_of(element)
        lanes.extend([None] * (j + 1 - len(lanes)))
        lanes[j] = lane
        found = lane(element) if lane is not None else None
        return None if found is False else found  # (False: only for another shape)

    def remarks(
        self,
        element: Mapping[str, Any],
        placeholders: tuple[str, ...],
        remarks: Remarks,
        i: int,
        j: int,
        open_scope: bool,
    ) -> None:
        """What the detailed walk would record for an element its shape's lane took.

        The shape's fixed remarks (undocumented keys, their words planned once),
        written when the report is read; then the placeholders to read against
        their scope.
        """
        pos = (SCENES, i, j, 0)
        if remarks:
            kind, record = element["type"], self.found.append
            for key, message, hint in remarks:
                value = element[key]
                # kept as it is only if nothing can change it before the report is read
                shown = None if type(value) in UNCHANGING else short_json(value)
                args = (i, j, key, message, hint, value, shown, kind)
                record((pos, (REMARK_SEVERITY, remark, args)))
        if placeholders:
            path, scene, uses = f"scenes[{i}].elements[{j}].", -2 if open_scope else i, self.uses
            for key in placeholders:
                uses.append((path + key, element[key], scene, j, pos))

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
        info = ELEMENT_INFO.get(kind) if type(kind) is str else None
        if info is None:
            self.unknown_element(el, kind, path, pos, scene, j)
            return
        self.properties(info, el, f"{path}.", pos, kind, (scene, j))
        if kind in ACCEPTED_KINDS:
            source(self, el, kind, path, pos)
        elif kind == "voice":
            voice(self, el, path, pos)
        elif kind == "html" and not shows_html(el):
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


def _what(etype: str | None, info: ObjectInfo) -> str:
    if etype is not None:
        return f"{label(etype)} {etype} element"
    return f"a {info.obj.name}" if info.obj is not None else "this object"
