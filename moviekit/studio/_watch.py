"""Watch the files a studio build used, and call back when one of them changes.

Built on ``watchfiles`` (the ``studio`` extra): the operating system's own
change notifications (inotify, FSEvents, ReadDirectoryChangesW) through Rust's
``notify``, with a debounce that turns an editor's save (often a write, a
rename and a metadata change) into one change set. Folders are watched rather
than files: an editor that saves by renaming a new file over the old one
replaces the file a file watch would follow.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from moviekit._errors import StudioError

INSTALL_HINT = 'pip install "moviekit-json2video[studio]"'


def _watchfiles() -> object:
    try:
        import watchfiles
    except ImportError:
        raise StudioError(f"the studio watches files with watchfiles: {INSTALL_HINT}") from None
    return watchfiles


class Watcher:
    """Calls ``on_change(changed files)`` when any file in :meth:`follow`'s set changes."""

    def __init__(self, on_change: Callable[[set[Path]], None], *, debounce_ms: int = 200) -> None:
        _watchfiles()  # fail at once, with the install hint
        self.on_change = on_change
        self.debounce_ms = debounce_ms
        self._files: frozenset[Path] = frozenset()
        self._folders: frozenset[Path] = frozenset()
        self._lock = threading.Lock()
        self._restart = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="moviekit-watch", daemon=True)

    def follow(self, files: Iterable[Path]) -> None:
        """Watch these files from now on (their folders; a missing folder is skipped)."""
        resolved = frozenset(Path(f).resolve() for f in files)
        folders = frozenset(f.parent for f in resolved if f.parent.is_dir())
        with self._lock:
            self._files = resolved
            if folders != self._folders:
                self._folders = folders
                self._restart.set()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop watching; returns when the thread has ended (it looks every ``step``, 50 ms)."""
        # Under the lock: the thread reads "stopped?" and clears the restart event under
        # it too, so it can never clear the event this sets and go on watching for good.
        with self._lock:
            self._stopped.set()
            self._restart.set()
        if self._thread.ident is not None:  # started (stop may come first: Ctrl-C)
            self._thread.join(timeout=10)

    def _run(self) -> None:
        import watchfiles

        while True:
            with self._lock:
                if self._stopped.is_set():
                    return
                folders = sorted(self._folders)
                self._restart.clear()
            if not folders:
                self._restart.wait()
                continue
            for changes in watchfiles.watch(
                *folders,
                recursive=False,
                debounce=self.debounce_ms,
                step=50,
                stop_event=self._restart,
                raise_interrupt=False,
            ):
                with self._lock:
                    files = self._files
                hit = {Path(p).resolve() for _, p in changes} & files
                if hit:
                    self.on_change(hit)
