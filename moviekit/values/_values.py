"""Small typed values that builders accept: special lengths, placeholders and nested objects.

Everything here is immutable and knows its own wire form (:meth:`to_wire`).
Builders turn these values into plain JSON data the moment they are set, so a
compiled document never contains a Python object.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from moviekit._errors import BuildError
from moviekit.service._literals import TransitionStyle

__all__ = [
    "CONTAINER_END",
    "CONTAINER_LENGTH",
    "NATURAL_LENGTH",
    "ChromaKey",
    "Connection",
    "Correction",
    "Crop",
    "Email",
    "Expr",
    "FTP",
    "Rotate",
    "SFTP",
    "Special",
    "Transition",
    "Var",
    "Webhook",
]


class Special(int):
    """A named special number of the Movie JSON, such as "natural length" (``-1``).

    It equals the wire number (``NATURAL_LENGTH == -1``) and has a readable repr;
    builders store the plain number, so compiled output holds only JSON types.
    """

    _name: str
    description: str

    def __new__(cls, value: int, name: str, description: str) -> Special:
        self = super().__new__(cls, value)
        self._name = name
        self.description = description
        return self

    def __repr__(self) -> str:
        return self._name

    __str__ = __repr__

    def __reduce__(self) -> tuple[Any, ...]:
        return (Special, (int(self), self._name, self.description))


NATURAL_LENGTH = Special(
    -1, "NATURAL_LENGTH", "the natural length of the asset (video, audio, voice, text animation)"
)
"""``duration``: as long as the asset itself plays (wire ``-1``)."""

CONTAINER_LENGTH = Special(-2, "CONTAINER_LENGTH", "the length of the scene or movie it is in")
"""``duration``: as long as the scene (or, for movie-level elements, the movie) (wire ``-2``)."""

CONTAINER_END = Special(-1, "CONTAINER_END", "the end of the container's timeline")
"""``start``: push the element to the end of its container's timeline (wire ``-1``)."""

# --------------------------------------------------------------------------- placeholders

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class Expr:
    """A ``{{ ... }}`` expression the service evaluates at render time.

    Build one with :func:`Var` and ordinary arithmetic; ``str()`` gives the wire
    form::

        >>> str(Var("base_duration") + 2)
        '{{base_duration + 2}}'
        >>> str(Var("price") * Var("qty"))
        '{{price * qty}}'

    Any builder property accepts an ``Expr``, numeric ones included, as the
    service does.
    """

    __slots__ = ("source",)

    def __init__(self, source: str) -> None:
        if not isinstance(source, str):
            raise BuildError(
                f"Expr() takes the expression text, e.g. Expr('price * 2'); got {source!r}"
            )
        self.source = source.strip()

    def __str__(self) -> str:
        return "{{" + self.source + "}}"

    def __repr__(self) -> str:
        return f"Expr({self.source!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expr) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)

    def _binary(self, op: str, other: object, *, reverse: bool = False) -> Expr:
        left, right = _operand(self), _operand(other)
        if reverse:
            left, right = right, left
        return Expr(f"{left} {op} {right}")

    def __add__(self, other: object) -> Expr:
        return self._binary("+", other)

    def __radd__(self, other: object) -> Expr:
        return self._binary("+", other, reverse=True)

    def __sub__(self, other: object) -> Expr:
        return self._binary("-", other)

    def __rsub__(self, other: object) -> Expr:
        return self._binary("-", other, reverse=True)

    def __mul__(self, other: object) -> Expr:
        return self._binary("*", other)

    def __rmul__(self, other: object) -> Expr:
        return self._binary("*", other, reverse=True)

    def __truediv__(self, other: object) -> Expr:
        return self._binary("/", other)

    def __rtruediv__(self, other: object) -> Expr:
        return self._binary("/", other, reverse=True)


def _operand(value: object) -> str:
    if isinstance(value, Expr):
        # Parenthesise compound operands so (a + b) * c keeps its meaning.
        return f"({value.source})" if " " in value.source else value.source
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BuildError(f"cannot use {value!r} in a {{{{ }}}} expression; use a number or Var()")
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    return repr(value)


