"""The range a new figure is expected in, from its own series' history: for the outlier check.

A new figure for period p of a series is judged against the figures stored before p:

- **forecast** (season and trend): where the last unbroken run of figures before p (one per
  period, no gap) holds at least AUTO_MIN_POINTS points and p is at most the judged horizon
  (rba.calc.backtest.judged_horizon) past its end, `auto` (rba.calc.backtest) is fitted on
  that run, exactly as the baseline's default method is, and the range is its prediction
  interval at ``level`` for p's step ahead.
- **trend** (too short or broken for that, as `auto` falls back in the baseline): the
  `linear` method's prediction interval at ``level`` (OLS of value on period over every
  figure before p, rba.calc.forecast.predicted), where there are at least
  MIN_POINTS_FOR_INTERVAL of them. With few points the interval is wide (Student t with
  n - 2 degrees of freedom), so a short history questions only a figure far off its line.
- otherwise **none**: nothing to judge against; the figure is not checked.

One fit serves every new figure of a series that follows the same stored figure, so the
cost is one backtest per series with new figures, all series at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rba.calc.backtest import auto_forecast, choose, judged_horizon
from rba.calc.forecast import LINEAR, MIN_POINTS_FOR_INTERVAL, fitted_history, predicted
from rba.calc.smoothed import AUTO_MIN_POINTS
from rba.calc.smoothing import histories

#: The forecast interval's level: wide, so that about 1 plausible figure in 100 is questioned.
LEVEL = 0.99
BASES = ("forecast", "trend", "none")
EXPECTED_COLUMNS = ("expected", "lower", "upper", "basis", "first", "last", "points")


def _runs(history: pd.DataFrame) -> pd.DataFrame:
    """History sorted by series and ordinal, with the first ordinal of each point's run."""
    h = history.sort_values(["series", "ordinal"], kind="stable").reset_index(drop=True)
    ordinal = h["ordinal"].to_numpy()
    same = h["series"].to_numpy()[1:] == h["series"].to_numpy()[:-1]
    starts = np.concatenate([[True], ~(same & (np.diff(ordinal) == 1))])
    h["run_start"] = pd.Series(np.where(starts, ordinal, np.nan)).ffill().to_numpy(np.int64)
    return h


