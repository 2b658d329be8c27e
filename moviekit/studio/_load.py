"""Run a user's script and find what it defines: a movie, or a template for rows of data.

The studio runs the script again on every save, so a broken script must never
stop it: anything the script raises becomes one :class:`~moviekit.StudioError`
line saying where (``recipe.py, line 12``) and what, which the page shows in
place of the draft.
"""

from __future__ import annotations

import runpy
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moviekit._errors import MoviekitError, StudioError
from moviekit.batch._template import MovieTemplate
from moviekit.builders._movie import Movie


@dataclass(frozen=True)
class Loaded:
    """What a script defines: a movie, a template, or both (``movie`` is then one example)."""

    movie: Movie | None
    template: MovieTemplate | None


def split_source(source: str) -> tuple[Path, str]:
    """``"recipe.py:promo"`` -> ``(Path("recipe.py"), "promo")``; the name may be empty."""
    if ".py:" in source:
        path, name = source.rsplit(":", 1)
        return Path(path), name
    return Path(source), ""


def load(path: Path, name: str = "") -> Loaded:
    """Run ``path`` (a ``.py`` script, or read a ``.json`` movie) and pick what it defines.

    A script's pick: the variable ``name`` when given, else ``movie`` and
    ``template`` (a :class:`~moviekit.MovieTemplate` or a function ``row ->
    Movie``), else the only Movie or MovieTemplate at module level. Raises
    :class:`~moviekit.StudioError` (one line) for anything else.
    """
    if path.suffix == ".json":
        try:
            return Loaded(Movie.from_json(path.read_bytes()), None)
        except OSError as exc:
            raise StudioError(f"{path.name}: cannot read it: {exc.strerror}") from None
        except MoviekitError as exc:
            raise StudioError(f"{path.name}: {exc}") from None
    namespace = _run(path)
    if name:
        found = namespace.get(name)
        if isinstance(found, Movie):
            return Loaded(found, None)
        if isinstance(found, MovieTemplate) or callable(found):
            return Loaded(None, _template(found, path))
        raise StudioError(f"{path.name} defines no Movie or template named {name!r}")
    movie = namespace.get("movie")
    template = namespace.get("template")
    if not isinstance(movie, Movie):
        movies = _public(namespace, Movie)
        movie = movies[0] if len(movies) == 1 else None
    if template is None:
        templates = _public(namespace, MovieTemplate)
        template = templates[0] if len(templates) == 1 else None
    if movie is None and template is None:
        raise StudioError(
            f"{path.name} defines no movie: assign a Movie to a module-level variable named "
            "'movie' (or a MovieTemplate to 'template'), or pick one: "
            f"{path.name}:NAME"
        )
    return Loaded(movie, _template(template, path) if template is not None else None)


def _public(namespace: dict[str, Any], kind: type) -> list[Any]:
    return [v for k, v in namespace.items() if isinstance(v, kind) and not k.startswith("_")]


def _template(found: Any, path: Path) -> MovieTemplate:
    if isinstance(found, MovieTemplate):
        return found
    try:
        return MovieTemplate(found)
    except MoviekitError as exc:
        raise StudioError(f"{path.name}: {exc}") from None


def _run(path: Path) -> dict[str, Any]:
    folder = str(path.resolve().parent)
    sys.path.insert(0, folder)  # the script may import modules beside it
    try:
        return runpy.run_path(str(path), run_name="__moviekit__")
    except SystemExit as exc:
        raise StudioError(f"{path.name}: the script called exit({exc.code!r})") from None
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise StudioError(one_line(exc, path)) from None
    finally:
        if folder in sys.path:
            sys.path.remove(folder)


def one_line(exc: BaseException, path: Path) -> str:
    """``recipe.py, line 12: NameError: name 'x' is not defined``: where in the script, and what.

    moviekit's own errors already say where in the movie (``scenes[1]...``), so
    they keep their message without the exception's class name.
    """
    where = path.name
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename) == path:
        return f"{where}, line {exc.lineno}: SyntaxError: {exc.msg}"
    script = str(path.resolve())
    lines = [
        frame.lineno
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename and str(Path(frame.filename).resolve()) == script
    ]
    if lines:
        where += f", line {lines[-1]}"
    text = " ".join(str(exc).split()) or type(exc).__name__
    if not isinstance(exc, MoviekitError):
        text = f"{type(exc).__name__}: {text}"
    return f"{where}: {text}"
