"""Compiled output is byte-stable, so golden files do not churn.

* the same program gives the same bytes in fresh interpreters with different
  hash seeds (nothing depends on set or dict-of-hash order, ids included);
* floats print the same way everywhere (``repr``: shortest round-trip form,
  the same on every Python since 3.1);
* declared properties come out in one canonical order whatever the call order;
* where call order does show (properties moviekit does not know, keys inside
  ``settings``), golden files compare by data and are not rewritten.

Only one Python version is installed here; the cross-version claim rests on
``float.__repr__`` and ``json.dumps`` being specified, and on this test
running in CI on each version the project supports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from moviekit import Image, Movie, Scene, Text, Var, Voice
from moviekit.testing import assert_golden, golden_text

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = textwrap.dedent("""
    import sys
    from moviekit import Audio, Image, Movie, Scene, Text, Transition, Var, Video, Voice
    from moviekit.testing import golden_text

    voice = Voice("Bem-vindos à nossa loja", voice="pt-BR-FranciscaNeural")
    caption = Text("Olá — 50 % off").settings(font_size="48px", color="#fff")
    caption = caption.after(voice, 0.25)  # relative placement: ids are assigned automatically
    movie = (
        Movie(resolution="full-hd", quality="high")
        .variables(city="Lisboa", discount=0.5)
        .client_data(batch=7)
        .add(
            Scene(duration=4.5, background_color="#101820").add(
                Image("https://cdn.example.com/a.jpg").zoom(2).pan("left"),
                Text("Spring", start=0.1 + 0.2, duration=1 / 3).set("x-extra", {"b": 1, "a": 2}),
            ),
            Scene().transition(Transition("fade", 0.5)).add(voice, caption),
            Scene(duration=3).add(Video(str(Var("clip")), volume=0.75, seek=1e-7)),
        )
        .add(Audio("https://cdn.example.com/bed.mp3", volume=0.2))
    )
    out = movie.to_json(indent=2) + "\\n--\\n" + golden_text(movie)
    sys.stdout.buffer.write(out.encode())
""")


def run_program(seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", PROGRAM], env=env, capture_output=True, check=True, cwd=ROOT
    ).stdout


def test_same_bytes_in_fresh_interpreters_with_different_hash_seeds() -> None:
    outputs = {seed: run_program(seed) for seed in ("0", "1", "4242", "random")}
    first = outputs["0"]
    assert b'"Ol\xc3\xa1 \xe2\x80\x94 50 % off"' in first  # UTF-8, not \\u escapes
    for seed, output in outputs.items():
        assert output == first, f"PYTHONHASHSEED={seed} compiled different bytes"


def test_same_bytes_in_this_process_and_a_fresh_one() -> None:
    namespace: dict[str, object] = {}
    # The program writes to sys.stdout.buffer; capture what it would write instead.
    captured: list[bytes] = []

    class Buffer:
        def write(self, data: bytes) -> None:
            captured.append(data)

    class Stdout:
        buffer = Buffer()

    real = sys.stdout
    sys.stdout = Stdout()  # type: ignore[assignment]
    try:
        exec(PROGRAM, namespace)
    finally:
        sys.stdout = real
    assert b"".join(captured) == run_program("123")


@pytest.mark.parametrize(
    ("value", "golden", "compact"),
    [
        (0.1 + 0.2, "0.30000000000000004", "0.30000000000000004"),
        (1 / 3, "0.3333333333333333", "0.3333333333333333"),
        (2.50, "2.5", "2.5"),
        (2.0, "2.0", "2.0"),
        (2, "2", "2"),
        # golden files write floats as Python does; to_json as pydantic's serialiser does
        (1e-7, "1e-07", "1e-7"),
        (1e-5, "1e-05", "0.00001"),
        (1e16, "1e+16", "1e+16"),
        (123456.789, "123456.789", "123456.789"),
    ],
)
def test_float_format(value: float, golden: str, compact: str) -> None:
    movie = Movie(resolution="hd").add(Scene(duration=5).add(Text("x").start(value)))
    assert f'"start":{compact}' in movie.to_json()
    assert f'"start": {golden}' in golden_text(movie)
    assert json.loads(movie.to_json())["scenes"][0]["elements"][0]["start"] == value


def test_declared_properties_come_out_in_one_order_whatever_the_call_order() -> None:
    a = Text("Hi").z_index(3).duration(2).start(1).style("002").position("center-center")
    b = Text("Hi").position("center-center").style("002").start(1).duration(2).z_index(3)
    c = Text("Hi", z_index=3, position="center-center", start=1, style="002", duration=2)
    scene_a = Scene(duration=4).background_color("#000").add(a)
    scene_b = Scene(background_color="#000", duration=4).add(b)
    movie_a = Movie().quality("high").resolution("hd").fps(30).add(scene_a)
    movie_b = Movie(fps=30, resolution="hd", quality="high").add(scene_b)
    assert movie_a.to_json() == movie_b.to_json()
    assert (
        Movie().add(Scene(duration=4).add(c)).to_json()
        == Movie().add(Scene(duration=4).add(a)).to_json()
    )
    assert list(json.loads(movie_a.to_json())["scenes"][0]["elements"][0]) == [
        "type", "text", "style", "position", "start", "duration", "z-index",
    ]  # fmt: skip


def test_call_order_that_shows_in_the_bytes_does_not_churn_golden_files(tmp_path: Path) -> None:
    # Keys moviekit does not know, and keys inside settings, keep the order they were
    # given in (the service may care; moviekit does not guess). Golden files compare by
    # data, so reordering such calls neither fails a test nor rewrites the file.
    one = Movie().add(Scene(duration=2).add(
        Text("Hi").settings(color="#fff", font_size="40px").set("glow", 1).set("blur", 2)
    ))  # fmt: skip
    two = Movie().add(Scene(duration=2).add(
        Text("Hi").settings(font_size="40px", color="#fff").set("blur", 2).set("glow", 1)
    ))  # fmt: skip
    assert one.to_json() != two.to_json()
    assert one.to_dict() == two.to_dict()
    path = tmp_path / "golden.json"
    assert_golden(one, path, update=True)
    before = path.read_bytes()
    assert assert_golden(two, path).outcome == "matched"
    assert assert_golden(two, path, update=True).outcome == "matched"
    assert path.read_bytes() == before


def test_compiling_twice_gives_the_same_bytes_and_does_not_change_the_builder() -> None:
    movie = Movie(resolution="hd").add(
        Scene(duration=2).add(Text("a").settings(color="#fff"), Image(str(Var("img"))))
    )
    first = movie.to_json()
    doc = movie.to_dict()
    doc["scenes"][0]["elements"][0]["settings"]["color"] = "#000"  # editing the output...
    assert movie.to_json() == first  # ...never reaches the builder


def test_auto_assigned_ids_are_deterministic() -> None:
    def build() -> Movie:
        voice = Voice("one")
        other = Voice("two").after(voice)
        return Movie().add(Scene().add(
            voice, other, Text("x").after(other, 0.5).duration(1),
        ))  # fmt: skip

    first = build().to_dict()
    ids = [e.get("id") for e in first["scenes"][0]["elements"]]
    assert ids[:2] == ["voice1", "voice2"]
    assert build().to_dict() == first  # fresh builders, same ids
    # And across interpreters (hash seeds), via the program above.
    assert b'"id": "voice1"' in run_program("7")
