"""Equity gaps: each group's distance from its parent and from the best group beside it.

At every level: a group keyed by some dimensions is compared, along each of its dimensions
d, with the groups that differ from it only in d (its *siblings*), and with their *parent*,
the group without d. Cities are compared with cities and with the total; student groups
within Altadena (``{"city":"Altadena","student_group":...}``) with each other and with
Altadena; cities for Latino students with each other and with all Latino students. "Best"
follows polarity: the highest value where up is good, the lowest where down is good.

Two signs are given. ``gap_to_total`` and ``gap_to_best`` are value minus the other (their
sign follows the unit's direction, whichever way is good); ``behind_total`` and
``behind_best`` are how far the group is *behind* the other after polarity (positive:
worse), so ``behind_best`` is never negative and means the same for every indicator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rba.calc.groupwise import run_bounds, run_sums, series_codes
from rba.calc.rollup_cells import canonical_keys, dimension_codes
from rba.calc.series import checked_indicators, float_column, ordinal_column, series_table

GAP_COLUMNS = ("series", "indicator", "dimensions", "group_set", "along", "within", "ordinal",
               "period", "value", "total", "gap_to_total", "best_value", "best_series",
               "best_dimensions", "gap_to_best", "behind_total", "behind_best")
TREND_COLUMNS = ("series", "indicator", "dimensions", "along", "within", "periods_used",
                 "latest_gap_size", "gap_slope_per_year", "narrowing")


def _categorical(values: np.ndarray) -> pd.Categorical:
    """Repeated strings as a categorical: codes only, no string copies."""
    codes, uniques = pd.factorize(values)
    return pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object))


def equity_gaps(observations: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Per group series, dimension compared along (``along``) and period: gap_to_total =
    value - the parent's value (``within``: the parent's key; ``total``: its value, NaN
    where the parent has none that period), gap_to_best = value - the best sibling's;
    behind_total = s x (parent - value), behind_best = s x (best - value) >= 0 (s = +1 where
    up is good, -1 where down is good).

    Add rolled-up levels first (rba.calc.rolled_up_levels) for parents not given. Gaps are
    in the indicator's unit (percentage points for percents). A group of one dimension has
    one row per period (its parent is the total); a group of k dimensions has k.
    Columns: GAP_COLUMNS, sorted by series, along and ordinal.
    """
    st = series_table(observations, indicators)
    table = st.table
    ind = table["indicator_index"].to_numpy(dtype=np.int64)
    dims, names, values = dimension_codes(table["dimensions"].to_numpy(dtype=object))
    keys = table["dimensions"].to_numpy(dtype=object)
    node_index = pd.MultiIndex.from_arrays([ind, *dims.T])
    unique_nodes = ~node_index.duplicated()
    # One comparison per (series, dimension it has): its parent and its siblings' group.
    c_code = np.concatenate([np.flatnonzero(dims[:, j] >= 0) for j in range(len(names))]
                            ) if len(names) else np.zeros(0, dtype=np.int64)
    c_along = np.concatenate([np.full(int((dims[:, j] >= 0).sum()), j)
                              for j in range(len(names))]) if len(names) else c_code
    up = dims[c_code].copy()
    up[np.arange(len(c_code)), c_along] = -1
    parent = np.full(len(c_code), -1, dtype=np.int64)
    found = pd.MultiIndex.from_arrays([ind[unique_nodes], *dims[unique_nodes].T]).get_indexer(
        pd.MultiIndex.from_arrays([ind[c_code], *up.T]))
    parent[found >= 0] = np.flatnonzero(unique_nodes)[found[found >= 0]]
    group = pd.factorize(pd.MultiIndex.from_arrays([ind[c_code], c_along, *up.T]))[0]
    ordinal, value = ordinal_column(observations, "observations"), float_column(
        observations, "value")
    rows = np.flatnonzero(~np.isnan(value))
    code, o, v = st.codes[rows], ordinal[rows], value[rows]
    # Rows of each series' comparisons: a series' rows repeated once per comparison.
    per_code = np.bincount(c_code, minlength=len(table))
    comp_start = np.concatenate([[0], np.cumsum(per_code)])[:-1]
    by_code = np.argsort(c_code, kind="stable")
    n_comp = per_code[code]
    r = np.repeat(np.arange(len(rows)), n_comp)
    k = np.arange(len(r)) - np.repeat(np.cumsum(n_comp) - n_comp, n_comp)
    comp = by_code[comp_start[code[r]] + k]
    rc, ro, rv = code[r], o[r], v[r]
    base = int(o.min()) if len(o) else 0
    span = int(o.max()) - base + 1 if len(o) else 1
    cell, cells = pd.factorize(group[comp] * span + (ro - base))
    sign = table["sign"].to_numpy(dtype=float)
    signed = sign[rc] * rv
    best = np.full(len(cells), -np.inf)
    np.maximum.at(best, cell, signed)
    best_code = np.full(len(cells), -1, dtype=np.int64)
    top = signed == best[cell]
    best_code[cell[top]] = rc[top]
    at_key = code * span + (o - base)
    once = ~pd.Index(at_key).duplicated()  # duplicates are refused by compute_curves
    p = parent[comp]
    where = pd.Index(at_key[once]).get_indexer(np.maximum(p, 0) * span + (ro - base))
    where = np.where(where >= 0, np.flatnonzero(once)[np.maximum(where, 0)], -1)
    total = np.where((p >= 0) & (where >= 0), v[np.maximum(where, 0)], np.nan)
    order = np.lexsort((ro, c_along[comp], rc))
    c, b, comp, ro, rv, total = (rc[order], best_code[cell[order]], comp[order], ro[order],
                                 rv[order], total[order])
    best_value = sign[c] * best[cell[order]]
    period = (observations["period"].to_numpy(dtype=object)[rows[r[order]]]
              if "period" in observations else np.full(len(c), None, dtype=object))
    patterns, pattern = np.unique(dims >= 0, axis=0, return_inverse=True)
    group_set = np.array([",".join(names[p]) for p in patterns], dtype=object)[
        pattern.ravel()] if len(table) else np.zeros(0, dtype=object)
    return pd.DataFrame({
        "series": table["series"].to_numpy()[c],
        "indicator": pd.Categorical.from_codes(ind[c], categories=st.indicators["indicator"]),
        "dimensions": _categorical(keys[c]), "group_set": _categorical(group_set[c]),
        "along": _categorical(names[c_along[comp]].astype(object)),
        "within": _categorical(canonical_keys(up[comp], names, values)),
        "ordinal": ro, "period": pd.Series(period, dtype=object), "value": rv,
        "total": total, "gap_to_total": rv - total, "best_value": best_value,
        "best_series": table["series"].to_numpy()[b],
        "best_dimensions": _categorical(keys[b]), "gap_to_best": rv - best_value,
        "behind_total": sign[c] * (total - rv), "behind_best": best[cell[order]] - sign[c] * rv,
    }, copy=False)


