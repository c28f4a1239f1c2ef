"""Freshness: which period each series expects next, and whether it is overdue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from rba.calc.series import require_columns

PeriodEnd = Callable[[str, np.ndarray], object]


def freshness(summary: pd.DataFrame, period_end: PeriodEnd, today: date | pd.Timestamp,
              lag_days: int = 120) -> pd.DataFrame:
    """Per series: the next expected period (ordinal), its due date and whether it is overdue.

    The next period is the latest period with a value plus one. It is due `lag_days` after
    that period ends; `period_end(frequency, ordinals)` gives the end dates (called once per
    frequency with an array of ordinals) and `today` is passed in, never read from a clock.
    Series without any value have no expected period (overdue is NA).
    """
    require_columns(summary, "summary", ("series", "frequency", "latest_period"))
    latest = summary["latest_period"].to_numpy(dtype=float)
    known = ~np.isnan(latest)
    next_ordinal = np.where(known, latest + 1, np.nan)
    ends = pd.Series(pd.NaT, index=summary.index, dtype="datetime64[ns]")
    freq = summary["frequency"].to_numpy(dtype=object)
    for f in pd.unique(freq[known]):
        these = known & (freq == f)
        ordinals = next_ordinal[these].astype(np.int64)
        ends[these] = pd.to_datetime(pd.Series(np.asarray(period_end(f, ordinals)))).to_numpy()
    due = ends + pd.Timedelta(days=lag_days)
    now = pd.Timestamp(today)
    days = (now - due).dt.days
    return pd.DataFrame({
        "series": summary["series"].to_numpy(), "frequency": freq,
        "latest_period": latest,
        "next_expected_period": pd.array(np.where(known, next_ordinal, np.nan), dtype="Int64"),
        "next_period_end": ends.to_numpy(), "due_by": due.to_numpy(),
        "overdue": pd.array(np.where(known, (due < now).to_numpy(), None), dtype="boolean"),
        "days_overdue": pd.array(np.where(known, np.maximum(days.to_numpy(dtype=float,
                                                                       na_value=np.nan), 0),
                                          np.nan), dtype="Int64"),
    })
