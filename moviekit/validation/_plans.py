"""What the walk knows of each Movie JSON object, and what it plans once per object shape.

A movie repeats a few object shapes (the same keys in the same order)
thousands of times. Per shape the set arithmetic on keys (unknown, missing,
noticed) is done once, and a fast check is written (:mod:`._fast`): for a
nested object one that proves "nothing to report"; for an element of a scene
a lane that also says what a shape with fixed remarks (an undocumented key)
reports and which values are ``{{ }}`` placeholders to record. Shapes come
from the user's document, so only the first few hundred of each object are
kept; later ones are planned each time and take the detailed path.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from moviekit.service._model import Obj, Prop, Status
from moviekit.service._movie_json import ELEMENTS
from moviekit.service._objects import OBJECTS
from moviekit.validation._checks import (
    Check,
    Entry,
    element_table,
    object_table,
    unknown_key_hint,
)
from moviekit.validation._element_rules import quiet_lines
from moviekit.validation._fast import (
    Checker,
    Lane,
    LanePart,
    Nested,
    Remarks,
    SceneLane,
    element_lane,
    scene_lane,
    shape_checker,
)

__all__ = [
    "ELEMENT_INFO",
    "NO_SKIP",
    "NOTICE_HINTS",
    "OBJECT_INFO",
    "ObjectInfo",
    "Plan",
    "SCENE_LANES",
    "lane_of",
    "scene_lane_of",
    "suspicious",
]

_MAX_PLANS = 256
_MAX_SCENE = 64  # elements in a scene lane
NO_SKIP: frozenset[str] = frozenset()
_NOTICES = {Status.LEGACY: "legacy-property", Status.IGNORED: "ignored-property"}
NOTICE_HINTS = {
    "legacy-property": "the current docs do not list it: remove it unless you know it still works",
    "ignored-property": "remove it; it changes nothing",
}


class ObjectInfo:
    """What the walk needs to know of one Movie JSON object, computed once."""

    __slots__ = ("fast", "keys", "known", "lanes", "notices", "obj", "plans", "required", "table")

    def __init__(self, obj: Obj | None, table: dict[str, Entry], props: tuple[Prop, ...]) -> None:
        self.obj = obj
        self.table = table
        self.known = frozenset(table) | ({"type"} if obj is None else set(obj.keys))
        self.required = frozenset(p.wire for p in props if p.required)
        self.notices = {p.wire: _NOTICES[p.status] for p in props if p.status in _NOTICES}
        self.keys = tuple(table) + (obj.keys if obj else ())
        self.plans: dict[tuple[tuple[Any, ...], frozenset[str]], Plan] = {}
        #: the fast checks of the shapes planned so far (with nothing skipped), by shape
        self.fast: dict[tuple[Any, ...], Checker] = {}
        #: an element type's lanes by shape, None for a shape planned without one
        self.lanes: dict[tuple[Any, ...], Lane | None] = {}

    def plan(self, obj: Mapping[str, Any], skip: frozenset[str]) -> Plan:
        """What to check in an object of this shape (its keys, in order), once per shape."""
        shape = (tuple(obj), skip)
        plan = self.plans.get(shape)
        if plan is None:
            kept = len(self.plans) < _MAX_PLANS
            plan = Plan(self, shape[0], skip, fast=kept)
            if kept:
                self.plans[shape] = plan
                if plan.fast is not None and not skip:
                    self.fast[shape[0]] = plan.fast
        return plan

    def quiet(self, obj: dict[str, Any], skip: frozenset[str]) -> bool:
        """True when the fast check of ``obj``'s shape, planned before, passes it."""
        plan = self.plans.get((tuple(obj), skip))
        return plan is not None and plan.fast is not None and plan.fast(obj)

    def is_clean(self, value: Any) -> bool:
        """The fast check of a nested object: True when the detailed walk would find nothing."""
        if type(value) is not dict:
            return False
        fast = self.plan(value, NO_SKIP).fast
        return fast is not None and fast(value)

    def remark(self, key: str) -> tuple[str, str]:
        """The message and hint of the ``unknown-property`` warning of ``key``."""
        hint = unknown_key_hint(key, self.keys)
        near = self.table.get(hint[14:-2]) if hint.startswith("did you mean") else None
        if near is not None and near.prop.wire in self.notices:
            hint = f"{hint} ({near.prop.doc})"
        return f"'{key}' is not a documented property (the service may ignore it)", hint


