"""Vectorised totals from single-dimension parts, per (indicator, dimension, period) cell.

A *partition* is one indicator's set of series keyed by exactly one dimension (e.g. its
three city series). Each partition's rows are summed per period in one pass; a cell is
complete when every series of the partition is present with what the unit needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rba.calc.groupwise import I64_MAX, Segments, group_max, group_min
from rba.calc.series import SeriesTable
from rba.dimensions import parse_dimension_key


@dataclass(frozen=True)
class TotalCells:
    """Rolled-up totals per cell, which of them to emit and which disagree with a given total."""

    indicator_index: np.ndarray
    ordinal: np.ndarray
    dimension: np.ndarray  # object: the dimension summed over
    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    label_row: np.ndarray  # a part row of the cell (for its period label)
    total_code: np.ndarray  # code of the indicator's given total series, -1 if none
    total_value: np.ndarray  # the given total's value in that period (NaN if none)
    emitted: np.ndarray  # bool: chosen for a period with no given total value
    discrepant: np.ndarray  # bool: a count whose parts disagree with the given total
    refused_indicator: np.ndarray  # indicator index of each refused partition
    refused_dimension: np.ndarray

    def series_ids(self, st: SeriesTable) -> np.ndarray:
        """Series id of each emitted total: the given total series, else a new id.

        New ids are -(indicator position + 1) when series ids are integers, else
        "<indicator>:{}".
        """
        e = self.emitted
        code = self.total_code[e]
        given = st.table["series"].to_numpy()
        ind = self.indicator_index[e]
        if given.dtype.kind in "iu":
            return np.where(code >= 0, given[np.maximum(code, 0)], -(ind + 1)).astype(np.int64)
        names = st.indicators["indicator"].to_numpy(dtype=object)[ind]
        new = np.array([f"{name}:{{}}" for name in names], dtype=object)
        return np.where(code >= 0, given[np.maximum(code, 0)], new)


def _partitions(st: SeriesTable) -> tuple[np.ndarray, pd.DataFrame, np.ndarray]:
    """Partition id per series code (-1 if not a single-dimension part), partitions, totals."""
    keys, uniques = pd.factorize(st.table["dimensions"].to_numpy(dtype=object))
    parsed = [parse_dimension_key(str(k)) for k in uniques]
    is_total = np.array([len(p) == 0 for p in parsed], dtype=bool)[keys]
    names = np.array([next(iter(p)) if len(p) == 1 else "" for p in parsed], dtype=object)
    dim_codes, dims = pd.factorize(names, sort=True)  # alphabetical, so rank = name order
    dim = dim_codes[keys]
    single = names[keys] != ""
    ind = st.table["indicator_index"].to_numpy()
    key = ind.astype(np.int64) * len(dims) + dim
    part_keys, pid = np.unique(key[single], return_inverse=True)
    pid_all = np.full(len(key), -1, dtype=np.int64)
    pid_all[single] = pid.ravel()
    p_ind = part_keys // max(len(dims), 1)
    first_of_ind = np.searchsorted(p_ind, p_ind, side="left")
    partitions = pd.DataFrame({
        "ind": p_ind, "dim": np.asarray(dims, dtype=object)[part_keys % max(len(dims), 1)],
        "rank": np.arange(len(part_keys)) - first_of_ind,
        "n_series": np.bincount(pid_all[single], minlength=len(part_keys)),
    })
    return pid_all, partitions, is_total


def _indicator_axis(st: SeriesTable, ordinal: np.ndarray, value: np.ndarray,
                    pid: np.ndarray, is_total: np.ndarray):
    """Per-indicator period axis with the given total's value (NaN where none) on it."""
    n_ind = len(st.indicators)
    ind = st.table["indicator_index"].to_numpy()
    used = (pid >= 0) | is_total  # series codes that are parts or totals
    lo = group_min(ind[used], st.code_min(ordinal)[used], n_ind)
    hi = group_max(ind[used], st.code_max(ordinal)[used], n_ind)
    none = hi < lo
    axis = Segments.spanning(np.where(none, 0, lo), np.where(none, 0, hi))
    t_rows = np.flatnonzero(is_total[st.codes])
    t_code = st.codes[t_rows]
    t_ind = ind[t_code]
    t_value = value[t_rows]
    valid = ~np.isnan(t_value)
    total_value = np.full(axis.size, np.nan)
    total_value[axis.slot(t_ind[valid], ordinal[t_rows][valid])] = t_value[valid]
    total_code = np.full(n_ind, -1, dtype=np.int64)
    total_code[t_ind] = t_code
    return axis, total_value, total_code


