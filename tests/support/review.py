"""A batch in every state for the review page: a template, its rows, a ledger (tests, docs)."""

from __future__ import annotations

from pathlib import Path

from moviekit import Batch, Ledger, MovieTemplate
from moviekit.studio._load import load

TEMPLATE = """
from moviekit import Movie, MovieTemplate, Scene, Text, Variable

def promo(row):
    return Movie(resolution="custom", width=320, height=180, fps=15).add(
        Scene(background_color=row["color"], duration=row["seconds"]).add(Text(row["title"])))

template = MovieTemplate(promo, [Variable("title"), Variable("seconds", "number"),
                                 Variable("color")])
"""
ROWS = """sku,title,seconds,color
A,Done,1,#FF0000
B,Failed,2,#00FF00
C,Changed,1.5,#0000FF
D,Pending,1,#FFFF00
E,Invalid,ten,#000000
"""


def make_batch(folder: Path) -> None:
    """``promo.py``, ``rows.csv`` and ``ledger.db`` in ``folder``: A done, B failed, C done
    with a payload changed since, D pending (not in the ledger), E invalid (a bad number)."""
    (folder / "promo.py").write_text(TEMPLATE)
    (folder / "rows.csv").write_text(ROWS)
    template = load(folder / "promo.py").template
    assert isinstance(template, MovieTemplate)
    hashes = Batch(template, folder / "rows.csv", key="sku").dry_run().hashes
    with Ledger(folder / "ledger.db") as ledger:
        ledger.record_intent("A", 0, hashes["A"], "k-a")
        ledger.record_submitted("A", "p" * 16)
        ledger.record_done("A", "https://cdn.example.com/a.mp4")
        ledger.record_intent("B", 1, hashes["B"], "k-b")
        ledger.record_failed("B", "scenes[0].elements[0].src: the file could not be downloaded")
        ledger.record_intent("C", 2, "0" * 64, "k-c")  # submitted with another payload
        ledger.record_submitted("C", "q" * 16)
        ledger.record_done("C", "https://cdn.example.com/c.mp4")
