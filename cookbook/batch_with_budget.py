"""A budget-guarded batch: see what a catalogue of videos will cost, then render within budget.

One short promo per product, some with an AI-generated backdrop (a paid model).
``batch.dry_run(estimate=True)`` checks every row and sums what the renders
would cost (rendering seconds, plus each AI image by the published price
table); ``Batch(max_credits=...)`` refuses a run whose rows are estimated
above the budget, before anything is sent, so a typo that makes every video
4K, or a model that costs 80 credits an image, is caught at no cost.

Run it:  python cookbook/batch_with_budget.py
It prints the estimate, shows a run over budget being refused (nothing sent),
then renders the catalogue within budget against a local FakeJSON2Video.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from moviekit import (
    Batch,
    BudgetExceededError,
    Client,
    Image,
    Movie,
    MovieTemplate,
    PollPolicy,
    Scene,
    Text,
    Variable,
)

#: running this file renders against the local fake service (the cookbook tests know it)
RENDERS_AGAINST_FAKE = True

PRODUCTS = [
    {"sku": "LAMP-01", "name": "Brass desk lamp", "price": "89", "backdrop": ""},
    {"sku": "RUG-07", "name": "Wool rug", "price": "240", "backdrop": "a sunlit loft, wool rug"},
    {"sku": "CHAIR-3", "name": "Oak chair", "price": "180", "backdrop": "a Nordic dining room"},
]


def promo(row: dict[str, Any]) -> Movie:
    """A 5-second promo; an AI backdrop (flux-pro, 20 credits an image) when the row asks."""
    scene = Scene(duration=5, background_color="#222222")
    if row["backdrop"]:
        scene = scene.add(Image(prompt=row["backdrop"], model="flux-pro"))
    return Movie(resolution="full-hd").add(
        scene.add(
            Text(row["name"]).style("003").position("center-center"),
            Text(f"{row['price']:.0f} EUR").style("001").position("bottom-right"),
        )
    )


template = MovieTemplate(promo, [Variable("name"), Variable("price", "number", minimum=0),
                                 Variable("backdrop", default="")])  # fmt: skip
movie = promo({"name": "Wool rug", "price": 240.0, "backdrop": "a sunlit loft, wool rug"})


def main() -> int:
    """Estimate, be refused over budget, render within it; return the credits the service used."""
    from moviekit.testing import FakeJSON2Video

    with FakeJSON2Video(speed=50) as server, tempfile.TemporaryDirectory() as folder:
        client = Client(api_key=server.api_key, base_url=server.base_url,
                        poll_policy=PollPolicy.for_local_testing())  # fmt: skip
        ledger = Path(folder) / "catalogue.db"
        dry = Batch(template, PRODUCTS, key="sku").dry_run(estimate=True)
        print(dry.describe())  # 3 row(s) checked ... estimate: 55 credits for 3 row(s)

        tight = Batch(template, PRODUCTS, key="sku", ledger=ledger, client=client, max_credits=30)
        try:
            tight.run()
        except BudgetExceededError as refused:
            print(f"refused: {refused}")
        assert server.requests == []  # nothing was sent

        batch = Batch(template, PRODUCTS, key="sku", ledger=ledger, client=client, max_credits=60)
        result = batch.run()
        print(result.describe())
        spent = 600 - server.credits  # the fake starts every account with 600 credits
        print(f"the service charged {spent:g} credits")
        return int(spent)


if __name__ == "__main__":
    main()
