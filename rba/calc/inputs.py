"""The input frames of `compute_curves` (CurveInputs, as the store reads them), and the
same as arrays keyed by series code (SeriesArrays): observations plus rolled-up levels,
targets and frozen baselines, checked against the contract."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rba.calc.groupwise import I64_MAX, I64_MIN, codes_of, group_min
from rba.calc.rollup_cells import CubeCells, cube_cells
from rba.calc.series import (
    InputError,
    SeriesTable,
    float_column,
    ordinal_column,
    require_columns,
    series_table,
    shown,
)

FROZEN_COLUMNS = ("series", "ordinal", "forecast", "lower", "upper", "method", "level",
                  "history_through_ordinal")


@dataclass(frozen=True)
class CurveInputs:
    """The input frames of rba.calc.compute_curves, and the series they name."""

    observations: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    #: Frozen baselines' points: series, ordinal, period, forecast, lower, upper, lower_80,
    #: upper_80, method, level, history_through_ordinal, baseline_value (only of series with
    #: observations).
    frozen: pd.DataFrame
    #: One row per series: its id, indicator code and canonical dimensions key.
    series: pd.DataFrame


@dataclass(frozen=True)
class SeriesArrays:
    """Everything `compute_curves` reads, as aligned numpy arrays."""

    st: SeriesTable  # the given observations mapped to series codes
    table: pd.DataFrame  # one row per series code (given series, then new levels' series)
    code: np.ndarray  # given observation rows
    ordinal: np.ndarray
    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    x_code: np.ndarray  # rolled-up rows of every level (periods with no given value)
    x_ordinal: np.ndarray
    x_value: np.ndarray
    x_numerator: np.ndarray
    x_denominator: np.ndarray
    x_label: np.ndarray  # the given row whose period label a rolled-up row shares
    labels: tuple[np.ndarray, np.ndarray, np.ndarray]  # period labels of obs, targets, frozen
    discrepant: np.ndarray  # bool per code: parts of a count disagree with its total
    t_code: np.ndarray  # targets
    t_ordinal: np.ndarray
    t_value: np.ndarray
    f_code: np.ndarray  # frozen baseline points
    f_ordinal: np.ndarray
    f_forecast: np.ndarray
    f_lower: np.ndarray
    f_upper: np.ndarray
    f_lower_80: np.ndarray  # the inner (80%) band; NaN where a baseline was stored without it
    f_upper_80: np.ndarray
    frozen: pd.DataFrame  # per code: frozen, through, method, level, baseline_value

    def label(self, index: np.ndarray) -> np.ndarray:
        """Period labels at positions in observations, then targets, then frozen points."""
        obs, tg, fz = self.labels
        out = np.full(len(index), None, dtype=object)
        for lo, arr in ((0, obs), (len(obs), tg), (len(obs) + len(tg), fz)):
            mine = (index >= lo) & (index < lo + len(arr))
            out[mine] = arr[index[mine] - lo]
        return out

    def code_max(self, given: np.ndarray, extra: np.ndarray) -> np.ndarray:
        """Largest value per code over the given rows and the rolled-up rows (int64)."""
        out = np.full(len(self.table), I64_MIN, dtype=np.int64)
        if len(given):
            out[: len(self.st.table)] = self.st.code_max(given)
        np.maximum.at(out, self.x_code, extra)
        return out

    def code_min(self, given: np.ndarray, extra: np.ndarray) -> np.ndarray:
        """Smallest value per code over the given rows and the rolled-up rows (int64)."""
        out = np.full(len(self.table), I64_MAX, dtype=np.int64)
        if len(given):
            out[: len(self.st.table)] = self.st.code_min(given)
        np.minimum.at(out, self.x_code, extra)
        return out


def _labels(frame: pd.DataFrame | None) -> np.ndarray:
    if frame is None or "period" not in frame.columns:
        return np.full(0 if frame is None else len(frame), None, dtype=object)
    return frame["period"].to_numpy(dtype=object)


def _extended(st: SeriesTable, cells: CubeCells) -> pd.DataFrame:
    """Series table with a new series for every level no given series holds."""
    nodes = cells.nodes
    new_ind = nodes.indicator_index[nodes.n_given:]
    if not len(new_ind):
        return st.table
    extra = st.indicators.iloc[new_ind].reset_index(drop=True)
    extra.insert(0, "series", cells.series_ids(st.table["series"].to_numpy(), st.indicators))
    extra.insert(2, "dimensions", nodes.keys[nodes.n_given:])
    extra["indicator_index"] = new_ind
    return pd.concat([st.table, extra], ignore_index=True)


def series_arrays(observations: pd.DataFrame, indicators: pd.DataFrame,
                 targets: pd.DataFrame | None, frozen: pd.DataFrame | None,
                 roll_up_totals: bool) -> SeriesArrays:
    """Check and convert the frames; add every level's rolled-up cells (rollup_cells) where
    no figure is given."""
    st = series_table(observations, indicators)
    ordinal = ordinal_column(observations, "observations")
    value, num, den = (float_column(observations, c) for c in ("value", "numerator",
                                                                "denominator"))
    table = st.table
    discrepant = np.zeros(len(table), dtype=bool)
    empty_f, empty_i = np.zeros(0), np.zeros(0, dtype=np.int64)
    x_code = x_ordinal = x_label = empty_i
    x_value = x_num = x_den = empty_f
    if roll_up_totals:
        cells = cube_cells(st, ordinal, value, num, den)
        table = _extended(st, cells)
        x_code, x_ordinal, x_value = cells.code, cells.ordinal, cells.value
        x_num, x_den, x_label = cells.numerator, cells.denominator, cells.label_row
        discrepant = np.zeros(len(table), dtype=bool)
        discrepant[cells.d_code] = True
    ids = pd.Index(table["series"].to_numpy())  # one hash table for targets and frozen
    t = targets if targets is not None else pd.DataFrame(columns=["series", "ordinal", "value"])
    require_columns(t, "targets", ("series", "ordinal", "value"))
    t_code = codes_of(ids, t["series"].to_numpy())
    keep = t_code >= 0  # targets of series with no observations have no curve to join
    t_ordinal = ordinal_column(t, "targets")[keep]
    labels = (_labels(observations), _labels(t)[keep], _labels(frozen))
    f = frozen if frozen is not None else pd.DataFrame(columns=list(FROZEN_COLUMNS))
    require_columns(f, "frozen baseline", FROZEN_COLUMNS)
    f_code = codes_of(ids, f["series"].to_numpy())
    if (f_code < 0).any():
        missing = f["series"].to_numpy()[f_code < 0][0]
        raise InputError(f"frozen baseline: series {shown(missing)} has no observations")
    return SeriesArrays(
        st=st, table=table, code=st.codes, ordinal=ordinal, value=value, numerator=num,
        denominator=den, x_code=x_code, x_ordinal=x_ordinal, x_value=x_value,
        x_numerator=x_num, x_denominator=x_den, x_label=x_label, labels=labels,
        discrepant=discrepant,
        t_code=t_code[keep], t_ordinal=t_ordinal, t_value=float_column(t, "value")[keep],
        f_code=f_code, f_ordinal=ordinal_column(f, "frozen baseline"),
        f_forecast=float_column(f, "forecast"), f_lower=float_column(f, "lower"),
        f_upper=float_column(f, "upper"), f_lower_80=float_column(f, "lower_80"),
        f_upper_80=float_column(f, "upper_80"), frozen=_frozen_meta(f, f_code, len(table)),
    )


def _frozen_meta(f: pd.DataFrame, f_code: np.ndarray, n: int) -> pd.DataFrame:
    """Per series code: whether frozen, and the frozen method, level, history through."""
    first = group_min(f_code, np.arange(len(f), dtype=np.int64), n)
    has = np.zeros(n, dtype=bool)
    has[f_code] = True
    rows = np.where(has, first, 0)
    through = pd.to_numeric(f["history_through_ordinal"], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan)
    meta = pd.DataFrame({
        "frozen": has,
        "through": np.where(has, through[rows] if len(f) else np.nan, np.nan),
        "method": np.where(has, f["method"].to_numpy(dtype=object)[rows] if len(f) else None,
                           None),
        "level": np.where(has, float_column(f, "level")[rows] if len(f) else np.nan, np.nan),
        "baseline_value": np.where(has, float_column(f, "baseline_value")[rows]
                                   if len(f) else np.nan, np.nan),
    })
    if (meta["frozen"] & meta["through"].isna()).any():
        raise InputError("frozen baseline: history_through_ordinal is blank for some series")
    return meta


def per_series(param: object, ids: np.ndarray, default: object) -> np.ndarray:
    """A scalar, or a mapping / Series keyed by series id, as one value per series code."""
    if param is None:
        return np.full(len(ids), default, dtype=object)
    if isinstance(param, Mapping | pd.Series):
        mapped = pd.Series(ids).map(pd.Series(param) if isinstance(param, Mapping) else param)
        return mapped.astype(object).where(mapped.notna(), default).to_numpy(dtype=object)
    return np.full(len(ids), param, dtype=object)
