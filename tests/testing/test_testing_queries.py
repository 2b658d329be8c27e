"""Queries over a movie's elements: by type, by property, text, src hosts, length (timeline)."""

from __future__ import annotations

import pytest

from moviekit import (
    CONTAINER_LENGTH,
    Audio,
    Image,
    Movie,
    Scene,
    Text,
    Var,
    Video,
    Voice,
)
from moviekit.testing import (
    Found,
    elements_longer_than,
    find_elements,
    iter_elements,
    srcs_outside,
    texts_containing,
)

INTRO = Text("Spring SALE starts today").style("002")
SHOES = Image("https://cdn.shop.example/shoes.jpg")
CLIP = Video("https://media.shop.example/clips/run.mp4").volume(2)
MUSIC = Audio("https://music.example.org/bed.mp3").duration(CONTAINER_LENGTH)

MOVIE = (
    Movie(resolution="hd")
    .add(
        Scene(duration=4).add(SHOES, INTRO),
        Scene(duration=6).add(CLIP, Text("Free shipping").z_index(5)),
        Scene().add(
            Image("https://tracker.ads.example/pixel.png").duration(2),
            Image(Var("logo_url")).duration(2),
        ),
    )
    .add(MUSIC)
)


def paths(found: list[Found]) -> list[str]:
    return [f.path for f in found]


def test_iter_elements_walks_scenes_then_movie_level_elements() -> None:
    found = list(iter_elements(MOVIE))
    assert paths(found) == [
        "scenes[0].elements[0]",
        "scenes[0].elements[1]",
        "scenes[1].elements[0]",
        "scenes[1].elements[1]",
        "scenes[2].elements[0]",
        "scenes[2].elements[1]",
        "elements[0]",
    ]
    assert found[1].element is INTRO and found[-1].element is MUSIC


def test_iter_elements_of_a_scene_and_of_a_compiled_dict() -> None:
    assert paths(list(iter_elements(MOVIE.scenes[1]))) == ["elements[0]", "elements[1]"]
    from_json = list(iter_elements(MOVIE.to_dict()))
    assert paths(from_json) == paths(list(iter_elements(MOVIE)))
    assert from_json[1].element == INTRO  # rebuilt builders compare by value


def test_find_by_class_wire_type_and_tuple() -> None:
    assert paths(find_elements(MOVIE, Text)) == ["scenes[0].elements[1]", "scenes[1].elements[1]"]
    assert paths(find_elements(MOVIE, "video")) == ["scenes[1].elements[0]"]
    assert paths(find_elements(MOVIE, (Video, Audio))) == ["scenes[1].elements[0]", "elements[0]"]
    assert len(find_elements(MOVIE)) == 7


def test_find_by_property_value_and_predicate() -> None:
    assert paths(find_elements(MOVIE, Text, style="002")) == ["scenes[0].elements[1]"]
    assert paths(find_elements(MOVIE, z_index=lambda z: z > 1)) == ["scenes[1].elements[1]"]
    assert paths(find_elements(MOVIE, Video, volume=lambda v: v > 1)) == ["scenes[1].elements[0]"]
    # A property an element does not have never matches, even a predicate that accepts None.
    assert find_elements(MOVIE, Text, volume=lambda v: True) == []
    # The special durations are plain JSON numbers, and compare as such.
    assert paths(find_elements(MOVIE, duration=CONTAINER_LENGTH)) == ["elements[0]"]


def test_find_unknown_element_types_and_wire_names() -> None:
    movie = Movie.from_dict(
        {
            "scenes": [
                {
                    "elements": [
                        {"type": "hologram", "src": "https://x.example/h.bin", "glow-level": 3},
                        {"type": "text", "text": "hi", "extra-time": 1},
                    ]
                }
            ]
        }
    )
    (holo,) = find_elements(movie, "hologram")
    assert holo.path == "scenes[0].elements[0]"
    assert paths(find_elements(movie, **{"glow-level": 3})) == ["scenes[0].elements[0]"]
    assert paths(find_elements(movie, Text, extra_time=1)) == ["scenes[0].elements[1]"]


