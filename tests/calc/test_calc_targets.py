"""Baseline % change, variance from target, bands and progress, against hand calculations."""

from __future__ import annotations

import numpy as np
import pytest
from calc_factories import indicator, indicators, observations, series, targets

from rba.calc import (
    baseline_pct_change,
    compute_curves,
    percent_of_target,
    progress_status,
    target_band,
    variance_from_target,
)


@pytest.mark.parametrize("latest, baseline, expected", [
    (30, 20, 50.0), (15, 20, -25.0), (30, -20, 250.0), (-30, -20, -50.0), (5, 0, np.nan),
])
def test_baseline_pct_change(latest, baseline, expected):
    np.testing.assert_allclose(baseline_pct_change([latest], [baseline]), [expected])


@pytest.mark.parametrize("actual, target, variance, percent", [
    (45, 50, -10.0, 90.0), (55, 50, 10.0, 110.0), (-3, -2, -50.0, 150.0), (5, 0, np.nan, np.nan),
])
def test_variance_and_percent_of_target(actual, target, variance, percent):
    np.testing.assert_allclose(variance_from_target([actual], [target]), [variance])
    np.testing.assert_allclose(percent_of_target([actual], [target]), [percent])


@pytest.mark.parametrize("actual, target, polarity, band", [
    (50, 50, "up", "green"), (51, 50, "up", "green"), (45, 50, "up", "yellow"),
    (44.9, 50, "up", "red"), (55, 50, "down", "yellow"), (45, 50, "down", "green"),
    (56, 50, "down", "red"), (0, 0, "down", "green"), (1, 0, "down", "red"),
])
def test_target_band_by_polarity(actual, target, polarity, band):
    assert target_band([actual], [target], [polarity])[0] == band


def test_target_band_thresholds_are_configurable():
    got = target_band([48, 45], [50, 50], ["up", "up"], green_within=5.0, yellow_within=8.0)
    assert list(got) == ["green", "red"]


CAGR_UP = 1.2 ** (1 / 5) - 1  # 50 -> 60 over five years
NEED_UP = 1.6 ** (1 / 15) - 1  # 50 -> 80 over fifteen years


@pytest.mark.parametrize("base, latest, target, polarity, status, ratio, method", [
    (50, 60, 80, "up", "on_track", CAGR_UP / NEED_UP, "cagr"),
    (50, 56, 80, "up", "needs_acceleration", (1.12 ** 0.2 - 1) / NEED_UP, "cagr"),
    (50, 51, 80, "up", "limited_progress", (1.02 ** 0.2 - 1) / NEED_UP, "cagr"),
    (50, 45, 80, "up", "deterioration", (0.9 ** 0.2 - 1) / NEED_UP, "cagr"),
    (50, 85, 80, "up", "target_achieved", (1.7 ** 0.2 - 1) / NEED_UP, "cagr"),
    (20, 19, 10, "down", "limited_progress",
     -(0.95 ** 0.2 - 1) / abs(0.5 ** (1 / 15) - 1), "cagr"),
    (20, 9, 10, "down", "target_achieved", -(0.45 ** 0.2 - 1) / abs(0.5 ** (1 / 15) - 1),
     "cagr"),
    (0, 5, 15, "up", "on_track", (5 / 5) / (15 / 15), "linear"),
    (-4, -2, 6, "up", "needs_acceleration", (2 / 5) / (10 / 15), "linear"),
    (10, 12, 0, "down", "deterioration", -(2 / 5) / (10 / 15), "linear"),
])
def test_progress_with_a_target(base, latest, target, polarity, status, ratio, method):
    got = progress_status([base], [2015], [latest], [2020], [target], [2030], [polarity], [1])
    assert got.loc[0, "progress_status"] == status
    assert got.loc[0, "progress_method"] == method
    np.testing.assert_allclose(got.loc[0, "progress_ratio"], ratio, rtol=1e-12)


@pytest.mark.parametrize("latest, polarity, status", [
    (110, "up", "on_track"), (104, "up", "needs_acceleration"), (101, "up", "limited_progress"),
    (99, "up", "deterioration"), (99, "down", "limited_progress"), (90, "down", "on_track"),
])
def test_progress_without_a_target_uses_annual_rate_thresholds(latest, polarity, status):
    got = progress_status([100], [2015], [latest], [2020], [np.nan], [np.nan], [polarity], [1])
    assert got.loc[0, "progress_status"] == status
    sign = 1 if polarity == "up" else -1
    np.testing.assert_allclose(got.loc[0, "progress_rate"],
                               sign * ((latest / 100) ** 0.2 - 1), rtol=1e-12)


def test_progress_thresholds_are_configurable():
    got = progress_status([100], [2015], [104], [2020], [np.nan], [np.nan], ["up"], [1],
                          rate_thresholds=(0.005, 0.001))
    assert got.loc[0, "progress_status"] == "on_track"


def test_progress_counts_years_from_periods_per_year():
    got = progress_status([50], [8060], [60], [8080], [80], [8120], ["up"], [4])
    np.testing.assert_allclose(got.loc[0, "progress_ratio"], CAGR_UP / NEED_UP, rtol=1e-12)


def test_progress_needs_two_periods():
    got = progress_status([50], [2020], [50], [2020], [80], [2030], ["up"], [1])
    assert np.isnan(got.loc[0, "progress_ratio"])
    assert got["progress_status"].isna().all()


def test_summary_against_targets_and_baseline():
    obs = observations(
        series([40, 42, 45], series_id=1, start=2018),
        series([0, 3, 5], series_id=2, start=2018),
        series([12, 11, 10], series_id=3, start=2018, code="DOWN"),
    )
    ind = indicators(indicator(), indicator("DOWN", polarity="down"))
    tg = targets([(1, 2020, 50.0), (1, 2025, 70.0), (2, 2019, 4.0), (3, 2030, 0.0)])
    _, s = compute_curves(obs, ind, tg, baseline_values={3: 16.0})
    s = s.set_index("series")
    # series 1: the target of the latest actual's period wins over the later one
    assert s.loc[1, "target"] == 50.0 and s.loc[1, "target_period"] == 2020
    assert s.loc[1, "variance_from_target"] == pytest.approx(-10.0)
    assert s.loc[1, "percent_of_target"] == pytest.approx(90.0)
    assert s.loc[1, "target_band"] == "yellow"
    assert s.loc[1, "baseline_pct_change"] == pytest.approx(12.5)
    # 40 -> 45 in two years, against the 40 -> 50 the 2020 target needed: ratio 0.51
    assert s.loc[1, "progress_ratio"] == pytest.approx((1.125 ** 0.5 - 1) / (1.25 ** 0.5 - 1))
    assert s.loc[1, "progress_status"] == "limited_progress"
    # series 2: only a past target; baseline value 0 has no % change, and says why
    assert s.loc[2, "target_period"] == 2019 and s.loc[2, "target_band"] == "green"
    assert np.isnan(s.loc[2, "baseline_pct_change"])
    assert "zero_baseline" in s.loc[2, "notes"]
    assert s.loc[2, "progress_method"] == "linear"
    # series 3: hand-set baseline value; target 0 on a down-is-good indicator
    assert s.loc[3, "baseline_value"] == 16.0
    assert s.loc[3, "baseline_pct_change"] == pytest.approx(-37.5)
    assert np.isnan(s.loc[3, "variance_from_target"]) and s.loc[3, "target_band"] == "red"
    assert "zero_target" in s.loc[3, "notes"]
    assert s.loc[3, "progress_method"] == "linear"
