"""In a real browser at phone and laptop widths: no page scrolls sideways (wide tables
scroll inside their own labelled box), and the signed-in navbar stays on one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from factories import wait_until

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def signed_in(browser: Any, base: str, width: int, lang: str) -> Any:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{base}/login?lang={lang}")
    page.fill("#login-email", "coord@example.org")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#signed-in-as", state="attached")
    return page


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_page_scrolls_sideways_at_390_px(browser: Any, live_url: str, tmp_path: Path,
                                            lang: str) -> None:
    page = signed_in(browser, live_url, 390, lang)
    for path in ("/entry", "/targets", "/teams/academics", "/indicators/grad_rate"):
        page.goto(f"{live_url}{path}")
        page.wait_for_selector("main h1")
        assert page.evaluate(SIDEWAYS) <= 0, path
    page.goto(f"{live_url}/upload")
    bad = tmp_path / "observations.csv"
    bad.write_text("indicator,period,value,city\ngrad_rate,2024-25,abc,Altadena\n"
                   "grad_rate,2024-25,82.5,Pasadena\n")
    page.set_input_files("#upload-file input[type=file]", str(bad))
    page.wait_for_selector("#upload-problems")
    assert page.evaluate(SIDEWAYS) <= 0
    # The changes table scrolls in its own labelled, focusable box, with the hint shown.
    region = page.locator("#upload-changes [role=region]")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
    assert page.locator("#upload-changes .scroll-hint").is_visible()
    # Each problem reads as a block, what was expected on screen.
    expected = page.locator("#upload-problems td").last
    box = expected.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_signed_in_navbar_is_one_line_at_1280_px(browser: Any, live_url: str,
                                                      lang: str) -> None:
    page = signed_in(browser, live_url, 1280, lang)
    wait_until(page, "document.getElementById('sign-out') !== null")
    assert page.evaluate("document.getElementById('navbar').offsetHeight") < 70
    assert page.evaluate(SIDEWAYS) <= 0
    for link in ("Enter data", "Ingresar datos", "Sign out", "Cerrar sesión"):
        found = page.get_by_text(link, exact=True)
        if found.count():
            assert found.first.evaluate("e => e.getClientRects().length") == 1, link
