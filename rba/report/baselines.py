"""Agreeing a baseline: the candidate methods side by side, before anything is stored.

For each series of an indicator (or those within a group, at every level): every candidate method's
backtest MASE on the history through the chosen period (rba.calc.candidates), which one
`auto` chose, whether each method's forecast reaches the unit's bounds, and whether the
history ends in an unusual shock. Pure: curve inputs in, a frame out.
"""

from __future__ import annotations

import pandas as pd

from rba.calc import CurveInputs
from rba.calc.candidates import CANDIDATE_METHODS, candidate_backtests, shocks
from rba.periods import parse_period
from rba.report.curves import DEFAULT_METHOD, compute_indicator_curve, indicator_curves
from rba.report.scorecard import with_rolled_up_levels

CANDIDATE_COLUMNS = ["series", "dimensions", "method", "backtest_mase", "reaches_bound",
                     "chosen", "shock"]


def baseline_candidates(inputs: CurveInputs, *, code: str, declared: list[str],
                        through: str, where: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per series and candidate method (CANDIDATE_COLUMNS), the total first.

    ``chosen`` marks the method `auto` picks for the series; ``reaches_bound`` that the
    method's forecast (the line, not its interval) reaches 0, or 100 for a percent, within
    the horizon; ``shock`` that the series' history ends in an unusual step (the same on
    each of its rows).
    """
    auto = compute_indicator_curve(inputs, code=code, declared=declared, where=where,
                                   baseline_through=through, all_levels=True)
    series = auto.summary["series"].astype(str).tolist()
    end = parse_period(through, auto.frequency).ordinal  # valid: the curve above parsed it
    ends = dict.fromkeys(series, end)
    observations = with_rolled_up_levels(inputs.observations, inputs.indicators)
    observations = observations.assign(series=observations["series"].astype(str))
    observations = observations[observations["series"].isin(series).to_numpy()]
    scores = candidate_backtests(observations, inputs.indicators, ends)
    percent = str(inputs.indicators["unit"].iloc[0]) == "percent"
    bound = []
    for method in CANDIDATE_METHODS:  # one fit of every series per method
        rows, _ = indicator_curves(inputs, method=method, history_through=ends,
                                   use_frozen=False)
        ahead = rows[(rows["ordinal"].to_numpy() > end) & rows["forecast"].notna().to_numpy()]
        at_bound = (ahead["forecast"] <= 0) | ((ahead["forecast"] >= 100) & percent)
        reaches = at_bound.groupby(ahead["series"].astype(str).to_numpy()).any()
        bound.append(pd.DataFrame({"series": series, "method": method,
                                   "reaches_bound": reaches.reindex(series, fill_value=False)
                                   .to_numpy(dtype=bool)}))
    out = pd.concat(bound).merge(scores, on=["series", "method"], how="left")
    chosen = dict(zip(series, auto.summary["method"].astype(str), strict=True))
    out["chosen"] = out["method"].to_numpy() == out["series"].map(chosen).to_numpy()
    out["shock"] = out["series"].map(shocks(observations, ends)).fillna(False).astype(bool)
    out["dimensions"] = out["series"].map(
        dict(zip(series, auto.summary["dimensions"].astype(str), strict=True)))
    return out[CANDIDATE_COLUMNS].reset_index(drop=True)


def candidate_flags(candidates: pd.DataFrame, method: str = DEFAULT_METHOD) -> pd.DataFrame:
    """Per group (``dimensions``, in the candidates' order), what a team should look at
    before agreeing ``method`` (auto: the method auto chose for each group): ``shock``, the
    history ends in an unusual step; ``reaches_bound``, that method's forecast reaches 0
    or 100."""
    used = candidates["chosen"] if method == DEFAULT_METHOD else candidates["method"] == method
    by = candidates.assign(_bound=candidates["reaches_bound"] & used).groupby(
        "dimensions", sort=False)
    return pd.DataFrame({"shock": by["shock"].any(), "reaches_bound": by["_bound"].any()})
