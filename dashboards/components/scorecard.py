"""The scorecard's rows on the pages: read once per data version, shown per result.

`load_scorecard` reads what the scorecard and result pages show (rba.services.scorecard:
published indicators, small groups suppressed); `indicator_row` draws one series:
sparkline, latest value and period, the verdict first, then the latest change, the change
since the first figure, progress and target colour, each saying what it compares, with its
figures one click away.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import MATCH, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dashboards import ids
from dashboards.auth import PUBLIC, secure_callback
from dashboards.cache import cached
from dashboards.components.badges import (
    band_badge,
    definition_button,
    trend_badge,
    verdict_badge,
)
from dashboards.components.tables import figures_table
from dashboards.data import read_session
from dashboards.i18n import _, current_language, use_language
from rba.i18n import (
    format_period,
    format_value,
    localized,
)
from rba.i18n.figures import change_words, progress_words, target_words
from rba.services.scorecard import ScorecardData, scorecard_page


def load_scorecard(today: dt.date | None = None) -> ScorecardData:
    """The public scorecard (suppressed small groups left out), read once per data version.

    Computing it reads every published observation; the result is shared through the
    cache (dashboards.cache), so only the first visit after a write pays for it.
    """
    day = today or dt.date.today()
    lang = current_language()
    with read_session() as session:
        return cached(session, "scorecard_data", (day.isoformat(), lang),
                      lambda: scorecard_page(session=session, today=day, lang=lang))


def sparkline(values: pd.Series, colour: str, alt: str) -> html.Img:
    """A tiny line of the values (an inline SVG image) with its meaning as alt text."""
    points = values.dropna().to_numpy(dtype=float)
    width, height, pad = 120, 34, 4
    if len(points) == 0:
        return html.Img(alt=alt, className="sparkline", width=width, height=height,
                        src="data:image/svg+xml," + quote(
                            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
                            f'height="{height}"></svg>'))
    low, high = float(points.min()), float(points.max())
    span = high - low or 1.0
    xs = np.linspace(pad, width - pad, len(points)) if len(points) > 1 else np.array(
        [width / 2])
    ys = height - pad - (points - low) / span * (height - 2 * pad)
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}"><polyline fill="none" stroke="{colour}" '
           f'stroke-width="2" stroke-linejoin="round" points="{path}"/>'
           f'<circle cx="{xs[-1]:.1f}" cy="{ys[-1]:.1f}" r="3" fill="{colour}"/></svg>')
    return html.Img(src="data:image/svg+xml," + quote(svg), alt=alt, className="sparkline",
                    width=width, height=height)


def series_points(data: ScorecardData, indicator: str, key: str) -> pd.DataFrame:
    """The published observations (with a value) of one series in period order."""
    start, stop = data.spans.get((indicator, key), (0, 0))
    return data.points.iloc[start:stop]


def indicator_row(data: ScorecardData, row: pd.Series, key: str, colour: str) -> html.Li:
    """One series: name (definition on hover), sparkline, latest figure and its judgements."""
    lang = current_language()
    name = localized(row, "name", lang)
    about = data.overview[data.overview["indicator"] == row["indicator"]]
    definition = localized(about.iloc[0], "lay_definition", lang) if len(about) else None
    points = series_points(data, row["indicator"], key)
    unit, per, frequency = row["unit"], row["per"], row["frequency"]
    # Only the ends are written here (the alt text); the whole table loads when opened.
    ends = points.iloc[[0, -1]] if len(points) else points
    periods = [format_period(p, frequency, lang) for p in ends["period"]]
    figures = [format_value(v, unit, per, lang) for v in ends["value"]]
    if len(points):
        alt = _("{name}: from {first} ({first_period}) to {last} ({last_period})").format(
            name=name, first=figures[0], first_period=periods[0], last=figures[-1],
            last_period=periods[-1])
    else:
        alt = _("{name}: no published figures yet").format(name=name)
    latest = [html.Span(format_value(row["latest_value"], unit, per, lang),
                        className="fw-semibold fs-5 lh-sm d-block latest"),
              html.Span(format_period(row["latest_period"], frequency, lang),
                        className="small text-body-secondary")]
    verdicts = html.Div([verdict_badge(row), html.Ul([
        html.Li([html.Span(_("Latest change:"), className="fact-label"), " ",
                 trend_badge(row["trend_direction"], row["trend_periods"], row["polarity"])]),
        html.Li(change_words(row, lang)),
        html.Li(progress_words(row, lang)),
        html.Li([html.Span(target_words(row, lang), className="fact-label"), " ",
                 band_badge(row["target_band"])]),
    ], className="facts list-unstyled small mb-0")], className="verdicts")
    # The figures load when first opened: drawn up front they were most of the page.
    ident = {"indicator": str(row["indicator"]), "key": key, "lang": lang}
    table = html.Details([
        html.Summary(_("Figures"), className="small",
                     id={"type": ids.SPARKLINE_FIGURES_OPEN, **ident}),
        html.Div(id={"type": ids.SPARKLINE_FIGURES, **ident}, **{"aria-live": "polite"}),
    ], className="figures")
    return html.Li([
        html.Div([
            html.Div([dcc.Link(name, href=f"/indicators/{row['indicator']}",
                               className="indicator-link fw-semibold"),
                      *definition_button(definition, ids.indicator_definition(row["indicator"]),
                                         name)],
                     className="indicator-name"),
            sparkline(points["value"], colour, alt),
            html.Div(latest, className="text-lg-end latest-figure"),
        ], className="indicator-top"),
        verdicts,
        table,
    ], className="list-group-item px-0 indicator-row", id=ids.indicator_row(row["indicator"]))


def series_figures(data: ScorecardData, indicator: str, key: str) -> dbc.Table | html.P:
    """The published figures behind one sparkline, as a table."""
    lang = current_language()
    about = data.summary[(data.summary["indicator"] == indicator).to_numpy()]
    points = series_points(data, indicator, key)
    if about.empty or points.empty:
        return html.P(_("No published figures yet."), className="small text-body-secondary")
    first = about.iloc[0]
    name = localized(first, "name", lang)
    rows = [[format_period(p, first["frequency"], lang),
             format_value(v, first["unit"], first["per"], lang)]
            for p, v in zip(points["period"], points["value"], strict=True)]
    return figures_table([_("Period"), _("Value")], rows,
                         caption=_("Figures of {name}").format(name=name))


#: Any one sparkline's figures (a pattern-matching id: indicator, group key, language).
EACH = {"indicator": MATCH, "key": MATCH, "lang": MATCH}


@secure_callback(PUBLIC,
                 Output({"type": ids.SPARKLINE_FIGURES, **EACH}, "children"),
                 Input({"type": ids.SPARKLINE_FIGURES_OPEN, **EACH}, "n_clicks"),
                 State({"type": ids.SPARKLINE_FIGURES_OPEN, **EACH}, "id"),
                 prevent_initial_call=True)
def show_figures(clicks: Any, ident: Any) -> Any:
    """The figures of a sparkline, the first time its disclosure is opened (public only)."""
    if clicks != 1 or not isinstance(ident, dict) or not all(
            isinstance(ident.get(k), str) for k in ("indicator", "key", "lang")):
        raise PreventUpdate
    use_language(ident["lang"])
    return series_figures(load_scorecard(), ident["indicator"], ident["key"])
