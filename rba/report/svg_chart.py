"""The turn-the-curve chart as a small inline SVG, for documents that must work offline
(the annual report card, in HTML and as PDF).

Drawn by hand rather than through plotly's image export (which needs kaleido and a
browser) or matplotlib (not otherwise a dependency; its SVG draws every glyph as a path,
30-60 KB a chart): a few lines, a band and some text, 3-6 KB a chart, whose words stay
text a reader can search and copy and that take the document's own font. The marks are
the dashboard's (rba.report.charts): Okabe-Ito colours, and every series also differs in
line style or marker shape, so colour is never the only cue.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from rba.i18n import format_number, format_period, format_value, translator
from rba.report.charts import (
    ACTUAL_COLOUR,
    FORECAST_COLOUR,
    TARGET_COLOUR,
    anchored,
    trace_names,
)

WIDTH, HEIGHT = 640, 230
#: Room for the y-axis labels (left), the period labels (bottom) and the legend (below).
LEFT, RIGHT, TOP, BOTTOM, LEGEND = 64, 12, 10, 26, 24
#: Height of each further row of the legend.
LEGEND_ROW = 18
FONT_SIZE = 12
#: Width of an average character of the legend, in font sizes (DejaVu Sans is wide).
CHARACTER_WIDTH = 0.62
BAND_FILL = "#D55E00"
BAND_OPACITY = 0.15
MAX_PERIOD_LABELS = 8


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis ticks covering [low, high]: steps of 1, 2, 2.5 or 5 times a power of ten."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    n = int(round((last - first) / step))
    return [round(first + i * step, 10) for i in range(n + 1)]


def _column(rows: pd.DataFrame, name: str) -> np.ndarray:
    if name not in rows:
        return np.full(len(rows), np.nan)
    return pd.to_numeric(rows[name], errors="coerce").to_numpy(dtype=float)


def _path(xs: np.ndarray, ys: np.ndarray) -> str:
    """Polyline points of the finite values, a run per stretch without gaps."""
    runs: list[list[str]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if np.isfinite(y):
            runs[-1].append(f"{x:.1f},{y:.1f}")
        elif runs[-1]:
            runs.append([])
    return " M".join(" L".join(run) for run in runs if run)


def _tick_text(value: float, unit: str, step: float, lang: str) -> str:
    decimals = 0 if step >= 1 else (1 if step >= 0.1 else 2)
    text = format_number(value, lang, decimals)
    return f"{text}%" if unit == "percent" else (f"${text}" if unit == "currency" else text)


def turn_the_curve_svg(rows: pd.DataFrame, *, title: str, unit: str, per: Any = None,
                       frequency: str = "year", lang: str = "en", level: float = 0.95,
                       width: int = WIDTH, height: int = HEIGHT) -> str:
    """One series' turn-the-curve chart as an SVG element: history, the baseline forecast
    with its prediction interval, and targets.

    ``rows`` are curve rows (period, ordinal, actual, forecast, forecast_lower,
    forecast_upper, target), one per period, drawn in ordinal order; a blank column draws
    nothing. ``title`` names the chart for screen readers.
    """
    names = trace_names(lang, level)
    rows = rows.sort_values("ordinal", kind="stable") if "ordinal" in rows else rows
    actual, forecast = _column(rows, "actual"), _column(rows, "forecast")
    lower, upper = _column(rows, "forecast_lower"), _column(rows, "forecast_upper")
    target = _column(rows, "target")
    line = anchored(pd.Series(actual), pd.Series(forecast)).to_numpy()
    lower = anchored(pd.Series(actual), pd.Series(lower)).to_numpy()
    upper = anchored(pd.Series(actual), pd.Series(upper)).to_numpy()
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {width} {height}" width="100%" '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title>')
    values = np.concatenate([actual, line, lower, upper, target])
    values = values[np.isfinite(values)]
    if len(rows) == 0 or not len(values):
        return (head + f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle" '
                f'font-size="{FONT_SIZE}" class="chart-empty">{escape(names["empty"])}'
                '</text></svg>')
    ticks = nice_ticks(float(values.min()), float(values.max()))
    if unit == "percent":
        ticks = [t for t in ticks if -1e-9 <= t <= 100 + 1e-9] or ticks
    bottom_value, top_value = ticks[0], ticks[-1]
    keys = _legend_keys(names, has_band=bool((np.isfinite(lower) & np.isfinite(upper)).any()),
                        has_forecast=bool(np.isfinite(line).any()),
                        has_actual=bool(np.isfinite(actual).any()),
                        has_target=bool(np.isfinite(target).any()))
    places = _legend_places(keys, width)
    legend_rows = max((r for _x, r in places), default=0) + 1
    plot_bottom = height - BOTTOM - LEGEND - (legend_rows - 1) * LEGEND_ROW
    span = (top_value - bottom_value) or 1.0
    n = len(rows)
    # A category axis, as the dashboard's: each period the middle of its own slot.
    step_x = (width - LEFT - RIGHT) / n
    xs = LEFT + (np.arange(n) + 0.5) * step_x

    def y_of(v: np.ndarray) -> np.ndarray:
        return plot_bottom - (v - bottom_value) / span * (plot_bottom - TOP)

    parts = [head]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    for tick in ticks:  # grid and y labels
        y = float(y_of(np.array([tick]))[0])
        parts.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'class="grid" stroke="#dee2e6" stroke-width="1"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'font-size="{FONT_SIZE}" class="tick">'
                     f'{escape(_tick_text(tick, unit, step, lang))}</text>')
    longest = max((len(str(p)) for p in rows["period"]), default=4) if "period" in rows else 4
    fits = max(1, int((width - LEFT - RIGHT) / (FONT_SIZE * CHARACTER_WIDTH * (longest + 2))))
    every = max(1, math.ceil(n / min(fits, MAX_PERIOD_LABELS)))
    periods = rows["period"].astype(str).tolist() if "period" in rows else [""] * n
    for i in range(n - 1, -1, -every):  # period labels, always the last
        text = periods[i]
        # Kept inside the chart: the last label of a long period would be cut at its edge.
        half = FONT_SIZE * CHARACTER_WIDTH * len(text) / 2
        x = min(float(xs[i]), width - 2 - half)
        parts.append(f'<text x="{x:.1f}" y="{plot_bottom + 18}" text-anchor="middle" '
                     f'font-size="{FONT_SIZE}" class="tick">{escape(text)}</text>')
    band = np.isfinite(lower) & np.isfinite(upper)
    if band.any():
        upper_y, lower_y = y_of(upper[band]), y_of(lower[band])
        outline = [f"{x:.1f},{y:.1f}" for x, y in zip(xs[band], upper_y, strict=True)] + [
            f"{x:.1f},{y:.1f}" for x, y in zip(xs[band][::-1], lower_y[::-1], strict=True)]
        parts.append(f'<polygon class="band" points="{" ".join(outline)}" fill="{BAND_FILL}" '
                     f'fill-opacity="{BAND_OPACITY}" stroke="none"/>')
    if np.isfinite(line).any():
        parts.append(f'<path class="forecast" d="M{_path(xs, y_of(line))}" fill="none" '
                     f'stroke="{FORECAST_COLOUR}" stroke-width="2.5" '
                     f'stroke-dasharray="7 5"/>')
    if np.isfinite(actual).any():
        ys = y_of(actual)
        parts.append(f'<path class="actual" d="M{_path(xs, ys)}" fill="none" '
                     f'stroke="{ACTUAL_COLOUR}" stroke-width="3" stroke-linejoin="round"/>')
        parts.extend(f'<circle class="actual-point" cx="{x:.1f}" cy="{y:.1f}" r="3.5" '
                     f'fill="{ACTUAL_COLOUR}"/>'
                     for x, y, v in zip(xs, ys, actual, strict=True) if np.isfinite(v))
    if np.isfinite(target).any():
        for x, y in zip(xs[np.isfinite(target)], y_of(target[np.isfinite(target)]),
                        strict=True):
            parts.append(f'<path class="target" d="M{x:.1f},{y - 7:.1f} L{x + 7:.1f},{y:.1f} '
                         f'L{x:.1f},{y + 7:.1f} L{x - 7:.1f},{y:.1f} Z" '
                         f'fill="{TARGET_COLOUR}" stroke="#1b1b1b" stroke-width="1.2"/>')
    parts.append(_legend(keys, places, height))
    parts.append(f'<desc>{escape(_description(rows, actual, unit, per, frequency, lang))}'
                 f'</desc></svg>')
    return "".join(parts)


def _legend_keys(names: dict[str, str], *, has_band: bool, has_forecast: bool,
                 has_actual: bool, has_target: bool) -> list[tuple[str, str]]:
    """The legend's keys, each mark drawn as on the chart, with its words."""
    keys = []
    if has_actual:
        keys.append((f'<line x1="0" x2="18" y1="-4" y2="-4" stroke="{ACTUAL_COLOUR}" '
                     f'stroke-width="3"/><circle cx="9" cy="-4" r="3.5" '
                     f'fill="{ACTUAL_COLOUR}"/>', names["actual"]))
    if has_forecast:
        keys.append((f'<line x1="0" x2="18" y1="-4" y2="-4" stroke="{FORECAST_COLOUR}" '
                     f'stroke-width="2.5" stroke-dasharray="5 3"/>', names["forecast"]))
    if has_band:
        keys.append((f'<rect x="0" y="-10" width="18" height="12" fill="{BAND_FILL}" '
                     f'fill-opacity="{BAND_OPACITY}"/>', names["band"]))
    if has_target:
        keys.append((f'<path d="M9,-11 L15,-4 L9,3 L3,-4 Z" fill="{TARGET_COLOUR}" '
                     f'stroke="#1b1b1b" stroke-width="1"/>', names["target"]))
    return keys


