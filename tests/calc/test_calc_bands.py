"""Both bands of a baseline, the chosen level's and the inner 80%, from one fit: against
statsmodels at both levels, and the 80% band always inside the wider one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from calc_factories import indicator, indicators, random_series, series
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from rba.calc import compute_curves, frozen_baseline
from rba.calc.smoothing import _ets

BANDS = ["forecast_lower", "forecast_lower_80", "forecast", "forecast_upper_80",
         "forecast_upper"]


def ahead(rows: pd.DataFrame, series_id: object) -> pd.DataFrame:
    return rows[((rows["series"] == series_id) & rows["forecast"].notna()).to_numpy()]


@pytest.mark.parametrize(("method", "log", "constant_only"),
                         [("linear", False, False), ("log_linear", True, False),
                          ("average", False, True)])
def test_both_bands_are_statsmodels_prediction_intervals_of_one_ols_fit(
        method: str, log: bool, constant_only: bool) -> None:
    obs = random_series(np.random.default_rng(3), 40, positive=log)
    rows, summary = compute_curves(obs, indicators(), method=method, level=0.95)
    assert (summary["method"] == method).all()
    for sid, history in obs.groupby("series"):
        got = ahead(rows, sid)
        y = history["value"].to_numpy(float)
        x = history["ordinal"].to_numpy(float) - 8000
        new_x = got["ordinal"].to_numpy(float) - 8000
        exog = np.ones((len(x), 1)) if constant_only else sm.add_constant(x)
        new = np.ones((len(new_x), 1)) if constant_only else sm.add_constant(
            new_x, has_constant="add")
        fit = sm.OLS(np.log(y) if log else y, exog).fit()  # one fit, two levels
        for alpha, lower, upper in ((0.05, "forecast_lower", "forecast_upper"),
                                    (0.20, "forecast_lower_80", "forecast_upper_80")):
            frame = fit.get_prediction(new).summary_frame(alpha=alpha)
            frame = np.exp(frame) if log else frame
            np.testing.assert_allclose(got[lower], frame["obs_ci_lower"], rtol=1e-9)
            np.testing.assert_allclose(got[upper], frame["obs_ci_upper"], rtol=1e-9)


def test_ets_bands_at_both_levels_scale_one_deviation_as_statsmodels_does() -> None:
    values = [10, 12, 15, 11, 13, 15, 18, 14, 16, 18, 21, 17, 19, 22, 24, 20]
    rows, summary = compute_curves(series(values, start=8000),
                                   indicators(indicator(frequency="quarter")), method="ets")
    got = ahead(rows, 1)
    _, sd = _ets(np.array([values], dtype=float), 4, len(got))
    for level, lower, upper in ((0.95, "forecast_lower", "forecast_upper"),
                                (0.80, "forecast_lower_80", "forecast_upper_80")):
        half = stats.norm.ppf(0.5 + level / 2) * sd[0]
        np.testing.assert_allclose(got[upper] - got["forecast"], half, rtol=1e-9)
        np.testing.assert_allclose(got["forecast"] - got[lower], half, rtol=1e-9)
    # statsmodels' intervals of one ETS fit at 95% and 80%: the same ratio of widths.
    model = ETSModel(pd.Series(values, dtype=float, index=pd.period_range(
        "2018Q1", periods=len(values), freq="Q")), error="add", trend="add",
        damped_trend=True, seasonal="add", seasonal_periods=4)
    result = model.fit(disp=False)
    prediction = result.get_prediction(start=len(values), end=len(values) + 7)
    wide, narrow = (prediction.summary_frame(alpha=a) for a in (0.05, 0.20))
    ratio = ((wide["pi_upper"] - wide["pi_lower"]) / (narrow["pi_upper"] - narrow["pi_lower"]))
    got = got.iloc[:8]
    np.testing.assert_allclose(
        (got["forecast_upper"] - got["forecast_lower"])
        / (got["forecast_upper_80"] - got["forecast_lower_80"]), ratio, rtol=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["linear", "log_linear", "average", "auto",
                                                "ets", "theta", "ets_theta", "seasonal_naive"]),
       st.sampled_from([0.9, 0.95, 0.99]), st.sampled_from(["number", "percent", "count"]))
def test_the_80_band_lies_within_the_wider_band(seed: int, method: str, level: float,
                                                 unit: str) -> None:
    rng = np.random.default_rng(seed)
    obs = random_series(rng, 6, min_len=3, max_len=30, gaps=bool(seed % 2),
                        positive=method == "log_linear")
    ind = indicators(indicator(unit=unit, frequency="quarter"))
    rows, _ = compute_curves(obs, ind, method=method, level=level)
    bands = rows[BANDS].to_numpy(dtype=float)
    has = ~np.isnan(bands[:, 0])
    # An inner band wherever there is a band, and none where there is none.
    assert (np.isnan(bands[:, 1]) == ~has).all() and (np.isnan(bands[:, 3]) == ~has).all()
    inside = bands[has]
    assert (np.diff(inside, axis=1) >= -1e-9 * np.maximum(1, np.abs(inside[:, 1:]))).all()


def test_at_the_80_level_both_bands_are_the_same() -> None:
    obs = random_series(np.random.default_rng(5), 5)
    rows, _ = compute_curves(obs, indicators(), level=0.8)
    pd.testing.assert_series_equal(rows["forecast_lower"], rows["forecast_lower_80"],
                                   check_names=False)


def test_a_frozen_baseline_keeps_its_inner_band_and_an_old_one_has_none() -> None:
    first = series([10, 11, 13, 12, 14])
    rows, summary = compute_curves(first, indicators(), level=0.95)
    frozen = frozen_baseline(rows, summary)
    assert {"lower_80", "upper_80"} <= set(frozen.columns)
    later = series([10, 11, 13, 12, 14, 15, 16])
    judged_rows, _ = compute_curves(later, indicators(), frozen=frozen)
    judged = judged_rows[judged_rows["forecast"].notna().to_numpy()]
    np.testing.assert_allclose(judged["forecast_lower_80"], frozen["lower_80"])
    np.testing.assert_allclose(judged["forecast_upper_80"], frozen["upper_80"])
    old = frozen.drop(columns=["lower_80", "upper_80"])  # stored before the inner band
    old_rows, _ = compute_curves(later, indicators(), frozen=old)
    judged = old_rows[old_rows["forecast"].notna().to_numpy()]
    assert judged["forecast_lower_80"].isna().all() and judged["forecast_lower"].notna().all()
