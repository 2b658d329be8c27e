"""Product promos from a spreadsheet: one 12-second square ad per CSV row.

``cookbook/data/products.csv`` is what a shop exports (name, tagline, price, an
optional old price, a packshot and a b-roll clip). ``make_movie(row)`` makes one
promo; ``movies`` holds one per row, ready for a batch render.

Run it to print the first promo's Movie JSON:  python cookbook/product_promos_csv.py
"""

import csv
from pathlib import Path

from moviekit import Image, Movie, Scene, Text, Video

CSV_PATH = Path(__file__).parent / "data" / "products.csv"


def make_movie(row: dict) -> Movie:
    price = f"${float(row['price']):.2f}"
    # a sale shows the old price; a full-price item just shows the price
    if row["old_price"]:
        price = f"Now {price} (was ${float(row['old_price']):.2f})"

    hook = Scene(duration=4).add(
        # b-roll sets the mood; muted, the promo is watched without sound anyway
        Video(row["video"]).muted(True).resize("cover"),
        Text(row["tagline"])
        .style("004")
        .position("center-center")
        .settings(font_size="72px", color="#FFFFFF", font_weight="800"),
    )
    product = (
        Scene(background_color=row["accent"], duration=8)
        .transition("wiperight", 0.5)
        .add(
            Image(row["image"])
            .resize("contain")
            .width(800)
            .height(800)
            .position("top-right")
            .fade_in(0.4),
            Text(row["name"]).style("003").position("top-left").settings(font_size="64px"),
            Text(price)
            .style("001")
            .position("bottom-left")
            .start(1)
            .settings(font_size="56px", color="#FFFFFF", background_color="#000000"),
        )
    )
    # the SKU travels with the render, so the webhook knows which product it was
    movie = Movie(resolution="squared", quality="high").client_data(sku=row["sku"])
    return movie.add(hook, product)


with CSV_PATH.open(newline="", encoding="utf-8") as f:
    ROWS = list(csv.DictReader(f))

movies = [make_movie(row) for row in ROWS]
movie = movies[0]

if __name__ == "__main__":
    print(movie.to_json(indent=2))
