"""Before a baseline is agreed: each candidate method's backtest error, side by side, and
what should make a team look twice (a forecast that reaches the unit's bounds, a history
that ends in an unusual shock).

Backtest: the same rolling-origin cuts as `auto` (rba.calc.backtest): the history is cut
ORIGINS times, keeping its first n - E, n - E - 1, ... figures (E the horizon a team judges,
shortened so every cut keeps MIN_TRAIN figures); each method, fitted on what comes before a
cut by `compute_curves` itself, forecasts the E figures after it. MASE = the mean absolute
error over every cut and step / the history's mean absolute seasonal difference (lag m, or
1 where the history is no longer than a season). A method is run once per cut over every
series at once; nothing loops over series.

Shock: the history's last step is unusual when it lies more than SHOCK_Z robust standard
deviations (1.4826 x the median absolute deviation of the earlier steps) from the earlier
steps' median, judged only where there are at least MIN_EARLIER_STEPS earlier steps (fewer
say too little about what is usual).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from rba.calc.backtest import MIN_TRAIN, ORIGINS, judged_horizon
from rba.calc.curves import compute_curves

#: The methods a team compares before agreeing a baseline (auto's choice among them shows).
CANDIDATE_METHODS = ("linear", "seasonal_naive", "ets", "theta", "ets_theta")
#: How many robust standard deviations from the usual step make the last step a shock.
SHOCK_Z = 3.5
#: Earlier steps a shock is judged against, at least.
MIN_EARLIER_STEPS = 4


def _history(observations: pd.DataFrame, indicators: pd.DataFrame,
             through: Mapping[str, int]) -> pd.DataFrame:
    """Each series' figures through its end of history, ranked, with its season."""
    obs = observations[observations["value"].notna().to_numpy()]
    end = obs["series"].map(pd.Series(through, dtype=float)).to_numpy(dtype=float)
    obs = obs[(obs["ordinal"].to_numpy() <= end)].sort_values(["series", "ordinal"])
    season = obs["indicator"].map(indicators.set_index("indicator")["periods_per_year"])
    return obs.assign(season=season.to_numpy(dtype=np.int64),
                      rank=obs.groupby("series").cumcount().to_numpy(),
                      n=obs.groupby("series")["ordinal"].transform("size").to_numpy())


def candidate_backtests(observations: pd.DataFrame, indicators: pd.DataFrame,
                        through: Mapping[str, int],
                        methods: Sequence[str] = CANDIDATE_METHODS) -> pd.DataFrame:
    """Backtest MASE per series and method (columns series, method, backtest_mase,
    judged): see the module's docstring. Series too short to cut have NaN."""
    hist = _history(observations, indicators, through)
    per = hist.drop_duplicates("series").set_index("series")
    room = per["n"] - MIN_TRAIN - (ORIGINS - 1)
    horizon = np.clip(np.minimum(judged_horizon(per["season"].to_numpy()), room), 0, None)
    horizon = pd.Series(horizon, index=per.index)
    h = hist["series"].map(horizon).to_numpy()
    usable = horizon[horizon > 0].index
    lag = np.where(hist["n"] > hist["season"], hist["season"], 1)
    before = pd.Series(np.nan, index=hist.index)
    for value in np.unique(lag):  # one pass per distinct lag (1, 4 or 12), not per series
        mine = lag == value
        before[mine] = hist[mine].groupby("series")["value"].shift(int(value))
    scale = (hist["value"] - before).abs().groupby(hist["series"]).mean()
    totals = {m: pd.Series(0.0, index=usable) for m in methods}
    count = pd.Series(0, index=usable)
    cut_rank = hist["n"].to_numpy() - h  # the first figure judged at origin 0
    for origin in range(ORIGINS):
        first = cut_rank - origin
        last_train = hist[(hist["rank"].to_numpy() == first - 1) & (h > 0)]
        cuts = dict(zip(last_train["series"], last_train["ordinal"], strict=True))
        judged = hist[(hist["rank"].to_numpy() >= first)
                      & (hist["rank"].to_numpy() < first + h) & (h > 0)]
        count = count.add(judged.groupby("series").size(), fill_value=0)
        train = observations[observations["series"].isin(usable)]
        for method in methods:
            rows, _ = compute_curves(train, indicators, method=method, history_through=cuts,
                                     roll_up_totals=False)
            forecast = judged[["series", "ordinal", "value"]].merge(
                rows[["series", "ordinal", "forecast"]].astype({"series": object}),
                on=["series", "ordinal"], how="left")
            error = (forecast["value"] - forecast["forecast"]).abs()
            totals[method] = totals[method].add(error.groupby(forecast["series"]).sum(),
                                                fill_value=0)
    out = []
    for method in methods:
        mase = totals[method] / count / scale.reindex(usable)
        out.append(pd.DataFrame({"series": per.index, "method": method,
                                 "backtest_mase": mase.reindex(per.index).to_numpy(),
                                 "judged": count.reindex(per.index).fillna(0).to_numpy(
                                     dtype=np.int64)}))
    return pd.concat(out, ignore_index=True)


def shocks(observations: pd.DataFrame, through: Mapping[str, int]) -> pd.Series:
    """Per series: does its history end in an unusual step? (see the module's docstring)"""
    obs = observations[observations["value"].notna().to_numpy()]
    end = obs["series"].map(pd.Series(through, dtype=float)).to_numpy(dtype=float)
    obs = obs[obs["ordinal"].to_numpy() <= end].sort_values(["series", "ordinal"])
    step = obs.groupby("series")["value"].diff()
    steps = pd.DataFrame({"series": obs["series"].to_numpy(), "step": step.to_numpy()}).dropna()
    last = steps.groupby("series")["step"].last()
    earlier = steps[steps.groupby("series").cumcount(ascending=False).to_numpy() > 0]
    median = earlier.groupby("series")["step"].median()
    mad = (earlier["step"] - earlier["series"].map(median)).abs().groupby(
        earlier["series"]).median()
    spread = 1.4826 * mad.reindex(last.index)
    enough = earlier.groupby("series").size().reindex(last.index, fill_value=0)
    spread = spread.where((spread > 0) & (enough >= MIN_EARLIER_STEPS))
    z = (last - median.reindex(last.index)).abs() / spread
    return (z > SHOCK_Z).reindex(obs["series"].unique(), fill_value=False)
