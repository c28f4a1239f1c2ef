"""Forecasts that follow a series' season and trend: seasonal naive, exponential smoothing
with a damped trend (and seasonality) and the Theta method, for many series at once.

Each series' history is one row of a matrix, right-aligned on its last point (`Histories`):
column -1 holds the last value, column -1-k the value k periods before it, NaN before the
series starts. The models run along the columns, updating every series (and every
candidate parameter set) at once, so a store of 50,000 series costs a few array passes per
period, not a model fit per series. `rba.calc.backtest` chooses between them.

Definitions (n points y_1..y_n, season length m = periods per year, steps h = 1..H after
y_n; the README's "Baseline (forecast)" says the same):

- seasonal naive: y_{n+h-m*ceil(h/m)}; the h-step error's standard deviation is
  sigma * sqrt(floor((h-1)/m) + 1), sigma the root mean square of y_t - y_{t-m}.
- ETS(A,Ad,A) (Hyndman et al. 2008; statsmodels' ETSModel with additive error, damped
  additive trend and, with two full seasons or more, additive seasonality): level l,
  trend b, seasonal s; one-step forecast l + phi*b + s_{t-m}, error e; l' = l + phi*b +
  alpha*e, b' = phi*b + beta*e, s_t = s_{t-m} + gamma*e. Initial states: the mean of the
  first season, its change to the second per period, and the first season's deviations
  (a non-seasonal series: the first value and the first change). alpha, beta, phi and gamma
  are the grid point with the least sum of squared one-step errors. The h-step standard
  deviation is sigma * sqrt(1 + sum_{j<h} c_j^2), c_j = alpha + beta*phi*(1-phi^j)/(1-phi)
  + gamma*[j mod m = 0], sigma^2 = SSE / (n - parameters).
- Theta (Assimakopoulos & Nikolopoulos 2000, as statsmodels' ThetaModel computes it): the
  series, divided by its classical multiplicative seasonal indices where it has two full
  seasons and only positive values, is smoothed by simple exponential smoothing (alpha from
  the grid, least squares); forecast = level + b/2 * (h - 1 + 1/alpha - (1-alpha)^n/alpha),
  b the least-squares slope per period, times the seasonal index again; standard deviation
  sigma * sqrt(1 + (h-1) alpha^2).
- ets_theta: the average of the two forecasts (the larger of their deviations).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: Smoothing parameters tried (least squares over the grid): level, trend (a share of alpha,
#: so beta <= alpha), damping and season.
ALPHAS = np.array([0.1, 0.3, 0.5, 0.8])
BETA_SHARES = np.array([0.05, 0.2])
PHIS = np.array([0.85, 0.98])
GAMMAS = np.array([0.05, 0.25])
THETA_ALPHAS = np.array([0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 0.95])


@dataclass(frozen=True)
class Histories:
    """Complete histories as rows of a matrix, right-aligned on their last point."""

    values: np.ndarray  # (S, L): NaN before each series' first point
    n: np.ndarray  # points per series
    season: np.ndarray  # season length (periods per year) per series

    @property
    def start(self) -> np.ndarray:
        """Column of each series' first point."""
        return self.values.shape[1] - self.n

    def subset(self, rows: np.ndarray) -> Histories:
        """The histories of these rows only."""
        return Histories(self.values[rows], self.n[rows], self.season[rows])


@dataclass(frozen=True)
class Forecast:
    """Point forecasts and the h-step error's standard deviation, steps 1..H."""

    mean: np.ndarray  # (S, H)
    sd: np.ndarray  # (S, H); NaN where the model gives none


def histories(code: np.ndarray, y: np.ndarray, n_series: int, season: np.ndarray
              ) -> Histories:
    """The matrix of histories from points sorted by series code (every series complete:
    one point per period from its first to its last)."""
    n = np.bincount(code, minlength=n_series)
    width = int(n.max(initial=0))
    values = np.full((n_series, max(width, 1)), np.nan)
    ends = np.cumsum(n)
    position = np.arange(len(code)) - (ends - n)[code]  # 0..n-1 within its series
    values[code, width - n[code] + position] = y
    return Histories(values, n, season.astype(np.int64))


