"""Indicator page: the turn-the-curve chart and table, definitions, downloads and the
turn-the-curve record (with its history and, for the indicator's team, an editor).

Public: only published indicators are shown, and group figures too small to report are
withheld (rba.report.suppression). Curves come from rba.report.curves.indicator_curve (what
`rba curve` prints) through the shared cache (dashboards.cache). Trying another forecast
method or level re-fits the forecast for this view only; the frozen baseline is unchanged.
"""

from __future__ import annotations

import base64
import io
import logging
from typing import Any

import dash
import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, State, dcc, html

from dashboards import ids
from dashboards.auth import PUBLIC, secure_callback
from dashboards.cache import cached
from dashboards.components import PARTNERSHIP, message
from dashboards.data import read_session
from dashboards.i18n import N_, _, use_language
from dashboards.pages._common import (
    STATUS_SYMBOLS,
    frame_table,
    page_language,
    published_rows,
    status_words,
    withheld_note,
)
from dashboards.pages._story import story_section
from rba.dimensions import TOTAL_KEY
from rba.i18n import MISSING, format_period, format_value, label, localized
from rba.report.charts import figure_json, turn_the_curve_figure
from rba.report.curves import CurveError, indicator_curve
from rba.report.format import series_label, unit_words
from rba.report.tables import curve_table, label_map, series_choices
from rba.store.queries import indicator_detail
from rba.workbook.write import FORMULA_STARTS

log = logging.getLogger(__name__)
ALL_GROUPS = "curve-all-groups"
FROZEN = "frozen"
METHODS = ("linear", "flat", "average", "log_linear", "holt")
METHOD_WORDS = {FROZEN: N_("Agreed (frozen) baseline"), "linear": N_("Linear trend"),
                "flat": N_("Flat (last value)"), "average": N_("Average"),
                "log_linear": N_("Log-linear trend"), "holt": N_("Holt smoothing")}
LEVELS = (0.8, 0.9, 0.95)
METHOD_PICKER = "curve-method"
LEVEL_PICKER = "curve-level"
CURVE_STATUS = "curve-status"
SMALL_MULTIPLES = "curve-small-multiples"
CSV_BUTTON = "curve-download-csv"
XLSX_BUTTON = "curve-download-xlsx"
PNG_BUTTON = "curve-download-png"
SVG_BUTTON = "curve-download-svg"
DOWNLOAD = "curve-download"
CHART_SAVED = "curve-chart-saved"
DATA_COLUMNS = ["series", "group", "period", "actual", "numerator", "denominator",
                "forecast", "forecast_lower", "forecast_upper", "target", "status"]
MAX_MULTIPLES = 24
KIND_WORDS = {"headline": N_("Headline indicator"), "secondary": N_("Secondary indicator"),
              "development": N_("Data development agenda")}


def title(code: str | None = None, **_query: Any) -> str:
    return f"{code} · {PARTNERSHIP}" if code else PARTNERSHIP


dash.register_page(__name__, path_template="/indicators/<code>", name="Indicator",
                   title=title)


def not_found(code: str | None) -> dbc.Alert:
    """What a visitor sees for an indicator code that is not in the store."""
    what = (_("No indicator has the code “{code}”.").format(code=code) if code
            else _("No indicator was named."))
    return message(_("Indicator not found"),
                   f"{what} {_('It may have been renamed or not yet loaded.')}",
                   component_id=ids.NOT_FOUND)


# -- the figures ---------------------------------------------------------------------------

def page_curve(session: Any, code: str, method: str | None, level: float | None,
               only: str | None = None) -> dict[str, Any] | None:
    """The indicator's curve rows and summary as the public page shows them, cached.

    None when the indicator is unknown or unpublished. ``method``/``level`` None: the
    frozen baseline (a forecast fitted now where a series has none). ``only``: the one
    series a view draws; with Holt's method (an optimiser per series) only that series is
    fitted that way, the others with the vectorised linear fit, and only it is returned.
    Small groups are withheld looking at every series either way.
    """
    def compute() -> dict[str, Any] | None:
        detail = indicator_detail(session=session, code=code)
        if detail is None:
            return None
        how: Any = {only: method} if only is not None and method is not None else method
        try:
            curve = indicator_curve(session=session, code=code, method=how, level=level,
                                    inputs=detail.curve_inputs)
        except CurveError as error:
            return {"error": str(error)}
        ind = detail.indicator
        rows = published_rows(curve.rows, curve.summary, ind["unit"], ind["min_n"])
        summary = curve.summary
        if only is not None:
            rows = rows[(rows["series"] == only).to_numpy()].reset_index(drop=True)
            summary = summary[(summary["series"] == only).to_numpy()].reset_index(drop=True)
        return {"rows": rows, "summary": summary, "indicator": ind,
                "labels": detail.dimension_labels}
    return cached(session, "indicator_page_curve", (code, method, level, only), compute)


