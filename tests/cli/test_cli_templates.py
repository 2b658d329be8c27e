"""``moviekit templates pull / push / diff`` (templates in git), ``delete``, and ``--max-credits``.

In-process against FakeJSON2Video over real sockets; the fake's request log
shows what was sent (nothing, when a budget or a check refuses).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from moviekit.cli import app
from moviekit.testing import FakeJSON2Video

MOVIE = {
    "resolution": "hd",
    "variables": {"headline": "Sale"},
    "scenes": [{"duration": 3, "elements": [{"type": "text", "text": "{{headline}}"}]}],
}


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeJSON2Video]:
    with FakeJSON2Video(queue_seconds=0, render_seconds=0) as server:
        server.add_key("editor-key-0123456789", "editor")
        monkeypatch.setenv("JSON2VIDEO_API_KEY", "editor-key-0123456789")
        monkeypatch.setenv("JSON2VIDEO_BASE_URL", server.base_url)
        monkeypatch.chdir(tmp_path)
        yield server


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_pull_edit_diff_push_round_trip(live: FakeJSON2Video, tmp_path: Path) -> None:
    tid = live.add_template(MOVIE, name="Promo", tags=("sales",))
    code, _, said = run("templates", "pull", tid, "-o", "promo.json")
    assert code == 0 and "wrote promo.json" in said
    data = json.loads((tmp_path / "promo.json").read_text())
    assert list(data) == ["id", "name", "tags", "movie"] and data["movie"] == MOVIE
    assert run("templates", "diff", "promo.json") == (0, "", f"promo.json matches template {tid}\n")

    data["movie"]["scenes"][0]["duration"] = 4
    data["tags"] = ["sales", "spring"]
    (tmp_path / "promo.json").write_text(json.dumps(data, indent=2))
    code, shown, _ = run("templates", "diff", "promo.json")
    assert code == 1
    assert shown.splitlines() == [
        f"2 difference(s) (template {tid} != promo.json):",
        "  tags[1]: added 'spring'",
        "  movie.scenes[0].duration: 3 != 4",
    ]
    code, shown, said = run("templates", "push", "promo.json")
    assert code == 0 and f"updated {tid}: 2 change(s)" in said
    assert "movie.scenes[0].duration: 3 != 4" in shown
    assert live._templates[tid].movie["scenes"][0]["duration"] == 4
    assert run("templates", "diff", "promo.json")[0] == 0


def test_push_without_an_id_creates_and_can_save_the_id(
    live: FakeJSON2Video, tmp_path: Path
) -> None:
    (tmp_path / "new.json").write_text(json.dumps({"name": "New", "movie": MOVIE}))
    code, shown, said = run("templates", "push", "new.json", "--save-id")
    tid = shown.strip()
    assert code == 0 and len(tid) == 20 and f"created {tid}" in said
    assert json.loads((tmp_path / "new.json").read_text())["id"] == tid
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.json"]  # no temporary file left
    code, shown, _ = run("templates", "list")
    assert code == 0 and f"{tid}  New" in shown


def test_push_refuses_an_invalid_movie_and_sends_nothing(
    live: FakeJSON2Video, tmp_path: Path
) -> None:
    bad = {**MOVIE, "scenes": [{"elements": [{"type": "video"}]}]}
    (tmp_path / "bad.json").write_text(json.dumps({"name": "Bad", "movie": bad}))
    code, _, said = run("templates", "push", "bad.json")
    assert code == 1 and said.startswith("error: bad.json: invalid movie: scenes[0].elements[0]")
    (tmp_path / "odd.json").write_text(json.dumps({"name": "Odd", "movie": MOVIE, "colour": 1}))
    code, _, said = run("templates", "push", "odd.json")
    assert code == 1 and "unknown key(s) colour" in said
    assert live.requests == []


def test_duplicate_and_delete(live: FakeJSON2Video) -> None:
    tid = live.add_template(MOVIE, name="Promo")
    code, shown, _ = run("templates", "duplicate", tid, "--name", "Copy")
    copy = shown.strip()
    assert code == 0 and copy != tid and live._templates[copy].name == "Copy"
    assert live._templates[tid].name == "Promo"  # the original is untouched
    assert run("templates", "delete", copy)[0] == 0
    code, _, said = run("templates", "show", copy)
    assert code == 1 and "not found" in said and "(hint: check the 20-character template id" in said


def test_delete_a_project(live: FakeJSON2Video, tmp_path: Path) -> None:
    (tmp_path / "m.json").write_text(json.dumps({**MOVIE, "variables": {"headline": "x"}}))
    code, shown, _ = run("render", "m.json", "--service", "--no-wait")
    project = shown.strip()
    code, shown, _ = run("delete", project)
    assert code == 0 and json.loads(shown)["project"] == project
    assert live.project(project)["url"] is None and live.project(project)["deleted_at"]


def test_render_over_budget_sends_nothing(live: FakeJSON2Video, tmp_path: Path) -> None:
    uhd = {"width": 3840, "height": 2160, "scenes": [{"duration": 3, "elements": []}]}
    (tmp_path / "uhd.json").write_text(json.dumps(uhd))
    code, _, said = run("render", "uhd.json", "--service", "--max-credits", "11")
    assert code == 1 and said.count("\n") == 1
    assert "max_credits: the estimate is 12 credits (3 s x 4/s), over max_credits=11" in said
    assert live.requests == []


def test_batch_check_shows_the_estimate_and_run_keeps_the_budget(
    live: FakeJSON2Video, tmp_path: Path
) -> None:
    (tmp_path / "promo.json").write_text(json.dumps(MOVIE))
    (tmp_path / "rows.csv").write_text("sku,headline\nA,Hi\nB,Ho\n")
    code, _, said = run("batch", "check", "promo.json", "rows.csv", "--key", "sku")
    assert code == 0 and "estimate: 6 credits for 2 row(s)" in said
    code, shown, _ = run("batch", "check", "promo.json", "rows.csv", "--key", "sku", "--json")
    assert json.loads(shown)["estimate"]["credits"] == 6
    args = ["batch", "run", "promo.json", "rows.csv", "--key", "sku", "--max-credits", "5"]
    code, _, said = run(*args)
    assert code == 1 and "estimated at 6 credits for 2 row(s); the costliest" in said
    assert "over max_credits=5; nothing was sent" in said
    assert live.requests == [] and not (tmp_path / "moviekit-ledger.db").exists()


def test_validate_and_timeline_show_the_estimate(live: FakeJSON2Video, tmp_path: Path) -> None:
    ai = {
        "resolution": "hd",
        "scenes": [{"duration": 2, "elements": [{"type": "image", "prompt": "a loft",
                                                  "model": "flux-pro"}]}],
    }  # fmt: skip
    (tmp_path / "ai.json").write_text(json.dumps(ai))
    code, shown, _ = run("validate", "ai.json")
    assert code == 0 and "  estimate: 22 credits (2 s x 1/s + 20 for AI)" in shown
    code, shown, _ = run("validate", "ai.json", "--json")
    assert json.loads(shown)["estimate"]["items"][0]["model"] == "flux-pro"
    code, shown, _ = run("timeline", "ai.json")
    assert "cost: 22 credits (2 s x 1/s + 20 for AI)" in shown
    assert "scenes[0].elements[0]: image flux-pro: 20 credits (1 image x 20)" in shown
    assert live.requests == []


def test_the_older_form_templates_id_still_shows_the_movie(live: FakeJSON2Video) -> None:
    tid = live.add_template(MOVIE, name="Promo")
    code, shown, _ = run("templates", tid)
    assert code == 0 and json.loads(shown) == MOVIE
    code, _, said = run("templates", "nonsense")
    assert code == 2 and "No such command 'nonsense'" in said
