"""The moviekit pytest plugin, run as users run it: in a separate pytest session (pytester).

Golden files (pass, fail with a diff by path, missing, update flag and env
var, formatting-only differences), the fake-server fixture's teardown report
(unexpected requests, unmet expectations, unused scripted responses), the
marker, and the entry point itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

PLUGIN = "moviekit.testing._plugin"
INSTALLED = any(ep.value == PLUGIN for ep in entry_points(group="pytest11"))
ROOT = Path(__file__).resolve().parents[2]

MOVIE_MODULE = """
from moviekit import Movie, Scene, Text

def make(text="Hello", seconds=3):
    return Movie(resolution="hd").add(Scene(duration=seconds).add(Text(text).style("002")))
"""


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # The outer run's own update switch must not leak into the sessions under test.
    monkeypatch.delenv("MOVIEKIT_UPDATE_GOLDEN", raising=False)


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run pytest in the sandbox with the plugin loaded as a user's install loads it.

    Installed (CI, editable install): through the entry point. From a bare
    checkout (PYTHONPATH=.) there is none, so it is named with ``-p``.
    """
    extra = [] if INSTALLED else ["-p", PLUGIN]
    # hypothesis' plugin costs about a second per session and is not under test here.
    quiet = ["-p", "no:cacheprovider", "-p", "no:hypothesispytest"]
    return pytester.runpytest(*quiet, *extra, *args)


def assert_in_order(result: pytest.RunResult, *snippets: str) -> None:
    """Each snippet occurs in the output, in this order (plain text: paths hold brackets)."""
    out = result.stdout.str()
    position = 0
    for snippet in snippets:
        found = out.find(snippet, position)
        assert found >= 0, f"{snippet!r} not found (in order) in:\n{out}"
        position = found + len(snippet)


def golden_test(pytester: pytest.Pytester, body: str, name: str = "test_movie") -> Path:
    pytester.makepyfile(movies=MOVIE_MODULE)
    return pytester.makepyfile(**{name: textwrap.dedent(body)})


# =========================================================================== golden files


def test_missing_golden_file_fails_and_says_how_to_create_it(pytester: pytest.Pytester) -> None:
    golden_test(
        pytester,
        """
        from movies import make

        def test_intro(moviekit_golden):
            moviekit_golden(make())
    """,
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*golden file golden*test_movie*test_intro.json does not exist.*",
            "*run pytest with --moviekit-update-golden (or MOVIEKIT_UPDATE_GOLDEN=1)*",
        ]
    )
    assert not (pytester.path / "golden").exists(), "a plain run never writes golden files"


def test_update_flag_creates_then_plain_run_passes(pytester: pytest.Pytester) -> None:
    golden_test(
        pytester,
        """
        from movies import make

        def test_intro(moviekit_golden):
            moviekit_golden(make())
    """,
    )
    result = run(pytester, "--moviekit-update-golden")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["*moviekit golden files*", "created: golden/test_movie/test_intro.json"]
    )
    path = pytester.path / "golden" / "test_movie" / "test_intro.json"
    assert path.read_bytes() == (
        b'{\n  "resolution": "hd",\n  "scenes": [\n    {\n      "duration": 3,\n'
        b'      "elements": [\n        {\n          "type": "text",\n'
        b'          "text": "Hello",\n          "style": "002"\n        }\n      ]\n'
        b"    }\n  ]\n}\n"
    )
    run(pytester).assert_outcomes(passed=1)


def test_mismatch_shows_a_diff_by_json_path(pytester: pytest.Pytester) -> None:
    golden_test(
        pytester,
        """
        from movies import make

        def test_intro(moviekit_golden):
            moviekit_golden(make())
    """,
    )
    run(pytester, "--moviekit-update-golden").assert_outcomes(passed=1)
    (pytester.path / "movies.py").write_text(
        MOVIE_MODULE.replace('text="Hello", seconds=3', 'text="Hi", seconds=4')
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    assert_in_order(
        result,
        "the compiled movie does not match golden file golden/test_movie/test_intro.json",
        "2 differences (golden file != compiled movie):",
        "  scenes[0].duration: 3 != 4",
        "  scenes[0].elements[0].text: 'Hello' != 'Hi'",
        "If the change is intended, run pytest with --moviekit-update-golden",
    )
    # The traceback points at the user's line, not into moviekit.
    result.stdout.fnmatch_lines(["*moviekit_golden(make())*"])
    assert "_golden.py" not in result.stdout.str()


def test_update_flag_rewrites_a_changed_golden_file(pytester: pytest.Pytester) -> None:
    golden_test(
        pytester,
        """
        from movies import make

        def test_intro(moviekit_golden):
            moviekit_golden(make("Spring sale"))
    """,
    )
    path = pytester.path / "golden" / "test_movie" / "test_intro.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"resolution": "hd", "scenes": []}\n')
    run(pytester).assert_outcomes(failed=1)

    result = run(pytester, "--moviekit-update-golden")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["updated: golden/test_movie/test_intro.json"])
    stored = json.loads(path.read_text())
    assert stored["scenes"][0]["elements"][0]["text"] == "Spring sale"
    run(pytester).assert_outcomes(passed=1)


