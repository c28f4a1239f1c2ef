"""Baselines: a forecast from each series' history, fitted for all series at once.

`linear` is ordinary least squares of value on period ordinal, with the prediction interval
statsmodels' ``OLS(...).get_prediction(x).summary_frame(alpha=1 - level)`` gives
(``mean``, ``obs_ci_lower``, ``obs_ci_upper``), computed in closed form from group-wise sums.
`log_linear` is the same on log(value), back-transformed with exp. `average` is OLS on a
constant (mean of the history, interval with n - 1 degrees of freedom). `flat` repeats the
last value with no interval. `holt` is statsmodels' Holt linear exponential smoothing, fitted
series by series (it needs numerical optimisation), with no interval. `seasonal_naive`,
`ets`, `theta` and `ets_theta` are fitted on all series at once (rba.calc.smoothing), and
`auto` chooses between them by backtesting each series' history (rba.calc.backtest).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from rba.calc.groupwise import run_bounds, run_sums

METHODS = ("linear", "log_linear", "average", "flat", "holt", "seasonal_naive", "ets", "theta",
           "ets_theta", "auto")
(LINEAR, LOG_LINEAR, AVERAGE, FLAT, HOLT, SEASONAL_NAIVE, ETS, THETA, ETS_THETA,
 AUTO) = range(len(METHODS))
#: Methods fitted on the matrix of histories (rba.calc.smoothing, rba.calc.backtest).
SMOOTHED = (SEASONAL_NAIVE, ETS, THETA, ETS_THETA, AUTO)
MIN_POINTS_FOR_INTERVAL = 3
#: The inner band's level: drawn inside the chosen level's band, from the same fit.
INNER_LEVEL = 0.8


def method_codes(method: object, n: int) -> np.ndarray:
    """Method code (index into METHODS) per series from one name or an array of names."""
    if isinstance(method, str) and method in METHODS:
        return np.full(n, METHODS.index(method), dtype=np.int8)
    names = np.broadcast_to(np.asarray(method, dtype=object), (n,))
    codes = pd.Index(METHODS).get_indexer(pd.Index(names))
    if (codes < 0).any():
        bad = names[codes < 0][0]
        raise ValueError(f"unknown baseline method {bad!r}; "
                         f"expected one of {', '.join(METHODS)}")
    return codes.astype(np.int8)


@dataclass(frozen=True)
class Fit:
    """Per-series least-squares sums of one history (x is a relative period ordinal)."""

    method: np.ndarray  # method actually used (log_linear falls back to linear)
    n: np.ndarray  # points in the history
    x_mean: np.ndarray
    y_mean: np.ndarray  # mean of value, or of log(value) for log_linear
    sxx: np.ndarray  # sum of squared deviations of x
    slope: np.ndarray  # per period (0 for average and flat)
    sse: np.ndarray  # residual sum of squares
    last: np.ndarray  # last history value
    last_x: np.ndarray  # x of the last history value
    not_positive: np.ndarray  # log_linear asked for but a value <= 0: used linear


def fitted_history(code: np.ndarray, x: np.ndarray, y: np.ndarray, method: np.ndarray) -> Fit:
    """Least-squares sums per series from history points sorted by (series code, x).

    `code`, `x`, `y` hold one element per history point (no NaN); `method` one code per
    series. Sums are centred on each series' means, so large ordinals lose no precision.
    """
    starts, n = run_bounds(code, len(method))

    def total(weights: np.ndarray) -> np.ndarray:
        return run_sums(weights, starts, n)

    last = starts + n - 1
    has = n > 0
    last_value = np.where(has, y[np.maximum(last, 0)] if len(y) else np.nan, np.nan)
    last_x = np.where(has, x[np.maximum(last, 0)] if len(x) else np.nan, np.nan)
    not_positive = np.zeros(len(method), dtype=bool)
    if (method == LOG_LINEAR).any():
        not_positive = (method == LOG_LINEAR) & (total((~(y > 0)).astype(float)) > 0)
        method = np.where(not_positive, LINEAR, method).astype(np.int8)
        log = (method == LOG_LINEAR)[code]
        y = np.where(log, np.log(np.where(log, y, 1.0)), y)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_mean, y_mean = total(x) / n, total(y) / n
        dx, dy = x - x_mean[code], y - y_mean[code]
        sxx = total(dx * dx)
        sloped = (n >= 2) & np.isin(method, (LINEAR, LOG_LINEAR, HOLT))
        slope = np.where(sloped, total(dx * dy) / sxx, 0.0)
    resid = dy - slope[code] * dx
    return Fit(method, n, x_mean, y_mean, sxx, slope, total(resid * resid), last_value,
               last_x, not_positive)


def t_quantile(level: float, df: np.ndarray) -> np.ndarray:
    """Two-sided Student-t quantile for a central interval of `level` with `df` degrees."""
    df = np.asarray(df, dtype=np.int64)
    table = np.full(max(int(df.max(initial=0)), 0) + 1, np.nan)
    table[1:] = stats.t.ppf(0.5 + level / 2, np.arange(1, len(table)))
    return table[np.maximum(df, 0)]


def predicted(fit: Fit, code: np.ndarray, x: np.ndarray, levels: tuple[float, ...]
              ) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """Point forecast, and interval bounds at each of ``levels``, at relative ordinals `x`
    of series `code`: one fit, one standard error, a quantile per level.

    mean = y_mean + slope (x - x_mean); half-width = t * sqrt(s2 (1 + 1/n) + s2 (x -
    x_mean)^2 / sxx) with s2 = SSE / (n - 2) (average: no (x - x_mean) term, n - 1 degrees
    of freedom). Bounds are NaN where there is no interval (fewer than 3 points, flat,
    holt). Holt points are NaN here; `holt_forecasts` fills them.
    """
    m, n = fit.method, fit.n
    centre = np.where(m == FLAT, fit.last, fit.y_mean)
    centre = np.where((m == HOLT) & (n >= MIN_POINTS_FOR_INTERVAL), np.nan, centre)
    df = np.where(m == AVERAGE, n - 1, n - 2)
    interval = (n >= MIN_POINTS_FOR_INTERVAL) & np.isin(m, (LINEAR, LOG_LINEAR, AVERAGE))
    with np.errstate(divide="ignore", invalid="ignore"):
        s2 = fit.sse / df
        fixed = s2 * (1.0 + 1.0 / n)  # per series, so each period costs a few flops
        spread = np.where(m == AVERAGE, 0.0, s2 / fit.sxx)
        x_mean = np.where(m == FLAT, 0.0, fit.x_mean)
        dx = x - x_mean[code]
        mean = centre[code] + fit.slope[code] * dx
        se = np.sqrt(fixed[code] + spread[code] * (dx * dx))
    log = (m == LOG_LINEAR)[code] if (m == LOG_LINEAR).any() else None
    bounds = []
    for level in levels:
        half = t_quantile(level, np.where(interval, df, 0))[code] * se
        lower, upper = mean - half, mean + half
        if log is not None:
            lower, upper = (np.where(log, np.exp(a), a) for a in (lower, upper))
        bounds.append((lower, upper))
    if log is not None:
        mean = np.where(log, np.exp(mean), mean)
    return mean, bounds


def holt_forecasts(code_h: np.ndarray, x_h: np.ndarray, y_h: np.ndarray, codes: np.ndarray,
                   code_f: np.ndarray, x_f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Holt's point forecast at (code_f, x_f) for the series in `codes`; also which had gaps.

    Fitted with ``statsmodels.tsa.holtwinters.Holt(values,
    initialization_method="estimated").fit()`` per series (optimisation, so a loop over
    the holt series only); the step ahead is counted in periods from the last history
    value. A history with a gap is not evenly spaced, so it is not fitted (NaN; the caller
    falls back to linear). Arrays are sorted by code.
    """
    from statsmodels.tsa.holtwinters import Holt

    out = np.full(len(code_f), np.nan)
    gapped = np.zeros(len(codes), dtype=bool)
    for i, c in enumerate(codes):
        h = slice(*np.searchsorted(code_h, [c, c + 1]))
        xs = x_h[h]
        if xs[-1] - xs[0] + 1 != len(xs):
            gapped[i] = True
            continue
        f = slice(*np.searchsorted(code_f, [c, c + 1]))
        steps = (x_f[f] - xs[-1]).astype(np.int64)
        if len(steps):
            result = Holt(y_h[h], initialization_method="estimated").fit()
            out[f] = np.asarray(result.forecast(int(steps.max())))[steps - 1]
    return out, gapped
