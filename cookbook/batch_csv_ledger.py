"""Render a CSV of listings, one video per row, resumably, against FakeJSON2Video.

Run: python cookbook/batch_csv_ledger.py
Checks every row first (the dry run), renders them four at a time with a
SQLite ledger (run it twice: the second run sends nothing), downloads every
video and writes a results CSV. No credits spent.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from moviekit import (
    Batch,
    BatchResult,
    Client,
    Image,
    Movie,
    MovieTemplate,
    PollPolicy,
    Scene,
    Text,
    Variable,
    read_rows,
)
from moviekit.testing import FakeJSON2Video

#: running this file renders against the local fake service (the cookbook tests know it)
RENDERS_AGAINST_FAKE = True

ROWS = Path(__file__).resolve().parent / "data" / "listings.csv"


def listing(row: dict[str, Any]) -> Movie:
    """Python-side templating: a row (already typed by the variables below) -> a Movie."""
    return Movie(resolution="hd").add(
        Scene(duration=4).add(
            Image(row["photo"]).duration(4),
            Text(row["title"]).style("003").position("bottom-left").duration(4),
        ),
        Scene(duration=3).add(Text(f"{row['price']:,.0f} EUR / month").duration(3)),
    )


template = MovieTemplate(
    listing,
    [
        Variable("title", description="the listing's headline"),
        Variable("price", "number", minimum=0, description="monthly rent in EUR"),
        Variable("photo", "url", description="the main photo"),
    ],
    name="listing",
)

#: the first row's movie (what `moviekit build cookbook/batch_csv_ledger.py` prints)
movie = listing(template.check(read_rows(ROWS, key="sku")[0])[0])


def main(workdir: Path | None = None) -> BatchResult:
    """Dry-run, render, re-run (a no-op thanks to the ledger) and write the results."""
    work = workdir or Path(tempfile.mkdtemp())
    # speed=20: a 5-second fake render takes a quarter of a second.
    with FakeJSON2Video(speed=20) as server:
        client = Client(
            api_key=server.api_key,
            base_url=server.base_url,
            poll_policy=PollPolicy.for_local_testing(interval=0.05),
        )
        batch = Batch(
            template, ROWS, key="sku", ledger=work / "ledger.db", client=client, concurrency=4
        )
        print(batch.dry_run().describe())
        result = batch.run(download_to=work / "videos")
        again = batch.run()  # resumes: everything is done, nothing is sent
        assert again.ok and len(server.projects()) == len(result.rows)
        print(f"results: {result.write(work / 'results.csv')}")
        return result


if __name__ == "__main__":
    main()