class Plan:
    """The checks one object shape needs: unknown, missing and noticed keys, value checks."""

    __slots__ = ("checks", "fast", "missing", "notices", "remarks", "unknown")

    def __init__(
        self, info: ObjectInfo, keys: tuple[Any, ...], skip: frozenset[str], *, fast: bool
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
        #: (key, message, hint) of each unknown key of an element shape, in document order
        self.remarks: Remarks = ()
        silent = info.obj is not None and info.obj.open
        if not fast or self.missing or self.notices:
            return
        if all(silent and type(k) is str and not suspicious(k, info.keys) for k in self.unknown):
            self.fast = shape_checker(self.checks, _nested)
        if info.obj is None and all(type(k) is str for k in self.unknown):
            self.remarks = tuple((k, *info.remark(k)) for k in keys if k in self.unknown)


def lane_of(element: Mapping[str, Any]) -> Lane | None:
    """The fast lane of a scene element's shape (:func:`._fast.element_lane`), made once per shape.

    None for an element the lane cannot take: of no known type, subtitles
    (counted across the movie), a key missing or noticed, a key that is not
    text, or a shape beyond the ones kept.
    """
    kind = element.get("type")
    if type(kind) is not str or kind not in ELEMENT_INFO:
        return None
    info = ELEMENT_INFO[kind]
    shape = tuple(element)
    if shape in info.lanes:
        return info.lanes[shape]
    plan = info.plan(element, NO_SKIP)
    quiet = quiet_lines(kind, shape, "None")
    lane = None
    if quiet is not None and (plan.fast is not None or plan.remarks):
        lane = element_lane(
            plan.checks,
            _nested,
            kind=kind,
            shape=shape,
            remarks=plan.remarks,
            quiet=quiet,
        )
    if len(info.lanes) < _MAX_PLANS:
        info.lanes[shape] = lane
    return lane


def scene_lane_of(elements: list[Any]) -> SceneLane | None:
    """The fast lane of a scene whose elements all took their own lanes, made once.

    None when an element's own shape (its keys in their order) has no lane.
    """
    if len(elements) > _MAX_SCENE:
        return None
    key = tuple((el["type"], tuple(el)) for el in elements)
    lane = SCENE_LANES.get(key)
    if lane is not None or len(SCENE_LANES) >= _MAX_PLANS:
        return lane
    parts = []
    for kind, shape in key:
        plan = ELEMENT_INFO[kind].plans.get((shape, NO_SKIP))
        quiet = quiet_lines(kind, shape, "False")
        if plan is None or (plan.fast is None and not plan.remarks) or quiet is None:
            return None
        parts.append(LanePart(plan.checks, kind, shape, plan.remarks, quiet))
    lane = SCENE_LANES[key] = scene_lane(parts, _nested)
    return lane


def _nested(name: str) -> Nested:
    info = OBJECT_INFO[name]
    return info.fast, info.is_clean


def _inline(entry: Entry) -> Check | None:
    """None for a plain text property (the walk checks those itself), else the entry's check."""
    prop = entry.prop
    return None if prop.kind == "string" and not prop.choices else entry.check


OBJECT_INFO = {
    name: ObjectInfo(obj, object_table(name), obj.props)
    for name, obj in OBJECTS.items()
    if obj.props
}
#: scene lanes by their elements' types and shapes (:func:`scene_lane_of`)
SCENE_LANES: dict[tuple[tuple[str, tuple[str, ...]], ...], SceneLane] = {}
ELEMENT_INFO = {
    kind: ObjectInfo(None, element_table(kind), tuple(e.prop for e in element_table(kind).values()))
    for kind in ELEMENTS
}

_CSS_NAME = re.compile(r"^-?[a-z]+(-[a-z]+)*$")


@lru_cache(
    maxsize=4096
)  # the same CSS keys repeat on every text of a movie; bounded for hostile input
def suspicious(key: str, keys: tuple[str, ...]) -> bool:
    """An unknown key of an open object (CSS) worth a warning: not CSS-shaped, or a near miss."""
    if not _CSS_NAME.match(key):
        return True
    return bool(difflib.get_close_matches(key, keys, n=1, cutoff=0.85))
