"""Templates in git: pull a saved template to a file, review a change as a diff, push it back.

A team keeps its JSON2Video templates next to its code. ``movie`` is the
template's design (a movie with ``{{placeholders}}`` and default variables).
The workflow, in the shell a CI job or a teammate runs::

    moviekit templates push templates/weekly.json --save-id   # the first time: creates it
    moviekit templates pull ID -o templates/weekly.json       # the service's version, as a file
    git diff templates/weekly.json                             # review it like code
    moviekit templates diff templates/weekly.json              # what would change, by JSON path
    moviekit templates push templates/weekly.json              # update the template

Run it:  python cookbook/templates_in_git.py
It runs those commands against a local FakeJSON2Video (no key, no credits) in a
temporary folder, edits the file in between, and prints what each one says.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from moviekit import Client, Movie, Scene, Text, Var

#: running this file talks to the local fake service (the cookbook tests know it)
RENDERS_AGAINST_FAKE = True

movie = (
    Movie(resolution="full-hd")
    .variables(headline="This week", items=3)
    .add(
        Scene(duration=3, background_color="#14213D").add(
            Text(Var("headline")).style("003").position("center-center")
        ),
        Scene(duration=4, background_color="#FCA311").add(
            Text("{{items}} new arrivals").style("001").position("bottom-left")
        ),
    )
)


def moviekit(*args: str, env: dict[str, str]) -> str:
    """Run one ``moviekit`` command as a shell would; print and return what it said."""
    done = subprocess.run(
        [sys.executable, "-m", "moviekit", *args], capture_output=True, text=True, env=env
    )
    said = (done.stdout + done.stderr).strip("\n")
    print(f"$ moviekit {' '.join(args)}\n{said}\n")
    return done.stdout.strip()


def main() -> str:
    """Push, pull, edit, diff and push again; return the diff the review saw."""
    from moviekit.testing import FakeJSON2Video

    with FakeJSON2Video() as server, tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "JSON2VIDEO_API_KEY": server.api_key,
               "JSON2VIDEO_BASE_URL": server.base_url}  # fmt: skip
        path = Path(folder) / "weekly.json"
        path.write_text(json.dumps({"name": "Weekly picks", "tags": ["weekly"],
                                    "movie": movie.to_dict()}, indent=2))  # fmt: skip
        template_id = moviekit("templates", "push", str(path), "--save-id", env=env)
        moviekit("templates", "pull", template_id, "-o", str(path), env=env)

        # A teammate's change: a longer second scene and a sharper headline.
        data = json.loads(path.read_text())
        data["movie"]["scenes"][1]["duration"] = 5
        data["movie"]["variables"]["headline"] = "Picked for you"
        path.write_text(json.dumps(data, indent=2))

        diff = moviekit("templates", "diff", str(path), env=env)
        moviekit("templates", "push", str(path), env=env)
        moviekit("templates", "diff", str(path), env=env)  # in step again
        with Client(api_key=server.api_key, base_url=server.base_url) as client:
            saved = client.templates.get(template_id).movie
        assert saved is not None and saved["scenes"][1]["duration"] == 5
    return diff


if __name__ == "__main__":
    main()
