"""Pages must agree on what they withhold: a total one page shows, minus the parts another
page shows, must never give a withheld part away."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy.orm import Session, sessionmaker

from rba.dimensions import dimension_key
from rba.models import Indicator, Observation, Result, ResultTeam
from rba.services.curves import indicator_curve
from rba.services.curves import published_curve_rows as published_rows
from rba.services.equity import equity_report
from rba.services.scorecard import public_inputs, scorecard
from rba.services.team import team_review
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


def test_no_page_pair_gives_a_withheld_part_away(store) -> None:
    shown = shown_figures(store)
    everything = set().union(*shown.values())
    totals = {v for k, v in everything if k == "{}" and v == sum(HOUSED["2023-24"])}
    parts = {k for k, _v in everything if k != "{}"}
    # With the true total and the other two cities published anywhere, Sierra Madre's 7
    # is 152 - 110 - 35.
    assert not (totals and {CITY["Pasadena"], CITY["Altadena"]} <= parts), shown


def test_a_blank_given_total_gives_way_to_its_rolled_up_figure() -> None:
    from rba.report.scorecard import with_rolled_up_levels

    def row(dims: str, ordinal: int, value: float) -> dict:
        return {"series": f"n:{dims}", "indicator": "n", "dimensions": dims,
                "period": str(ordinal), "ordinal": ordinal, "value": value,
                "numerator": float("nan"), "denominator": float("nan")}

    a, b = CITY["Pasadena"], CITY["Altadena"]
    observations = pd.DataFrame([
        row("{}", 2020, 50.0),  # a given total: kept as given (not the parts' 30)
        row(a, 2020, 10.0), row(b, 2020, 20.0),
        row("{}", 2021, float("nan")),  # blank: replaced by the parts' 33
        row(a, 2021, 11.0), row(b, 2021, 22.0),
        row(a, 2022, 12.0), row(b, 2022, 24.0),  # no total row: one is added
    ])
    indicators = pd.DataFrame({"indicator": ["n"], "unit": ["count"], "per": [float("nan")],
                               "polarity": ["up"], "frequency": ["year"],
                               "periods_per_year": [1.0], "kind": ["headline"],
                               "result": ["R1"]})
    out = with_rolled_up_levels(observations, indicators)
    totals = out[out["dimensions"] == "{}"].set_index("ordinal")["value"]
    assert totals.to_dict() == {2020: 50.0, 2021: 33.0, 2022: 36.0}
    assert len(out) == len(observations) + 1
    assert not out.duplicated(["series", "ordinal"]).any()
