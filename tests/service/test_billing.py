"""The billing rule and the AI price table: every row sourced, aliases unique, replaceable."""

from __future__ import annotations

import pytest

from moviekit.service._billing import (
    BILLING_RULES,
    DEFAULT_IMAGE_MODEL,
    DEFAULT_PRICES,
    DEFAULT_VOICE_MODEL,
    ModelPrice,
    render_rate,
)
from moviekit.service._sources import SOURCES


def test_every_price_and_rule_names_sources_that_exist() -> None:
    for price in DEFAULT_PRICES.models:
        assert price.sources, price
        assert all(key in SOURCES for key in price.sources), price
        assert all(url.startswith("https://json2video.com/") for url in price.source_urls)
    for rule in BILLING_RULES:
        assert rule.sources and all(key in SOURCES for key in rule.sources), rule


def test_ids_and_aliases_name_one_price_per_kind() -> None:
    seen: set[tuple[str, str]] = set()
    for price in DEFAULT_PRICES.models:
        for name in (price.model, *price.aliases):
            assert (price.kind, name) not in seen, name
            seen.add((price.kind, name))
            assert DEFAULT_PRICES.price(price.kind, name) is price


@pytest.mark.parametrize(
    ("kind", "model", "credits", "unit"),
    [
        ("image", "flux-pro", 20, "image"),
        ("image", "nano-banana", 20, "image"),  # the alias of gemini-2.5-flash
        ("image", "text-to-image-pro", 15, "image"),
        ("video", "seedance-v2.5", 200, "second"),
        ("voice", "elevenlabs", 1, "second"),
        ("avatar", "talking-head", 20, "second"),
    ],
)
def test_prices_from_the_published_table(kind: str, model: str, credits: float, unit: str) -> None:
    price = DEFAULT_PRICES.price(kind, model)  # type: ignore[arg-type]
    assert price is not None and (price.credits, price.unit) == (credits, unit)


def test_the_defaults_are_free_and_elevenlabs_is_marked_uncertain() -> None:
    assert DEFAULT_PRICES.price("image", DEFAULT_IMAGE_MODEL).credits == 0  # type: ignore[union-attr]
    assert DEFAULT_PRICES.price("voice", DEFAULT_VOICE_MODEL).credits == 0  # type: ignore[union-attr]
    eleven = [p for p in DEFAULT_PRICES.models if p.model.startswith("elevenlabs")]
    assert eleven and all("0 credits/second" in p.uncertain for p in eleven)
    assert not any(p.uncertain for p in DEFAULT_PRICES.models if p not in eleven)


@pytest.mark.parametrize(
    ("size", "rate"),
    [((1920, 1080), 1), ((1080, 1920), 1), ((1280, 720), 1), ((2560, 1440), 4), ((3840, 2160), 4)],
)
def test_the_render_rate_by_size(size: tuple[int, int], rate: int) -> None:
    assert render_rate(*size) == rate


def test_a_table_is_replaced_row_by_row_not_edited() -> None:
    newer = DEFAULT_PRICES.with_prices(
        [ModelPrice("flux-pro", "image", 25, "image", ("PRICE",)),
         ModelPrice("kling-1-6", "video", 50, "second", ("TUTORIAL-09",))],
        as_of="2027-01",
    )  # fmt: skip
    assert newer.price("image", "flux-pro").credits == 25  # type: ignore[union-attr]
    assert newer.price("video", "kling-1-6").credits == 50  # type: ignore[union-attr]
    assert DEFAULT_PRICES.price("image", "flux-pro").credits == 20  # type: ignore[union-attr]
    assert newer.as_of == "2027-01" and DEFAULT_PRICES.price("video", "kling-1-6") is None
