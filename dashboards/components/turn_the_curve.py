"""The indicator page's curve: figures as the public may see them, and their drawing.

`page_curve` reads one indicator's curves (rba.report.curves.indicator_curve, what `rba
curve` prints) through the shared cache, with small groups withheld; `view` turns them
into the chart, the table behind it, the latest status and the small multiples.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import ids
from dashboards.cache import memo, read_with_fingerprint
from dashboards.components.badges import STATUS_SYMBOLS, status_words, verdict_badge
from dashboards.components.shared_axes import share_y_axis, shared_legend
from dashboards.components.tables import frame_table
from dashboards.i18n import N_, _, current_language
from rba.i18n import (
    MISSING,
    chart_note_words,
    label,
    label_map,
    localized,
    series_label,
    unit_words,
)
from rba.services.curves import (
    DEFAULT_METHOD,
    IndicatorDetail,
    curve_table,
    figure_json,
    indicator_detail,
    public_curve,
    turn_the_curve_spec,
)

FROZEN = "frozen"
METHODS = ("auto", "ets", "theta", "ets_theta", "seasonal_naive", "linear", "flat", "average",
           "log_linear", "holt")
METHOD_WORDS = {FROZEN: N_("Agreed (frozen) baseline"),
                "auto": N_("Best fit (chosen by backtesting)"),
                "ets": N_("Exponential smoothing (damped trend, season)"),
                "theta": N_("Theta method"), "ets_theta": N_("Average of smoothing and Theta"),
                "seasonal_naive": N_("Same season last year"), "linear": N_("Linear trend"),
                "flat": N_("Flat (last value)"), "average": N_("Average"),
                "log_linear": N_("Log-linear trend"), "holt": N_("Holt smoothing")}
LEVELS = (0.8, 0.9, 0.95)
#: Forecast methods slow enough (an optimiser per series) to fit only the series shown.
FIT_SHOWN_ONLY = ("holt",)
MAX_MULTIPLES = 24


def page_inputs(session: Any, code: str) -> tuple[IndicatorDetail | None, str]:
    """The indicator as its page shows it (None: unknown or unpublished), read once per data
    version, and a fingerprint of it: what the page computes is cached under that."""
    return read_with_fingerprint(
        session, "indicator_detail", (code,),
        lambda: indicator_detail(session=session, code=code),
        # What curve_of reads: a new version of the story changes no chart.
        of=lambda d: None if d is None else (d.indicator, d.curve_inputs, d.dimension_labels))


def page_curve(session: Any, code: str, method: str | None, level: float | None,
               only: str | None = None) -> dict[str, Any] | None:
    """The indicator's curve rows and summary as the public page shows them, cached.

    None when the indicator is unknown or unpublished. ``method``/``level`` None: the
    frozen baseline (a forecast fitted now where a series has none). ``only``: the one
    series a view draws; with Holt's method (an optimiser per series) only that series is
    fitted that way, the others with the vectorised linear fit, and only it is returned.
    Small groups are withheld looking at every series either way.
    """
    return curve_for(page_inputs(session, code), method, level, only)


def curve_for(inputs: tuple[IndicatorDetail | None, str], method: str | None,
              level: float | None, only: str | None = None) -> dict[str, Any] | None:
    """`page_curve` from what `page_inputs` read."""
    detail, read = inputs
    if detail is None:
        return None
    # Computed again only when what it reads changes: the indicator's figures, fields, labels.
    return memo("indicator_page_curve", (read, method, level, only),
                lambda: public_curve(detail, method, level, only))


def group_labels(curve: dict[str, Any], lang: str) -> dict[str, str]:
    ind, summary = curve["indicator"], curve["summary"]
    names = label_map(curve["labels"], lang)  # Spanish labels where entered
    return {s: series_label(d, names, ind["dimensions"], lang)
            for s, d in summary[["series", "dimensions"]].itertuples(index=False)}


def group_label(curve: dict[str, Any], series: str, lang: str) -> str:
    """One series' group in words ("" when the curve has no such series)."""
    summary = curve["summary"]
    found = summary["dimensions"].to_numpy()[(summary["series"] == series).to_numpy()]
    if not len(found):
        return ""
    names = label_map(curve["labels"], lang)
    return series_label(found[0], names, curve["indicator"]["dimensions"], lang)


def series_level(summary: pd.DataFrame, series: str, asked: float | None) -> float:
    if asked is not None:
        return asked
    found = summary.loc[summary["series"] == series, "level"]
    level = found.iloc[0] if len(found) else None
    return float(level) if level is not None and level == level else 0.95


