"""Input contract: every refusal names the frame, the column or row, and what was expected."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from calc_factories import indicator, indicators, observations, series, targets

from rba.calc import ROW_COLUMNS, SUMMARY_COLUMNS, InputError, compute_curves


def test_missing_columns_are_named():
    with pytest.raises(InputError, match=r"observations: missing column\(s\) 'ordinal'"):
        compute_curves(series([1, 2]).drop(columns="ordinal"), indicators())
    with pytest.raises(InputError, match=r"indicators: missing column\(s\) 'polarity'"):
        compute_curves(series([1, 2]), indicators().drop(columns="polarity"))


def test_unknown_indicator_is_named():
    with pytest.raises(InputError, match="missing from `indicators`: NOPE"):
        compute_curves(series([1, 2], code="NOPE"), indicators())


def test_bad_unit_and_polarity_are_all_reported_at_once():
    bad = indicators(indicator("A", unit="percentage"), indicator("B", polarity="sideways"))
    with pytest.raises(InputError) as err:
        compute_curves(series([1, 2], code="A"), bad)
    assert "'A': unit 'percentage'" in str(err.value)
    assert "'B': polarity 'sideways'" in str(err.value)


def test_duplicate_codes_and_bad_periods_per_year_are_named():
    bad = indicators(indicator("A"), indicator("A"), {**indicator("C"), "periods_per_year": 0})
    with pytest.raises(InputError) as err:
        compute_curves(series([1, 2], code="A"), bad)
    assert "duplicate indicator codes ['A']" in str(err.value)
    assert "'C': periods_per_year must be a positive number" in str(err.value)


def test_duplicate_period_rows_are_refused_with_series_and_ordinal():
    obs = observations(series([1, 2], series_id=7), series([3], series_id=7, start=2011))
    with pytest.raises(ValueError, match="series 7 has more than one row for ordinal 2011"):
        compute_curves(obs, indicators())


def test_duplicate_targets_are_refused():
    with pytest.raises(ValueError, match="series 1 has more than one target for ordinal 2020"):
        compute_curves(series([1, 2]), indicators(), targets([(1, 2020, 5), (1, 2020, 6)]))


def test_fractional_ordinals_are_refused():
    obs = series([1, 2]).astype({"ordinal": float})
    obs.loc[1, "ordinal"] = 2010.5
    with pytest.raises(InputError, match="row 1 has 2010.5"):
        compute_curves(obs, indicators())


@pytest.mark.parametrize("kwargs, message", [
    ({"level": 95}, "level must be between 0 and 1"),
    ({"method": "spline"}, "unknown baseline method 'spline'; expected one of linear"),
])
def test_bad_options_are_explained(kwargs, message):
    with pytest.raises(ValueError, match=message):
        compute_curves(series([1, 2, 3]), indicators(), **kwargs)


def test_frozen_series_without_observations_is_refused():
    frozen = pd.DataFrame({"series": [9], "ordinal": [2020], "forecast": [1.0], "lower": [0.0],
                           "upper": [2.0], "method": ["linear"], "level": [0.95],
                           "history_through_ordinal": [2019]})
    with pytest.raises(InputError, match="series 9 has no observations"):
        compute_curves(series([1, 2]), indicators(), frozen=frozen)


def test_output_columns_are_the_documented_ones():
    rows, summary = compute_curves(series([1, 2, 3]), indicators())
    assert tuple(rows.columns) == ROW_COLUMNS
    assert tuple(summary.columns) == SUMMARY_COLUMNS


def test_future_periods_are_labelled_by_the_callers_function():
    rows, _ = compute_curves(series([1, 2, 3]), indicators(),
                             label_for=lambda freq, ords: [f"{freq}:{o}" for o in ords])
    assert rows["period"].astype(str).tolist() == ["2010", "2011", "2012", "year:2013",
                                                   "year:2014", "year:2015", "year:2016",
                                                   "year:2017"]
    rows, _ = compute_curves(series([1, 2, 3]), indicators())
    assert rows["period"].isna().sum() == 5


def test_benchmark_generator_makes_contract_frames():
    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from generate import generate

    frames = generate(20_000, seed=1)
    obs = frames["observations"]
    assert len(obs) == 20_000
    assert set(obs.columns) == {"series", "indicator", "dimensions", "period", "ordinal",
                                "value", "numerator", "denominator"}
    assert set(frames["indicators"]["frequency"]) <= {"quarter", "year", "school_year"}
    assert obs["value"].isna().any() and not (obs["value"] == 0).all()
    rows, summary = compute_curves(obs, frames["indicators"], frames["targets"])
    assert summary["series"].nunique() >= obs["series"].nunique()
    assert np.isin(summary["trend_direction"].unique().astype(str),
                   ["improving", "worsening", "flat", "none"]).all()
    assert rows["rolled_up"].any()
