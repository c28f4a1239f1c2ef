"""Equity page: one result at a time, each disaggregated indicator's gap to the best group
over time and whether it is narrowing or widening (rba.report.equity).

Public: the report uses published figures only (small and complementary cells withheld
before any gap is computed), so neither a gap nor "the best group" reveals a withheld figure.

A store can hold thousands of disaggregated indicators, far too many to draw at once, so
the page shows one result's: a picker lists the results that have any (with how many),
``?result=CODE`` chooses one (default: the first), and choosing another changes the
address, so a view can be bookmarked, shared and left with Back. A result with more than
PAGE_SIZE such indicators is shown PAGE_SIZE at a time (``?page=N``, with links to the
others); only the indicators shown are computed and drawn.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dashboards import ids
from dashboards.auth import PUBLIC, secure_callback
from dashboards.cache import cached
from dashboards.components.equity_gaps import indicator_block
from dashboards.components.page_meta import PREVIEW_IMAGE, described, titled
from dashboards.components.results import result_icon
from dashboards.components.shell import message
from dashboards.data import read_session
from dashboards.i18n import N_, _, ngettext, use_language
from rba.i18n import label_map, localized
from rba.services.catalogue import dimension_labels
from rba.services.equity import (
    EquityReport,
    disaggregated_indicators,
    display_trends,
    equity_report,
    equity_results,
)

#: Indicators drawn at once: each is a chart and a table of up to dozens of groups.
PAGE_SIZE = 10

EQUITY_DESCRIPTION = N_("How far each group is from the best group, period by period, and "
                        "whether that gap is narrowing or widening.")
dash.register_page(__name__, path="/equity", name="Equity", title=lambda **_q: (
    titled(_("Equity: gaps between groups"))), description=described(EQUITY_DESCRIPTION),
                   image=PREVIEW_IMAGE)


def results() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The results with indicators by group and those indicators (rba.report.equity), cached."""
    with read_session() as session:
        def compute() -> tuple[pd.DataFrame, pd.DataFrame]:
            indicators = disaggregated_indicators(session=session)
            return equity_results(session=session, disaggregated=indicators), indicators
        return cached(session, "equity_results", (), compute)


def report(codes: tuple[str, ...]) -> tuple[EquityReport, pd.DataFrame]:
    """The equity report of these indicators and the group labels, cached."""
    with read_session() as session:
        return cached(session, "equity_report", codes, lambda: (
            equity_report(session=session, indicators=list(codes)),
            dimension_labels(session=session)))


def page_number(text: Any, pages: int) -> int:
    """The page asked for (?page=N), within 1..pages; 1 when unreadable."""
    try:
        number = int(str(text))
    except ValueError:
        return 1
    return min(max(number, 1), max(pages, 1))


def result_search(code: Any, search: str | None) -> Any:
    """The address query that shows result ``code``: other values (e.g. lang) kept.

    dash.no_update when nothing is chosen or the address already shows that result.
    """
    query = dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=True))
    if not isinstance(code, str) or not code or query.get("result") == code:
        return dash.no_update
    query.pop("page", None)  # another result starts at its first page
    query["result"] = code
    return "?" + urlencode(query)


@secure_callback(PUBLIC, Output(ids.EQUITY_LOCATION, "search"), Input(ids.EQUITY_RESULT, "value"),
                 State(ids.EQUITY_LOCATION, "search"), prevent_initial_call=True)
def choose_result(code: Any, search: str | None) -> Any:
    """Go to the chosen result's equity page (the page is drawn again for that result)."""
    return result_search(code, search)


def result_options(choices: pd.DataFrame, lang: str) -> list[dict[str, str]]:
    """The picker's options: each result's number, name and how many indicators it has."""
    return [{"label": ngettext("{number}. {name} ({n} indicator by group)",
                               "{number}. {name} ({n} indicators by group)",
                               int(r["indicators"])).format(
                 number=int(r["number"]), name=localized(r, "name", lang),
                 n=int(r["indicators"])),
             "value": str(r["result"])} for r in choices.to_dict("records")]


def picker(choices: pd.DataFrame, code: str, lang: str) -> html.Div:
    """The result picker, with a visible label, and the address it keeps up to date."""
    return html.Div([
        dbc.Label(_("Result"), html_for=ids.EQUITY_RESULT, className="fw-semibold"),
        dcc.Dropdown(id=ids.EQUITY_RESULT, options=result_options(choices, lang), value=code,
                     clearable=False, searchable=False),
        dcc.Location(id=ids.EQUITY_LOCATION, refresh="callback-nav"),
    ], className="mb-3 no-print equity-picker")



def shown_words(first: int, last: int, total: int) -> str:
    """Which of a result's indicators a page shows: "Indicators 11–20 of 260"."""
    if first == last:
        return _("Indicator {first} of {n}").format(first=first, n=total)
    return _("Indicators {first}–{last} of {n}").format(first=first, last=last, n=total)


