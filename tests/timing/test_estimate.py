"""The one credit estimate: rendering by the billing rule, plus AI generation by the price table."""

from __future__ import annotations

import time
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from moviekit import BuildError, Image, Movie, Scene, Timeline, Voice
from moviekit.service._billing import DEFAULT_PRICES, ModelPrice


def worked_example() -> Movie:
    """The credits page's example: 1080x1920, 30 s, 3 Flux Pro images, a 20-s ElevenLabs voice."""
    images = [Image(prompt=f"a kitchen, view {i}", model="flux-pro").duration(10) for i in range(3)]
    return Movie(resolution="instagram-story").add(
        *(Scene().add(image) for image in images),
        Voice("Welcome home.", model="elevenlabs").id("voice"),  # over the whole movie
    )


def test_the_documented_worked_example_costs_110_credits() -> None:
    found = worked_example().timeline(lengths={"voice": 20}).estimate()
    assert (found.credits, found.exact) == (110, True)  # 30 + 3 x 20 + 20
    assert found.rendering.amount == 30 and found.ai_credits == 80
    assert [(i.path, i.kind, i.model, i.credits) for i in found.items] == [
        ("scenes[0].elements[0]", "image", "flux-pro", 20),
        ("scenes[1].elements[0]", "image", "flux-pro", 20),
        ("scenes[2].elements[0]", "image", "flux-pro", 20),
        ("elements[0]", "voice", "elevenlabs", 20),
    ]
    assert found.text == "110 credits (30 s x 1/s + 80 for AI; some prices uncertain)"
    (doubt,) = found.uncertain
    assert doubt.startswith("elements[0]: the AI models catalog shows 0 credits/second")


def test_an_unknown_voice_length_makes_a_lower_bound() -> None:
    found = worked_example().timeline().estimate()
    assert not found.exact and found.credits == 90  # the voice's seconds are unknown offline
    assert found.text.startswith("at least 90 credits")
    assert any("voice" in d for d in found.depends_on)
    assert found.over(89) and not found.over(90)


def test_an_own_connection_costs_no_credits_and_the_default_models_are_free() -> None:
    movie = Movie(resolution="hd").add(
        Scene(duration=4).add(
            Image(prompt="a dog", model="nano-banana-pro", connection="my-replicate"),
            Image(prompt="a cat"),  # flux-schnell, the free default
            Voice("Hi", model="elevenlabs-v3", connection="my-eleven").duration(3),
            Voice("Hello").duration(3),  # azure, free
        )
    )
    found = movie.timeline().estimate()
    assert (found.credits, found.items, found.exact) == (4, (), True)
    assert str(found) == "4 credits (4 s x 1/s)"


def ai_video(model: str, *, resolution: dict[str, Any] | None = None) -> Timeline:
    clip = {"type": "video", "prompt": "waves at dusk", "model": model, "duration": 5}
    return Timeline.from_dict(
        {**(resolution or {"resolution": "hd"}), "scenes": [{"elements": [clip]}]}
    )


def test_ai_video_is_priced_per_second_and_4k_at_4_per_second() -> None:
    found = ai_video("seedance-v1.5-pro", resolution={"width": 3840, "height": 2160}).estimate()
    assert found.per_second == 4 and found.rendering.amount == 20
    (item,) = found.items
    assert (item.kind, item.credits, item.quantity, item.unit) == ("video", 100, 5, "second")
    assert found.credits == 120 and found.exact
    assert "seedance-v1.5-pro: 100 credits (5 s x 20/s)" in str(item)


def test_a_model_missing_from_the_table_is_named_and_the_total_a_lower_bound() -> None:
    found = ai_video("kling-1-6").estimate()
    (item,) = found.items
    assert item.credits == 0 and not item.exact and not found.exact
    assert "'kling-1-6' is not in the price table (2026-10); not counted" in item.uncertain
    newer = DEFAULT_PRICES.with_prices(
        [ModelPrice("kling-1-6", "video", 50, "second", ("N-ai-pricing",))]
    )
    priced = ai_video("kling-1-6").estimate(newer)
    assert priced.credits == 255 and priced.exact


def test_the_timeline_table_and_json_carry_the_estimate() -> None:
    timeline = worked_example().timeline(lengths={"voice": 20})
    assert "total: 30 s; cost: 110 credits (30 s x 1/s + 80 for AI" in str(timeline)
    assert "  scenes[0].elements[0]: image flux-pro: 20 credits (1 image x 20)" in str(timeline)
    data = timeline.to_dict()
    assert data["credits"] == 110 and data["estimate"]["ai_credits"] == 80
    assert data["estimate"]["items"][0]["sources"][0].startswith("https://json2video.com/")


ELEMENT = st.fixed_dictionaries(
    {"type": st.sampled_from(["image", "video", "voice", "text", "audio", "x"])},
    optional={
        "prompt": st.text(max_size=5) | st.none() | st.integers(),
        "model": st.sampled_from(["flux-pro", "seedance-v2.5", "elevenlabs", "infinite-talk"])
        | st.text(max_size=6)
        | st.integers(),
        "src": st.text(max_size=5),
        "connection": st.text(max_size=3) | st.booleans(),
        "duration": st.floats(allow_nan=True) | st.integers(-5, 100) | st.text(max_size=4),
        "text": st.text(max_size=5),
    },
)
DOCUMENT = st.fixed_dictionaries(
    {"scenes": st.lists(st.fixed_dictionaries({"elements": st.lists(ELEMENT, max_size=4)}),
                        max_size=4)},
    optional={"resolution": st.sampled_from(["hd", "full-hd", "custom", "4k", "?"]),
              "width": st.integers(-10, 9000) | st.text(max_size=3),
              "height": st.integers(-10, 9000)},
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(doc=DOCUMENT)
def test_any_document_gets_an_estimate_or_a_moviekit_error_quickly(doc: dict[str, Any]) -> None:
    start = time.monotonic()
    try:
        found = Timeline.from_dict(doc).estimate()
    except BuildError:
        return
    assert time.monotonic() - start < 2.0
    assert found.credits >= 0 and found.credits >= found.rendering.amount
    assert all(
        item.credits >= 0 and item.path.startswith(("scenes[", "elements[")) for item in found.items
    )
    assert found.to_dict()["text"] == found.text