#: Forecast methods slow enough (an optimiser per series) to fit only the series shown.
FIT_SHOWN_ONLY = ("holt",)


def group_labels(curve: dict[str, Any], lang: str) -> dict[str, str]:
    ind, summary = curve["indicator"], curve["summary"]
    # Group labels are entered in one language (the dimensions sheet has no Spanish).
    names = label_map(curve["labels"])
    return {s: series_label(d, names, ind["dimensions"], lang)
            for s, d in summary[["series", "dimensions"]].itertuples(index=False)}


def series_level(summary: pd.DataFrame, series: str, asked: float | None) -> float:
    if asked is not None:
        return asked
    found = summary.loc[summary["series"] == series, "level"]
    level = found.iloc[0] if len(found) else None
    return float(level) if level is not None and level == level else 0.95


def with_status(figure: go.Figure, rows: pd.DataFrame, lang: str) -> go.Figure:
    """Each judged period's status as a symbol above its actual (words in the hover)."""
    judged = rows[rows["status"].notna().to_numpy() & rows["actual"].notna().to_numpy()]
    if judged.empty:
        return figure
    figure.add_trace(go.Scatter(
        x=judged["period"].astype(str).tolist(), y=judged["actual"].tolist(), mode="text",
        text=[STATUS_SYMBOLS.get(s, "") for s in judged["status"]],
        textposition="top center", textfont={"size": 13, "color": "#212529"},
        customdata=[label("status", s, lang) for s in judged["status"]],
        hovertemplate="%{x}: %{customdata}<extra></extra>",
        name=_("Status against the baseline"), legendrank=5))
    return figure


def chart(curve: dict[str, Any], series: str, lang: str, level: float | None,
          small: bool = False) -> dict[str, Any]:
    """The turn-the-curve chart of one series, as plotly JSON for dcc.Graph."""
    ind = curve["indicator"]
    rows = curve["rows"]
    rows = rows[(rows["series"] == series).to_numpy()]
    label_text = group_labels(curve, lang).get(series, "")
    figure = turn_the_curve_figure(
        rows, title=label_text if small else localized(ind, "name", lang), unit=ind["unit"],
        per=ind["per"], lang=lang, level=series_level(curve["summary"], series, level),
        subtitle=None if small else label_text, template=None)
    figure = with_status(figure, rows, lang)
    if small:
        figure.update_layout(height=260, showlegend=False, margin={"l": 40, "r": 10, "t": 40,
                                                                   "b": 30},
                             title={"font": {"size": 13}})
    return figure_json(figure)


def figures_table(curve: dict[str, Any], series: str, lang: str, level: float | None
                  ) -> dbc.Table:
    """The figures behind the chart: one row per period, with its status in words."""
    ind = curve["indicator"]
    rows = curve["rows"]
    rows = rows[(rows["series"] == series).to_numpy()].sort_values("ordinal")
    # A withheld period keeps its row (so readers see it exists) but none of its figures.
    rows = rows.assign(numerator=rows["numerator"].where(~rows["withheld"], 0.0))
    table = curve_table(rows, unit=ind["unit"], per=ind["per"], lang=lang,
                        level=series_level(curve["summary"], series, level))
    kept = rows[rows[["actual", "forecast", "forecast_lower", "forecast_upper", "target",
                      "numerator", "denominator"]].notna().any(axis=1)]
    table[_("Status")] = [status_words(s, lang) for s in kept["status"]]
    withheld = kept["withheld"].to_numpy()
    if withheld.any():
        table.loc[withheld, table.columns[1]] = _("Withheld")
        table.loc[withheld, table.columns[2]] = MISSING
    label_text = group_labels(curve, lang).get(series, "")
    unit = unit_words(ind["unit"], ind["per"], lang)
    caption = f"{localized(ind, 'name', lang)}: {label_text} ({unit.lower()})"
    return frame_table(table, caption=caption, table_id=ids.CURVE_TABLE,
                       numeric=tuple(table.columns[1:-1]))


