"""Baseline forecasts and intervals against statsmodels, fitted per series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from calc_factories import indicator, indicators, observations, random_series, series, targets
from statsmodels.tsa.holtwinters import Holt

from rba.calc import compute_curves, frozen_baseline

REL = 1e-9


def close(actual, expected, rel=REL):
    """Equal to `rel` relative to the size of the expected values (and at least 1)."""
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    scale = np.maximum(np.abs(expected), 1.0)
    assert actual.shape == expected.shape
    assert np.all(np.abs(actual - expected) <= rel * scale), np.max(
        np.abs(actual - expected) / scale)


def forecast_rows(rows: pd.DataFrame, series_id) -> pd.DataFrame:
    return rows[(rows["series"] == series_id) & rows["forecast"].notna()]


def ols_reference(history: pd.DataFrame, new_x: np.ndarray, level: float, log=False,
                  constant_only=False, origin=None) -> pd.DataFrame:
    """statsmodels OLS prediction frame for one series.

    The regressor is the ordinal counted from `origin` (default: the first period): the
    same model as on the raw ordinal, but with large ordinals (quarter 8000+) statsmodels'
    pinv on the raw ordinal loses ~1e-9 to ill-conditioning, while both this and the
    engine agree with exact rational arithmetic to ~1e-14.
    """
    y = history["value"].to_numpy(float)
    y = np.log(y) if log else y
    origin = history["ordinal"].min() if origin is None else origin
    x = history["ordinal"].to_numpy(float) - origin
    new_x = np.asarray(new_x, float) - origin
    exog = np.ones((len(x), 1)) if constant_only else sm.add_constant(x)
    new = (np.ones((len(new_x), 1)) if constant_only
           else sm.add_constant(new_x.astype(float), has_constant="add"))
    frame = sm.OLS(y, exog).fit().get_prediction(new).summary_frame(alpha=1 - level)
    return np.exp(frame) if log else frame


@pytest.mark.parametrize("level", [0.8, 0.95])
def test_linear_matches_statsmodels_for_many_series_at_once(level):
    obs = random_series(np.random.default_rng(7), 300)
    rows, summary = compute_curves(obs, indicators(), level=level)
    for sid, history in obs.groupby("series"):
        got = forecast_rows(rows, sid)
        ref = ols_reference(history, got["ordinal"].to_numpy(), level)
        close(got["forecast"], ref["mean"])
        close(got["forecast_lower"], ref["obs_ci_lower"])
        close(got["forecast_upper"], ref["obs_ci_upper"])
    assert (summary["method"] == "linear").all() and (summary["level"] == level).all()


def test_linear_matches_statsmodels_on_the_raw_ordinal_for_calendar_years():
    obs = random_series(np.random.default_rng(11), 100, first_ordinal=1990)
    rows, _ = compute_curves(obs, indicators(), level=0.95)
    for sid, history in obs.groupby("series"):
        got = forecast_rows(rows, sid)
        ref = ols_reference(history, got["ordinal"].to_numpy(), 0.95, origin=0)
        close(got["forecast"], ref["mean"])
        close(got["forecast_lower"], ref["obs_ci_lower"])
        close(got["forecast_upper"], ref["obs_ci_upper"])


def test_log_linear_matches_statsmodels_on_the_log_back_transformed():
    obs = random_series(np.random.default_rng(3), 120, positive=True)
    rows, summary = compute_curves(obs, indicators(), method="log_linear")
    for sid, history in obs.groupby("series"):
        got = forecast_rows(rows, sid)
        ref = ols_reference(history, got["ordinal"].to_numpy(), 0.95, log=True)
        close(got["forecast"], ref["mean"])
        close(got["forecast_lower"], ref["obs_ci_lower"])
        close(got["forecast_upper"], ref["obs_ci_upper"])
    assert (summary["method"] == "log_linear").all()


def test_average_is_ols_on_a_constant():
    obs = random_series(np.random.default_rng(4), 80)
    rows, _ = compute_curves(obs, indicators(), method="average", level=0.9)
    for sid, history in obs.groupby("series"):
        got = forecast_rows(rows, sid)
        ref = ols_reference(history, got["ordinal"].to_numpy(), 0.9, constant_only=True)
        close(got["forecast"], ref["mean"])
        close(got["forecast_lower"], ref["obs_ci_lower"])
        close(got["forecast_upper"], ref["obs_ci_upper"])


def test_flat_repeats_the_last_value_without_interval():
    rows, summary = compute_curves(series([3, 5, 4, 9, None]), indicators(), method="flat")
    got = forecast_rows(rows, 1)
    assert (got["forecast"] == 9).all() and got["forecast_lower"].isna().all()
    assert np.isnan(summary.loc[0, "level"])
    assert "point_only_method" in summary.loc[0, "notes"]


def test_holt_matches_statsmodels_holt_per_series():
    obs = random_series(np.random.default_rng(5), 6, min_len=10, gaps=False)
    rows, summary = compute_curves(obs, indicators(), method="holt")
    for sid, history in obs.groupby("series"):
        got = forecast_rows(rows, sid)
        fit = Holt(history["value"].to_numpy(), initialization_method="estimated").fit()
        close(got["forecast"], fit.forecast(len(got)), rel=1e-9)
        assert got["forecast_lower"].isna().all()
    assert (summary["method"] == "holt").all()


def test_holt_with_a_gap_falls_back_to_linear_and_says_so():
    obs = series([1, 2, 3, 5, 6, 7], ordinals=[1, 2, 3, 5, 6, 7])
    _, summary = compute_curves(obs, indicators(), method="holt")
    assert summary.loc[0, "method"] == "linear"
    assert "holt_gaps" in summary.loc[0, "notes"]


def test_two_points_give_the_line_through_them_and_no_interval():
    rows, summary = compute_curves(series([10, 14]), indicators())
    got = forecast_rows(rows, 1)
    assert got["ordinal"].tolist() == [2012, 2013, 2014, 2015, 2016]
    assert got["forecast"].tolist() == [18, 22, 26, 30, 34]
    assert got["forecast_lower"].isna().all()
    assert "two_points" in summary.loc[0, "notes"]


def test_one_point_gives_a_flat_forecast_and_says_why():
    rows, summary = compute_curves(series([7.5]), indicators())
    assert (forecast_rows(rows, 1)["forecast"] == 7.5).all()
    assert "one_point" in summary.loc[0, "notes"]


def test_no_history_gives_no_forecast_and_says_why():
    _, summary = compute_curves(series([None, None]), indicators())
    assert summary.loc[0, "method"] is None
    assert "no_history" in summary.loc[0, "notes"]


@pytest.mark.parametrize("frequency, steps", [("year", 5), ("quarter", 20), ("month", 60)])
def test_horizon_is_five_years_of_periods(frequency, steps):
    obs = series([1.0, 2.0, 4.0, 3.0], start=100)
    rows, _ = compute_curves(obs, indicators(indicator(frequency=frequency)))
    assert forecast_rows(rows, 1)["ordinal"].tolist() == list(range(104, 104 + steps))


def test_horizon_reaches_the_latest_target():
    obs = series([1.0, 2.0, 4.0, 3.0], start=2020)
    rows, summary = compute_curves(obs, indicators(), targets([(1, 2035, 9.0)]))
    got = forecast_rows(rows, 1)
    assert got["ordinal"].max() == 2035
    assert rows.loc[rows["ordinal"] == 2035, "target"].item() == 9.0
    assert summary.loc[0, "target"] == 9.0 and summary.loc[0, "target_period"] == 2035


def test_percent_forecasts_are_clipped_to_0_100_and_say_so():
    obs = series([80, 88, 95, 99], ordinals=[1, 2, 3, 4])
    rows, summary = compute_curves(obs, indicators(indicator(unit="percent")))
    got = forecast_rows(rows, 1)
    assert got["forecast"].max() == 100 and got["forecast_upper"].max() == 100
    assert summary.loc[0, "clipped_periods"] > 0
    assert "clipped_percent" in summary.loc[0, "notes"]


def test_counts_are_clipped_at_zero_and_say_so():
    rows, summary = compute_curves(series([30, 20, 12, 5]), indicators(indicator(unit="count")))
    assert forecast_rows(rows, 1)["forecast_lower"].min() == 0
    assert "clipped_zero" in summary.loc[0, "notes"]


def test_log_linear_with_a_zero_value_falls_back_to_linear():
    _, summary = compute_curves(series([0, 2, 3, 5]), indicators(), method="log_linear")
    assert summary.loc[0, "method"] == "linear"
    assert "log_fallback" in summary.loc[0, "notes"]


def test_history_through_limits_the_fit_to_that_period():
    values = [10, 11, 13, 12, 14, 30, 31]
    rows, summary = compute_curves(series(values), indicators(), history_through=2014)
    ref = ols_reference(series(values[:5]), np.arange(2015, 2020), 0.95)
    got = forecast_rows(rows, 1)
    close(got["forecast"], ref["mean"])
    assert summary.loc[0, "history_through"] == 2014
    assert rows.loc[rows["ordinal"] == 2015, "status"].item() == "better_than_forecast"


def test_method_and_history_through_can_differ_by_series():
    obs = observations(series([1, 2, 3, 5], series_id=1), series([4, 4, 5, 7], series_id=2))
    _, summary = compute_curves(obs, indicators(), method={2: "flat"},
                                history_through={1: 2012})
    assert summary["method"].tolist() == ["linear", "flat"]
    assert summary["history_through"].tolist() == [2012, 2013]


def test_a_frozen_baseline_is_used_even_after_history_is_revised():
    first = series([10, 11, 13, 12, 14])
    rows, summary = compute_curves(first, indicators(), level=0.9)
    frozen = frozen_baseline(rows, summary)
    assert set(frozen.columns) >= {"series", "ordinal", "period", "forecast", "lower", "upper",
                                   "method", "level", "history_through_ordinal"}
    later = series([2, 3, 1, 5, 4, 40, 2])  # history revised, new actuals arrived
    rows2, summary2 = compute_curves(later, indicators(), frozen=frozen)
    judged = rows2[rows2["forecast"].notna()]
    close(judged["forecast"], frozen["forecast"])
    close(judged["forecast_lower"], frozen["lower"])
    assert rows2.loc[rows2["ordinal"] == 2015, "status"].item() == "better_than_forecast"
    assert rows2.loc[rows2["ordinal"] == 2016, "status"].item() == "worse_than_forecast"
    assert summary2.loc[0, "level"] == 0.9 and summary2.loc[0, "history_through"] == 2014
    assert "frozen" in summary2.loc[0, "notes"]
