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

import functools
from typing import Any
from urllib.parse import parse_qsl, urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
import plotly.io as pio
from dash import Input, Output, State, dcc, html

from dashboards import ids
from dashboards.auth import PUBLIC, secure_callback
from dashboards.cache import cached
from dashboards.components.badges import TONES, verdict_words
from dashboards.components.results import result_icon
from dashboards.components.shell import PARTNERSHIP, message
from dashboards.data import read_session
from dashboards.i18n import _, ngettext, use_language
from rba.dimensions import parse_dimension_key
from rba.i18n import label_map, localized, series_label, unit_words
from rba.services.catalogue import dimension_labels
from rba.services.equity import (
    FONT,
    EquityReport,
    disaggregated_indicators,
    display_trends,
    equity_report,
    equity_results,
)

#: Indicators drawn at once: each is a chart and a table of up to dozens of groups.
PAGE_SIZE = 10
#: Okabe-Ito colours for the groups' lines (with dashes, so colour is not the only cue).
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#F0E442")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
MAX_LINES = 8

dash.register_page(__name__, path="/equity", name="Equity", title=lambda **_q: (
    f"{_('Equity')} · {PARTNERSHIP}"))


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


@functools.cache
def white_template() -> dict[str, Any]:
    """Plotly's "plotly_white" template as plain JSON, read once per process."""
    return dict(pio.templates["plotly_white"].to_plotly_json())


def gap_unit(unit: str, per: Any, lang: str, short: bool = False) -> str:
    """The unit a gap is measured in, in words: (percentage) points for a percent."""
    if unit == "percent":
        return _("points") if short else _("percentage points")
    return unit_words(unit, per, lang).lower()


def chart_height(lines: int) -> int:
    """Pixels for a gap chart: room for the plot and, at phone width, a legend row per line."""
    return 230 + 20 * max(lines, 1)


def gap_chart(report: EquityReport, code: str, names: dict[Any, str], lang: str
              ) -> dict[str, Any]:
    """Each group's gap to the best group over time (0 = the best group that period).

    A plain figure dict, not a go.Figure: validating a dozen figures per page costs more
    than computing them. Untitled: the indicator's name is the heading above it.
    """
    gaps = report.gaps[report.gaps["indicator"] == code]
    trends = report.trends[report.trends["indicator"] == code]
    # The groups furthest behind first, so the chart shows those that matter most.
    # One line per group and dimension compared along (a group of two dimensions has two).
    order = list(trends.assign(_g=trends["gap_to_best"].abs()).sort_values(
        "_g", ascending=False)[["series", "along"]].itertuples(index=False, name=None)
                 )[:MAX_LINES]
    lines = gaps[gaps["series"].isin([s for s, _a in order])].sort_values("ordinal",
                                                                           kind="stable")
    by_series = dict(tuple(lines.groupby(["series", "along"], sort=False)))
    data = []
    for i, series in enumerate(order):
        rows = by_series[series]
        within = str(rows["within"].iloc[0])
        name = series_label(str(rows["dimensions"].iloc[0]), names, lang=lang)
        data.append({
            "type": "scatter", "mode": "lines+markers",
            "name": name if within == "{}" else
            f"{name} ({series_label(within, names, lang=lang)})",
            "x": rows["period"].astype(str).tolist(),
            "y": rows["gap_to_best"].abs().tolist(),
            "line": {"color": COLOURS[i % len(COLOURS)], "dash": DASHES[i % len(DASHES)]}})
    unit = report.indicators.set_index("indicator").loc[code]
    layout = {
        "template": white_template(),
        "font": {"family": FONT, "size": 12}, "height": chart_height(len(order)),
        "margin": {"l": 50, "r": 10, "t": 10, "b": 30},
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        "xaxis": {"type": "category", "title": {"text": ""}},
        "yaxis": {"title": {"text": _("Gap ({unit})").format(
            unit=gap_unit(unit["unit"], unit["per"], lang, short=True))},
                  "rangemode": "tozero"},
    }
    return {"data": data, "layout": layout}


