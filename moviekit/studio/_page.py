"""The studio page: a static shell whose script follows the server's state.

The script listens to ``/events`` (server-sent events) and, on each change,
reads ``/state`` and updates the page in place: a "rendering..." badge while
a build runs, the new draft, timeline, storyboard, problems and cost when it
is ready, or the script's one-line error in place of the video. A playhead
follows the video over the timeline; clicking a timeline bar seeks to it, and
clicking a problem's path highlights its timeline row.
"""

from __future__ import annotations

from moviekit.builders._html import CSS, esc

_STYLE = (
    CSS
    + """
#status{padding:2px 8px;border-radius:10px;background:#2e7d32;font-size:12px}
body[data-status=rendering] #status{background:#b26a00}
body[data-status=error] #status{background:#a4161a}
#error{display:none;background:#fdecea;color:#a4161a;border:1px solid #f5c2c0;padding:10px;
font-family:ui-monospace,monospace;white-space:pre-wrap}
body[data-status=error] #error{display:block}
body[data-status=error] #video{display:none}
#video{max-width:100%;max-height:55vh;background:#000}
#rows-box{display:none;margin-left:auto} #rows-box.on{display:block}
#storyboard img{max-width:100%}
#playhead{pointer-events:none}
"""
)

_SCRIPT = """
const $ = (id) => document.getElementById(id);
const video = $("video");
let shownVersion = -1, lastSeq = -1;
let playhead = null, scale = 0, origin = 0;

function place() {
  if (playhead && scale) {
    const x = origin + video.currentTime * scale;
    playhead.setAttribute("x1", x); playhead.setAttribute("x2", x);
  }
  requestAnimationFrame(place);
}

function setTimeline(svgText) {
  const box = $("timeline-svg");
  box.innerHTML = svgText;
  const svg = box.querySelector("svg");
  playhead = null; scale = 0;
  if (!svg) return;
  // The SVG's own geometry gives the time scale: any bar from start to end.
  for (const bar of svg.querySelectorAll("rect.scene, rect.bar")) {
    const start = parseFloat(bar.dataset.start), end = parseFloat(bar.dataset.end);
    if (end > start) {
      scale = parseFloat(bar.getAttribute("width")) / (end - start);
      origin = parseFloat(bar.getAttribute("x")) - start * scale;
      break;
    }
  }
  playhead = document.createElementNS("http://www.w3.org/2000/svg", "line");
  playhead.id = "playhead";
  playhead.setAttribute("y1", 0);
  playhead.setAttribute("y2", svg.getAttribute("height"));
  playhead.setAttribute("stroke", "#e4572e");
  playhead.setAttribute("stroke-width", 2);
  svg.appendChild(playhead);
}

function rowFor(path) {
  let best = null;
  for (const el of document.querySelectorAll("#timeline-svg [data-path]")) {
    const p = el.dataset.path;
    const prefix = path === p || path.startsWith(p + ".") || path.startsWith(p + "[");
    if (prefix && (!best || p.length > best.dataset.path.length)) best = el;
  }
  return best;
}

function select(el) {
  for (const old of document.querySelectorAll("#timeline-svg .selected")) {
    old.classList.remove("selected");
  }
  if (!el) return;
  el.classList.add("selected");
  el.scrollIntoView({block: "nearest"});
  const start = parseFloat(el.dataset.start);
  if (!isNaN(start) && video.src) video.currentTime = start;
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a.path");
  if (link) { event.preventDefault(); select(rowFor(link.dataset.path)); return; }
  const bar = event.target.closest("#timeline-svg [data-path]");
  if (bar) select(bar);
});

$("rows").addEventListener("change", () => {
  fetch("/row", {method: "POST", body: $("rows").value});
});

async function refresh() {
  const state = await (await fetch("/state", {cache: "no-store"})).json();
  // Answers may arrive out of order when events come fast: never go back in time.
  if (state.seq <= lastSeq) return;
  lastSeq = state.seq;
  document.body.dataset.status = state.status;
  $("status").textContent = state.status === "rendering"
    ? "rendering... " + state.message : state.status;
  $("error").textContent = state.error;
  const rows = $("rows");
  $("rows-box").classList.toggle("on", state.rows.length > 0);
  if (rows.options.length !== state.rows.length) {
    rows.innerHTML = "";
    for (const row of state.rows) rows.add(new Option(row.index + ": " + row.key, row.index));
  }
  if (state.row !== null) rows.value = String(state.row);
  if (state.version === shownVersion || state.status === "rendering") return;
  shownVersion = state.version;
  if (state.status !== "ready") return;
  const at = video.currentTime;
  video.src = state.draft;
  video.addEventListener("loadedmetadata", () => {
    video.currentTime = Math.min(at, video.duration || 0);
  }, {once: true});
  setTimeline(state.timeline_svg);
  $("storyboard").innerHTML = '<img alt="storyboard" src="' + state.storyboard + '">';
  $("problems").innerHTML = state.problems;
  $("cost").innerHTML = state.cost + '<p class="muted">built in ' + state.render_seconds +
    " s (" + state.cached + " jobs from the cache)</p>";
  document.body.dataset.version = state.version;
}

new EventSource("/events").onmessage = () => refresh();
refresh();
requestAnimationFrame(place);
"""


def page(title: str) -> str:
    """The page's HTML (everything else arrives as state)."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(title)} · moviekit studio</title>
<link rel="icon" href="data:,">
<style>{_STYLE}</style></head>
<body data-status="starting">
<header><h1>{esc(title)}</h1><span id="status">starting</span>
<label id="rows-box">row <select id="rows"></select></label></header>
<main>
<section><h2>Draft</h2><div id="error"></div>
<video id="video" controls preload="auto" muted></video></section>
<section id="timeline"><h2>Timeline of the draft</h2><div id="timeline-svg"></div></section>
<section><h2>Storyboard</h2><div id="storyboard"></div></section>
<section><h2>Problems and approximations</h2><div id="problems"></div></section>
<section><h2>Length and cost</h2><div id="cost"></div></section>
</main>
<script>{_SCRIPT}</script>
</body></html>
"""
