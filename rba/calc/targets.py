"""Against targets and baselines: % change, variance, percent of target, colour band, progress.

Every function is element-wise over arrays or Series (one element per series or period),
so it works on all series at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rba.calc.series import polarity_sign, shown

BANDS = ("green", "yellow", "red")
PROGRESS = ("target_achieved", "on_track", "needs_acceleration", "limited_progress",
            "deterioration")
PROGRESS_METHODS = ("cagr", "linear")


def _float(values: object) -> np.ndarray:
    if isinstance(values, pd.Series | pd.Index):
        return values.to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(values, dtype=float)


def relative_change(value: object, reference: object) -> np.ndarray:
    """(value - reference) / |reference| x 100, in percent; NaN where reference is 0 or NaN."""
    v, r = _float(value), _float(reference)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(r != 0, (v - r) / np.abs(r) * 100.0, np.nan)


def baseline_pct_change(latest: object, baseline: object) -> np.ndarray:
    """Baseline % change: (latest actual - baseline value) / |baseline value| x 100."""
    return relative_change(latest, baseline)


def variance_from_target(actual: object, target: object) -> np.ndarray:
    """Variance from target: (actual - target) / |target| x 100, in percent (NaN if target 0)."""
    return relative_change(actual, target)


def percent_of_target(actual: object, target: object) -> np.ndarray:
    """Actual as a percent of target: actual / target x 100 (NaN if target is 0)."""
    a, t = _float(actual), _float(target)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(t != 0, a / t * 100.0, np.nan)


def band_codes(actual: np.ndarray, target: np.ndarray, sign: np.ndarray,
               green_within: float = 0.0, yellow_within: float = 10.0) -> np.ndarray:
    """Index into BANDS per element (-1 where actual or target is missing)."""
    good = sign * variance_from_target(actual, target)  # > 0 is better than target
    direct = sign * (actual - target)  # a zero target has no relative variance
    code = np.where(target == 0, np.where(direct >= 0, 0, 2),
                    np.where(good >= -green_within, 0, np.where(good >= -yellow_within, 1, 2)))
    return np.where(np.isnan(actual) | np.isnan(target), -1, code).astype(np.int8)


def target_band(actual: object, target: object, polarity: object, green_within: float = 0.0,
                yellow_within: float = 10.0) -> pd.Categorical:
    """Colour band by polarity: green at or better than target (within `green_within` %),
    yellow within `yellow_within` % of it on the bad side, red beyond; a zero target is
    green when met, else red."""
    a, t = _float(actual), _float(target)
    sign = np.broadcast_to(polarity_sign(polarity), np.broadcast_shapes(a.shape, t.shape))
    codes = band_codes(a, t, sign, green_within, yellow_within)
    return pd.Categorical.from_codes(codes, categories=list(BANDS))


def progress_status(base_value: object, base_ordinal: object, latest_value: object,
                    latest_ordinal: object, target_value: object, target_ordinal: object,
                    polarity: object, periods_per_year: object, on_track: float = 0.95,
                    needs_acceleration: float = 0.6,
                    rate_thresholds: tuple[float, float] = (0.015, 0.005)) -> pd.DataFrame:
    """Progress status (Open SDG / Statistics Canada) from the base period to the latest.

    With a target: ratio = d x observed rate / |rate needed to reach the target by its
    period| (d = +1 up-is-good, -1 down-is-good); target_achieved when the latest value is
    at or better than target, else on_track (>= 0.95), needs_acceleration (>= 0.6),
    limited_progress (>= 0), deterioration (< 0). Rates are compound annual growth rates
    (cagr); where the base, latest or target value is <= 0 they are annualised linear
    changes (linear). Without a target the observed rate, signed by d (relative to |base|
    for linear), is classified on_track (>= 1.5%/yr), needs_acceleration (>= 0.5%/yr),
    limited_progress (>= 0), deterioration (< 0). Returns progress_status, progress_method,
    progress_ratio and progress_rate (observed annual rate signed by d: a fraction for cagr,
    value units for linear).
    """
    x0, t0, xt, t = (_float(a) for a in (base_value, base_ordinal, latest_value,
                                         latest_ordinal))
    target, big_t, ppy = _float(target_value), _float(target_ordinal), _float(periods_per_year)
    shape = np.broadcast_shapes(x0.shape, xt.shape, target.shape, ppy.shape)
    d = np.broadcast_to(polarity_sign(polarity), shape).astype(float)
    has_target = ~np.isnan(target) & ~np.isnan(big_t)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        years, years_to_target = (t - t0) / ppy, (big_t - t0) / ppy
        positive = (x0 > 0) & (xt > 0) & (~has_target | (target > 0))
        observed = np.where(positive, (xt / x0) ** (1 / years) - 1, (xt - x0) / years)
        needed = np.where(positive, (target / x0) ** (1 / years_to_target) - 1,
                          (target - x0) / years_to_target)
        ratio = np.where(has_target, d * observed / np.abs(needed), np.nan)
        rate = np.where(positive, d * observed, d * observed / np.abs(x0))
    valid = (years > 0) & ~np.isnan(x0) & ~np.isnan(xt)
    achieved = has_target & (d * (xt - target) >= 0)
    assessed = valid & (achieved | ~has_target | ((years_to_target > 0) & ~np.isnan(ratio)))
    hi, lo = rate_thresholds
    score = np.where(has_target, ratio, rate)
    top, mid = np.where(has_target, on_track, hi), np.where(has_target, needs_acceleration, lo)
    code = np.select([achieved, score >= top, score >= mid, score >= 0], [0, 1, 2, 3], 4)
    code = np.where(assessed & (has_target | np.isfinite(rate)), code, -1)
    return pd.DataFrame({
        "progress_status": pd.Categorical.from_codes(code, categories=list(PROGRESS)),
        "progress_method": pd.Categorical.from_codes(
            np.where(valid, np.where(positive, 0, 1), -1), categories=list(PROGRESS_METHODS)),
        "progress_ratio": np.where(valid & has_target, ratio, np.nan),
        "progress_rate": np.where(valid, d * observed, np.nan),
    })


def reference_targets(code: np.ndarray, ordinal: np.ndarray, value: np.ndarray,
                      latest: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Target value and period per series: the target at its latest actual's period, else
    the next one after it, else the last one before it (NaN where a series has none).

    `code`, `ordinal`, `value` describe the targets (series code 0..len(latest)-1);
    `latest` is each series' latest actual ordinal (NaN if none); `ids` name series in errors.
    """
    n = len(latest)
    order = np.lexsort((ordinal, code))
    code, ordinal, value = code[order], ordinal[order], value[order]
    if len(code) == 0:
        return np.full(n, np.nan), np.full(n, np.nan)
    lo = int(ordinal.min())
    width = int(ordinal.max()) - lo + 2
    keys = code * width + (ordinal - lo)
    if (np.diff(keys) == 0).any():
        dup = int(np.flatnonzero(np.diff(keys) == 0)[0])
        raise ValueError(f"targets: series {shown(ids[code[dup]])} has more than one target "
                         f"for ordinal {int(ordinal[dup])}")
    codes = np.arange(n)
    at = np.clip(np.where(np.isnan(latest), lo, latest) - lo, 0, width - 1).astype(np.int64)
    i = np.searchsorted(keys, codes * width + at, side="left")  # first target at/after latest
    a = np.searchsorted(code, codes, side="left")
    b = np.searchsorted(code, codes, side="right")
    ref = np.where(i < b, i, np.where(b > a, b - 1, -1))
    safe = np.maximum(ref, 0)
    return (np.where(ref >= 0, value[safe], np.nan),
            np.where(ref >= 0, ordinal[safe].astype(float), np.nan))
