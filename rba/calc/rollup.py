"""Roll-ups: every level of an indicator, and sums across a dimension, from numerators and
denominators.

A percent or rate rolls up as sum(numerators) / sum(denominators) x 100 (percent) or x `per`
(rate); a count is the sum of its parts; number, currency and score roll up as
sum(numerators) / sum(denominators) (a weighted mean). Never the unweighted mean of
percentages. A part that is missing in a period (no row, or NaN) makes that period's roll-up
missing, never a smaller sum. A given figure, at any level, is authoritative: it is never
replaced, and where the parts of a count disagree with it `count_discrepancies` says so.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from rba.calc.rollup_cells import CubeCells, cube_cells
from rba.calc.series import (
    TOTAL_KEY,
    InputError,
    SeriesTable,
    checked_indicators,
    float_column,
    ordinal_column,
    require_columns,
    series_table,
)
from rba.dimensions import dimension_key, parse_dimension_key


class RollUpRefused(InputError):
    """An indicator cannot be rolled up (e.g. a percent without numerators and denominators)."""


def refusal_message(indicator: str, unit: str, over: str) -> str:
    """Why an indicator cannot be rolled up across a dimension, in the user's words."""
    return (f"cannot roll up indicator {indicator!r} ({unit}) across {over}: its parts have "
            f"no numerators and denominators, and an average of {unit} values would be "
            f"wrong; give numerators and denominators, or a total row")


def rolled_up(observations: pd.DataFrame, indicators: pd.DataFrame,
              over: str | Sequence[str]) -> pd.DataFrame:
    """Observations rolled up across the `over` dimension(s), one row per remaining group.

    Returns indicator, dimensions (the remaining key), ordinal, period, value, numerator,
    denominator, parts (rows summed) and complete (every part present with what it needs).
    Raises RollUpRefused naming each indicator that has neither a count unit nor
    numerators and denominators.
    """
    require_columns(observations, "observations", ("indicator", "dimensions", "ordinal"))
    names = [over] if isinstance(over, str) else list(over)
    ind = checked_indicators(indicators).set_index("indicator")
    remaining = {}
    for key in observations["dimensions"].unique():
        values = parse_dimension_key(str(key))
        if all(name in values for name in names):
            remaining[key] = dimension_key({k: v for k, v in values.items() if k not in names})
    rows = observations[observations["dimensions"].isin(list(remaining))]
    unit = rows["indicator"].map(ind["unit"]).to_numpy(dtype=object)
    mult = rows["indicator"].map(ind["multiplier"]).to_numpy(dtype=float)
    value, num, den = (float_column(rows, c) for c in ("value", "numerator", "denominator"))
    num = np.where(np.isnan(num) & ~np.isnan(value) & ~np.isnan(den), value * den / mult, num)
    ratio_ok = ~np.isnan(num) & ~np.isnan(den)
    frame = pd.DataFrame({
        "indicator": rows["indicator"].to_numpy(dtype=object),
        "dimensions": rows["dimensions"].map(remaining).to_numpy(dtype=object),
        "ordinal": ordinal_column(rows, "observations"),
        "period": rows["period"].to_numpy(dtype=object) if "period" in rows else None,
        "series": rows["series"].to_numpy() if "series" in rows else rows.index.to_numpy(),
        "value": value, "value_n": ~np.isnan(value), "numerator": np.where(ratio_ok, num, 0.0),
        "denominator": np.where(ratio_ok, den, 0.0), "ratio_n": ratio_ok,
        "count": unit == "count", "multiplier": mult, "unit": unit,
    })
    usable = frame.groupby("indicator", sort=True)[["ratio_n", "count"]].any()
    refused = usable.index[~usable["ratio_n"] & ~usable["count"]]
    if len(refused):
        over_text = " and ".join(names)
        raise RollUpRefused("; ".join(refusal_message(code, ind.loc[code, "unit"], over_text)
                                      for code in refused))
    keys = ["indicator", "dimensions", "ordinal"]
    grouped = frame.groupby(keys, sort=True)
    out = grouped.agg(period=("period", "first"), parts=("series", "size"),
                      value_sum=("value", "sum"), value_n=("value_n", "sum"),
                      numerator=("numerator", "sum"), denominator=("denominator", "sum"),
                      ratio_n=("ratio_n", "sum"), count=("count", "first"),
                      multiplier=("multiplier", "first")).reset_index()
    expected = frame.groupby(["indicator", "dimensions"])["series"].nunique()
    full = out["parts"].to_numpy() == expected.reindex(
        pd.MultiIndex.from_frame(out[["indicator", "dimensions"]])).to_numpy()
    ratio_full = full & (out["ratio_n"].to_numpy() == out["parts"].to_numpy())
    value_full = full & (out["value_n"].to_numpy() == out["parts"].to_numpy())
    num_sum, den_sum = out["numerator"].to_numpy(), out["denominator"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ratio_full & (den_sum > 0),
                         out["multiplier"].to_numpy() * num_sum / den_sum, np.nan)
    is_count = out["count"].to_numpy(dtype=bool)
    out["value"] = np.where(is_count, np.where(value_full, out["value_sum"], np.nan), ratio)
    out["numerator"] = np.where(ratio_full, num_sum, np.nan)
    out["denominator"] = np.where(ratio_full, den_sum, np.nan)
    out["complete"] = np.where(is_count, value_full, ratio_full)
    return out[["indicator", "dimensions", "ordinal", "period", "value", "numerator",
                "denominator", "parts", "complete"]]


