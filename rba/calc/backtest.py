"""`auto`: each series' baseline method chosen by backtesting on its own history.

Rolling origin: the history is cut ``ORIGINS`` times, at n - E, n - E - 1, ... points (E
the horizon a team judges: three years of yearly figures, two of quarterly, one of
monthly; shorter where the history is short), each candidate (ETS, Theta and their
average) is fitted on what comes before the cut and forecasts the E periods after it, and
the candidate with the least mean absolute error over every cut and step is chosen. Its
backtest error is reported as a MASE: that mean absolute error over the history's mean
absolute seasonal difference (lag m, or 1 where the history is shorter than a season).

Prediction interval of the chosen method at level L, step h: the larger of the model's own
(z_L * sd_h) and the backtest's: t_{(1+L)/2, k-1} * sigma * sqrt(h), sigma^2 the mean of
e_j^2 / j over the k backtest errors e_j of the chosen method at step j (errors whose
variance grows in proportion to the step, as a random walk's). On short real
histories, model intervals alone held far fewer later actuals than their level promised
(benchmarks/bench_baselines.py): the backtest term widens them by what the method actually
missed by.

A history too short to cut (fewer than ``MIN_TRAIN`` points before the first cut of at
least one step) has no backtest: the caller uses a simpler method.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from rba.calc.smoothing import Forecast, Histories, ets, ets_theta, theta

CANDIDATES = ("ets", "theta", "ets_theta")
ORIGINS = 3
#: Points a backtest's training part needs at least (ETS fits three parameters and a trend).
MIN_TRAIN = 5


def judged_horizon(periods_per_year: np.ndarray) -> np.ndarray:
    """Periods ahead a team judges: 3 for yearly figures, 8 quarters, 12 months."""
    ppy = np.asarray(periods_per_year, dtype=float)
    return np.where(ppy <= 1, 3, np.minimum(2 * ppy, 12)).astype(np.int64)


@dataclass(frozen=True)
class Choice:
    """What the backtest chose per series, and how far off each choice was."""

    method: np.ndarray  # index into CANDIDATES; -1: too short to backtest
    mase: np.ndarray  # the chosen method's backtest MASE (NaN: none)
    sigma: np.ndarray  # per-step backtest error scale (see the module's docstring)
    errors: np.ndarray  # how many backtest errors sigma rests on


def backtest_horizon(h: Histories) -> np.ndarray:
    """The judged horizon, shortened so every cut leaves MIN_TRAIN points (0: none does)."""
    room = h.n - MIN_TRAIN - (ORIGINS - 1)
    return np.clip(np.minimum(judged_horizon(h.season), room), 0, None)


def candidates(h: Histories, horizon: int) -> tuple[Forecast, ...]:
    """Every candidate's forecast, in CANDIDATES' order (ETS and Theta fitted once each)."""
    first, second = ets(h, horizon), theta(h, horizon)
    return first, second, ets_theta(h, horizon, first, second)


def choose(h: Histories) -> Choice:
    """Backtest every candidate on every series (see the module's docstring)."""
    S = len(h.n)
    horizon = backtest_horizon(h)
    usable = np.flatnonzero(horizon > 0)
    method, mase = np.full(S, -1, dtype=np.int64), np.full(S, np.nan)
    sigma, errors = np.full(S, np.nan), np.zeros(S, dtype=np.int64)
    if not len(usable):
        return Choice(method, mase, sigma, errors)
    h = h.subset(usable)
    horizon = horizon[usable]
    longest = int(horizon.max())
    abs_error = np.zeros((len(CANDIDATES), len(usable)))
    scaled_sq = np.zeros_like(abs_error)
    count = np.zeros(len(usable))
    steps = np.arange(1, longest + 1)[None, :]
    for origin in range(ORIGINS):
        train, actual = _split(h, horizon + origin, longest)
        judged = (steps <= horizon[:, None]) & ~np.isnan(actual)
        for i, forecast in enumerate(candidates(train, longest)):
            error = np.where(judged, actual - forecast.mean, 0.0)
            abs_error[i] += np.abs(error).sum(axis=1)
            scaled_sq[i] += (error ** 2 / steps).sum(axis=1)
        count += judged.sum(axis=1)
    best = np.argmin(abs_error, axis=0)
    rows = np.arange(len(usable))
    with np.errstate(divide="ignore", invalid="ignore"):
        method[usable] = best
        mase[usable] = abs_error[best, rows] / count / seasonal_scale(h)
        sigma[usable] = np.sqrt(scaled_sq[best, rows] / count)
    errors[usable] = count
    return Choice(method, mase, sigma, errors)


def _split(h: Histories, cut: np.ndarray, longest: int) -> tuple[Histories, np.ndarray]:
    """Each series without its last ``cut`` points, and the ``longest`` points after the
    cut (NaN past the series' end)."""
    S, width = h.values.shape
    # Shift every row right by its cut, so the training part ends on the last column.
    shift = cut.astype(np.int64)
    columns = np.arange(width)[None, :] - shift[:, None]
    rows = np.arange(S)[:, None]
    train = np.where(columns >= 0, h.values[rows, np.clip(columns, 0, width - 1)], np.nan)
    after = (width - shift)[:, None] + np.arange(longest)[None, :]
    actual = np.where(after < width, h.values[rows, np.clip(after, 0, width - 1)], np.nan)
    return Histories(train, np.maximum(h.n - shift, 0), h.season), actual


def seasonal_scale(h: Histories) -> np.ndarray:
    """Mean absolute seasonal difference of each history (lag m; lag 1 under a season)."""
    S, width = h.values.shape
    lag = np.where(h.n > h.season, h.season, 1)
    out = np.full(S, np.nan)
    for value in np.unique(lag):
        rows = np.flatnonzero(lag == value)
        diff = np.abs(h.values[rows, value:] - h.values[rows, :-value])
        with np.errstate(invalid="ignore"):
            out[rows] = np.nanmean(diff, axis=1)
    return out


def auto_forecast(h: Histories, choice: Choice, horizon: int, levels: tuple[float, ...]
                  ) -> tuple[np.ndarray, list[np.ndarray]]:
    """The chosen method's forecast (S, H) and its interval half-width at each of
    ``levels`` (S, H each): one fit, a quantile per level."""
    S = len(h.n)
    mean = np.full((S, horizon), np.nan)
    halves = [np.full((S, horizon), np.nan) for _ in levels]
    chosen = np.flatnonzero(choice.method >= 0)
    if not len(chosen):
        return mean, halves
    steps = np.sqrt(np.arange(1, horizon + 1))[None, :]
    forecasts = candidates(h.subset(chosen), horizon)
    which = choice.method[chosen]
    for i, forecast in enumerate(forecasts):
        mine = which == i
        rows = chosen[mine]
        mean[rows] = forecast.mean[mine]
        for level, half in zip(levels, halves, strict=True):
            z = stats.norm.ppf(0.5 + level / 2)
            t = stats.t.ppf(0.5 + level / 2, np.maximum(choice.errors[rows] - 1, 1))
            backtested = t[:, None] * choice.sigma[rows, None] * steps
            half[rows] = np.fmax(z * forecast.sd[mine], backtested)
    return mean, halves
