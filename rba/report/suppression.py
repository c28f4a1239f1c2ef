"""Small-group suppression for publishing student data, with complementary suppression.

The rule, applied per indicator and period:

1. **Size.** A cell's size is its denominator, or its value for a count (a count has no
   denominator). A cell with no known size (a percent given without its denominator) is
   never suppressed for size.
2. **Small groups** (``suppression = "small_group"``). Every cell, total included, whose
   size is under the indicator's ``min_n`` is suppressed. An indicator without ``min_n``
   is not suppressed at all.
3. **Complementary** (``suppression = "complementary"``). A cell's *parent along a
   dimension* is the cell with the same values minus that dimension: the parent of
   ``{"city":"Altadena"}`` is the total ``{}``; the parent of
   ``{"city":"Altadena","student_group":"Latino"}`` along ``student_group`` is
   ``{"city":"Altadena"}``. The *parts* of a parent along a dimension are its cells one
   dimension deeper. A part is *hidden* when it is suppressed or has no value. Then,
   repeated until nothing changes:

   a. where a parent is published (present, with a value, not suppressed) and exactly one
      of its parts along a dimension is hidden, and that part is suppressed, the smallest
      published part of that dimension is suppressed too (ties broken by dimensions key),
      so the suppressed part cannot be worked out as parent minus the published parts.
      If there is no other published part, the parent is suppressed instead;
   b. where a parent is suppressed and every one of its parts along a dimension is
      published, the smallest of those parts is suppressed, so the parent cannot be
      worked out as the sum of its parts.

   Parts are treated as if they added up to their parent even where groups overlap
   (student groups), which only ever hides more, never less. The rule holds at every
   level of the cube at once (a subtotal is the parent of its parts and a part of its own
   parent). Rolled-up levels count as published cells only if they are in the rows given:
   add them first (rba.calc ``rolled_up_levels``) when the page will show them.

A suppressed cell keeps its row, with value, numerator and denominator blanked (NaN) and
``suppressed`` True; no figure of it is left to publish.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rba.dimensions import dimension_key, parse_dimension_key

SMALL_GROUP = "small_group"
COMPLEMENTARY = "complementary"
FIGURES = ("value", "numerator", "denominator")


def cell_size(observations: pd.DataFrame, unit: pd.Series) -> np.ndarray:
    """The number of people a cell counts: its denominator, or its value for a count."""
    value = pd.to_numeric(observations["value"], errors="coerce").to_numpy(dtype=float)
    denominator = (pd.to_numeric(observations["denominator"], errors="coerce")
                   .to_numpy(dtype=float) if "denominator" in observations
                   else np.full(len(observations), np.nan))
    return np.where(unit.to_numpy(dtype=object) == "count", value, denominator)


def any_small(observations: pd.DataFrame, unit: str, min_n: object) -> bool:
    """Whether any cell of one indicator is under its ``min_n`` (rule 2). Without one,
    `suppress` withholds nothing at all: complementary cells only ever guard small ones."""
    threshold = pd.to_numeric(pd.Series([min_n]), errors="coerce").iloc[0]
    if pd.isna(threshold):
        return False
    size = cell_size(observations, pd.Series(unit, index=observations.index))
    return bool((size < threshold).any())


def _parents(keys: np.ndarray) -> pd.DataFrame:
    """For each distinct key: one row per dimension it has, with the parent key along it."""
    rows = []
    for key in pd.unique(keys):
        values = parse_dimension_key(str(key))
        for name in values:
            parent = dimension_key({n: v for n, v in values.items() if n != name})
            rows.append((key, name, parent))
    return pd.DataFrame(rows, columns=["dimensions", "along", "parent_key"])


def _edges(cells: pd.DataFrame) -> pd.DataFrame:
    """Part-of links: row of a part, its group (parent and dimension) and the parent's row."""
    links = _parents(cells["dimensions"].to_numpy(dtype=object))
    parts = cells[["row", "indicator", "period", "dimensions"]].merge(links, on="dimensions")
    parent_rows = cells[["row", "indicator", "period", "dimensions"]].rename(
        columns={"row": "parent_row", "dimensions": "parent_key"})
    edges = parts.merge(parent_rows, on=["indicator", "period", "parent_key"], how="left")
    edges["parent_row"] = edges["parent_row"].fillna(-1).astype(np.int64)
    edges["group"] = edges.groupby(["indicator", "period", "parent_key", "along"],
                                   sort=False, dropna=False).ngroup()
    return edges[["row", "dimensions", "group", "parent_row"]]


def _smallest(candidates: pd.DataFrame, size: np.ndarray) -> np.ndarray:
    """The row of the smallest candidate of each group (unknown size last, then by key)."""
    if candidates.empty:
        return np.zeros(0, dtype=np.int64)
    ranked = candidates.assign(_size=np.nan_to_num(size[candidates["row"].to_numpy()],
                                                   nan=np.inf))
    ranked = ranked.sort_values(["group", "_size", "dimensions"], kind="stable")
    return ranked.drop_duplicates("group")["row"].to_numpy(dtype=np.int64)


