"""The smoothing methods against independent references: statsmodels' ETSModel and
ThetaModel given the same parameters, a hand-worked seasonal naive, and each series fitted
alone giving what the vectorised fit of many gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.forecasting.theta import ThetaModel

from rba.calc import smoothing
from rba.calc.smoothing import Histories, _ets, _seasonal_naive, _theta

QUARTERS = np.array([10, 12, 15, 11, 13, 15, 18, 14, 16, 18, 21, 17, 19, 22, 24, 20],
                    dtype=float)


def quarterly(values: np.ndarray) -> pd.Series:
    return pd.Series(values, index=pd.period_range("2018Q1", periods=len(values), freq="Q"))


@pytest.mark.parametrize("m", [1, 4])
def test_ets_forecast_and_interval_growth_match_statsmodels(m: int) -> None:
    y = QUARTERS
    alpha, beta, phi, gamma = 0.3, 0.06, 0.9, 0.1
    mean, sd = _ets(y[None, :], m, 8, alphas=np.array([alpha]),
                    beta_shares=np.array([beta / alpha]), phis=np.array([phi]),
                    gammas=np.array([gamma]))
    seasonal = m > 1
    level = y[:m].mean() if seasonal else y[0]
    trend = (y[m:2 * m].mean() - level) / m if seasonal else y[1] - y[0]
    model = ETSModel(quarterly(y), error="add", trend="add", damped_trend=True,
                     seasonal="add" if seasonal else None, seasonal_periods=m if seasonal else None,
                     initialization_method="known", initial_level=level, initial_trend=trend,
                     **({"initial_seasonal": list(y[:m] - level)} if seasonal else {}))
    params = [alpha, beta, gamma, phi] if seasonal else [alpha, beta, phi]
    result = model.smooth(params)
    np.testing.assert_allclose(mean[0], result.forecast(8).to_numpy(), rtol=1e-10)
    frame = result.get_prediction(start=len(y), end=len(y) + 7).summary_frame(alpha=0.05)
    half = (frame["pi_upper"] - frame["pi_lower"]).to_numpy() / 2
    # The same h-step variance growth; statsmodels scales by SSE / n, rba by SSE / (n - k).
    np.testing.assert_allclose(sd[0] / sd[0, 0], half / half[0], rtol=1e-8)


def test_ets_picks_the_grid_point_statsmodels_finds_the_least_squared_error_at() -> None:
    y = QUARTERS
    level = y[:4].mean()
    model = ETSModel(quarterly(y), error="add", trend="add", damped_trend=True, seasonal="add",
                     seasonal_periods=4, initialization_method="known", initial_level=level,
                     initial_trend=(y[4:8].mean() - level) / 4,
                     initial_seasonal=list(y[:4] - level))
    sse = {(a, b, p, g): model.smooth([a, a * b, g, p]).sse
           for a in smoothing.ALPHAS for b in smoothing.BETA_SHARES
           for p in smoothing.PHIS for g in smoothing.GAMMAS}
    a, b, p, g = min(sse, key=sse.__getitem__)
    chosen, _ = _ets(y[None, :], 4, 4)
    alone, _ = _ets(y[None, :], 4, 4, *(np.array([v]) for v in (a, b, p, g)))
    np.testing.assert_allclose(chosen, alone, rtol=1e-12)


@pytest.mark.parametrize("deseasonalize", [False, True])
def test_theta_matches_statsmodels_for_its_alpha(deseasonalize: bool) -> None:
    y = QUARTERS
    model = ThetaModel(quarterly(y), period=4, deseasonalize=deseasonalize, use_test=False,
                       method="multiplicative")
    result = model.fit()
    alpha = float(result.params["alpha"])
    mean, _ = _theta(y[None, :], 4 if deseasonalize else 1, 6, alphas=np.array([alpha]))
    np.testing.assert_allclose(mean[0], result.forecast(6).to_numpy(), rtol=1e-9)


def test_seasonal_naive_by_hand() -> None:
    y = np.array([[1.0, 2, 3, 4, 5, 6, 7, 9]])
    mean, sd = _seasonal_naive(y, 4, 6)
    assert mean[0].tolist() == [5, 6, 7, 9, 5, 6]
    sigma = np.sqrt(np.mean(np.array([4.0, 4, 4, 5]) ** 2))
    np.testing.assert_allclose(sd[0], sigma * np.sqrt([1, 1, 1, 1, 2, 2]))
    short, _ = _seasonal_naive(np.array([[3.0, 4]]), 4, 3)  # under a season: the last value
    assert short[0].tolist() == [4, 4, 4]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(3, 14), min_size=2, max_size=6), st.sampled_from([1, 4, 12]))
def test_many_ragged_series_fit_as_each_alone(lengths: list[int], m: int) -> None:
    rng = np.random.default_rng(sum(lengths))
    series = [50 + np.cumsum(rng.normal(0, 1, n)) + 3 * np.sin(np.arange(n)) for n in lengths]
    code = np.repeat(np.arange(len(series)), lengths)
    h = smoothing.histories(code, np.concatenate(series), len(series), np.full(len(series), m))
    for model in (smoothing.ets, smoothing.theta, smoothing.seasonal_naive):
        together = model(h, 5)
        for i, y in enumerate(series):
            alone = model(Histories(y[None, :], np.array([len(y)]), np.array([m])), 5)
            np.testing.assert_allclose(together.mean[i], alone.mean[0], rtol=1e-12)
            np.testing.assert_allclose(together.sd[i], alone.sd[0], rtol=1e-12)


def test_prediction_intervals_hold_their_level_on_series_the_model_describes() -> None:
    """Simulated local-level series with a drift (what ETS and Theta describe): a 95%
    interval should hold about 95% of what comes next, an 80% one about 80%."""
    rng = np.random.default_rng(7)
    S, n, horizon = 3000, 24, 4
    level = 100 + np.cumsum(rng.normal(0.3, 1.0, (S, n + horizon)), axis=1)
    y = level + rng.normal(0, 1.0, (S, n + horizon))
    h = Histories(y[:, :n], np.full(S, n), np.ones(S, dtype=np.int64))
    forecast = smoothing.ets(h, horizon)
    for level_, low, high in ((0.95, 0.90, 0.99), (0.80, 0.72, 0.88)):
        z = stats.norm.ppf(0.5 + level_ / 2)
        held = np.mean(np.abs(y[:, n:] - forecast.mean) <= z * forecast.sd)
        assert low <= held <= high, (level_, held)