def gap_trends(gaps: pd.DataFrame, indicators: pd.DataFrame, last_n: int = 5) -> pd.DataFrame:
    """Per group series and dimension compared along: is its gap to the best sibling
    narrowing over the last N periods?

    gap_slope_per_year is the OLS slope of |gap_to_best| on period ordinal over the group's
    last `last_n` periods with a gap, times periods per year; narrowing is slope < 0
    (NA with fewer than two periods). Columns: TREND_COLUMNS.
    """
    frame = gaps[gaps["gap_to_best"].notna().to_numpy()]
    series_code, _ = series_codes(frame["series"].to_numpy())
    along = frame["along"].astype(object).to_numpy() if "along" in frame else \
        np.full(len(frame), "", dtype=object)
    along_code, _ = pd.factorize(along, sort=True)
    codes, pairs = pd.factorize(series_code.astype(np.int64) * (along_code.max(initial=0) + 1)
                                + along_code, sort=True)
    ids = pairs
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
    picked = {c: rows[c].to_numpy(dtype=object) if c in rows else np.full(len(rows), None)
              for c in ("series", "along", "within")}
    ind = checked_indicators(indicators).set_index("indicator")
    ppy = rows["indicator"].map(ind["periods_per_year"]).to_numpy(dtype=float)
    slope = slope * ppy
    return pd.DataFrame({
        "series": picked["series"] if len(ids) else rows["series"].to_numpy(),
        "indicator": rows["indicator"].to_numpy(dtype=object),
        "dimensions": rows["dimensions"].to_numpy(dtype=object), "along": picked["along"],
        "within": picked["within"], "periods_used": n,
        "latest_gap_size": y[np.maximum(starts + n - 1, 0)] if len(y) else np.zeros(0),
        "gap_slope_per_year": slope,
        "narrowing": pd.array(np.where(np.isnan(slope), None, slope < 0), dtype="boolean"),
    })
