"""Indicator page: definitions, the turn-the-curve chart and table, and the latest story."""

from __future__ import annotations

import logging
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, State, dcc, html

from dashboards import ids
from dashboards.auth import PUBLIC, secure_callback
from dashboards.components import PARTNERSHIP, message
from dashboards.data import read_session
from rba.dimensions import TOTAL_KEY
from rba.report.charts import turn_the_curve_figure
from rba.report.curves import indicator_curves
from rba.report.format import (
    format_value,
    period_display,
    polarity_words,
    series_label,
    unit_words,
)
from rba.report.tables import curve_table, label_map, series_choices
from rba.store.queries import IndicatorDetail, indicator_detail

log = logging.getLogger(__name__)
ROW_FIELDS = ["series", "ordinal", "period", "actual", "numerator", "denominator", "forecast",
              "forecast_lower", "forecast_upper", "target"]
STORY_SECTIONS = (("story_behind_the_curve", "The story behind the curve"),
                  ("partners", "Partners with a role to play"),
                  ("what_works", "What works"),
                  ("action_plan", "Action plan"))
KIND_WORDS = {"headline": "Headline indicator", "secondary": "Secondary indicator",
              "development": "Data development agenda"}


def title(code: str | None = None, **_: Any) -> str:
    return f"{code} · {PARTNERSHIP}" if code else PARTNERSHIP


dash.register_page(__name__, path_template="/indicators/<code>", name="Indicator",
                   title=title)


def not_found(code: str | None) -> dbc.Alert:
    """What a visitor sees for an indicator code that is not in the store."""
    what = f"No indicator has the code “{code}”." if code else "No indicator was named."
    return message("Indicator not found", f"{what} It may have been renamed or not yet "
                   "loaded.", component_id=ids.NOT_FOUND)


def records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Curve rows as JSON-ready records for the page's store (blanks as None)."""
    frame = rows[[c for c in ROW_FIELDS if c in rows]].astype(object)
    return frame.where(frame.notna(), None).to_dict("records")


def series_view(series: str | None, rows: list[dict[str, Any]], meta: dict[str, Any]
                ) -> tuple[go.Figure, dbc.Table]:
    """The chart and the table of one series, from the page's stored rows and metadata."""
    frame = pd.DataFrame(rows, columns=ROW_FIELDS)
    frame = frame[frame["series"] == series]
    label = meta["labels"].get(series, "")
    figure = turn_the_curve_figure(frame, title=meta["name"], subtitle=label,
                                   unit=meta["unit"], per=meta["per"])
    table = curve_table(frame, unit=meta["unit"], per=meta["per"])
    unit = unit_words(meta["unit"], meta["per"])
    return figure, figures_table(table, f"{meta['name']}: {label} ({unit.lower()})")


def figures_table(table: pd.DataFrame, caption: str) -> dbc.Table:
    """The figures behind the chart as an accessible table (numbers right-aligned)."""
    head = html.Thead(html.Tr([html.Th(c, scope="col", className="text-end" if i else "")
                               for i, c in enumerate(table.columns)]))
    body = html.Tbody([
        html.Tr([html.Th(row[0], scope="row", className="text-nowrap")]
                + [html.Td(v, className="text-end") for v in row[1:]])
        for row in table.itertuples(index=False)
    ])
    return dbc.Table([html.Caption(caption), head, body], id=ids.CURVE_TABLE, striped=True,
                     hover=True, size="sm", responsive=True, className="caption-top")


# Public: it redraws from the rows already on the page (published indicators only).
@secure_callback(
    PUBLIC,
    Output(ids.CURVE_GRAPH, "figure"),
    Output(ids.CURVE_TABLE, "children"),
    Input(ids.SERIES_DROPDOWN, "value"),
    State(ids.CURVE_ROWS, "data"),
    State(ids.CURVE_META, "data"),
    prevent_initial_call=True,
)
def show_series(series: str | None, rows: list[dict[str, Any]], meta: dict[str, Any]
                ) -> tuple[go.Figure, list[Any]]:
    """Redraw the chart and table for the series picked in the dropdown."""
    figure, table = series_view(series, rows, meta)
    return figure, table.children


def facts(ind: dict[str, Any]) -> html.Dl:
    """Unit, polarity, frequency and source as a definition list."""
    items = [("Unit", unit_words(ind["unit"], ind["per"])),
             ("Which way is better", polarity_words(ind["polarity"])),
             ("How often", ind["frequency"].replace("_", " ").capitalize()),
             ("Source", ind["source"] or "Not recorded")]
    return html.Dl([part for term, text in items
                    for part in (html.Dt(term), html.Dd(text))], className="mb-0")


def definitions(ind: dict[str, Any]) -> dbc.Row:
    """The lay and technical definitions beside the indicator's facts."""
    text = [html.H2("What it measures", className="h5"),
            html.P(ind["lay_definition"] or "No definition yet.")]
    if ind["technical_definition"]:
        text += [html.H3("Technical definition", className="h6 mt-3"),
                 html.P(ind["technical_definition"], className="small")]
    return dbc.Row([
        dbc.Col(text, md=7),
        dbc.Col(dbc.Card(dbc.CardBody(facts(ind)), className="bg-body-tertiary border-0"),
                md=5),
    ], className="mb-4 g-4")


