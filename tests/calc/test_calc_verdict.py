"""The verdict: one answer per series, judged against the agreed baseline or a forecast
fitted now; and the candidate methods compared before a baseline is agreed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from rba.calc import compute_curves, frozen_baseline
from rba.calc.candidates import candidate_backtests, shocks
from rba.calc.verdict import latest_runs

START = 8000


def frames(values: dict[str, list[float]], frequency: str = "year", polarity: str = "up"
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [{"series": f"x:{key}", "indicator": "x", "dimensions": key, "ordinal": START + t,
             "value": v, "numerator": np.nan, "denominator": np.nan}
            for key, series in values.items() for t, v in enumerate(series)]
    observations = pd.DataFrame(rows).dropna(subset=["value"])
    indicators = pd.DataFrame({"indicator": ["x"], "unit": ["number"], "per": [np.nan],
                               "polarity": [polarity], "frequency": [frequency],
                               "periods_per_year": [4.0 if frequency == "quarter" else 1.0],
                               "kind": ["headline"], "result": ["R1"]})
    return observations, indicators


def ols_band(y: list[float], level: float = 0.95) -> tuple[float, float]:
    """statsmodels' OLS prediction interval one step after the history."""
    x = sm.add_constant(np.arange(len(y), dtype=float))
    fit = sm.OLS(np.asarray(y), x).fit()
    frame = fit.get_prediction(np.array([[1.0, len(y)]])).summary_frame(alpha=1 - level)
    return float(frame["obs_ci_lower"].iloc[0]), float(frame["obs_ci_upper"].iloc[0])


def test_a_forecast_fitted_now_judges_the_latest_figure_as_statsmodels_bands_say() -> None:
    history = [10.0, 11.2, 11.9, 13.1, 14.0]
    low, high = ols_band(history)
    values = {"{}": [*history, high + 1], '{"g":"on"}': [*history, (low + high) / 2],
              '{"g":"low"}': [*history, low - 1], '{"g":"short"}': [1.0, 2.0, 3.0]}
    observations, indicators = frames(values)
    _, summary = compute_curves(observations, indicators, method="linear")
    got = summary.set_index("dimensions")
    assert got.loc["{}", "verdict"] == "better_than_baseline"
    assert got.loc['{"g":"on"}', "verdict"] == "on_baseline"
    assert got.loc['{"g":"low"}', "verdict"] == "worse_than_baseline"
    assert (got.loc[["{}", '{"g":"on"}'], "verdict_basis"] == "fitted_now").all()
    assert (got.loc[["{}", '{"g":"low"}'], "verdict_period"] == START + 5).all()
    assert (got.loc[["{}", '{"g":"low"}'], "verdict_periods"] == 1).all()
    # Three figures: two before the latest cannot give a band, so there is no baseline.
    assert got.loc['{"g":"short"}', "verdict"] == "no_baseline"
    assert pd.isna(got.loc['{"g":"short"}', "verdict_basis"])


def test_polarity_turns_the_verdict_around() -> None:
    history = [10.0, 11.2, 11.9, 13.1, 14.0]
    _, high = ols_band(history)
    observations, indicators = frames({"{}": [*history, high + 1]}, polarity="down")
    _, summary = compute_curves(observations, indicators, method="linear")
    assert summary["verdict"].iloc[0] == "worse_than_baseline"


