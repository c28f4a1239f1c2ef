"""Freezing baselines: the forecast points to store, in the shape `compute_curves` reads back."""

from __future__ import annotations

import numpy as np
import pandas as pd


def frozen_baseline(rows: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """The forecast points to store when freezing baselines, in the `frozen` input shape.

    One row per series and forecast period: series, ordinal, period, forecast, lower, upper
    (at the level), lower_80, upper_80 (the inner band), method, level,
    history_through_ordinal (pass it back as `frozen=` to judge against it).
    """
    meta = summary.set_index("series")[["method", "level", "history_through"]]
    meta = meta[meta["method"].notna().to_numpy()]
    through = rows["series"].map(meta["history_through"]).to_numpy(dtype=float)
    keep = rows["forecast"].notna().to_numpy() & (rows["ordinal"].to_numpy() > through)
    inner = [c for c in ("forecast_lower_80", "forecast_upper_80") if c in rows]
    out = rows.loc[keep, ["series", "ordinal", "period", "forecast", "forecast_lower",
                          "forecast_upper", *inner]].rename(columns={
        "forecast_lower": "lower", "forecast_upper": "upper",
        "forecast_lower_80": "lower_80", "forecast_upper_80": "upper_80"})
    out["method"] = out["series"].map(meta["method"]).to_numpy(dtype=object)
    out["level"] = out["series"].map(meta["level"]).to_numpy(dtype=float)
    out["history_through_ordinal"] = out["series"].map(meta["history_through"]).to_numpy(
        dtype=np.int64)
    for column in ("series", "period"):  # plain values, ready to store
        if isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype(object)
    return out.reset_index(drop=True)
