"""Read queries for programs, partners, measures, teams and revisions (on each backend)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from factories import SAMPLE_DIR
from sqlalchemy.orm import Session, sessionmaker

from rba.calc import compute_curves
from rba.services.demo import load_sample
from rba.store import session_scope
from rba.store.catalogue import dimension_labels, indicator_table, result_table, result_teams_frame
from rba.store.figures import (
    INDICATOR_COLUMNS,
    OBSERVATION_COLUMNS,
    REVISION_COLUMNS,
    curve_inputs,
    revisions_since,
)
from rba.store.programs import (
    MEASURE_COLUMNS,
    PROGRAM_COLUMNS,
    measures_frame,
    partners_frame,
    program_indicators_frame,
    program_partners_frame,
    program_results_frame,
    programs_frame,
)


@pytest.fixture
def sample(sample_factory: sessionmaker[Session]) -> Iterator[Session]:
    with sample_factory() as session:
        yield session


def test_programs_partners_and_links(sample: Session) -> None:
    programs = programs_frame(session=sample).set_index("program")
    assert list(programs.reset_index().columns) == PROGRAM_COLUMNS
    assert len(programs) == 9
    summer = programs.loc["summer_learning"]
    assert summer["lead_partner"] == "Pasadena Unified School District"
    assert summer["annual_funding"] == 850000.0
    assert summer["name_es"] == "Academia de Aprendizaje de Verano"
    assert pd.isna(programs.loc["youth_diversion", "annual_funding"])

    partners = partners_frame(session=sample).set_index("partner")
    assert partners.loc["City of Pasadena", "type"] == "city"

    links = program_partners_frame(session=sample)
    summer_links = links[links["program"] == "summer_learning"]
    assert summer_links.iloc[0].to_dict() == {
        "program": "summer_learning", "partner": "Pasadena Unified School District",
        "lead": True}
    assert set(summer_links["partner"]) == {
        "Pasadena Unified School District", "City of Pasadena", "Pasadena Public Library",
        "Pasadena Educational Foundation"}
    assert not links.duplicated(["program", "partner"]).any()

    results = program_results_frame(session=sample)
    assert sorted(results.loc[results["program"] == "family_literacy", "result"]) == [
        "R2", "R6"]
    indicators = program_indicators_frame(session=sample)
    assert indicators[indicators["indicator"] == "chronic_absence"]["program"].tolist() == [
        "attendance_mentors", "attendance_outreach", "healthy_start"]
    assert set(indicators.loc[indicators["indicator"] == "read_3rd", "result"]) == {"R2"}


def test_measures_feed_compute_curves(sample: Session) -> None:
    measures = measures_frame(session=sample, programs=["summer_learning"])
    assert list(measures.columns) == MEASURE_COLUMNS
    assert measures["measure"].tolist() == ["summer_served", "summer_attendance",
                                            "summer_cost_per", "summer_reading_up"]
    assert measures["kind"].tolist() == ["how_much", "how_well", "how_well", "better_off"]
    assert measures["periods_per_year"].tolist() == [1.0] * 4

    inputs = curve_inputs(session=sample, owner="measure", codes=["summer_served",
                                                            "summer_reading_up"])
    assert list(inputs.observations.columns) == OBSERVATION_COLUMNS
    assert list(inputs.indicators.columns) == INDICATOR_COLUMNS
    served = inputs.observations[inputs.observations["indicator"] == "summer_served"]
    assert served["period"].tolist()[:3] == ["2019-20", "2020-21", "2021-22"]
    assert served["value"].tolist()[:3] == [1502.0, 884.0, 1597.0]
    assert served["ordinal"].tolist()[:2] == [2019, 2020]
    assert inputs.indicators.set_index("indicator").loc["summer_reading_up", "result"] == (
        "summer_learning")
    assert inputs.targets[["series", "period", "value"]].values.tolist() == [
        ["summer_reading_up:{}", "2026-27", 62.0]]
    assert inputs.frozen.empty
    _, summary = compute_curves(inputs.observations, inputs.indicators, inputs.targets)
    summary = summary.set_index("indicator")
    assert summary.loc["summer_served", "latest_value"] == 1869.0
    assert summary.loc["summer_reading_up", "target"] == 62.0


def test_teams_results_labels_and_indicators(sample: Session) -> None:
    teams = result_teams_frame(session=sample).set_index("team")
    assert teams.loc["academic-success", "facilitator"] == "Marcus Bell"
    results = result_table(session=sample)
    assert results["result"].tolist() == [f"R{i}" for i in range(1, 8)]
    assert results.set_index("result").loc["R2", "team"] == "academic-success"
    labels = dimension_labels(session=sample)
    city = labels[(labels["dimension"] == "city") & labels["value"].isna()].iloc[0]
    assert (city["label"], city["label_es"]) == ("City", "Ciudad")
    table = indicator_table(session=sample).set_index("indicator")
    assert table.loc["kinder_ready", "min_n"] == 11
    assert pd.isna(table.loc["preschool_enroll", "min_n"])
    assert table.loc["read_3rd", "dimensions"] == "student_group, city"


def test_revisions_since_a_date(sample: Session, sample_factory: sessionmaker[Session],
                                tmp_path: Path) -> None:
    assert revisions_since(session=sample, since=dt.date(2000, 1, 1)).empty  # first entries
    changed = tmp_path / "sample"
    shutil.copytree(SAMPLE_DIR, changed)
    obs = (changed / "observations.csv").read_text(encoding="utf-8")
    (changed / "observations.csv").write_text(obs.replace(
        "kinder_ready,2016-17,57.6,581,1008", "kinder_ready,2016-17,57.7,582,1008"),
        encoding="utf-8")
    measures = (changed / "measure_observations.csv").read_text(encoding="utf-8")
    (changed / "measure_observations.csv").write_text(measures.replace(
        "summer_served,2019-20,1502,", "summer_served,2019-20,1510,"), encoding="utf-8")
    with session_scope(sample_factory) as session:
        load_sample(session=session, sample_dir=changed, actor="coordinator")
    sample.expire_all()
    today = dt.datetime.now(dt.UTC).date()
    revised = revisions_since(session=sample, since=today)
    assert list(revised.columns) == REVISION_COLUMNS
    got = revised[["owner", "code", "period", "dimensions", "revision", "previous_value",
                   "value", "entered_by"]].sort_values("owner").values.tolist()
    assert got == [["indicator", "kinder_ready", "2016-17", "{}", 2, 57.6, 57.7, "coordinator"],
                   ["measure", "summer_served", "2019-20", "{}", 2, 1502.0, 1510.0,
                    "coordinator"]]
    assert revisions_since(session=sample, since=today + dt.timedelta(days=1)).empty
    only = revisions_since(session=sample, since=today, indicators=["kinder_ready"],
                           measures=[])
    assert only["code"].tolist() == ["kinder_ready"]
    assert revisions_since(session=sample, since=today, indicators=[], measures=[]).empty
