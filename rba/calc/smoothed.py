"""The smoothing methods (seasonal naive, ETS, Theta, their average, and `auto`) inside
`compute_curves`: which series can have them, and their forecasts at the curve's slots.

A smoothing method needs a history with a figure for every period (no gap) and at least
three points; `auto` needs enough points to backtest (rba.calc.backtest). A series without
them is fitted with `linear` instead, and its notes say why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from rba.calc import smoothing
from rba.calc.backtest import MIN_TRAIN, ORIGINS, auto_forecast, choose
from rba.calc.forecast import (
    AUTO,
    ETS,
    ETS_THETA,
    LINEAR,
    SEASONAL_NAIVE,
    SMOOTHED,
    THETA,
    Fit,
)

#: Points `auto` needs: a training part of MIN_TRAIN before each of ORIGINS cuts.
AUTO_MIN_POINTS = MIN_TRAIN + ORIGINS
MODELS = {SEASONAL_NAIVE: smoothing.seasonal_naive, ETS: smoothing.ets,
          THETA: smoothing.theta, ETS_THETA: smoothing.ets_theta}
#: `auto`'s candidates (rba.calc.backtest.CANDIDATES) as method codes.
CHOSEN = np.array([ETS, THETA, ETS_THETA], dtype=np.int8)


def smoothing_fallbacks(wanted: np.ndarray, code_h: np.ndarray, x_h: np.ndarray, n: int
                        ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The methods to fit, with `linear` where a smoothing method cannot be (gaps, fewer
    than three points, or too few to backtest for `auto`), and which series fell back why.

    `code_h` and `x_h` are the history points, sorted by series code and period.
    """
    points = np.bincount(code_h, minlength=n)
    first = np.full(n, np.inf)
    last = np.full(n, -np.inf)
    np.minimum.at(first, code_h, x_h)
    np.maximum.at(last, code_h, x_h)
    complete = (last - first + 1) == points
    smoothing_asked = np.isin(wanted, SMOOTHED)
    gaps = smoothing_asked & ~complete & (points >= 3)
    short = (wanted == AUTO) & ~gaps & (points >= 3) & (points < AUTO_MIN_POINTS)
    linear = gaps | short | (smoothing_asked & (points < 3))
    return np.where(linear, LINEAR, wanted).astype(np.int8), {"gaps": gaps, "short": short}


@dataclass(frozen=True)
class Smoothed:
    """The smoothed series' forecasts at their slots, and what was fitted per series."""

    slots: np.ndarray  # positions in the forecast arrays (code_f, x_f) of smoothed series
    mean: np.ndarray
    bounds: list[tuple[np.ndarray, np.ndarray]]  # (lower, upper) at each level asked for
    method: np.ndarray  # every series' method code, `auto` replaced by the one chosen
    series: np.ndarray  # which series were smoothed
    interval: np.ndarray  # which of them have a prediction interval
    mase: np.ndarray  # `auto`'s backtest MASE (NaN for other series)
    auto: np.ndarray  # which series `auto` chose for


def smoothed_forecasts(fit: Fit, code_h: np.ndarray, y_h: np.ndarray, code_f: np.ndarray,
                       x_f: np.ndarray, periods_per_year: np.ndarray,
                       levels: tuple[float, ...]) -> Smoothed | None:
    """Forecasts, bounds at each of ``levels`` (one fit, a quantile per level) and chosen
    methods of the series fitted by smoothing (None when there are none). Steps are counted
    from each series' last history point."""
    wanted = np.isin(fit.method, SMOOTHED)
    if not wanted.any():
        return None
    n = len(fit.method)
    rows = np.flatnonzero(wanted)
    row_of = np.full(n, -1)
    row_of[rows] = np.arange(len(rows))
    in_h = wanted[code_h]
    h = smoothing.histories(row_of[code_h[in_h]], y_h[in_h], len(rows),
                            periods_per_year[rows].astype(np.int64))
    slots = np.flatnonzero(wanted[code_f])
    row_f = row_of[code_f[slots]]
    step = (x_f[slots] - fit.last_x[code_f[slots]]).astype(np.int64)
    horizon = int(step.max(initial=1))
    mean = np.full((len(rows), horizon), np.nan)
    halves = [np.full_like(mean, np.nan) for _ in levels]
    method = fit.method.copy()
    mase = np.full(n, np.nan)
    for code, model in MODELS.items():
        mine = np.flatnonzero(fit.method[rows] == code)
        if len(mine):
            forecast = model(h.subset(mine), horizon)
            mean[mine] = forecast.mean
            for level, half in zip(levels, halves, strict=True):
                half[mine] = stats.norm.ppf(0.5 + level / 2) * forecast.sd
    asked = np.flatnonzero(fit.method[rows] == AUTO)
    if len(asked):
        part = h.subset(asked)
        choice = choose(part)
        mean[asked], auto_halves = auto_forecast(part, choice, horizon, levels)
        for half, auto_half in zip(halves, auto_halves, strict=True):
            half[asked] = auto_half
        method[rows[asked]] = np.where(choice.method >= 0, CHOSEN[choice.method], LINEAR)
        mase[rows[asked]] = choice.mase
    chosen = np.zeros(n, dtype=bool)
    chosen[rows[asked]] = True
    at = (row_f, step - 1)
    centre = mean[at]
    widths = [half[at] for half in halves]
    bounds = [(centre - width, centre + width) for width in widths]
    interval = np.zeros(n, dtype=bool)
    interval[rows] = np.isfinite(halves[0][:, 0])
    return Smoothed(slots, centre, bounds, method, wanted, interval, mase, chosen)