def _cases(h: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Each new figure (by ``case``, its position in new) with the last stored figure before
    it (``last``), the start of that figure's run and the step from it; figures with no
    stored figure before them are left out."""
    cases = new[["series", "ordinal", "periods_per_year"]].assign(case=np.arange(len(new)))
    cases = cases.sort_values("ordinal", kind="stable")
    before = pd.merge_asof(cases, h[["series", "ordinal", "run_start"]].rename(
        columns={"ordinal": "last"}).sort_values("last", kind="stable"),
        left_on="ordinal", right_on="last", by="series", allow_exact_matches=False)
    before = before.dropna(subset=["last"]).astype({"last": np.int64, "run_start": np.int64})
    before["step"] = before["ordinal"] - before["last"]
    return before


def _fits(cases: pd.DataFrame, h: pd.DataFrame, since_run: bool
          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One fit per (series, last) among the cases, numbered ``fit``, and its points in
    order (fit, ordinal, value): the run before ``last``, or every figure up to it."""
    keys = cases[["series", "last", "run_start", "periods_per_year"]].drop_duplicates(
        ["series", "last"]).reset_index(drop=True)
    keys["fit"] = np.arange(len(keys))
    points = keys.merge(h[["series", "ordinal", "value"]], on="series")
    first = points["run_start"] if since_run else points["ordinal"].min()
    points = points[(points["ordinal"] >= first) & (points["ordinal"] <= points["last"])]
    points = points.sort_values(["fit", "ordinal"], kind="stable")
    return cases.merge(keys[["series", "last", "fit"]], on=["series", "last"]), points


def _forecast_ranges(cases: pd.DataFrame, h: pd.DataFrame, level: float) -> pd.DataFrame:
    """`auto`'s interval for the cases whose run before them is long enough (by case)."""
    ppy = cases["periods_per_year"].to_numpy(dtype=np.int64)
    points = cases["last"] - cases["run_start"] + 1
    cases = cases[(points >= AUTO_MIN_POINTS).to_numpy()
                  & (cases["step"].to_numpy() <= judged_horizon(ppy))]
    if cases.empty:
        return pd.DataFrame(columns=["expected", "lower", "upper", "first", "points"])
    cases, runs = _fits(cases, h, since_run=True)
    n_fits = int(cases["fit"].max()) + 1
    season = cases.drop_duplicates("fit").sort_values("fit")["periods_per_year"]
    hist = histories(runs["fit"].to_numpy(), runs["value"].to_numpy(dtype=float), n_fits,
                     season.to_numpy(dtype=np.int64))
    mean, (half,) = auto_forecast(hist, choose(hist), int(cases["step"].max()), (level,))
    fit, step = cases["fit"].to_numpy(), cases["step"].to_numpy() - 1
    centre, width = mean[fit, step], half[fit, step]
    out = pd.DataFrame({"expected": centre, "lower": centre - width, "upper": centre + width,
                        "first": cases["run_start"].to_numpy(), "points": hist.n[fit]},
                       index=cases["case"].to_numpy())
    return out[np.isfinite(width)]


def _trend_ranges(cases: pd.DataFrame, h: pd.DataFrame, level: float) -> pd.DataFrame:
    """`linear`'s interval from every figure before each case (by case)."""
    if cases.empty:
        return pd.DataFrame(columns=["expected", "lower", "upper", "first", "points"])
    cases, points = _fits(cases, h, since_run=False)
    n_fits = int(cases["fit"].max()) + 1
    origin = float(points["ordinal"].min()) if len(points) else 0.0
    fit = fitted_history(points["fit"].to_numpy(), points["ordinal"].to_numpy() - origin,
                         points["value"].to_numpy(dtype=float),
                         np.full(n_fits, LINEAR, dtype=np.int8))
    code = cases["fit"].to_numpy()
    mean, [(lower, upper)] = predicted(fit, code, cases["ordinal"].to_numpy() - origin,
                                       (level,))
    first = points.groupby("fit")["ordinal"].min().reindex(range(n_fits)).to_numpy()
    out = pd.DataFrame({"expected": mean, "lower": lower, "upper": upper,
                        "first": first[code], "points": fit.n[code]},
                       index=cases["case"].to_numpy())
    return out[(fit.n[code] >= MIN_POINTS_FOR_INTERVAL) & np.isfinite(upper)]


def expected_ranges(history: pd.DataFrame, new: pd.DataFrame, level: float = LEVEL
                    ) -> pd.DataFrame:
    """The range each new figure is expected in, and what it rests on (see the module).

    ``history``: series, ordinal, value (the stored figures, without the new figures'
    periods). ``new``: series, ordinal, periods_per_year, one row per new figure. Returns,
    on new's index: expected (the centre), lower, upper, basis (BASES), first and last (the
    ordinals of the figures the range was fitted on) and points (how many).
    """
    out = pd.DataFrame({"expected": np.nan, "lower": np.nan, "upper": np.nan,
                        "basis": "none", "first": np.nan, "last": np.nan, "points": np.nan},
                       index=pd.RangeIndex(len(new)))
    history = history[history["value"].notna()]
    if len(history) and len(new):
        h = _runs(history)
        cases = _cases(h, new)
        forecast = _forecast_ranges(cases, h, level)
        trend = _trend_ranges(cases[~cases["case"].isin(forecast.index)], h, level)
        for basis, ranges in (("forecast", forecast), ("trend", trend)):
            columns = ["expected", "lower", "upper", "first", "points"]
            out.loc[ranges.index, columns] = ranges[columns].to_numpy(dtype=float)
            out.loc[ranges.index, "basis"] = basis
        known = out["basis"] != "none"
        last = cases.set_index("case")["last"]
        out.loc[known, "last"] = last.reindex(out.index[known]).to_numpy(dtype=float)
    out.index = new.index
    return out[list(EXPECTED_COLUMNS)]
