"""Turn-the-curve charts: history, forecast with its prediction interval, and targets.

Pure plotly: the figure is built from one series' curve rows (rba.calc output) and knows
nothing of the database or of Dash. Colours are from the Okabe-Ito palette, which readers
with colour-vision deficiency can tell apart, and every trace also differs in line style or
marker shape, so colour is never the only cue.
"""

from __future__ import annotations

import functools
import textwrap
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from rba.i18n import format_value, translator, unit_words

#: Okabe-Ito colours: blue, vermillion, bluish green.
ACTUAL_COLOUR = "#0072B2"
FORECAST_COLOUR = "#D55E00"
BAND_COLOUR = "rgba(213, 94, 0, 0.15)"
TARGET_COLOUR = "#009E73"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def trace_names(lang: str = "en", level: float = 0.95) -> dict[str, str]:
    """The names a turn-the-curve chart gives its traces (and says when it has none)."""
    _ = translator(lang)
    return {"actual": _("Actual"), "forecast": _("Forecast (current course)"),
            # Translators: {level:.0%} is the interval's level, such as 95%.
            "band": _("{level:.0%} prediction interval").format(level=level),
            "target": _("Target"), "empty": _("No figures yet for this series")}


TEMPLATE = "plotly_white"

def _column(rows: pd.DataFrame, name: str) -> pd.Series:
    """A numeric column of the rows, all-NaN when calc did not return it."""
    if name not in rows:
        return pd.Series(np.nan, index=rows.index, dtype=float)
    return pd.to_numeric(rows[name], errors="coerce").astype(float)


def anchored(actual: pd.Series, line: pd.Series) -> pd.Series:
    """A forecast line (or bound) starting from the last actual before the forecast begins.

    Only for drawing: the line then visibly continues the history instead of floating apart
    from it. The point added is the actual itself, never a forecast value.
    """
    values = line.to_numpy(dtype=float).copy()
    known = np.flatnonzero(~np.isnan(values))
    if len(known) and known[0] > 0:
        before = known[0] - 1
        if not np.isnan(actual.iloc[before]):
            values[before] = actual.iloc[before]
    return pd.Series(values, index=line.index)


