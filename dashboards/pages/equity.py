"""Equity page: for every disaggregated indicator, each group's gap to the best group over
time and whether it is narrowing or widening (rba.report.equity).

Public: the report uses published figures only (small and complementary cells withheld
before any gap is computed), so neither a gap nor "the best group" reveals a withheld figure.
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboards.cache import cached
from dashboards.components import PARTNERSHIP, message
from dashboards.data import read_session
from dashboards.i18n import _
from dashboards.pages._common import TONES, frame_table, page_language, verdict_words
from rba.i18n import localized
from rba.report.charts import FONT
from rba.report.equity import EquityReport, display_trends, equity_report, label_map
from rba.report.format import series_label, unit_words
from rba.store.programs import dimension_label_table

EQUITY_PAGE = "equity-page"
EQUITY_EMPTY = "equity-empty"
#: Okabe-Ito colours for the groups' lines (with dashes, so colour is not the only cue).
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#F0E442")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
MAX_LINES = 8

dash.register_page(__name__, path="/equity", name="Equity", title=lambda **_q: (
    f"{_('Equity')} · {PARTNERSHIP}"))


def report() -> tuple[EquityReport, pd.DataFrame]:
    with read_session() as session:
        return cached(session, "equity_report", (), lambda: (
            equity_report(session=session), dimension_label_table(session=session)))


def gap_chart(report: EquityReport, code: str, names: dict[Any, str], lang: str,
              title: str) -> go.Figure:
    """Each group's gap to the best group over time (0 = the best group that period)."""
    gaps = report.gaps[report.gaps["indicator"] == code]
    trends = report.trends[report.trends["indicator"] == code]
    # The groups furthest behind first, so the chart shows those that matter most.
    order = trends.assign(_g=trends["gap_to_best"].abs()).sort_values(
        "_g", ascending=False)["series"].tolist()[:MAX_LINES]
    figure = go.Figure()
    for i, series in enumerate(order):
        rows = gaps[gaps["series"] == series].sort_values("ordinal")
        group = series_label(str(rows["dimensions"].iloc[0]), names, lang=lang)
        figure.add_trace(go.Scatter(
            x=rows["period"].astype(str).tolist(), y=rows["gap_to_best"].abs().tolist(),
            mode="lines+markers", name=group,
            line={"color": COLOURS[i % len(COLOURS)], "dash": DASHES[i % len(DASHES)]}))
    unit = report.indicators.set_index("indicator").loc[code]
    figure.update_layout(
        title={"text": title, "font": {"size": 14}, "x": 0}, template="plotly_white",
        font={"family": FONT, "size": 12}, height=300,
        margin={"l": 50, "r": 10, "t": 40, "b": 30},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        xaxis={"type": "category", "title": None},
        yaxis={"title": {"text": _("Gap to the best group ({unit})").format(
            unit=unit_words(unit["unit"], unit["per"], lang).lower())}, "rangemode": "tozero"})
    return figure


def indicator_block(report: EquityReport, table: pd.DataFrame, code: str,
                    names: dict[Any, str], lang: str) -> html.Section:
    info = report.indicators.set_index("indicator").loc[code]
    name = localized(info, "name", lang)
    mine = (report.trends["indicator"] == code).to_numpy()
    shown = table[mine].drop(columns=table.columns[0]).reset_index(drop=True)
    verdicts = report.trends.loc[mine, "verdict"].tolist()
    shown[shown.columns[-1]] = [verdict_words(v, lang) for v in verdicts]
    tones = {i: TONES.get(v, "") for i, v in enumerate(verdicts)}
    return html.Section([
        html.H2(dcc.Link(name, href=f"/indicators/{code}"), className="h5 mt-4"),
        dcc.Graph(figure=gap_chart(report, code, names, lang, name),
                  config={"displaylogo": False}, style={"height": "300px"}),
        frame_table(shown, numeric=tuple(shown.columns[2:5]), tones=tones),
    ], id=f"equity-{code}")


def layout(lang: str | None = None, **_query: str) -> html.Div:
    """Every disaggregated indicator's gaps and verdicts, read fresh (or from the cache)."""
    lang = page_language(lang)
    found, labels = report()
    header = [html.H1(_("Equity: gaps between groups"), className="h2"),
              html.P(_("For every indicator reported by group: how far each group is from "
                       "the best group, period by period, and whether that gap is narrowing "
                       "or widening over the last five periods. Groups too small to report "
                       "are left out."), className="text-body-secondary")]
    if found.trends.empty:
        return html.Div([*header, message(_("No groups to compare yet"), _(
            "No published indicator has figures by group."), component_id=EQUITY_EMPTY,
            link=True)], id=EQUITY_PAGE)
    table = display_trends(found, labels, lang)
    names = label_map(labels, lang)
    codes = [c for c in found.indicators["indicator"] if c in set(found.trends["indicator"])]
    legend = html.P(_("↘ narrowing: the gap to the best group is shrinking. ↗ widening: it "
                      "is growing. → steady. ? fewer than two periods."), className="small")
    return html.Div([*header, legend,
                     *[indicator_block(found, table, c, names, lang) for c in codes]],
                    id=EQUITY_PAGE)