def story_card(story: dict[str, Any] | None) -> dbc.Card | html.Div:
    """The latest turn-the-curve record, or a note that the team has not written one yet."""
    if story is None:
        return html.Div(html.P("The result team has not yet written the story behind this "
                               "curve.", className="text-body-secondary"), id=ids.STORY)
    body: list[Any] = []
    for field, heading in STORY_SECTIONS:
        text = story.get(field)
        if not text:
            continue
        body.append(html.H3(heading, className="h6 mt-3"))
        if field == "partners":
            body.append(html.Ul([html.Li(p.strip()) for p in text.split(";") if p.strip()]))
        else:
            body.append(html.P(text))
    saved = story["saved_at"]
    when = saved.strftime("%B %-d, %Y") if hasattr(saved, "strftime") else str(saved)
    return dbc.Card([
        dbc.CardHeader(html.H2("Turn the curve", className="h5 mb-0")),
        dbc.CardBody(body),
        dbc.CardFooter(f"Version {story['version']}, saved by {story['saved_by']} on {when}",
                       className="small text-body-secondary"),
    ], id=ids.STORY, className="mt-4")


def curve_section(detail: IndicatorDetail) -> list[Any]:
    """The series picker, the chart of the total and the table behind it."""
    ind = detail.indicator
    try:
        rows, summary = indicator_curves(detail.curve_inputs)
    except ValueError as error:  # figures that break the calc's contract: say which
        return [dbc.Alert(f"The curve could not be drawn: {error}", color="warning")]
    except Exception:  # the rest of the page is still worth showing
        log.exception("turn-the-curve calculation failed for %s", ind["code"])
        return [dbc.Alert("The curve could not be drawn because of an error in the "
                          "calculation; it has been logged.", color="warning")]
    if not len(rows):
        return [dbc.Alert("No figures have been entered for this indicator yet.",
                          color="light", className="border")]
    series = summary[["series", "dimensions"]]
    choices = series_choices(series, detail.dimension_labels, ind["dimensions"])
    names = label_map(detail.dimension_labels)
    meta = {"name": ind["name"], "unit": ind["unit"], "per": ind["per"],
            "labels": {s: series_label(d, names, ind["dimensions"])
                       for s, d in series.itertuples(index=False)}}
    first = choices[0]["value"]
    stored = records(rows)
    figure, table = series_view(first, stored, meta)
    picker = []
    if len(choices) > 1:
        picker = [dbc.Label("Show figures for", html_for=ids.SERIES_DROPDOWN,
                            className="fw-semibold"),
                  dcc.Dropdown(id=ids.SERIES_DROPDOWN, options=choices, value=first,
                               clearable=False, searchable=False, className="mb-3")]
    return [
        dcc.Store(id=ids.CURVE_ROWS, data=stored),
        dcc.Store(id=ids.CURVE_META, data=meta),
        dbc.Row(dbc.Col(picker, md=6)),
        html.Figure([
            dcc.Graph(id=ids.CURVE_GRAPH, figure=figure, responsive=True,
                      style={"height": "460px"},
                      config={"displaylogo": False,
                              "modeBarButtonsToRemove": ["select2d", "lasso2d"]}),
            html.Figcaption(
                "Solid line with dots: actual figures. Dashed line: where the curve is "
                "headed on the current course, with its 95% prediction interval shaded. "
                "Diamonds, where shown: targets. The table below lists the same figures.",
                className="small text-body-secondary"),
        ], className="mb-4"),
        html.H2("The figures", className="h5"),
        table,
    ]


def latest_figure(detail: IndicatorDetail) -> html.P:
    """The latest total figure and its period, e.g. "82.1% in School year 2024-25"."""
    obs = detail.curve_inputs.observations
    totals = obs[(obs["dimensions"] == TOTAL_KEY) & obs["value"].notna()]
    if not len(totals):
        return html.P("Not yet measured.", className="text-body-secondary")
    ind, last = detail.indicator, totals.sort_values("ordinal").iloc[-1]
    return html.P([
        html.Span("Latest: ", className="text-body-secondary"),
        html.Strong(format_value(last["value"], ind["unit"], ind["per"]),
                    className="fs-4 me-2"),
        html.Span(period_display(last["period"], ind["frequency"]),
                  className="text-body-secondary"),
    ], className="mb-3")


def layout(code: str | None = None, **_query: str) -> html.Div:
    """The page of the indicator with this code, read fresh from the store."""
    with read_session() as session:
        detail = indicator_detail(session=session, code=code) if code else None
    if detail is None:
        return html.Div(not_found(code))
    ind = detail.indicator
    return html.Div([
        html.Nav(["Result: ", dcc.Link(ind["result_name"], href="/")],
                 className="mb-2 small", **{"aria-label": "Result"}),
        html.H1(ind["name"], id=ids.INDICATOR_NAME, className="h2"),
        html.P(dbc.Badge(KIND_WORDS.get(ind["kind"], ind["kind"]), color="secondary",
                         className="fw-normal"), className="mb-2"),
        latest_figure(detail),
        definitions(ind),
        html.Section(curve_section(detail), className="mb-4"),
        story_card(detail.story),
    ])
