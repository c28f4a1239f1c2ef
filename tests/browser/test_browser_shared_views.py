"""In a real browser: a shared address opens the view it names (the group chosen), changing
a choice rewrites the address, and only embed pages can be shown in another site's frame."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from factories import wait_until

pytestmark = pytest.mark.browser


@pytest.fixture
def tab(browser: Any) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, errors


def test_a_shared_address_opens_the_group_it_names(tab: Any, live_url: str) -> None:
    tab.goto(f"{live_url}/indicators/grad_rate?where=city=Altadena")
    tab.wait_for_selector("#curve-graph .main-svg")
    assert "City: Altadena" in tab.inner_text("#series-dropdown")
    assert "City: Altadena" in tab.inner_text("#indicator-latest")
    assert "77.1%" in tab.inner_text("#curve-table")
    # Choosing a forecast method puts it in the address, beside the group.
    tab.click("#curve-method")
    tab.click("text=Linear trend")
    wait_until(tab, "() => window.location.search.includes('method=linear')")
    assert "where=city=Altadena" in tab.url
    # ...and that address, opened afresh, shows the same view.
    shared = tab.url
    tab.goto("about:blank")
    tab.goto(shared)
    tab.wait_for_selector("#curve-graph .main-svg")
    assert "Linear trend" in tab.inner_text("#curve-method")
    assert "City: Altadena" in tab.inner_text("#series-dropdown")


def test_scorecard_filters_live_in_the_address(tab: Any, live_url: str) -> None:
    tab.goto(f"{live_url}/?lang=es")
    tab.wait_for_selector("#filter-city")
    tab.select_option("#filter-city", "Altadena")
    wait_until(tab, "() => window.location.search.includes('where=city=Altadena')")
    assert "lang=es" in tab.url  # the rest of the address is kept
    tab.goto(tab.url)
    tab.wait_for_selector("#filter-summary")
    assert tab.input_value("#filter-city") == "Altadena"
    assert "Altadena" in tab.inner_text("#filter-summary")


@pytest.fixture
def partner_site(live_url: str) -> Iterator[str]:
    """Another site (another origin: its own port) whose page frames an embed and a page."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    body = (f'<!DOCTYPE html><html><body><h1>A partner</h1>'
            f'<iframe id="embed" src="{live_url}/embed/indicators/no_such_code" '
            f'width="600" height="300"></iframe>'
            f'<iframe id="page" src="{live_url}/indicators/grad_rate" width="600" '
            f'height="300"></iframe></body></html>').encode()

    class Partner(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Partner)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_only_embeds_can_be_framed(tab: Any, partner_site: str) -> None:
    tab.goto(partner_site)
    tab.wait_for_timeout(3000)
    embed = tab.query_selector("#embed").content_frame()
    assert "This chart is not available" in embed.inner_text("body")
    page = tab.query_selector("#page").content_frame()
    assert page is None or "Scorecard" not in page.content()  # refused: an error page
