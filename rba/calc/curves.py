"""Turn-the-curve engine: every series' baseline, status, trend and target figures at once.

`compute_curves` lays every series out as a contiguous run of period slots (its first period
through the end of its forecast horizon), fits all baselines from group-wise sums, and
returns one row per series and period plus one summary row per series.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd

from rba.calc.forecast import (
    FLAT,
    HOLT,
    INNER_LEVEL,
    LINEAR,
    MIN_POINTS_FOR_INTERVAL,
    fitted_history,
    holt_forecasts,
    method_codes,
    predicted,
)
from rba.calc.groupwise import I64_MIN, Segments, group_max, ragged_arange, run_bounds
from rba.calc.inputs import SeriesArrays, per_series, series_arrays
from rba.calc.labels import LabelFor, period_column
from rba.calc.series import shown
from rba.calc.smoothed import smoothed_forecasts, smoothing_fallbacks
from rba.calc.status import STATUSES, status_codes
from rba.calc.summary import Curves, summary_frame
from rba.calc.targets import reference_targets
from rba.calc.trend import trend_arrays
from rba.calc.verdict import MIN_FIGURES_TO_FIT_NOW, latest_runs, verdict_codes

ROW_COLUMNS = ("series", "ordinal", "period", "actual", "numerator", "denominator", "forecast",
               "forecast_lower", "forecast_upper", "forecast_lower_80", "forecast_upper_80",
               "target", "status", "rolled_up")
HORIZON_YEARS = 5


def _through(ci: SeriesArrays, history_through: object) -> tuple[np.ndarray, np.ndarray]:
    """Last history ordinal per series (frozen, given, else last actual); actuals in history."""
    n = len(ci.table)
    valid, x_valid = ~np.isnan(ci.value), ~np.isnan(ci.x_value)
    big = np.int64(1) << 40  # moves rows without a value out of the running for the max
    last = ci.code_max(ci.ordinal - big * ~valid, ci.x_ordinal - big * ~x_valid)
    last = np.where(last < np.iinfo(np.int32).min, I64_MIN, last)
    chosen = ci.frozen["through"].to_numpy(dtype=float)
    if history_through is not None:
        given = pd.to_numeric(pd.Series(per_series(history_through, ci.table["series"]
                                                   .to_numpy(), np.nan)), errors="coerce")
        chosen = np.where(np.isnan(chosen), given.to_numpy(dtype=float), chosen)
    if np.isnan(chosen).all():  # the default: all history, so every actual is in it
        counts = np.bincount(ci.code, weights=valid, minlength=n)
        counts += np.bincount(ci.x_code, weights=x_valid, minlength=n)
        return last, counts.astype(np.int64)
    through = np.where(np.isnan(chosen), last, np.nan_to_num(chosen)).astype(np.int64)
    in_history = valid & (ci.ordinal <= through[ci.code])
    x_in = x_valid & (ci.x_ordinal <= through[ci.x_code])
    return through, (np.bincount(ci.code[in_history], minlength=n)
                     + np.bincount(ci.x_code[x_in], minlength=n))


def _segments(ci: SeriesArrays, through: np.ndarray, fitted: np.ndarray) -> Segments:
    """Slots from each series' first row, target or frozen point to its horizon's end."""
    lo = ci.code_min(ci.ordinal, ci.x_ordinal)
    hi = ci.code_max(ci.ordinal, ci.x_ordinal)
    for codes, ordinals in ((ci.t_code, ci.t_ordinal), (ci.f_code, ci.f_ordinal)):
        np.minimum.at(lo, codes, ordinals)
        np.maximum.at(hi, codes, ordinals)
    horizon = np.ceil(HORIZON_YEARS * ci.table["periods_per_year"].to_numpy()).astype(np.int64)
    end = np.maximum(hi, np.where(fitted, through + horizon, I64_MIN))
    return Segments.spanning(lo, end)


def _scattered(size: int, slots: np.ndarray, values: np.ndarray, fill: float = np.nan
               ) -> np.ndarray:
    out = np.full(size, fill, dtype=values.dtype if values.dtype.kind != "f" else float)
    out[slots] = values
    return out


def _forecasts(ci: SeriesArrays, seg: Segments, actual: np.ndarray, through: np.ndarray,
               fitted: np.ndarray, method: object, level: float, all_history: bool,
               inner: bool = True) -> dict[str, np.ndarray]:
    """Forecast and bounds per slot, and per-series fit facts (method, clipping, fallbacks).

    `all_history` says every actual is in its series' history (the default), so the history
    need not be picked out slot by slot. With `inner`, also the INNER_LEVEL bounds
    (`lower_80`, `upper_80`) from the same fit.
    """
    n = len(ci.table)
    first = seg.first
    origin = int(first.min()) if n else 0  # x = ordinal - origin: exact, and moderate in size
    valid = np.flatnonzero(~np.isnan(actual))
    code_v = seg.code[valid]
    if all_history:
        hist, code_h = valid, code_v
    else:
        hist = valid[fitted[code_v] & (seg.ordinal[valid] <= through[code_v])]
        code_h = seg.code[hist]
    x_h = (seg.ordinal[hist] - origin).astype(float)
    wanted = method if isinstance(method, np.ndarray) else method_codes(
        method if isinstance(method, str) else per_series(
            method, ci.table["series"].to_numpy(), "linear"), n)
    wanted, fallbacks = smoothing_fallbacks(wanted, code_h, x_h, n)
    fit = fitted_history(code_h, x_h, actual[hist], wanted)
    fcodes = np.flatnonzero(fitted)
    start = seg.offset[fcodes] + (through[fcodes] - first[fcodes]) + 1
    count = seg.offset[fcodes + 1] - start
    slots = np.repeat(start, count) + ragged_arange(count)
    code_f = np.repeat(fcodes, count)
    x_f = (seg.ordinal[slots] - origin).astype(float)
    gapped = np.zeros(n, dtype=bool)
    holt_codes = np.flatnonzero(fitted & (fit.method == HOLT) & (fit.n >= 3))
    holt_values = None
    if len(holt_codes):
        holt_values, gaps = holt_forecasts(code_h, x_h, actual[hist], holt_codes, code_f, x_f)
        gapped[holt_codes[gaps]] = True
        fit = replace(fit, method=np.where(gapped, LINEAR, fit.method).astype(np.int8))
    levels = (level, INNER_LEVEL) if inner else (level,)
    mean, bounds = predicted(fit, code_f, x_f, levels)
    if holt_values is not None:
        mean = np.where(np.isnan(mean), holt_values, mean)
    smoothed = smoothed_forecasts(fit, code_h, actual[hist], code_f, x_f,
                                  ci.table["periods_per_year"].to_numpy(dtype=float), levels)
    if smoothed is not None:
        on = smoothed.slots
        mean[on] = smoothed.mean
        for (lower, upper), (s_lower, s_upper) in zip(bounds, smoothed.bounds, strict=True):
            lower[on], upper[on] = s_lower, s_upper
        fit = replace(fit, method=smoothed.method)
    lo = ci.table["clip_low"].to_numpy(dtype=float)[code_f]
    hi = ci.table["clip_high"].to_numpy(dtype=float)[code_f]
    clipped = np.zeros(len(slots), dtype=bool)
    out: dict[str, np.ndarray] = {}
    f_slots = seg.slot(ci.f_code, ci.f_ordinal)
    (lower, upper), *inner_bounds = bounds
    for name, values, frozen in (("forecast", mean, ci.f_forecast),
                                 ("lower", lower, ci.f_lower), ("upper", upper, ci.f_upper)):
        clipped |= (values < lo) | (values > hi)
        out[name] = _scattered(seg.size, slots, np.clip(values, lo, hi))
        out[name][f_slots] = frozen
    # The inner band lies inside the outer one, so it adds nothing to the clipped count.
    if inner_bounds:
        for name, values, frozen in zip(("lower_80", "upper_80"), inner_bounds[0],
                                        (ci.f_lower_80, ci.f_upper_80), strict=True):
            out[name] = _scattered(seg.size, slots, np.clip(values, lo, hi))
            out[name][f_slots] = frozen
    interval = fitted & (fit.n >= MIN_POINTS_FOR_INTERVAL) & ~np.isin(fit.method, (FLAT, HOLT))
    if smoothed is not None:
        interval = np.where(smoothed.series, smoothed.interval & fitted, interval)
    out.update(method=fit.method, interval=interval, gapped=gapped,
               backtest_mase=np.where(fitted, smoothed.mase if smoothed is not None else np.nan,
                                      np.nan),
               gaps_linear=fallbacks["gaps"] & fitted, auto_short=fallbacks["short"] & fitted,
               auto_chose=(smoothed.auto if smoothed is not None else np.zeros(n, bool))
               & fitted,
               not_positive=fit.not_positive & fitted,
               clipped=np.bincount(code_f[clipped], minlength=n), valid=valid, code_v=code_v)
    return out


def _verdicts(ci: SeriesArrays, seg: Segments, actual: np.ndarray, fc: dict[str, np.ndarray],
              judged: np.ndarray, status: np.ndarray, is_frozen: np.ndarray,
              fitted: np.ndarray, level: float) -> dict[str, np.ndarray]:
    """Verdict facts per series (see rba.calc.verdict), refitting where nothing is judged.

    A fitted series whose figures are all history is judged on its latest figure against
    its own method (the one `auto` chose) fitted on the figures before it.
    """
    n = len(ci.table)
    valid, code_v = fc["valid"], fc["code_v"]
    starts, count = run_bounds(code_v, n)
    judged_any = np.bincount(seg.code[judged], minlength=n) > 0
    can_fit = fitted & (count > MIN_FIGURES_TO_FIT_NOW)
    refit = np.flatnonzero(can_fit & ~judged_any)
    codes, states = seg.code[judged], status[judged]
    if len(refit):
        last = valid[starts[refit] + count[refit] - 1]
        before = np.full(n, I64_MIN)
        before[refit] = seg.ordinal[valid[starts[refit] + count[refit] - 2]]
        mask = np.zeros(n, dtype=bool)
        mask[refit] = True
        again = _forecasts(ci, seg, actual, before, mask, fc["method"], level, False,
                           inner=False)
        sign = ci.table["sign"].to_numpy(dtype=np.int8)
        refit_status = status_codes(actual[last], again["forecast"][last],
                                    again["lower"][last], again["upper"][last], sign[refit])
        order = np.argsort(np.concatenate([codes, refit]), kind="stable")
        judged = np.concatenate([judged, last])[order]
        codes = np.concatenate([codes, refit])[order]
        states = np.concatenate([states, refit_status])[order]
    keep = states >= 0
    judged, codes, states = judged[keep], codes[keep], states[keep]
    latest, periods, ordinal = latest_runs(codes, states, seg.ordinal[judged], n)
    verdict, basis = verdict_codes(latest, is_frozen, can_fit, count > 0)
    return {"verdict": verdict, "basis": basis, "periods": periods, "ordinal": ordinal}


def _series_column(ids: np.ndarray, seg: Segments, span: np.ndarray) -> object:
    """Series id of every slot: integers as they are, other ids as a categorical (no copies)."""
    if ids.dtype.kind in "iu":
        return np.repeat(ids, span)
    return pd.Categorical.from_codes(seg.code, categories=pd.Index(ids, dtype=object))


def _refuse_duplicates(ci: SeriesArrays, seg: Segments, slot: np.ndarray) -> None:
    """Raise naming the first series and ordinal that has more than one observation row."""
    if len(slot) < 2 or (slot[1:] > slot[:-1]).all():  # sorted rows: strictly increasing
        return
    counts = np.bincount(slot, minlength=seg.size)
    if counts.max() > 1:
        dup = int(np.argmax(counts))
        raise ValueError(f"observations: series {shown(ci.table['series'].iloc[seg.code[dup]])}"
                         f" has more than one row for ordinal {int(seg.ordinal[dup])}")


def compute_curves(
    observations: pd.DataFrame, indicators: pd.DataFrame, targets: pd.DataFrame | None = None,
    frozen: pd.DataFrame | None = None, method: str | Mapping | pd.Series = "linear",
    level: float = 0.95, history_through: int | Mapping | pd.Series | None = None, *,
    baseline_values: Mapping | pd.Series | None = None, roll_up_totals: bool = True,
    label_for: LabelFor | None = None, green_within: float = 0.0, yellow_within: float = 10.0,
    on_track: float = 0.95, needs_acceleration: float = 0.6,
    rate_thresholds: tuple[float, float] = (0.015, 0.005),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every series' curve rows (ROW_COLUMNS) and summary (summary.SUMMARY_COLUMNS).

    Rows run from each series' first period through the end of its forecast horizon, one
    per period (a period with no observation has actual NaN). `method` and
    `history_through` may be one value or a mapping by series id; series in `frozen` are
    judged against their frozen forecast instead of a new fit. Totals missing from
    `observations` are rolled up from parts unless `roll_up_totals` is False.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), got {level!r}")
    ci = series_arrays(observations, indicators, targets, frozen, roll_up_totals)
    n = len(ci.table)
    through, n_history = _through(ci, history_through)
    is_frozen = ci.frozen["frozen"].to_numpy()
    fitted = ~is_frozen & (n_history > 0)
    seg = _segments(ci, through, fitted)
    slot = seg.slot(ci.code, ci.ordinal)
    x_slot = seg.slot(ci.x_code, ci.x_ordinal)
    _refuse_duplicates(ci, seg, slot)

    def scattered(given: np.ndarray, extra: np.ndarray) -> np.ndarray:
        out = _scattered(seg.size, slot, given)
        out[x_slot] = extra  # rolled-up totals only fill periods without a given value
        return out

    actual = scattered(ci.value, ci.x_value)
    all_history = history_through is None and not is_frozen.any()
    fc = _forecasts(ci, seg, actual, through, fitted, method, level, all_history)
    sign = ci.table["sign"].to_numpy(dtype=np.int8)
    valid, code_v = fc["valid"], fc["code_v"]
    judged = valid[(fitted | is_frozen)[code_v] & (seg.ordinal[valid] > through[code_v])]
    status = np.full(seg.size, -1, dtype=np.int8)
    status[judged] = status_codes(actual[judged], fc["forecast"][judged], fc["lower"][judged],
                                  fc["upper"][judged], sign[seg.code[judged]])
    verdicts = _verdicts(ci, seg, actual, fc, judged, status, is_frozen, fitted, level)
    rolled = np.zeros(seg.size, dtype=bool)
    rolled[x_slot] = True
    span = np.diff(seg.offset)
    rows = pd.DataFrame({
        "series": _series_column(ci.table["series"].to_numpy(), seg, span),
        "ordinal": seg.ordinal,
        "period": period_column(ci, seg, slot, x_slot, label_for), "actual": actual,
        "numerator": scattered(ci.numerator, ci.x_numerator),
        "denominator": scattered(ci.denominator, ci.x_denominator),
        "forecast": fc["forecast"], "forecast_lower": fc["lower"],
        "forecast_upper": fc["upper"], "forecast_lower_80": fc["lower_80"],
        "forecast_upper_80": fc["upper_80"],
        "target": _scattered(seg.size, seg.slot(ci.t_code, ci.t_ordinal), ci.t_value),
        "status": pd.Categorical.from_codes(status, categories=list(STATUSES)),
        "rolled_up": rolled,
    }, copy=False)
    direction, periods = trend_arrays(code_v, actual[valid], sign)
    count = np.bincount(code_v, minlength=n)
    has = count > 0
    end = np.cumsum(count)
    last = np.where(has, valid[np.maximum(end - 1, 0)] if len(valid) else -1, -1)
    first = np.where(has, valid[np.minimum(end - count, len(valid) - 1)] if len(valid) else -1,
                     -1)
    latest_ordinal = np.where(has, seg.ordinal[np.maximum(last, 0)], np.nan)
    target, target_ordinal = reference_targets(ci.t_code, ci.t_ordinal, ci.t_value,
                                               latest_ordinal, ci.table["series"].to_numpy())
    max_frozen = group_max(ci.f_code, ci.f_ordinal, n)
    curves = Curves(
        table=ci.table, indicators=ci.st.indicators,
        through=np.where(through == I64_MIN, np.nan, through),
        n_history=n_history, fitted=fitted, frozen=ci.frozen, fc=fc,
        first_value=np.where(has, actual[np.maximum(first, 0)], np.nan),
        first_ordinal=np.where(has, seg.ordinal[np.maximum(first, 0)], np.nan),
        latest_value=np.where(has, actual[np.maximum(last, 0)], np.nan),
        latest_ordinal=latest_ordinal, latest_status=np.where(has, status[last], -1),
        direction=direction, periods=periods, target=target, target_ordinal=target_ordinal,
        rolled=np.bincount(seg.code[rolled], minlength=n) > 0, discrepant=ci.discrepant,
        beyond_frozen=is_frozen & (latest_ordinal > max_frozen), verdict=verdicts,
    )
    summary = summary_frame(
        curves, None if baseline_values is None else per_series(
            baseline_values, ci.table["series"].to_numpy(), np.nan),
        level, green_within, yellow_within, on_track, needs_acceleration, rate_thresholds)
    return rows, summary
