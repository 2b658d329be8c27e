"""The template and rows the batch tests share (also imported by the child processes)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from moviekit import Movie, MovieTemplate, Scene, Text, Variable


def listing(row: dict[str, Any]) -> Movie:
    """Python-side templating: one short movie per row."""
    return Movie(resolution="hd").add(
        Scene(duration=2).add(Text(f"{row['title']}: {row['price']:.2f} EUR")),
    )


TEMPLATE = MovieTemplate(
    listing,
    [Variable("title", description="the listing's headline"), Variable("price", "number")],
)


def shared_listing(row: dict[str, Any]) -> Movie:
    """:func:`listing` with the row's key in ``client-data``: the fake counts renders per row."""
    return listing(row).client_data(row=row["sku"])


#: The template of the shared-ledger tests: the fake service counts its renders per row.
SHARED_TEMPLATE = MovieTemplate(shared_listing, list(TEMPLATE.variables))


def rows(n: int) -> list[dict[str, Any]]:
    return [{"sku": f"SKU-{i:03d}", "title": f"Flat {i}", "price": str(100 + i)} for i in range(n)]


def write_csv(path: Path, n: int) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["sku", "title", "price"])
        writer.writeheader()
        writer.writerows(rows(n))
    return path
