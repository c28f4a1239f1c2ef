"""Shareable views: a page opened at an address with choices in its query shows them, and
an address it cannot read falls back to the default view (never an error); page titles and
link previews name the page's subject in the reader's language."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from dash import Dash
from factories import ALTADENA, by_id, text
from flask.testing import FlaskClient

from dashboards import ids
from dashboards.components import shared_views
from dashboards.components.turn_the_curve import FROZEN, LEVELS, METHODS


@pytest.fixture
def page(app: Dash) -> Iterator[Any]:
    """A page module inside a request to the app (as Dash calls its layout)."""
    with app.server.test_request_context("/"):
        yield lambda name: importlib.import_module(f"dashboards.pages.{name}")


@pytest.mark.parametrize(("where", "key"), [
    (None, "{}"), ("city=Altadena", ALTADENA), (["city=Altadena"], ALTADENA),
    (["student_group=Latino", "city=Altadena"], '{"city":"Altadena","student_group":"Latino"}'),
    ("city", "{}"), ("=Altadena", "{}"), (["city=Altadena", "city=Pasadena"], "{}"),
])
def test_where_in_the_address_names_a_group_or_the_total(where: Any, key: str) -> None:
    assert shared_views.chosen_key(where) == key


@pytest.mark.parametrize(("method", "level", "expected"), [
    (None, None, (FROZEN, None)), ("linear", "0.8", ("linear", 0.8)),
    ("holt", "0.95", ("holt", 0.95)), ("bogus", "7", (FROZEN, None)),
    (["linear", "x"], "abc", (FROZEN, None)), ("frozen", "0.9", (FROZEN, 0.9)),
])
def test_method_and_level_fall_back_to_the_agreed_baseline(method: Any, level: Any,
                                                           expected: tuple) -> None:
    assert shared_views.chosen_method(method, level, (FROZEN, *METHODS), LEVELS,
                                      FROZEN) == expected


def test_indicator_page_opens_on_the_group_method_and_level_of_its_address(page: Any) -> None:
    layout = page("indicator").layout(code="grad_rate", where="city=Altadena",
                                      method="linear", level="0.8")
    assert by_id(layout, ids.SERIES_DROPDOWN).value == f"grad_rate:{ALTADENA}"
    assert by_id(layout, ids.CURVE_METHOD).value == "linear"
    assert by_id(layout, ids.CURVE_LEVEL).value == 0.8
    figure = by_id(layout, ids.CURVE_GRAPH).figure
    assert figure["layout"]["title"]["subtitle"]["text"] == "City: Altadena"
    credit = " ".join(re.sub(r"<[^>]+>", " ", "".join(by_id(layout, ids.CURVE_CREDIT).data)
                             ).split())  # what a downloaded chart carries under its title
    assert credit.startswith("Source: Illustrative · Figures as of ")
    assert credit.endswith("· Collaborate PASadena")
    band = next(t for t in figure["data"] if t.get("fill") == "tonexty")
    assert band["name"] == "80% prediction interval"
    assert "City: Altadena" in text(by_id(layout, ids.INDICATOR_LATEST))
    assert "77.1%" in text(by_id(layout, ids.CURVE_TABLE))  # Altadena's 2023-24


def test_indicator_page_opens_with_all_groups_side_by_side(page: Any) -> None:
    layout = page("indicator").layout(code="grad_rate", groups="all")
    assert by_id(layout, ids.CURVE_ALL_GROUPS).value is True
    assert by_id(layout, ids.CURVE_SINGLE).style == {"display": "none"}
    assert by_id(layout, ids.CURVE_SMALL_MULTIPLES).children  # the small charts


@pytest.mark.parametrize("query", [
    {"where": "city=Mars"}, {"where": "garbage"}, {"where": ["city=A", "city=B"]},
    {"method": "../../etc", "level": "NaN"}, {"groups": "some"}, {"where": ""},
])
def test_indicator_page_falls_back_to_the_default_view(page: Any, query: dict) -> None:
    layout = page("indicator").layout(code="grad_rate", **query)
    assert by_id(layout, ids.SERIES_DROPDOWN).value == "grad_rate:{}"
    assert by_id(layout, ids.CURVE_METHOD).value == FROZEN
    assert by_id(layout, ids.CURVE_LEVEL).value is None
    assert by_id(layout, ids.CURVE_ALL_GROUPS).value is False


def test_scorecard_opens_with_the_filters_of_its_address(page: Any) -> None:
    layout = page("home").layout(where="city=Altadena")
    assert by_id(layout, ids.FILTER_CITY).value == "Altadena"
    assert by_id(layout, ids.FILTER_GROUP).value == ""
    assert text(by_id(layout, ids.FILTER_SUMMARY)) == "Showing: Altadena"
    assert "77.1%" in text(by_id(layout, ids.SCORECARD))  # Altadena's graduation rate


@pytest.mark.parametrize("where", ["city=Mars", "nonsense", ["city=Altadena", "city=Pasadena"],
                                   "student_group=<script>"])
def test_scorecard_ignores_filters_it_does_not_offer(page: Any, where: Any) -> None:
    layout = page("home").layout(where=where)
    assert by_id(layout, ids.FILTER_CITY).value == ""
    assert by_id(layout, ids.FILTER_GROUP).value == ""
    assert text(by_id(layout, ids.FILTER_SUMMARY)) == \
        "All of Pasadena, Altadena and Sierra Madre"


@pytest.mark.parametrize("path", [
    "/indicators/grad_rate?where=city=Mars&method=x&level=y&groups=z",
    "/?where=city%3D%00&where=", "/equity?result=NOPE&page=-3",
])
def test_unreadable_addresses_are_pages_not_errors(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 200


def meta(html: str, name: str) -> str:
    found = re.search(rf'<meta property="{name}" content="([^"]*)"', html)
    assert found, f"no {name}"
    return found.group(1)


@pytest.mark.parametrize(("path", "title"), [
    ("/indicators/grad_rate", "High school graduation rate · Collaborate PASadena"),
    ("/results/R2", "Students succeed academically · Collaborate PASadena"),
    ("/", "Scorecard · Collaborate PASadena"),
    ("/?lang=es", "Tablero de resultados · Collaborate PASadena"),
    ("/equity", "Equity: gaps between groups · Collaborate PASadena"),
    ("/indicators/hidden", "Indicator not found · Collaborate PASadena"),  # unpublished
    ("/teams/academics", "Academic Success Result Team · Collaborate PASadena"),
    ("/teams/nobody?lang=es", "Equipo de resultados no encontrado · Collaborate PASadena"),
])
def test_titles_and_link_previews_name_the_page(client: FlaskClient, path: str,
                                                title: str) -> None:
    html = client.get(path).text
    assert f"<title>{title}</title>" in html
    assert meta(html, "og:title") == title
    assert meta(html, "og:image").endswith("/assets/preview.png")
    assert "grad_rate" not in title and "academics ·" not in title
    assert "Not yet published" not in html


def test_link_preview_describes_the_indicator(client: FlaskClient) -> None:
    html = client.get("/indicators/grad_rate").text
    assert meta(html, "og:description") == (
        "Students who graduate in four years. Result: Students succeed academically.")
    assert client.get("/assets/preview.png").mimetype == "image/png"
