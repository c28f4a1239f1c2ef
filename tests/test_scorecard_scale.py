"""The scorecard at scale: a result with many headline indicators, many overdue ones, and
sparkline points found per series (not by scanning every observation)."""

from __future__ import annotations

import importlib
from typing import Any

import dash
import pandas as pd
import pytest
from factories import by_id, text, walk

from dashboards import ids
from dashboards.app import create_app
from dashboards.components.scorecard import series_points
from rba.models import Indicator, Observation, Result, ResultTeam
from rba.services.scorecard import filter_keys, sparkline_points
from rba.store import connect, session_scope

HEADLINES = 9



@pytest.fixture
def home(sqlite_url: str) -> Any:
    """One result with nine headline indicators, each last measured in 2015 (overdue)."""
    with session_scope(connect(sqlite_url)) as session:
        team = ResultTeam(slug="t", name="Team")
        result = Result(code="R1", name="Children thrive", display_order=1, team=team)
        indicators = [Indicator(code=f"ind{i}", result=result, name=f"Indicator {i}",
                                unit="count", polarity="up", frequency="year",
                                kind="headline", display_order=i) for i in range(HEADLINES)]
        session.add_all([team, result, *indicators])
        session.flush()
        session.add_all([Observation(indicator_id=ind.id, period=str(year), value=year - 2000.0,
                                     entered_by="test")
                         for ind in indicators for year in range(2010, 2016)])
    app = create_app(sqlite_url)
    with app.server.test_request_context("/"):
        yield importlib.import_module("dashboards.pages.home")


def test_a_result_card_draws_six_headline_indicators_and_links_to_the_rest(home: Any) -> None:
    card = by_id(home.layout(), "result-R1")
    rows = [c for c in walk(card) if str(getattr(c, "id", "")).startswith("row-")]
    assert [r.id for r in rows] == [f"row-ind{i}" for i in range(home.MAX_SHOWN)]
    more = [c for c in walk(card) if "more-indicators" in str(getattr(c, "className", ""))]
    assert len(more) == 1 and more[0].href == "/results/R1"
    assert "3 more headline indicators on the result page" in text(more[0])


def test_overdue_lists_every_late_indicator_when_they_fit(home: Any) -> None:
    assert HEADLINES < home.MAX_OVERDUE
    panel = by_id(home.layout(), "overdue")
    items = [c for c in walk(panel) if type(c).__name__ == "Li"]
    assert len(items) == HEADLINES
    assert [c for c in walk(panel) if type(c).__name__ == "Details"] == []


def test_overdue_lists_the_first_and_loads_the_rest_when_asked(
        home: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(home, "MAX_OVERDUE", 4)
    panel = by_id(home.layout(), "overdue")
    shown = [c for c in walk(panel) if type(c).__name__ == "Li"]
    assert [c.children[0].href for c in shown] == [f"/indicators/ind{i}" for i in range(4)]
    assert "Show 5 more" in text(by_id(panel, ids.OVERDUE_MORE))
    rest, style = home.show_all_overdue(1, "en")
    assert [c.children[0].href for c in rest.children] == [
        f"/indicators/ind{i}" for i in range(4, HEADLINES)]
    assert style == {"display": "none"}
    with pytest.raises(dash.exceptions.PreventUpdate):
        home.show_all_overdue(None, "en")


def test_sparkline_points_are_each_series_values_in_period_order() -> None:
    obs = pd.DataFrame({
        "indicator": ["b", "a", "a", "a", "a", "a", "b"],
        "dimensions": ["{}", '{"city":"X"}', "{}", "{}", '{"school":"S"}',
                       '{"city":"X","student_group":"Y"}', "{}"],
        "ordinal": [2, 1, 3, 1, 1, 1, 1],
        "period": ["2", "1", "3", "1", "1", "1", "1"],
        "value": [20.0, 5.0, 30.0, 10.0, 7.0, 8.0, float("nan")],
    })
    # The filters reach every level of city and student group, a group within a city too.
    assert filter_keys(obs["dimensions"]).tolist() == [True, True, True, True, False, True,
                                                        True]
    points, spans = sparkline_points(obs)
    data = type("Data", (), {"points": points, "spans": spans})()
    assert series_points(data, "a", "{}")["value"].tolist() == [10.0, 30.0]
    assert series_points(data, "a", '{"city":"X"}')["value"].tolist() == [5.0]
    assert series_points(data, "b", "{}")["value"].tolist() == [20.0]  # the blank one left out
    assert series_points(data, "a", '{"school":"S"}').empty  # not a filter's series
    assert series_points(data, "a", '{"city":"X","student_group":"Y"}')["value"].tolist() == [
        8.0]
    assert series_points(data, "zzz", "{}").empty


def test_a_sparklines_figures_load_when_first_opened(home: Any) -> None:
    row = by_id(home.layout(), "row-ind2")
    (summary,) = [c for c in walk(row) if type(c).__name__ == "Summary"]
    ident = summary.id
    assert ident == {"type": "sparkline-figures-open", "indicator": "ind2", "key": "{}",
                     "lang": "en"}
    (slot,) = [c for c in walk(row) if getattr(c, "id", None) == {**ident,
                                                                  "type": "sparkline-figures"}]
    assert not slot.children  # nothing drawn until asked for
    from dashboards.components.scorecard import show_figures

    table = show_figures(1, ident)
    cells = [text(c) for c in walk(table) if type(c).__name__ == "Td"]
    assert cells == [c for year in range(2010, 2016) for c in (str(year), str(year - 2000))]
    with pytest.raises(dash.exceptions.PreventUpdate):
        show_figures(2, ident)  # closing and opening again keeps what is there
    spanish = show_figures(1, {**ident, "lang": "es"})
    assert "Cifras de Indicator 2" in text(spanish)
    assert "Figures of" not in text(spanish)


@pytest.mark.parametrize("crafted", [
    {"indicator": "nope", "key": "{}", "lang": "en"},
    {"indicator": "ind2", "key": '{"city":"Atlantis"}', "lang": "en"},
])
def test_crafted_figure_requests_show_nothing(home: Any, crafted: dict) -> None:
    from dashboards.components.scorecard import show_figures

    out = show_figures(1, {"type": "sparkline-figures-open", **crafted})
    assert "No published figures yet." in text(out)
    with pytest.raises(dash.exceptions.PreventUpdate):
        show_figures(1, {"indicator": 5})