def _steps(horizon: int) -> np.ndarray:
    return np.arange(1, horizon + 1)


def blocks(h: Histories) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """Rows of equal length and season, with their values left-aligned: (rows, Y, m).

    The models run over such a block with plain array slices (no per-series masks or
    gathers); a store has a few dozen distinct lengths, however many series it holds.
    """
    width = h.values.shape[1]
    key = h.n * 100 + h.season
    out = []
    for value in np.unique(key[h.n > 0]):
        rows = np.flatnonzero(key == value)
        n, m = int(value // 100), int(value % 100)
        out.append((rows, h.values[rows, width - n:], m))
    return out


#: A model of one block: (values, season length, horizon) -> (mean, sd), each (S, horizon).
BlockModel = Callable[[np.ndarray, int, int], tuple[np.ndarray, np.ndarray]]


def by_block(model: BlockModel) -> Callable[[Histories, int], Forecast]:
    """A model of one block, applied to every block of the histories."""
    def forecast(h: Histories, horizon: int) -> Forecast:
        mean = np.full((len(h.n), horizon), np.nan)
        sd = np.full_like(mean, np.nan)
        for rows, values, m in blocks(h):
            mean[rows], sd[rows] = model(values, m, horizon)
        return Forecast(mean, sd)
    forecast.__doc__ = model.__doc__
    return forecast


def _seasonal_naive(Y: np.ndarray, m: int, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Each season's last value, repeated (a series shorter than a season: the last value)."""
    n = Y.shape[1]
    m = m if n >= m else 1
    steps = _steps(horizon)
    back = m * np.ceil(steps / m).astype(np.int64) - steps
    with np.errstate(invalid="ignore"):
        sigma = np.sqrt(np.mean((Y[:, m:] - Y[:, :-m]) ** 2, axis=1)) if n > m else \
            np.full(len(Y), np.nan)
    return Y[:, n - 1 - back], sigma[:, None] * np.sqrt(np.floor((steps - 1) / m) + 1)


def _ets(Y: np.ndarray, m: int, horizon: int, alphas: np.ndarray = ALPHAS,
         beta_shares: np.ndarray = BETA_SHARES, phis: np.ndarray = PHIS,
         gammas: np.ndarray = GAMMAS) -> tuple[np.ndarray, np.ndarray]:
    """Exponential smoothing with a damped trend, seasonal where two seasons are known."""
    S, n = Y.shape
    seasonal = m > 1 and n >= 2 * m
    season = m if seasonal else 1
    grid = np.array(np.meshgrid(alphas, beta_shares, phis, gammas if seasonal else [0.0],
                                indexing="ij")).reshape(4, -1)[:, :, None]
    alpha, beta, phi, gamma = grid[0], grid[0] * grid[1], grid[2], grid[3]
    if seasonal:
        level = Y[:, :m].mean(axis=1)
        trend = (Y[:, m:2 * m].mean(axis=1) - level) / m
        states = Y[:, :m] - level[:, None]
    else:
        level, trend = Y[:, 0], (Y[:, 1] - Y[:, 0] if n > 1 else np.zeros(S))
        states = np.zeros((S, 1))
    C = grid.shape[1]
    level = np.broadcast_to(level, (C, S)).copy()
    trend = np.broadcast_to(trend, (C, S)).copy()
    seasons = np.broadcast_to(states.T[:, None, :], (season, C, S)).copy()  # by position
    sse = np.zeros((C, S))
    for t in range(n):
        s_t = seasons[t % season]
        error = Y[:, t] - (level + phi * trend + s_t)
        sse += error * error
        level = level + phi * trend + alpha * error
        trend = phi * trend + beta * error
        seasons[t % season] = s_t + gamma * error
    best = np.argmin(sse, axis=0)
    rows = np.arange(S)
    a, b, p, g = (np.broadcast_to(v, (C, S))[best, rows] for v in (alpha, beta, phi, gamma))
    steps = _steps(horizon)
    damped = np.cumsum(p[:, None] ** steps[None, :], axis=1)
    position = (n + steps - 1) % season
    mean = level[best, rows][:, None] + damped * trend[best, rows][:, None] + \
        seasons[position][:, best, rows].T
    # alpha, beta, phi, the initial level and trend; gamma and the initial season if seasonal.
    params = 5 + (1 + m if seasonal else 0)
    sigma2 = sse[best, rows] / max(n - params, 1)
    j = steps[None, :-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        c = a[:, None] + b[:, None] * p[:, None] * (1 - p[:, None] ** j) / (1 - p[:, None]) + \
            g[:, None] * ((j % season) == 0)
    growth = 1 + np.concatenate([np.zeros((S, 1)), np.cumsum(c * c, axis=1)], axis=1)
    return mean, np.sqrt(sigma2[:, None] * growth)


def seasonal_indices(Y: np.ndarray, m: int) -> np.ndarray:
    """Classical multiplicative seasonal index of each position in the season (S, m), by
    the first point's position; 1 where a series has no two full seasons, a value of 0 or
    below, or a season length of 1."""
    S, n = Y.shape
    index = np.ones((S, max(m, 1)))
    seasonal = m > 1 and n >= 2 * m
    wanted = np.asarray(~(Y <= 0).any(axis=1) if seasonal else np.zeros(S, dtype=bool))
    if not wanted.any():
        return index
    weights = np.r_[0.5, np.ones(m - 1), 0.5] / m if m % 2 == 0 else np.ones(m) / m
    k = len(weights)
    trend = np.full((S, n), np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(Y, k, axis=1)  # (S, n-k+1, k)
    trend[:, k // 2:k // 2 + windows.shape[1]] = windows @ weights
    ratio = Y / trend
    for p in range(m):
        with np.errstate(invalid="ignore"):
            index[:, p] = np.nanmean(ratio[:, p::m], axis=1)
    index /= index.mean(axis=1, keepdims=True)
    return np.where(wanted[:, None] & np.isfinite(index), index, 1.0)


def _theta(Y: np.ndarray, m: int, horizon: int, alphas: np.ndarray = THETA_ALPHAS
           ) -> tuple[np.ndarray, np.ndarray]:
    """The standard Theta method (seasonally adjusted where the series is seasonal)."""
    S, n = Y.shape
    season = max(m, 1)
    index = seasonal_indices(Y, season)
    z = Y / index[:, np.arange(n) % season]
    a = alphas[:, None]
    level = np.broadcast_to(z[:, 0], (len(alphas), S)).copy()
    sse = np.zeros((len(alphas), S))
    for t in range(1, n):  # the first point starts the level
        error = z[:, t] - level
        sse += error * error
        level = level + a * error
    best = np.argmin(sse, axis=0)
    rows = np.arange(S)
    alpha, final = alphas[best], level[best, rows]
    x = np.arange(n, dtype=float) - (n - 1) / 2
    slope = (z - z.mean(axis=1, keepdims=True)) @ x / (x @ x) if n > 1 else np.zeros(S)
    steps = _steps(horizon)[None, :]
    drift = slope[:, None] / 2 * (steps - 1 + 1 / alpha[:, None]
                                  - (1 - alpha[:, None]) ** n / alpha[:, None])
    seasonal = index[:, (n + steps[0] - 1) % season]
    sigma2 = sse[best, rows] / max(n - 1, 1)
    sd = np.sqrt(sigma2[:, None] * (1 + (steps - 1) * alpha[:, None] ** 2)) * seasonal
    return (final[:, None] + drift) * seasonal, sd


seasonal_naive = by_block(_seasonal_naive)
ets = by_block(_ets)
theta = by_block(_theta)


def ets_theta(h: Histories, horizon: int, first: Forecast | None = None,
              second: Forecast | None = None) -> Forecast:
    """The average of the ETS and Theta forecasts (the larger of their deviations); pass
    them as ``first`` and ``second`` when they are fitted already."""
    first = first if first is not None else ets(h, horizon)
    second = second if second is not None else theta(h, horizon)
    return Forecast((first.mean + second.mean) / 2, np.fmax(first.sd, second.sd))
