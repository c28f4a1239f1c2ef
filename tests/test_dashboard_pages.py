"""The dashboard's pages, called as plain functions and served through Flask's test client."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from typing import Any

import plotly.graph_objects as go
import pytest
from dash import Dash
from factories import ALTADENA, by_id, seed_store, text, walk

from dashboards import ids
from dashboards.app import create_app
from rba.store import connect, session_scope


@pytest.fixture
def app(sqlite_url: str) -> Dash:
    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
    return create_app(sqlite_url)


@pytest.fixture
def page(app: Dash) -> Iterator[Any]:
    """A function giving a page module, inside a request to the app (as Dash calls it)."""
    with app.server.test_request_context("/"):
        yield lambda name: importlib.import_module(f"dashboards.pages.{name}")


def test_home_is_the_scorecard_of_results_with_headline_figures(page: Any) -> None:
    layout = page("home").layout()
    words = text(layout)
    assert "Scorecard" in words
    assert "Results for children and families in Pasadena, Altadena and Sierra Madre" in words
    assert words.index("Children's developmental needs are met") < words.index(
        "Students succeed academically")
    assert "82.1%" in words and "School year 2023-24" in words
    assert "Not yet published" not in words
    links = {n.href for n in walk(layout) if hasattr(n, "href") and n.href}
    assert {"/indicators/grad_rate", "/results/R1", "/results/R2"} <= links


def test_home_without_results_says_how_to_load_data(tmp_path: Any) -> None:
    from rba.store import migrate

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    migrate.upgrade(url)
    app = create_app(url)
    with app.server.test_request_context("/"):
        layout = importlib.import_module("dashboards.pages.home").layout()
    notice = text(by_id(layout, ids.EMPTY_STATE))
    assert "No results yet" in notice and "rba demo" in notice and "rba import" in notice


def test_indicator_page_shows_definitions_latest_figure_and_curve(page: Any) -> None:
    layout = page("indicator").layout(code="grad_rate")
    words = text(layout)
    assert "High school graduation rate" in text(by_id(layout, ids.INDICATOR_NAME))
    assert "Students succeed academically" in words
    assert "Students who graduate in four years." in words
    assert "Four-year adjusted cohort graduation rate." in words
    assert "Up is good" in words and "Percent" in words and "Illustrative" in words
    assert "82.1%" in words
    indicator = page("indicator")
    figure = go.Figure(indicator.decoded(by_id(layout, ids.CURVE_GRAPH).figure))
    names = {trace.name for trace in figure.data}
    assert {"Actual", "Forecast (current course)", "95% prediction interval",
            "Target"} <= names
    assert figure.layout.title.text == "High school graduation rate"
    table = text(by_id(layout, ids.CURVE_TABLE))
    assert "2023-24" in table and "85.0%" in table and "Forecast" in table


def test_indicator_page_offers_each_group(page: Any) -> None:
    layout = page("indicator").layout(code="grad_rate")
    dropdown = by_id(layout, ids.SERIES_DROPDOWN)
    assert [o["label"] for o in dropdown.options] == ["Total", "City: Altadena"]
    assert dropdown.value == "grad_rate:{}"


def test_picking_a_group_redraws_chart_and_table(page: Any) -> None:
    module = page("indicator")
    layout = module.layout(code="grad_rate")
    rows = by_id(layout, ids.CURVE_ROWS).data
    meta = by_id(layout, ids.CURVE_META).data
    figure, table = module.show_series(f"grad_rate:{ALTADENA}", rows, meta)
    assert figure.layout.title.subtitle.text == "City: Altadena"
    actual = next(t for t in figure.data if t.name == "Actual")
    assert list(actual.y[:2]) == [75.0, 76.0]
    assert "77.1%" in text(table)


def test_indicator_page_shows_the_latest_story(page: Any) -> None:
    story = text(by_id(page("indicator").layout(code="grad_rate"), ids.STORY))
    assert "Credit recovery helped." in story and "Old story" not in story
    assert "Pasadena City College" in story and "Version 2" in story


@pytest.mark.parametrize("code", ["no_such_indicator", "hidden", None])
def test_unknown_indicator_is_a_friendly_message(page: Any, code: str | None) -> None:
    layout = page("indicator").layout(code=code)
    assert "Indicator not found" in text(by_id(layout, ids.NOT_FOUND))


def test_indicator_without_figures_says_so(page: Any) -> None:
    words = text(page("indicator").layout(code="in_college"))
    assert "Not yet measured" in words and "No figures have been entered" in words


@pytest.mark.parametrize("path", ["/", "/indicators/grad_rate", "/indicators/nope",
                                  "/assets/bootstrap.min.css", "/_dash-layout"])
def test_pages_are_served(app: Dash, path: str) -> None:
    assert app.server.test_client().get(path).status_code == 200


def test_router_renders_the_indicator_page(app: Dash) -> None:
    client = app.server.test_client()
    client.get("/")  # the first request sets up the pages router
    response = client.post("/_dash-update-component", json={
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname",
                    "value": "/indicators/grad_rate"},
                   {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ["_pages_location.pathname"], "state": [],
    })
    assert response.status_code == 200
    body = json.dumps(response.get_json())
    assert "High school graduation rate" in body and ids.CURVE_GRAPH in body


def test_no_database_connection_at_import() -> None:
    module = importlib.import_module("dashboards.app")
    assert callable(module.create_app)
    assert not any(name in vars(module) for name in ("engine", "session", "factory"))


def test_create_app_reads_the_configured_database(monkeypatch: pytest.MonkeyPatch,
                                                  sqlite_url: str) -> None:
    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
    monkeypatch.setenv("RBA_DATABASE_URL", sqlite_url)
    app = create_app()
    with app.server.test_request_context("/"):
        words = text(importlib.import_module("dashboards.pages.home").layout())
    assert "Students succeed academically" in words
