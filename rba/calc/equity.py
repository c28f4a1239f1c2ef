"""Equity gaps: each group's distance from the total and from the best-performing group.

Groups are compared only with groups keyed by the same dimension names (cities with cities,
student groups with student groups). "Best" follows polarity: the highest value where up is
good, the lowest where down is good.

Two signs are given. ``gap_to_total`` and ``gap_to_best`` are value minus the other (their
sign follows the unit's direction, whichever way is good); ``behind_total`` and
``behind_best`` are how far the group is *behind* the other after polarity (positive:
worse), so ``behind_best`` is never negative and means the same for every indicator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rba.calc.groupwise import Segments, group_max, group_min, run_bounds, run_sums, series_codes
from rba.calc.series import checked_indicators, float_column, ordinal_column, series_table
from rba.dimensions import parse_dimension_key

GAP_COLUMNS = ("series", "indicator", "dimensions", "group_set", "ordinal", "period", "value",
               "total", "gap_to_total", "best_value", "best_series", "best_dimensions",
               "gap_to_best", "behind_total", "behind_best")
TREND_COLUMNS = ("series", "indicator", "dimensions", "periods_used", "latest_gap_size",
                 "gap_slope_per_year", "narrowing")


def _group_sets(dimensions: np.ndarray) -> np.ndarray:
    """Comma-joined dimension names of each key ("" for the total)."""
    keys, uniques = pd.factorize(dimensions)
    names = np.array([",".join(sorted(parse_dimension_key(str(k)))) for k in uniques],
                     dtype=object)
    return names[keys] if len(keys) else np.zeros(0, dtype=object)


def equity_gaps(observations: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Per group series and period: gap_to_total = value - total, gap_to_best = value - best,
    behind_total = s x (total - value), behind_best = s x (best - value) >= 0 (s = +1 where
    up is good, -1 where down is good).

    The total is the indicator's "{}" value for that period (add rolled-up totals first if
    none is given); the best is the best value among groups with the same dimension names
    in that period. Gaps are in the indicator's unit (percentage points for percents).
    Columns: GAP_COLUMNS, sorted by series and ordinal.
    """
    st = series_table(observations, indicators)
    table = st.table
    group_set = _group_sets(table["dimensions"].to_numpy(dtype=object))
    is_total = group_set == ""
    ind = table["indicator_index"].to_numpy()
    set_codes, sets = pd.factorize(group_set)
    pairs, pid = np.unique(ind * max(len(sets), 1) + set_codes, return_inverse=True)
    pid = pid.ravel()
    ordinal, value = ordinal_column(observations, "observations"), float_column(
        observations, "value")
    rows = np.flatnonzero(~np.isnan(value))
    code, o, v = st.codes[rows], ordinal[rows], value[rows]
    p = pid[code]
    lo, hi = group_min(p, o, len(pairs)), group_max(p, o, len(pairs))
    seg = Segments.spanning(np.where(hi < lo, 0, lo), np.where(hi < lo, 0, hi))
    cell = seg.slot(p, o)
    signed = table["sign"].to_numpy(dtype=float)[code] * v
    best = np.full(seg.size, -np.inf)
    np.maximum.at(best, cell, signed)
    best_code = np.full(seg.size, -1, dtype=np.int64)
    top = signed == best[cell]
    best_code[cell[top]] = code[top]
    total_pid = np.full(len(st.indicators), -1, dtype=np.int64)
    total_pid[ind[is_total]] = pid[is_total]
    total_value = np.full(seg.size, np.nan)
    row_total = is_total[code]
    total_value[cell[row_total]] = v[row_total]
    tp = total_pid[ind[code]]
    safe = np.maximum(tp, 0)
    inside = (tp >= 0) & (o >= seg.first[safe]) & (o < seg.first[safe] + np.diff(seg.offset)[safe])
    total = np.where(inside, total_value[np.where(inside, seg.slot(safe, o), 0)], np.nan)
    keep = np.flatnonzero(~row_total)
    ck, ok = code[keep], o[keep]
    if not ((ck[1:] > ck[:-1]) | ((ck[1:] == ck[:-1]) & (ok[1:] > ok[:-1]))).all():
        keep = keep[np.lexsort((ok, ck))]  # only when rows are not already in series order
    c, b = code[keep], best_code[cell[keep]]
    sign = table["sign"].to_numpy(dtype=float)[c]
    best_value = sign * best[cell[keep]]
    dims = pd.Index(table["dimensions"].to_numpy(dtype=object), dtype=object)
    period = (observations["period"].take(rows[keep]).to_numpy(dtype=object)
              if "period" in observations else np.full(len(keep), None, dtype=object))

    def per_series(categories: object, index: np.ndarray) -> pd.Categorical:
        # Repeated strings as categoricals: codes only, no string copies.
        return pd.Categorical.from_codes(index, categories=categories)

    return pd.DataFrame({
        "series": table["series"].to_numpy()[c],
        "indicator": per_series(st.indicators["indicator"], ind[c]),
        "dimensions": per_series(dims.unique(), dims.unique().get_indexer(dims)[c]),
        "group_set": per_series(sets, set_codes[c]), "ordinal": o[keep],
        "period": pd.Series(period, dtype=object), "value": v[keep],
        "total": total[keep], "gap_to_total": v[keep] - total[keep], "best_value": best_value,
        "best_series": table["series"].to_numpy()[b],
        "best_dimensions": per_series(dims.unique(), dims.unique().get_indexer(dims)[b]),
        "gap_to_best": v[keep] - best_value,
        # Exactly 0 for the best group (signed best minus its own signed value).
        "behind_total": sign * (total[keep] - v[keep]),
        "behind_best": best[cell[keep]] - sign * v[keep],
    }, copy=False)


