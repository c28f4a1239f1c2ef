"""Equity gaps: each group's distance from the total and from the best-performing group.

Groups are compared only with groups keyed by the same dimension names (cities with cities,
student groups with student groups). "Best" follows polarity: the highest value where up is
good, the lowest where down is good.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rba.calc.series import float_column, ordinal_column, series_table
from rba.dimensions import parse_dimension_key

GAP_COLUMNS = ("series", "indicator", "dimensions", "group_set", "ordinal", "period", "value",
               "total", "gap_to_total", "best_value", "best_series", "best_dimensions",
               "gap_to_best")


def equity_gaps(observations: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Per group series and period: gap_to_total = value - total, gap_to_best = value - best.

    The total is the indicator's "{}" row for that period (add rolled-up totals first if
    none is given); the best is the best value among groups with the same dimension names
    in that period. Gaps are in the indicator's unit (percentage points for percents).
    """
    st = series_table(observations, indicators)
    keys, uniques = pd.factorize(st.table["dimensions"].to_numpy(dtype=object))
    names = np.array([",".join(sorted(parse_dimension_key(str(k)))) for k in uniques],
                     dtype=object)
    group_set = names[keys]
    rows = pd.DataFrame({
        "code": st.codes, "ind": st.table["indicator_index"].to_numpy()[st.codes],
        "group_set": group_set[st.codes], "ordinal": ordinal_column(observations, "observations"),
        "value": float_column(observations, "value"),
        "period": (observations["period"].to_numpy(dtype=object) if "period" in observations
                   else None),
    })
    rows = rows[rows["value"].notna().to_numpy()]
    is_total = (rows["group_set"] == "").to_numpy()
    totals = rows[is_total].set_index(["ind", "ordinal"])["value"]
    groups = rows[~is_total].copy()
    groups["total"] = totals.reindex(pd.MultiIndex.from_frame(groups[["ind", "ordinal"]])
                                     ).to_numpy()
    sign = st.table["sign"].to_numpy(dtype=float)[groups["code"].to_numpy()]
    groups["signed"] = sign * groups["value"].to_numpy()
    ordered = groups.sort_values(["ind", "group_set", "ordinal", "signed"], kind="stable")
    best = ordered.groupby(["ind", "group_set", "ordinal"], sort=False).tail(1)
    best = best.set_index(["ind", "group_set", "ordinal"])
    where = pd.MultiIndex.from_frame(groups[["ind", "group_set", "ordinal"]])
    best_code = best["code"].reindex(where).to_numpy()
    table = st.table
    return pd.DataFrame({
        "series": table["series"].to_numpy()[groups["code"].to_numpy()],
        "indicator": table["indicator"].to_numpy(dtype=object)[groups["code"].to_numpy()],
        "dimensions": table["dimensions"].to_numpy(dtype=object)[groups["code"].to_numpy()],
        "group_set": groups["group_set"].to_numpy(), "ordinal": groups["ordinal"].to_numpy(),
        "period": groups["period"].to_numpy(), "value": groups["value"].to_numpy(),
        "total": groups["total"].to_numpy(),
        "gap_to_total": groups["value"].to_numpy() - groups["total"].to_numpy(),
        "best_value": best["value"].reindex(where).to_numpy(),
        "best_series": table["series"].to_numpy()[best_code],
        "best_dimensions": table["dimensions"].to_numpy(dtype=object)[best_code],
        "gap_to_best": groups["value"].to_numpy() - best["value"].reindex(where).to_numpy(),
    }).sort_values(["series", "ordinal"], ignore_index=True)


def gap_trends(gaps: pd.DataFrame, indicators: pd.DataFrame, last_n: int = 5) -> pd.DataFrame:
    """Per group series: is its gap to the best group narrowing over the last N periods?

    gap_slope_per_year is the OLS slope of |gap_to_best| on period ordinal over the group's
    last `last_n` periods with a gap, times periods per year; narrowing is slope < 0
    (NA with fewer than two periods).
    """
    ppy = gaps["indicator"].map(indicators.set_index("indicator")["periods_per_year"])
    frame = pd.DataFrame({
        "series": gaps["series"].to_numpy(), "ordinal": gaps["ordinal"].to_numpy(dtype=float),
        "size": np.abs(gaps["gap_to_best"].to_numpy(dtype=float)),
        "ppy": ppy.to_numpy(dtype=float),
    }).dropna(subset=["size"]).sort_values(["series", "ordinal"], kind="stable")
    recent = frame[frame.groupby("series").cumcount(ascending=False).to_numpy() < last_n]
    grouped = recent.groupby("series", sort=True)
    x_mean = grouped["ordinal"].transform("mean").to_numpy()
    y_mean = grouped["size"].transform("mean").to_numpy()
    dx = recent["ordinal"].to_numpy() - x_mean
    sums = pd.DataFrame({"series": recent["series"].to_numpy(), "sxx": dx * dx,
                         "sxy": dx * (recent["size"].to_numpy() - y_mean)}).groupby(
        "series", sort=True).sum()
    n = grouped.size()
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(n.to_numpy() >= 2, sums["sxy"] / sums["sxx"], np.nan)
    slope = slope * grouped["ppy"].first().to_numpy()
    last = grouped.tail(1).set_index("series")
    meta = gaps.drop_duplicates("series").set_index("series")
    return pd.DataFrame({
        "series": n.index.to_numpy(), "indicator": meta["indicator"].reindex(n.index).to_numpy(),
        "dimensions": meta["dimensions"].reindex(n.index).to_numpy(),
        "periods_used": n.to_numpy(), "latest_gap_size": last["size"].reindex(n.index)
        .to_numpy(), "gap_slope_per_year": slope,
        "narrowing": pd.array(np.where(np.isnan(slope), None, slope < 0), dtype="boolean"),
    })
