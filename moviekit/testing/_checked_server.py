"""``CheckedFakeJSON2Video``: the fake service plus a list of what a test expects of it.

What the ``moviekit_fake_server`` fixture yields. At the end of a test,
:meth:`CheckedFakeJSON2Video.problems` lists, in the spirit of pytest_httpx:

* **unexpected requests**: requests for an endpoint JSON2Video does not have
  (the code under test would fail against the real service too), and, once the
  test declared any :meth:`~CheckedFakeJSON2Video.expect`, every request that
  matches none of them;
* **unmet expectations**: an ``expect(..., times=n)`` that saw a different
  number of requests, or an ``expect(...)`` that saw none;
* **unused scripted responses**: faults given to :meth:`inject` that no
  request consumed (the test meant to exercise a failure that never happened).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moviekit._problems import shorten
from moviekit.testing._fake_base import JSONDict
from moviekit.testing._fake_server import FakeJSON2Video, Fault, RecordedRequest

__all__ = ["CheckedFakeJSON2Video", "Expectation"]

_BODY_PREVIEW = 80


@dataclass
class Expectation:
    """Requests a test expects: ``method`` and ``path`` (exact, or a prefix ending in ``/``)."""

    method: str
    path: str
    times: int | None = None
    """Exactly this many requests; ``None`` means at least one."""
    seen: int = 0

    def matches(self, method: str, path: str) -> bool:
        """True when a request with this method and path is one of these."""
        if self.method != "*" and self.method != method:
            return False
        return path == self.path or (self.path.endswith("/") and path.startswith(self.path))

    @property
    def full(self) -> bool:
        """True once ``times`` requests were seen (never, for "at least one")."""
        return self.times is not None and self.seen >= self.times

    @property
    def met(self) -> bool:
        """True when the number of requests seen is what the test asked for."""
        return self.seen >= 1 if self.times is None else self.seen == self.times

    def __str__(self) -> str:
        wanted = "at least once" if self.times is None else f"{self.times} time(s)"
        return f"{self.method} {self.path}: expected {wanted}, received {self.seen}"


def _request_line(method: str, path: str, query: Mapping[str, str]) -> str:
    text = "&".join(f"{k}={v}" for k, v in query.items())
    return f"{method} {path}{'?' + text if text else ''}"


def _describe_request(request: RecordedRequest) -> str:
    line = _request_line(request.method, request.path, request.query)
    if request.body and request.path.startswith("/v2/"):
        body = request.body.decode("utf-8", "replace")
        line += f"  body: {shorten(body, _BODY_PREVIEW)}"
    return line


def _describe_fault(fault: Fault, method: str | None, path: str | None, left: int) -> str:
    if fault.kind == "status":
        what = f"status {fault.status_code}"
        if fault.retry_after is not None:
            what += f" (Retry-After {fault.retry_after:g})"
    elif fault.kind == "slow":
        what = f"slow ({fault.delay:g} s)"
    else:
        what = fault.kind
    where = f"{method or 'any method'} {path or 'any path'}"
    return f"{what} for {where}: {left} of {fault.times} unused"


class CheckedFakeJSON2Video(FakeJSON2Video):
    """A :class:`FakeJSON2Video` that can say what went differently from the test's script.

    Use :meth:`expect` to declare the requests the code under test should make;
    :meth:`inject` (inherited) scripts failures. :meth:`problems` /
    :meth:`verify` report what did not go to plan (see the module docs).
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._expectations: list[Expectation] = []
        self._check_lock = threading.Lock()
        # Requests answered "Cannot <METHOD> <path>": no such endpoint.
        self._unrouted: list[tuple[str, str, dict[str, str]]] = []

    # ------------------------------------------------------------ script
    def expect(self, method: str, path: str, *, times: int | None = None) -> Expectation:
        """Declare requests the code under test must make.

        ``method`` is an HTTP method or ``"*"``; ``path`` is matched exactly or,
        when it ends in ``/``, as a prefix (``"/files/"`` covers every
        download). ``times=None`` means at least once. Once any expectation is
        declared, every request must match one.
        """
        if times is not None and times < 1:
            raise ValueError(f"times must be >= 1 or None (at least once), got {times}")
        expectation = Expectation(method.upper(), path, times)
        with self._check_lock:
            self._expectations.append(expectation)
        return expectation

    @property
    def expectations(self) -> list[Expectation]:
        """The expectations declared so far, with how many requests each received."""
        with self._check_lock:
            self._count()
            return list(self._expectations)

    # ------------------------------------------------------------ report
    def _count(self) -> list[RecordedRequest]:
        """Assign every recorded request to an expectation; return those that match none."""
        for expectation in self._expectations:
            expectation.seen = 0
        orphans: list[RecordedRequest] = []
        for request in list(self.requests):
            candidates = [e for e in self._expectations if e.matches(request.method, request.path)]
            if not candidates:
                orphans.append(request)
                continue
            # The first expectation with room takes it; once all are full, the first one
            # over-counts (and is reported as such).
            target = next((e for e in candidates if not e.full), candidates[0])
            target.seen += 1
        return orphans

    def unexpected_requests(self) -> list[str]:
        """Requests the test did not expect, one line each (see the module docs)."""
        with self._check_lock:
            orphans = self._count() if self._expectations else []
            unrouted = list(self._unrouted)
        lines = [f"{_describe_request(r)}  (matches no expect())" for r in orphans]
        counted = {(r.method, r.path) for r in orphans}
        lines.extend(
            f"{_request_line(method, path, query)}  (JSON2Video has no such endpoint)"
            for method, path, query in unrouted
            if (method, path) not in counted
        )
        return lines

    def unmet_expectations(self) -> list[str]:
        """Expectations that received a different number of requests than declared."""
        with self._check_lock:
            self._count()
            return [str(e) for e in self._expectations if not e.met]

    def unused_responses(self) -> list[str]:
        """Scripted faults that no request used, one line each."""
        # FakeJSON2Video.pending_faults drops the method / path a fault was
        # scripted for; the report needs them, so read the script itself.
        with self._lock:
            return [
                _describe_fault(s.fault, s.method, s.path, s.remaining)
                for s in self._faults
                if s.remaining > 0
            ]

    def problems(
        self, *, assert_all_expected: bool = True, assert_all_used: bool = True
    ) -> str | None:
        """A report of everything that did not go to plan, or ``None`` when all did."""
        # (title, singular for the count line, lines)
        sections: list[tuple[str, str, list[str]]] = []
        if assert_all_expected:
            sections.append(
                ("unexpected requests", "unexpected request", self.unexpected_requests())
            )
        if assert_all_used:
            sections.append(
                (
                    "expected requests that did not arrive as declared",
                    "unmet expectation",
                    self.unmet_expectations(),
                )
            )
            sections.append(
                ("unused scripted responses", "unused scripted response", self.unused_responses())
            )
        sections = [section for section in sections if section[2]]
        if not sections:
            return None
        counts = ", ".join(
            f"{len(lines)} {one if len(lines) == 1 else one + 's'}" for _, one, lines in sections
        )
        out = [f"FakeJSON2Video: {counts}"]
        for title, _, lines in sections:
            out.append(f"{title}:")
            out.extend(f"  {line}" for line in lines)
        return "\n".join(out)

    def verify(self, *, assert_all_expected: bool = True, assert_all_used: bool = True) -> None:
        """Raise ``AssertionError`` with :meth:`problems` when something did not go to plan."""
        __tracebackhide__ = True
        report = self.problems(
            assert_all_expected=assert_all_expected, assert_all_used=assert_all_used
        )
        if report:
            raise AssertionError(report)

    # ------------------------------------------------------------ hook
    def _route(
        self,
        method: str,
        path: str,
        q: Mapping[str, str],
        headers: Mapping[str, str],
        raw: bytes,
        *,
        late: bool = False,
    ) -> tuple[int, JSONDict | bytes, dict[str, str]]:
        answer = super()._route(method, path, q, headers, raw, late=late)
        status, body = answer[0], answer[1]
        # The fake answers an endpoint it does not know with 404 "Cannot METHOD path",
        # the service's own wording; that is the one answer that means "no such route".
        if (
            status == 404
            and isinstance(body, dict)
            and str(body.get("message", "")).startswith("Cannot ")
        ):
            with self._check_lock:
                self._unrouted.append((method, path, dict(q)))
        return answer
