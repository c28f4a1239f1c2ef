"""A result team's quarterly review: changes, revisions, overdue data and program measures."""

from __future__ import annotations

import datetime as dt
import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from factories import SAMPLE_DIR
from sqlalchemy.orm import Session, sessionmaker

from rba.report.team import (
    CHANGE_COLUMNS,
    INDICATOR_COLUMNS,
    MEASURE_COLUMNS,
    display_table,
    measure_sections,
    period_changes,
)
from rba.services.demo import load_sample
from rba.services.team import team_review
from rba.store import connect, session_scope

MEETING = dt.date(2026, 11, 1)


def test_period_changes_by_hand() -> None:
    rows = pd.DataFrame({
        "series": ["up"] * 5 + ["down"] * 2 + ["one"] + ["flat"] * 2,
        "ordinal": [1, 2, 3, 4, 5, 1, 2, 7, 1, 2],
        "period": ["p1", "p2", "p3", "p4", "p5", "q1", "q2", "r7", "f1", "f2"],
        "actual": [10, 12, 11, np.nan, np.nan, 5, 4, 3, 8, 8],  # p4 a gap, p5 forecast only
    })
    polarity = pd.Series({"up": "up", "down": "down", "one": "up", "flat": "down"})
    out = period_changes(rows, polarity).set_index("series")
    assert list(out.reset_index().columns) == CHANGE_COLUMNS
    assert out.loc["up", ["latest_period", "latest_value", "previous_period",
                          "previous_value", "change", "change_direction"]].tolist() == [
        "p3", 11.0, "p2", 12.0, -1.0, "worsening"]
    assert out.loc["down", ["change", "change_direction"]].tolist() == [-1.0, "improving"]
    assert out.loc["one", "previous_period"] is None or pd.isna(out.loc["one",
                                                                        "previous_period"])
    assert math.isnan(out.loc["one", "change"]) and out.loc["one", "change_direction"] == "none"
    assert out.loc["flat", "change_direction"] == "unchanged"


def test_gaps_are_skipped_for_the_period_before() -> None:
    rows = pd.DataFrame({"series": ["s"] * 3, "ordinal": [2019, 2020, 2021],
                         "period": ["2019-20", "2020-21", "2021-22"],
                         "actual": [40.0, np.nan, 45.0]})
    out = period_changes(rows, pd.Series({"s": "up"}))
    assert out[["previous_period", "change"]].values.tolist() == [["2019-20", 5.0]]


@pytest.fixture
def session(sample_url: str) -> Iterator[Session]:
    factory: sessionmaker[Session] = connect(sample_url)
    with factory() as s:
        yield s
    factory.kw["bind"].dispose()


def test_unknown_team_is_none(session: Session) -> None:
    assert team_review(session=session, slug="no-such-team", as_of=MEETING) is None


def test_team_indicators_with_this_period_against_the_last(session: Session) -> None:
    review = team_review(session=session, slug="academic-success", as_of=MEETING)
    assert review is not None
    assert review.team["facilitator"] == "Marcus Bell"
    assert review.team["members"][:2] == ("Linda Nakamura", "Roberto Salas")
    assert review.results["result"].tolist() == ["R2"]
    frame = review.indicators
    assert list(frame.columns) == INDICATOR_COLUMNS
    assert frame["indicator"].tolist() == ["read_3rd", "grad_rate", "a_g_complete",
                                           "cci_prepared", "math_8th", "el_reclass",
                                           "college_persistence"]
    read = frame.set_index("indicator").loc["read_3rd"]
    # data/sample/observations.csv: 48.1 in 2024-25, 47.7 (provisional) in 2025-26
    assert (read["previous_period"], read["previous_value"]) == ("2024-25", 48.1)
    assert (read["latest_period"], read["latest_value"]) == ("2025-26", 47.7)
    assert read["change"] == pytest.approx(-0.4)
    assert read["change_direction"] == "worsening"
    assert read["next_expected_period"] == "2026-27" and not read["overdue"]
    grad = frame.set_index("indicator").loc["grad_rate"]
    assert grad["change"] == pytest.approx(2.8) and grad["change_direction"] == "improving"
    # A data development agenda indicator is listed with no figures.
    wanted = frame.set_index("indicator").loc["college_persistence"]
    assert wanted["kind"] == "development" and pd.isna(wanted["latest_value"])