def group_cell(key: str, names: dict[Any, str], lang: str) -> Any:
    """A group as a row header: the dimension small above the value ("City" / "Altadena")."""
    values = parse_dimension_key(key)
    if len(values) != 1:
        return series_label(key, names, lang=lang)
    (dimension, value), = values.items()
    return [html.Span(names.get((dimension, None), dimension.replace("_", " ").capitalize()),
                      className="d-block small text-body-secondary fw-normal"),
            names.get((dimension, value), value)]


def verdict_table(shown: pd.DataFrame, keys: list[str], verdicts: list[str],
                  names: dict[Any, str], lang: str, caption: str | None) -> dbc.Table:
    """Each group's latest figures and verdict, narrow enough for a phone.

    At phone width the gap to the total is left out and the verdict moves under the
    group's name, leaving three columns: group, value, gap to the best group.
    """
    columns = list(shown.columns)
    numeric = set(columns[-4:-1])
    wide_only = {columns[-3]: " d-none d-sm-table-cell", columns[-1]: " d-none d-sm-table-cell"}

    def classes(column: str, cell: bool) -> str:
        align = "text-end" + (" text-nowrap" if cell else "") if column in numeric else ""
        return (align + wide_only.get(column, "")).strip()

    head = html.Thead(html.Tr([html.Th(c, scope="col", className=classes(c, False))
                               for c in columns]))
    rows = []
    for key, verdict, row in zip(keys, verdicts, shown.itertuples(index=False), strict=True):
        group = group_cell(key, names, lang)
        verdict_below = html.Span(row[-1], className="d-block d-sm-none small fw-normal")
        cells: list[Any] = [html.Th([*(group if isinstance(group, list) else [group]),
                                     verdict_below], scope="row")]
        cells += [html.Td(v, className=classes(c, True)) for c, v in zip(
            columns[1:], row[1:], strict=True)]
        rows.append(html.Tr(cells, className=TONES.get(verdict, "")))
    return dbc.Table([*([html.Caption(caption)] if caption else []), head, html.Tbody(rows)],
                     striped=True, hover=True, size="sm", responsive=True,
                     className="caption-top")


def indicator_block(report: EquityReport, table: pd.DataFrame, code: str,
                    names: dict[Any, str], lang: str) -> html.Section:
    """An indicator's heading, its gap chart and its verdict table."""
    info = report.indicators.set_index("indicator").loc[code]
    name = localized(info, "name", lang)
    mine = (report.trends["indicator"] == code).to_numpy()
    shown = table[mine].drop(columns=table.columns[0]).reset_index(drop=True)
    period, verdict = shown.columns[1], shown.columns[-1]
    verdicts = report.trends.loc[mine, "verdict"].tolist()
    shown[verdict] = [verdict_words(v, lang) for v in verdicts]
    caption = None
    if shown[period].nunique() == 1:  # one latest period for all: say it once
        caption = _("Latest figures: {period}").format(period=shown[period].iloc[0])
        shown = shown.drop(columns=period)
    keys = report.trends.loc[mine, "dimensions"].astype(str).tolist()
    figure = gap_chart(report, code, names, lang)
    return html.Section([
        html.H3(dcc.Link(name, href=f"/indicators/{code}"), className="h5 mt-4"),
        html.P(_("Each group's gap to the best group ({unit}; 0 is the best group that "
                 "period).").format(unit=gap_unit(info["unit"], info["per"], lang)),
               className="small text-body-secondary mb-0"),
        dcc.Graph(figure=figure, config={"displaylogo": False},
                  style={"height": f"{figure['layout']['height']}px"}),
        verdict_table(shown, keys, verdicts, names, lang, caption),
    ], id=ids.equity_indicator(code))


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
