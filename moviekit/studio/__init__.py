"""The studio: see a movie while you write it, review a batch, show a movie in a notebook.

* ``moviekit studio SCRIPT`` serves a page on 127.0.0.1 with the draft video, the
  timeline (a playhead follows the video), the storyboard, the problems and the
  cost, and renders again, scene by scene, whenever the script or its media
  change (``_session.Studio`` builds, ``_server`` serves, ``_watch`` watches;
  needs ``pip install "moviekit-json2video[studio]"``).
* ``moviekit batch review`` writes one static HTML page about a batch: a row per
  batch row with its status, a thumbnail, its URL or error and its cost
  (``_review``).
* :func:`movie_html` is a movie's notebook view (timeline, storyboard, problems): what
  ``Movie._repr_html_`` shows; it lives with the builders (it is re-exported here).

The top layer, beside the command line: it may import every layer below.
Importing it needs no extra: the watcher's dependency is imported when a
studio starts.
"""

from __future__ import annotations

from moviekit.builders._movie import movie_html

__all__ = ["movie_html"]
