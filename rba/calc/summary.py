"""One summary row per series: latest value, trend, baseline change, targets, progress, notes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rba.calc import notes as nt
from rba.calc.forecast import FLAT, HOLT, METHODS
from rba.calc.status import STATUSES
from rba.calc.targets import (
    BANDS,
    band_codes,
    baseline_pct_change,
    percent_of_target,
    progress_status,
    variance_from_target,
)
from rba.calc.trend import DIRECTIONS
from rba.calc.verdict import BASES, VERDICTS

#: Where a series' baseline value comes from: its first figure, or set by hand.
BASELINE_VALUE_FROM = ("first_figure", "set_by_hand")

SUMMARY_COLUMNS = (
    "series", "indicator", "dimensions", "unit", "polarity", "frequency", "kind", "result",
    "first_period", "latest_period", "latest_value", "latest_status", "verdict",
    "verdict_basis", "verdict_period", "verdict_periods", "trend_direction",
    "trend_periods", "baseline_value", "baseline_value_from", "baseline_pct_change", "target",
    "target_period", "variance_from_target", "percent_of_target", "target_band", "progress_status",
    "progress_method", "progress_ratio", "progress_rate", "method", "backtest_mase", "level",
    "history_through", "history_points", "clipped_periods", "notes",
)


@dataclass(frozen=True)
class Curves:
    """Per-series facts gathered by `compute_curves` (all arrays are one value per series)."""

    table: pd.DataFrame
    indicators: pd.DataFrame
    through: np.ndarray
    n_history: np.ndarray
    fitted: np.ndarray
    frozen: pd.DataFrame
    fc: dict[str, np.ndarray]
    first_value: np.ndarray
    first_ordinal: np.ndarray
    latest_value: np.ndarray
    latest_ordinal: np.ndarray
    latest_status: np.ndarray
    direction: np.ndarray
    periods: np.ndarray
    target: np.ndarray
    target_ordinal: np.ndarray
    rolled: np.ndarray
    discrepant: np.ndarray
    beyond_frozen: np.ndarray
    verdict: dict[str, np.ndarray]  # rba.calc.verdict's codes, basis, run length, ordinal


def _category(codes: np.ndarray, categories: tuple[str, ...]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int8), categories=list(categories))


def summary_frame(c: Curves, baseline_values: np.ndarray | None, level: float,
                  green_within: float,
                  yellow_within: float, on_track: float, needs_acceleration: float,
                  rate_thresholds: tuple[float, float]) -> pd.DataFrame:
    """The per-series summary (columns SUMMARY_COLUMNS) from the gathered facts."""
    t = c.table
    sign = t["sign"].to_numpy(dtype=np.int8)
    frozen = c.frozen["frozen"].to_numpy()
    given = (np.full(len(t), np.nan) if baseline_values is None else
             pd.to_numeric(pd.Series(baseline_values), errors="coerce").to_numpy(dtype=float))
    stored = c.frozen["baseline_value"].to_numpy(dtype=float)
    baseline = np.where(~np.isnan(given), given, np.where(~np.isnan(stored), stored,
                                                          c.first_value))
    progress = progress_status(c.first_value, c.first_ordinal, c.latest_value,
                               c.latest_ordinal, c.target, c.target_ordinal, sign,
                               t["periods_per_year"].to_numpy(dtype=float), on_track,
                               needs_acceleration, rate_thresholds)
    method_code = c.fc["method"]
    fitted_method = np.where(c.fitted, np.asarray(METHODS, dtype=object)[method_code], None)
    method = np.where(frozen, c.frozen["method"].to_numpy(dtype=object), fitted_method)
    interval = c.fc["interval"]
    levels = np.where(frozen, c.frozen["level"].to_numpy(dtype=float),
                      np.where(interval, level, np.nan))
    unit = t["unit"].to_numpy(dtype=object)
    clipped = c.fc["clipped"] > 0
    n = len(t)
    bits = nt.note_bits({
        nt.NO_HISTORY: ~frozen & (c.n_history == 0),
        nt.ONE_POINT: c.fitted & (c.n_history == 1),
        nt.TWO_POINTS: c.fitted & (c.n_history == 2),
        nt.CLIPPED_PERCENT: clipped & (unit == "percent"),
        nt.CLIPPED_ZERO: clipped & (unit != "percent"),
        nt.ZERO_BASELINE: baseline == 0,
        nt.ZERO_TARGET: c.target == 0,
        nt.LOG_FALLBACK: c.fc["not_positive"],
        nt.HOLT_GAPS: c.fc["gapped"],
        nt.POINT_ONLY_METHOD: c.fitted & (c.n_history >= 3) & np.isin(method_code, (FLAT, HOLT)),
        nt.FROZEN: frozen,
        nt.ROLLED_UP: c.rolled,
        nt.PARTS_DISAGREE: c.discrepant,
        nt.PROGRESS_TWO_POINTS: ~np.isnan(c.latest_value) & (c.first_ordinal == c.latest_ordinal),
        nt.BEYOND_FROZEN: c.beyond_frozen,
        nt.ZERO_BASE_RATE: np.isnan(c.target) & (c.first_value == 0)
        & (c.first_ordinal != c.latest_ordinal),
        nt.GAPS_LINEAR: c.fc["gaps_linear"],
        nt.AUTO_SHORT: c.fc["auto_short"],
        nt.AUTO_CHOSE: c.fc["auto_chose"],
    }, n)
    position = t["indicator_index"].to_numpy()
    ind = c.indicators

    def per_indicator(column: str) -> pd.Categorical:
        # Indicator attributes repeat across an indicator's series: categorical, no copying.
        values, categories = pd.factorize(ind[column].to_numpy(dtype=object))
        return pd.Categorical.from_codes(values[position], categories=categories)

    return pd.DataFrame({
        "series": t["series"].to_numpy(), "indicator": per_indicator("indicator"),
        "dimensions": pd.Series(t["dimensions"].to_numpy(dtype=object), dtype=object),
        "unit": per_indicator("unit"), "polarity": per_indicator("polarity"),
        "frequency": per_indicator("frequency"), "kind": per_indicator("kind"),
        "result": per_indicator("result"),
        "first_period": c.first_ordinal, "latest_period": c.latest_ordinal,
        "latest_value": c.latest_value, "latest_status": _category(c.latest_status, STATUSES),
        "verdict": _category(c.verdict["verdict"], VERDICTS),
        "verdict_basis": _category(c.verdict["basis"], BASES),
        "verdict_period": c.verdict["ordinal"], "verdict_periods": c.verdict["periods"],
        "trend_direction": _category(c.direction, DIRECTIONS), "trend_periods": c.periods,
        "baseline_value": baseline,
        "baseline_value_from": _category(np.where(
            np.isnan(given) & np.isnan(stored), np.where(np.isnan(baseline), -1, 0), 1),
            BASELINE_VALUE_FROM),
        "baseline_pct_change": baseline_pct_change(c.latest_value, baseline),
        "target": c.target, "target_period": c.target_ordinal,
        "variance_from_target": variance_from_target(c.latest_value, c.target),
        "percent_of_target": percent_of_target(c.latest_value, c.target),
        "target_band": _category(band_codes(c.latest_value, c.target, sign, green_within,
                                            yellow_within), BANDS),
        "progress_status": progress["progress_status"].array,
        "progress_method": progress["progress_method"].array,
        "progress_ratio": progress["progress_ratio"].to_numpy(),
        "progress_rate": progress["progress_rate"].to_numpy(),
        "method": pd.Series(method, dtype=object), "backtest_mase": c.fc["backtest_mase"],
        "level": levels, "history_through": c.through,
        "history_points": c.n_history, "clipped_periods": c.fc["clipped"],
        "notes": nt.notes_column(bits),
    }, copy=False)