def status_line(curve: dict[str, Any], series: str, lang: str) -> list[Any]:
    """The latest status against the baseline, in words with its symbol."""
    rows = curve["rows"]
    judged = rows[(rows["series"] == series).to_numpy() & rows["status"].notna().to_numpy()]
    if judged.empty:
        return [html.Span(_("No actual figure since the baseline yet."),
                          className="text-body-secondary")]
    last = judged.sort_values("ordinal").iloc[-1]
    ind = curve["indicator"]
    return [html.Span(_("Latest against the baseline: "), className="text-body-secondary"),
            html.Strong(status_words(last["status"], lang)),
            html.Span(f" ({format_period(last['period'], ind['frequency'], lang)})",
                      className="text-body-secondary")]


def small_multiples(curve: dict[str, Any], lang: str, level: float | None) -> list[Any]:
    """One small chart per group (the total first), for comparing them at a glance."""
    series = curve["summary"]["series"].tolist()
    shown = series[:MAX_MULTIPLES]
    cols = [dbc.Col(dcc.Graph(figure=chart(curve, s, lang, level, small=True),
                              config={"displaylogo": False, "displayModeBar": False}),
                    md=6, xl=4, className="mb-3") for s in shown]
    out: list[Any] = [dbc.Row(cols)]
    if len(series) > len(shown):
        out.append(html.P(_("Showing the first {shown} of {n} groups: pick one above to see "
                            "any other.").format(shown=len(shown), n=len(series)),
                          className="small text-body-secondary"))
    return out


def view(curve: dict[str, Any] | None, series: str | None, all_groups: bool,
         level: float | None, lang: str) -> tuple[Any, Any, Any, Any, dict[str, Any]]:
    """Chart, table, status line, small multiples and chart style for the controls."""
    if curve is None or "error" in curve or series is None:
        raise dash.exceptions.PreventUpdate
    if all_groups:
        return (dash.no_update, [], [], small_multiples(curve, lang, level),
                {"display": "none"})
    if series not in set(curve["summary"]["series"]):
        raise dash.exceptions.PreventUpdate
    table = figures_table(curve, series, lang, level)
    return (chart(curve, series, lang, level), table.children, status_line(curve, series, lang),
            [], {"display": "block"})


def fitted(method: str | None, level: Any) -> tuple[str | None, float | None]:
    """The method and level to fit with (None, None: use the frozen baseline)."""
    chosen = method if method in METHODS else None
    lvl = float(level) if level in LEVELS else None
    if chosen is None and lvl is not None:
        chosen = "linear"
    return chosen, lvl if chosen is not None else None


# Public: it reads only published indicators, with small groups withheld.
@secure_callback(
    PUBLIC,
    Output(ids.CURVE_GRAPH, "figure"),
    Output(ids.CURVE_TABLE, "children"),
    Output(CURVE_STATUS, "children"),
    Output(SMALL_MULTIPLES, "children"),
    Output("curve-single", "style"),
    Input(ids.SERIES_DROPDOWN, "value"),
    Input(ALL_GROUPS, "value"),
    Input(METHOD_PICKER, "value"),
    Input(LEVEL_PICKER, "value"),
    State(ids.CURVE_META, "data"),
    prevent_initial_call=True,
)
def update_curve(series: str | None, all_groups: bool | None, method: str | None, level: Any,
                 meta: dict[str, Any] | None) -> tuple[Any, ...]:
    """Redraw for the group, forecast method and level picked (nothing is stored)."""
    if not isinstance(meta, dict) or not isinstance(meta.get("code"), str):
        raise dash.exceptions.PreventUpdate
    lang = use_language(meta.get("lang"))
    how, lvl = fitted(method, level)
    code, together = meta["code"], bool(all_groups)

    def drawn() -> tuple[Any, ...] | None:
        only = series if how in FIT_SHOWN_ONLY and not together else None
        curve = page_curve(session, code, how, lvl, only)
        try:
            out = view(curve, series, together, lvl, lang)
        except dash.exceptions.PreventUpdate:
            return None
        return out

    # Building a plotly figure costs far more than reading the figures: cache the view too.
    with read_session() as session:
        found = cached(session, "indicator_view", (code, how, lvl, series, together, lang),
                       drawn)
    if found is None:
        raise dash.exceptions.PreventUpdate
    return found


