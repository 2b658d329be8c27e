"""The one compile entry (issue #13.3): ``compile_movie(movie) -> Compiled``.

``to_dict``, ``Movie.timeline()`` and the preview all read it; its state lives in
a compiler object, so compiles in two threads never see each other.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from moviekit import BuildError, Movie, Scene, Text, Timeline, Video, Voice
from moviekit.builders import Compiled, compile_movie

CLIP = "https://example.com/clip.mp4"


def sample() -> tuple[Movie, Voice, Text, Video]:
    voice = Voice("Welcome").length_hint(4)
    caption = Text("Hello").after(voice, gap=0.5).duration(2)
    music = Video(CLIP).length_hint(30)
    movie = Movie().add(Scene().add(voice, caption), Scene(duration=3)).add(music)
    return movie, voice, caption, music


def test_the_document_is_what_to_dict_returns_and_hints_are_never_sent() -> None:
    movie, *_ = sample()
    compiled = compile_movie(movie)
    assert compiled.document == movie.to_dict()
    assert compiled.length_hints == {"scenes[0].elements[0]": 4.0, "elements[0]": 30.0}
    assert "length_hint" not in repr(compiled.document)


def test_builders_are_the_very_objects_the_user_added() -> None:
    movie, voice, caption, music = sample()
    builders = compile_movie(movie).builders
    assert dict(builders).keys() == {
        "scenes[0].elements[0]",
        "scenes[0].elements[1]",
        "elements[0]",
    }
    assert builders["scenes[0].elements[0]"] is voice
    assert builders["scenes[0].elements[1]"] is caption
    assert builders["elements[0]"] is music


def test_the_timeline_of_the_compiled_form_is_the_movies_timeline() -> None:
    movie, voice, *_ = sample()
    compiled = compile_movie(movie)
    timeline = Timeline.from_compiled(compiled)
    assert timeline == movie.timeline()
    assert (timeline.total, timeline.exact) == (30, True)  # hints: voice 4 s, clip 30 s
    assert timeline.elements[0].element is voice
    shorter = Timeline.from_compiled(compiled.with_hints({"scenes[0].elements[0]": 1}))
    assert shorter.scenes[0].length == 3.5 and compiled.length_hints["scenes[0].elements[0]"] == 4


def test_each_compile_is_fresh_and_the_builders_untouched() -> None:
    movie, *_ = sample()
    first, second = compile_movie(movie), compile_movie(movie)
    assert first.document == second.document and first.document is not second.document
    first.document["scenes"][0]["elements"][1]["start"] = 99
    assert compile_movie(movie).document == second.document


def module_state() -> dict[str, Any]:
    """The state of every object held by a global of the compile path's modules."""
    state: dict[str, Any] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith(("moviekit.builders", "moviekit.timing")):
            continue
        for key, value in vars(module).items():
            if isinstance(value, (type, types.ModuleType, types.FunctionType)):
                continue
            slots = getattr(type(value), "__slots__", ())
            inner = {s: getattr(value, s, None) for s in slots if isinstance(s, str)}
            inner.update(getattr(value, "__dict__", {}))
            state[f"{name}.{key}"] = (repr(value), repr(inner))
    return state


def test_compiling_changes_no_module_state() -> None:
    # Compile state lives in a compiler object: no global counter or cache changes, so
    # two compiles (two threads) can never see each other.
    movie, *_ = sample()
    compile_movie(Movie())  # imports done, constant caches warm
    before = module_state()
    movie.to_dict()
    movie.timeline()
    after = module_state()
    assert {k: v for k, v in after.items() if before.get(k) != v} == {}


@pytest.mark.parametrize(
    ("build", "path"),
    [
        (lambda v: Movie().add(Scene().duration(v.time.end).add(v)), "scenes[0].duration"),
        (lambda v: Movie().add(Scene().add(v, Text("x").fade_in(v.time.end))), "fade-in"),
        (
            # refused by the call that puts it there, with its place inside the value
            lambda v: Movie().add(Scene().add(v, Text("x").set("crop", {"x": v.time.end}))),
            "crop.x",
        ),
    ],
    ids=["scene duration", "fade-in", "inside a dict"],
)
def test_a_time_expression_where_the_service_cannot_take_one_is_a_build_error(
    build: Any, path: str
) -> None:
    voice = Voice("hi")
    with pytest.raises(BuildError, match="start, duration or extra-time") as info:
        compile_movie(build(voice))
    assert info.value.path.endswith(path)


def test_compiled_is_frozen() -> None:
    compiled = compile_movie(Movie())
    assert isinstance(compiled, Compiled)
    with pytest.raises(AttributeError):
        compiled.document = {}  # type: ignore[misc]
