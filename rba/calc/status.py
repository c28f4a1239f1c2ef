"""Turn-the-curve status: is each actual after the history better than the baseline said?"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rba.calc.series import polarity_sign

STATUSES = ("better_than_forecast", "within_forecast", "worse_than_forecast")


def status_codes(actual: np.ndarray, forecast: np.ndarray, lower: np.ndarray,
                 upper: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Index into STATUSES per period (-1 where actual or forecast is missing)."""
    interval = ~(np.isnan(lower) | np.isnan(upper))
    above = np.where(interval, actual > upper, actual > forecast)
    below = np.where(interval, actual < lower, actual < forecast)
    up = sign > 0
    good, bad = np.where(up, above, below), np.where(up, below, above)
    code = np.where(good, 0, np.where(bad, 2, 1)).astype(np.int8)
    return np.where(np.isnan(actual) | np.isnan(forecast), -1, code).astype(np.int8)


def turn_the_curve_status(actual: object, forecast: object, lower: object, upper: object,
                          polarity: object) -> pd.Categorical:
    """Actual vs frozen forecast: better or worse when beyond the interval on that side.

    Without an interval (NaN bounds) the actual is compared with the point forecast.
    `polarity` is 'up'/'down' (or +1/-1) per period; missing actual or forecast gives NaN.
    """
    arrays = [np.asarray(a, dtype=float) for a in (actual, forecast, lower, upper)]
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    sign = np.broadcast_to(polarity_sign(polarity), shape)
    a, f, lo, hi = (np.broadcast_to(x, shape) for x in arrays)
    codes = status_codes(a, f, lo, hi, sign)
    return pd.Categorical.from_codes(codes, categories=list(STATUSES))
