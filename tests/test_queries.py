"""Read queries for the dashboard: the frames rba.calc takes, the overview, one indicator."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from factories import ALTADENA, seed_store
from sqlalchemy.orm import Session

from rba.calc import compute_curves
from rba.models import (
    Baseline,
    BaselinePoint,
    Indicator,
)
from rba.periods import parse_period
from rba.services.curves import indicator_detail
from rba.store import connect, session_scope
from rba.store.catalogue import results_overview
from rba.store.figures import FROZEN_COLUMNS, curve_inputs, frozen_baselines
from rba.store.frames import series_id


@pytest.fixture
def seeded(sqlite_url: str) -> str:
    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
    return sqlite_url


@pytest.fixture
def read(seeded: str):
    factory = connect(seeded)
    with factory() as session:
        yield session
    factory.kw["bind"].dispose()


def test_curve_inputs_are_the_frames_calc_takes(read: Session) -> None:
    inputs = curve_inputs(session=read)
    assert list(inputs.observations.columns) == [
        "series", "indicator", "dimensions", "period", "ordinal", "value", "numerator",
        "denominator"]
    assert list(inputs.indicators.columns) == [
        "indicator", "unit", "per", "polarity", "frequency", "periods_per_year", "kind",
        "result"]
    assert list(inputs.targets.columns) == ["series", "ordinal", "period", "value"]
    assert list(inputs.series.columns) == ["series", "indicator", "dimensions"]
    arrests = inputs.indicators.set_index("indicator").loc["arrests"]
    assert (arrests["unit"], arrests["per"], arrests["periods_per_year"]) == ("rate", 1000, 1)
    assert arrests["result"] == "R2"


def test_ordinals_come_from_each_indicators_frequency(read: Session) -> None:
    obs = curve_inputs(session=read).observations.set_index(["series", "period"])
    assert obs.loc[("grad_rate:{}", "2023-24"), "ordinal"] == \
        parse_period("2023-24", "school_year").ordinal
    assert obs.loc[("arrests:{}", "2023"), "ordinal"] == parse_period("2023", "year").ordinal
    assert math.isnan(obs.loc[("arrests:{}", "2024"), "value"])  # missing is never zero


def test_series_ids_name_indicator_and_group(read: Session) -> None:
    inputs = curve_inputs(session=read, codes=["grad_rate"])
    assert set(inputs.observations["indicator"]) == {"grad_rate"}
    assert set(inputs.series["series"]) == {series_id("grad_rate", "{}"),
                                            series_id("grad_rate", ALTADENA)}
    assert inputs.targets.to_dict("records") == [
        {"series": "grad_rate:{}", "ordinal": 2025, "period": "2025-26", "value": 85.0}]


def test_curve_inputs_feed_compute_curves(read: Session) -> None:
    inputs = curve_inputs(session=read, codes=["grad_rate"])
    rows, summary = compute_curves(inputs.observations, inputs.indicators, inputs.targets)
    total = rows[rows["series"] == "grad_rate:{}"].set_index("period")
    assert total.loc["2023-24", "actual"] == 82.1
    assert total.loc["2025-26", "target"] == 85.0
    assert total["forecast"].notna().any()
    assert set(summary["series"]) == {"grad_rate:{}", f"grad_rate:{ALTADENA}"}


def test_empty_store_gives_empty_frames(sqlite_url: str) -> None:
    with connect(sqlite_url)() as session:
        inputs = curve_inputs(session=session)
        assert inputs.observations.empty and inputs.targets.empty
        assert results_overview(session=session).empty


def test_overview_lists_results_in_order_with_latest_totals(read: Session) -> None:
    overview = results_overview(session=read)
    assert list(dict.fromkeys(overview["result"])) == ["R1", "R2"]
    assert overview[overview["result"] == "R1"]["indicator"].isna().all()
    r2 = overview[overview["result"] == "R2"].set_index("indicator")
    assert list(r2.index) == ["grad_rate", "arrests", "in_college"]  # not the unpublished
    assert r2.loc["grad_rate", "team"] == "Academic Success Result Team"
    assert (r2.loc["grad_rate", "latest_period"], r2.loc["grad_rate", "latest_value"]) == \
        ("2023-24", 82.1)
    # 2024 has no value, so the latest figure is 2023's; a blank is never the latest.
    assert (r2.loc["arrests", "latest_period"], r2.loc["arrests", "latest_value"]) == \
        ("2023", 4.2)
    assert pd.isna(r2.loc["in_college", "latest_value"])


def test_indicator_detail(read: Session) -> None:
    detail = indicator_detail(session=read, code="grad_rate")
    assert detail is not None
    assert detail.indicator["name"] == "High school graduation rate"
    assert detail.indicator["result_name"] == "Students succeed academically"
    assert detail.indicator["dimensions"] == ["city"]
    assert (detail.indicator["unit"], detail.indicator["polarity"]) == ("percent", "up")
    assert detail.story is not None and detail.story["version"] == 2
    assert detail.story["story_behind_the_curve"] == "Credit recovery helped."
    labels = detail.dimension_labels
    assert labels[labels["value"].isna()].set_index("dimension")["label"]["city"] == "City"


@pytest.mark.parametrize("code", ["nope", "hidden", ""])
def test_indicator_detail_of_unknown_or_unpublished_is_none(read: Session, code: str) -> None:
    assert indicator_detail(session=read, code=code) is None


def test_frozen_baselines_keep_the_latest_agreement(seeded: str) -> None:
    with session_scope(connect(seeded)) as session:
        grad = session.query(Indicator).filter_by(code="grad_rate").one()
        for agreed, value in ((dt.datetime(2024, 1, 1), 80.0), (dt.datetime(2025, 1, 1), 83.0)):
            session.add(Baseline(
                indicator_id=grad.id, history_through="2023-24", method="linear", level=0.9,
                agreed_by="team", agreed_at=agreed,
                points=[BaselinePoint(period="2024-25", forecast=value, lower=value - 2,
                                      upper=value + 2)]))
    with connect(seeded)() as session:
        frozen = frozen_baselines(session=session)
        inputs = curve_inputs(session=session, codes=["grad_rate"])
    assert list(frozen.columns) == FROZEN_COLUMNS
    assert frozen[["series", "period", "forecast", "level"]].to_dict("records") == [
        {"series": "grad_rate:{}", "period": "2024-25", "forecast": 83.0, "level": 0.9}]
    assert frozen["history_through_ordinal"].tolist() == [2023]
    assert len(inputs.frozen) == 1
    rows, _ = compute_curves(inputs.observations, inputs.indicators, inputs.targets,
                             frozen=inputs.frozen)
    point = rows[(rows["series"] == "grad_rate:{}") & (rows["period"] == "2024-25")]
    assert point["forecast"].tolist() == [83.0]


def test_frames_hold_enum_columns_as_plain_text_even_after_a_blank_first_row() -> None:
    from rba.models import ObservationStatus
    from rba.store.frames import rows_frame as _frame

    frame = _frame([(None, 1.0), (ObservationStatus.final, 2.0)], ["status", "value"])
    assert [type(v) for v in frame["status"].dropna()] == [str]
    assert frame["status"].isna().tolist() == [True, False]
    assert frame["status"].iloc[1] == "final"
    assert _frame([], ["status"]).empty