def wrapped(text: str, width: int = 38) -> str:
    """Text broken into lines of at most ``width`` characters with <br>, for plotly titles."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def _formatted(values: pd.Series, unit: str, per: Any, lang: str) -> list[str]:
    return [format_value(v, unit, per, lang) for v in values]


def _with_interval(values: pd.Series, lower: pd.Series, upper: pd.Series, unit: str,
                   per: Any, lang: str) -> list[str]:
    """Hover text of the forecast: the value, and its interval where there is one."""
    _ = translator(lang)
    # Translators: a prediction interval, such as "4.1 to 5.3".
    between = _("{lower} to {upper}")
    return [format_value(v, unit, per, lang) + (
        " (" + between.format(lower=format_value(lo, unit, per, lang),
                              upper=format_value(hi, unit, per, lang)) + ")"
        if pd.notna(lo) and pd.notna(hi) and lo != hi else "")
        for v, lo, hi in zip(values, lower, upper, strict=True)]


def template_json(name: str = TEMPLATE) -> dict[str, Any]:
    """A plotly template as plain JSON (read once per process: it never changes)."""
    return _template_json(name)


@functools.cache
def _template_json(name: str) -> dict[str, Any]:
    return pio.templates[name].to_plotly_json()


def figure_json(figure: go.Figure | dict[str, Any], template: str = TEMPLATE
                ) -> dict[str, Any]:
    """A figure (or its plain JSON) drawn without a template, with ``template`` attached.

    The same JSON as setting the template on the figure, without plotly validating and
    copying the whole template for every figure (the larger part of drawing one chart).
    """
    out = dict(figure) if isinstance(figure, dict) else figure.to_plotly_json()
    out["layout"] = {**out["layout"], "template": template_json(template)}
    return out


def _trace(**props: Any) -> dict[str, Any]:
    return {"type": "scatter", **props}


def turn_the_curve_spec(
    rows: pd.DataFrame, *, title: str, unit: str, per: Any = None, lang: str = "en",
    level: float = 0.95, subtitle: str | None = None,
) -> dict[str, Any]:
    """The turn-the-curve chart of one series as plain plotly JSON (no template).

    What `turn_the_curve_figure` draws, as the dict plotly's `Figure.to_plotly_json` gives
    (tests check plotly accepts every property); the dashboard sends it as it is, since
    building plotly's validated objects cost more than the rest of a page update.
    """
    names = trace_names(lang, level)
    rows = rows.sort_values("ordinal", kind="stable") if "ordinal" in rows else rows
    x = rows["period"].astype(str).tolist() if "period" in rows else []
    actual, forecast = _column(rows, "actual"), _column(rows, "forecast")
    lower, upper = _column(rows, "forecast_lower"), _column(rows, "forecast_upper")
    shown_forecast = anchored(actual, forecast)
    lower, upper = anchored(actual, lower), anchored(actual, upper)
    target = _column(rows, "target")
    hover = "%{x}<br>%{fullData.name}: %{customdata}<extra></extra>"
    # Drawn back to front: band, forecast, actual, target; the legend reads actual first.
    data: list[dict[str, Any]] = []
    band = (lower.notna() & upper.notna()).to_numpy()
    if band.any():
        bx = [p for p, keep in zip(x, band, strict=True) if keep]
        band_name = names["band"]
        data.append(_trace(
            x=bx, y=upper.to_numpy()[band], mode="lines", line={"width": 0},
            hoverinfo="skip", showlegend=False, legendgroup="band", legendrank=3,
            name=band_name))
        data.append(_trace(
            x=bx, y=lower.to_numpy()[band], mode="lines", line={"width": 0}, fill="tonexty",
            fillcolor=BAND_COLOUR, legendgroup="band", legendrank=3, hoverinfo="skip",
            name=band_name))
    if forecast.notna().any():
        data.append(_trace(
            x=x, y=shown_forecast.to_numpy(), mode="lines", name=names["forecast"],
            connectgaps=True, legendrank=2,
            line={"color": FORECAST_COLOUR, "dash": "dash", "width": 2.5},
            customdata=_with_interval(shown_forecast, lower, upper, unit, per, lang),
            hovertemplate=hover))
    if actual.notna().any():
        data.append(_trace(
            x=x, y=actual.to_numpy(), mode="lines+markers", name=names["actual"],
            legendrank=1, line={"color": ACTUAL_COLOUR, "width": 3}, marker={"size": 8},
            customdata=_formatted(actual, unit, per, lang), hovertemplate=hover))
    if target.notna().any():
        data.append(_trace(
            x=x, y=target.to_numpy(), mode="markers", name=names["target"], legendrank=4,
            marker={"symbol": "diamond", "size": 14, "color": TARGET_COLOUR,
                    "line": {"color": "#1b1b1b", "width": 1.5}},
            customdata=_formatted(target, unit, per, lang), hovertemplate=hover))
    heading_lines = wrapped(title).count("<br>") + 1 + (
        wrapped(subtitle).count("<br>") + 1 if subtitle else 0)
    layout: dict[str, Any] = {
        "title": {"text": wrapped(title), "x": 0, "xanchor": "left", "font": {"size": 16},
                  "subtitle": {"text": wrapped(subtitle) if subtitle else "",
                               "font": {"size": 14, "color": "#495057"}}},
        "font": {"family": FONT, "size": 14, "color": "#212529"},
        "margin": {"l": 60, "r": 20, "t": 30 + 24 * heading_lines, "b": 40}, "height": 460,
        "hovermode": "x",
        # Below everything (tick labels included), so long period labels never hide it.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "yref": "container",
                   "y": 0, "yanchor": "bottom"},
        "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": x,
                  "automargin": True},
        "yaxis": {"title": {"text": unit_words(unit, per, lang)}, "tickformat": ",",
                  "ticksuffix": "%" if unit == "percent" else "", "automargin": True},
    }
    if not data:
        layout["annotations"] = [{"text": names["empty"], "showarrow": False, "x": 0.5,
                                  "y": 0.5, "xref": "paper", "yref": "paper",
                                  "font": {"size": 16}}]
        layout["xaxis"]["visible"] = False
        layout["yaxis"]["visible"] = False
    return {"data": data, "layout": layout}


def turn_the_curve_figure(
    rows: pd.DataFrame, *, title: str, unit: str, per: Any = None, lang: str = "en",
    level: float = 0.95, subtitle: str | None = None, template: str | None = TEMPLATE,
) -> go.Figure:
    """The turn-the-curve chart of one series from its curve rows, ordered by period.

    ``rows`` has period (label) and ordinal, and any of actual, forecast, forecast_lower,
    forecast_upper and target; a column that is absent or blank draws nothing. The title
    (and subtitle, e.g. the group) name the chart for screen readers too. ``template``
    None leaves the template off, for `figure_json` to attach.
    """
    figure = go.Figure(turn_the_curve_spec(rows, title=title, unit=unit, per=per, lang=lang,
                                           level=level, subtitle=subtitle))
    if template is not None:
        figure.update_layout(template=template)
    return figure
