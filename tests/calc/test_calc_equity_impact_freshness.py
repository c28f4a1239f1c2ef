"""Equity gaps, impact scores and freshness, against hand-computed tables."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from calc_factories import indicator, indicators, observations, series

from rba.calc import equity_gaps, freshness, gap_trends, impact_scores

CITY = '{{"city":"{}"}}'


def city_table(code="PCT"):
    return observations(
        series([50, 52, 55], series_id=1, code=code, start=2020),
        series([40, 45, 50], series_id=2, code=code, dimensions=CITY.format("A"), start=2020),
        series([60, 58, 61], series_id=3, code=code, dimensions=CITY.format("B"), start=2020),
        series([55, 60, 57], series_id=4, code=code, dimensions=CITY.format("C"), start=2020),
        series([30, 70, 10], series_id=5, code=code, dimensions='{"group":"x"}', start=2020),
    )


def test_gaps_to_total_and_to_best_group():
    gaps = equity_gaps(city_table(), indicators(indicator("PCT", unit="percent")))
    city = gaps[gaps["group_set"] == "city"].set_index(["series", "ordinal"])
    assert city["gap_to_total"].unstack().values.tolist() == [[-10, -7, -5], [10, 6, 6],
                                                              [5, 8, 2]]
    assert city["gap_to_best"].unstack().values.tolist() == [[-20, -15, -11], [0, -2, 0],
                                                             [-5, 0, -4]]
    assert city["best_series"].unstack().loc[2].tolist() == [3, 4, 3]
    lone = gaps[gaps["group_set"] == "group"]
    assert (lone["gap_to_best"] == 0).all()  # only compared with groups of the same kind


def test_best_group_follows_polarity():
    gaps = equity_gaps(city_table("LOW"), indicators(indicator("LOW", polarity="down")))
    city = gaps[gaps["group_set"] == "city"].set_index(["series", "ordinal"])
    assert city["gap_to_best"].unstack().loc[3].tolist() == [20, 13, 11]  # best is lowest


def test_gap_trend_is_the_ols_slope_of_gap_size_per_year():
    ind = indicators(indicator("PCT", unit="percent"))
    trends = gap_trends(equity_gaps(city_table(), ind), ind).set_index("series")
    assert trends.loc[2, "gap_slope_per_year"] == pytest.approx(-4.5)
    assert trends.loc[4, "gap_slope_per_year"] == pytest.approx(-0.5)
    assert trends.loc[3, "gap_slope_per_year"] == pytest.approx(0.0)
    assert trends["narrowing"].loc[[2, 3, 4]].tolist() == [True, False, True]
    short = gap_trends(equity_gaps(city_table(), ind), ind, last_n=2).set_index("series")
    assert short.loc[2, "gap_slope_per_year"] == pytest.approx(-4.0)
    assert short.loc[2, "periods_used"] == 2


def test_gap_trend_is_per_year_for_quarterly_indicators():
    ind = indicators(indicator("PCT", unit="percent", frequency="quarter"))
    trends = gap_trends(equity_gaps(city_table(), ind), ind).set_index("series")
    assert trends.loc[2, "gap_slope_per_year"] == pytest.approx(-18.0)


def test_gap_trend_needs_two_periods():
    obs = observations(series([1.0], series_id=1), series([2.0], series_id=2,
                                                          dimensions=CITY.format("A")))
    trends = gap_trends(equity_gaps(obs, indicators()), indicators())
    assert trends["narrowing"].isna().all()


def summary_rows():
    rows = [
        # result, kind, dimensions, polarity, trend, latest, baseline
        ("R1", "headline", "{}", "up", "improving", 12, 10),
        ("R1", "headline", "{}", "down", "worsening", 12, 10),
        ("R1", "headline", "{}", "up", "flat", 10, 10),
        ("R1", "secondary", "{}", "up", "worsening", 1, 10),  # not headline
        ("R1", "headline", '{"city":"A"}', "up", "worsening", 1, 10),  # not the total
        ("R2", "headline", "{}", "up", "none", 5, np.nan),
        ("R3", "headline", "{}", "down", "improving", 8, 10),
    ]
    return pd.DataFrame(rows, columns=["result", "kind", "dimensions", "polarity",
                                       "trend_direction", "latest_value", "baseline_value"])


def test_impact_score_per_result_and_overall():
    got = impact_scores(summary_rows()).set_index("result")
    assert got.loc["R1", "headline_series"] == 3
    assert got.loc["R1", "trend_share"] == pytest.approx(2 / 3)
    assert got.loc["R1", "baseline_share"] == pytest.approx(2 / 3)
    assert got.loc["R1", "impact_score"] == pytest.approx(100 * (0.6 * 2 / 3 + 0.4 * 2 / 3))
    assert np.isnan(got.loc["R2", "impact_score"])  # nothing it can judge
    assert got.loc["R3", "impact_score"] == pytest.approx(100.0)
    assert got.loc["overall", "headline_series"] == 5
    assert got.loc["overall", "trend_share"] == pytest.approx(3 / 4)
    assert got.loc["overall", "baseline_share"] == pytest.approx(3 / 4)


def period_end(frequency: str, ordinals: np.ndarray) -> list[date]:
    if frequency == "quarter":
        year, q = np.divmod(ordinals, 4)
        return [(pd.Timestamp(int(y), 3 * int(k) + 3, 1) + pd.offsets.MonthEnd(0)).date()
                for y, k in zip(year, q, strict=True)]
    if frequency == "school_year":
        return [date(int(o) + 1, 6, 30) for o in ordinals]
    return [date(int(o), 12, 31) for o in ordinals]


def test_freshness_next_period_and_overdue():
    summary = pd.DataFrame({
        "series": [1, 2, 3, 4, 5],
        "frequency": ["year", "year", "quarter", "school_year", "year"],
        "latest_period": [2023, 2024, 2024 * 4 + 3, 2023, np.nan],
    })
    got = freshness(summary, period_end, today=date(2025, 6, 1)).set_index("series")
    assert got["next_expected_period"].tolist()[:4] == [2024, 2025, 2025 * 4, 2024]
    assert got["overdue"].tolist()[:4] == [True, False, False, False]
    assert got.loc[1, "days_overdue"] == 32  # 2024-12-31 + 120 days = 2025-04-30
    assert got.loc[1, "due_by"] == pd.Timestamp("2025-04-30")
    assert pd.isna(got.loc[5, "overdue"]) and pd.isna(got.loc[5, "next_expected_period"])
    later = freshness(summary, period_end, today=date(2025, 6, 1), lag_days=30)
    assert later["overdue"].tolist()[:4] == [True, False, True, False]  # Q1 ends 3-31
    assert freshness(summary, period_end, date(2025, 12, 1))["overdue"].iloc[3]
