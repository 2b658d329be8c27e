"""``moviekit build`` and ``moviekit validate``, driven in-process with Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from moviekit import MovieValidationError
from moviekit.cli import app

ROOT = Path(__file__).resolve().parents[2]
HELLO = ROOT / "cookbook" / "hello_world.py"
DOCUMENT = ROOT / "tests" / "data" / "conformance" / "183_video_simple.json"

runner = CliRunner()


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    made = {
        "ok": DOCUMENT.read_text("utf-8"),
        "bad": json.dumps(
            {"scenes": [{"elements": [{"type": "video"}, {"type": "audio", "src": ""}]}]}
        ),
        "warn": json.dumps({"scenes": [{"elements": [{"type": "text", "text": "x", "colr": 1}]}]}),
        "broken": '{"scenes": [\n',
    }
    paths = {name: tmp_path / f"{name}.json" for name in made}
    for name, text in made.items():
        paths[name].write_text(text, encoding="utf-8")
    paths["txt"] = tmp_path / "notes.txt"
    paths["txt"].write_text("hi", encoding="utf-8")
    paths["script_error"] = tmp_path / "typo.py"
    paths["script_error"].write_text(
        "from moviekit import Movie, Text\nmovie = Movie().add(Text('x', colour=1))\n", "utf-8"
    )
    paths["two"] = tmp_path / "two.py"
    paths["two"].write_text("from moviekit import Movie\na = Movie()\nb = Movie()\n", "utf-8")
    paths["none"] = tmp_path / "none.py"
    paths["none"].write_text("x = 1\n", "utf-8")
    return paths


# --------------------------------------------------------------------------- build


def test_build_recipe_prints_its_movie_json() -> None:
    result = run("build", HELLO)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["resolution"] == "full-hd"
    assert doc["scenes"][0]["elements"][0]["text"] == "Hello, world!"
    assert doc["elements"][0]["type"] == "audio"
    assert result.stdout.startswith("{\n  ")  # indented by default
    assert result.stderr == ""


def test_build_json_file_prints_the_same_document() -> None:
    result = run("build", DOCUMENT)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(DOCUMENT.read_text("utf-8"))


def test_build_indent_zero_is_one_line() -> None:
    result = run("build", "--indent", "0", DOCUMENT)
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1


def test_build_output_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = run("build", HELLO, "--output", target)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text("utf-8")) == json.loads(run("build", HELLO).stdout)
    assert str(target) in result.stderr


def test_build_invalid_movie_is_one_line_error(files: dict[str, Path]) -> None:
    result = run("build", files["bad"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {files['bad']}: invalid movie: scenes[0].elements[0].src: a video element needs "
        "a 'src' (hint: give the file's URL, e.g. Video('https://...') "
        "or an AI 'prompt' and 'model') "
        f"[+1 more; run `moviekit validate {files['bad']}` to see all]\n"
    )


def test_build_no_validate_emits_anyway(files: dict[str, Path]) -> None:
    result = run("build", "--no-validate", files["bad"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(files["bad"].read_text("utf-8"))


def test_build_bad_json_is_one_line_error(files: dict[str, Path]) -> None:
    result = run("build", files["broken"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {files['broken']}: not valid JSON: Expecting value at line 2 column 1\n"
    )


def test_build_script_raising_a_build_error_is_one_line(files: dict[str, Path]) -> None:
    result = run("build", files["script_error"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        f"error: {files['script_error']}:2: BuildError: Text has no property 'colour'"
    )
    assert "Traceback" not in result.output


def test_debug_shows_the_exception(files: dict[str, Path]) -> None:
    result = run("--debug", "build", files["bad"])
    assert result.exit_code == 1
    assert isinstance(result.exception.__cause__, MovieValidationError)  # the whole report
    assert len(result.exception.__cause__.errors) == 2
    # and the switch does not leak into the next command
    assert isinstance(run("build", files["bad"]).exception, SystemExit)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("missing", "error: no such file: {path}\n"),
        ("txt", "error: expected a .py script or a .json file, got notes.txt\n"),
        ("two", "error: two.py defines several movies (a, b); pick one: two.py:NAME\n"),
        (
            "none",
            "error: none.py defines no Movie; assign one to a module-level variable named "
            "'movie'\n",
        ),
    ],
)
def test_build_misuse_exits_2(
    files: dict[str, Path], tmp_path: Path, key: str, message: str
) -> None:
    path = files.get(key, tmp_path / "missing.json")
    result = run("build", path)
    assert result.exit_code == 2
    assert result.stderr == message.format(path=path)


def test_build_picks_a_named_movie(files: dict[str, Path]) -> None:
    result = run("build", f"{files['two']}:b")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"scenes": []}
    missing = run("build", f"{files['two']}:c")
    assert missing.exit_code == 2
    assert missing.stderr == "error: two.py has no Movie named 'c'\n"


def test_no_arguments_is_misuse() -> None:
    assert run("build").exit_code == 2
    assert run("validate").exit_code == 2


# --------------------------------------------------------------------------- validate


def test_validate_ok_exits_0() -> None:
    result = run("validate", DOCUMENT, HELLO)
    assert result.exit_code == 0
    assert result.stdout == (
        f"{DOCUMENT}: ok (0 error(s), 0 warning(s))\n"
        "  estimate: at least 0 credits (≥ 0 s x 1/s)\n"
        f"{HELLO}: ok (0 error(s), 0 warning(s))\n"
        "  estimate: 5 credits (5 s x 1/s)\n"
    )


def test_validate_invalid_exits_1(files: dict[str, Path]) -> None:
    result = run("validate", files["bad"])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{files['bad']}: invalid (2 error(s), 0 warning(s))\n"
        "  error scenes[0].elements[0].src: a video element needs a 'src' [missing-src]\n"
        "    hint: give the file's URL, e.g. Video('https://...') or an AI 'prompt' and 'model'\n"
        "  error scenes[0].elements[1].src: the audio element's 'src' is empty [empty-src]\n"
        "    hint: give the file's URL\n"
    )


def test_validate_warnings_exit_0_unless_strict(files: dict[str, Path]) -> None:
    result = run("validate", files["warn"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"{files['warn']}: ok (0 error(s), 1 warning(s))"
    assert (
        "warning scenes[0].elements[0].colr: 'colr' is not a documented property" in result.stdout
    )
    strict = run("validate", "--strict", files["warn"])
    assert strict.exit_code == 1
    assert strict.stdout.splitlines()[0] == (f"{files['warn']}: invalid (0 error(s), 1 warning(s))")


def test_validate_json_output(files: dict[str, Path]) -> None:
    result = run("validate", "--json", files["warn"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["file"] == str(files["warn"]) and report["ok"] is True
    assert report["errors"] == []
    assert [(w["path"], w["code"], w["severity"]) for w in report["warnings"]] == [
        ("scenes[0].elements[0].colr", "unknown-property", "warning")
    ]
    both = run("validate", "--json", "--strict", files["ok"], files["warn"], files["bad"])
    assert both.exit_code == 1
    reports = json.loads(both.stdout)
    assert [(r["file"], r["ok"]) for r in reports] == [
        (str(files["ok"]), True),
        (str(files["warn"]), False),
        (str(files["bad"]), False),
    ]
    assert [e["code"] for e in reports[2]["errors"]] == ["missing-src", "empty-src"]


def test_validate_unreadable_file_is_a_failure_not_a_crash(files: dict[str, Path]) -> None:
    result = run("validate", files["broken"], files["ok"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        f"{files['broken']}: invalid (1 error(s), 0 warning(s))",
        "  error (movie): not valid JSON: Expecting value at line 2 column 1 [unreadable]",
    ]
    assert f"{files['ok']}: ok" in result.stdout
    script = run("validate", "--json", files["script_error"])
    assert script.exit_code == 1
    assert json.loads(script.stdout)["errors"][0]["code"] == "unreadable"


@pytest.mark.parametrize("key", ["missing", "txt"])
def test_validate_misuse_exits_2(files: dict[str, Path], tmp_path: Path, key: str) -> None:
    path = files.get(key, tmp_path / "missing.json")
    result = run("validate", path)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
