"""Series: one indicator's observations for one combination of dimension values.

Checks the input frames against the contract and builds the per-series table (indicator,
dimensions, unit, polarity, frequency, ...) every other calculation reads from, with the
rows of `observations` mapped to integer series codes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rba.calc.groupwise import group_max, group_min, series_codes

UNITS = ("percent", "rate", "count", "number", "currency", "score")
POLARITIES = ("up", "down")
OBSERVATION_COLUMNS = ("series", "indicator", "dimensions", "ordinal", "value")
INDICATOR_COLUMNS = ("indicator", "unit", "polarity", "periods_per_year")
TOTAL_KEY = "{}"


class InputError(ValueError):
    """An input frame does not follow the contract; the message says which frame and why."""


def shown(value: object) -> str:
    """A value as it should appear in a message: 7, 'a', 2010.5 (no numpy wrappers)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def require_columns(frame: pd.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    """Raise InputError naming the frame and every required column it lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{name}: missing column(s) {', '.join(map(repr, missing))}; "
                         f"expected at least {', '.join(columns)}")


def multiplier(unit: pd.Series, per: pd.Series) -> np.ndarray:
    """Scale from numerator/denominator to value: 100 for percent, `per` for rates, else 1."""
    unit_arr = unit.to_numpy(dtype=object)
    per_arr = pd.to_numeric(per, errors="coerce").to_numpy(dtype=float)
    rate = np.where(np.isnan(per_arr), 1.0, per_arr)
    return np.where(unit_arr == "percent", 100.0, np.where(unit_arr == "rate", rate, 1.0))


def polarity_sign(polarity: object) -> np.ndarray:
    """+1 where up is good, -1 where down is good (accepts 'up'/'down' or numbers)."""
    arr = np.asarray(polarity)
    if arr.dtype.kind in "iuf":
        return np.where(arr < 0, -1, 1).astype(np.int8)
    text = arr.astype(object)
    bad = ~np.isin(text, POLARITIES)
    if bad.any():
        raise InputError(f"polarity must be 'up' or 'down', got {shown(text[bad][0])}")
    return np.where(text == "down", -1, 1).astype(np.int8)


def checked_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    """The indicators frame with defaults filled and every bad value reported at once."""
    require_columns(indicators, "indicators", INDICATOR_COLUMNS)
    ind = indicators.reset_index(drop=True).copy()
    for column, default in (("per", np.nan), ("frequency", None), ("kind", None),
                            ("result", None)):
        if column not in ind.columns:
            ind[column] = default
    problems = []
    codes = ind["indicator"].to_numpy(dtype=object)
    duplicated = pd.unique(codes[pd.Index(codes).duplicated()])
    if len(duplicated):
        problems.append(f"duplicate indicator codes {sorted(duplicated)[:5]}")
    # numpy, not pandas, comparisons: indicator frames are small, often one row.
    for column, allowed in (("unit", UNITS), ("polarity", POLARITIES)):
        values = ind[column].to_numpy(dtype=object)
        bad = ~np.isin(values, allowed)
        problems += [f"indicator {shown(code)}: {column} {shown(value)} is not one of "
                     f"{', '.join(allowed)}"
                     for code, value in zip(codes[bad], values[bad], strict=True)]
    ppy = pd.to_numeric(ind["periods_per_year"], errors="coerce").to_numpy(dtype=float)
    problems += [f"indicator {shown(code)}: periods_per_year must be a positive number"
                 for code in codes[~(ppy > 0)]]
    if problems:
        raise InputError("indicators: " + "; ".join(problems))
    unit = ind["unit"].to_numpy(dtype=object)
    return ind.assign(
        periods_per_year=ppy, multiplier=multiplier(ind["unit"], ind["per"]),
        sign=polarity_sign(ind["polarity"]),
        # Forecasts cannot leave the unit's range: percent [0, 100], counts and rates >= 0.
        clip_low=np.where(np.isin(unit, ("percent", "rate", "count")), 0.0, -np.inf),
        clip_high=np.where(unit == "percent", 100.0, np.inf))


@dataclass(frozen=True)
class SeriesTable:
    """Rows of `observations` mapped to series codes, and one row of attributes per series."""

    codes: np.ndarray  # series code of each observation row
    table: pd.DataFrame  # one row per code: series, indicator, dimensions + indicator columns
    indicators: pd.DataFrame  # the checked indicators frame (position = indicator index)
    heads: np.ndarray | None  # first row of each run when every series is one run of rows

    def code_max(self, values: np.ndarray) -> np.ndarray:
        """Largest of `values` (one per row) per series code."""
        if self.heads is None:
            return group_max(self.codes, values, len(self.table))
        out = np.empty(len(self.table), dtype=values.dtype)
        out[self.codes[self.heads]] = np.maximum.reduceat(values, self.heads)
        return out

    def code_min(self, values: np.ndarray) -> np.ndarray:
        """Smallest of `values` (one per row) per series code."""
        if self.heads is None:
            return group_min(self.codes, values, len(self.table))
        out = np.empty(len(self.table), dtype=values.dtype)
        out[self.codes[self.heads]] = np.minimum.reduceat(values, self.heads)
        return out


def series_table(observations: pd.DataFrame, indicators: pd.DataFrame) -> SeriesTable:
    """Map observations to series codes and attach each series' indicator attributes."""
    require_columns(observations, "observations", OBSERVATION_COLUMNS)
    ind = checked_indicators(indicators)
    ids = observations["series"].to_numpy()
    codes, uniques = series_codes(ids)
    runs = np.concatenate([[0], np.flatnonzero(codes[1:] != codes[:-1]) + 1]) if len(
        codes) else np.zeros(0, dtype=np.int64)
    heads: np.ndarray | None = None
    if len(runs) == len(uniques):  # rows grouped by series (the norm): one run each
        heads = runs
        first_row = np.empty(len(uniques), dtype=np.int64)
        first_row[codes[heads]] = heads
    else:
        first_row = group_min(codes, np.arange(len(codes), dtype=np.int64), len(uniques))
    indicator = observations["indicator"].take(first_row).to_numpy(dtype=object)
    position = pd.Index(ind["indicator"]).get_indexer(indicator)
    if (position < 0).any():
        unknown = sorted({str(code) for code in indicator[position < 0]})
        raise InputError("observations refer to indicators missing from `indicators`: "
                         + ", ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else ""))
    table = ind.iloc[position].reset_index(drop=True)
    table.insert(0, "series", uniques)
    table.insert(2, "dimensions", observations["dimensions"].take(first_row).to_numpy(
        dtype=object))
    table["indicator_index"] = position
    return SeriesTable(codes, table, ind, heads)


def float_column(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as float64 (NaN where absent or missing; never zero for missing)."""
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def ordinal_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """The `ordinal` column as int64, refusing blanks and fractions with a clear message."""
    if frame["ordinal"].dtype.kind in "iu":
        return frame["ordinal"].to_numpy(dtype=np.int64)
    raw = pd.to_numeric(frame["ordinal"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.flatnonzero(np.isnan(raw) | (raw != np.round(raw)))
    if len(bad):
        row = int(bad[0])
        raise InputError(f"{name}: ordinal must be a whole number on every row; "
                         f"row {row} has {shown(frame['ordinal'].iloc[row])}")
    return raw.astype(np.int64)