def _cells(observations: pd.DataFrame, indicators: pd.DataFrame
           ) -> tuple[SeriesTable, CubeCells]:
    st = series_table(observations, indicators)
    cells = cube_cells(st, ordinal_column(observations, "observations"),
                       *(float_column(observations, c)
                         for c in ("value", "numerator", "denominator")))
    return st, cells


def _period(observations: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    if "period" not in observations.columns:
        return np.full(len(rows), None, dtype=object)
    return observations["period"].take(rows).to_numpy(dtype=object)


def rolled_up_levels(observations: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Rows of every level of every indicator rolled up for periods with no given value.

    Every subset of an indicator's dimensions is a level (rba.calc.rollup_cells): the total
    ``{}``, each dimension's values, each pair, ... Rows come in the observations contract
    plus `rolled_up_over` (the dimension summed over); `series` is the level's given series
    where one exists, else a new id (see `CubeCells.series_ids`).
    """
    st, cells = _cells(observations, indicators)
    ids = np.concatenate([st.table["series"].to_numpy(),
                          cells.series_ids(st.table["series"].to_numpy(), st.indicators)])
    return pd.DataFrame({
        "series": ids[cells.code],
        "indicator": st.indicators["indicator"].to_numpy(dtype=object)[
            cells.nodes.indicator_index[cells.code]],
        "dimensions": cells.nodes.keys[cells.code],
        "period": _period(observations, cells.label_row),
        "ordinal": cells.ordinal, "value": cells.value,
        "numerator": cells.numerator, "denominator": cells.denominator,
        "rolled_up_over": cells.along,
    })


def rolled_up_totals(observations: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """The total rows ("{}") of `rolled_up_levels`."""
    levels = rolled_up_levels(observations, indicators)
    return levels[(levels["dimensions"] == TOTAL_KEY).to_numpy()].reset_index(drop=True)


def count_discrepancies(observations: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Periods where a given count, at any level, differs from the sum of one complete set
    of its parts (one row per dimension whose parts disagree)."""
    st, cells = _cells(observations, indicators)
    return pd.DataFrame({
        "indicator": st.indicators["indicator"].to_numpy(dtype=object)[
            cells.nodes.indicator_index[cells.d_code]],
        "dimensions": cells.nodes.keys[cells.d_code],
        "period": _period(observations, cells.d_label_row), "ordinal": cells.d_ordinal,
        "dimension": cells.d_along, "total": cells.d_total, "sum_of_parts": cells.d_sum,
        "difference": cells.d_sum - cells.d_total,
    })


def roll_up_refusals(observations: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Indicators whose levels cannot be rolled up from their parts, with the reason."""
    st, cells = _cells(observations, indicators)
    codes = st.indicators["indicator"].to_numpy(dtype=object)[cells.refused_indicator]
    units = st.indicators["unit"].to_numpy(dtype=object)[cells.refused_indicator]
    return pd.DataFrame({
        "indicator": codes, "dimension": cells.refused_dimension,
        "reason": [refusal_message(c, u, d) for c, u, d in
                   zip(codes, units, cells.refused_dimension, strict=True)],
    })
