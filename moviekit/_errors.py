"""The moviekit exception tree.

Every error moviekit raises on purpose derives from :class:`MoviekitError`, so
``except moviekit.MoviekitError`` catches all of them::

    MoviekitError
    ├── BuildError               a builder was given a bad value or name
    ├── MovieValidationError     the compiled document breaks the schema or a lint
    └── (transport errors)       see moviekit._client_errors once the client lands

Messages say what is wrong, where (a JSON path such as
``scenes[1].elements[0].src``) and how to fix it. They never contain the API key.
"""

from __future__ import annotations


class MoviekitError(Exception):
    """Root of every exception moviekit raises on purpose."""