def test_env_var_also_updates(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    golden_test(
        pytester,
        """
        from movies import make

        def test_intro(moviekit_golden):
            moviekit_golden(make())
    """,
    )
    monkeypatch.setenv("MOVIEKIT_UPDATE_GOLDEN", "1")
    run(pytester).assert_outcomes(passed=1)
    assert (pytester.path / "golden" / "test_movie" / "test_intro.json").exists()


def test_same_data_in_another_layout_passes_and_is_not_rewritten(
    pytester: pytest.Pytester,
) -> None:
    golden_test(
        pytester,
        """
        from movies import make

        def test_intro(moviekit_golden):
            moviekit_golden(make())
    """,
    )
    path = pytester.path / "golden" / "test_movie" / "test_intro.json"
    path.parent.mkdir(parents=True)
    # Keys in another order, one line, 3.0 for 3: the same JSON data.
    hand_written = (
        '{"scenes": [{"elements": [{"style": "002", "text": "Hello", "type": "text"}], '
        '"duration": 3.0}], "resolution": "hd"}'
    )
    path.write_text(hand_written)
    run(pytester).assert_outcomes(passed=1)
    result = run(pytester, "--moviekit-update-golden")
    result.assert_outcomes(passed=1)
    assert path.read_text() == hand_written, "no churn: equal data is never rewritten"
    assert "moviekit golden files" not in result.stdout.str()


def test_names_parametrize_and_classes_get_their_own_files(pytester: pytest.Pytester) -> None:
    golden_test(
        pytester,
        """
        import pytest
        from movies import make

        def test_two(moviekit_golden):
            moviekit_golden(make("A"), name="first")
            moviekit_golden(make("B"), name="second")

        @pytest.mark.parametrize("seconds", [2, 5])
        def test_lengths(moviekit_golden, seconds):
            moviekit_golden(make(seconds=seconds))

        class TestGroup:
            def test_inside(self, moviekit_golden):
                moviekit_golden(make())
    """,
    )
    run(pytester, "--moviekit-update-golden").assert_outcomes(passed=4)
    folder = pytester.path / "golden" / "test_movie"
    assert sorted(p.name for p in folder.iterdir()) == [
        "TestGroup.test_inside.json",
        "test_lengths_2.json",
        "test_lengths_5.json",
        "test_two.first.json",
        "test_two.second.json",
    ]
    assert json.loads((folder / "test_lengths_5.json").read_text())["scenes"][0]["duration"] == 5
    run(pytester).assert_outcomes(passed=4)


def test_checking_one_file_twice_in_a_test_is_an_error(pytester: pytest.Pytester) -> None:
    golden_test(
        pytester,
        """
        from movies import make

        def test_twice(moviekit_golden):
            moviekit_golden(make("A"))
            moviekit_golden(make("B"))
    """,
    )
    result = run(pytester, "--moviekit-update-golden")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*already checked test_twice.json*name='...'*"])


def test_golden_dir_ini_option(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nmoviekit_golden_dir = snapshots/movies\n")
    golden_test(
        pytester,
        """
        from movies import make

        def test_intro(moviekit_golden):
            moviekit_golden(make())
    """,
    )
    run(pytester, "--moviekit-update-golden").assert_outcomes(passed=1)
    assert (pytester.path / "snapshots" / "movies" / "test_movie" / "test_intro.json").exists()


def test_an_invalid_movie_is_not_stored(pytester: pytest.Pytester) -> None:
    golden_test(
        pytester,
        """
        from moviekit import Movie, Scene, Video

        def test_bad(moviekit_golden):
            moviekit_golden(Movie(resolution="hd").add(Scene().add(Video("https://x.example/still.jpg"))))
    """,
    )
    result = run(pytester, "--moviekit-update-golden")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*MovieValidationError*"])
    assert not (pytester.path / "golden").exists()


def test_help_lists_the_option(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--help")
    result.stdout.fnmatch_lines(["*--moviekit-update-golden*"])
    result.stdout.fnmatch_lines(["*moviekit_golden_dir*"])


# =========================================================================== fake server


def test_render_through_the_fixtures_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        from moviekit import Movie, Scene, Text

        def test_render(moviekit_fake_server, moviekit_client, tmp_path):
            moviekit_fake_server.expect("POST", "/v2/movies", times=1)
            moviekit_fake_server.expect("GET", "/v2/movies")   # polls: at least one
            moviekit_fake_server.expect("GET", "/files/", times=1)
            movie = Movie(resolution="hd").add(Scene(duration=2).add(Text("Hi")))
            render = moviekit_client.render(movie)
            render.download(tmp_path / "out.mp4")
            assert (tmp_path / "out.mp4").read_bytes()[4:8] == b"ftyp"
            assert len(moviekit_fake_server.projects()) == 1
    """)
    result = run(pytester)
    result.assert_outcomes(passed=1)


def test_the_async_client_fixture_renders_and_the_script_is_checked(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile("""
        import pytest
        from moviekit import AsyncClient, Movie, Scene, Text
        from moviekit.testing import Fault

        movie = Movie(resolution="hd").add(Scene(duration=2).add(Text("Hi")))

        @pytest.mark.anyio
        async def test_render(moviekit_fake_server, moviekit_async_client, tmp_path):
            assert isinstance(moviekit_async_client, AsyncClient)
            moviekit_fake_server.inject(Fault.status(503), method="GET", path="/v2/movies")
            moviekit_fake_server.expect("POST", "/v2/movies", times=1)
            moviekit_fake_server.expect("GET", "/v2/movies")
            moviekit_fake_server.expect("GET", "/files/", times=1)
            render = await moviekit_async_client.render(movie)
            await render.download(tmp_path / "out.mp4")
            assert (tmp_path / "out.mp4").read_bytes()[4:8] == b"ftyp"

        @pytest.mark.anyio
        async def test_forgot(moviekit_fake_server, moviekit_async_client):
            moviekit_fake_server.expect("POST", "/v2/movies", times=1)
            assert moviekit_async_client.base_url == moviekit_fake_server.base_url
    """)
    result = run(pytester, "-k", "asyncio")  # anyio's plugin also runs them on trio
    result.assert_outcomes(passed=2, errors=1)
    assert_in_order(result, "test_forgot", "expected", "POST /v2/movies")


def test_unused_scripted_response_errors_at_teardown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        from moviekit.testing import Fault

        def test_forgot_to_call(moviekit_fake_server, moviekit_client):
            server = moviekit_fake_server
            server.inject(Fault.status(503, times=2), method="POST", path="/v2/movies")
            server.inject(Fault.rate_limit(2.0))
    """)
    result = run(pytester)
    result.assert_outcomes(passed=1, errors=1)
    assert_in_order(
        result,
        "ERROR at teardown of test_forgot_to_call",
        "FakeJSON2Video: 2 unused scripted responses",
        "unused scripted responses:",
        "  status 503 for POST /v2/movies: 2 of 2 unused",
        "  status 429 (Retry-After 2) for any method any path: 1 of 1 unused",
    )


def test_a_used_scripted_response_is_fine(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        from moviekit import Movie, Scene, Text
        from moviekit.testing import Fault

        def test_retried(moviekit_fake_server, moviekit_client):
            moviekit_fake_server.inject(Fault.status(503), method="GET", path="/v2/movies")
            movie = Movie(resolution="hd").add(Scene(duration=1).add(Text("Hi")))
            assert moviekit_client.render(movie).project_id
    """)
    run(pytester).assert_outcomes(passed=1)


def test_request_to_an_endpoint_json2video_lacks_errors_at_teardown(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile("""
        import requests

        def test_typo(moviekit_fake_server):
            url = moviekit_fake_server.base_url + "/movie?project=abc"
            key = {"x-api-key": moviekit_fake_server.api_key}
            answer = requests.get(url, headers=key, timeout=5)
            assert answer.status_code == 404
    """)
    result = run(pytester)
    result.assert_outcomes(passed=1, errors=1)
    assert_in_order(
        result,
        "FakeJSON2Video: 1 unexpected request\n",
        "unexpected requests:",
        "  GET /v2/movie?project=abc  (JSON2Video has no such endpoint)",
    )


def test_with_expectations_every_other_request_is_unexpected(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        from moviekit import Movie, Scene, Text

        def test_submit_only(moviekit_fake_server, moviekit_client):
            moviekit_fake_server.expect("POST", "/v2/movies", times=1)
            movie = Movie(resolution="hd").add(Scene(duration=1).add(Text("Hi")))
            job = moviekit_client.submit(movie)
            job.status()                     # a GET the test did not declare
            moviekit_client.templates.list() # and another
    """)
    result = run(pytester)
    result.assert_outcomes(passed=1, errors=1)
    assert_in_order(
        result,
        "FakeJSON2Video: 2 unexpected requests",
        "  GET /v2/movies?project=",
        "  (matches no expect())",
        "  GET /v2/templates",
        "  (matches no expect())",
    )
    assert "POST /v2/movies  (matches" not in result.stdout.str()


def test_unmet_expectations_are_listed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        from moviekit import Movie, Scene, Text

        def test_expected_more(moviekit_fake_server, moviekit_client):
            moviekit_fake_server.expect("POST", "/v2/movies", times=2)
            moviekit_fake_server.expect("DELETE", "/v2/movies")
            moviekit_client.submit(Movie(resolution="hd").add(Scene(duration=1).add(Text("Hi"))))
    """)
    result = run(pytester)
    result.assert_outcomes(passed=1, errors=1)
    assert_in_order(
        result,
        "expected requests that did not arrive as declared:",
        "  POST /v2/movies: expected 2 time(s), received 1",
        "  DELETE /v2/movies: expected at least once, received 0",
    )


def test_marker_switches_checks_off_and_configures_the_server(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import pytest
        from moviekit.testing import Fault

        pytestmark = pytest.mark.moviekit_server(credits=5.0)

        @pytest.mark.moviekit_server(assert_all_used=False, api_key="fake-key-1")
        def test_lenient(moviekit_fake_server, moviekit_client):
            moviekit_fake_server.inject(Fault.drop())
            assert moviekit_fake_server.api_key == "fake-key-1"
            assert moviekit_fake_server.credits == 5.0   # the module's marker still applies
            assert moviekit_client.base_url == moviekit_fake_server.base_url
    """)
    run(pytester).assert_outcomes(passed=1)


def test_a_failing_test_gets_no_extra_teardown_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        from moviekit.testing import Fault

        def test_fails(moviekit_fake_server):
            moviekit_fake_server.inject(Fault.drop())
            assert False, "the real problem"
    """)
    result = run(pytester)
    result.assert_outcomes(failed=1)
    assert "unused scripted responses" not in result.stdout.str()


def test_client_fixture_is_fast_and_closes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import time
        from moviekit import Movie, Scene, Text

        def test_quick(moviekit_client):
            start = time.monotonic()
            movie = Movie(resolution="hd").add(Scene(duration=3).add(Text("Hi")))
            render = moviekit_client.render(movie)
            assert render.project_id
            assert time.monotonic() - start < 5
    """)
    run(pytester).assert_outcomes(passed=1)


