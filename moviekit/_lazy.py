"""Public names imported on first use: a package's ``__getattr__`` and ``__dir__`` (PEP 562).

``import moviekit`` runs in every ``moviekit`` command, every pytest process
(the plugin is an entry point) and every script, while most of them touch a
small part of the surface: importing the builders, the client, batches and the
preview up front cost a few times ``import requests``. A package lists which
module defines each of its public names; a name is imported when it is first
read (``moviekit.Movie``, ``from moviekit import Movie``, ``import *``), then
cached in the package, so the next read is a plain attribute lookup.

The same module keeps what the top of the package lends to a lower layer
(:func:`lend`, :func:`borrow`): the builders show frames and probe media with the
preview, which sits above them; the package lends them a loader of it, so
neither an upward import nor an eager import of the preview is needed.

Type checkers never see the ``__getattr__`` functions: the package imports the same names
under ``if TYPE_CHECKING:`` and defines ``__getattr__`` only under
``if not TYPE_CHECKING:``, so a misspelt name is still an error to mypy.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, modules: Mapping[str, tuple[str, ...]], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``, whose globals are ``namespace``.

    ``modules`` maps a module, relative to the package (``"batch._batch"``), to
    the public names it defines; a name equal to its module (``"preview":
    ("preview",)``) is that submodule itself.
    """
    where = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        imported = importlib.import_module(f"{package}.{module}")
        value = imported if module == name else getattr(imported, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where))

    return __getattr__, __dir__


_lent: dict[str, Callable[[], object]] = {}


def lend(name: str, loader: Callable[[], object]) -> None:
    """Make ``loader()`` what :func:`borrow` returns for ``name`` (the package does, once)."""
    _lent[name] = loader


def borrow(name: str) -> object | None:
    """What was lent under ``name``, loaded now; None when nothing was."""
    loader = _lent.get(name)
    return None if loader is None else loader()