def test_an_agreed_baseline_judges_and_counts_the_figures_in_a_row() -> None:
    history = [20.0, 21.0, 21.5, 22.4, 23.1, 24.0]
    observations, indicators = frames({"{}": history, '{"g":"none"}': history})
    rows, summary = compute_curves(observations, indicators, method="linear")
    frozen = frozen_baseline(rows, summary)
    lower = frozen.groupby("series")["lower"].apply(list)["x:{}"]
    upper = frozen.groupby("series")["upper"].apply(list)["x:{}"]
    # After the history: above, within, then two below the band; the other series has
    # nothing after its baseline's history.
    after = [upper[0] + 1, (lower[1] + upper[1]) / 2, lower[2] - 1, lower[3] - 2]
    observations, _ = frames({"{}": history + after, '{"g":"none"}': history})
    _, summary = compute_curves(observations, indicators, frozen=frozen)
    got = summary.set_index("dimensions")
    assert got.loc["{}", "verdict"] == "worse_than_baseline"
    assert got.loc["{}", "verdict_periods"] == 2
    assert got.loc["{}", "verdict_basis"] == "agreed"
    assert got.loc["{}", "verdict_period"] == START + len(history) + 3
    assert got.loc['{"g":"none"}', "verdict"] == "not_enough_data"
    assert got.loc['{"g":"none"}', "verdict_basis"] == "agreed"


def test_latest_runs_by_hand() -> None:
    code = np.array([0, 0, 0, 0, 2, 2])
    status = np.array([0, 2, 1, 1, 2, 2], dtype=np.int8)
    ordinal = np.array([1, 2, 3, 5, 7, 8])
    latest, periods, at = latest_runs(code, status, ordinal, 3)
    assert latest.tolist() == [1, -1, 2]
    assert periods.tolist() == [2, 0, 2]
    np.testing.assert_array_equal(at, [5, np.nan, 8])


def test_candidate_backtests_match_auto_and_a_hand_worked_linear_backtest() -> None:
    rng = np.random.default_rng(11)
    t = np.arange(24)
    y = 100 + 2 * t + 8 * np.sin(t * np.pi / 2) + rng.normal(0, 1.5, len(t))
    observations, indicators = frames({"{}": list(y)}, "quarter")
    through = {"x:{}": START + len(y) - 1}
    scores = candidate_backtests(observations, indicators, through).set_index("method")
    _, summary = compute_curves(observations, indicators, method="auto")
    chosen = summary["method"].iloc[0]
    assert np.isclose(scores.loc[chosen, "backtest_mase"], summary["backtest_mase"].iloc[0],
                      rtol=1e-9)
    # linear by hand: three cuts, 8 quarters judged after each, statsmodels OLS forecasts.
    errors = []
    for origin in range(3):
        cut = len(y) - 8 - origin
        x = sm.add_constant(np.arange(cut, dtype=float))
        fit = sm.OLS(y[:cut], x).fit()
        ahead = fit.predict(sm.add_constant(np.arange(cut, cut + 8, dtype=float)))
        errors += list(np.abs(y[cut:cut + 8] - ahead))
    scale = np.mean(np.abs(y[4:] - y[:-4]))
    assert np.isclose(scores.loc["linear", "backtest_mase"], np.mean(errors) / scale,
                      rtol=1e-9)
    assert scores.loc["linear", "judged"] == 24


def test_a_history_ending_in_a_shock_is_flagged() -> None:
    steady = [50.0, 51.0, 51.8, 53.1, 54.0, 54.9, 56.1]
    observations, _ = frames({"{}": [*steady, 40.0], '{"g":"calm"}': [*steady, 57.0]})
    flagged = shocks(observations, {"x:{}": START + 7, 'x:{"g":"calm"}': START + 7})
    assert flagged.to_dict() == {"x:{}": True, 'x:{"g":"calm"}': False}


def test_candidate_flags_follow_the_method_to_be_agreed() -> None:
    from rba.report.baselines import candidate_flags

    frame = pd.DataFrame({
        "dimensions": ["{}", "{}", "a", "a"], "method": ["linear", "ets"] * 2,
        "reaches_bound": [True, False, False, True], "chosen": [False, True, True, False],
        "shock": [False, False, True, True]})
    auto = candidate_flags(frame)
    assert auto.index.tolist() == ["{}", "a"]
    assert auto["reaches_bound"].tolist() == [False, False]  # auto chose methods that do not
    assert auto["shock"].tolist() == [False, True]
    assert candidate_flags(frame, "linear")["reaches_bound"].tolist() == [True, False]
    assert candidate_flags(frame, "ets")["reaches_bound"].tolist() == [False, True]
