"""Every public page in a real browser, in English and Spanish, at desktop and phone widths:
it renders (charts drawn), logs no console error, and is saved as a full-page screenshot in
test-output/screenshots/ for people to look at. Also: the language switch and a filter."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from factories import wait_until

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
#: path, what must be drawn there, the screenshot's name; pages built in parallel are
#: visited only when registered.
PAGES = [
    ("/", "img.sparkline", "scorecard"),
    ("/results/R1", "img.sparkline", "result-R1"),
    ("/indicators/kinder_ready", ".js-plotly-plot .main-svg", "indicator"),
    ("/login", "#login-form", "login"),
    ("/teams/early-childhood", "main h1", "team"),
    ("/equity", "main h1", "equity"),
    ("/alignment", "main h1", "alignment"),
]


@pytest.fixture(scope="module")
def sample_site(sample_url: str) -> Iterator[str]:
    """The address of a dashboard serving the session's sample database (read-only)."""
    from werkzeug.serving import make_server

    from dashboards.app import create_app

    server = make_server("127.0.0.1", 0, create_app(sample_url).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def registered(path: str) -> bool:
    import dash

    prefix = "/" + path.strip("/").split("/")[0] if path != "/" else "/"
    return any(str(p.get("path_template") or p.get("path")).startswith(prefix)
               for p in dash.page_registry.values())


def open_page(browser: Any, url: str, width: tuple[int, int], lang: str
              ) -> tuple[Any, list[str]]:
    context = browser.new_context(viewport={"width": width[0], "height": width[1]})
    context.add_cookies([{"name": "rba_lang", "value": lang, "url": url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


def settle(page: Any, ready: str) -> None:
    page.wait_for_selector("#_pages_content main h1, #_pages_content h1", timeout=30_000)
    page.wait_for_selector(ready, timeout=30_000)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(("path", "ready", "name"), PAGES)
def test_page_renders_without_console_errors(browser: Any, sample_site: str, path: str,
                                             ready: str, name: str, lang: str,
                                             width: str) -> None:
    if not registered(path):
        pytest.skip(f"no page serves {path} yet")
    page, errors = open_page(browser, sample_site, WIDTHS[width], lang)
    page.goto(f"{sample_site}{path}?lang={lang}")
    settle(page, ready)
    assert page.get_attribute("html", "lang") == lang
    assert page.locator("#navbar").count() == 1 and page.locator("#footer").count() == 1
    footer = page.inner_text("#footer")
    assert ("ilustrativos" if lang == "es" else "illustrative") in footer
    if width == "phone":
        assert page.is_visible("#nav-toggler")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0] + 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{lang}-{width}.png"), full_page=True)
    page.context.close()
    assert errors == []


def test_language_switch_persists_across_pages(browser: Any, sample_site: str) -> None:
    page, errors = open_page(browser, sample_site, WIDTHS["desktop"], "en")
    page.goto(f"{sample_site}/results/R1")
    settle(page, "img.sparkline")
    assert page.get_attribute("html", "lang") == "en"
    page.click("#lang-es")
    page.wait_for_selector("html[lang=es]")
    settle(page, "img.sparkline")
    assert page.url.endswith("/results/R1?lang=es")  # same page, other language
    assert "Indicadores principales" in page.inner_text("main")
    page.click("#navbar >> text=Tablero de resultados")
    page.wait_for_selector("#filter-city")
    assert "Puntuación de impacto" in page.inner_text("main")
    page.goto(f"{sample_site}/login")  # no ?lang: the cookie remembers
    settle(page, "#login-form")
    assert page.get_attribute("html", "lang") == "es" and "Contraseña" in page.inner_text("main")
    assert errors == []


def test_phone_menu_opens_with_the_toggler(browser: Any, sample_site: str) -> None:
    page, errors = open_page(browser, sample_site, WIDTHS["phone"], "en")
    page.goto(f"{sample_site}/")
    settle(page, "img.sparkline")
    assert not page.is_visible("#lang-es")
    page.click("#nav-toggler")
    page.wait_for_selector("#lang-es", state="visible")
    assert errors == []


def test_scorecard_filter_shows_a_citys_figures(browser: Any, sample_site: str) -> None:
    page, errors = open_page(browser, sample_site, WIDTHS["desktop"], "en")
    page.goto(f"{sample_site}/")
    settle(page, "img.sparkline")
    before = page.inner_text("#result-R1")
    page.select_option("#filter-city", label="Altadena")
    wait_until(page,
        "document.querySelector('#filter-summary').innerText.includes('Altadena')")
    page.wait_for_load_state("networkidle")
    wait_until(page, "!document.querySelector('[data-dash-is-loading=\"true\"]')")
    page.locator("#result-R1").wait_for(state="visible")
    after = page.inner_text("#result-R1")
    assert after != before
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "scorecard-filtered-en-desktop.png"), full_page=True)
    assert errors == []


def test_a_sparklines_figures_open_in_one_click(browser: Any, sample_site: str) -> None:
    page, errors = open_page(browser, sample_site, WIDTHS["phone"], "es")
    page.goto(f"{sample_site}/?lang=es")
    settle(page, "img.sparkline")
    row = page.locator("#result-R2 li.indicator-row").first
    assert row.locator("td").count() == 0  # not drawn until asked for
    row.locator("summary").click()
    row.locator("td").first.wait_for()
    cells = row.locator("td").all_inner_texts()
    assert len(cells) >= 4 and len(cells) % 2 == 0
    assert any(c.endswith("%") for c in cells[1::2])  # the values, in the indicator's unit
    SHOTS.mkdir(parents=True, exist_ok=True)
    row.screenshot(path=str(SHOTS / "scorecard-figures-es-phone.png"))
    assert errors == []


#: Each language's name of result 5 in the equity page's picker, and a kind of group and a
#: group's label there.
EQUITY_R5 = {"en": ("5. Students live and learn in stable and supportive environments",
                    ("Student group", "African American")),
             "es": ("5. Los estudiantes viven y aprenden en entornos estables y de apoyo",
                    ("Grupo de estudiantes", "Afroamericanos"))}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_equity_result_picker_draws_one_result_and_keeps_it_in_the_address(
        browser: Any, sample_site: str, lang: str) -> None:
    if not registered("/equity"):
        pytest.skip("no page serves /equity yet")
    option, group = EQUITY_R5[lang]
    page, errors = open_page(browser, sample_site, WIDTHS["desktop"], lang)
    page.goto(f"{sample_site}/equity?lang={lang}")
    settle(page, "#equity-kinder_ready .js-plotly-plot .main-svg")
    assert page.locator("section[id^=equity-]").count() == 1  # result 1 only
    page.click("#equity-result")
    page.get_by_role("option", name=option).click()
    page.wait_for_selector("#equity-chronic_absence .js-plotly-plot .main-svg")
    page.wait_for_load_state("networkidle")
    assert "result=R5" in page.url and f"lang={lang}" in page.url
    assert page.locator("#equity-kinder_ready").count() == 0
    # A chart per kind of group: chronic absence by student group and by city, then three.
    assert page.locator("section[id^=equity-] .js-plotly-plot").count() == 5
    assert all(words in page.inner_text("#equity-chronic_absence") for words in group)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"equity-R5-{lang}-desktop.png"), full_page=True)
    # The other language keeps the result; Back returns to the result before.
    other = "es" if lang == "en" else "en"
    page.click(f"#lang-{other}")
    page.wait_for_selector(f"html[lang={other}]")
    settle(page, "#equity-chronic_absence .js-plotly-plot .main-svg")
    assert "result=R5" in page.url and f"lang={other}" in page.url
    page.go_back()
    page.go_back()
    settle(page, "#equity-kinder_ready .js-plotly-plot .main-svg")
    assert "result=R5" not in page.url
    # A shared address opens on its result, at phone width too.
    phone, phone_errors = open_page(browser, sample_site, WIDTHS["phone"], lang)
    phone.goto(f"{sample_site}/equity?result=R5&lang={lang}")
    settle(phone, "#equity-chronic_absence .js-plotly-plot .main-svg")
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"][0] + 1
    phone.screenshot(path=str(SHOTS / f"equity-R5-{lang}-phone.png"), full_page=True)
    phone.context.close()
    page.context.close()
    assert errors == [] and phone_errors == []


