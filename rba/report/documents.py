"""The figures as JSON-ready documents: an indicator's curves and the scorecard, as
`rba curve --format json` and `rba scorecard --format json` print them (public interfaces:
keep them exact)."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from rba.i18n import note_words
from rba.report.curves import ROW_FIELDS, IndicatorCurve, series_dimensions


def json_value(value: Any) -> Any:
    """A JSON-safe scalar: NaN, NA and infinities as None, numpy numbers as Python numbers."""
    if value is None:
        return None
    try:
        if value != value:  # NaN, pd.NA raise or compare unequal
            return None
    except TypeError:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isinf(value):
        return None
    return value


def curve_document(curve: IndicatorCurve) -> dict[str, Any]:
    """The `rba curve --format json` document: each series' rows and summary."""
    series = []
    for (_, s), dims in zip(curve.summary.iterrows(), series_dimensions(curve.summary),
                            strict=True):
        rows = curve.rows[curve.rows["series"] == s["series"]]
        series.append({
            "dimensions": dims, "verdict": json_value(s["verdict"]),
            "verdict_basis": json_value(s["verdict_basis"]),
            "verdict_period": json_value(s["verdict_period"]),
            "verdict_periods": json_value(s["verdict_periods"]),
            "method": json_value(s["method"]), "backtest_mase": json_value(s["backtest_mase"]),
            "level": json_value(s["level"]),
            "history_through": json_value(s["history_through"]),
            "notes": note_words(s["notes"] or ()),
            "rows": [{"period": r["period"], **{f: json_value(r[f]) for f in ROW_FIELDS}}
                     for r in rows.to_dict("records")],
            "summary": {
                "latest_period": json_value(s["latest_period"]),
                "latest_value": json_value(s["latest_value"]),
                "current_trend": {"direction": json_value(s["trend_direction"]),
                                  "periods": json_value(s["trend_periods"])},
                "baseline_value": json_value(s["baseline_value"]),
                "baseline_pct_change": json_value(s["baseline_pct_change"]),
                "variance_from_target": json_value(s["variance_from_target"]),
                "progress_status": json_value(s["progress_status"]),
                "progress_method": json_value(s["progress_method"]),
            },
        })
    return {"indicator": curve.indicator, "series": series}


def scorecard_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The scorecard's rows as the `rba scorecard --format json` records."""
    return [{k: (json.loads(v) if k == "dimensions" else note_words(v) if k == "notes"
                 else json_value(v)) for k, v in r.items()}
            for r in frame.to_dict("records")]


def scorecard_csv(frame: pd.DataFrame) -> str:
    """The scorecard as the `rba scorecard --format csv` text (notes joined by "; ")."""
    frame = frame.assign(notes=frame["notes"].map(lambda n: "; ".join(note_words(n or ()))))
    return frame.to_csv(index=False, lineterminator="\n")
