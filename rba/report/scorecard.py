"""The scorecard: one row per series of every indicator, with its summary and freshness."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from rba.calc import freshness, rolled_up_totals
from rba.periods import labels_from_ordinals, period_end_dates
from rba.report.curves import _labelled, indicator_curves
from rba.report.suppression import published
from rba.store.programs import indicator_table
from rba.store.queries import CurveInputs, curve_inputs, results_overview

SCORECARD_COLUMNS = [
    "result", "indicator", "kind", "dimensions", "latest_period", "latest_value",
    "trend_direction", "trend_periods", "baseline_value", "baseline_pct_change", "target",
    "target_period", "variance_from_target", "percent_of_target", "target_band",
    "progress_status", "progress_method", "method", "history_through",
    "next_expected_period", "overdue", "days_overdue", "notes",
]


def period_ends(frequency: str, ordinals: np.ndarray) -> pd.Series:
    """The last day of each period (by ordinal) of one frequency."""
    labels = labels_from_ordinals(pd.Series(ordinals), frequency)
    return period_end_dates(labels, frequency)


def public_inputs(*, session: Session) -> CurveInputs:
    """The curve inputs of published indicators as they may be published: small groups and
    the cells that would reveal them are left out (rba.report.suppression).

    Totals missing from the store are rolled up from *all* their parts first and count as
    published parents, exactly as the indicator and equity pages draw them: otherwise this
    page could show the parts that, with another page's total, give a small group away.
    """
    inputs = curve_inputs(session=session)
    table = indicator_table(session=session)
    shown = inputs.observations["indicator"].isin(table["indicator"]).to_numpy()
    given = inputs.observations[shown]
    observations = published(with_rolled_up_totals(given, inputs.indicators),
                             table[["indicator", "unit", "min_n"]])
    keep = inputs.indicators["indicator"].isin(table["indicator"]).to_numpy()
    return dataclasses.replace(inputs, observations=observations.reset_index(drop=True),
                               indicators=inputs.indicators[keep].reset_index(drop=True))


def with_rolled_up_totals(observations: pd.DataFrame, indicators: pd.DataFrame
                          ) -> pd.DataFrame:
    """Observations plus the totals rba.calc rolls up for periods with no given total value
    (a given total row without a value gives way to its rolled-up figure)."""
    rolled = rolled_up_totals(observations, indicators)
    if rolled.empty:
        return observations.reset_index(drop=True)
    filled = pd.MultiIndex.from_frame(rolled[["series", "ordinal"]])
    blank_total = (observations["dimensions"].astype(str) == "{}").to_numpy() & \
        observations["value"].isna().to_numpy()
    replaced = blank_total & pd.MultiIndex.from_frame(
        observations[["series", "ordinal"]]).isin(filled)
    return pd.concat([observations[~replaced], rolled[observations.columns]],
                     ignore_index=True).sort_values(["series", "ordinal"], kind="stable"
                                                    ).reset_index(drop=True)


def scorecard(*, session: Session, today: date, lag_days: int = 120,
              inputs: CurveInputs | None = None) -> pd.DataFrame:
    """Every series' summary (rba.calc) with its next expected period and whether it is late.

    ``inputs`` defaults to everything in the store; pass `public_inputs` for a public page.
    """
    inputs = inputs if inputs is not None else curve_inputs(session=session)
    if inputs.indicators.empty:
        return pd.DataFrame(columns=SCORECARD_COLUMNS)
    _, summary = indicator_curves(inputs)
    fresh = freshness(summary, period_ends, today, lag_days)
    out = summary.copy()
    out["next_expected_period"] = _labels(fresh["next_expected_period"], out["frequency"])
    out["overdue"] = fresh["overdue"].to_numpy()
    out["days_overdue"] = fresh["days_overdue"].to_numpy()
    frequencies = out["frequency"].astype(str)
    parts = [_labelled(group, frequency) for frequency, group in out.groupby(frequencies)]
    labelled = pd.concat(parts).loc[out.index]
    for column in ("result", "indicator", "kind", "dimensions"):
        labelled[column] = labelled[column].astype(str)
    # Results and indicators in their display order; the total before its groups.
    order = _display_order(session)
    labelled["_order"] = labelled["indicator"].map(order).fillna(len(order))
    labelled["_group"] = labelled["dimensions"] != "{}"
    labelled = labelled.sort_values(["_order", "_group", "dimensions"], kind="stable")
    return labelled[SCORECARD_COLUMNS].reset_index(drop=True)


def _display_order(session: Session) -> dict[str, int]:
    """Each indicator's position in the results' and indicators' display order."""
    overview = results_overview(session=session, published_only=False, latest=False)
    codes = overview["indicator"].dropna().tolist()
    return {code: position for position, code in enumerate(codes)}


def _labels(ordinals: pd.Series, frequencies: pd.Series) -> pd.Series:
    out = pd.Series(None, index=ordinals.index, dtype=object)
    known = ordinals.notna().to_numpy()
    for frequency in frequencies[known].astype(str).unique():
        these = known & (frequencies.astype(str) == frequency).to_numpy()
        out[these] = labels_from_ordinals(ordinals[these].astype("int64"), frequency).to_numpy()
    return out
