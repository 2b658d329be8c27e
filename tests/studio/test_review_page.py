"""``moviekit batch review``: one static page from a real ledger, opened from disk in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.browser import browser, console_errors
from support.review import make_batch
from typer.testing import CliRunner

from moviekit.cli import app
from moviekit.studio._review import ReviewRow, review_html

pytest.importorskip("imageio_ffmpeg", reason="needs moviekit-json2video[preview]")


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    yield from browser()


@pytest.fixture()
def batch_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A template, its rows and a ledger in every state (written through the Ledger API)."""
    monkeypatch.setenv("MOVIEKIT_CACHE_DIR", str(tmp_path / "cache"))
    make_batch(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_review_page_in_a_browser(driver: Any, batch_dir: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "batch",
            "review",
            "promo.py",
            "rows.csv",
            "--key",
            "sku",
            "--ledger",
            "ledger.db",
            "-o",
            "out/review.html",
        ],
    )
    assert result.exit_code == 0, result.output
    page = batch_dir / "out" / "review.html"
    assert result.output.strip().endswith(str(Path("out") / "review.html"))
    driver.get(page.as_uri())
    rows = driver.find_elements("css selector", "#rows tbody tr")
    got = {r.get_attribute("data-key"): r.get_attribute("data-status") for r in rows}
    assert got == {"A": "done", "B": "failed", "C": "done", "D": "pending", "E": "invalid"}

    def cell(key: str, name: str) -> Any:
        return driver.find_element("css selector", f"tr[data-key='{key}'] td.{name}")

    assert cell("A", "outcome").find_element("tag name", "a").get_attribute("href") == (
        "https://cdn.example.com/a.mp4"
    )
    assert cell("B", "outcome").find_element("css selector", "code.path").text == (
        "scenes[0].elements[0].src"
    )
    assert "payload changed since submit" in cell("C", "status").text
    assert "payload changed" not in cell("A", "status").text
    assert cell("E", "outcome").find_element("css selector", "code.path").text == (
        "rows[4].seconds"
    )
    assert cell("E", "outcome").text == "rows[4].seconds 'ten' is not a number"
    assert cell("B", "cost").text == "2 credits (2 s x 1/s)"
    for key in "ABCD":  # a frame of each buildable row's own movie
        image = cell(key, "thumb").find_element("tag name", "img")
        assert driver.execute_script("return arguments[0].naturalWidth", image) == 192
    assert cell("E", "thumb").find_elements("tag name", "img") == []
    assert driver.find_element("id", "again").get_attribute("value").split("\n") == ["B", "C", "E"]

    driver.find_element("css selector", "input.filter[value='done']").click()
    shown = [r.get_attribute("data-key") for r in rows if r.is_displayed()]
    assert shown == ["B", "D", "E"]
    driver.find_element("id", "copy").click()
    assert console_errors(driver) == []


def test_review_needs_a_ledger(batch_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["batch", "review", "promo.py", "rows.csv", "--ledger", "nope.db"]
    )
    assert result.exit_code == 2
    assert "no ledger at nope.db; run `moviekit batch run` first" in result.output
    assert not (batch_dir / "nope.db").exists()


def test_a_broken_template_script_is_one_line(batch_dir: Path) -> None:
    (batch_dir / "promo.py").write_text("import nothing_here\n")
    result = CliRunner().invoke(
        app, ["batch", "review", "promo.py", "rows.csv", "--ledger", "ledger.db"]
    )
    assert result.exit_code == 1
    assert (
        "error: promo.py, line 1: ModuleNotFoundError: No module named 'nothing_here'"
        in result.output
    )


_TEXT = st.text(max_size=30)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.builds(
            ReviewRow,
            _TEXT,
            _TEXT,
            st.none() | _TEXT,
            st.none() | _TEXT,
            st.booleans(),
            _TEXT,
            st.none(),
            _TEXT,
        ),
        max_size=5,
    )
)
def test_any_ledger_text_is_escaped(rows: list[ReviewRow]) -> None:
    page = review_html(rows, title="<t>")
    assert "<script>" not in page.replace("<script>\nfunction applyFilters", "", 1)
    assert page.count("<tr ") == len(rows)