def test_texts_containing_is_case_insensitive_by_default() -> None:
    found = texts_containing(MOVIE, "sale")
    assert [(f.path, f.value) for f in found] == [
        ("scenes[0].elements[1].text", "Spring SALE starts today")
    ]
    assert texts_containing(MOVIE, "sale", case_sensitive=True) == []
    assert texts_containing(MOVIE, "TODO") == []
    # Voice text is speech, not on-screen text: not a Text element.
    spoken = Movie().add(Scene().add(Voice("the sale is on").duration(2)))
    assert texts_containing(spoken, "sale") == []


def test_srcs_outside_allowed_hosts() -> None:
    found = srcs_outside(MOVIE, ["cdn.shop.example", "*.shop.example", "music.example.org"])
    assert [(f.path, f.value, f.note) for f in found] == [
        (
            "scenes[2].elements[0].src",
            "https://tracker.ads.example/pixel.png",
            "host not allowed: tracker.ads.example",
        ),
        ("scenes[2].elements[1].src", "{{logo_url}}", "placeholder: decided at render time"),
    ]
    assert str(found[0]) == (
        "scenes[2].elements[0].src = 'https://tracker.ads.example/pixel.png'  "
        "(host not allowed: tracker.ads.example)"
    )


def test_srcs_outside_wildcards_cover_subdomains_only_and_hosts_ignore_case() -> None:
    movie = Movie().add(
        Scene().add(
            Image("https://SHOP.example/a.jpg").duration(1),
            Image("https://img.shop.example/b.jpg").duration(1),
            Image("https://evilshop.example/c.jpg").duration(1),
            Image("relative/d.jpg").duration(1),
        )
    )
    found = srcs_outside(movie, ["*.shop.example"])
    assert [(f.value, f.note) for f in found] == [
        ("https://SHOP.example/a.jpg", "host not allowed: shop.example"),
        ("https://evilshop.example/c.jpg", "host not allowed: evilshop.example"),
        ("relative/d.jpg", "no host"),
    ]
    with pytest.raises(TypeError, match="list of host names"):
        srcs_outside(movie, "shop.example")


def test_found_str_names_the_path_and_the_element() -> None:
    (found,) = find_elements(MOVIE, Video)
    assert str(found).startswith("scenes[1].elements[0]  Video(src=")


def test_elements_longer_than_uses_the_timeline() -> None:
    # Music fits the movie (4 + 6 + 2 = 12 s); the clip's natural length is unknown but the
    # scene's 6 s duration trims it, so it plays at most 6 s; texts fill their scenes.
    found = elements_longer_than(MOVIE, 5, lengths={"https://media.shop.example/clips/run.mp4": 20})
    assert [(f.path, f.value, f.note) for f in found] == [
        ("scenes[1].elements[0]", 6.0, ""),
        ("scenes[1].elements[1]", 6.0, ""),
        ("elements[0]", 12.0, ""),
    ]
    assert found[0].element is CLIP


def test_elements_longer_than_with_unknown_lengths() -> None:
    voice = Voice("A long narration about shoes").id("narration")
    movie = Movie(resolution="hd").add(Scene().add(voice, Text("Shoes").duration(3)))
    # The voice's length is unknown offline: it is not provably longer than 5 s...
    assert paths(elements_longer_than(movie, 5)) == []
    # ...but it may be,
    (maybe,) = elements_longer_than(movie, 5, include_unknown=True)
    assert (maybe.path, maybe.note) == (
        "scenes[0].elements[0]",
        "may be longer; natural length unknown",
    )
    # and with its length given (by id, or as a hint on the element) it is.
    given = elements_longer_than(movie, 5, lengths={"narration": 8})
    assert [(f.path, f.value, f.note) for f in given] == [("scenes[0].elements[0]", 8.0, "")]
    hinted = Movie(resolution="hd").add(
        Scene().add(voice.length_hint(8), Text("Shoes").duration(3))
    )
    assert [(f.path, f.value) for f in elements_longer_than(hinted, 5)] == [
        ("scenes[0].elements[0]", 8.0)
    ]