def Var(name: str) -> Expr:  # noqa: N802 - reads like a constructor, as intended
    """Refer to a variable by name: ``Var("price")`` is the placeholder ``{{price}}``.

    The name must start with a letter and hold only letters, digits and ``_``
    (the service's rule for variable names).
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise BuildError(
            f"invalid variable name {name!r}: start with a letter, then use only "
            "letters, digits and '_' (e.g. 'price_eur')"
        )
    return Expr(name)


# --------------------------------------------------------------------------- nested objects


class WireValue:
    """Base of the small frozen dataclasses below: wire keys are the field names with '-'."""

    def to_wire(self) -> dict[str, Any]:
        """The JSON object the service expects; unset (``None``) fields are left out."""
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if value is not None:
                out[f.metadata.get("wire", f.name.replace("_", "-"))] = (
                    str(value) if isinstance(value, Expr) else value
                )
        return out


Number = float | int | Expr


@dataclass(frozen=True)
class Crop(WireValue):
    """Show only a ``width`` x ``height`` window of a visual element, from ``(x, y)``."""

    width: int | Expr
    height: int | Expr
    x: int | Expr | None = None
    y: int | Expr | None = None


@dataclass(frozen=True)
class Rotate(WireValue):
    """Rotate by ``angle`` degrees (-360..360), over ``speed`` seconds (0 = at once)."""

    angle: Number
    speed: Number | None = None


@dataclass(frozen=True)
class ChromaKey(WireValue):
    """Make ``color`` (e.g. ``"#00b140"``) transparent, within ``tolerance`` (1..100)."""

    color: str | Expr
    tolerance: int | Expr | None = None


@dataclass(frozen=True)
class Correction(WireValue):
    """Colour correction: brightness -1..1, contrast -1000..1000, gamma 0.1..10, saturation 0..3."""

    brightness: Number | None = None
    contrast: Number | None = None
    gamma: Number | None = None
    saturation: Number | None = None


@dataclass(frozen=True)
class Transition(WireValue):
    """How a scene is entered from the previous one (an FFmpeg ``xfade``).

    The service does not document how a transition changes the movie length;
    moviekit's timing reads it as an overlap (see ``moviekit/timing/_engine.py``).
    """

    style: TransitionStyle | Expr = "fade"
    duration: Number | None = None
    type: Literal["xfade"] | None = None


# --- export destinations (reference §7) ---------------------------------------------------


@dataclass(frozen=True)
class Webhook(WireValue):
    """POST the render result to ``endpoint`` (a public HTTPS URL) when the render ends."""

    endpoint: str
    content_type: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return {"type": "webhook", **super().to_wire()}


@dataclass(frozen=True)
class FTP(WireValue):
    """Upload the finished video to an FTP server. The password never shows in a repr."""

    host: str
    username: str
    password: str
    port: int | Expr = 21
    remote_path: str | None = None
    file: str | None = None

    _TYPE = "ftp"

    def to_wire(self) -> dict[str, Any]:
        return {"type": self._TYPE, **super().to_wire()}

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={'***' if f.name == 'password' else repr(getattr(self, f.name))}"
            for f in fields(self)
            if getattr(self, f.name) is not None
        )
        return f"{type(self).__name__}({shown})"


@dataclass(frozen=True, repr=False)
class SFTP(FTP):
    """Upload the finished video to an SFTP server (port 22 unless told otherwise)."""

    port: int = 22
    _TYPE = "sftp"


@dataclass(frozen=True)
class Email(WireValue):
    """Email ``to`` when the render is done; ``message`` may use ``__video_url__``."""

    to: str
    subject: str
    message: str

    def to_wire(self) -> dict[str, Any]:
        return {"type": "email", **super().to_wire()}


@dataclass(frozen=True, init=False)
class Connection(WireValue):
    """A destination saved in the dashboard, by its connection id, with optional overrides."""

    id: str
    overrides: Mapping[str, Any]

    def __init__(self, id: str, **overrides: Any) -> None:  # noqa: A002 - the wire name
        object.__setattr__(self, "id", id)
        object.__setattr__(
            self, "overrides", {k.replace("_", "-"): v for k, v in overrides.items()}
        )

    def to_wire(self) -> dict[str, Any]:
        return {"id": self.id, **self.overrides}

    def __repr__(self) -> str:
        shown = [repr(self.id)] + [
            f"{k}={'***' if k == 'password' else repr(v)}" for k, v in self.overrides.items()
        ]
        return f"Connection({', '.join(shown)})"


Destination = Webhook | FTP | SFTP | Email | Connection
