"""`auto`: the method with the least backtest error is chosen, its intervals hold about
their level, and compute_curves uses it (or says why it could not)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rba.calc import compute_curves
from rba.calc.backtest import (
    CANDIDATES,
    MIN_TRAIN,
    ORIGINS,
    auto_forecast,
    choose,
    judged_horizon,
)
from rba.calc.smoothing import Histories, ets, ets_theta, theta


def alone(y: np.ndarray, m: int) -> Histories:
    return Histories(y[None, :], np.array([len(y)]), np.array([m]))


def by_hand(y: np.ndarray, m: int) -> tuple[int, float, float]:
    """The backtest of one series written out: each cut, each candidate, each step."""
    horizon = min(int(judged_horizon(np.array([m]))[0]), len(y) - MIN_TRAIN - ORIGINS + 1)
    total = {name: [] for name in CANDIDATES}
    for origin in range(ORIGINS):
        cut = len(y) - horizon - origin
        train, after = y[:cut], y[cut:cut + horizon]
        for name, model in zip(CANDIDATES, (ets, theta, ets_theta), strict=True):
            total[name] += list(after - model(alone(train, m), horizon).mean[0])
    mae = {name: np.mean(np.abs(e)) for name, e in total.items()}
    best = min(CANDIDATES, key=lambda name: (mae[name], CANDIDATES.index(name)))
    steps = np.tile(np.arange(1, horizon + 1), ORIGINS)
    sigma = np.sqrt(np.mean(np.array(total[best]) ** 2 / steps))
    lag = m if len(y) > m else 1
    return CANDIDATES.index(best), mae[best] / np.mean(np.abs(y[lag:] - y[:-lag])), sigma


def test_the_candidate_with_the_least_backtest_error_is_chosen() -> None:
    rng = np.random.default_rng(3)
    series = [(50 + np.cumsum(rng.normal(0.5, 1, n)) + 4 * np.sin(np.arange(n) * np.pi / 2), m)
              for n, m in ((12, 1), (20, 4), (9, 1), (36, 12), (27, 4))]
    lengths = [len(y) for y, _m in series]
    h = Histories(np.full((len(series), max(lengths)), np.nan), np.array(lengths),
                  np.array([m for _y, m in series]))
    for i, (y, _m) in enumerate(series):
        h.values[i, max(lengths) - len(y):] = y
    choice = choose(h)
    for i, (y, m) in enumerate(series):
        method, mase, sigma = by_hand(y, m)
        assert choice.method[i] == method
        np.testing.assert_allclose([choice.mase[i], choice.sigma[i]], [mase, sigma], rtol=1e-10)


def test_too_short_a_history_has_no_backtest() -> None:
    short = MIN_TRAIN + ORIGINS - 1
    choice = choose(alone(np.arange(short, dtype=float), 1))
    assert choice.method[0] == -1 and np.isnan(choice.mase[0])


def test_auto_intervals_hold_about_their_level_on_simulated_series() -> None:
    """Series with a known distribution (a random walk with drift, plus seasonal noise):
    the share of later actuals inside `auto`'s intervals is near each interval's level."""
    rng = np.random.default_rng(11)
    S, n, m = 2000, 28, 4
    horizon = int(judged_horizon(np.array([m]))[0])
    season = np.tile(rng.normal(0, 2, (S, m)), (1, (n + horizon) // m + 1))[:, :n + horizon]
    y = 100 + np.cumsum(rng.normal(0.2, 1, (S, n + horizon)), axis=1) + season \
        + rng.normal(0, 0.5, (S, n + horizon))
    h = Histories(y[:, :n], np.full(S, n), np.full(S, m))
    choice = choose(h)
    mean, halves = auto_forecast(h, choice, horizon, (0.95, 0.80))
    for half, low, high in zip(halves, (0.90, 0.74), (0.99, 0.90), strict=True):
        held = np.mean(np.abs(y[:, n:] - mean) <= half)
        assert low <= held <= high, (low, held)


def frames(values: dict[str, list[float]], frequency: str = "quarter"
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [{"series": f"x:{key}", "indicator": "x", "dimensions": key, "ordinal": 8000 + t,
             "value": v, "numerator": np.nan, "denominator": np.nan}
            for key, series in values.items() for t, v in enumerate(series)]
    observations = pd.DataFrame(rows).dropna(subset=["value"])
    indicators = pd.DataFrame({"indicator": ["x"], "unit": ["number"], "per": [np.nan],
                               "polarity": ["up"], "frequency": [frequency],
                               "periods_per_year": [4.0 if frequency == "quarter" else 1.0],
                               "kind": ["headline"], "result": ["R1"]})
    return observations, indicators


def test_compute_curves_says_what_auto_chose_and_why_it_could_not() -> None:
    rng = np.random.default_rng(5)
    seasonal = list(50 + np.arange(20) + 5 * np.sin(np.arange(20) * np.pi / 2)
                    + rng.normal(0, 0.5, 20))
    gapped = seasonal.copy()
    gapped[10] = np.nan
    observations, indicators = frames({"{}": seasonal, '{"g":"gap"}': gapped,
                                       '{"g":"short"}': seasonal[:6]})
    _rows, summary = compute_curves(observations, indicators, method="auto",
                                    roll_up_totals=False)
    by = summary.set_index("dimensions")
    assert by.loc["{}", "method"] in CANDIDATES and "auto_chose" in by.loc["{}", "notes"]
    assert by.loc["{}", "backtest_mase"] > 0
    assert by.loc['{"g":"gap"}', "method"] == "linear"
    assert "gaps_linear" in by.loc['{"g":"gap"}', "notes"]
    assert by.loc['{"g":"short"}', "method"] == "linear"
    assert "auto_short" in by.loc['{"g":"short"}', "notes"]
    assert np.isnan(by.loc['{"g":"short"}', "backtest_mase"])


def test_compute_curves_auto_forecast_is_the_chosen_methods() -> None:
    rng = np.random.default_rng(9)
    y = 50 + np.cumsum(rng.normal(0.4, 1, 16))
    observations, indicators = frames({"{}": list(y)}, "year")
    rows, summary = compute_curves(observations, indicators, method="auto", level=0.8)
    chosen = summary["method"].iloc[0]
    fitted, _ = compute_curves(observations, indicators, method=chosen, level=0.8)
    future = rows["actual"].isna().to_numpy()
    np.testing.assert_allclose(rows.loc[future, "forecast"], fitted.loc[future, "forecast"])
    # auto's interval is never narrower than the chosen model's own.
    assert (rows.loc[future, "forecast_upper"] >= fitted.loc[future, "forecast_upper"] - 1e-9
            ).all()
    assert (rows.loc[future, "forecast_lower"] <= fitted.loc[future, "forecast_lower"] + 1e-9
            ).all()
