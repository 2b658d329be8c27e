"""Reading README.md for the tests that execute its code blocks."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")

#: sections whose blocks need their own set-up; each has a test module that runs them
OWN_TESTS = {
    "## See it before you pay for it": "tests/docs/test_preview_docs.py",
    "## The studio": "tests/docs/test_studio_docs.py",
    "## Many videos from data": "tests/docs/test_batch_docs.py",
    "## Testing your movies offline": "tests/docs/test_testing_docs.py",
    "## The whole loop offline": "tests/cli/test_fake_server_cli.py",
}


def sections() -> list[tuple[str, str]]:
    """``(heading, text)`` for every ``## `` section of the README, in order."""
    parts = re.split(r"(?m)^(?=## )", README)
    return [(part.splitlines()[0], part) for part in parts if part.startswith("## ")]


def section(prefix: str) -> str:
    """The text of the one section whose heading starts with ``prefix``."""
    (text,) = [text for heading, text in sections() if heading.startswith(prefix)]
    return text


def blocks(text: str) -> list[tuple[str, str, int]]:
    """``(language, code, line)`` of every fenced block in ``text`` (line within README)."""
    offset = README.index(text)
    return [
        (m.group(1), m.group(2), README[: offset + m.start()].count("\n") + 1)
        for m in re.finditer(r"```(\w+)\n(.*?)```", text, re.S)
    ]
