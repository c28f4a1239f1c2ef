"""Curves for the CLI, the dashboard and the report card: curve inputs in, calc's curves out.

`compute_indicator_curve` is what `rba curve` prints and the indicator page draws: every series of
one indicator (or those matching `where`), judged against the frozen baseline where one
exists, else against a forecast fitted now. `curve_document` is it as the JSON document of
`rba curve --format json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rba.calc import CurveInputs, compute_curves
from rba.dimensions import parse_dimension_key
from rba.messages import N_, Message
from rba.periods import PeriodError, labels_from_ordinals, parse_period
from rba.refusals import Refusal

#: The baseline method the product fits where none is asked for (rba.calc.backtest).
DEFAULT_METHOD = "auto"
ROW_FIELDS = ["actual", "numerator", "denominator", "forecast", "forecast_lower",
              "forecast_upper", "forecast_lower_80", "forecast_upper_80", "target", "status"]


class CurveError(Refusal):
    """The curve asked for cannot be drawn; the message says why and what is accepted."""


def future_labels(frequency: str, ordinals: np.ndarray) -> np.ndarray:
    """Canonical labels of periods that have no figure yet (the forecast horizon)."""
    return labels_from_ordinals(pd.Series(ordinals), frequency).to_numpy(dtype=object)


def indicator_curves(inputs: CurveInputs, *, level: float = 0.95,
                      method: str | Mapping[str, str] = DEFAULT_METHOD,
                     history_through: Any = None, use_frozen: bool = True,
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every series' curve rows and summary (rba.calc.compute_curves) for these inputs."""
    frozen = inputs.frozen if use_frozen and len(inputs.frozen) else None
    return compute_curves(inputs.observations, inputs.indicators, inputs.targets,
                          frozen=frozen, method=method, level=level,
                          history_through=history_through, label_for=future_labels)


@dataclass(frozen=True)
class IndicatorCurve:
    """One indicator's curves: rows per series and period, a summary per series."""

    indicator: str
    frequency: str
    dimensions: list[str]
    rows: pd.DataFrame
    summary: pd.DataFrame


def compute_indicator_curve(inputs: CurveInputs, *, code: str, declared: list[str],
                    where: dict[str, str] | None = None, baseline_through: str | None = None,
                    method: str | Mapping[str, str] | None = None,
                    level: float | None = None, all_levels: bool = False) -> IndicatorCurve:
    """The curves of indicator ``code`` (its ``inputs``, and the dimension names it
    declares) for the series ``where`` names.

    Every level is a series (given or rolled up: rba.calc.rollup_cells). ``where`` picks
    the one series with exactly those values (``city=Altadena``: Altadena, all student
    groups); with ``all_levels`` its sub-series too (Altadena's student groups...).
    Without ``where``, every series of every level.

    The frozen baseline is used unless ``baseline_through``, ``method`` or ``level`` ask for
    a forecast fitted now (which changes nothing stored). ``method`` (default: auto) may also
    map series ids to methods (others: linear).
    """
    if inputs.indicators.empty:
        raise CurveError(Message(N_("no indicator {code!r}: `rba export` lists the indicators"),
                                 code=code))
    meta = inputs.indicators.iloc[0]
    frequency = str(meta["frequency"])
    through = None
    if baseline_through is not None:
        try:
            through = parse_period(baseline_through, frequency).ordinal
        except PeriodError as exc:
            raise CurveError(Message(N_("--baseline-through: {reason}"), reason=exc.detail)
                             ) from exc
    fresh = baseline_through is not None or method is not None or level is not None
    rows, summary = indicator_curves(inputs, level=level or 0.95, method=method or DEFAULT_METHOD,
                                     history_through=through, use_frozen=not fresh)
    if where:
        summary = summary[_matching(summary, where, declared, all_levels)]
        rows = rows[rows["series"].isin(summary["series"])].reset_index(drop=True)
    # The total first, then each level in turn (one dimension, two...), groups in order.
    order = summary["dimensions"].to_numpy(dtype=object).astype(str)
    summary = summary.iloc[np.lexsort((order, key_depth(summary["dimensions"])))
                           ].reset_index(drop=True)
    return IndicatorCurve(code, frequency, declared, _labelled_rows(rows), labelled_summary(
        summary, frequency))


def key_depth(keys: pd.Series) -> np.ndarray:
    """How many dimensions each dimensions key names (0 for the total)."""
    uniques = pd.unique(keys.astype(str).to_numpy(dtype=object))
    depth = {k: len(parse_dimension_key(str(k))) for k in uniques}
    return keys.astype(str).map(depth).to_numpy(dtype=np.int64)


def _matching(summary: pd.DataFrame, where: dict[str, str], declared: list[str],
              all_levels: bool = False) -> np.ndarray:
    unknown = [d for d in where if d not in declared]
    if unknown:
        raise CurveError(Message(N_("not a dimension of this indicator: {unknown}; it is "
                                    "disaggregated by: {declared}"), unknown=", ".join(unknown),
                                 declared=", ".join(declared) or Message(N_("nothing"))))
    groups = summary["dimensions"].astype(str).map(parse_dimension_key)
    inside = groups.map(lambda g: all(g.get(d) == v for d, v in where.items())).to_numpy(bool)
    exact = groups.map(len).to_numpy() == len(where)
    keep = inside if all_levels else inside & exact
    if where and not keep.any():
        seen = sorted({f"{d}={g[d]}" for g in groups for d in where if d in g})
        raise CurveError(Message(N_("no series with {wanted}; groups with figures: {seen}"),
                                 wanted=", ".join(f"{d}={v}" for d, v in where.items()),
                                 seen=", ".join(seen) or Message(N_("none"))))
    return keep


def _labelled_rows(rows: pd.DataFrame) -> pd.DataFrame:
    out = rows.copy()
    for column in ("series", "period", "status"):
        out[column] = out[column].astype(object)
    out["status"] = out["status"].where(out["status"].notna(), None)
    return out


def labelled_summary(summary: pd.DataFrame, frequency: str) -> pd.DataFrame:
    """Summary with period ordinals as labels (latest, first, target, history through,
    verdict)."""
    out = summary.copy()
    out["series"] = out["series"].astype(object)
    columns = ["first_period", "latest_period", "target_period", "history_through",
               "verdict_period"]
    ordinals = out[columns].to_numpy(dtype=float).ravel()  # row by row, all at once
    known = ~np.isnan(ordinals)
    labels = np.full(len(ordinals), np.nan, dtype=object)
    if known.any():
        labels[known] = labels_from_ordinals(pd.Series(ordinals[known].astype("int64")),
                                             frequency).to_numpy(dtype=object)
    for i, column in enumerate(columns):
        out[column] = pd.Series(labels[i::len(columns)], index=out.index, dtype=object)
    return out


def series_dimensions(summary: pd.DataFrame) -> list[dict[str, str]]:
    """Each summary row's dimension values as a dict ({} for the total)."""
    return [parse_dimension_key(str(k)) for k in summary["dimensions"]]


def ordinal_summary(curve: IndicatorCurve) -> pd.DataFrame:
    """The curve's summary with history_through as an ordinal again (calc's terms)."""
    out = curve.summary.copy()
    out["history_through"] = [parse_period(p, curve.frequency).ordinal if p is not None
                              else np.nan for p in out["history_through"]]
    return out