def decoded(value: Any) -> Any:
    """A figure dict with plotly's base64 typed arrays ({"dtype", "bdata"}) as plain lists."""
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:
            shape = value.get("shape")
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            return array.reshape([int(n) for n in str(shape).split(",")]).tolist() if shape \
                else array.tolist()
        return {k: decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decoded(v) for v in value]
    return value


def show_series(series: str | None, _rows: Any, meta: dict[str, Any] | None
                ) -> tuple[go.Figure, list[Any]]:
    """The chart and table of one group with the agreed baseline (a plain function)."""
    figure, table, *_rest = update_curve(series, False, FROZEN, None, meta)
    return go.Figure(decoded(figure)), table


# -- downloads -----------------------------------------------------------------------------

def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as formulas, prefixed with an apostrophe.

    The same rule as rba.workbook.write.neutralise, for this page's columns.
    """
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_numeric_dtype(out[column].dtype):
            continue
        risky = out[column].map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS))
        out.loc[risky, column] = "'" + out.loc[risky, column].astype(str)
    return out


def data_frame(curve: dict[str, Any], lang: str) -> pd.DataFrame:
    """The figures of every group as a plain table (withheld figures left blank)."""
    rows = curve["rows"].sort_values(["series", "ordinal"], kind="stable")
    order = {s: i for i, s in enumerate(curve["summary"]["series"])}
    rows = rows.assign(_o=rows["series"].map(order)).sort_values(["_o", "ordinal"],
                                                                  kind="stable")
    out = rows.assign(group=rows["series"].map(group_labels(curve, lang)))
    return neutralised(out[DATA_COLUMNS].reset_index(drop=True))


def clicked(csv_clicks: int | None, xlsx_clicks: int | None) -> str:
    """Which download button was pressed (called outside Dash: the one with clicks)."""
    try:
        return str(dash.ctx.triggered_id)
    except dash.exceptions.MissingCallbackContextException:
        return XLSX_BUTTON if xlsx_clicks and not csv_clicks else CSV_BUTTON


@secure_callback(
    PUBLIC,
    Output(DOWNLOAD, "data"),
    Input(CSV_BUTTON, "n_clicks"),
    Input(XLSX_BUTTON, "n_clicks"),
    State(METHOD_PICKER, "value"),
    State(LEVEL_PICKER, "value"),
    State(ids.CURVE_META, "data"),
    prevent_initial_call=True,
)
def download_data(csv_clicks: int | None, xlsx_clicks: int | None, method: str | None,
                  level: Any, meta: dict[str, Any] | None) -> dict[str, Any]:
    """The figures of every group as CSV or XLSX (the forecast as currently shown)."""
    if not isinstance(meta, dict) or not isinstance(meta.get("code"), str) or not (
            csv_clicks or xlsx_clicks):
        raise dash.exceptions.PreventUpdate
    lang = use_language(meta.get("lang"))
    how, lvl = fitted(method, level)
    with read_session() as session:
        curve = page_curve(session, meta["code"], how, lvl)
    if curve is None or "error" in curve:
        raise dash.exceptions.PreventUpdate
    frame = data_frame(curve, lang)
    code = meta["code"]
    if clicked(csv_clicks, xlsx_clicks) == XLSX_BUTTON:
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name="figures", index=False)
        return dcc.send_bytes(buffer.getvalue(), f"{code}.xlsx")
    return dcc.send_string(frame.to_csv(index=False), f"{code}.csv")


# The chart as an image is made in the browser by Plotly (no server-side rendering).
dash.clientside_callback(
    """function(png, svg, name) {
        const format = dash_clientside.callback_context.triggered_id === 'curve-download-svg'
            ? 'svg' : 'png';
        const graph = document.querySelector('#curve-graph .js-plotly-plot');
        if (graph && window.Plotly) {
            window.Plotly.downloadImage(graph, {format: format, filename: name || 'chart',
                                                width: 1100, height: 560});
        }
        return '';
    }""",
    Output(CHART_SAVED, "children"),
    Input(PNG_BUTTON, "n_clicks"),
    Input(SVG_BUTTON, "n_clicks"),
    State("curve-filename", "data"),
    prevent_initial_call=True,
)


# -- the page ------------------------------------------------------------------------------

def facts(ind: dict[str, Any], lang: str) -> html.Dl:
    """Unit, polarity, frequency and source as a definition list."""
    items = [(_("Unit"), unit_words(ind["unit"], ind["per"], lang)),
             (_("Which way is better"), label("polarity", ind["polarity"], lang)),
             (_("How often"), label("frequency", ind["frequency"], lang)),
             (_("Source"), ind["source"] or _("Not recorded"))]
    return html.Dl([part for term, text in items
                    for part in (html.Dt(term), html.Dd(text))], className="mb-0")


def definitions(ind: dict[str, Any], lang: str) -> dbc.Row:
    """The lay and technical definitions beside the indicator's facts."""
    lay = localized(ind, "lay_definition", lang)
    technical = localized(ind, "technical_definition", lang)
    text = [html.H2(_("What it measures"), className="h5"),
            html.P(lay or _("No definition yet."))]
    if technical:
        text += [html.H3(_("Technical definition"), className="h6 mt-3"),
                 html.P(technical, className="small")]
    return dbc.Row([
        dbc.Col(text, md=7),
        dbc.Col(dbc.Card(dbc.CardBody(facts(ind, lang)),
                         className="bg-body-tertiary border-0"), md=5),
    ], className="mb-4 g-4")