def status_trace(rows: pd.DataFrame, lang: str) -> dict[str, Any] | None:
    """Each judged period's status as a symbol above its actual (words in the hover)."""
    judged = rows[rows["status"].notna().to_numpy() & rows["actual"].notna().to_numpy()]
    if judged.empty:
        return None
    return {"type": "scatter", "x": judged["period"].astype(str).tolist(),
            "y": judged["actual"].to_numpy(dtype=float), "mode": "text",
            "text": [STATUS_SYMBOLS.get(s, "") for s in judged["status"]],
            "textposition": "top center", "textfont": {"size": 13, "color": "#212529"},
            "customdata": [label("status", s, lang) for s in judged["status"]],
            "hovertemplate": "%{x}: %{customdata}<extra></extra>",
            # Out of the legend: a text trace's legend entry is a stray "Aa" glyph; the
            # symbols are explained beside the chart instead.
            "name": _("Status against the baseline"), "legendrank": 5, "showlegend": False}


def chart(curve: dict[str, Any], series: str, lang: str, level: float | None,
          small: bool = False) -> dict[str, Any]:
    """The turn-the-curve chart of one series, as plotly JSON for dcc.Graph."""
    ind = curve["indicator"]
    rows = curve["rows"]
    rows = rows[(rows["series"] == series).to_numpy()]
    label_text = group_label(curve, series, lang)
    figure = turn_the_curve_spec(
        rows, title=label_text if small else localized(ind, "name", lang), unit=ind["unit"],
        per=ind["per"], lang=lang, level=series_level(curve["summary"], series, level),
        subtitle=None if small else label_text,
        frequency=ind.get("frequency"))
    status = status_trace(rows, lang)
    if status is not None:
        figure["data"].append(status)
    if small:
        layout = figure["layout"]
        layout.update(height=260, showlegend=False,
                      margin={"l": 40, "r": 10, "t": 40, "b": 30})
        layout["title"]["font"] = {"size": 13}
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
    label_text = group_label(curve, series, lang)
    unit = unit_words(ind["unit"], ind["per"], lang)
    caption = f"{localized(ind, 'name', lang)}: {label_text} ({unit.lower()})"
    return frame_table(table, caption=caption, table_id=ids.CURVE_TABLE,
                       numeric=tuple(table.columns[1:-1]))


def chart_notes(curve: dict[str, Any], series: str) -> list[str]:
    """The series' notes a reader of its chart needs, in the page's language (the others are
    about the scorecard's figures, not this chart)."""
    summary = curve["summary"]
    found = summary["notes"].to_numpy()[(summary["series"] == series).to_numpy()]
    notes = found[0] if len(found) and isinstance(found[0], tuple | list) else ()
    return chart_note_words(notes, current_language())


def status_line(curve: dict[str, Any], series: str, lang: str) -> list[Any]:
    """The verdict against the baseline, in words with its symbol, and what the forecast
    rests on where a reader should know it (a method that fell back, no interval)."""
    summary = curve["summary"]
    found = summary[(summary["series"] == series).to_numpy()]
    verdict = [verdict_badge(found.iloc[0])] if len(found) else []
    notes = chart_notes(curve, series)
    return [*verdict,
            *([html.Ul([html.Li(note) for note in notes], id=ids.CURVE_NOTES,
                       className="small text-body-secondary mb-1")] if notes else [])]


def small_multiples(curve: dict[str, Any], lang: str, level: float | None) -> list[Any]:
    """One small chart per group (the total first), for comparing them at a glance: on one
    y-axis range, under one legend (dashboards.components.shared_axes)."""
    series = curve["summary"]["series"].tolist()
    shown = series[:MAX_MULTIPLES]
    figures = share_y_axis([chart(curve, s, lang, level, small=True) for s in shown])
    symbols = any("text" in str(t.get("mode", "")) for f in figures for t in f["data"])
    cols = [dbc.Col(dcc.Graph(figure=figure,
                              config={"displaylogo": False, "displayModeBar": False}),
                    md=6, xl=4, className="mb-3") for figure in figures]
    out: list[Any] = [shared_legend(figures, ids.CURVE_MULTIPLES_LEGEND, symbols),
                      dbc.Row(cols)]
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
        chosen = DEFAULT_METHOD
    return chosen, lvl if chosen is not None else None
