"""The annual report card (rba.report.report_card): read, computed and written as HTML or
PDF, the same for `rba report-card` and the dashboard's /report-card/YEAR.

Only published indicators, final figures of periods ending by 31 December of the year,
small groups suppressed (as every public page: rba.services.scorecard.public_inputs), and
no person's name or e-mail (stories are credited to their result team). A public document
on every site: it reads only the published view (rba.store.published), so the staff site
and the public site serve the same report card.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
from sqlalchemy.orm import Session

from rba.calc import CurveInputs
from rba.periods import period_end_dates
from rba.report import equity
from rba.report import scorecard as scorecard_report
from rba.report.alignment import contributions
from rba.report.curves import indicator_curves
from rba.report.report_card import (
    ReportCard,
    ReportCardError,
    ReportCardFrames,
    figures_of_year,
    final_years,
    fullest_year,
    in_year,
    latest_entry,
    no_figures,
    report_card,
    year_end,
)
from rba.report.report_card_html import report_card_html
from rba.services.scorecard import display_order, one_unit
from rba.store import published

__all__ = ["ReportCard", "ReportCardError", "report_card_document", "report_card_html_text",
           "report_card_pdf", "report_card_year"]

#: Days after a period ends before its figures are overdue (the scorecard's default).
LAG_DAYS = 120


def _only(inputs: CurveInputs, codes: list[str], totals: bool = False) -> CurveInputs:
    """The inputs of these indicators only (with ``totals``, of their total series)."""
    obs = inputs.observations
    keep = obs["indicator"].isin(codes).to_numpy().copy()
    if totals:
        keep &= (obs["dimensions"] == "{}").to_numpy()
    shown = obs.loc[keep, "series"].unique()
    return dataclasses.replace(
        inputs, observations=obs[keep].reset_index(drop=True),
        indicators=inputs.indicators[inputs.indicators["indicator"].isin(codes).to_numpy()],
        frozen=inputs.frozen[inputs.frozen["series"].isin(shown).to_numpy()],
        targets=inputs.targets[inputs.targets["series"].isin(shown).to_numpy()])


def _better_off(session: Session, year: int, reference: dt.date) -> pd.DataFrame:
    """The "Is anyone better off?" measures of the programs aligned with each result, with
    their year's final figures: result, program_name(_es), name(_es), unit, per, frequency,
    polarity, latest_value, latest_period, trend_direction, trend_periods."""
    links = contributions(published.program_results_frame(session=session),
                          published.program_indicators_frame(session=session))
    measures = published.measures_frame(session=session)
    measures = measures[(measures["kind"] == "better_off").to_numpy()]
    codes = measures["measure"].tolist()
    inputs = figures_of_year(
        published.curve_inputs(session=session, codes=codes, owner="measure"),
        published.figure_status(session=session, codes=codes, owner="measure"), year)
    summary = scorecard_report.scorecard(inputs, today=reference, order=codes,
                                         lag_days=LAG_DAYS)
    summary = summary[(summary["dimensions"] == "{}").to_numpy()]
    names = published.programs_frame(session=session).set_index("program")
    out = measures.merge(summary[["indicator", "latest_value", "latest_period",
                                  "trend_direction", "trend_periods"]].rename(
        columns={"indicator": "measure"}), on="measure", how="left")
    out["program_name"] = out["program"].map(names["name"])
    out["program_name_es"] = out["program"].map(names["name_es"])
    out = links[["program", "result"]].drop_duplicates().merge(out, on="program")
    return out.reset_index(drop=True)


def report_card_year(*, session: Session) -> int | None:
    """The year whose report card to offer first: the latest in which the most headline
    indicators have a final figure (None while there is none)."""
    table = published.indicator_table(session=session)
    codes = table.loc[(table["kind"] == "headline").to_numpy(), "indicator"].tolist()
    return fullest_year(published.curve_inputs(session=session, codes=codes),
                        published.figure_status(session=session, codes=codes))


def report_card_document(*, session: Session, year: int, lang: str = "en",
                         today: dt.date | None = None) -> ReportCard:
    """The report card of ``year`` in a language; ReportCardError when the year has no
    final figures of published indicators. ``today`` (default: the date now) is when
    figures are judged overdue, if before the end of the year."""
    reference = min(today or dt.date.today(), year_end(year))
    table = published.indicator_table(session=session)
    codes = table["indicator"].tolist()
    status = published.figure_status(session=session, codes=codes)
    everything = published.curve_inputs(session=session, codes=codes)
    cut = figures_of_year(everything, status, year)
    frequency = cut.observations["indicator"].map(
        cut.indicators.set_index("indicator")["frequency"])
    if not in_year(cut.observations["period"], frequency, year).any():
        raise no_figures(year, final_years(everything, status))
    public = one_unit(scorecard_report.published_inputs(cut, table))
    headline = table.loc[(table["kind"] == "headline").to_numpy(), "indicator"].tolist()
    totals = _only(public, headline, totals=True)
    summary = scorecard_report.scorecard(totals, today=reference,
                                         order=display_order(session=session,
                                                             published_view=True),
                                         lag_days=LAG_DAYS)
    summary["series"] = summary["indicator"] + ":" + summary["dimensions"]
    summary = summary.merge(table[["indicator", "name", "name_es", "unit", "per", "polarity",
                                   "frequency"]], on="indicator", how="left")
    rows, _summary = indicator_curves(totals)
    row_frequency = rows["series"].str.split(":", n=1).str[0].map(
        table.set_index("indicator")["frequency"])
    if len(rows):
        ends = period_end_dates(rows["period"].astype(str),
                                                 row_frequency.astype(str))
        rows = rows[(ends <= pd.Timestamp(year_end(year))).to_numpy()]
    grouped = equity.disaggregated_indicators(table, published.indicators_with_groups(
        session=session))
    grouped = grouped[grouped["indicator"].isin(headline).to_numpy()]
    gaps = (equity.equity_report(_only(cut, grouped["indicator"].tolist()), grouped).trends
            if len(grouped) else pd.DataFrame(columns=equity.TREND_COLUMNS))
    frames = ReportCardFrames(
        year=year, summary=summary, rows=rows.reset_index(drop=True),
        results=published.result_descriptions(session=session),
        definitions=published.indicator_definitions(session=session),
        stories=published.latest_stories(session=session), gaps=gaps,
        labels=published.dimension_labels(session=session),
        better_off=_better_off(session, year, reference),
        as_of=latest_entry(cut, status))
    return report_card(frames, lang)


def report_card_html_text(*, session: Session, year: int, lang: str = "en",
                          today: dt.date | None = None) -> str:
    """The report card as one self-contained HTML page."""
    return report_card_html(report_card_document(session=session, year=year, lang=lang,
                                                 today=today))


def _no_fetching(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """WeasyPrint's fetcher for a self-contained page: data: URLs only, never the network."""
    if not url.startswith("data:"):
        raise ValueError(f"the report card fetches nothing: {url[:60]}")
    from weasyprint.urls import default_url_fetcher

    return default_url_fetcher(url)  # type: ignore[no-any-return]


def report_card_pdf(html: str) -> bytes:
    """The report card page printed as PDF (WeasyPrint): page size, numbers and breaks as
    its print styles say."""
    import weasyprint  # loaded when a PDF is asked for: it brings pango

    return weasyprint.HTML(string=html, url_fetcher=_no_fetching).write_pdf()  # type: ignore[no-any-return]