def latest_figure(curve: dict[str, Any], lang: str) -> html.P:
    """The latest published total figure and its period."""
    ind, rows = curve["indicator"], curve["rows"]
    total = rows[(rows["series"] == f"{ind['code']}:{TOTAL_KEY}").to_numpy()
                 & rows["actual"].notna().to_numpy()]
    if total.empty:
        return html.P(_("Not yet measured."), className="text-body-secondary")
    last = total.sort_values("ordinal").iloc[-1]
    return html.P([
        html.Span(_("Latest: "), className="text-body-secondary"),
        html.Strong(format_value(last["actual"], ind["unit"], ind["per"], lang),
                    className="fs-4 me-2"),
        html.Span(format_period(last["period"], ind["frequency"], lang),
                  className="text-body-secondary"),
    ], className="mb-3")


def controls(choices: list[dict[str, str]], first: str, lang: str) -> dbc.Row:
    many = len(choices) > 1
    methods = [{"label": _(METHOD_WORDS[m]), "value": m} for m in (FROZEN, *METHODS)]
    levels = [{"label": f"{lvl:.0%}", "value": lvl} for lvl in LEVELS]
    return dbc.Row([
        dbc.Col([dbc.Label(_("Show figures for"), html_for=ids.SERIES_DROPDOWN,
                           className="fw-semibold"),
                 dcc.Dropdown(id=ids.SERIES_DROPDOWN, options=choices, value=first,
                              clearable=False, searchable=len(choices) > 8),
                 dbc.Switch(id=ALL_GROUPS, value=False, className="mt-1",
                            label=_("All groups side by side"))],
                md=5, style={} if many else {"display": "none"}),
        dbc.Col([dbc.Label(_("Forecast to compare with"), html_for=METHOD_PICKER,
                           className="fw-semibold"),
                 dcc.Dropdown(id=METHOD_PICKER, options=methods, value=FROZEN,
                              clearable=False, searchable=False)], md=4),
        dbc.Col([dbc.Label(_("Prediction interval"), html_for=LEVEL_PICKER,
                           className="fw-semibold"),
                 dcc.Dropdown(id=LEVEL_PICKER, options=levels, value=None,
                              placeholder=_("As agreed"), searchable=False)], md=3),
        dbc.Col(html.P(_("Trying another method or level re-draws the forecast for this view "
                         "only: the agreed baseline stays as it was frozen."),
                       className="small text-body-secondary mt-2 mb-0"), width=12),
    ], className="mb-3 g-2")


