"""Indicator page: the turn-the-curve chart and table, definitions, downloads and the
turn-the-curve record (with its history and, for the indicator's team, an editor).

Public: only published indicators are shown, and group figures too small to report are
withheld (rba.report.suppression). Curves come from rba.report.curves.indicator_curve (what
`rba curve` prints) through the shared cache (dashboards.cache). Trying another forecast
method or level re-fits the forecast for this view only; the frozen baseline is unchanged.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from typing import Any

import dash
import dash_bootstrap_components as dbc
import numpy as np
import plotly.graph_objects as go
from dash import Input, Output, State, dcc, html

from dashboards import ids
from dashboards.auth import PUBLIC, secure_callback
from dashboards.cache import cached, memo
from dashboards.components.baseline_agreement import agreement_panel
from dashboards.components.chart_credits import credit_line, credit_lines
from dashboards.components.downloads import data_frame, download_data, downloads, neutralised
from dashboards.components.page_meta import (
    PREVIEW_IMAGE,
    indicator_description,
    indicator_title,
)
from dashboards.components.shared_views import (
    GROUPS,
    INDICATOR_SCRIPT,
    LEVEL,
    METHOD,
    WHERE,
    all_groups,
    chosen_method,
    chosen_series,
)
from dashboards.components.shell import message
from dashboards.components.story import story_section
from dashboards.components.tables import scroll_region, withheld_note
from dashboards.components.turn_the_curve import (
    FIT_SHOWN_ONLY,
    FROZEN,
    LEVELS,
    METHOD_WORDS,
    METHODS,
    chart,
    curve_for,
    figures_table,
    fitted,
    group_label,
    group_labels,
    page_curve,
    page_inputs,
    small_multiples,
    status_line,
    view,
)
from dashboards.data import read_session
from dashboards.i18n import N_, _, use_language
from rba.dimensions import TOTAL_KEY
from rba.i18n import format_period, format_value, label, localized, unit_words
from rba.services.curves import series_choices
from rba.services.embeds import figures_as_of

#: What tests and other modules reach through this page (kept where they always were).
__all__ = ["data_frame", "download_data", "group_labels", "neutralised", "page_curve",
           "show_series", "update_curve", "update_latest"]

log = logging.getLogger(__name__)
KIND_WORDS = {"headline": N_("Headline indicator"), "secondary": N_("Secondary indicator"),
              "development": N_("Data development agenda")}


dash.register_page(__name__, path_template="/indicators/<code>", name="Indicator",
                   title=indicator_title, description=indicator_description,
                   image=PREVIEW_IMAGE)


def not_found(code: str | None) -> dbc.Alert:
    """What a visitor sees for an indicator code that is not in the store."""
    what = (_("No indicator has the code “{code}”.").format(code=code) if code
            else _("No indicator was named."))
    return message(_("Indicator not found"),
                   f"{what} {_('It may have been renamed or not yet loaded.')}",
                   component_id=ids.NOT_FOUND)


def figures_date(session: Any, code: str) -> dt.date | None:
    """The indicator's "as of" date (its newest figure's entry), read once per data version."""
    return cached(session, "figures_as_of", (code,),
                  lambda: figures_as_of(session=session, code=code))


# The address follows the group, method and level picked (shared_views): in the browser only.
dash.clientside_callback(
    INDICATOR_SCRIPT,
    Output(ids.INDICATOR_ADDRESS, "children"),
    Input(ids.SERIES_DROPDOWN, "value"),
    Input(ids.CURVE_ALL_GROUPS, "value"),
    Input(ids.CURVE_METHOD, "value"),
    Input(ids.CURVE_LEVEL, "value"),
)


# Public: it reads only published indicators, with small groups withheld.
@secure_callback(
    PUBLIC,
    Output(ids.CURVE_GRAPH, "figure"),
    Output(ids.CURVE_TABLE, "children"),
    Output(ids.CURVE_STATUS, "children"),
    Output(ids.CURVE_SMALL_MULTIPLES, "children"),
    Output("curve-single", "style"),
    Input(ids.SERIES_DROPDOWN, "value"),
    Input(ids.CURVE_ALL_GROUPS, "value"),
    Input(ids.CURVE_METHOD, "value"),
    Input(ids.CURVE_LEVEL, "value"),
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

    with read_session() as session:
        inputs = page_inputs(session, code)

    def drawn() -> tuple[Any, ...] | None:
        only = series if how in FIT_SHOWN_ONLY and not together else None
        try:
            return view(curve_for(inputs, how, lvl, only), series, together, lvl, lang)
        except dash.exceptions.PreventUpdate:
            return None

    # Drawing the chart and table costs more than reading the figures: cache the view too,
    # under the fingerprint of what was read (drawn again only when the figures change).
    found = memo("indicator_view", (inputs[1], how, lvl, series, together, lang), drawn)
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


def latest_figure(curve: dict[str, Any], lang: str, series: str | None = None) -> list[Any]:
    """The latest published figure of a series (default: the total) and its period, with
    the group it is of where the indicator has groups."""
    ind, rows = curve["indicator"], curve["rows"]
    series = series or f"{ind['code']}:{TOTAL_KEY}"
    mine = rows[(rows["series"] == series).to_numpy()]
    known = mine[mine["actual"].notna().to_numpy()]
    grouped = curve["summary"]["series"].nunique() > 1
    whose = ([html.Span(f" · {group_label(curve, series, lang)}",
                        className="text-body-secondary")] if grouped else [])
    if known.empty:
        words = _("Withheld") if mine["withheld"].any() else _("Not yet measured.")
        return [html.Span(words, className="text-body-secondary"), *whose]
    last = known.sort_values("ordinal").iloc[-1]
    return [
        html.Span(_("Latest: "), className="text-body-secondary"),
        html.Strong(format_value(last["actual"], ind["unit"], ind["per"], lang),
                    className="fs-4 me-2"),
        html.Span(format_period(last["period"], ind["frequency"], lang),
                  className="text-body-secondary"),
        *whose,
    ]


# Public, as the page: the heading's figure follows the group picked.
@secure_callback(
    PUBLIC,
    Output(ids.INDICATOR_LATEST, "children"),
    Input(ids.SERIES_DROPDOWN, "value"),
    Input(ids.CURVE_ALL_GROUPS, "value"),
    State(ids.CURVE_META, "data"),
    prevent_initial_call=True,
)
def update_latest(series: str | None, all_groups: bool | None, meta: dict[str, Any] | None
                  ) -> list[Any]:
    """The heading's latest figure for the group picked (the total's with all groups shown)."""
    if not isinstance(meta, dict) or not isinstance(meta.get("code"), str):
        raise dash.exceptions.PreventUpdate
    lang = use_language(meta.get("lang"))
    with read_session() as session:
        curve = curve_for(page_inputs(session, meta["code"]), None, None)
    if curve is None or "rows" not in curve or series not in set(curve["summary"]["series"]):
        raise dash.exceptions.PreventUpdate
    return latest_figure(curve, lang, None if all_groups else series)


def controls(choices: list[dict[str, str]], first: str, lang: str, together: bool = False,
             method: str = FROZEN, level: float | None = None) -> dbc.Row:
    """The group, "all groups", forecast method and level pickers, showing these choices."""
    many = len(choices) > 1
    methods = [{"label": _(METHOD_WORDS[m]), "value": m} for m in (FROZEN, *METHODS)]
    levels = [{"label": f"{lvl:.0%}", "value": lvl} for lvl in LEVELS]
    return dbc.Row([
        dbc.Col([dbc.Label(_("Show figures for"), html_for=ids.SERIES_DROPDOWN,
                           className="fw-semibold"),
                 dcc.Dropdown(id=ids.SERIES_DROPDOWN, options=choices, value=first,
                              clearable=False, searchable=len(choices) > 8),
                 dbc.Switch(id=ids.CURVE_ALL_GROUPS, value=together, className="mt-1",
                            label=_("All groups side by side"))],
                md=5, style={} if many else {"display": "none"}),
        dbc.Col([dbc.Label(_("Forecast to compare with"), html_for=ids.CURVE_METHOD,
                           className="fw-semibold"),
                 dcc.Dropdown(id=ids.CURVE_METHOD, options=methods, value=method,
                              clearable=False, searchable=False)], md=4),
        dbc.Col([dbc.Label(_("Prediction interval"), html_for=ids.CURVE_LEVEL,
                           className="fw-semibold"),
                 dcc.Dropdown(id=ids.CURVE_LEVEL, options=levels, value=level,
                              placeholder=_("As agreed"), searchable=False)], md=3),
        dbc.Col(html.P(_("Trying another method or level re-draws the forecast for this view "
                         "only: the agreed baseline stays as it was frozen."),
                       className="small text-body-secondary mt-2 mb-0"), width=12),
    ], className="mb-3 g-2")


def shown_choice(curve: dict[str, Any], lang: str, query: dict[str, Any]
                 ) -> tuple[list[dict[str, str]], str]:
    """The group options and the series the address asks for (shared_views)."""
    ind = curve["indicator"]
    choices = series_choices(curve["summary"][["series", "dimensions"]], curve["labels"],
                             ind["dimensions"], lang)
    return choices, chosen_series(ind["code"], query.get(WHERE), choices)


def curve_section(curve: dict[str, Any], lang: str, query: dict[str, Any] | None = None,
                  inputs: Any = None, as_of: dt.date | None = None) -> list[Any]:
    """Controls, the chart (or small multiples), its status and the table behind it, for
    the group, method and level the address asks for (shared_views; default: the total
    against the agreed baseline). ``inputs``: what page_inputs read, to fit another method."""
    if "error" in curve:
        return [dbc.Alert(_("The curve could not be drawn: {error}").format(
            error=curve["error"]), color="warning")]
    rows, ind = curve["rows"], curve["indicator"]
    if not len(rows):
        return [dbc.Alert(_("No figures have been entered for this indicator yet."),
                          color="light", className="border")]
    query = query or {}
    choices, first = shown_choice(curve, lang, query)
    together = all_groups(query.get(GROUPS)) and len(choices) > 1
    method, level = chosen_method(query.get(METHOD), query.get(LEVEL), (FROZEN, *METHODS),
                                  LEVELS, FROZEN)
    how, lvl = fitted(method, level)
    drawn = curve
    if how is not None and inputs is not None:
        only = first if how in FIT_SHOWN_ONLY and not together else None
        drawn = curve_for(inputs, how, lvl, only) or curve
    if "error" in drawn:
        drawn = curve
    figure = chart(drawn, first, lang, lvl)
    table = figures_table(drawn, first, lang, lvl)
    multiples = small_multiples(drawn, lang, lvl) if together else []
    name = localized(ind, "name", lang)
    # Charts are saved with the Download buttons, which add the source, "as of" date and
    # partnership under the title (chart_credits); the modebar's camera would not.
    config = {"displaylogo": False,
              "modeBarButtonsToRemove": ["select2d", "lasso2d", "sendChartToCloud", "toImage"]}
    notes = []
    if rows["withheld"].any():
        notes.append(html.P(withheld_note(), className="small text-body-secondary"))
    return [
        dcc.Store(id=ids.CURVE_META, data={"code": ind["code"], "lang": lang}),
        dcc.Store(id=ids.CURVE_FILENAME, data=ind["code"]),
        dcc.Store(id=ids.CURVE_CREDIT, data=credit_lines(credit_line(ind, as_of, lang))),
        dcc.Store(id=ids.CURVE_ROWS, data=[]),  # the rows stay on the server (cached), not the page
        controls(choices, first, lang, together, method, level),
        html.Div(id=ids.INDICATOR_ADDRESS, hidden=True),
        html.Div([
            html.Div(status_line(drawn, first, lang), id=ids.CURVE_STATUS,
                     **{"aria-live": "polite"}),
            html.Figure([
                # The figure's own height (room for the legend below it on a phone).
                dcc.Graph(id=ids.CURVE_GRAPH, figure=figure, responsive=True,
                          style={"height": f"{figure['layout']['height']}px"}, config=config),
                html.Figcaption(_(
                    "Solid line with dots: actual figures. Dashed line: the baseline, where "
                    "the curve was headed when it was agreed, with its prediction intervals "
                    "shaded: darker, where 80% of later figures are expected to fall; "
                    "lighter, 95% (or the level chosen). Diamonds: targets. Symbols above "
                    "the actuals: ▲ better than, ≈ within, ▼ worse than the baseline."),
                    className="small text-body-secondary"),
            ], className="mb-2", **{"aria-label": name}),
            downloads(),
            html.H2(_("The figures"), className="h5"),
            scroll_region(table, _("The figures"), id=ids.CURVE_TABLE_REGION),
        ], id=ids.CURVE_SINGLE, style={"display": "none" if together else "block"}),
        html.Div(multiples, id=ids.CURVE_SMALL_MULTIPLES),
        *notes,
    ]


def agreement(curve: dict[str, Any], lang: str) -> list[Any]:
    """The baseline agreement form for coordinators and admins (nothing for others)."""
    if "rows" not in curve or not len(curve["rows"]):
        return []
    ind, rows = curve["indicator"], curve["rows"]
    seen = rows[rows["actual"].notna().to_numpy()].sort_values("ordinal")
    periods = list(dict.fromkeys(seen["period"].astype(str)))
    names = group_labels(curve, lang)
    labels = {str(d): names.get(s, str(d)) for s, d in
              curve["summary"][["series", "dimensions"]].itertuples(index=False)}
    panel = agreement_panel(ind["code"], ind["frequency"], periods, labels, lang)
    return [] if panel is None else [panel]


def layout(code: str | None = None, lang: str | None = None, **query: Any) -> html.Div:
    """The page of the indicator with this code, read fresh from the store, showing the
    group, method and level its address asks for (?where=, ?groups=all, ?method=, ?level=)."""
    lang = use_language(lang)
    if not code:
        return html.Div(not_found(code))
    with read_session() as session:
        inputs = page_inputs(session, code)
        as_of = figures_date(session, code)
    curve, detail = curve_for(inputs, None, None), inputs[0]
    if curve is None or detail is None:
        return html.Div(not_found(code))
    if "error" in curve:
        curve = {**curve, "indicator": detail.indicator}
    ind = curve["indicator"]
    series = None
    if "rows" in curve and len(curve["rows"]) and not all_groups(query.get(GROUPS)):
        series = shown_choice(curve, lang, query)[1]
    figures = html.P(latest_figure(curve, lang, series) if "rows" in curve else [],
                     id=ids.INDICATOR_LATEST, className="mb-3", **{"aria-live": "polite"})
    return html.Div([
        html.Nav([_("Result: "), dcc.Link(localized(ind, "result_name", lang), href="/")],
                 className="mb-2 small", **{"aria-label": _("Result")}),
        html.H1(localized(ind, "name", lang), id=ids.INDICATOR_NAME, className="h2"),
        html.P(dbc.Badge(_(KIND_WORDS.get(ind["kind"], ind["kind"])), color="secondary",
                         className="fw-normal"), className="mb-2"),
        figures,
        definitions(ind, lang),
        html.Section(curve_section(curve, lang, query, inputs, as_of), className="mb-4"),
        *agreement(curve, lang),
        story_section(ind["code"], lang),
    ])
