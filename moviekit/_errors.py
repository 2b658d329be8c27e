"""The moviekit exception tree.

Every error moviekit raises on purpose derives from :class:`MoviekitError`, so
``except moviekit.MoviekitError`` catches all of them::

    MoviekitError
    ├── BuildError               a builder was given a bad value or an unknown name
    ├── MovieValidationError     the compiled document breaks the schema or a lint
    └── (transport errors)       defined below by the client

Messages say what is wrong, where (a JSON path such as
``scenes[1].elements[0].src``) and how to fix it. They never contain the API key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - imported for type hints only
    from moviekit._validate import Problem, ValidationReport


class MoviekitError(Exception):
    """Root of every exception moviekit raises on purpose."""


class BuildError(MoviekitError, ValueError):
    """A builder was given a value or a property name it cannot use.

    ``path`` names where in the movie the problem is, when it is known.
    """

    def __init__(self, message: str, *, path: str = "") -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class MovieValidationError(MoviekitError, ValueError):
    """The compiled Movie JSON breaks the bundled schema or a lint.

    ``report`` holds every problem found (``report.errors`` and
    ``report.warnings``); ``str()`` lists the errors grouped by path, most
    specific first.
    """

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(report.describe())

    @property
    def errors(self) -> list[Problem]:
        """The problems that made validation fail."""
        return list(self.report.errors)