#: A group of read_3rd as the dropdown names it, in each language.
READING_GROUP = {"en": "Student group: Latino · City: all",
                 "es": "Grupo de estudiantes: Latinos · Ciudad: sin desglosar"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_headings_latest_figure_follows_the_group_chosen(browser: Any, sample_site: str,
                                                             lang: str) -> None:
    page, errors = open_page(browser, sample_site, WIDTHS["phone"], lang)
    page.goto(f"{sample_site}/indicators/read_3rd?lang={lang}")
    settle(page, "#curve-graph .main-svg")
    before = page.inner_text("#indicator-latest")
    total_figure = page.inner_text("#indicator-latest strong")
    page.click("#series-dropdown")
    page.get_by_role("option", name=READING_GROUP[lang], exact=True).click()
    chosen = READING_GROUP[lang].split(": ")[1].split(" · ")[0]
    wait_until(page, "document.querySelector('#indicator-latest').innerText.includes("
                     f"{chosen!r})", timeout=30)
    # The figure itself changed, not only the words after it.
    assert page.inner_text("#indicator-latest strong") != total_figure
    page.click("#curve-all-groups", force=True)
    page.wait_for_selector("#curve-multiples-legend")
    wait_until(page, f"document.querySelector('#indicator-latest').innerText == {before!r}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"indicator-multiples-{lang}-phone.png"), full_page=True)
    page.context.close()
    assert errors == []
