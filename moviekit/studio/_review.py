"""The batch review page: one static HTML file about every row of a batch.

For each row: its key, its status in the ledger, a thumbnail drawn by the
local preview from the row's own movie, the video's URL when done, the error
(with its path) when it failed or is invalid, the estimated cost, and whether
its payload changed since it was submitted. Buttons filter the rows by
status; a box lists the keys worth rendering again (failed, invalid, changed),
ready to copy. Everything is in the one file (thumbnails inlined), so it opens
from disk, is mailed as is, and needs no server.

The data comes through the batch layer's public API: the dry run (each row's
payload) and :meth:`Batch.report` (the ledger's word on each row).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moviekit import preview
from moviekit._errors import MoviekitError
from moviekit.batch._batch import Batch
from moviekit.batch._template import MovieTemplate
from moviekit.builders._html import CSS, esc, png_img
from moviekit.builders._movie import Movie
from moviekit.timing._timeline import Timeline

#: statuses in the order the filters show them
STATUSES = ("done", "failed", "invalid", "rendering", "submitted", "submitting", "pending")
#: statuses whose rows are worth rendering again (plus every changed row)
RERENDER = frozenset({"failed", "invalid"})
_PATH = re.compile(r"^((?:rows\[\d+\]\.)?[A-Za-z_][\w-]*(?:\[\d+\])?(?:\.[\w-]+(?:\[\d+\])?)*): ")
THUMB = (192, 108)


@dataclass(frozen=True)
class ReviewRow:
    """One row of the review."""

    key: str
    status: str
    url: str | None
    error: str | None
    changed: bool
    cost: str
    thumbnail: bytes | None
    thumbnail_note: str = ""


def review_rows(
    template: MovieTemplate,
    rows: Any,
    *,
    ledger: str | os.PathLike[str],
    key: str | None = None,
    thumbnails: bool = True,
    base_dir: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> list[ReviewRow]:
    """Every row's review: the ledger's status joined with the row's own movie."""
    batch = Batch(template, rows, key=key, ledger=ledger)
    dry = batch.dry_run()
    payloads = {b.row.key: b.payload for b in dry.built if b.payload is not None}
    result = batch.report()
    draw = thumbnails and preview.available()
    out = []
    for row in result.rows:
        payload = payloads.get(row.row_key)
        cost, png, note = "", None, "" if draw or not thumbnails else preview.INSTALL_HINT
        if payload is not None:
            try:
                cost = str(Timeline.from_dict(payload).credits)
            except MoviekitError as exc:
                cost = f"unknown ({exc})"
            if draw:
                png, note = _thumbnail(payload, base_dir, cache_dir)
        out.append(
            ReviewRow(row.row_key, row.status, row.url, row.error, row.changed, cost, png, note)
        )
    return out


def _thumbnail(
    payload: dict[str, Any],
    base_dir: str | os.PathLike[str] | None,
    cache_dir: str | os.PathLike[str] | None,
) -> tuple[bytes | None, str]:
    """A frame from the middle of the row's first scene, or why there is none."""
    try:
        movie = Movie.from_dict(payload)
        timeline = movie.timeline()
        first = timeline.scenes[0] if timeline.scenes else None
        t = (first.movie_start + first.movie_end) / 2 if first else 0.0
        png = preview.frame(movie, t, size=THUMB, base_dir=base_dir, cache_dir=cache_dir)
        return bytes(png), ""
    except MoviekitError as exc:
        return None, str(exc)


def review_html(rows: Sequence[ReviewRow], *, title: str = "batch review") -> str:
    """The page: filters, the table, and the keys to render again."""
    counts = Counter(r.status for r in rows)
    statuses = [s for s in STATUSES if counts[s]] + sorted(set(counts) - set(STATUSES))
    buttons = "".join(
        f'<label><input type="checkbox" class="filter" value="{esc(s)}" checked> '
        f"{esc(s)} ({counts[s]})</label>"
        for s in statuses
    )
    again = [r.key for r in rows if r.status in RERENDER or r.changed]
    body = "".join(_row(r) for r in rows)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>
<link rel="icon" href="data:,">
<style>{CSS}
table{{border-collapse:collapse;width:100%}}
td,th{{border-bottom:1px solid #e3e6ea;padding:6px 8px;text-align:left;vertical-align:top}}
tr.failed td.status,tr.invalid td.status{{color:#a4161a;font-weight:600}}
tr.done td.status{{color:#2e7d32;font-weight:600}}
.changed{{background:#fff3cd;border-radius:4px;padding:0 4px;font-size:12px}}
#filters label{{margin-right:12px}}
textarea{{width:100%;font-family:ui-monospace,monospace}}
td.thumb img{{display:block;border-radius:3px}}
</style></head>
<body><header><h1>{esc(title)}</h1><span>{len(rows)} rows</span></header><main>
<section id="filters"><h2>Show</h2>{buttons}</section>
<section><h2>Keys to render again (failed, invalid, payload changed)</h2>
<textarea id="again" rows="3" readonly>{esc(chr(10).join(again))}</textarea>
<button id="copy" type="button">copy</button> <span id="copied" class="muted"></span></section>
<section><table id="rows"><thead><tr><th>key</th><th>status</th><th>draft</th>
<th>video or error</th><th>cost</th></tr></thead><tbody>{body}</tbody></table></section>
</main>
<script>{_SCRIPT}</script></body></html>
"""


_SCRIPT = """
function applyFilters() {
  const shown = new Set([...document.querySelectorAll("input.filter:checked")].map((i) => i.value));
  for (const row of document.querySelectorAll("#rows tbody tr")) {
    row.hidden = !shown.has(row.dataset.status);
  }
}
for (const box of document.querySelectorAll("input.filter")) {
  box.addEventListener("change", applyFilters);
}
document.getElementById("copy").addEventListener("click", () => {
  const text = document.getElementById("again");
  text.select();
  const done = () => { document.getElementById("copied").textContent = "copied"; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text.value).then(done, () => {});
  } else if (document.execCommand("copy")) {
    done();
  }
});
"""


def _row(r: ReviewRow) -> str:
    if r.thumbnail is not None:
        thumb = png_img(r.thumbnail, f"draft of {r.key}", width=THUMB[0])
    else:
        thumb = f'<span class="muted">{esc(r.thumbnail_note or "no picture")}</span>'
    if r.url:
        outcome = f'<a href="{esc(r.url)}">{esc(r.url)}</a>'
    elif r.error:
        match = _PATH.match(r.error)
        outcome = (
            f'<code class="path">{esc(match.group(1))}</code> {esc(r.error[match.end() :])}'
            if match
            else esc(r.error)
        )
    else:
        outcome = ""
    changed = ' <span class="changed">payload changed since submit</span>' if r.changed else ""
    return (
        f'<tr class="{esc(r.status)}" data-status="{esc(r.status)}" data-key="{esc(r.key)}">'
        f'<td class="key">{esc(r.key)}</td><td class="status">{esc(r.status)}{changed}</td>'
        f'<td class="thumb">{thumb}</td><td class="outcome">{outcome}</td>'
        f'<td class="cost">{esc(r.cost)}</td></tr>'
    )


def write_review(html_text: str, output: str | os.PathLike[str]) -> Path:
    """Write the page atomically (a reader never sees half a file)."""
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    partial.write_text(html_text, encoding="utf-8")
    partial.replace(target)
    return target
