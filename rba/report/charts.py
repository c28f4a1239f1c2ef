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

from rba.calc.forecast import INNER_LEVEL
from rba.i18n import format_value, translator, unit_words
from rba.periods import PERIODS_PER_YEAR

#: Okabe-Ito colours: blue, vermillion, bluish green.
ACTUAL_COLOUR = "#0072B2"
FORECAST_COLOUR = "#D55E00"
#: The chosen level's band (95% by default) lighter, the inner 80% band darker over it.
BAND_COLOUR = "rgba(213, 94, 0, 0.12)"
INNER_BAND_COLOUR = "rgba(213, 94, 0, 0.22)"
TARGET_COLOUR = "#009E73"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def trace_names(lang: str = "en", level: float = 0.95) -> dict[str, str]:
    """The names a turn-the-curve chart gives its traces (and says when it has none)."""
    _ = translator(lang)
    # Translators: {level:.0%} is the interval's level, such as 95%.
    band = _("{level:.0%} prediction interval")
    return {"actual": _("Actual"), "forecast": _("Forecast (current course)"),
            "band": band.format(level=level), "inner_band": band.format(level=INNER_LEVEL),
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


def _with_interval(values: pd.Series, bands: list[tuple[float, pd.Series, pd.Series]],
                   unit: str, per: Any, lang: str) -> list[str]:
    """Hover text of the forecast: the value, and each band (level, lower, upper) where it
    has one, widest first: "2,500 (95%: 1,200 to 3,800; 80%: 1,700 to 3,300)"."""
    _ = translator(lang)
    # Translators: one prediction interval in a hover text, such as "95%: 4.1 to 5.3".
    between = _("{level:.0%}: {lower} to {upper}")
    out = []
    for i, v in enumerate(values):
        parts = [between.format(level=level, lower=format_value(lo.iloc[i], unit, per, lang),
                                upper=format_value(hi.iloc[i], unit, per, lang))
                 for level, lo, hi in bands
                 if pd.notna(lo.iloc[i]) and pd.notna(hi.iloc[i]) and lo.iloc[i] != hi.iloc[i]]
        out.append(format_value(v, unit, per, lang) + (f" ({'; '.join(parts)})" if parts
                                                       else ""))
    return out


#: At most this many period labels on the x axis, so they stay level and legible on a phone.
MAX_X_LABELS = 6


def x_labels(rows: pd.DataFrame, x: list[str], season: int) -> list[str]:
    """The periods to label: the first of a year (Q1, January), every so many whole years,
    so that at most MAX_X_LABELS show; every period where there are that few."""
    if len(x) <= MAX_X_LABELS or "ordinal" not in rows:
        return x
    ordinal = rows["ordinal"].to_numpy(dtype=np.int64)
    season = max(int(season), 1)
    years = -(-len(x) // season)
    every = -(-years // MAX_X_LABELS)
    year = ordinal // season
    starts = (ordinal % season == 0) & ((year - year[0]) % every == 0)
    chosen = [p for p, keep in zip(x, starts, strict=True) if keep]
    return chosen or x[::-(-len(x) // MAX_X_LABELS)]


def _band(x: list[str], lower: pd.Series, upper: pd.Series, name: str, colour: str,
          rank: int) -> list[dict[str, Any]]:
    """A filled band between two bounds: its upper edge, then its lower edge filled up to it."""
    keep = (lower.notna() & upper.notna()).to_numpy()
    bx = [p for p, k in zip(x, keep, strict=True) if k]
    group = f"band{rank}"
    return [_trace(x=bx, y=upper.to_numpy()[keep], mode="lines", line={"width": 0},
                   hoverinfo="skip", showlegend=False, legendgroup=group, legendrank=rank,
                   name=name),
            _trace(x=bx, y=lower.to_numpy()[keep], mode="lines", line={"width": 0},
                   fill="tonexty", fillcolor=colour, legendgroup=group, legendrank=rank,
                   hoverinfo="skip", name=name)]


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
    level: float = 0.95, subtitle: str | None = None, frequency: str | None = None,
) -> dict[str, Any]:
    """The turn-the-curve chart of one series as plain plotly JSON (no template).

    What `turn_the_curve_figure` draws, as the dict plotly's `Figure.to_plotly_json` gives
    (tests check plotly accepts every property); the dashboard sends it as it is, since
    building plotly's validated objects cost more than the rest of a page update. The
    ``level`` band is drawn lighter and, where the level is above 80%, the 80% band of the
    same fit darker inside it. ``frequency`` (the indicator's) places the x labels on years.
    """
    names = trace_names(lang, level)
    rows = rows.sort_values("ordinal", kind="stable") if "ordinal" in rows else rows
    x = rows["period"].astype(str).tolist() if "period" in rows else []
    actual, forecast = _column(rows, "actual"), _column(rows, "forecast")
    shown_forecast = anchored(actual, forecast)
    lower, upper = (anchored(actual, _column(rows, c))
                    for c in ("forecast_lower", "forecast_upper"))
    bands = [(level, lower, upper)]
    has_band = bool((lower.notna() & upper.notna()).any())
    if has_band and level > INNER_LEVEL + 1e-9:  # an inner band only inside a wider one
        inner = [anchored(actual, _column(rows, c))
                 for c in ("forecast_lower_80", "forecast_upper_80")]
        if (inner[0].notna() & inner[1].notna()).any():
            bands.append((INNER_LEVEL, inner[0], inner[1]))
    target = _column(rows, "target")
    hover = "%{x}<br>%{fullData.name}: %{customdata}<extra></extra>"
    # Drawn back to front: bands (wide, then inner), forecast, actual, target; the legend
    # reads actual, forecast, the inner band, the wide band, target.
    data: list[dict[str, Any]] = []
    if has_band:
        data += _band(x, lower, upper, names["band"], BAND_COLOUR, 4)
    if len(bands) > 1:
        data += _band(x, bands[1][1], bands[1][2], names["inner_band"], INNER_BAND_COLOUR, 3)
    if forecast.notna().any():
        data.append(_trace(
            x=x, y=shown_forecast.to_numpy(), mode="lines", name=names["forecast"],
            connectgaps=True, legendrank=2,
            line={"color": FORECAST_COLOUR, "dash": "dash", "width": 2.5},
            customdata=_with_interval(shown_forecast, bands, unit, per, lang),
            hovertemplate=hover))
    if actual.notna().any():
        data.append(_trace(
            x=x, y=actual.to_numpy(), mode="lines+markers", name=names["actual"],
            legendrank=1, line={"color": ACTUAL_COLOUR, "width": 3}, marker={"size": 8},
            customdata=_formatted(actual, unit, per, lang), hovertemplate=hover))
    if target.notna().any():
        data.append(_trace(
            x=x, y=target.to_numpy(), mode="markers", name=names["target"], legendrank=5,
            marker={"symbol": "diamond", "size": 14, "color": TARGET_COLOUR,
                    "line": {"color": "#1b1b1b", "width": 1.5}},
            customdata=_formatted(target, unit, per, lang), hovertemplate=hover))
    heading_lines = wrapped(title).count("<br>") + 1 + (
        wrapped(subtitle).count("<br>") + 1 if subtitle else 0)
    labelled = x_labels(rows, x, PERIODS_PER_YEAR.get(str(frequency), 1))
    layout: dict[str, Any] = {
        "title": {"text": wrapped(title), "x": 0, "xanchor": "left", "font": {"size": 16},
                  "subtitle": {"text": wrapped(subtitle) if subtitle else "",
                               "font": {"size": 14, "color": "#495057"}}},
        "font": {"family": FONT, "size": 14, "color": "#212529"},
        # Tall enough that on a phone (390 px) the plot keeps about 250 px under the
        # heading, with the legend wrapped below the period labels.
        "margin": {"l": 50, "r": 10, "t": 30 + 24 * heading_lines, "b": 30}, "height": 500,
        "hovermode": "x",
        # Below everything (tick labels included), so long period labels never hide it.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "yref": "container",
                   "y": 0, "yanchor": "bottom", "font": {"size": 13},
                   "traceorder": "normal"},
        "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": x,
                  "automargin": True, "tickmode": "array", "tickvals": labelled,
                  "ticktext": labelled, "autotickangles": [0, 30]},
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
    frequency: str | None = None,
) -> go.Figure:
    """The turn-the-curve chart of one series from its curve rows, ordered by period.

    ``rows`` has period (label) and ordinal, and any of actual, forecast, forecast_lower,
    forecast_upper, forecast_lower_80, forecast_upper_80 and target; a column that is
    absent or blank draws nothing. The title
    (and subtitle, e.g. the group) name the chart for screen readers too. ``template``
    None leaves the template off, for `figure_json` to attach.
    """
    figure = go.Figure(turn_the_curve_spec(rows, title=title, unit=unit, per=per, lang=lang,
                                           level=level, subtitle=subtitle,
                                           frequency=frequency))
    if template is not None:
        figure.update_layout(template=template)
    return figure