def total_cells(st: SeriesTable, ordinal: np.ndarray, value: np.ndarray,
                numerator: np.ndarray, denominator: np.ndarray) -> TotalCells:
    """Sum single-dimension partitions per period where needed and pick totals to emit.

    Only periods without a given total value are summed, plus every period of count
    indicators (to check the parts against the given total).
    """
    pid, parts, is_total = _partitions(st)
    n_part = len(parts)
    unit = st.indicators["unit"].to_numpy(dtype=object)
    p_ind = parts["ind"].to_numpy()
    is_count_part = unit[p_ind] == "count"
    rows = np.flatnonzero(pid[st.codes] >= 0)
    p = pid[st.codes[rows]]
    axis, total_value, total_code = _indicator_axis(st, ordinal, value, pid, is_total)
    needed = np.isnan(total_value[axis.slot(p_ind[p], ordinal[rows])]) | is_count_part[p]
    rows, p = rows[needed], p[needed]
    o = ordinal[rows]
    lo, hi = group_min(p, o, n_part), group_max(p, o, n_part)
    empty = hi < lo  # nothing needed: one dummy cell on the indicator's axis, never used
    dummy = axis.first[p_ind]
    seg = Segments.spanning(np.where(empty, dummy, lo), np.where(empty, dummy, hi))
    cell = seg.slot(p, o)
    n_cell = seg.size
    mult = st.indicators["multiplier"].to_numpy(dtype=float)[p_ind]
    v, nm, dn = value[rows], numerator[rows], denominator[rows]
    v_ok = ~np.isnan(v)
    nm = np.where(np.isnan(nm) & v_ok & ~np.isnan(dn), v * dn / mult[p], nm)
    r_ok = ~np.isnan(nm) & ~np.isnan(dn)

    def cell_sum(weights: np.ndarray) -> np.ndarray:
        return np.bincount(cell, weights=weights, minlength=n_cell)

    n_rows = np.bincount(cell, minlength=n_cell)
    full = (n_rows == parts["n_series"].to_numpy()[seg.code]) & (n_rows > 0)
    v_full = full & (cell_sum(v_ok) == n_rows)
    r_full = full & (cell_sum(r_ok) == n_rows)
    num_sum, den_sum = cell_sum(np.where(r_ok, nm, 0.0)), cell_sum(np.where(r_ok, dn, 0.0))
    is_count = is_count_part[seg.code]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(r_full & (den_sum > 0), mult[seg.code] * num_sum / den_sum, np.nan)
    cell_value = np.where(is_count, np.where(v_full, cell_sum(np.where(v_ok, v, 0.0)), np.nan),
                          ratio)
    ok = ~np.isnan(cell_value)
    label_row = np.full(n_cell, -1, dtype=np.int64)
    label_row[cell] = rows
    ratio_rows = np.bincount(p, weights=r_ok, minlength=n_part)
    refused = ~is_count_part & (ratio_rows == 0) & (np.bincount(p, minlength=n_part) > 0)
    i_cell = axis.slot(p_ind[seg.code], seg.ordinal)
    rank = parts["rank"].to_numpy()[seg.code]
    best = np.full(axis.size, I64_MAX, dtype=np.int64)
    np.minimum.at(best, i_cell[ok], rank[ok])
    given_value = total_value[i_cell]
    given = ~np.isnan(given_value)
    tol = 1e-9 * np.maximum(1.0, np.abs(given_value))
    with np.errstate(invalid="ignore"):
        discrepant = ok & is_count & given & (np.abs(cell_value - given_value) > tol)
    return TotalCells(
        indicator_index=p_ind[seg.code], ordinal=seg.ordinal,
        dimension=parts["dim"].to_numpy(dtype=object)[seg.code], value=cell_value,
        numerator=np.where(r_full, num_sum, np.nan), denominator=np.where(r_full, den_sum, np.nan),
        label_row=label_row, total_code=total_code[p_ind[seg.code]], total_value=given_value,
        emitted=ok & (rank == best[i_cell]) & ~given, discrepant=discrepant,
        refused_indicator=p_ind[refused],
        refused_dimension=parts["dim"].to_numpy(dtype=object)[refused],
    )