def downloads() -> html.Div:
    return html.Div([
        html.Span(_("Download:"), className="me-2 small fw-semibold"),
        dbc.ButtonGroup([
            dbc.Button(_("Data (CSV)"), id=CSV_BUTTON, outline=True, color="secondary",
                       size="sm"),
            dbc.Button(_("Data (Excel)"), id=XLSX_BUTTON, outline=True, color="secondary",
                       size="sm"),
            dbc.Button(_("Chart (PNG)"), id=PNG_BUTTON, outline=True, color="secondary",
                       size="sm"),
            dbc.Button(_("Chart (SVG)"), id=SVG_BUTTON, outline=True, color="secondary",
                       size="sm"),
        ], className="flex-wrap"),
        dcc.Download(id=DOWNLOAD),
        html.Span(id=CHART_SAVED, className="visually-hidden"),
    ], className="mb-3 d-flex flex-wrap align-items-center")


def curve_section(curve: dict[str, Any], lang: str) -> list[Any]:
    """Controls, the chart (or small multiples), its status and the table behind it."""
    if "error" in curve:
        return [dbc.Alert(_("The curve could not be drawn: {error}").format(
            error=curve["error"]), color="warning")]
    rows, summary, ind = curve["rows"], curve["summary"], curve["indicator"]
    if not len(rows):
        return [dbc.Alert(_("No figures have been entered for this indicator yet."),
                          color="light", className="border")]
    choices = series_choices(summary[["series", "dimensions"]], curve["labels"],
                             ind["dimensions"], lang)
    first = choices[0]["value"]
    figure = chart(curve, first, lang, None)
    table = figures_table(curve, first, lang, None)
    name = localized(ind, "name", lang)
    config = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"],
              "toImageButtonOptions": {"format": "png", "filename": ind["code"],
                                       "width": 1100, "height": 560}}
    notes = []
    if rows["withheld"].any():
        notes.append(html.P(withheld_note(), className="small text-body-secondary"))
    return [
        dcc.Store(id=ids.CURVE_META, data={"code": ind["code"], "lang": lang}),
        dcc.Store(id="curve-filename", data=ind["code"]),
        dcc.Store(id=ids.CURVE_ROWS, data=[]),  # the rows stay on the server (cached), not the page
        controls(choices, first, lang),
        html.Div([
            html.P(status_line(curve, first, lang), id=CURVE_STATUS, className="mb-1"),
            html.Figure([
                dcc.Graph(id=ids.CURVE_GRAPH, figure=figure, responsive=True,
                          style={"height": "460px"}, config=config),
                html.Figcaption(_(
                    "Solid line with dots: actual figures. Dashed line: the baseline, where "
                    "the curve was headed when it was agreed, with its prediction "
                    "interval shaded. Diamonds: targets. Symbols above the actuals: ▲ better "
                    "than, ≈ within, ▼ worse than the baseline."),
                    className="small text-body-secondary"),
            ], className="mb-2", **{"aria-label": name}),
            downloads(),
            html.H2(_("The figures"), className="h5"),
            table,
        ], id="curve-single"),
        html.Div(id=SMALL_MULTIPLES),
        *notes,
    ]


def layout(code: str | None = None, lang: str | None = None, **_query: str) -> html.Div:
    """The page of the indicator with this code, read fresh from the store."""
    lang = page_language(lang)
    with read_session() as session:
        curve = page_curve(session, code, None, None) if code else None
    if curve is None:
        return html.Div(not_found(code))
    if "error" in curve:
        with read_session() as session:
            detail = indicator_detail(session=session, code=str(code))
        assert detail is not None
        curve = {**curve, "indicator": detail.indicator}
    ind = curve["indicator"]
    figures: list[Any] = ([latest_figure(curve, lang)] if "rows" in curve else [])
    return html.Div([
        html.Nav([_("Result: "), dcc.Link(localized(ind, "result_name", lang), href="/")],
                 className="mb-2 small", **{"aria-label": _("Result")}),
        html.H1(localized(ind, "name", lang), id=ids.INDICATOR_NAME, className="h2"),
        html.P(dbc.Badge(_(KIND_WORDS.get(ind["kind"], ind["kind"])), color="secondary",
                         className="fw-normal"), className="mb-2"),
        *figures,
        definitions(ind, lang),
        html.Section(curve_section(curve, lang), className="mb-4"),
        story_section(ind["code"], lang),
    ])
