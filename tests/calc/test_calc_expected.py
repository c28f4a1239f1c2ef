"""The range a new figure is expected in (rba.calc.expected): the outlier check's yardstick."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from rba.calc.backtest import auto_forecast, choose
from rba.calc.expected import expected_ranges
from rba.calc.smoothing import histories


def seasonal(n: int, m: int, level: float, slope: float, amplitude: float, noise: float,
             seed: int) -> np.ndarray:
    """Level + trend + a fixed seasonal shape + normal noise, points 0..n (n + 1 values)."""
    shape = np.sin(2 * np.pi * np.arange(m) / m) + (np.arange(m) == m - 1)
    t = np.arange(n + 1)
    noise_values = np.random.default_rng(seed).normal(0, noise, n + 1)
    return level + slope * t + amplitude * shape[t % m] + noise_values


def frames(values: np.ndarray, m: int, new_value: float, series: str = "s"
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = len(values)
    history = pd.DataFrame({"series": series, "ordinal": np.arange(100, 100 + n),
                            "value": values})
    new = pd.DataFrame({"series": [series], "ordinal": [100 + n], "periods_per_year": [m],
                        "value": [new_value]})
    return history, new


@settings(max_examples=40, deadline=None, derandomize=True)
@given(n=st.integers(12, 40), m=st.sampled_from([4, 12]),
       level=st.floats(100, 10_000), slope=st.floats(-0.01, 0.01),
       amplitude=st.floats(0.1, 0.5), seed=st.integers(0, 10_000))
def test_the_next_figure_of_a_seasonal_trend_is_expected_and_a_far_one_is_not(
        n: int, m: int, level: float, slope: float, amplitude: float, seed: int) -> None:
    # Season and trend in proportion to the level; noise a tenth of the season's swing.
    values = seasonal(n, m, level, slope * level, amplitude * level, amplitude * level / 10,
                      seed)
    signal = seasonal(n, m, level, slope * level, amplitude * level, 0, seed)
    history, new = frames(values[:-1], m, values[-1])
    out = expected_ranges(history, new).iloc[0]
    assert out["basis"] == "forecast"
    # The next figure where the season and trend put it is inside, however far it is from
    # the history's median (a seasonal peak, a trend's new high).
    assert out["lower"] <= signal[-1] <= out["upper"]
    # One that is off by several seasonal swings is outside.
    swing = np.ptp(values[:-1])
    assert not out["lower"] <= values[-1] + 3 * swing <= out["upper"]
    assert not out["lower"] <= values[-1] - 3 * swing <= out["upper"]


def test_the_range_is_autos_99_percent_interval_on_the_run_before_the_period() -> None:
    values = seasonal(20, 4, 1000, 5, 300, 20, seed=1)
    history, new = frames(values[:-1], 4, values[-1])
    out = expected_ranges(history, new).iloc[0]
    h = histories(np.zeros(20, dtype=np.int64), values[:-1], 1, np.array([4]))
    mean, (half,) = auto_forecast(h, choose(h), 1, (0.99,))
    assert out[["expected", "lower", "upper"]].tolist() == [
        mean[0, 0], mean[0, 0] - half[0, 0], mean[0, 0] + half[0, 0]]
    assert (out["first"], out["last"], out["points"]) == (100, 119, 20)


def test_two_new_periods_share_one_fit_and_step_from_its_end() -> None:
    values = seasonal(20, 4, 1000, 5, 300, 20, seed=2)
    history, _ = frames(values[:-1], 4, 0)
    new = pd.DataFrame({"series": "s", "ordinal": [120, 121], "periods_per_year": 4})
    out = expected_ranges(history, new)
    h = histories(np.zeros(20, dtype=np.int64), values[:-1], 1, np.array([4]))
    mean, (half,) = auto_forecast(h, choose(h), 2, (0.99,))
    assert out["expected"].tolist() == mean[0].tolist()
    assert out["upper"].tolist() == (mean[0] + half[0]).tolist()


def test_short_or_broken_histories_fall_back_to_the_linear_trend_and_too_few_to_none(
        ) -> None:
    import statsmodels.api as sm

    history = pd.DataFrame({
        # a: 7 figures in a row (one short of a forecast); b: 10 figures with a gap before
        # the last 3; c: 2 figures.
        "series": ["a"] * 7 + ["b"] * 10 + ["c"] * 2,
        "ordinal": [*range(7), *range(7), *range(8, 11), *range(2)],
        "value": [10, 11, 12, 12, 14, 15, 15, *[10, 11, 12, 10, 11, 13, 12, 11, 10, 12], 5, 6],
    })
    new = pd.DataFrame({"series": ["a", "b", "c"], "ordinal": [7, 11, 2],
                        "periods_per_year": 1})
    out = expected_ranges(history, new)
    assert out["basis"].tolist() == ["trend", "trend", "none"]
    for row, name in ((0, "a"), (1, "b")):
        mine = history[history["series"] == name]
        ols = sm.OLS(mine["value"].to_numpy(float), sm.add_constant(mine["ordinal"].to_numpy(
            float))).fit().get_prediction(np.array([[1.0, new.loc[row, "ordinal"]]]))
        frame = ols.summary_frame(alpha=0.01).iloc[0]
        assert np.allclose(out.loc[row, ["expected", "lower", "upper"]].to_numpy(float),
                           frame[["mean", "obs_ci_lower", "obs_ci_upper"]].to_numpy(float))
    assert out.loc[0, ["first", "last", "points"]].tolist() == [0, 6, 7]
    assert out.loc[2, ["lower", "upper"]].isna().all()


def test_a_period_far_past_the_history_is_judged_on_the_history_not_a_long_forecast() -> None:
    values = seasonal(20, 4, 1000, 5, 300, 20, seed=3)
    history, _ = frames(values, 4, 0)
    new = pd.DataFrame({"series": ["s", "s"], "ordinal": [121 + 7, 121 + 8],
                        "periods_per_year": 4})
    assert expected_ranges(history, new)["basis"].tolist() == ["forecast", "trend"]
