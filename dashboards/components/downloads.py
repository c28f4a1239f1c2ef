"""The indicator page's downloads: its figures as CSV or Excel (formulas neutralised) and
its chart as PNG or SVG (drawn in the browser by Plotly)."""

from __future__ import annotations

import io
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dashboards import ids
from dashboards.auth import PUBLIC, secure_callback
from dashboards.components.turn_the_curve import fitted, group_labels, page_curve
from dashboards.data import read_session
from dashboards.i18n import N_, _, use_language
from rba.i18n import label, localized
from rba.services.exports import neutralised

#: The table's columns (as computed) and their headings in the reader's words: a download
#: names the indicator and its groups, never the store's keys ("kinder_ready:{}").
DATA_COLUMNS = {"indicator": N_("Indicator"), "group": N_("Group"), "period": N_("Period"),
                "actual": N_("Actual"), "numerator": N_("Numerator"),
                "denominator": N_("Denominator"), "forecast": N_("Forecast"),
                "forecast_lower": N_("Forecast, lower bound"),
                "forecast_upper": N_("Forecast, upper bound"),
                "forecast_lower_80": N_("Forecast, lower bound of the 80% band"),
                "forecast_upper_80": N_("Forecast, upper bound of the 80% band"),
                "target": N_("Target"),
                "status": N_("Status against the baseline")}


def data_frame(curve: dict[str, Any], lang: str) -> pd.DataFrame:
    """The figures of every group as a plain table with headings, the indicator's name,
    group names and status in words (withheld figures left blank)."""
    rows = curve["rows"].sort_values(["series", "ordinal"], kind="stable")
    order = {s: i for i, s in enumerate(curve["summary"]["series"])}
    rows = rows.assign(_o=rows["series"].map(order)).sort_values(["_o", "ordinal"],
                                                                  kind="stable")
    out = rows.assign(indicator=localized(curve["indicator"], "name", lang),
                      group=rows["series"].map(group_labels(curve, lang)),
                      status=[label("status", s, lang) if isinstance(s, str) and s else ""
                              for s in rows["status"]])
    out = out[list(DATA_COLUMNS)].rename(columns={k: _(v) for k, v in DATA_COLUMNS.items()})
    return neutralised(out.reset_index(drop=True))


def clicked(csv_clicks: int | None, xlsx_clicks: int | None) -> str:
    """Which download button was pressed (called outside Dash: the one with clicks)."""
    try:
        return str(dash.ctx.triggered_id)
    except dash.exceptions.MissingCallbackContextException:
        return ids.CURVE_DOWNLOAD_XLSX if xlsx_clicks and not csv_clicks else ids.CURVE_DOWNLOAD_CSV


@secure_callback(
    PUBLIC,
    Output(ids.CURVE_DOWNLOAD, "data"),
    Input(ids.CURVE_DOWNLOAD_CSV, "n_clicks"),
    Input(ids.CURVE_DOWNLOAD_XLSX, "n_clicks"),
    State(ids.CURVE_METHOD, "value"),
    State(ids.CURVE_LEVEL, "value"),
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
    if clicked(csv_clicks, xlsx_clicks) == ids.CURVE_DOWNLOAD_XLSX:
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name=_("Figures")[:31], index=False)
        return dcc.send_bytes(buffer.getvalue(), f"{code}.xlsx")
    return dcc.send_string(frame.to_csv(index=False), f"{code}.csv")


# The chart as an image is made in the browser by Plotly (no server-side rendering), with
# the credit lines (dashboards.components.chart_credits) under its title: a saved chart says
# where it is from, how current it is and whose it is.
dash.clientside_callback(
    """function(png, svg, name, credit) {
        const format = dash_clientside.callback_context.triggered_id === 'curve-download-svg'
            ? 'svg' : 'png';
        const graph = document.querySelector('#curve-graph .js-plotly-plot');
        if (graph && window.Plotly) {
            const layout = JSON.parse(JSON.stringify(graph.layout || {}));
            const lines = Array.isArray(credit) ? credit : [];
            if (lines.length) {
                const title = layout.title || {};
                const subtitle = title.subtitle || {};
                subtitle.text = (subtitle.text ? subtitle.text + '<br>' : '')
                    + lines.join('<br>');
                title.subtitle = subtitle;
                Object.assign(title, {xref: 'container', x: 0.012, xanchor: 'left',
                                      yref: 'container', y: 0.975, yanchor: 'top'});
                layout.title = title;
                const margin = layout.margin || {};
                margin.t = (margin.t || 60) + 19 * lines.length + 6;
                layout.margin = margin;
            }
            layout.width = 1100;
            layout.height = 560;
            window.Plotly.downloadImage({data: graph.data, layout: layout},
                                        {format: format, filename: name || 'chart',
                                         width: 1100, height: 560});
        }
        return '';
    }""",
    Output(ids.CURVE_CHART_SAVED, "children"),
    Input(ids.CURVE_DOWNLOAD_PNG, "n_clicks"),
    Input(ids.CURVE_DOWNLOAD_SVG, "n_clicks"),
    State("curve-filename", "data"),
    State(ids.CURVE_CREDIT, "data"),
    prevent_initial_call=True,
)


def downloads() -> html.Div:
    return html.Div([
        html.Span(_("Download:"), className="me-2 small fw-semibold"),
        dbc.ButtonGroup([
            dbc.Button(_("Data (CSV)"), id=ids.CURVE_DOWNLOAD_CSV, outline=True, color="secondary",
                       size="sm"),
            dbc.Button(_("Data (Excel)"), id=ids.CURVE_DOWNLOAD_XLSX, outline=True,
                       color="secondary", size="sm"),
            dbc.Button(_("Chart (PNG)"), id=ids.CURVE_DOWNLOAD_PNG, outline=True, color="secondary",
                       size="sm"),
            dbc.Button(_("Chart (SVG)"), id=ids.CURVE_DOWNLOAD_SVG, outline=True, color="secondary",
                       size="sm"),
        ], className="flex-wrap"),
        dcc.Download(id=ids.CURVE_DOWNLOAD),
        html.Span(id=ids.CURVE_CHART_SAVED, className="visually-hidden"),
    ], className="mb-3 d-flex flex-wrap align-items-center")
