"""In a real browser: a coordinator compares the forecast methods on an indicator's page,
then agrees its baseline; the audit trail names the person signed in."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def test_a_coordinator_compares_then_agrees_a_baseline(browser: Any, live_url: str) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_url}/login")
    page.fill("#login-email", "coord@example.org")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#signed-in-as", state="attached")
    page.goto(f"{live_url}/indicators/grad_rate")
    page.wait_for_selector("#baseline-agreement", timeout=60_000)
    page.click("#baseline-agreement summary")  # the form folds away until asked for
    page.select_option("#baseline-through", "2022-23")
    page.click("#baseline-compare")
    page.wait_for_selector("#baseline-candidates table", timeout=60_000)
    compared = page.inner_text("#baseline-candidates")
    assert "linear" in compared.lower() or "lineal" in compared.lower()  # side by side
    page.fill("#baseline-note", "Agreed at the March meeting")
    page.click("#baseline-freeze")
    page.wait_for_selector("#baseline-result .alert", timeout=60_000)
    assert "Agreed 2 baselines on the history through School year 2022-23" in page.inner_text(
        "#baseline-result")
    page.goto(f"{live_url}/history")
    newest = page.locator("#batch-list tbody tr").first  # the newest batch: the agreement
    newest.wait_for(timeout=30_000)
    row = newest.inner_text()
    assert "coord@example.org" in row and "form" in row, row
    assert errors == []