def gap_trends(gaps: pd.DataFrame, indicators: pd.DataFrame, last_n: int = 5) -> pd.DataFrame:
    """Per group series: is its gap to the best group narrowing over the last N periods?

    gap_slope_per_year is the OLS slope of |gap_to_best| on period ordinal over the group's
    last `last_n` periods with a gap, times periods per year; narrowing is slope < 0
    (NA with fewer than two periods). Columns: TREND_COLUMNS.
    """
    frame = gaps[gaps["gap_to_best"].notna().to_numpy()]
    codes, ids = series_codes(frame["series"].to_numpy())
    order = np.lexsort((frame["ordinal"].to_numpy(), codes))
    code = codes[order]
    x = frame["ordinal"].to_numpy(dtype=float)[order]
    y = np.abs(frame["gap_to_best"].to_numpy(dtype=float)[order])
    starts, counts = run_bounds(code, len(ids))
    recent = np.arange(len(code)) >= (starts + counts - last_n)[code]
    code, x, y = code[recent], x[recent], y[recent]
    starts, n = run_bounds(code, len(ids))
    with np.errstate(divide="ignore", invalid="ignore"):
        dx = x - (run_sums(x, starts, n) / n)[code]
        dy = y - (run_sums(y, starts, n) / n)[code]
        slope = np.where(n >= 2, run_sums(dx * dy, starts, n) / run_sums(dx * dx, starts, n),
                         np.nan)
    first = starts  # any row of the series gives its indicator and dimensions
    rows = frame.iloc[order[recent][np.minimum(first, len(code) - 1)]] if len(code) else frame
    ind = checked_indicators(indicators).set_index("indicator")
    ppy = rows["indicator"].map(ind["periods_per_year"]).to_numpy(dtype=float)
    slope = slope * ppy
    return pd.DataFrame({
        "series": ids, "indicator": rows["indicator"].to_numpy(dtype=object),
        "dimensions": rows["dimensions"].to_numpy(dtype=object), "periods_used": n,
        "latest_gap_size": y[np.maximum(starts + n - 1, 0)] if len(y) else np.zeros(0),
        "gap_slope_per_year": slope,
        "narrowing": pd.array(np.where(np.isnan(slope), None, slope < 0), dtype="boolean"),
    })
