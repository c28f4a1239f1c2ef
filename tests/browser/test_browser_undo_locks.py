"""In a real browser: a coordinator undoes a batch after reading its preview, locks a period
that an admin then unlocks with a reason, and round-trips the Spanish entry template; each
time the audit trail names the person signed in."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from factories import wait_until, write_workbook

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def signed_in(browser: Any, base: str, email: str, width: int = 1280) -> Any:
    """A fresh page (its own cookies) with ``email`` signed in."""
    page = browser.new_context(viewport={"width": width, "height": 1000},
                               accept_downloads=True).new_page()
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
    """Pick the option of a searchable dropdown that matches ``words``."""
    page.click(f"#{dropdown}")
    page.keyboard.type(words)
    page.get_by_role("option", name=re.compile(re.escape(words))).first.click()


def upload_and_commit(page: Any, base: str, book: Path, lang: str = "") -> str:
    """Upload a workbook, commit it, and return the new batch's id."""
    page.goto(f"{base}/upload{lang}")
    page.set_input_files("#upload-file input[type=file]", str(book))
    page.wait_for_selector("#upload-summary", timeout=30_000)
    page.click("#upload-commit")
    page.wait_for_selector("#commit-success", timeout=30_000)
    assert page.locator("#upload-summary").count() == 0  # the dry run's box is gone
    return page.inner_text("#committed-batch")


def batch_facts(page: Any, base: str, batch: str) -> str:
    page.goto(f"{base}/batches/{batch}")
    page.wait_for_selector("#batch-table")
    return page.inner_text("main") if page.locator("main").count() else page.inner_text("body")


def test_a_coordinator_previews_then_confirms_an_undo(browser: Any, live_url: str,
                                                      tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "figures.xlsx", {"observations": [
        {"indicator": "grad_rate", "period": "2023-24", "value": 83.4}]})
    page = signed_in(browser, live_url, "coord@example.org")
    batch = upload_and_commit(page, live_url, book)
    page.click("#committed-batch")
    page.wait_for_selector("#undo-button")
    page.click("#undo-button")
    page.wait_for_selector("#undo-preview table")
    preview = page.inner_text("#undo-preview")
    assert "High school graduation rate · School year 2023-24 · Total" in preview
    assert "83.4" in preview and "82.1" in preview and "{}" not in preview
    assert page.is_visible("#undo-confirm")
    page.click("#undo-confirm")
    page.wait_for_selector("#undo-new-batch", timeout=30_000)
    new = page.inner_text("#undo-new-batch")
    assert new != batch
    facts = batch_facts(page, live_url, new)
    assert "coord@example.org" in facts and "undo" in facts
    assert f"undo of batch {batch}" in facts
    assert page.errors == []


def test_a_coordinator_locks_and_an_admin_unlocks_with_a_reason(browser: Any,
                                                               live_url: str) -> None:
    coordinator = signed_in(browser, live_url, "coord@example.org")
    coordinator.goto(f"{live_url}/locks")
    coordinator.wait_for_selector("#lock-button")
    coordinator.fill("#lock-period", "2023-24")
    choose(coordinator, "lock-indicator", "High school")
    coordinator.click("#lock-button")
    wait_until(coordinator, "document.querySelector('#lock-result').innerText.includes("
                            "'locked 2023-24 for 1 indicator')")
    assert "coord@example.org" in coordinator.inner_text("#lock-table")
    coordinator.click("#lock-button")
    wait_until(coordinator, "document.querySelector('#lock-result').innerText.includes("
                            "'already locked')")
    assert coordinator.locator("#unlock-button").count() == 0  # admins only

    admin = signed_in(browser, live_url, "admin@example.org")
    admin.goto(f"{live_url}/locks")
    admin.wait_for_selector("#unlock-button")
    choose(admin, "unlock-choice", "High school")
    admin.fill("#unlock-reason", "the state revised the count")
    admin.click("#unlock-button")
    wait_until(admin, "document.querySelector('#unlock-result').innerText.includes("
                      "'as admin@example.org')")
    admin.goto(f"{live_url}/history")
    admin.wait_for_selector("#batch-list")
    rows = admin.inner_text("#batch-list")
    assert re.search(r"admin@example\.org\s+form\s+unlock grad_rate 2023-24", rows), rows
    assert re.search(r"coord@example\.org\s+form\s+lock 2023-24", rows), rows
    assert coordinator.errors == [] and admin.errors == []


def test_the_spanish_template_round_trip(browser: Any, live_url: str, tmp_path: Path) -> None:
    page = signed_in(browser, live_url, "coord@example.org")
    page.goto(f"{live_url}/upload?lang=es")
    page.wait_for_selector("#template-button")
    page.fill("#template-period", "2024-25")
    with page.expect_download() as info:
        page.click("#template-button")
    path = tmp_path / "plantilla.xlsx"
    info.value.save_as(path)
    book = openpyxl.load_workbook(path)
    sheet = book["observaciones"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["indicador", "periodo", "valor"]
    sheet.cell(2, 3, 82.3)
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    batch = upload_and_commit(page, live_url, path, "?lang=es")
    assert "Importado" in page.inner_text("#commit-success")
    facts = batch_facts(page, live_url, batch)
    assert "coord@example.org" in facts and "subida" in facts
    assert page.errors == []
