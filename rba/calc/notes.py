"""Notes: plain-language reasons attached to a series' summary (why no interval, clipping...).

Each note is one bit of an integer mask per series; the mask turns into a tuple of strings
once per distinct mask, not once per series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NOTES = (
    "no actual in the history, so no forecast",
    "one point in the history: flat forecast, no interval",
    "two points in the history: the line through them, no interval",
    "forecast or interval clipped to [0, 100] (percent)",
    "forecast or interval clipped at 0 (counts and rates cannot be negative)",
    "baseline value is 0, so baseline % change is undefined",
    "target is 0, so variance and percent of target are undefined; band by direct comparison",
    "log_linear needs values above 0: used linear",
    "holt needs a history without gaps: used linear",
    "this method gives no interval: status compares actuals with the point forecast",
    "judged against a frozen baseline",
    "total rolled up from its parts in some periods",
    "the parts of this count disagree with the given total in some periods",
    "progress needs actuals in two different periods",
    "actuals after the frozen baseline's last period have no status",
    "base value is 0, so the rate of progress without a target is undefined",
)
(NO_HISTORY, ONE_POINT, TWO_POINTS, CLIPPED_PERCENT, CLIPPED_ZERO, ZERO_BASELINE, ZERO_TARGET,
 LOG_FALLBACK, HOLT_GAPS, POINT_ONLY_METHOD, FROZEN, ROLLED_UP, PARTS_DISAGREE,
 PROGRESS_TWO_POINTS, BEYOND_FROZEN, ZERO_BASE_RATE) = range(len(NOTES))


def note_bits(flags: dict[int, np.ndarray], n: int) -> np.ndarray:
    """Integer mask per series with bit k set where flags[k] is True."""
    bits = np.zeros(n, dtype=np.int64)
    for k, flag in flags.items():
        bits |= np.asarray(flag, dtype=bool).astype(np.int64) << k
    return bits


def notes_column(bits: np.ndarray) -> pd.Series:
    """Tuple of note strings per series, in NOTES order (empty tuple for none)."""
    unique, inverse = np.unique(bits, return_inverse=True)
    texts = np.empty(len(unique), dtype=object)
    texts[:] = [tuple(NOTES[k] for k in range(len(NOTES)) if int(u) >> k & 1) for u in unique]
    return pd.Series(texts[inverse.ravel()], dtype=object)
