"""The vocabulary of the service model: how one Movie JSON fact is written down.

The facts themselves are in :mod:`moviekit.service._movie_json` (objects and
properties), :mod:`moviekit.service._catalog` (AI models, preset sizes) and
:mod:`moviekit.service._rules` (what is an error, what a warning, and why).
Everything else reads them: ``schema/generate.py`` writes the bundled JSON
Schema and the builders' property declarations from them, validation walks
documents with tables made from them, the fake service rejects what they say
the service rejects.

Every fact carries its sources (keys of :data:`moviekit.service._sources.SOURCES`)
and a :class:`Status` saying how sure we are that the service accepts it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

__all__ = ["Element", "Kind", "Obj", "Prop", "Status"]

#: The JSON type a property takes (``any``: whatever JSON the user gives).
Kind = Literal["string", "number", "integer", "boolean", "object", "array", "any"]


class Status(Enum):
    """How a property is known. Only a documented rejection ever makes an error."""

    DOCUMENTED = "documented"
    """In an official reference page's property table or prose."""
    EXAMPLE = "shown in an official example"
    """Used by an official tutorial, guide or example, not in a reference table."""
    LEGACY = "legacy"
    """Only in the legacy OpenAPI file, old SDKs or old pages: a warning, with a hint."""
    IGNORED = "documented as ignored"
    """The docs say the service accepts it and does nothing with it: a warning."""


@dataclass(frozen=True)
class Prop:
    """One property of a Movie JSON object.

    ``values`` are the documented choices of a string property, ``also`` the
    choices shown working outside the reference tables (both are accepted
    silently; anything else is a warning, never an error, unless a rule in
    :mod:`moviekit.service._rules` cites a rejection). Numbers take ``minimum``,
    ``maximum`` and ``above`` (exclusive minimum), plus the documented
    ``specials`` (``-1``, ``-2``). Any property may also hold a ``{{ }}``
    placeholder and a number written as a string: official examples do both.
    """

    wire: str
    kind: Kind
    doc: str
    sources: tuple[str, ...]
    values: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None
    specials: tuple[int, ...] = ()
    #: for objects and arrays: the name of the :class:`Obj` (of the items)
    nested: str = ""
    required: bool = False
    status: Status = Status.DOCUMENTED
    default: str = ""
    note: str = ""
    #: the Python name when it is not the wire name with ``-`` -> ``_``
    python: str = ""
    #: the builders' setter annotation when the kind alone does not say it
    python_type: str = ""
    #: the builders write this setter by hand (``settings()``, ``variables()``)
    custom: bool = False
    #: named constants the builders read back for the special numbers
    named: tuple[str, ...] = ()
    #: the builders get a setter for it (legacy spellings are sent with ``.set()``)
    builder: bool = True

    @property
    def python_name(self) -> str:
        return self.python or self.wire.replace("-", "_")

    @property
    def choices(self) -> tuple[str, ...]:
        """Every accepted choice of a string property (empty: any string)."""
        return self.values + self.also


@dataclass(frozen=True)
class Obj:
    """A JSON object of the Movie JSON with its documented properties.

    ``open``: any other key is fine too (the object is the user's data, or the
    service documents that it takes any key, such as CSS properties).
    ``keys``: further keys known to be meaningful in an open object, used for
    "did you mean" on typos.
    """

    name: str
    doc: str
    props: tuple[Prop, ...]
    sources: tuple[str, ...]
    open: bool = False
    keys: tuple[str, ...] = ()
    note: str = ""
    by_wire: dict[str, Prop] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_wire", {p.wire: p for p in self.props})


@dataclass(frozen=True)
class Element:
    """One element type: its own properties and the shared groups it takes.

    ``groups`` name the shared property groups in output order (see
    :data:`moviekit.service._movie_json.GROUPS`). ``default_duration`` is what
    a missing ``duration`` means (-1 natural length, -2 the container's);
    ``natural`` says whether the type has a natural length of its own.
    """

    type: str
    builder: str
    doc: str
    own: tuple[Prop, ...]
    groups: tuple[str, ...]
    sources: tuple[str, ...]
    default_duration: int = -1
    natural: bool = False
    note: str = ""
