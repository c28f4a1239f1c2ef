"""In a real browser: a team member proposes a target and a coordinator accepts it; a
coordinator loads a program's performance measures in the entry grid and saves one."""

from __future__ import annotations

import re
from typing import Any

import pytest
from factories import wait_until

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def signed_in(browser: Any, base: str, email: str, width: int = 1280) -> Any:
    """A fresh page (its own cookies) with ``email`` signed in."""
    page = browser.new_context(viewport={"width": width, "height": 1000}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    page.goto(f"{base}/login")
    page.fill("#login-email", email)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#signed-in-as", state="attached")
    return page


def choose(page: Any, dropdown: str, words: str) -> None:
    """Pick the option of a searchable dropdown that matches ``words``.

    Waits for that option to be listed: options filled by a callback may arrive after the
    typing, and Enter alone would pick whatever came first.
    """
    page.click(f"#{dropdown}")
    page.keyboard.type(words)
    page.get_by_role("option", name=re.compile(re.escape(words))).first.click()


def test_a_member_proposes_and_a_coordinator_accepts(browser: Any, live_url: str) -> None:
    member = signed_in(browser, live_url, "member@example.org")
    member.goto(f"{live_url}/targets")
    member.wait_for_selector("#targets-propose")
    assert member.locator("#targets-decide").count() == 0  # members do not decide
    choose(member, "targets-indicator", "High school")
    wait_until(member,
        "document.querySelector('#targets-period-hint').innerText.includes('School year')")
    choose(member, "targets-group", "Altadena")
    member.fill("#targets-period", "2027-28")
    member.fill("#targets-value", "86.5")
    member.fill("#targets-rationale", "Credit recovery now reaches every senior")
    member.click("#targets-propose")
    member.wait_for_selector("#proposal-made")
    mine = member.inner_text("#targets-mine")
    assert "Waiting for a decision" in mine and "86.5%" in mine and "City: Altadena" in mine
    assert member.errors == []

    coordinator = signed_in(browser, live_url, "coord@example.org")
    coordinator.goto(f"{live_url}/targets")
    coordinator.wait_for_selector("#targets-pending")
    pending = coordinator.inner_text("#targets-pending")
    assert "member@example.org" in pending and "Credit recovery" in pending
    coordinator.fill("#targets-reason", "Agreed at the March meeting")
    coordinator.click("#targets-decide")
    coordinator.wait_for_selector("#decision-made")
    assert "Accepted #1" in coordinator.inner_text("#decision-made")
    recent = coordinator.inner_text("#targets-recent")
    assert "Accepted" in recent and "Agreed at the March meeting" in recent
    assert "No proposal is waiting" in coordinator.inner_text("#targets-review")
    assert coordinator.errors == []

    member.reload()
    member.wait_for_selector("#targets-mine")
    mine = member.inner_text("#targets-mine")
    assert "Accepted" in mine and "Agreed at the March meeting" in mine


def test_a_viewer_is_refused_the_targets_page(browser: Any, live_url: str) -> None:
    viewer = signed_in(browser, live_url, "viewer@example.org")
    viewer.goto(f"{live_url}/targets")
    viewer.wait_for_selector("#access-refused")
    assert viewer.locator("#targets-propose").count() == 0


def test_the_program_grid_renders_checks_and_saves(browser: Any, live_url: str,
                                                   sqlite_url: str) -> None:
    from factories import seed_program

    from rba.store import connect, session_scope

    with session_scope(connect(sqlite_url)) as session:
        seed_program(session)
    page = signed_in(browser, live_url, "coord@example.org")
    page.goto(f"{live_url}/entry")
    page.wait_for_selector("#entry-load")
    choose(page, "entry-program", "Summer")
    page.fill("#entry-period", "2025-Q1")
    page.click("#entry-load")
    page.wait_for_selector("#entry-grid .ag-row")
    grid = page.inner_text("#entry-grid")
    for words in ("Performance measure", "Students served", "How much did we do?",
                  "Is anyone better off?", "92.0%"):
        assert words in grid
    assert "3 rows to enter" in page.inner_text("#entry-status")
    better = ("#entry-grid .ag-center-cols-container .ag-row[row-index='2'] "
              "[col-id='value']")
    page.click(better)
    page.keyboard.type("145")
    page.keyboard.press("Enter")
    page.wait_for_selector("#entry-grid .rba-cell-problem")
    assert "a percent lies between 0 and 100" in page.inner_text("#entry-status")
    page.click(better)
    page.keyboard.press("Control+A")
    page.keyboard.type("64")
    page.keyboard.press("Enter")
    wait_until(page,
        "!document.querySelector('#entry-status').innerText.includes('problem')")
    page.click("#entry-save")
    page.wait_for_selector("#save-result")
    assert "Saved 1 row as batch" in page.inner_text("#save-result")
    assert page.errors == []
