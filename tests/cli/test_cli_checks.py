"""Every command that takes a movie validates it first: errors stop it, warnings are shown.

A draft never hides an invalid movie: ``render --local``, ``frame``,
``storyboard`` and ``timeline`` refuse what ``build`` and ``validate`` refuse,
with the same first error. The documents here have problems that are errors
whatever the rules on enums and ranges become: ``scenes`` not a list, a video
without ``src``, an element without ``type``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.cli import MOVIE_COMMANDS, assert_one_error, invoke

from moviekit.cli._app import CLIError
from moviekit.cli._load import check, load_movie, read_json, run_recipe

TINY = {"resolution": "custom", "width": 96, "height": 54, "fps": 5}
BROKEN = {
    "scenes-not-a-list": ({**TINY, "scenes": 5}, "scenes"),
    "video-without-src": (
        {**TINY, "scenes": [{"duration": 1, "elements": [{"type": "video"}]}]},
        "scenes[0].elements[0].src",
    ),
    "element-without-type": (
        {**TINY, "scenes": [{"duration": 1, "elements": [{"text": "hi"}]}]},
        "scenes[0].elements[0].type",
    ),
}


def _write(where: Path, name: str, doc: object) -> str:
    (where / name).write_text(json.dumps(doc), "utf-8")
    return name


@pytest.mark.parametrize("command", MOVIE_COMMANDS)
@pytest.mark.parametrize("case", BROKEN)
def test_every_command_refuses_what_validate_refuses(case: str, command: str, no_key: Path) -> None:
    doc, path = BROKEN[case]
    name = _write(no_key, "broken.json", doc)
    result = invoke(*MOVIE_COMMANDS[command], name)
    line = assert_one_error(result.exit_code, result.stderr, result.stdout, expected_code=1)
    assert line.startswith(f"error: broken.json: invalid movie: {path}: ")
    assert result.stderr.splitlines() == [line]  # no "rendering a local draft" before it
    assert result.stdout == ""
    assert sorted(p.name for p in no_key.iterdir()) == ["broken.json"]  # nothing drawn
    report = json.loads(invoke("validate", "--json", name).stdout)
    assert report["ok"] is False and report["errors"][0]["path"] == path


def test_a_recipe_is_checked_like_a_json_file(no_key: Path) -> None:
    (no_key / "recipe.py").write_text(
        "from moviekit import Movie, Scene, Video\nmovie = Movie().add(Scene().add(Video('')))\n",
        "utf-8",
    )
    for args in MOVIE_COMMANDS.values():
        result = invoke(*args, "recipe.py")
        line = assert_one_error(result.exit_code, result.stderr, result.stdout, expected_code=1)
        assert line.startswith("error: recipe.py: invalid movie: scenes[0].elements[0].src: ")


def test_warnings_are_shown_and_do_not_stop(no_key: Path) -> None:
    doc = {
        **TINY,
        "scenes": [
            {"duration": 1, "elements": [{"type": "text", "text": "x", "colr": 1, "colour": 2}]}
        ],
    }
    name = _write(no_key, "warn.json", doc)
    for command in ("build", "timeline", "frame"):
        result = invoke(*MOVIE_COMMANDS[command], name)
        assert result.exit_code == 0, result.output
        warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning:")]
        assert [w.split(": ")[2] for w in warnings] == [
            "scenes[0].elements[0].colr",
            "scenes[0].elements[0].colour",
        ]
        assert all(w.endswith("[unknown-property]") for w in warnings)
    assert json.loads(invoke("build", name).stdout) == doc  # stdout stays the JSON


def test_many_warnings_are_summed_up(no_key: Path) -> None:
    doc = {
        "scenes": [
            {
                "duration": 1,
                "elements": [{"type": "text", "text": "x", **{f"odd{i}": i for i in range(7)}}],
            }
        ]
    }
    result = invoke("build", _write(no_key, "many.json", doc))
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 4 and all(ln.startswith("warning: many.json: ") for ln in lines[:3])
    assert lines[3] == "  +4 more warning(s); `moviekit validate many.json` lists them"


def test_no_validate_still_reads_the_file_safely(no_key: Path) -> None:
    doc, _ = BROKEN["video-without-src"]
    name = _write(no_key, "broken.json", doc)
    result = invoke("build", "--no-validate", name)
    assert result.exit_code == 0 and json.loads(result.stdout) == doc
    result = invoke("build", "--no-validate", _write(no_key, "five.json", {"scenes": 5}))
    assert_one_error(
        result.exit_code,
        result.stderr,
        result.stdout,
        expected_code=1,
        names="five.json: scenes: 'scenes' must be a list, got int",
    )


def test_a_service_render_is_checked_before_anything_is_sent(
    no_key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moviekit.testing import FakeJSON2Video

    doc, _ = BROKEN["video-without-src"]
    name = _write(no_key, "broken.json", doc)
    with FakeJSON2Video(queue_seconds=0, render_seconds=0) as server:
        monkeypatch.setenv("JSON2VIDEO_API_KEY", server.api_key)
        monkeypatch.setenv("JSON2VIDEO_BASE_URL", server.base_url)
        result = invoke("render", name)
        assert_one_error(
            result.exit_code,
            result.stderr,
            result.stdout,
            expected_code=1,
            names="broken.json: invalid movie: scenes[0].elements[0].src",
        )
        assert server.requests == []


# --------------------------------------------------------------------------- the helpers batch uses


def test_helpers_for_other_commands(no_key: Path) -> None:
    """``read_json``, ``run_recipe``, ``check``: the same lines for the batch commands."""
    (no_key / "t.json").write_text("{nope", "utf-8")
    with pytest.raises(CLIError) as caught:
        read_json(no_key / "t.json")
    assert caught.value.code == 1
    assert caught.value.message.endswith(
        "t.json: not valid JSON: Expecting property name "
        "enclosed in double quotes at line 1 column 2"
    )
    (no_key / "r.py").write_text("import sys\nsys.exit(4)\n", "utf-8")
    with pytest.raises(CLIError) as caught:
        run_recipe(no_key / "r.py")
    assert caught.value.code == 4
    with pytest.raises(CLIError) as caught:
        check({"scenes": 5}, "rows.csv row 3")
    assert caught.value.message.startswith("rows.csv row 3: invalid movie: scenes: ")
    assert check({"scenes": []}, "ok").ok
    assert load_movie(_write(no_key, "ok.json", {"scenes": []})).to_dict() == {"scenes": []}
