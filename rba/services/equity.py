"""Equity: for every disaggregated, published indicator, how far each group is from the
total and from the best group, period by period, and whether that gap is narrowing
(rba.report.equity); only what may be published is used."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from rba.report import equity as report
from rba.report.charts import FONT
from rba.report.equity import EquityReport, display_trends, gap_size
from rba.store import catalogue, figures
from rba.store.published import reads

#: FONT: the charts' font, for the gap chart the equity page draws.
__all__ = ["FONT", "EquityReport", "disaggregated_indicators", "display_trends",
           "equity_report", "equity_results", "gap_size"]


def disaggregated_indicators(*, session: Session) -> pd.DataFrame:
    """Published indicators declared by group that have figures by group, in display order
    (columns: rba.store.catalogue.indicator_table's)."""
    return report.disaggregated_indicators(
        reads(session, catalogue).indicator_table(session=session),
        reads(session, catalogue).indicators_with_groups(session=session))


def equity_results(*, session: Session, disaggregated: pd.DataFrame | None = None
                   ) -> pd.DataFrame:
    """The results that have indicators reported by group, in display order, with how many
    (rba.report.equity.equity_results). Cheap: nothing is computed. ``disaggregated`` is
    disaggregated_indicators' frame, when the caller has it already."""
    found = disaggregated if disaggregated is not None else disaggregated_indicators(
        session=session)
    return report.equity_results(found, reads(session, catalogue).result_table(session=session))


def equity_report(*, session: Session, last_n: int = 5, result: str | None = None,
                  indicators: list[str] | None = None) -> EquityReport:
    """The equity report of the published, disaggregated indicators in the store.

    With ``result`` (a result's code) and/or ``indicators`` (codes), of those indicators
    only: the same figures and verdicts as the whole report has for them, for a fraction
    of the work.
    """
    disaggregated = disaggregated_indicators(session=session)
    if result is not None:
        disaggregated = disaggregated[disaggregated["result"] == result]
    if indicators is not None:
        disaggregated = disaggregated[disaggregated["indicator"].isin(indicators)]
    inputs = reads(session, figures).curve_inputs(session=session,
                                                  codes=disaggregated["indicator"].tolist())
    return report.equity_report(inputs, disaggregated, last_n=last_n)
