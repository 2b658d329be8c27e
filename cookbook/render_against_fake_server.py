"""Render a movie end to end against FakeJSON2Video, no credits spent.

Run: python cookbook/render_against_fake_server.py
Builds a small movie, starts the local fake service, submits, waits with
progress, downloads the MP4 and prints its URL and path.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from moviekit import Client, Movie, PollPolicy, Scene, Text
from moviekit.testing import FakeJSON2Video

#: running this file renders against the local fake service (the cookbook tests know it)
RENDERS_AGAINST_FAKE = True

movie = Movie(resolution="hd").add(
    Scene().add(Text("Hello from moviekit").duration(3)),
    Scene().add(Text("Rendered offline").duration(2)),
)


def main() -> Path:
    """Render ``movie`` on a local FakeJSON2Video and download the result."""
    # speed=20: a 4-second fake render takes 0.2 s of real time.
    with FakeJSON2Video(speed=20) as server:
        client = Client(
            api_key=server.api_key,
            base_url=server.base_url,
            # Faster than the service's 5 s floor: allowed only for loopback servers.
            poll_policy=PollPolicy.for_local_testing(interval=0.05),
        )
        render = client.render(
            movie,
            on_progress=lambda s: print(f"  {s.status:8} {s.progress or 0:5.1f}%"),
        )
        target = Path(tempfile.mkdtemp()) / "hello.mp4"
        render.download(target)
        print(render.url)
        print(f"saved {target} ({target.stat().st_size} bytes)")
        return target


if __name__ == "__main__":
    main()
