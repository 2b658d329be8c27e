"""Natural lengths measured from the media, with why the rest could not be.

The local preview reads them with ffmpeg (``preview.probe_lengths``, and
``movie.timeline(probe=True)``); the value lives here, on the timing layer, so
that a :class:`~moviekit.Timeline` can say why each length it still lacks is
unknown, without knowing how lengths are measured.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

__all__ = ["ProbedLengths"]


class ProbedLengths(Mapping[str, float]):
    """``src -> seconds`` for every video and audio file that could be read.

    A read-only mapping, so ``movie.timeline(lengths=probed)`` takes it as is.
    ``reasons`` maps the path of each element whose natural length is still
    unknown (``scenes[0].elements[1]``) to why: the file could not be read, the
    URL was unreachable, the ``src`` is decided by variables, or only the service
    can know it (a synthesised voice). A timeline made with it lists the reasons
    it depends on in ``timeline.not_probed``.
    """

    def __init__(self, lengths: Mapping[str, float], reasons: Mapping[str, str]) -> None:
        self._lengths = dict(lengths)
        self.reasons: Mapping[str, str] = dict(reasons)

    def __getitem__(self, src: str) -> float:
        return self._lengths[src]

    def __iter__(self) -> Iterator[str]:
        return iter(self._lengths)

    def __len__(self) -> int:
        return len(self._lengths)

    def __repr__(self) -> str:
        return f"ProbedLengths({self._lengths!r}, reasons={dict(self.reasons)!r})"
