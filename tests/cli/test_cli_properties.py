"""Properties of every command-line loader: any file, any name, any service message.

- any bytes in a movie file (JSON of any shape, lone surrogates as escapes, huge
  numbers, deep nesting, invalid UTF-8, not JSON at all) -> a result or one
  error line, exit code 0, 1 or 2, never a traceback and never an "unexpected"
  error, for ``build``, ``validate``, ``timeline``, ``render --local`` and ``frame``;
- any file name (markup, spaces, unicode, emoji codes) and any text the service
  sends -> printed verbatim, never read as Rich markup;
- the time a command takes grows linearly with its input.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from support.cli import error_lines, invoke

from moviekit.testing import FakeJSON2Video, Fault

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

CHARS = st.characters(categories=["Cs"]) | st.characters()  # lone surrogates too
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(CHARS, max_size=12)
    | st.floats(allow_nan=False, allow_infinity=False)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(CHARS, max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(
    [
        "type",
        "text",
        "src",
        "duration",
        "start",
        "position",
        "id",
        "comment",
        "resolution",
        "elements",
        "scenes",
        "width",
        "height",
        "fps",
        "colr",
    ]
)
WORDS = st.sampled_from(
    [
        "text",
        "video",
        "image",
        "audio",
        "voice",
        "html",
        "custom",
        "sd",
        "hd",
        "center-center",
        "x.mp4",
        "-1",
        "{{a}}",
        "[/x]",
        "",
    ]
)
ELEMENT = st.dictionaries(KEYS, WORDS | JSON | st.floats(-2, 30), max_size=5)
MOVIE_LIKE = st.fixed_dictionaries(
    {
        "scenes": st.lists(
            st.fixed_dictionaries(
                {"elements": st.lists(ELEMENT, max_size=3)},
                optional={"duration": st.floats(-1, 0.4)},
            ),
            max_size=2,
        )
    },
    optional={"resolution": WORDS, "elements": st.lists(ELEMENT, max_size=2), "colr": JSON},
)


def _deep(n: int, open_: str, close: str, inner: str = "") -> bytes:
    return (open_ * n + inner + close * n).encode()


CONTENTS = st.one_of(
    (MOVIE_LIKE | JSON).map(lambda v: json.dumps(v).encode()),  # \ud800 escapes included
    (MOVIE_LIKE | JSON).map(
        lambda v: json.dumps(v, ensure_ascii=False).encode("utf-8", "surrogatepass")
    ),  # lone surrogates as raw (invalid) UTF-8
    st.integers(1, 12_000).map(lambda n: b'{"scenes": [{"duration": ' + b"9" * n + b"}]}"),
    st.sampled_from([b"1e999", b"-1e999", b"NaN", b"Infinity", b"[1e400]", b'{"a": -Infinity}']),
    st.integers(1, 5_000).map(lambda n: _deep(n, "[", "]")),
    st.integers(1, 5_000).map(lambda n: b'{"scenes": ' + _deep(n, '{"a":', "}", "1") + b"}"),
    st.text(CHARS).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=200),
)
COMMANDS = {
    "build": ["build"],
    "validate": ["validate"],
    "timeline": ["timeline"],
    "render": ["render", "--local", "-o", "out.mp4"],
    "frame": ["frame", "--at", "0.1", "-o", "out.png"],
}


def _contract(args: list[str]) -> tuple[int, str, str]:
    result = invoke(*args)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert "(unexpected;" not in result.stderr, result.stderr  # every failure is foreseen
    if result.exit_code and args[0] != "validate":
        assert len(error_lines(result.stderr)) == 1, result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_any_file_content(command: str, no_key: Path) -> None:
    @settings(SETTINGS, max_examples=30 if command in ("render", "frame") else 70)
    @given(content=CONTENTS)
    def check(content: bytes) -> None:
        (no_key / "movie.json").write_bytes(content)
        code, stdout, stderr = _contract([*COMMANDS[command], "movie.json"])
        event(f"exit {code}")
        if code and command != "validate":
            assert error_lines(stderr)[0].startswith("error: movie.json: ")
        if command == "build" and code == 0:
            assert isinstance(json.loads(stdout), dict)  # what it wrote is JSON, surrogates too
        if command == "validate" and code in (0, 1):
            assert stdout.startswith("movie.json: ")
            report = json.loads(invoke("validate", "--json", "movie.json").stdout)
            assert report["ok"] is (code == 0)

    check()


def test_a_lone_surrogate_reads_back_as_it_was_written(no_key: Path) -> None:
    """``"\\ud800"`` is valid JSON text for a string Python holds as a lone surrogate; every
    command writes it back as that escape instead of failing to encode it."""
    text = '{"scenes": [{"duration": 1, "elements": [{"type": "text", "text": "a\\ud800b"}]}]}'
    (no_key / "movie.json").write_text(text, "utf-8")
    code, stdout, _ = _contract(["build", "movie.json"])
    assert code == 0
    assert "a\\ud800b" in stdout
    assert json.loads(stdout)["scenes"][0]["elements"][0]["text"] == "a\ud800b"
    code, stdout, _ = _contract(["timeline", "movie.json"])
    assert code == 0 and "a\\ud800b" in stdout
    assert _contract(["build", "movie.json", "-o", "out.json"])[0] == 0
    assert json.loads((no_key / "out.json").read_text("utf-8")) == json.loads(text)


NAME = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="/\\"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and not s.startswith("-") and s not in (".", ".."))


@settings(SETTINGS, max_examples=25)  # five commands an example
@given(
    name=NAME
    | st.sampled_from(
        ["[bold]b", "[red]a", "x.py:y", ":thumbs_up:", "a b", "[project 123]", "é", "日本", "\\[x]"]
    )
)
def test_any_file_name_is_printed_verbatim(name: str, no_key: Path) -> None:
    path = no_key / f"{name}.json"
    path.write_text('{"scenes": 5}', "utf-8")  # certainly invalid
    for command in ("build", "timeline"):
        _, _, stderr = _contract([command, path.name])
        assert error_lines(stderr)[0].startswith(f"error: {path.name}: invalid movie: scenes: ")
    _, stdout, _ = _contract(["validate", path.name])
    assert stdout.startswith(f"{path.name}: invalid (1 error(s)")
    path.unlink()
    _, _, stderr = _contract(["build", path.name])
    assert error_lines(stderr) == [f"error: no such file: {path.name}"]


def test_the_issues_markup_path(no_key: Path) -> None:
    """``moviekit build '[/x].json'`` crashed with MarkupError; it is a path like any other."""
    assert error_lines(_contract(["build", "[/x].json"])[2]) == ["error: no such file: [/x].json"]
    (no_key / "[").mkdir()
    (no_key / "[" / "x].json").write_text('{"scenes": 5}', "utf-8")
    for command in ("build", "timeline", "frame", "storyboard"):
        _, _, stderr = _contract([command, "[/x].json"])
        assert error_lines(stderr)[0].startswith("error: [/x].json: invalid movie: scenes: ")
    assert _contract(["validate", "[/x].json"])[1].startswith("[/x].json: invalid (1 error(s)")


@settings(SETTINGS, max_examples=30)
@given(
    text=st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=28
    ).filter(lambda t: t.split() == [t])
)
def test_movie_text_is_printed_verbatim(text: str, no_key: Path) -> None:
    doc = {"scenes": [{"duration": 1, "elements": [{"type": "text", "text": text, "colr": text}]}]}
    (no_key / "movie.json").write_text(json.dumps(doc), "utf-8")
    code, stdout, stderr = _contract(["timeline", "movie.json"])
    assert code == 0
    assert f"  text   {text}" in stdout  # the label column
    assert "warning: movie.json: scenes[0].elements[0].colr: " in stderr
    code, stdout, _ = _contract(["validate", "movie.json"])
    assert code == 0 and "colr" in stdout


@pytest.fixture(scope="module")
def server() -> Iterator[FakeJSON2Video]:
    with FakeJSON2Video(queue_seconds=0, render_seconds=0) as fake:
        yield fake


@settings(SETTINGS, max_examples=30)
@given(
    message=st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=120
    ).filter(lambda t: t.strip() == t)
    | st.sampled_from(["[/x]", "[bold]x[/bold]", "[project 1] :smile:", "\\[x]"])
)
def test_any_service_message_is_printed_verbatim(
    message: str, server: FakeJSON2Video, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSON2VIDEO_API_KEY", server.api_key)
    monkeypatch.setenv("JSON2VIDEO_BASE_URL", server.base_url)
    server.inject(Fault.status(400, message=message), method="GET")
    code, _, stderr = _contract(["status", "A" * 16])
    assert code == 1
    (line,) = error_lines(stderr)
    assert line.startswith(f"error: [project {'A' * 16}, request ")
    assert f"] {message} (HTTP 400; GET " in line
    assert server.api_key not in stderr


# --------------------------------------------------------------------------- linear time


def _texts(n: int) -> bytes:
    return json.dumps(
        {
            "resolution": "sd",
            "scenes": [
                {"duration": 1, "elements": [{"type": "text", "text": f"t{i}"}]} for i in range(n)
            ],
        }
    ).encode()


def _long_text(n: int) -> bytes:
    return json.dumps(
        {"scenes": [{"duration": 1, "elements": [{"type": "text", "text": "ab " * (400 * n)}]}]}
    ).encode()


def _bad_scenes(n: int) -> bytes:
    return json.dumps({"scenes": [{"elements": 5} for _ in range(n)]}).encode()


#: inputs that grow with n, and an n at which the work (not the start-up) takes most of the time
SHAPES: dict[str, tuple[Callable[[int], bytes], int]] = {
    "many scenes": (_texts, 300),
    "a long text": (_long_text, 1_000),
    "many errors": (_bad_scenes, 150),
    "garbage": (lambda n: b"\xff" * (2_000 * n), 1_000),
    "long number": (lambda n: b'{"scenes": [{"duration": 1.' + b"5" * (2_000 * n) + b"}]}", 500),
}


def _seconds(args: list[str], content: bytes, where: Path) -> float:
    (where / "movie.json").write_bytes(content)
    best = float("inf")
    for _ in range(2):  # the better of two: this machine is shared
        started = time.perf_counter()
        result = invoke(*args, "movie.json")
        best = min(best, time.perf_counter() - started)
        assert "Traceback" not in result.output
    return best


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("command", ["build", "validate", "timeline"])
def test_time_grows_linearly_with_the_input(shape: str, command: str, no_key: Path) -> None:
    make, n = SHAPES[shape]
    t_small = _seconds([command], make(n), no_key)
    t_large = _seconds([command], make(4 * n), no_key)  # quadratic work: 16x the time
    assert t_large <= 4 * 2.5 * t_small + 0.3, (t_small, t_large)
