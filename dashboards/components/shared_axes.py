"""Small multiples read as one chart: one y-axis range (and one time axis) for every panel,
and one legend for all.

Each panel is its own dcc.Graph (so the grid reflows from three columns to one on a phone),
which by itself would give each panel its own y-axis: a group near the total's level and one
far below it would look alike. `share_y_axis` gives every panel the range that holds all
their figures, and `shared_legend` draws the panels' legend once, above them, from the
traces themselves, so it always names what the panels draw.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from dash import html

from dashboards.i18n import _

#: Room above and below the figures, as a share of their span: the status symbols drawn
#: above the actuals stay inside the plot.
PADDING = 0.08
#: Period labels along each panel's time axis, at most.
TICKS = 4


def _numbers(values: Any) -> list[float]:
    """The finite numbers of a trace's y (a list or an array; anything else has none)."""
    if isinstance(values, np.ndarray):
        values = values.ravel().tolist()
    out = []
    for v in values if isinstance(values, list | tuple) else []:
        try:
            number = float(v)
        except (TypeError, ValueError):
            continue
        if math.isfinite(number):
            out.append(number)
    return out


def shared_y_range(figures: list[dict[str, Any]]) -> list[float] | None:
    """The y range that holds every figure of every panel (None when there are none).

    Padded by PADDING of the span on each side, and never below 0 when nothing is.
    """
    values = [v for figure in figures for trace in figure.get("data", [])
              for v in _numbers(trace.get("y"))]
    if not values:
        return None
    low, high = min(values), max(values)
    pad = (high - low) * PADDING or max(abs(high) * PADDING, 1.0)
    bottom = low - pad
    if low >= 0:
        bottom = max(bottom, 0.0)
    return [bottom, high + pad]


def shared_periods(figures: list[dict[str, Any]]) -> list[str]:
    """Every period any panel draws, in time order (period labels of one frequency sort as
    text: "2016-17", "2024-Q3", "2024-03", "FY2024")."""
    return sorted({str(x) for figure in figures for trace in figure.get("data", [])
                   for x in (trace.get("x") if isinstance(trace.get("x"), list | tuple)
                             else [])})


def _title_lines(figure: dict[str, Any]) -> int:
    title = figure["layout"].get("title") or {}
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return str(text).count("<br>") + 1 if text else 0


def share_y_axis(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The panels on one frame: one y range (shared_y_range), the same periods along x
    (shared_periods, kept by a blank trace where a panel lacks some), the same room for
    titles (so the plots line up along a row), and no legend of their own."""
    span = shared_y_range(figures)
    periods = shared_periods(figures)
    top = 22 + 18 * max((_title_lines(f) for f in figures), default=1)
    out = []
    for figure in figures:
        layout = dict(figure["layout"])
        yaxis = dict(layout.get("yaxis", {}))
        if span is not None:
            yaxis.update(range=span, autorange=False)
        # The same few labels, level, on every panel: labels left to plotly turn and thin
        # out differently from panel to panel, leaving plots of different heights.
        step = max(math.ceil(len(periods) / TICKS), 1)
        xaxis = {**layout.get("xaxis", {}), "categoryorder": "array",
                 "categoryarray": periods, "tickvals": periods[::step],
                 "ticktext": periods[::step], "tickangle": 0, "automargin": False}
        layout.update(yaxis=yaxis, xaxis=xaxis, showlegend=False,
                      margin={**layout.get("margin", {}), "t": top, "b": 34})
        data = list(figure["data"])
        if periods and figure["data"]:
            data.insert(0, {"type": "scatter", "x": periods, "y": [None] * len(periods),
                            "mode": "lines", "showlegend": False, "hoverinfo": "skip",
                            "name": ""})
        out.append({**figure, "data": data, "layout": layout})
    return out


def _swatch(trace: dict[str, Any]) -> html.Span:
    """A small drawing of a trace as its legend shows it: a line (solid or dashed, with a
    dot where the trace has markers), a marker alone, or a shaded band."""
    line = trace.get("line") or {}
    marker = trace.get("marker") or {}
    mode = str(trace.get("mode", ""))
    box = {"display": "inline-block", "width": "28px", "verticalAlign": "middle",
           "position": "relative", "marginRight": "0.35rem"}
    if trace.get("fill"):
        return html.Span(className="legend-swatch", style={
            **box, "height": "12px", "background": trace.get("fillcolor", "#ccc")})
    if "lines" not in mode:
        symbol = "◆" if "diamond" in str(marker.get("symbol", "")) else "●"
        return html.Span(symbol, className="legend-swatch", style={
            **box, "width": "auto", "color": marker.get("color", "#212529"),
            "textShadow": "0 0 1px #1b1b1b"}, **{"aria-hidden": "true"})
    style = "dashed" if line.get("dash") in ("dash", "longdash", "dashdot") else (
        "dotted" if line.get("dash") == "dot" else "solid")
    colour = line.get("color", "#212529")
    dot = [html.Span(style={"position": "absolute", "left": "10px", "top": "-5px",
                            "width": "8px", "height": "8px", "borderRadius": "50%",
                            "background": colour})] if "markers" in mode else []
    return html.Span(dot, className="legend-swatch", style={
        **box, "height": "0", "borderTop": f"3px {style} {colour}"})


def legend_entries(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The traces a legend names, once each by name, in the panels' legend order."""
    seen: dict[str, dict[str, Any]] = {}
    for figure in figures:
        for trace in figure.get("data", []):
            name = trace.get("name")
            if name and trace.get("showlegend", True) is not False and name not in seen:
                seen[name] = trace
    return sorted(seen.values(), key=lambda t: t.get("legendrank", 1000))


def shared_legend(figures: list[dict[str, Any]], component_id: str,
                  status_symbols: bool) -> html.Div:
    """One legend for every panel, above them; with the status symbols explained when the
    panels draw them above the actuals."""
    items: list[Any] = [html.Span([_swatch(t), t["name"]], className="text-nowrap")
                        for t in legend_entries(figures)]
    if status_symbols:
        items.append(html.Span(_("▲ better than, ≈ within, ▼ worse than the baseline")))
    return html.Div(items, id=component_id, className="d-flex flex-wrap column-gap-3 "
                    "row-gap-1 small mb-2 align-items-center",
                    role="group", **{"aria-label": _("Legend of the charts below")})