# =========================================================================== registration


def test_the_entry_point_names_the_plugin_module() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert '[project.entry-points.pytest11]\nmoviekit = "moviekit.testing._plugin"' in text
    if not INSTALLED:
        pytest.skip("moviekit is not installed here; the entry point is read from pyproject only")
    (ep,) = [ep for ep in entry_points(group="pytest11") if ep.name == "moviekit"]
    assert ep.value == PLUGIN


@pytest.mark.skipif(not INSTALLED, reason="needs moviekit installed (its entry point)")
def test_a_plain_pytest_run_loads_the_plugin(pytester: pytest.Pytester) -> None:
    # No -p flag, in a subprocess: only the entry point can provide the fixture.
    pytester.makepyfile("""
        def test_it(moviekit_golden):
            assert moviekit_golden.update is False
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


@pytest.mark.skipif(not INSTALLED, reason="needs moviekit installed (its entry point)")
def test_p_no_moviekit_switches_the_plugin_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        def test_it(moviekit_golden):
            pass
    """)
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:moviekit")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'moviekit_golden' not found*"])


def test_importing_the_plugin_is_cheap() -> None:
    """pytest imports the plugin in every run: it must not start the server machinery."""
    code = textwrap.dedent("""
        import sys
        import moviekit.testing._plugin
        # What the plugin could pull in itself; moviekit's own import is not its choice.
        heavy = ["http.server", "moviekit.testing._fake_server", "moviekit.testing._golden",
                 "moviekit.testing._checked_server", "moviekit.testing._queries",
                 "moviekit.testing._assertions"]
        print([m for m in heavy if m in sys.modules])
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert out.strip() == "[]"