def _legend_places(keys: list[tuple[str, str]], width: int) -> list[tuple[float, int]]:
    """Where each key goes: (x, row), starting a new row when the next would not fit."""
    x, row, out = float(LEFT), 0, []
    for _mark, text in keys:
        size = 40 + FONT_SIZE * CHARACTER_WIDTH * len(text)
        if x > LEFT and x + size - 16 > width - RIGHT:
            x, row = float(LEFT), row + 1
        out.append((x, row))
        x += size
    return out


def _legend(keys: list[tuple[str, str]], places: list[tuple[float, int]], height: int) -> str:
    """The legend's keys under the chart, in rows."""
    rows = max((r for _x, r in places), default=0) + 1
    out = []
    for (mark, text), (x, row) in zip(keys, places, strict=True):
        y = height - 8 - (rows - 1 - row) * LEGEND_ROW
        out.append(f'<g class="key" transform="translate({x:.0f},{y})">{mark}'
                   f'<text x="24" y="0" font-size="{FONT_SIZE}" class="key-text">'
                   f'{escape(text)}</text></g>')
    return "".join(out)


def _description(rows: pd.DataFrame, actual: np.ndarray, unit: str, per: Any,
                 frequency: str, lang: str) -> str:
    """The chart in a sentence, for readers who cannot see it."""
    _ = translator(lang)
    known = np.flatnonzero(np.isfinite(actual))
    if not len(known) or "period" not in rows:
        return ""
    periods = rows["period"].astype(str).to_numpy()
    first, last = known[0], known[-1]
    return _("From {first} ({first_period}) to {last} ({last_period}).").format(
        first=format_value(actual[first], unit, per, lang),
        first_period=format_period(periods[first], frequency, lang),
        last=format_value(actual[last], unit, per, lang),
        last_period=format_period(periods[last], frequency, lang))
