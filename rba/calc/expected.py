"""The range a new figure is expected in, from its own series' history: for the outlier check.

A new figure for period p of a series is judged against the figures stored before p:

- **forecast** (season and trend): where the last unbroken run of figures before p (one per
  period, no gap) holds at least AUTO_MIN_POINTS points and p is at most the judged horizon
  (rba.calc.backtest.judged_horizon) past its end, `auto` (rba.calc.backtest) is fitted on
  that run, exactly as the baseline's default method is, and the range is its prediction
  interval at ``level`` for p's step ahead.
- **history** (too short for a forecast): the range in which a figure's robust z-score
  against all the series' other stored figures is at most ROBUST_Z (median +/- ROBUST_Z *
  MAD / 0.6745, Iglewicz and Hoaglin), where there are at least MIN_HISTORY of them and
  their MAD is above 0.
- otherwise **none**: nothing to judge against; the figure is not checked.

One `auto` fit serves every new figure of a series that follows the same run, so the cost
is one backtest per series with new figures, all series at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rba.calc.backtest import auto_forecast, choose, judged_horizon
from rba.calc.smoothed import AUTO_MIN_POINTS
from rba.calc.smoothing import histories

#: The forecast interval's level: wide, so that about 1 plausible figure in 100 is questioned.
LEVEL = 0.99
ROBUST_Z = 3.5
MIN_HISTORY = 4
BASES = ("forecast", "history", "none")
EXPECTED_COLUMNS = ("expected", "lower", "upper", "basis", "first", "last", "points")


def _history_ranges(history: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Median +/- ROBUST_Z robust deviations of each series' history, per new figure."""
    grouped = history.groupby("series")["value"]
    median = grouped.transform("median")
    mad = (history["value"] - median).abs().groupby(history["series"]).median()
    stats = pd.DataFrame({"median": grouped.median(), "mad": mad, "n": grouped.size()})
    joined = new[["series"]].join(stats, on="series")
    usable = (joined["n"] >= MIN_HISTORY) & (joined["mad"] > 0)
    spread = ROBUST_Z * joined["mad"] / 0.6745
    return pd.DataFrame({"expected": joined["median"].where(usable),
                         "lower": (joined["median"] - spread).where(usable),
                         "upper": (joined["median"] + spread).where(usable),
                         "points": joined["n"].where(usable)}, index=new.index)


def _runs(history: pd.DataFrame) -> pd.DataFrame:
    """History sorted by series and ordinal, with the first ordinal of each point's run."""
    h = history.sort_values(["series", "ordinal"], kind="stable").reset_index(drop=True)
    ordinal = h["ordinal"].to_numpy()
    same = h["series"].to_numpy()[1:] == h["series"].to_numpy()[:-1]
    starts = np.concatenate([[True], ~(same & (np.diff(ordinal) == 1))])
    h["run_start"] = pd.Series(np.where(starts, ordinal, np.nan)).ffill().to_numpy(np.int64)
    return h


def _forecast_ranges(history: pd.DataFrame, new: pd.DataFrame, level: float) -> pd.DataFrame:
    """`auto`'s interval for each new figure whose run before it is long enough (NaN else)."""
    out = pd.DataFrame(np.nan, index=new.index, columns=["expected", "lower", "upper", "first",
                                                         "last", "points"])
    if history.empty or new.empty:
        return out
    h = _runs(history)
    # The last stored figure before each new one, and the start of its run.
    cases = new[["series", "ordinal", "periods_per_year"]].reset_index(names="_case")
    cases = cases.sort_values("ordinal", kind="stable")
    before = pd.merge_asof(cases, h[["series", "ordinal", "run_start"]].rename(
        columns={"ordinal": "last"}).sort_values("last", kind="stable"),
        left_on="ordinal", right_on="last", by="series", allow_exact_matches=False)
    before = before.dropna(subset=["last"])
    before["last"] = before["last"].astype(np.int64)
    before["run_start"] = before["run_start"].astype(np.int64)
    before["step"] = before["ordinal"] - before["last"]
    points = before["last"] - before["run_start"] + 1
    ppy = before["periods_per_year"].to_numpy(dtype=np.int64)
    fits = before[(points >= AUTO_MIN_POINTS).to_numpy()
                  & (before["step"].to_numpy() <= judged_horizon(ppy))]
    if fits.empty:
        return out
    keys = fits[["series", "last", "run_start", "periods_per_year"]].drop_duplicates(
        ["series", "last"]).reset_index(drop=True)
    keys["fit"] = np.arange(len(keys))
    # Every fit's run of points, in order: a fit shares its series' history rows.
    joined = keys.merge(h[["series", "ordinal", "value"]], on="series")
    joined = joined[(joined["ordinal"] >= joined["run_start"])
                    & (joined["ordinal"] <= joined["last"])]
    joined = joined.sort_values(["fit", "ordinal"], kind="stable")
    hist = histories(joined["fit"].to_numpy(), joined["value"].to_numpy(dtype=float),
                     len(keys), keys["periods_per_year"].to_numpy(dtype=np.int64))
    fits = fits.merge(keys[["series", "last", "fit"]], on=["series", "last"])
    horizon = int(fits["step"].max())
    choice = choose(hist)
    mean, half = auto_forecast(hist, choice, horizon, level)
    fit, step = fits["fit"].to_numpy(), fits["step"].to_numpy() - 1
    centre, width = mean[fit, step], half[fit, step]
    ok = np.isfinite(centre) & np.isfinite(width)
    index = fits["_case"].to_numpy()[ok]
    out.loc[index, "expected"] = centre[ok]
    out.loc[index, "lower"] = (centre - width)[ok]
    out.loc[index, "upper"] = (centre + width)[ok]
    out.loc[index, "first"] = fits["run_start"].to_numpy()[ok]
    out.loc[index, "last"] = fits["last"].to_numpy()[ok]
    out.loc[index, "points"] = hist.n[fit][ok]
    return out


def expected_ranges(history: pd.DataFrame, new: pd.DataFrame, level: float = LEVEL
                    ) -> pd.DataFrame:
    """The range each new figure is expected in, and what it rests on (see the module).

    ``history``: series, ordinal, value (the stored figures, without the new figures'
    periods). ``new``: series, ordinal, periods_per_year, one row per new figure. Returns,
    on new's index: expected (the centre), lower, upper, basis (BASES), first and last (the
    ordinals of the run a forecast was fitted on) and points (figures it rests on).
    """
    history = history[history["value"].notna()]
    forecast = _forecast_ranges(history, new, level)
    fallback = _history_ranges(history, new)
    by_forecast = forecast["lower"].notna()
    out = forecast.copy()
    for column in ("expected", "lower", "upper", "points"):
        out[column] = forecast[column].where(by_forecast, fallback[column])
    out["basis"] = np.where(by_forecast, "forecast",
                            np.where(fallback["lower"].notna(), "history", "none"))
    return out[list(EXPECTED_COLUMNS)]
