"""HTML pieces a movie's notebook view, the studio page and the batch review share.

Plain functions from moviekit's data (a :class:`~moviekit.Timeline`, a
:class:`~moviekit.ValidationReport`, the preview's approximation report) to
escaped HTML fragments. Paths are links carrying ``data-path``: the studio
page's script highlights the timeline row they belong to (the timeline SVG's
bars carry the same ``data-path``).

They live with the builders so that ``Movie._repr_html_`` (a notebook's view of
a movie) can use them; the studio (layer 9) imports them from here.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from moviekit._problems import ValidationReport
    from moviekit.timing._timeline import Timeline


class Approximated(Protocol):
    """One thing a draft approximates (the preview's ``Approximation``), as the page shows it."""

    @property
    def path(self) -> str:
        """The element's JSON path."""

    @property
    def kind(self) -> str:
        """A short code (``text-animation``...)."""

    @property
    def message(self) -> str:
        """What the draft shows instead."""


esc = html.escape

#: shared by every page: readable, no external fonts or scripts (pages open offline)
CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#101820;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
header h1{font-size:16px;margin:0;font-weight:600}
main{padding:12px 16px;display:grid;gap:12px}
section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:10px 12px}
h2{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#5b6577;margin:0 0 8px}
ul.problems{margin:0;padding-left:18px}
ul.problems li{margin:2px 0}
li.error{color:#a4161a} li.warning{color:#8a5a00} li.approx,li.unknown{color:#36404f}
a.path{font-family:ui-monospace,monospace;color:inherit;font-weight:600}
.code{color:#7b8494;font-size:12px}
.hint{color:#5b6577}
.cost{font-size:15px}
.muted{color:#7b8494}
svg .bar,svg .scene{cursor:pointer}
svg .selected{stroke:#e4572e;stroke-width:3}
"""


def scoped_css(scope: str) -> str:
    """:data:`CSS` with every rule limited to ``scope`` (a block inside someone else's page)."""
    rules = []
    for rule in CSS.strip().split("}"):
        if "{" not in rule:
            continue
        selectors, body = rule.split("{", 1)
        scoped = ",".join(
            scope if s.strip() == "body" else f"{scope} {s.strip()}" for s in selectors.split(",")
        )
        rules.append(f"{scoped}{{{body}}}")
    return "\n".join(rules)


def path_link(path: str) -> str:
    """A path as a link the studio page resolves to its timeline row."""
    shown = path or "(movie)"
    return f'<a class="path" href="#timeline" data-path="{esc(path)}">{esc(shown)}</a>'


def problems_html(
    report: ValidationReport | None,
    approximations: Iterable[Approximated] = (),
    unknown: Mapping[str, str] | None = None,
) -> str:
    """Validation problems, the draft's approximations and the unknown lengths, by path."""
    items: list[str] = []
    for problem in report.problems if report is not None else ():
        hint = f' <span class="hint">hint: {esc(problem.hint)}</span>' if problem.hint else ""
        items.append(
            f'<li class="{problem.severity}">{path_link(problem.path)} {esc(problem.message)} '
            f'<span class="code">[{esc(problem.code)}]</span>{hint}</li>'
        )
    for item in approximations:
        items.append(
            f'<li class="approx">{path_link(item.path)} draft: {esc(item.message)} '
            f'<span class="code">[{esc(item.kind)}]</span></li>'
        )
    for path, why in (unknown or {}).items():
        items.append(
            f'<li class="unknown">{path_link(path)} length unknown: {esc(why)} '
            '<span class="code">[lower bound]</span></li>'
        )
    if not items:
        return '<p class="muted">no problems, nothing approximated</p>'
    return '<ul class="problems">' + "".join(items) + "</ul>"


def unknown_lengths(timeline: Timeline) -> dict[str, str]:
    """Each length the timeline lacks, by element path, with why.

    From ``depends_on`` (``"scenes[0].elements[1] (voice): natural length of the
    spoken text"``), or the probe's reason (``timeline.not_probed``) where the
    lengths were read from the media.
    """
    out: dict[str, str] = {}
    for item in timeline.depends_on:
        path, _, why = item.partition(" ")
        out[path] = why
    out.update(timeline.not_probed)
    return out


def cost_html(timeline: Timeline) -> str:
    """Length and estimated cost, exact or "at least", with what they depend on."""
    total = f"{'' if timeline.exact else '≥ '}{timeline.total:g} s"
    exact = "exact" if timeline.exact else "a lower bound"
    return (
        f'<p class="cost"><b>{esc(total)}</b> · {esc(str(timeline.credits))} '
        f'<span class="muted">({exact})</span></p>'
    )


def png_img(png: bytes, alt: str, *, width: int | None = None) -> str:
    """An ``<img>`` with the PNG inlined (the page needs no other file)."""
    size = f' width="{width}"' if width else ""
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{esc(alt)}"{size} src="data:image/png;base64,{data}">'


def notebook_block(body: str) -> str:
    """``body`` in a ``<div class="moviekit">`` with the styles scoped to it.

    Scoped by the wrapper class: a notebook page holds many of these, and other output.
    """
    return f'<div class="moviekit"><style>{scoped_css(".moviekit")}</style>{body}</div>'
