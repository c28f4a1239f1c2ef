"""Outliers: a new value far from its series' history must carry a note to be accepted.

Definition: the robust z-score of a value x against the series' stored values h (same
indicator and groups, other periods) is 0.6745 * (x - median(h)) / MAD(h), where
MAD(h) = median(|h - median(h)|) (Iglewicz and Hoaglin). A value is an outlier when
|z| > 3.5 and the history has at least 4 values with MAD > 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rba.ingest.records import ProblemList
from rba.messages import N_, Message
from rba.plan import SheetPlan

THRESHOLD = 3.5
MIN_HISTORY = 4
KEY = ["owner", "dimensions"]


def robust_z(values: pd.Series, median: pd.Series, mad: pd.Series) -> pd.Series:
    """Robust z-score of each value against its series' median and MAD (NaN when MAD is 0)."""
    return 0.6745 * (values - median) / mad.where(mad > 0)


def history_stats(existing: pd.DataFrame, exclude: pd.DataFrame) -> pd.DataFrame:
    """Median, MAD and count of each series' stored values, leaving out the periods in exclude."""
    history = existing.merge(exclude[["owner", "period", "dimensions"]].drop_duplicates(),
                             on=["owner", "period", "dimensions"], how="left", indicator=True)
    history = history[(history["_merge"] == "left_only") & history["value"].notna()]
    grouped = history.groupby(KEY)["value"]
    median = grouped.median().rename("median")
    deviation = (history["value"] - history.join(median, on=KEY)["median"]).abs()
    mad = deviation.groupby([history[k] for k in KEY]).median().rename("mad")
    return pd.concat([median, mad, grouped.size().rename("n")], axis=1).reset_index()


def flag_outliers(plan: SheetPlan, existing: pd.DataFrame, problems: ProblemList) -> None:
    """Mark outliers among added and changed values; reject those without a note."""
    frames = {n: f for n in ("added_frame", "changed_frame")
              if (f := getattr(plan, n)) is not None and len(f)}
    if not frames or existing.empty:
        for frame in frames.values():
            frame["outlier"] = False
        return
    stats = history_stats(existing, pd.concat(frames.values()))
    for name, frame in frames.items():
        joined = frame[["value", *KEY]].merge(stats, on=KEY, how="left")
        z = robust_z(joined["value"].astype(float), joined["median"], joined["mad"])
        outlier = ((z.abs() > THRESHOLD) & (joined["n"] >= MIN_HISTORY)).to_numpy()
        noted = frame["note"].notna().to_numpy() if "note" in frame else np.zeros(len(frame), bool)
        bad = outlier & ~noted
        for row, value, median, score in zip(frame.loc[bad, "_row"], frame.loc[bad, "value"],
                                             joined.loc[bad, "median"], z[bad], strict=True):
            mask = pd.Series(problems.raw.cells.index == row, index=problems.raw.cells.index)
            problems.cell(mask, "value", Message(
                N_("{value:g} is far from this series' history (median {median:g}, robust "
                   "z-score {score:.1f}): check it, or explain it in the note column to "
                   "accept it"), value=float(value), median=float(median), score=float(score)))
        plan.rejected += int(bad.sum())
        kept = frame[~bad].copy()
        kept["outlier"] = outlier[~bad]
        setattr(plan, name, kept)
