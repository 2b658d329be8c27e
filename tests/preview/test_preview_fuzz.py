"""Any mutated Movie JSON through the preview: a draft plan and its frames, or a moviekit error.

The hand fuzz of the last round (the conformance corpus's documents with wrong
types, deleted keys, huge or negative numbers and lone surrogates, through
``moviekit.preview`` frame and plan) found three crashes. This is that fuzz as a
property: a corpus document, a few mutations anywhere in it, then everything the
preview does before it starts ffmpeg (compile, resolve media, time, lay out the
segments and transitions, build every scene, frame, transition and audio job's
filter graph). Media is resolved offline (a remote URL is a placeholder, as when
it is unreachable), so no example waits for the network or encodes a video; a
test of the public functions shows the same holds where ffmpeg runs.
"""

from __future__ import annotations

import copy
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support.corpus import entries

from moviekit import BuildError, Movie, MoviekitError, preview
from moviekit.preview import _jobs
from moviekit.preview._media import MediaStore
from moviekit.preview._plan import plan

pytest.importorskip("imageio_ffmpeg", reason="needs moviekit[preview]")

DOCUMENTS = [entry.document() for entry in entries()]

#: what a mutation puts somewhere: wrong types, extremes, surrogates, placeholders
HOSTILE = st.one_of(
    st.sampled_from(
        [
            None,
            True,
            0,
            -1,
            -2,
            10**400,
            -(10**400),
            1e308,
            -1e308,
            5e-324,
            2**63,
            "",
            "\ud800",
            "a\udfffb",
            "{{",
            "{{ x }}",
            "{{x_end + 1}}",
            "-1",
            "1e999",
            "#zzzzzz",
            "../../etc/passwd",
            "/dev/zero",
            "https://cdn.example.com/a.mp4",
            "x" * 5000,
            [],
            {},
            [None],
            {"type": "text"},
            {"type": "video"},
            [{"type": "image"}],
        ]
    ),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(st.characters(codec="utf-8") | st.characters(categories=["Cs"]), max_size=12),
)

#: what a mutation does (the whole document replaced only now and then)
ACTIONS = ["replace"] * 4 + ["delete"] * 3 + ["add"] * 3 + ["root"]

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _containers(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of every dict and list in ``value`` (the root included)."""
    found = [path]
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(inner, (dict, list)):
                found.extend(_containers(inner, (*path, key)))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            if isinstance(inner, (dict, list)):
                found.extend(_containers(inner, (*path, i)))
    return found


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def _hostile(draw: st.DrawFn) -> Any:
    return copy.deepcopy(draw(HOSTILE))  # a fresh copy: mutations may go inside it


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    """A corpus document with 1-4 mutations: a value replaced, a key deleted, a key added."""
    doc = copy.deepcopy(draw(st.sampled_from(DOCUMENTS)))
    for _ in range(draw(st.integers(1, 4))):
        paths = _containers(doc)
        where = draw(st.sampled_from(paths))
        holder = _at(doc, where)
        action = draw(st.sampled_from(ACTIONS))
        if action == "root":
            doc = _hostile(draw)
            if not isinstance(doc, (dict, list)):
                return doc
            continue
        if isinstance(holder, dict):
            keys = list(holder)
            if action == "add" or not keys:
                key = draw(
                    st.sampled_from(
                        [
                            "duration",
                            "start",
                            "src",
                            "type",
                            "width",
                            "scenes",
                            "elements",
                            "transition",
                            "fps",
                            "extra-time",
                            "settings",
                            "text",
                            "variables",
                        ]
                    )
                )
                holder[key] = _hostile(draw)
            elif action == "delete":
                del holder[draw(st.sampled_from(keys))]
            else:
                holder[draw(st.sampled_from(keys))] = _hostile(draw)
        elif isinstance(holder, list):
            if action == "add" or not holder:
                holder.append(_hostile(draw))
            else:
                index = draw(st.integers(0, len(holder) - 1))
                if action == "delete":
                    del holder[index]
                else:
                    holder[index] = _hostile(draw)
    return doc


def _draft(doc: Any, cache: Path) -> int:
    """Everything the preview does before ffmpeg runs; the number of jobs it would run."""
    movie = doc if isinstance(doc, Movie) else Movie.from_dict(doc)
    store = MediaStore(cache, cache, fetch_timeout=0.1, offline=True)
    p = plan(movie, store, cache / "text")
    assert p.total_frames > 0 and p.width > 0 and p.height > 0 and p.fps > 0
    assert p.segments and sum(1 for _ in p.segments) >= 1
    jobs = [_jobs.scene_job(p, i) for i in range(len(p.segments))]
    for i, seg in enumerate(p.segments):
        jobs.append(_jobs.frame_job(p, i, 0, None))
        jobs.append(_jobs.frame_job(p, i, max(seg.frames - 1, 0), (64, 36)))
    for tr in p.transitions:
        tail = (jobs[tr.into - 1].key, cache / "tail.nut")
        head = (jobs[tr.into].key, cache / "head.nut")
        jobs.append(_jobs.transition_job(p, tr, tail, head))
    jobs.append(_jobs.audio_job(p))
    for job in jobs:
        assert isinstance(job.graph, str) and job.key
    return len(jobs)


def _outcome(doc: Any, cache: Path) -> str:
    try:
        _draft(doc, cache)
    except MoviekitError as exc:
        path = getattr(exc, "path", None)
        assert isinstance(path, str), f"{type(exc).__name__} without a path: {exc}"
        assert str(exc)
        return type(exc).__name__
    return "draft"


@pytest.fixture(scope="module")
def cache() -> Any:
    with tempfile.TemporaryDirectory(prefix="moviekit-fuzz-") as tmp:
        yield Path(tmp)


def test_every_corpus_document_plans_or_says_why(cache: Path) -> None:
    outcomes = [_outcome(doc, cache) for doc in DOCUMENTS]
    assert outcomes.count("draft") > len(DOCUMENTS) // 2  # the fuzz starts from real drafts


#: what the fuzz found: a lone surrogate in a label drawn as a placeholder, in a URL, in a path
FOUND = [
    {"scenes": [{"duration": 2}], "elements": [{"type": "\ud800", "text": "x", "duration": 1}]},
    {"scenes": [{"elements": [{"type": "video", "src": "https://e.com/\ud800.mp4"}]}]},
    {"scenes": [{"elements": [{"type": "image", "src": "\ud800.png", "duration": 1}]}]},
    {"scenes": [{"elements": [{"type": "text", "text": "\udfff", "duration": 1}]}]},
]


@SETTINGS
@given(doc=mutated())
@example(doc=FOUND[0])
@example(doc=FOUND[1])
@example(doc=FOUND[2])
@example(doc=FOUND[3])
def test_any_mutated_document_gives_a_draft_or_a_moviekit_error_with_a_path(
    doc: Any, cache: Path
) -> None:
    _outcome(doc, cache)


@pytest.mark.parametrize(
    "doc",
    [[], None, "{}", 10**400, {"scenes": [{"duration": math.inf}]}],
    ids=["list", "none", "str", "huge", "inf"],
)
def test_the_public_functions_refuse_what_is_not_a_movie(doc: Any, tmp_path: Path) -> None:
    with pytest.raises(BuildError) as info:
        preview.frame(doc, 0, cache_dir=tmp_path)
    assert isinstance(info.value.path, str) and str(info.value)
    assert not list(tmp_path.rglob("*.png"))
