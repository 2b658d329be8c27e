"""Bad input on the command line: one error line naming the file, an exit code, no traceback.

Every command that takes a movie is run on every bad input of the issue's list
(a recipe that raises, a syntax error, ``sys.exit(n)``, directories named
``x.py`` / ``x.json``, a huge integer, deep nesting, bytes that are not UTF-8
or not JSON, ``NaN``, a missing file, a wrong suffix), in-process; a few run
as real processes too, and ``--debug`` shows the traceback (without locals).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.cli import MOVIE_COMMANDS, assert_one_error, error_lines, invoke, run_process
from support.sizes import movie_of_size

from moviekit.cli._app import CLIError
from moviekit.validation._validate import MAX_DOCUMENT_BYTES

DEEP = "[" * 100_000 + "]" * 100_000
CASES: dict[str, tuple[str | bytes | None, int, str]] = {
    # name: (content; None for a directory, "" for no file at all), exit code, in the line
    "raises.py": (
        "x = 1\nraise ValueError('boom here')\n",
        1,
        "raises.py:2: ValueError: boom here",
    ),
    "syntax.py": ("movie = (\n", 1, "syntax.py:1: SyntaxError: '(' was never closed"),
    "exit3.py": ("import sys\nsys.exit(3)\n", 3, "exit3.py: the recipe exited with status 3"),
    "exit0.py": ("import sys\nsys.exit(0)\n", 1, "exit0.py: the recipe exited with status 0"),
    "exitmsg.py": ("import sys\nsys.exit('bye')\n", 1, "exitmsg.py: the recipe exited: bye"),
    "recursion.py": ("def f():\n    return f()\nf()\n", 1, "recursion.py:2: RecursionError"),
    "imports.py": (
        "import helper_raises\n",
        1,
        "imports.py:1: ZeroDivisionError: division by zero",
    ),
    "recipe.py:make": (
        "def make():\n    return 1 / 0\n",
        1,
        "recipe.py:2: in make(): ZeroDivisionError: division by zero",
    ),
    "dir.py": (None, 2, "dir.py: this is a directory, not a Python recipe"),
    "dir.json": (None, 2, "dir.json: this is a directory, not a JSON file"),
    "huge.json": (
        '{"scenes": [{"duration": ' + "9" * 5000 + "}]}",
        1,
        "huge.json: not valid JSON: an integer with 5000 digits is too long",
    ),
    "deep.json": (DEEP, 1, "deep.json: the JSON is nested too deeply to read"),
    "deep_object.json": ('{"scenes": ' + DEEP + "}", 1, "nested too deeply"),
    "text.json": ("hello", 1, "text.json: not valid JSON: Expecting value at line 1 column 1"),
    "empty.json": ("", 1, "empty.json: not valid JSON"),
    "latin1.json": (
        b'{"comment": "caf\xe9"}',
        1,
        "latin1.json: not valid JSON: the bytes are not UTF-8",
    ),
    "nan.json": (
        '{"scenes": [{"duration": NaN}]}',
        1,
        "nan.json: not valid JSON: NaN is not a JSON number",
    ),
    "inf.json": (
        '{"scenes": [{"duration": 1e999}]}',
        1,
        "inf.json: not valid JSON: the number 1e999 is too large",
    ),
    "list.json": ("[1, 2]", 1, "list.json: invalid movie: (movie): a movie must be a JSON object"),
    "missing.json": ("", 2, "no such file: missing.json"),
    "notes.txt": ("hi", 2, "expected a .py script or a .json file, got notes.txt"),
}


def make(where: Path, name: str) -> str:
    """Create the input ``name`` of :data:`CASES` in ``where``; return the argument to pass."""
    content = CASES[name][0]
    (where / "helper_raises.py").write_text("x = 1\ny = x / 0\n", "utf-8")
    target = where / name.split(":")[0]
    if content is None:
        target.mkdir()
    elif isinstance(content, bytes):
        target.write_bytes(content)
    elif name != "missing.json":
        target.write_text(content, "utf-8")
    return name


@pytest.mark.parametrize("command", MOVIE_COMMANDS)
@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_one_line(name: str, command: str, no_key: Path) -> None:
    _, code, said = CASES[name]
    result = invoke(*MOVIE_COMMANDS[command], make(no_key, name))
    line = assert_one_error(
        result.exit_code, result.stderr, result.stdout, expected_code=code, names=said
    )
    assert line.startswith(f"error: {said}") or line.startswith(f"error: {name.split(':')[0]}")
    assert result.stdout == ""
    assert not list(no_key.glob("*.png")) and not list(no_key.glob("*.mp4"))


@pytest.mark.parametrize("name", CASES)
def test_validate_reports_or_stops_on_bad_input(name: str, no_key: Path) -> None:
    _, code, said = CASES[name]
    result = invoke("validate", make(no_key, name))
    assert "Traceback" not in result.output
    if code == 1:  # a file it could not read is an invalid movie in the report
        assert result.exit_code == 1
        assert result.stderr == ""
        assert result.stdout.startswith(f"{name}: invalid (1 error(s), 0 warning(s))\n")
        assert said.rsplit(": ", 1)[-1] in result.stdout
        report = json.loads(invoke("validate", "--json", name).stdout)
        assert report["ok"] is False and len(report["errors"]) == 1
    else:  # misuse, or the status a recipe exited with: one line, nothing reported
        assert_one_error(
            result.exit_code, result.stderr, result.stdout, expected_code=code, names=said
        )
        assert result.stdout == ""


def test_validate_goes_on_after_an_unreadable_file(no_key: Path) -> None:
    make(no_key, "raises.py")
    (no_key / "ok.json").write_text('{"scenes": [{"duration": 2, "elements": []}]}', "utf-8")
    result = invoke("validate", "raises.py", "ok.json")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "raises.py: invalid (1 error(s), 0 warning(s))",
        "  error (movie): raises.py:2: ValueError: boom here [unreadable]",
        "ok.json: ok (0 error(s), 0 warning(s))",
        "  estimate: 2 credits (2 s x 1/s)",  # what it would cost
    ]


def test_a_recipe_that_prints_keeps_stdout_for_the_json(no_key: Path) -> None:
    (no_key / "chatty.py").write_text(
        "from moviekit import Movie\nprint('hello from the recipe')\nmovie = Movie()\n", "utf-8"
    )
    result = invoke("build", "chatty.py")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"scenes": []}
    assert "hello from the recipe" in result.stderr


def test_debug_raises_the_recipes_own_exception(no_key: Path) -> None:
    make(no_key, "raises.py")
    result = invoke("--debug", "build", "raises.py")
    assert result.exit_code == 1
    assert isinstance(result.exception, CLIError)
    assert isinstance(result.exception.__cause__, ValueError)
    assert str(result.exception.__cause__) == "boom here"
    assert error_lines(result.stderr) == []  # the traceback replaces the line


# --------------------------------------------------------------------------- real processes


@pytest.mark.parametrize(
    ("args", "name", "code", "said"),
    [
        (["build"], "raises.py", 1, "error: raises.py:2: ValueError: boom here"),
        (["frame"], "exit3.py", 3, "error: exit3.py: the recipe exited with status 3"),
        (["timeline"], "deep.json", 1, "error: deep.json: the JSON is nested too deeply"),
        (["validate"], "dir.json", 2, "error: dir.json: this is a directory"),
        (["batch", "check"], "raises.py", 1, "error: raises.py:2: ValueError: boom here"),
    ],
)
def test_real_process(args: list[str], name: str, code: int, said: str, tmp_path: Path) -> None:
    make(tmp_path, name)
    extra = ["rows.csv"] if args[0] == "batch" else []
    (tmp_path / "rows.csv").write_text("title\nA\n", "utf-8")
    done = run_process(*args, name, *extra, cwd=tmp_path)
    line = assert_one_error(done.returncode, done.stderr, done.stdout, expected_code=code)
    assert line.startswith(said)


def test_real_process_debug_shows_a_traceback_without_locals(tmp_path: Path) -> None:
    (tmp_path / "leaky.py").write_text(
        "def make():\n"
        "    token = 's3cr' + 'et-value'\n"
        "    raise RuntimeError('the recipe broke')\n"
        "make()\n",
        "utf-8",
    )
    done = run_process("--debug", "build", "leaky.py", cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "the recipe broke" in done.stderr
    assert "leaky.py" in done.stderr
    assert "s3cret-value" not in done.stderr  # a local variable's value is never shown
    quiet = run_process("build", "leaky.py", cwd=tmp_path)
    assert quiet.stderr == "error: leaky.py:3: RuntimeError: the recipe broke\n"


# --------------------------------------------------------------------------- options


def _eleven_seconds(where: Path) -> str:
    doc = {
        "resolution": "custom",
        "width": 96,
        "height": 54,
        "fps": 5,
        "scenes": [{"duration": 11, "elements": [{"type": "text", "text": "x"}]}],
    }
    (where / "eleven.json").write_text(json.dumps(doc), "utf-8")
    return "eleven.json"


@pytest.mark.parametrize(
    ("at", "said"),
    [
        (
            "30",
            "eleven.json: --at 30 is past the end of the movie (11 s long); pick a time "
            "from 0 to 11",
        ),
        ("-1", "--at takes a time in seconds, 0 or more, not -1"),
        ("nan", "--at takes a time in seconds, 0 or more, not nan"),
        ("inf", "--at takes a time in seconds, 0 or more, not inf"),
    ],
)
def test_frame_outside_the_movie_is_misuse(at: str, said: str, no_key: Path) -> None:
    result = invoke("frame", _eleven_seconds(no_key), "--at", at)
    assert_one_error(result.exit_code, result.stderr, result.stdout, expected_code=2, names=said)
    assert not list(no_key.glob("*.png"))


def test_frame_at_the_very_end_is_the_last_frame(no_key: Path) -> None:
    result = invoke("frame", _eleven_seconds(no_key), "--at", "11", "-o", "end.png")
    assert result.exit_code == 0, result.output
    assert (no_key / "end.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("every", ["0", "-2", "nan"])
def test_storyboard_every_must_be_positive(every: str, no_key: Path) -> None:
    result = invoke("storyboard", _eleven_seconds(no_key), "--every", every)
    assert_one_error(
        result.exit_code,
        result.stderr,
        result.stdout,
        expected_code=2,
        names="--every takes a positive number of seconds",
    )


@pytest.mark.parametrize("item", ["voice1", "=3", "voice1=nan", "voice1=-1", "voice1=ten"])
def test_timeline_length_must_be_id_and_seconds(item: str, no_key: Path) -> None:
    result = invoke("timeline", _eleven_seconds(no_key), "-l", item)
    assert_one_error(
        result.exit_code,
        result.stderr,
        result.stdout,
        expected_code=2,
        names=f"--length takes ID_OR_SRC=SECONDS (seconds 0 or more), got {item!r}",
    )


def test_every_flag_is_plain_in_help() -> None:
    for args in (["--help"], ["build", "--help"], ["render", "--help"], ["batch", "run", "--help"]):
        result = invoke(*args)
        assert result.exit_code == 0
        assert "<bool>" not in result.stdout, args
    assert "--debug " in invoke("--help").stdout


def test_unknown_option_is_typers_misuse() -> None:
    result = invoke("build", "--nope", "x.json")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_an_output_file_that_cannot_be_written_is_one_line(no_key: Path) -> None:
    (no_key / "ok.json").write_text('{"scenes": []}', "utf-8")
    result = invoke("build", "ok.json", "-o", "no/such/dir/out.json")
    assert_one_error(
        result.exit_code,
        result.stderr,
        result.stdout,
        expected_code=1,
        names="no/such/dir/out.json: No such file or directory",
    )


# --------------------------------------------------------------------------- without a key


@pytest.mark.parametrize(
    "args",
    [
        ["render", "movie.json", "--service"],
        ["status", "A" * 16],
        ["templates"],
        ["upload", "movie.json"],
    ],
)
def test_no_key_says_how_to_get_one(args: list[str], no_key: Path) -> None:
    (no_key / "movie.json").write_text('{"scenes": []}', "utf-8")
    result = invoke(*args)
    line = assert_one_error(result.exit_code, result.stderr, result.stdout, expected_code=1)
    assert line == (
        "error: no API key: set JSON2VIDEO_API_KEY to your JSON2Video API key (from the "
        "dashboard), or run `moviekit fake-server` for an offline loop with no account"
    )
    assert "http" not in result.output and "Client(" not in result.output


def test_a_terminal_that_cannot_show_a_character_gets_its_escape(tmp_path: Path) -> None:
    doc = {"scenes": [{"duration": 1, "elements": [{"type": "text", "text": "café 日本 \ud83c"}]}]}
    (tmp_path / "movie.json").write_text(json.dumps(doc), "utf-8")
    done = run_process("build", "movie.json", cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert "caf\\u00e9 \\u65e5\\u672c \\ud83c" in done.stdout
    assert json.loads(done.stdout) == doc  # still the same JSON


def test_a_movie_over_the_service_body_limit_is_one_line_and_no_file(no_key: Path) -> None:
    # The model's 'too-large' rule was reported by nothing: `build` wrote a body the
    # service answers 413 to. Validation measures the bytes the client sends.
    (no_key / "big.json").write_text(json.dumps(movie_of_size(MAX_DOCUMENT_BYTES + 1)), "utf-8")
    (no_key / "ok.json").write_text(json.dumps(movie_of_size(MAX_DOCUMENT_BYTES)), "utf-8")
    result = invoke("build", "big.json", "-o", "out.json")
    line = assert_one_error(
        result.exit_code, result.stderr, result.stdout, expected_code=1, names="big.json"
    )
    assert "413 Payload too large" in line and "[too-large]" not in result.stdout
    assert not (no_key / "out.json").exists()
    report = json.loads(invoke("validate", "--json", "big.json").stdout)
    assert [e["code"] for e in report["errors"]] == ["too-large"]
    assert invoke("build", "ok.json", "-o", "out.json").exit_code == 0
    assert json.loads((no_key / "out.json").read_text("utf-8")) == json.loads(
        (no_key / "ok.json").read_text("utf-8")
    )
