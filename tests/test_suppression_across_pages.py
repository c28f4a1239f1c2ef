"""Pages must agree on what they withhold: a total one page shows, minus the parts another
page shows, must never give a withheld part away."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy.orm import Session, sessionmaker

from dashboards.pages._common import published_rows
from rba.dimensions import dimension_key
from rba.models import Indicator, Observation, Result, ResultTeam
from rba.report.curves import indicator_curve
from rba.report.equity import equity_report
from rba.report.scorecard import public_inputs, scorecard
from rba.report.team import team_review
from rba.store import session_scope

CITY = {c: dimension_key({"city": c}) for c in ("Pasadena", "Altadena", "Sierra Madre")}
#: Families housed by city, no total row; Sierra Madre is always under min_n 11.
HOUSED = {"2021-22": (100, 30, 6), "2022-23": (104, 32, 5), "2023-24": (110, 35, 7)}


@pytest.fixture
def store(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    with session_scope(factory) as session:
        team = ResultTeam(slug="homes", name="Stable Homes Team")
        result = Result(code="R5", name="Stable homes", display_order=5, team=team)
        housed = Indicator(code="housed", result=result, name="Families housed",
                           unit="count", polarity="up", frequency="school_year",
                           kind="headline", dimensions="city", min_n=11)
        session.add_all([team, result, housed])
        session.flush()
        session.add_all([Observation(indicator_id=housed.id, period=year, dimensions=CITY[c],
                                     value=v, entered_by="t")
                         for year, values in HOUSED.items()
                         for c, v in zip(CITY, values, strict=True)])
    return factory


def shown_figures(factory: sessionmaker[Session]) -> dict[str, set[tuple[str, float]]]:
    """Each page's published 2023-24 figures of "housed": (dimensions, value)."""
    with factory() as session:
        summary = scorecard(session=session, today=dt.date(2025, 1, 1),
                            inputs=public_inputs(session=session))
        curve = indicator_curve(session=session, code="housed")
        equity = equity_report(session=session)
        team = team_review(session=session, slug="homes", as_of=dt.date(2025, 1, 1))
    assert team is not None
    rows = published_rows(curve.rows, curve.summary, "count", 11)
    rows = rows.assign(dimensions=rows["series"].str.split(":", n=1).str[1])
    latest = summary[summary["latest_period"] == "2023-24"]
    gaps = equity.gaps[equity.gaps["period"] == "2023-24"]
    team_total = team.indicators.set_index("indicator").loc["housed"]

    def pairs(keys: pd.Series, values: pd.Series) -> set[tuple[str, float]]:
        return {(str(k), float(v)) for k, v in zip(keys, values, strict=True) if v == v}

    this = rows[rows["period"] == "2023-24"]
    return {
        "scorecard": pairs(latest["dimensions"], latest["latest_value"]),
        "indicator page": pairs(this["dimensions"], this["actual"]),
        "equity page": pairs(gaps["dimensions"], gaps["value"])
        | pairs(pd.Series(["{}"] * len(gaps)), gaps["total"]),
        "team page": pairs(pd.Series(["{}"]), pd.Series([team_total["latest_value"]]))
        if team_total["latest_period"] == "2023-24" else set(),
    }


def test_the_team_page_reveals_nothing_the_scorecard_does_not(store) -> None:
    shown = shown_figures(store)
    total_on_team = {v for k, v in shown["team page"] if k == "{}"}
    parts_on_scorecard = {k: v for k, v in shown["scorecard"] if k != "{}"}
    assert not (total_on_team and set(parts_on_scorecard) == {CITY["Pasadena"],
                                                               CITY["Altadena"]})


@pytest.mark.xfail(reason="rba/report/scorecard.py public_inputs drops withheld rows and "
                          "does not count rolled-up totals as parents, while the indicator "
                          "and equity pages do: the scorecard shows Altadena, the indicator "
                          "page the rolled-up total and Pasadena", strict=False)
def test_no_page_pair_gives_a_withheld_part_away(store) -> None:
    shown = shown_figures(store)
    everything = set().union(*shown.values())
    totals = {v for k, v in everything if k == "{}" and v == sum(HOUSED["2023-24"])}
    parts = {k for k, _v in everything if k != "{}"}
    # With the true total and the other two cities published anywhere, Sierra Madre's 7
    # is 152 - 110 - 35.
    assert not (totals and {CITY["Pasadena"], CITY["Altadena"]} <= parts), shown