def test_team_measures_in_the_three_kinds(session: Session) -> None:
    review = team_review(session=session, slug="academic-success", as_of=MEETING)
    assert review is not None
    measures = review.measures
    assert list(measures.columns) == MEASURE_COLUMNS
    # Programs contributing to R2: dual language, family literacy, summer learning, STEAM.
    assert sorted(measures["program"].unique()) == ["dual_language", "family_literacy",
                                                    "summer_learning", "teen_steam"]
    assert measures["kind"].tolist() == ["how_much"] * 4 + ["how_well"] * 6 + [
        "better_off"] * 4
    steam = measures.set_index("measure").loc["steam_enrolled"]
    assert (steam["previous_period"], steam["previous_value"], steam["latest_period"],
            steam["latest_value"], steam["change"]) == ("2026-Q2", 194.0, "2026-Q3", 465.0,
                                                        271.0)
    cost = measures.set_index("measure").loc["summer_cost_per"]  # down is good
    assert cost["change"] < 0 and cost["change_direction"] == "improving"
    reading = measures.set_index("measure").loc["summer_reading_up"]
    assert (reading["target"], reading["target_period"]) == (62.0, "2026-27")
    sections = measure_sections(measures, "en")
    assert [(heading, len(rows)) for heading, rows in sections] == [
        ("How much did we do?", 4), ("How well did we do it?", 6),
        ("Is anyone better off?", 4)]
    assert [h for h, _ in measure_sections(measures, "es")] == [
        "¿Cuánto hicimos?", "¿Qué tan bien lo hicimos?", "¿Hay alguien en mejor situación?"]


def test_overdue_series(session: Session) -> None:
    review = team_review(session=session, slug="academic-success", as_of=MEETING)
    assert review is not None and review.overdue.empty
    later = team_review(session=session, slug="academic-success", as_of=dt.date(2027, 6, 1))
    assert later is not None
    # Quarterly measures last reported 2026-Q3: 2026-Q4 ended Dec 31, due 120 days later
    # (April 30, 2027), so 32 days late on June 1. School-year series are not yet due.
    overdue = later.overdue
    assert set(overdue["owner"]) == {"measure"}
    assert sorted(overdue["code"]) == ["fl_nights", "fl_read_more", "fl_useful",
                                       "steam_confident", "steam_enrolled", "steam_hours",
                                       "steam_on_time"]
    assert set(overdue["next_expected_period"]) == {"2026-Q4"}
    assert set(overdue["days_overdue"]) == {32}
    assert set(overdue["due_by"]) == {dt.date(2027, 4, 30)}


def test_revisions_since_the_last_meeting(sample_copy: str, tmp_path: Path) -> None:
    factory = connect(sample_copy)
    changed = tmp_path / "sample"
    shutil.copytree(SAMPLE_DIR, changed)
    path = changed / "observations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "read_3rd,2024-25,48.1,428,890,final,,,",
        "read_3rd,2024-25,48.2,429,890,final,Corrected by the district,,").replace(
        "kinder_ready,2016-17,57.6,581,1008", "kinder_ready,2016-17,57.7,582,1008"),
        encoding="utf-8")
    with session_scope(factory) as s:
        load_sample(session=s, sample_dir=changed, actor="coordinator")
    today = dt.datetime.now(dt.UTC).date()
    with factory() as s:
        review = team_review(session=s, slug="academic-success", as_of=today)
    factory.kw["bind"].dispose()
    assert review is not None and review.revised_since == (
        pd.Timestamp(today) - pd.DateOffset(months=3)).date()
    # Only this team's figures: kinder_ready belongs to the early childhood team.
    assert review.revisions[["code", "period", "previous_value", "value", "name"]
                            ].values.tolist() == [
        ["read_3rd", "2024-25", 48.1, 48.2, "3rd graders reading at grade level"]]
    changes = review.indicators.set_index("indicator").loc["read_3rd"]
    assert changes["previous_value"] == 48.2


def test_display_table_in_spanish(session: Session) -> None:
    review = team_review(session=session, slug="academic-success", as_of=MEETING)
    assert review is not None
    table = display_table(review.indicators, "es")
    assert list(table.columns) == [
        "Nombre", "Frente a su línea de base", "Período", "Valor", "Período anterior",
        "Valor anterior", "Cambio", "Comparado con el período anterior", "Tendencia", "Meta",
        "Situación frente a la meta"]
    first = table.iloc[0].tolist()
    verdict = review.indicators["verdict"].iloc[0]
    assert first[1] == {"on_baseline": "En su línea de base",
                        "better_than_baseline": "Mejor que su línea de base",
                        "worse_than_baseline": "Peor que su línea de base"}[verdict]
    del first[1]
    assert first == ["Estudiantes de 3.er grado que leen al nivel de su grado",
                     "Año escolar 2025-26", "47.7%", "Año escolar 2024-25", "48.1%",
                     "-0.4 p. p.", "Peor que el período anterior", "Empeorando", "50.5%",
                     "Cerca de la meta"]
    english = display_table(review.measures, "en")
    assert english["Against its baseline"].iloc[0] in (
        "Better than its baseline", "On its baseline", "Worse than its baseline")
    english = english.drop(columns="Against its baseline")
    assert english.iloc[0].tolist()[:6] == [
        "Students enrolled in dual language immersion", "School year 2025-26", "2,311",
        "School year 2024-25", "2,260", "+51"]
