"""Every page in English and Spanish: how a request's language is chosen and kept."""

from __future__ import annotations

import importlib

import pytest
from dash import Dash
from factories import by_id, seed_store, text

from dashboards import ids
from dashboards.app import create_app
from dashboards.components.shell import footer, navbar
from dashboards.i18n import COOKIE, _, current_language, use_language
from rba.store import connect, session_scope


@pytest.fixture
def app(sqlite_url: str) -> Dash:
    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
    return create_app(sqlite_url)


@pytest.mark.parametrize(("url", "headers", "expected"), [
    ("/", {}, "en"),
    ("/?lang=es", {}, "es"),
    ("/?lang=ES-mx", {}, "es"),
    ("/?lang=fr", {}, "en"),
    ("/", {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}, "es"),
    ("/", {"Accept-Language": "en-US,es;q=0.5"}, "en"),
    ("/", {"Cookie": f"{COOKIE}=es"}, "es"),
    ("/?lang=en", {"Cookie": f"{COOKIE}=es"}, "en"),
    ("/", {"Cookie": f"{COOKIE}=en", "Accept-Language": "es"}, "en"),
])
def test_language_is_query_then_cookie_then_browser(app: Dash, url: str, headers: dict,
                                                    expected: str) -> None:
    with app.server.test_request_context(url, headers=headers):
        assert current_language() == expected


def test_a_layouts_lang_argument_serves_the_rest_of_the_request(app: Dash) -> None:
    with app.server.test_request_context("/_dash-update-component"):
        assert _("Sign in") == "Sign in"
        use_language("es")
        assert _("Sign in") == "Iniciar sesión"


def test_lang_query_sets_a_cookie_and_the_html_lang(app: Dash) -> None:
    client = app.server.test_client()
    response = client.get("/?lang=es")
    assert f"{COOKIE}=es" in response.headers["Set-Cookie"]
    assert '<html lang="es">' in response.get_data(as_text=True)
    again = client.get("/results/R2")  # the cookie keeps the choice
    assert '<html lang="es">' in again.get_data(as_text=True)
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Tablero de resultados" in layout and "Idioma" in layout
    assert '<html lang="en">' in client.get("/?lang=en").get_data(as_text=True)


def test_navbar_and_footer_speak_the_language_with_a_switch(app: Dash) -> None:
    with app.server.test_request_context("/?lang=es"):
        bar, foot = navbar(), footer()
    words = text(bar)
    assert "Tablero de resultados" in words and "Iniciar sesión" in words
    switch = by_id(bar, ids.LANGUAGE_SWITCH)
    links = {n.id: n for n in switch.children if getattr(n, "id", None)}
    assert links["lang-en"].href == "?lang=en" and links["lang-es"].href == "?lang=es"
    assert "active" in links["lang-es"].className
    assert "ilustrativos" in text(foot)
    with app.server.test_request_context("/"):
        assert "illustrative" in text(footer()) and "Scorecard" in text(navbar())


@pytest.mark.parametrize(("module", "kwargs", "english", "spanish"), [
    ("home", {}, "Scorecard", "Tablero de resultados"),
    ("result", {"code": "R2"}, "Headline indicators", "Indicadores principales"),
    ("login", {}, "Password", "Contraseña"),
    ("upload", {}, "Sign in to see this page", "Inicie sesión para ver esta página"),
    ("entry", {}, "Sign in to see this page", "Inicie sesión para ver esta página"),
    ("history", {}, "Sign in to see this page", "Inicie sesión para ver esta página"),
    ("batch", {"batch_id": "x"}, "Sign in to see this page",
     "Inicie sesión para ver esta página"),
    ("not_found_404", {}, "Page not found", "Página no encontrada"),
])
def test_each_page_is_drawn_in_the_requested_language(app: Dash, module: str, kwargs: dict,
                                                      english: str, spanish: str) -> None:
    page = importlib.import_module(f"dashboards.pages.{module}")
    with app.server.test_request_context("/"):
        assert english in text(page.layout(**kwargs))
    with app.server.test_request_context("/"):
        assert spanish in text(page.layout(lang="es", **kwargs))


def test_login_error_is_translated_at_render_not_import(app: Dash) -> None:
    page = importlib.import_module("dashboards.pages.login")
    with app.server.test_request_context("/login?lang=es&error=invalid"):
        words = text(page.layout(error="invalid", lang="es"))
    assert "no corresponden a una cuenta activa" in words
