"""Impact score: how a result's headline indicators are doing, on a 0-100 scale."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rba.calc.series import polarity_sign, require_columns

OVERALL = "overall"
#: The verdicts counted per result (rba.calc.verdict).
VERDICT_COUNTS = ("better_than_baseline", "on_baseline", "worse_than_baseline")


def impact_scores(summary: pd.DataFrame, trend_weight: float = 0.6,
                  baseline_weight: float = 0.4) -> pd.DataFrame:
    """Impact score per result and overall, from the `compute_curves` summary.

    Counts each headline indicator's total series ("{}"). impact_score = 100 x
    (0.6 x share trending improving or flat + 0.4 x share at or better than baseline value),
    where a share leaves out series it cannot judge (trend none; no latest or baseline
    value); NaN when a share has no series to judge. One row per result, then "overall"
    over all headline series together, each with how many of its headline series are
    doing better than, on and worse than their baseline (their verdict, rba.calc.verdict).
    """
    require_columns(summary, "summary", ("result", "kind", "dimensions", "polarity",
                                         "trend_direction", "latest_value", "baseline_value"))
    head = summary[(summary["kind"] == "headline").to_numpy()
                   & (summary["dimensions"] == "{}").to_numpy()]
    direction = head["trend_direction"].astype(object).to_numpy()
    verdict = (head["verdict"].astype(object).to_numpy() if "verdict" in head
               else np.full(len(head), None, dtype=object))
    latest = head["latest_value"].to_numpy(dtype=float)
    base = head["baseline_value"].to_numpy(dtype=float)
    sign = polarity_sign(head["polarity"].to_numpy())
    judged = ~np.isnan(latest) & ~np.isnan(base)
    frame = pd.DataFrame({
        "result": head["result"].to_numpy(dtype=object),
        "trend_judged": np.isin(direction, ("improving", "worsening", "flat")),
        "trend_ok": np.isin(direction, ("improving", "flat")),
        "baseline_judged": judged,
        "baseline_ok": judged & (sign * (latest - base) >= 0),
        **{code: (verdict == code) for code in VERDICT_COUNTS},
    })
    per_result = frame.groupby("result", sort=True).sum()
    overall = frame.drop(columns="result").sum().to_frame(OVERALL).T
    counts = pd.concat([per_result, overall])
    out = pd.DataFrame({
        "result": counts.index.to_numpy(dtype=object),
        "headline_series": (frame.groupby("result").size().reindex(counts.index)
                            .fillna(len(frame)).to_numpy(dtype=np.int64)),
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        trend_share = counts["trend_ok"].to_numpy(float) / counts["trend_judged"].to_numpy(float)
        base_share = (counts["baseline_ok"].to_numpy(float)
                      / counts["baseline_judged"].to_numpy(float))
    for code in VERDICT_COUNTS:
        out[code] = counts[code].to_numpy(dtype=np.int64)
    out["trend_share"] = trend_share
    out["baseline_share"] = base_share
    out["impact_score"] = 100.0 * (trend_weight * trend_share + baseline_weight * base_share)
    return out