def pager(code: str, page: int, pages: int, total: int, lang: str,
          component_id: str = ids.EQUITY_PAGER) -> html.Nav:
    """Links to the other pages of a result's indicators: first, previous, nearby, next, last."""
    near = sorted({1, pages, *range(max(page - 2, 1), min(page + 2, pages) + 1)})
    href = f"/equity?{urlencode({'result': code, 'lang': lang})}&page="

    def item(words: Any, number: int, label: str, current: bool = False) -> html.Li:
        if current:
            return html.Li(html.Span(words, className="page-link",
                                     **{"aria-current": "page"}), className="page-item active")
        return html.Li(dcc.Link(words, href=f"{href}{number}", className="page-link",
                                title=label), className="page-item")

    items: list[Any] = []
    if page > 1:
        items.append(item("‹", page - 1, _("Previous page")))
    for before, number in zip([0, *near], near, strict=False):
        if number - before > 1:
            items.append(html.Li(html.Span("…", className="page-link"),
                                 className="page-item disabled"))
        items.append(item(str(number), number, _("Page {n}").format(n=number),
                          number == page))
    if page < pages:
        items.append(item("›", page + 1, _("Next page")))
    first = (page - 1) * PAGE_SIZE + 1
    return html.Nav([
        html.P(shown_words(first, min(first + PAGE_SIZE - 1, total), total),
               className="small mb-1"),
        html.Ul(items, className="pagination pagination-sm flex-wrap mb-0"),
    ], id=component_id, className="mt-2 no-print", **{"aria-label": _("Pages of indicators")})


def result_body(found: EquityReport, labels: pd.DataFrame, choice: dict[str, Any],
                lang: str, paging: Any = None) -> list[Any]:
    """One result's heading, then a chart and verdict table per indicator with groups."""
    code, number = str(choice["result"]), int(choice["number"])
    count = int(choice["indicators"])
    heading = html.Div([
        result_icon(number, 40),
        html.Div([
            html.H2(_("Result {n}: {name}").format(n=number, name=localized(choice, "name",
                                                                             lang)),
                    className="h5 mb-0"),
            html.P([ngettext("{n} indicator by group", "{n} indicators by group",
                             count).format(n=count), " · ",
                    dcc.Link(_("All of this result's indicators"), href=f"/results/{code}")],
                   className="small mb-0"),
        ]),
    ], className="d-flex gap-2 align-items-center mt-3 pb-2 border-bottom")
    drawn = [c for c in found.indicators["indicator"] if c in set(found.trends["indicator"])]
    hidden = found.indicators[~found.indicators["indicator"].isin(drawn)]
    parts: list[Any] = [heading, *([paging] if paging is not None else [])]
    if drawn:
        table = display_trends(found, labels, lang)
        names = label_map(labels, lang)
        parts += [indicator_block(found, table, c, names, lang) for c in drawn]
    if len(hidden):
        parts.append(html.P(_("Every group of these indicators is too small to report, so "
                              "no gap is shown: {names}.").format(names="; ".join(
                                  localized(r, "name", lang) for r in hidden.to_dict(
                                      "records"))),
                            id=ids.EQUITY_WITHHELD, className="small text-body-secondary mt-4"))
    return parts


def layout(lang: str | None = None, result: str | None = None, page: str | None = None,
           **_query: str) -> html.Div:
    """One result's gaps and verdicts (?result=CODE, default the first; ?page=N)."""
    lang = use_language(lang)
    header = [html.H1(_("Equity: gaps between groups"), className="h2"),
              html.P(_("For every indicator reported by group: how far each group is from "
                       "the best group, period by period, and whether that gap is narrowing "
                       "or widening over the last five periods. Groups too small to report "
                       "are left out."), className="text-body-secondary")]
    choices, indicators = results()
    if choices.empty:
        return html.Div([*header, message(_("No groups to compare yet"), _(
            "No published indicator has figures by group."), component_id=ids.EQUITY_EMPTY,
            link=True)], id=ids.EQUITY_PAGE)
    codes = choices["result"].tolist()
    code = result if result in codes else codes[0]
    notice: list[Any] = []
    if result and result != code:
        notice = [dbc.Alert(_("No indicator of result “{asked}” is reported by group: "
                              "showing the first result that has some.").format(asked=result),
                            id=ids.EQUITY_UNKNOWN, color="info", className="small")]
    mine = indicators.loc[indicators["result"] == code, "indicator"].tolist()
    pages = -(-len(mine) // PAGE_SIZE)
    number = page_number(page, pages)
    shown = tuple(mine[(number - 1) * PAGE_SIZE:number * PAGE_SIZE])
    found, labels = report(shown)
    paging = pager(code, number, pages, len(mine), lang) if pages > 1 else None
    legend = html.P(_("↘ narrowing: the gap to the best group is shrinking. ↗ widening: it "
                      "is growing. → steady. ? fewer than two periods."), className="small")
    choice = choices[choices["result"] == code].iloc[0].to_dict()
    body = result_body(found, labels, choice, lang, paging)
    if paging is not None:
        body.append(pager(code, number, pages, len(mine), lang, f"{ids.EQUITY_PAGER}-end"))
    return html.Div([*header, *notice, picker(choices, code, lang), legend,
                     html.Div(body, id=ids.EQUITY_BODY)], id=ids.EQUITY_PAGE)
