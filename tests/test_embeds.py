"""The embed page (/embed/indicators/CODE): what a partner's iframe shows, what it never
shows (unpublished indicators, provisional figures, small groups), its 404s and the
headers that let only embeds be framed."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa
from dash import Dash
from flask.testing import FlaskClient

from rba.models import Indicator, Observation, ObservationStatus
from rba.services.embeds import figures_as_of
from rba.store import session_scope

FINAL_AT = dt.datetime(2025, 6, 30, 9, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2025, 9, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def final_app(app: Dash) -> Dash:
    """seed_store's store with grad_rate's figures final (entered 30 June 2025) except those
    of 2023-24 (the total's 82.1, Altadena's 77.1), still provisional (entered 1 September
    2025)."""
    with session_scope(app.server.config["RBA_SESSION_FACTORY"]) as session:
        session.execute(sa.update(Observation).values(status=ObservationStatus.final,
                                                      entered_at=FINAL_AT))
        session.execute(sa.update(Observation).where(
            Observation.period == "2023-24",
            Observation.indicator_id == sa.select(Indicator.id).where(
                Indicator.code == "grad_rate").scalar_subquery()).values(
            status=ObservationStatus.provisional, entered_at=LATER))
    return app


@pytest.fixture
def final_client(final_app: Dash) -> FlaskClient:
    return final_app.server.test_client()


def figure_of(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="embed-figure">(.*?)</script>',
                      html, re.S)
    assert found, "no chart data in the embed"
    return json.loads(found.group(1))


def actual_trace(figure: dict) -> dict | None:
    return next((t for t in figure["data"] if t.get("name") == "Actual"), None)


def test_embed_shows_the_chart_verdict_source_date_and_partnership(
        final_client: FlaskClient) -> None:
    response = final_client.get("/embed/indicators/grad_rate")
    assert response.status_code == 200
    page = response.text
    assert "<title>High school graduation rate · Collaborate PASadena</title>" in page
    assert 'id="embed-title">High school graduation rate</h1>' in page
    assert "Source: Illustrative" in page
    assert '<time id="embed-as-of" datetime="2025-06-30">Figures as of June 30, 2025</time>' \
        in page
    assert 'class="embed-partnership">Collaborate PASadena' in page
    assert re.search(r'id="embed-verdict">.*?class="fw-semibold verdict verdict-\w+', page,
                     re.S)
    assert 'href="/indicators/grad_rate?lang=en"' in page
    # No navbar, no sign-in, no Dash app: a page made for someone else's site.
    assert "Sign in" not in page and "navbar" not in page and "_dash-config" not in page


def test_the_chart_carries_its_title_source_date_and_partnership(
        final_client: FlaskClient) -> None:
    figure = figure_of(final_client.get("/embed/indicators/grad_rate").text)
    title = figure["layout"]["title"]
    assert title["text"] == "High school graduation rate"
    credit = " ".join(re.sub(r"<[^>]+>", " ", title["subtitle"]["text"]).split())
    assert "Source: Illustrative" in credit and "Figures as of June 30, 2025" in credit
    assert "Collaborate PASadena" in credit


def test_embed_shows_final_figures_only(final_client: FlaskClient, final_app: Dash) -> None:
    figure = figure_of(final_client.get("/embed/indicators/grad_rate").text)
    actual = actual_trace(figure)
    assert actual is not None
    shown = {x: y for x, y in zip(actual["x"], actual["y"], strict=True) if y is not None}
    assert shown == {"2019-20": 80.0, "2020-21": 81.0, "2021-22": 81.5, "2022-23": 82.0}
    # The "as of" date is the newest final figure's, not the provisional one's.
    with final_app.server.config["RBA_SESSION_FACTORY"]() as session:
        assert figures_as_of(session=session, code="grad_rate", final_only=True) == \
            dt.date(2025, 6, 30)
        assert figures_as_of(session=session, code="grad_rate") == dt.date(2025, 9, 1)


def test_the_public_site_dates_figures_by_their_entry_not_the_data_change(
        final_app: Dash, sqlite_url: str) -> None:
    """The public site's "as of" is when the final figures were entered (30 June 2025), not
    when the data last changed (today: the fixture's writes), nor the provisional figure's
    entry (1 September 2025)."""
    from dashboards.app import create_app
    from rba.store import published

    public = create_app(sqlite_url, public=True)
    try:
        with public.server.config["RBA_SESSION_FACTORY"]() as session:
            assert published.is_published(session)
            assert figures_as_of(session=session, code="grad_rate") == dt.date(2025, 6, 30)
            assert figures_as_of(session=session, code="hidden") is None
        page = public.server.test_client().get("/embed/indicators/grad_rate").text
        assert '<time id="embed-as-of" datetime="2025-06-30">' in page
    finally:
        public.server.config["RBA_SESSION_FACTORY"].kw["bind"].dispose()


def test_embed_of_a_group_in_spanish(final_client: FlaskClient) -> None:
    response = final_client.get("/embed/indicators/grad_rate?where=city=Altadena&lang=es")
    assert response.status_code == 200
    page = response.text
    assert '<html lang="es">' in page
    assert 'id="embed-group">City: Altadena</p>' in page  # no Spanish label entered
    assert "Cifras al 30 de junio de 2025" in page and "Fuente: Illustrative" in page
    assert 'href="/indicators/grad_rate?where=city=Altadena&amp;lang=es"' in page
    actual = actual_trace(figure_of(page)) or next(
        t for t in figure_of(page)["data"] if t.get("name") == "Real")
    assert actual["y"][0] == pytest.approx(75.0)


def test_small_groups_stay_withheld_in_an_embed(final_client: FlaskClient,
                                                final_app: Dash) -> None:
    with session_scope(final_app.server.config["RBA_SESSION_FACTORY"]) as session:
        session.execute(sa.update(Indicator).where(Indicator.code == "grad_rate").values(
            min_n=500))  # Altadena's 200 students are too few
    page = final_client.get("/embed/indicators/grad_rate?where=city=Altadena").text
    assert actual_trace(figure_of(page)) is None
    assert "75.0" not in page and "76.0" not in page  # Altadena's 2019-20 and 2020-21


@pytest.mark.parametrize("path", [
    "/embed/indicators/hidden",  # unpublished
    "/embed/indicators/no_such_code",
    "/embed/indicators/grad_rate?where=city",  # not DIM=VALUE
    "/embed/indicators/grad_rate?where=city=Mars",  # no such group
    "/embed/indicators/grad_rate?where=city=Altadena&where=city=Pasadena",
])
def test_what_an_embed_cannot_show_is_a_friendly_404(final_client: FlaskClient,
                                                     path: str) -> None:
    response = final_client.get(path)
    assert response.status_code == 404
    assert "This chart is not available" in response.text
    assert "Not yet published" not in response.text  # the unpublished indicator's name
    assert "Traceback" not in response.text


def test_an_indicator_with_provisional_figures_only_has_no_embed(client: FlaskClient) -> None:
    assert client.get("/embed/indicators/grad_rate").status_code == 404


@pytest.mark.parametrize("path", ["/embed/indicators/grad_rate",
                                  "/embed/indicators/grad_rate?where=city=Altadena",
                                  "/embed/indicators/no_such_code"])
def test_embeds_may_be_framed(final_client: FlaskClient, path: str) -> None:
    response = final_client.get(path)
    assert "X-Frame-Options" not in response.headers
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


@pytest.mark.parametrize("path", ["/", "/indicators/grad_rate", "/results/R2", "/equity",
                                  "/login", "/embedded", "/indicators/embed"])
def test_every_other_page_refuses_framing(final_client: FlaskClient, path: str) -> None:
    response = final_client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_embed_scripts_are_files_not_inline(final_client: FlaskClient) -> None:
    page = final_client.get("/embed/indicators/grad_rate").text
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline and all('type="application/json"' in attrs for attrs in inline)
    for src in re.findall(r'<script src="([^"]+)"', page):
        assert final_client.get(src).status_code == 200


def test_a_long_credit_wraps_to_the_width_of_a_saved_chart() -> None:
    from dashboards.components.chart_credits import CREDIT_WIDTH, credited

    figure = {"data": [], "layout": {"title": {"text": "T", "subtitle": {"text": "Altadena"}},
                                     "margin": {"t": 54}}}
    credit = "Source: " + "a very long source name " * 12 + "& <more>"
    out = credited(figure, credit)
    group, *lines = out["layout"]["title"]["subtitle"]["text"].split("<br>")
    words = [re.sub(r"<[^>]+>", "", line) for line in lines]
    assert group == "Altadena" and len(words) == 3
    assert all(len(w.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
               <= CREDIT_WIDTH for w in words)
    assert words[-1].endswith("&amp; &lt;more&gt;")  # plotly reads < and & as markup
    assert out["layout"]["margin"]["t"] == 54 + 19 * len(words) + 6
    assert figure["layout"]["margin"]["t"] == 54  # the figure given is left as it was
