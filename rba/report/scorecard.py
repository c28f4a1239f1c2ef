"""The scorecard: one row per series of every indicator, with its summary and freshness."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from rba.calc import CurveInputs, freshness, rolled_up_levels
from rba.periods import labels_by_frequency, labels_from_ordinals, period_end_dates
from rba.report.curves import indicator_curves, key_depth, labelled_summary
from rba.report.suppression import published

SCORECARD_COLUMNS = [
    "result", "indicator", "kind", "dimensions", "latest_period", "latest_value", "verdict",
    "verdict_basis", "verdict_period", "verdict_periods", "trend_direction", "trend_periods",
    "first_period", "baseline_value", "baseline_value_from", "baseline_pct_change", "target",
    "target_period", "variance_from_target", "percent_of_target", "target_band",
    "progress_status", "progress_method", "method", "backtest_mase", "history_through",
    "next_expected_period", "overdue", "days_overdue", "notes",
]


def period_ends(frequency: str, ordinals: np.ndarray) -> pd.Series:
    """The last day of each period (by ordinal) of one frequency."""
    labels = labels_from_ordinals(pd.Series(ordinals), frequency)
    return period_end_dates(labels, frequency)


def published_inputs(inputs: CurveInputs, table: pd.DataFrame) -> CurveInputs:
    """The curve inputs of published indicators as they may be published: small groups and
    the cells that would reveal them are left out (rba.report.suppression).

    ``table`` lists the published indicators (indicator, unit, min_n). Every level missing
    from the store (totals, subtotals) is rolled up from *all* its parts first and counts as
    a published cell, exactly as the indicator and equity pages draw it: otherwise this page
    could show the parts that, with another page's subtotal, give a small group away.
    """
    shown = inputs.observations["indicator"].isin(table["indicator"]).to_numpy()
    given = inputs.observations[shown]
    observations = published(with_rolled_up_levels(given, inputs.indicators),
                             table[["indicator", "unit", "min_n"]])
    keep = inputs.indicators["indicator"].isin(table["indicator"]).to_numpy()
    return dataclasses.replace(inputs, observations=observations.reset_index(drop=True),
                               indicators=inputs.indicators[keep].reset_index(drop=True))


def with_rolled_up_levels(observations: pd.DataFrame, indicators: pd.DataFrame
                          ) -> pd.DataFrame:
    """Observations plus every level rba.calc rolls up (totals and subtotals) for periods
    with no given value (a given row without a value gives way to its rolled-up figure)."""
    rolled = rolled_up_levels(observations, indicators)
    if rolled.empty:
        return observations.reset_index(drop=True)
    filled = pd.MultiIndex.from_frame(rolled[["series", "ordinal"]])
    blank = observations["value"].isna().to_numpy()
    replaced = blank & pd.MultiIndex.from_frame(
        observations[["series", "ordinal"]]).isin(filled)
    return pd.concat([observations[~replaced], rolled[observations.columns]],
                     ignore_index=True).sort_values(["series", "ordinal"], kind="stable"
                                                    ).reset_index(drop=True)


def scorecard(inputs: CurveInputs, *, today: date, order: Sequence[str],
              lag_days: int = 120) -> pd.DataFrame:
    """Every series' summary (rba.calc) with its next expected period and whether it is late.

    ``order``: the indicators' codes in the results' and indicators' display order; the
    rows follow it, each indicator's total before its groups.
    """
    if inputs.indicators.empty:
        return pd.DataFrame(columns=SCORECARD_COLUMNS)
    _, summary = indicator_curves(inputs)
    fresh = freshness(summary, period_ends, today, lag_days)
    out = summary.copy()
    out["next_expected_period"] = labels_by_frequency(fresh["next_expected_period"],
                                                      out["frequency"])
    out["overdue"] = fresh["overdue"].to_numpy()
    out["days_overdue"] = fresh["days_overdue"].to_numpy()
    frequencies = out["frequency"].astype(str)
    parts = [labelled_summary(group, frequency) for frequency, group in out.groupby(frequencies)]
    labelled = pd.concat(parts).loc[out.index]
    for column in ("result", "indicator", "kind", "dimensions"):
        labelled[column] = labelled[column].astype(str)
    # Results and indicators in their display order; the total before its groups, one
    # dimension's groups before pairs of dimensions...
    position = {code: i for i, code in enumerate(order)}
    labelled["_order"] = labelled["indicator"].map(position).fillna(len(position))
    labelled["_group"] = key_depth(labelled["dimensions"])
    labelled = labelled.sort_values(["_order", "_group", "dimensions"], kind="stable")
    return labelled[SCORECARD_COLUMNS].reset_index(drop=True)


