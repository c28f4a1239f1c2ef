"""Notes: codes for what a reader of a series' summary should know (why no interval, clipping...).

Each note is a stable code (``one_point``, ``clipped_percent``...), one bit of an integer mask
per series; the mask turns into a tuple of codes once per distinct mask, not once per series.
rba.i18n.notes puts the codes into words, in English and Spanish.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NOTES = (
    "no_history",  # no actual in the history, so no forecast
    "one_point",  # one point in the history: flat forecast, no interval
    "two_points",  # two points: the line through them, no interval
    "clipped_percent",  # forecast or interval clipped to [0, 100]
    "clipped_zero",  # forecast or interval clipped at 0 (counts and rates)
    "zero_baseline",  # baseline value 0: baseline % change undefined
    "zero_target",  # target 0: variance and percent of target undefined
    "log_fallback",  # log_linear needs values above 0: linear used
    "holt_gaps",  # holt needs a history without gaps: linear used
    "point_only_method",  # the method gives no interval: status against the point forecast
    "frozen",  # judged against a frozen baseline
    "rolled_up",  # total rolled up from its parts in some periods
    "parts_disagree",  # the parts disagree with the given total in some periods
    "progress_two_points",  # progress needs actuals in two different periods
    "beyond_frozen",  # actuals after the frozen baseline's last period: no status
    "zero_base_rate",  # base value 0: rate of progress without a target undefined
    "gaps_linear",  # a smoothing method needs a history without gaps: linear used
    "auto_short",  # too short to choose a method by backtesting: linear used
    "auto_chose",  # the method was chosen by backtesting on the history
)
(NO_HISTORY, ONE_POINT, TWO_POINTS, CLIPPED_PERCENT, CLIPPED_ZERO, ZERO_BASELINE, ZERO_TARGET,
 LOG_FALLBACK, HOLT_GAPS, POINT_ONLY_METHOD, FROZEN, ROLLED_UP, PARTS_DISAGREE,
 PROGRESS_TWO_POINTS, BEYOND_FROZEN, ZERO_BASE_RATE, GAPS_LINEAR, AUTO_SHORT,
 AUTO_CHOSE) = range(len(NOTES))


def note_bits(flags: dict[int, np.ndarray], n: int) -> np.ndarray:
    """Integer mask per series with bit k set where flags[k] is True."""
    bits = np.zeros(n, dtype=np.int64)
    for k, flag in flags.items():
        bits |= np.asarray(flag, dtype=bool).astype(np.int64) << k
    return bits


def notes_column(bits: np.ndarray) -> pd.Series:
    """Tuple of note codes per series, in NOTES order (empty tuple for none)."""
    unique, inverse = np.unique(bits, return_inverse=True)
    codes = np.empty(len(unique), dtype=object)
    codes[:] = [tuple(NOTES[k] for k in range(len(NOTES)) if int(u) >> k & 1) for u in unique]
    return pd.Series(codes[inverse.ravel()], dtype=object)
