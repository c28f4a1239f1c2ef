"""The scorecard (/): results with headline figures, impact scores, filters, suppression."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from dash import Dash
from factories import by_id, pasadena_app, text, walk

from dashboards import ids
from dashboards.auth import POLICIES, PUBLIC
from rba.calc import impact_scores
from rba.i18n import format_number
from rba.services.scorecard import public_inputs, scorecard
from rba.store import session_scope
from rba.store.catalogue import indicator_table


@pytest.fixture
def app(sqlite_url: str) -> Dash:
    return pasadena_app(sqlite_url)


@pytest.fixture
def home(app: Dash) -> Iterator[Any]:
    with app.server.test_request_context("/"):
        yield importlib.import_module("dashboards.pages.home")


def test_scorecard_shows_each_result_with_its_headline_figures(home: Any) -> None:
    layout = home.layout()
    words = text(by_id(layout, "result-R2"))
    assert "Result 2" in words and "Students succeed academically" in words
    assert "High school graduation rate" in words
    assert "82.1%" in words and "School year 2023-24" in words
    assert "Juvenile arrests" not in words  # secondary: on the result page
    assert "(first figure)" in words
    assert re.search(r"[▲≈▼…○] (Better than|On|Worse than) its baseline|No baseline yet|"
                     r"Not enough data to judge", words)
    sparklines = [n for n in walk(layout) if getattr(n, "className", "") == "sparkline"]
    assert sparklines and all(s.alt for s in sparklines)
    assert "School year 2019-20" in sparklines[0].alt


def test_trend_is_an_arrow_with_words_and_target_band_is_named(home: Any) -> None:
    words = text(by_id(home.layout(), "row-grad_rate"))
    assert re.search(r"[↑↓→]\s+(Improving|Worsening|Flat)", words)
    assert re.search(r"\d+ periods?", words)
    assert re.search(r"(Green|Yellow|Red): ", words) or "No target" in words
    # 80.0 -> 82.1, up is good; the card says which figure the change is measured from.
    assert "+2.6% since School year 2019-20 (first figure), better" in words
    assert "Latest change:" in words


def test_impact_scores_are_rba_calc_impact_scores(app: Dash, home: Any) -> None:
    layout = home.layout()
    with session_scope(app.server.config["RBA_SESSION_FACTORY"]) as session:
        summary = scorecard(session=session, today=dt.date.today(),
                            inputs=public_inputs(session=session))
        polarity = indicator_table(session=session)[["indicator", "polarity"]]
    expected = impact_scores(summary.merge(polarity, on="indicator"))
    for result, score in zip(expected["result"], expected["impact_score"], strict=True):
        if pd.isna(score):
            continue
        shown = text(by_id(layout, ids.IMPACT_OVERALL if result == "overall"
                           else f"result-{result}"))
        assert f"{format_number(score, 'en', 0)} / 100" in shown.replace("  ", " ")


def test_filter_by_city_changes_the_series_shown(home: Any) -> None:
    everyone = text(home.filter_scorecard(None, None, "en"))
    altadena = text(home.filter_scorecard("Altadena", None, "en"))
    assert "82.1%" in everyone and "77.1%" in altadena and "82.1%" not in altadena
    assert "Showing: Altadena" in altadena
    assert text(home.filter_scorecard("", "", "en")) == everyone  # the "All ..." option
    nobody = text(home.filter_scorecard("Altadena", "Latino", "en"))
    assert "No published figures for this group" in nobody


def test_filter_callback_is_public_and_survives_odd_values(home: Any) -> None:
    assert POLICIES and home.filter_scorecard.policy is PUBLIC
    assert text(home.filter_scorecard(["x"], 3, "zz"))  # crafted values: the totals


def test_small_groups_are_suppressed_on_the_public_scorecard(sqlite_url: str) -> None:
    app = pasadena_app(sqlite_url, min_n=300)  # Altadena (200) is too small; Pasadena goes too
    with app.server.test_request_context("/"):
        home = importlib.import_module("dashboards.pages.home")
        altadena = text(home.filter_scorecard("Altadena", None, "en"))
        pasadena = text(home.filter_scorecard("Pasadena", None, "en"))
        everyone = text(home.filter_scorecard(None, None, "en"))
    assert "77.1%" not in altadena and "No published figures for this group" in altadena
    assert "83.1%" not in pasadena  # complementary: total minus Pasadena would reveal it
    assert "82.1%" in everyone


def test_overdue_panel_says_when_nothing_is_late_or_lists_what_is(home: Any) -> None:
    panel = text(by_id(home.layout(), ids.OVERDUE))
    assert "Overdue" in panel
    assert "Nothing is overdue" in panel or "days late" in panel


def test_spanish_scorecard(app: Dash) -> None:
    with app.server.test_request_context("/?lang=es"):
        home = importlib.import_module("dashboards.pages.home")
        words = text(home.layout(lang="es"))
        filtered = text(home.filter_scorecard("Altadena", None, "es"))
    assert "Tablero de resultados" in words and "Resultado 2" in words
    assert "Año escolar 2023-24" in words and "82.1%" in words
    assert "Puntuación de impacto" in words and "Ciudad" in words
    assert "Mostrando: Altadena" in filtered
