"""Current trend: direction of the latest change (after polarity) and how long it has lasted."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rba.calc.groupwise import laid_out, run_bounds, series_codes
from rba.calc.series import polarity_sign, require_columns

DIRECTIONS = ("improving", "worsening", "flat", "none")
IMPROVING, WORSENING, FLAT, NONE = range(4)


def trend_arrays(code: np.ndarray, values: np.ndarray, sign: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Direction code (index into DIRECTIONS) and run length per series.

    `code` and `values` hold the observed values only (no NaN), sorted by (series, period),
    so consecutive elements of one series are consecutive observed values (gaps skipped).
    Each step is signed by polarity; the direction is the sign of the latest step (flat
    when it is zero) and the run length counts the latest steps in a row with that sign.
    """
    # Pair i is the step from value i to value i + 1; a pair that crosses into the next
    # series is never read, and a new series always starts a new run.
    n_series = len(sign)
    starts, counts = run_bounds(code, n_series)
    has = counts >= 2
    cls = np.sign((values[1:] - values[:-1]) * sign[code[:-1]]).astype(np.int8)
    new_run = np.ones(len(cls), dtype=bool)
    new_run[1:] = (cls[1:] != cls[:-1]) | (code[1:-1] != code[:-2])
    run_start = np.maximum.accumulate(np.where(new_run, np.arange(len(cls)), 0))
    last = np.maximum(starts + counts - 2, 0)  # last step of each series
    last_cls = np.where(has, cls[last] if len(cls) else 0, 0)
    periods = np.where(has, last - (run_start[last] if len(cls) else 0) + 1, 0)
    direction = np.select([~has, last_cls > 0, last_cls < 0], [NONE, IMPROVING, WORSENING],
                          FLAT)
    return direction.astype(np.int8), periods.astype(np.int64)


def current_trend(observations: pd.DataFrame) -> pd.DataFrame:
    """Per series: trend_direction (improving/worsening/flat/none) and trend_periods.

    `observations` has series, ordinal, value and polarity ('up'/'down') on every row;
    missing values (NaN) are skipped, never read as zero.
    """
    require_columns(observations, "observations", ("series", "ordinal", "value", "polarity"))
    codes, uniques = series_codes(observations["series"].to_numpy())
    ordinal = observations["ordinal"].to_numpy(dtype=np.int64)
    seg, slot = laid_out(codes, ordinal, len(uniques))
    values = np.full(seg.size, np.nan)
    values[slot] = observations["value"].to_numpy(dtype=float, na_value=np.nan)
    sign = np.ones(len(uniques), dtype=np.int8)
    sign[codes] = polarity_sign(observations["polarity"].to_numpy())
    valid = np.flatnonzero(~np.isnan(values))
    direction, periods = trend_arrays(seg.code[valid], values[valid], sign)
    return pd.DataFrame({
        "trend_direction": pd.Categorical.from_codes(direction, categories=list(DIRECTIONS)),
        "trend_periods": periods,
    }, index=pd.Index(uniques, name="series"))
