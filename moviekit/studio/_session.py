"""The studio's work: load the script, render the draft, publish what the page shows.

:class:`Studio` owns one worker thread. Each build runs the script, validates
the movie, probes its media for an exact timeline, renders the draft (the
preview's scene cache makes an edit to one scene re-render only that scene)
and a storyboard, then publishes a new :class:`State`. A change that arrives
during a build starts one more build when it ends (changes are coalesced, not
queued). A script that raises publishes its one-line error instead; the last
good files stay on disk until the next good build replaces them.

:meth:`Studio.stop` (Ctrl-C) cancels a build in progress rather than waiting for
it: the preview kills its ffmpeg processes and starts no more, so the worker
ends within a fraction of a second. Only the user's own script cannot be
interrupted; ``stop`` waits :data:`STOP_WAIT` seconds for it, then leaves the
worker (a daemon thread) behind: the cancelled preview writes nothing more.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from moviekit import preview
from moviekit._errors import MoviekitError, StudioError
from moviekit.batch._rows import Row, read_rows
from moviekit.builders._html import cost_html, problems_html, unknown_lengths
from moviekit.builders._movie import Movie
from moviekit.preview._plan import substitute, walk_elements
from moviekit.service._src import is_local_source
from moviekit.studio._load import Loaded, load, one_line

#: files a build produced, by the name the page asks for (``draft-3.mp4``)
Files = dict[str, Path]
#: seconds :meth:`Studio.stop` waits for a worker still running the user's script
STOP_WAIT = 5.0


@dataclass(frozen=True)
class State:
    """What the page shows. ``seq`` grows with every change, ``version`` with every build."""

    seq: int = 0
    version: int = 0
    status: str = "starting"
    """``rendering``, ``ready`` or ``error``."""
    message: str = ""
    """Progress while rendering (``scene scenes[1] 3/7``)."""
    error: str = ""
    """The one-line error of the last build, when it failed."""
    title: str = ""
    draft: str | None = None
    storyboard: str | None = None
    total: float | None = None
    exact: bool = False
    timeline_svg: str = ""
    cost: str = ""
    problems: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    row: int | None = None
    render_seconds: float | None = None
    cached: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Studio:
    """Builds drafts of one script on demand; thread-safe; see the module docs.

    Args:
        script: a ``.py`` script (or ``.json`` movie).
        name: the variable to use (``recipe.py:NAME``), else ``movie``/``template``.
        rows: a ``.csv``/``.json``/``.jsonl`` file of rows for a template script.
        key: the column that names a row (else its position).
        workdir: where drafts and storyboards are written (a folder the caller owns).
        cache_dir: the preview's cache (default: its own default).
        quality: the drafts' quality (default: the movie's).
    """

    def __init__(
        self,
        script: Path,
        *,
        name: str = "",
        rows: Path | None = None,
        key: str | None = None,
        row: int = 0,
        workdir: Path,
        cache_dir: Path | None = None,
        quality: str | None = None,
        fetch_timeout: float = 5.0,
    ) -> None:
        self.script = script.resolve()
        self.name = name
        self.rows_file = rows.resolve() if rows is not None else None
        self.key = key
        self.workdir = workdir
        self.cache_dir = cache_dir or preview.default_cache_dir()
        self.quality = quality
        self.fetch_timeout = fetch_timeout
        self.root = self.script.parent  # the media root: relative paths are read from here
        self._row = row
        self._state = State(title=script.name)
        self._files: Files = {}
        self._watched: set[Path] = {self.script}
        self._changed = threading.Condition()
        self._dirty = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self.on_watch: Callable[[set[Path]], None] | None = None
        """Called with the files the last build used (the watcher follows them)."""

    # -- public ---------------------------------------------------------------------------

    @property
    def state(self) -> State:
        with self._changed:
            return self._state

    def file(self, name: str) -> Path | None:
        """A file a build published (``draft-3.mp4``), or None."""
        with self._changed:
            return self._files.get(name)

    @property
    def watched(self) -> set[Path]:
        """The script, the rows file and the local media of the last build."""
        with self._changed:
            return set(self._watched)

    def start(self) -> None:
        """Start the worker and the first build."""
        self._thread = threading.Thread(target=self._work, name="moviekit-studio", daemon=True)
        self._thread.start()
        self.rebuild()

    def stop(self) -> None:
        """Stop the worker, cancelling a render in progress, and wake every waiter.

        Returns once the worker has ended (at most :data:`STOP_WAIT` seconds, the
        time the user's script, which nothing can interrupt, is given to return).
        """
        self._stopped.set()  # also the preview's cancel switch: its ffmpeg jobs end now
        self._dirty.set()
        with self._changed:
            self._changed.notify_all()
        if self._thread is not None and self._thread.ident is not None:
            self._thread.join(timeout=STOP_WAIT)

    def rebuild(self) -> None:
        """Ask for a build (one more build if one is running)."""
        self._dirty.set()

    def select_row(self, index: int) -> None:
        """Show the draft of row ``index`` of a template script."""
        with self._changed:
            self._row = index
        self.rebuild()

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the state's ``seq`` differs from ``seen`` (or ``timeout``); return it."""
        with self._changed:
            self._changed.wait_for(
                lambda: self._state.seq != seen or self._stopped.is_set(), timeout
            )
            return self._state.seq

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    # -- work -----------------------------------------------------------------------------

    def _publish(self, **changes: Any) -> None:
        with self._changed:
            self._state = replace(self._state, seq=self._state.seq + 1, **changes)
            self._changed.notify_all()

    def _work(self) -> None:
        while True:
            self._dirty.wait()
            if self._stopped.is_set():
                return
            self._dirty.clear()
            self.build()

    def build(self) -> None:
        """One build (the worker calls it; tests and benchmarks may call it directly)."""
        version = self._state.version + 1
        self._publish(status="rendering", message="running the script", error="")
        started = time.perf_counter()
        try:
            movie, rows, row = self._movie()
            self._follow(movie)
            self._publish(message="checking and timing", rows=rows, row=row)
            report = movie.validate()
            probed = preview.probe_lengths(
                movie,
                base_dir=self.root,
                cache_dir=self.cache_dir,
                fetch_timeout=self.fetch_timeout,
                cancel=self._stopped,
            )
            timeline = movie.timeline(lengths=probed)
            draft = self.workdir / f"draft-{version}.mp4"
            board = self.workdir / f"storyboard-{version}.png"

            def progress(done: int, total: int, what: str) -> None:
                self._publish(message=f"{what} ({done}/{total})")

            result = preview.render(
                movie,
                draft,
                base_dir=self.root,
                cache_dir=self.cache_dir,
                quality=self.quality,
                fetch_timeout=self.fetch_timeout,
                on_progress=progress,
                cancel=self._stopped,
            )
            self._publish(message="storyboard")
            preview.storyboard(
                movie,
                board,
                thumb_width=240,
                columns=6,
                base_dir=self.root,
                cache_dir=self.cache_dir,
                fetch_timeout=self.fetch_timeout,
                cancel=self._stopped,
            )
        except MoviekitError as exc:
            self._fail(version, str(exc))
            return
        except Exception as exc:  # the user's code raised while we built its movie
            self._fail(version, one_line(exc, self.script))
            return
        unknown = unknown_lengths(timeline)
        with self._changed:
            old = dict(self._files)
            self._files = {draft.name: draft, board.name: board}
        self._publish(
            version=version,
            status="ready",
            message="",
            error="",
            draft=f"/files/{draft.name}",
            storyboard=f"/files/{board.name}",
            total=timeline.total,
            exact=timeline.exact,
            # The draft's own timeline, so the playhead follows the video; where lengths
            # are unknown it holds the draft's assumptions (listed under the problems).
            timeline_svg=result.timeline.to_svg(width=1000),
            cost=cost_html(timeline)
            + (
                ""
                if timeline.exact
                else f'<p class="muted">the draft runs {result.duration:g} s: it assumes the '
                "lengths only the service knows (see the problems)</p>"
            ),
            problems=problems_html(report, result.report.approximations, unknown),
            render_seconds=round(time.perf_counter() - started, 2),
            cached=f"{result.cached}/{result.jobs}",
        )
        for path in old.values():  # the page has switched to the new files
            path.unlink(missing_ok=True)

    def _fail(self, version: int, error: str) -> None:
        self._publish(version=version, status="error", message="", error=error, draft=None)

    def _movie(self) -> tuple[Movie, list[dict[str, Any]], int | None]:
        loaded = load(self.script, self.name)
        if self.rows_file is None:
            if loaded.movie is None:
                raise StudioError(
                    f"{self.script.name} defines a template: pass the rows to draft one of "
                    f"(moviekit studio {self.script.name} --rows data.csv)"
                )
            return loaded.movie, [], None
        return self._row_movie(loaded)

    def _row_movie(self, loaded: Loaded) -> tuple[Movie, list[dict[str, Any]], int]:
        assert self.rows_file is not None
        if loaded.template is None:
            raise StudioError(
                f"{self.script.name} defines no template for the rows in {self.rows_file.name}: "
                "assign a MovieTemplate (or a function row -> Movie) to 'template'"
            )
        rows: list[Row] = read_rows(self.rows_file, key=self.key)
        if not rows:
            raise StudioError(f"{self.rows_file.name} holds no rows")
        with self._changed:
            index = min(max(self._row, 0), len(rows) - 1)
        listed = [{"index": r.index, "key": r.key} for r in rows]
        built = loaded.template.build(rows[index], validate_movie=False)
        if not built.ok or built.payload is None:
            first = built.problems[0] if built.problems else None
            detail = f"{first.path}: {first.message}" if first else "it cannot be built"
            raise StudioError(f"row {rows[index].key!r}: {detail}")
        return Movie.from_dict(built.payload), listed, index

    def _follow(self, movie: Movie) -> None:
        """Watch the script, the rows and every local file the movie uses."""
        files = {self.script}
        if self.rows_file is not None:
            files.add(self.rows_file)
        for _, props, scope in walk_elements(movie.to_dict(validate=False)):
            src = props.get("src")
            if isinstance(src, str) and is_local_source(src):
                path = Path(os.path.expanduser(substitute(src, scope)))
                files.add(path if path.is_absolute() else self.root / path)
        with self._changed:
            self._watched = files
        if self.on_watch is not None:
            self.on_watch(files)
