"""The team page shows no figure that small-group suppression withholds, and no total that
with the parts other pages publish would reveal one (hand-made stores, both backends)."""

from __future__ import annotations

import datetime as dt
import importlib
import math

import pandas as pd
import pytest
from factories import by_id, text, walk
from sqlalchemy.orm import Session, sessionmaker

from rba.dimensions import dimension_key
from rba.models import (
    Dimension,
    DimensionValue,
    Indicator,
    Observation,
    ObservationRevision,
    Result,
    ResultTeam,
)
from rba.services.scorecard import public_inputs, scorecard
from rba.services.team import display_table, team_review
from rba.store import session_scope

MEETING = dt.date(2025, 10, 1)
YEARS = ["2021-22", "2022-23", "2023-24", "2024-25"]
CITY = {c: dimension_key({"city": c}) for c in ("Pasadena", "Altadena", "Sierra Madre")}
#: Families housed, by city; no total row: pages roll the total up from the cities. Sierra
#: Madre's 6 families in 2024-25 are under min_n 11, so that figure is withheld, and so is
#: Altadena's (the total would give Sierra Madre's away).
HOUSED = {"Pasadena": [100, 104, 110, 120], "Altadena": [30, 32, 35, 40],
          "Sierra Madre": [12, 14, 13, 6]}
#: A rate's total alone; 2024-25 counts 8 students, under min_n 11.
ABSENT = [(20, 100), (18, 100), (15, 100), (4, 8)]


def seed(session: Session) -> None:
    team = ResultTeam(slug="homes", name="Stable Homes Team")
    result = Result(code="R5", name="Stable and supportive environments", display_order=5,
                    team=team)
    housed = Indicator(code="housed", result=result, name="Families housed", unit="count",
                       polarity="up", frequency="school_year", kind="headline",
                       dimensions="city", min_n=11, display_order=1)
    absent = Indicator(code="absent", result=result, name="Chronic absence",
                       name_es="Ausentismo crónico", unit="percent", polarity="down",
                       frequency="school_year", kind="headline", min_n=11, display_order=2)
    city = Dimension(name="city", label="City", label_es="Ciudad", values=[
        DimensionValue(value=c, label=c, display_order=i) for i, c in enumerate(CITY)])
    session.add_all([team, result, housed, absent, city])
    session.flush()
    session.add_all([
        Observation(indicator_id=housed.id, period=year, dimensions=CITY[c], value=v,
                    entered_by="t")
        for c, values in HOUSED.items() for year, v in zip(YEARS, values, strict=True)])
    session.add_all([
        Observation(indicator_id=absent.id, period=year, value=100 * n / d, numerator=n,
                    denominator=d, entered_by="t")
        for year, (n, d) in zip(YEARS, ABSENT, strict=True)])
    # Sierra Madre's 2024-25 figure was revised from 7 to 6 (both too few to publish), and
    # Pasadena's from 118 to 120.
    recent = dt.datetime(2025, 9, 1, tzinfo=dt.UTC)
    for c, old, new in (("Sierra Madre", 7.0, 6.0), ("Pasadena", 118.0, 120.0)):
        session.add_all([
            ObservationRevision(indicator_id=housed.id, period="2024-25", dimensions=CITY[c],
                                revision=r, value=v, status="final", entered_by="coordinator",
                                entered_at=recent)
            for r, v in ((1, old), (2, new))])


