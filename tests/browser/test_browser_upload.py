"""In a real browser: a coordinator signs in, uploads a workbook, reads the dry run,
commits, and sees the indicator's chart change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from factories import wait_until

pytestmark = pytest.mark.browser

ACTUALS = """() => {
    const plot = document.querySelector('#curve-graph .js-plotly-plot');
    const actual = plot && plot._fullData && plot._fullData.find(t => t.name === 'Actual');
    return actual ? Array.from(actual.y).filter(v => v !== null && !Number.isNaN(v)) : null;
}"""


def actual_values(page: Any, base: str) -> list[float]:
    page.goto(f"{base}/indicators/grad_rate")
    wait_until(page, ACTUALS)
    return page.evaluate(ACTUALS)


def test_coordinator_uploads_checks_commits_and_sees_the_chart_change(
        browser: Any, live_url: str, tmp_path: Path) -> None:
    from factories import write_workbook

    book = write_workbook(tmp_path / "figures-2024-25.xlsx", {"observations": [
        {"indicator": "grad_rate", "period": "2024-25", "value": 83.4}]})
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    before = actual_values(page, live_url)
    assert 83.4 not in before

    page.goto(f"{live_url}/login")
    page.fill("#login-email", "coord@example.org")
    page.fill("#login-password", "correct horse battery")
    page.click("#login-submit")
    page.wait_for_selector("#signed-in-as")
    assert "coord@example.org" in page.inner_text("#signed-in-as")

    page.goto(f"{live_url}/upload")
    page.set_input_files("#upload-file input[type=file]", str(book))
    page.wait_for_selector(f"#{'upload-summary'}", timeout=30_000)
    summary = page.inner_text("#upload-summary")
    assert "observations" in summary and "Added" in summary
    assert "83.4" in page.inner_text("#upload-changes")
    assert "No problems found" in page.inner_text("#upload-result")

    page.click("#upload-commit")
    page.wait_for_selector("#commit-success", timeout=30_000)
    batch = page.inner_text("#committed-batch")
    assert batch and "Imported" in page.inner_text("#commit-success")

    after = actual_values(page, live_url)
    assert len(after) == len(before) + 1 and after[-1] == pytest.approx(83.4)  # new point
    assert "83.4%" in page.inner_text("#curve-table")


def test_a_signed_out_visitor_is_asked_to_sign_in(browser: Any, live_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{live_url}/upload")
    page.wait_for_selector("#sign-in-needed")
    page.click("#sign-in-needed a")
    page.wait_for_selector("#login-email")
    assert page.url.endswith("/login?next=/upload")
