"""An indicator's curves: what `rba curve` prints and the indicator page draws, and the
agreement (freezing) of a baseline.

Every series of one indicator, or those matching a group, judged against its frozen
baseline where one was agreed, else against a forecast fitted now (rba.report.curves).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pandas as pd

# Holt's method loads statsmodels' smoothing module on first use: load it with the service,
# so a server pays at start, not on the first Holt view.
import statsmodels.tsa.holtwinters  # noqa: F401
from sqlalchemy.orm import Session

from rba.calc import METHODS, CurveInputs, frozen_baseline
from rba.dimensions import TOTAL_KEY, parse_dimension_key
from rba.messages import N_, Message
from rba.report.baselines import CANDIDATE_COLUMNS, candidate_flags
from rba.report.baselines import baseline_candidates as candidates_frame
from rba.report.charts import FONT, figure_json, turn_the_curve_spec
from rba.report.curves import (
    DEFAULT_METHOD,
    ROW_FIELDS,
    CurveError,
    IndicatorCurve,
    compute_indicator_curve,
    ordinal_summary,
    series_dimensions,
)
from rba.report.documents import curve_document, json_value
from rba.report.suppression import published_curve_rows
from rba.report.tables import curve_table, series_choices
from rba.store import baselines, catalogue, figures, stories
from rba.store.published import reads

#: Re-exported from rba.report for the front ends that show curves: ROW_FIELDS,
#: series_dimensions and json_value (the CLI's tables); FONT, curve_table, figure_json,
#: series_choices and turn_the_curve_spec (the pages' charts and tables).
__all__ = ["CANDIDATE_COLUMNS", "DEFAULT_METHOD", "FONT", "METHODS", "ROW_FIELDS", "CurveError",
           "IndicatorCurve", "IndicatorDetail", "baseline_candidates", "candidate_flags",
           "curve_document", "curve_table", "figure_json", "flagged_series", "freeze_baseline",
           "indicator_curve", "indicator_detail", "json_value", "public_curve",
           "series_choices", "series_dimensions", "turn_the_curve_spec"]


def indicator_curve(*, session: Session, code: str, where: dict[str, str] | None = None,
          baseline_through: str | None = None, method: str | Mapping[str, str] | None = None,
          level: float | None = None, all_levels: bool = False) -> IndicatorCurve:
    """The curves of indicator ``code`` for the series ``where`` names, and with
    ``all_levels`` its sub-series (see rba.report.curves.compute_indicator_curve); raises
    CurveError when they cannot be drawn."""
    declared = reads(session, catalogue).declared_dimensions(session=session, code=code)
    if declared is None:
        raise CurveError(Message(N_("no indicator {code!r}: `rba export` lists the indicators"),
                                 code=code))
    inputs = reads(session, figures).curve_inputs(session=session, codes=[code])
    return compute_indicator_curve(inputs, code=code, declared=declared, where=where,
                           baseline_through=baseline_through, method=method, level=level,
                           all_levels=all_levels)


def freeze_baseline(*, session: Session, code: str, through: str, actor: str,
                    where: dict[str, str] | None = None, method: str = DEFAULT_METHOD,
                    level: float = 0.95, note: str | None = None, source: str = "cli",
                    candidates: pd.DataFrame | None = None) -> int:
    """Store the forecast from history through period ``through`` as the agreed (frozen)
    baseline of each series of ``code`` within ``where`` (every level); audited as
    ``actor``. Returns how many baselines were stored.

    Refused (CurveError) without a ``note`` when a series is flagged (rba.report.baselines:
    its history ends in an unusual shock, or the method's forecast reaches 0 or 100):
    the team says why it agrees anyway. ``candidates`` is that comparison, when the caller
    has shown it already."""
    if candidates is None:
        candidates = baseline_candidates(session=session, code=code, through=through,
                                         where=where)
    flagged = flagged_series(candidates, method)
    if flagged and not (note or "").strip():
        raise CurveError(Message(N_(
            "{series}: flagged (a history ending in an unusual shock, or a forecast reaching "
            "0 or 100); look at the candidate methods and say in a note why the team agrees "
            "to this baseline"), series=flagged_words(flagged)))
    fitted = indicator_curve(session=session, code=code, where=where, baseline_through=through,
                   method=method, level=level, all_levels=True)
    points = frozen_baseline(fitted.rows, ordinal_summary(fitted))
    return len(baselines.freeze(session=session, code=code, points=points,
                                summary=fitted.summary, actor=actor, note=note,
                                source=source))


def flagged_words(keys: list[str]) -> Message | str:
    """Flagged groups as a reader names them: "the total", "city=Altadena" (as --where)."""
    groups = "; ".join(", ".join(f"{d}={v}" for d, v in parse_dimension_key(k).items())
                       for k in keys if k != TOTAL_KEY)
    if TOTAL_KEY not in keys:
        return groups
    return Message(N_("the total and {groups}"), groups=groups) if groups else Message(
        N_("the total"))


def flagged_series(candidates: pd.DataFrame, method: str = DEFAULT_METHOD) -> list[str]:
    """The groups (dimension keys) a team should look at before agreeing ``method``."""
    flags = candidate_flags(candidates, method)
    return [str(k) for k in flags.index[(flags["shock"] | flags["reaches_bound"]).to_numpy()]]


@dataclass(frozen=True)
class IndicatorDetail:
    """Everything the indicator page shows, read in one go."""

    #: The indicator's fields, plus result (code) and result_name.
    indicator: dict[str, Any]
    curve_inputs: CurveInputs
    #: Labels of dimensions and their values: dimension, value (None: the dimension), label.
    dimension_labels: pd.DataFrame
    #: The latest turn-the-curve record, or None when no team has written one.
    story: dict[str, Any] | None


def indicator_detail(*, session: Session, code: str, published_only: bool = True,
                     published_view: bool = False) -> IndicatorDetail | None:
    """The indicator with this code, its figures, labels and latest story; None if unknown
    (or, with ``published_only``, not published). On the public site, or with
    ``published_view`` (an embed), through the published view: final figures, and a story
    without who saved it."""
    def read(staff: ModuleType) -> Any:
        return reads(session, staff, published_view=published_view)

    record = read(catalogue).indicator_record(session=session, code=code,
                                              published_only=published_only)
    if record is None:
        return None
    return IndicatorDetail(
        indicator=record,
        curve_inputs=read(figures).curve_inputs(session=session, codes=[code]),
        dimension_labels=read(catalogue).dimension_labels(session=session),
        story=read(stories).latest_story(session=session, code=code),
    )


def public_curve(detail: IndicatorDetail, method: str | None, level: float | None,
                 only: str | None = None) -> dict[str, Any]:
    """The indicator's curves as a public page shows them, from what `indicator_detail`
    read (reads nothing itself): small groups and the cells that would reveal them
    withheld (rba.report.suppression.published_curve_rows).

    ``method``/``level`` None: the frozen baseline (a forecast fitted now where a series
    has none). ``only``: the one series a view draws; with a method given, only it is
    fitted that way (the others with the vectorised linear fit), and only it is returned.
    Small groups are withheld looking at every series either way. A curve that cannot be
    drawn comes back as {"error": why}.
    """
    ind = detail.indicator
    how: Any = {only: method} if only is not None and method is not None else method
    try:
        curve = compute_indicator_curve(detail.curve_inputs, code=ind["code"],
                                        declared=ind["dimensions"], method=how, level=level)
    except CurveError as error:
        return {"error": str(error)}
    rows = published_curve_rows(curve.rows, curve.summary, ind["unit"], ind["min_n"])
    summary = curve.summary
    if only is not None:
        rows = rows[(rows["series"] == only).to_numpy()].reset_index(drop=True)
        summary = summary[(summary["series"] == only).to_numpy()].reset_index(drop=True)
    return {"rows": rows, "summary": summary, "indicator": ind,
            "labels": detail.dimension_labels}


def baseline_candidates(*, session: Session, code: str, through: str,
                        where: dict[str, str] | None = None) -> pd.DataFrame:
    """Each candidate method's backtest error per series, auto's choice and the flags
    (rba.report.baselines), before a baseline of ``code`` through ``through`` is agreed."""
    declared = catalogue.declared_dimensions(session=session, code=code)
    if declared is None:
        raise CurveError(Message(N_("no indicator {code!r}: `rba export` lists the indicators"),
                                 code=code))
    inputs = figures.curve_inputs(session=session, codes=[code])
    return candidates_frame(inputs, code=code, declared=declared, through=through, where=where)