@pytest.fixture
def store(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    with session_scope(factory) as session:
        seed(session)
    return factory


def review(factory: sessionmaker[Session]):
    with factory() as session:
        found = team_review(session=session, slug="homes", as_of=MEETING,
                            revised_since=dt.date(2025, 8, 1))
    assert found is not None
    return found


def scorecard_figures(factory: sessionmaker[Session]) -> pd.DataFrame:
    """The scorecard's public figures of "housed" and "absent" (withheld ones dropped)."""
    with factory() as session:
        public = public_inputs(session=session).observations
    return public[public["value"].notna().to_numpy()]


def test_the_team_pages_totals_are_the_scorecards(store) -> None:
    with store() as session:
        summary = scorecard(session=session, today=MEETING,
                            inputs=public_inputs(session=session))
    totals = summary[summary["dimensions"] == "{}"].set_index("indicator")
    team = review(store).indicators.set_index("indicator")
    for code in ("housed", "absent"):
        assert (team.loc[code, "latest_period"], team.loc[code, "latest_value"]) == (
            totals.loc[code, "latest_period"], totals.loc[code, "latest_value"]), code
    # 2024-25's total of 166 is published: the scorecard withholds Altadena's 40 as well as
    # Sierra Madre's 6, so 166 - 120 leaves 46 for the two together.
    housed = team.loc["housed"]
    assert (housed["latest_period"], housed["latest_value"]) == ("2024-25", 166.0)
    assert (housed["previous_period"], housed["change"]) == ("2023-24", 8.0)
    assert not housed["latest_withheld"]


def test_no_total_on_the_team_page_gives_a_part_away(store) -> None:
    shown = scorecard_figures(store)
    housed = review(store).indicators.set_index("indicator").loc["housed"]
    for period in (housed["latest_period"], housed["previous_period"]):
        parts = set(shown.loc[(shown["indicator"] == "housed") & (shown["period"] == period),
                              "dimensions"]) - {"{}"}
        # Total minus the published parts must never leave exactly one city.
        assert len(set(CITY.values()) - parts) != 1, period


def test_a_small_total_is_withheld_with_what_it_would_show(store) -> None:
    frame = review(store).indicators
    absent = frame.set_index("indicator").loc["absent"]
    assert (absent["latest_period"], absent["latest_value"]) == ("2023-24", 15.0)
    assert absent["change"] == pytest.approx(-3.0)  # against 2022-23, not the withheld 50%
    # Entered, though withheld: not overdue, and next expected is the year after.
    assert absent["latest_withheld"] and absent["next_expected_period"] == "2025-26"
    assert not absent["overdue"]
    table = display_table(frame, "es").set_index("Nombre")
    row = table.loc["Ausentismo crónico"]
    assert row["Valor"] == "15.0%" and "50.0%" not in set(table.to_numpy().ravel())


def test_no_figure_on_the_team_page_is_a_withheld_one(store) -> None:
    found = review(store)
    numbers = set(found.indicators[["latest_value", "previous_value", "change", "target"]]
                  .to_numpy(dtype=float).ravel())
    # Not Sierra Madre's 6 (or 7), nor Altadena's withheld 40, nor the 50% of 8 students.
    assert not numbers & {6.0, 7.0, 40.0, 50.0}


def test_revised_figures_of_withheld_cells_are_listed_without_them(store) -> None:
    revisions = review(store).revisions.set_index("dimensions")
    small = revisions.loc[CITY["Sierra Madre"]]
    assert small["withheld"] and math.isnan(small["value"])
    assert math.isnan(small["previous_value"])
    big = revisions.loc[CITY["Pasadena"]]
    assert not big["withheld"] and (big["previous_value"], big["value"]) == (118.0, 120.0)


def test_team_page_says_what_is_withheld(store, monkeypatch) -> None:
    from dashboards.app import create_app

    app = create_app(store.kw["bind"].url.render_as_string(hide_password=False))
    with app.server.test_request_context("/?lang=es"):
        team = importlib.import_module("dashboards.pages.team")

        monkeypatch.setattr(team, "allowed", lambda _policy: True)  # staff: revisions too
        layout = team.layout(slug="homes", lang="es", as_of=MEETING.isoformat())
    words = text(layout)
    assert "50.0%" not in words and "15.0%" in words
    note = text(by_id(layout, "team-withheld"))
    assert "Ausentismo crónico" in note and "Families housed" not in note
    revised = text(by_id(layout, "team-revisions"))
    assert "Ciudad: Sierra Madre" in revised and "Ciudad: Pasadena" in revised
    assert "Omitido" in revised and "118.0" in revised
    assert [n for n in walk(layout) if getattr(n, "id", None) == "team-page"]
