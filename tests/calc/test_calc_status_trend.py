"""Turn-the-curve status and current trend, against hand-computed tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from calc_factories import indicator, indicators, observations, series

from rba.calc import compute_curves, current_trend, turn_the_curve_status

NAN = np.nan


@pytest.mark.parametrize("actual, forecast, lower, upper, polarity, expected", [
    (12, 10, 8, 11, "up", "better_than_forecast"),
    (11, 10, 8, 11, "up", "within_forecast"),  # on the bound is not beyond it
    (7, 10, 8, 11, "up", "worse_than_forecast"),
    (12, 10, 8, 11, "down", "worse_than_forecast"),
    (7, 10, 8, 11, "down", "better_than_forecast"),
    (9, 10, 8, 11, "down", "within_forecast"),
    (10.5, 10, NAN, NAN, "up", "better_than_forecast"),  # no interval: compare with point
    (9.5, 10, NAN, NAN, "up", "worse_than_forecast"),
    (10, 10, NAN, NAN, "down", "within_forecast"),
    (NAN, 10, 8, 11, "up", None),
    (10, NAN, NAN, NAN, "up", None),
])
def test_status_table(actual, forecast, lower, upper, polarity, expected):
    got = turn_the_curve_status([actual], [forecast], [lower], [upper], [polarity])
    assert (got[0] if expected else pd.isna(got[0])) == (expected or True)


@pytest.mark.parametrize("values, polarity, direction, periods", [
    ([1, 2, 3, 4], "up", "improving", 3),  # three rises in a row, up is good
    ([1, 2, 3, 4], "down", "worsening", 3),
    ([4, 3, 3.5, 2], "down", "improving", 1),
    ([5, 4, 3, 3], "up", "flat", 1),
    ([5, 3, 3, 3], "down", "flat", 2),
    ([2, 1, 5, 6, 7], "up", "improving", 3),
    ([2, None, 3, None, 4, 1], "up", "worsening", 1),  # gaps are skipped, never zero
    ([2, None, 3, None, 4], "up", "improving", 2),
    ([7], "up", "none", 0),
    ([None, 7, None], "up", "none", 0),
    ([], "up", None, None),
])
def test_trend_table(values, polarity, direction, periods):
    frame = series(values).assign(polarity=polarity)
    got = current_trend(frame)
    if direction is None:
        assert got.empty
    else:
        assert (got.iloc[0]["trend_direction"], got.iloc[0]["trend_periods"]) == (direction,
                                                                                  periods)


def test_trend_steps_follow_ordinals_not_row_order():
    frame = series([5, 1, 2, 3], ordinals=[2014, 2010, 2011, 2012]).assign(polarity="up")
    got = current_trend(frame)
    assert got.iloc[0]["trend_direction"] == "improving"
    assert got.iloc[0]["trend_periods"] == 3


def test_curves_report_status_of_each_period_after_the_history():
    history = [10, 10.5, 11, 11.5, 12, 12.5]
    obs = series(history + [30, 13.5, 0], start=2010)
    rows, summary = compute_curves(obs, indicators(), history_through=2015)
    after = rows[rows["ordinal"] > 2015].set_index("ordinal")
    assert after.loc[2016, "status"] == "better_than_forecast"
    assert after.loc[2017, "status"] == "within_forecast"  # on the line, no noise: tiny CI
    assert after.loc[2018, "status"] == "worse_than_forecast"
    assert after.loc[[2019, 2020], "status"].isna().all()  # no actual yet
    assert summary.loc[0, "latest_status"] == "worse_than_forecast"
    assert rows.loc[rows["ordinal"] <= 2015, "status"].isna().all()


def test_curves_trend_matches_current_trend():
    obs = observations(series([1, 2, 3, 4], series_id=1),
                       series([3, 3, 2, 2, 2], series_id=2, code="DOWN"))
    ind = indicators(indicator(), indicator("DOWN", polarity="down"))
    _, summary = compute_curves(obs, ind)
    assert summary["trend_direction"].tolist() == ["improving", "flat"]
    assert summary["trend_periods"].tolist() == [3, 2]
