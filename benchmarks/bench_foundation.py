"""Foundation benchmark: build, compile, validate and serialise a 1,000-scene x 10-element movie.

Run: ``python benchmarks/bench_foundation.py`` (add ``--quick`` for a smaller, faster run).

Every figure is the best of several runs, and every ratio compares two
pipelines measured in this same run, so a busy machine shifts both alike.

Pipelines:
  floor       the same document as dict literals + json.dumps
  careful     dict literals + a jsonschema Draft202012Validator built once + json.dumps
  fluent      moviekit builders -> to_json() (compile, validate, serialise: the fluent exit)
Also, for information: the fluent builders serialised by json.dumps(to_dict()) instead
(to_json uses pydantic's Rust serialiser, ~3x faster than json.dumps), validation alone
vs json.dumps alone, and adding 10,000 elements one by one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jsonschema  # noqa: E402
from _timing import best_of, best_of_each  # noqa: E402  (benchmarks/_timing.py, beside this script)

from moviekit import Movie, Scene, Text, Video, validate  # noqa: E402
from moviekit.service._schema import load_schema  # noqa: E402


def literal_document(scenes: int) -> dict[str, Any]:
    return {
        "resolution": "full-hd",
        "quality": "high",
        "scenes": [
            {
                "background-color": "#101820",
                "elements": [
                    {
                        "type": "video",
                        "src": f"https://example.com/clip{j}.mp4",
                        "volume": 0.5,
                        "seek": 2,
                    }
                    if j % 2 == 0
                    else {
                        "type": "text",
                        "text": f"Caption {i}.{j}",
                        "style": "003",
                        "position": "center-center",
                        "start": 1,
                        "duration": 4,
                    }
                    for j in range(10)
                ],
            }
            for i in range(scenes)
        ],
    }


def fluent_movie(scenes: int) -> Movie:
    movie = Movie(resolution="full-hd", quality="high")
    for i in range(scenes):
        scene = Scene(background_color="#101820")
        for j in range(10):
            if j % 2 == 0:
                scene = scene.add(Video(f"https://example.com/clip{j}.mp4").volume(0.5).seek(2))
            else:
                scene = scene.add(
                    Text(f"Caption {i}.{j}")
                    .style("003")
                    .position("center-center")
                    .start(1)
                    .duration(4)
                )
        movie = movie.add(scene)
    return movie


def add_one_by_one(count: int) -> None:
    scene = Scene()
    element = Text("x")
    for _ in range(count):
        scene = scene.add(element)
    assert len(scene.elements) == count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 scenes, fewer repeats")
    args = parser.parse_args()
    scenes = 100 if args.quick else 1000
    # Many rounds: each figure is the best of them, so one quiet moment per pipeline suffices.
    repeat = 3 if args.quick else 15
    careful_repeat = 1 if args.quick else 3  # about 5 s a run

    assert fluent_movie(3).to_dict() == literal_document(3), "pipelines must build the same JSON"
    assert json.loads(fluent_movie(3).to_json()) == literal_document(3)
    careful_validator = jsonschema.Draft202012Validator(load_schema())
    doc = literal_document(scenes)

    careful = best_of(
        lambda: (careful_validator.validate(d := literal_document(scenes)), json.dumps(d)),
        careful_repeat,
    )
    best = best_of_each(
        {
            "floor": lambda: json.dumps(literal_document(scenes)),
            "fluent": lambda: fluent_movie(scenes).to_json(),
            "fluent+dumps": lambda: json.dumps(fluent_movie(scenes).to_dict()),
            "dumps": lambda: json.dumps(doc),
            "validate": lambda: validate(doc),
        },
        repeat,
    )
    floor, fluent, fluent_dumps, dumps_only, validate_only = (
        best["floor"],
        best["fluent"],
        best["fluent+dumps"],
        best["dumps"],
        best["validate"],
    )
    add_small = best_of(lambda: add_one_by_one(1_000), repeat)
    add_large = best_of(lambda: add_one_by_one(10_000), repeat)

    rows = [
        ("floor: dict literals + json.dumps", floor, floor),
        ("careful: literals + jsonschema + dumps", careful, floor),
        ("fluent: builders + to_json() (validates)", fluent, floor),
        ("  (info) builders + to_dict() + json.dumps", fluent_dumps, floor),
        ("json.dumps alone", dumps_only, dumps_only),
        ("moviekit.validate alone", validate_only, dumps_only),
        ("add 1,000 elements one by one", add_small, add_small),
        ("add 10,000 elements one by one", add_large, add_small),
    ]
    print(f"{scenes} scenes x 10 elements, best of {repeat} (careful: best of {careful_repeat})")
    print(f"{'pipeline':46} {'ms':>9} {'ratio':>8}  vs")
    for name, seconds, base in rows:
        base_name = {floor: "floor", dumps_only: "json.dumps", add_small: "1,000 adds"}[base]
        print(f"{name:46} {seconds * 1000:9.1f} {seconds / base:8.2f}  {base_name}")

    checks = {
        "fluent within 4x the floor": fluent <= 4 * floor,
        "fluent at least 10x faster than careful": careful >= 10 * fluent,
        "validation no slower than json.dumps": validate_only <= dumps_only,
        "10x the adds costs under 20x the time (not quadratic)": add_large <= 20 * add_small,
    }
    print()
    for name, passed in checks.items():
        print(f"{'PASS' if passed else 'FAIL'}  {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