def _complementary(edges: pd.DataFrame, suppressed: np.ndarray, has_value: np.ndarray,
                   size: np.ndarray) -> np.ndarray:
    """Rows to suppress next so no suppressed cell can be recovered by subtraction."""
    row, parent = edges["row"].to_numpy(), edges["parent_row"].to_numpy()
    group = edges["group"].to_numpy()
    n_groups = int(group.max()) + 1
    hidden = suppressed[row] | ~has_value[row]
    n_hidden = np.bincount(group, weights=hidden, minlength=n_groups)
    n_suppressed = np.bincount(group, weights=suppressed[row], minlength=n_groups)
    safe = np.maximum(parent, 0)
    parent_published = (parent >= 0) & has_value[safe] & ~suppressed[safe]
    parent_suppressed = (parent >= 0) & suppressed[safe]
    per_group_published = np.zeros(n_groups, dtype=bool)
    per_group_published[group] = parent_published
    per_group_suppressed = np.zeros(n_groups, dtype=bool)
    per_group_suppressed[group] = parent_suppressed
    exposed = per_group_published & (n_hidden == 1) & (n_suppressed == 1)  # rule a
    summed = per_group_suppressed & (n_hidden == 0)  # rule b
    visible = edges[~hidden]
    wanted = visible[(exposed | summed)[visible["group"].to_numpy()]]
    chosen = _smallest(wanted, size)
    lonely = exposed.copy()
    lonely[visible["group"].to_numpy()] = False  # groups with a part left to suppress
    parents = np.unique(parent[lonely[group] & (parent >= 0)])
    return np.union1d(chosen, parents).astype(np.int64)


def suppress(observations: pd.DataFrame, indicators: pd.DataFrame | None = None
             ) -> pd.DataFrame:
    """The observations as they may be published: small and complementary cells blanked.

    `observations` needs indicator, period, dimensions, value and (for all but counts)
    denominator; numerator is blanked too where present. Each indicator's unit and
    min_n come from `indicators` (columns indicator, unit, min_n) or from the rows' own
    unit and min_n columns. Returns the same rows in the same order, with the figures of
    suppressed cells blanked and two more columns: suppressed (bool) and suppression
    (None, "small_group" or "complementary").
    """
    out = observations.copy()
    cells = out.reset_index(drop=True)
    for column in ("unit", "min_n"):
        if column not in cells:
            lookup = indicators.set_index("indicator")[column] if indicators is not None \
                else pd.Series(dtype=object)
            cells[column] = cells["indicator"].map(lookup)
    size = cell_size(cells, cells["unit"])
    min_n = pd.to_numeric(cells["min_n"], errors="coerce").to_numpy(dtype=float)
    small = ~np.isnan(min_n) & ~np.isnan(size) & (size < min_n)
    suppressed = small.copy()
    limited = ~np.isnan(min_n)  # complementary suppression only where min_n applies
    has_value = pd.to_numeric(cells["value"], errors="coerce").notna().to_numpy()
    cells["row"] = np.arange(len(cells))
    edges = _edges(cells[limited]) if limited.any() and small.any() else None
    while edges is not None and len(edges):
        more = _complementary(edges, suppressed, has_value, size)
        more = more[~suppressed[more]]
        if not len(more):
            break
        suppressed[more] = True
    reason = np.full(len(cells), None, dtype=object)
    reason[suppressed] = COMPLEMENTARY
    reason[small] = SMALL_GROUP
    for column in FIGURES:
        if column in out:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype(float).where(
                ~suppressed, np.nan).to_numpy()
    out["suppressed"] = suppressed
    out["suppression"] = pd.Series(reason, index=out.index, dtype=object)
    return out


def published(observations: pd.DataFrame, indicators: pd.DataFrame | None = None
              ) -> pd.DataFrame:
    """Only the rows that may be published (suppress, then drop the suppressed rows)."""
    out = suppress(observations, indicators)
    return out[~out["suppressed"].to_numpy()].drop(columns=["suppressed", "suppression"])


def blanked(observations: pd.DataFrame, indicators: pd.DataFrame | None = None
            ) -> pd.DataFrame:
    """The observations a public figure may be computed from: every row kept, suppressed
    cells' figures blanked (NaN).

    Unlike `published`, a suppressed row stays as a gap, so a total that rba.calc rolls up
    from the parts later is missing wherever a part is withheld (never the smaller sum of
    the parts left, which would misstate the total), and any total shown is then the sum of
    parts that are themselves published: it reveals nothing they do not.
    """
    return suppress(observations, indicators).drop(columns=["suppressed", "suppression"])


def published_curve_rows(rows: pd.DataFrame, summary: pd.DataFrame, unit: str, min_n: Any
                   ) -> pd.DataFrame:
    """Curve rows as a public page may show them: small and complementary cells withheld.

    Withheld cells lose actual, numerator and denominator (``withheld`` is True); a series
    with any withheld cell also loses its forecast, which was fitted on those figures.
    """
    out = rows.copy()
    out["withheld"] = False
    if min_n is None or min_n != min_n or out.empty:
        return out
    if not any_small(out.rename(columns={"actual": "value"}), unit, min_n):
        return out  # nothing small: nothing to withhold, nor to withhold beside it
    dims = summary.set_index("series")["dimensions"].astype(str)
    cells = pd.DataFrame({
        "indicator": "x", "period": out["period"].astype(str),
        "dimensions": out["series"].map(dims).astype(object),
        "value": out["actual"], "numerator": out["numerator"],
        "denominator": out["denominator"]}).reset_index(drop=True)
    has_figure = cells["value"].notna().to_numpy()
    checked = suppress(cells[has_figure], pd.DataFrame(
        {"indicator": ["x"], "unit": [unit], "min_n": [min_n]}))
    withheld = np.zeros(len(out), dtype=bool)
    withheld[np.flatnonzero(has_figure)] = checked["suppressed"].to_numpy(dtype=bool)
    out["withheld"] = withheld
    for column in ("actual", "numerator", "denominator"):
        out[column] = out[column].where(~withheld, np.nan)
    hidden_series = set(out.loc[withheld, "series"])
    forecasts = out["series"].isin(hidden_series).to_numpy()
    for column in ("forecast", "forecast_lower", "forecast_upper", "forecast_lower_80",
                   "forecast_upper_80", "status"):
        if column in out:
            out[column] = out[column].where(~forecasts, None if column == "status" else np.nan)
    return out
