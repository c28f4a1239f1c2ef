"""The equity page's drawing of one indicator: per kind of group (cities, student groups...),
a chart of how far each group is behind the best group over time and a table of each group's
latest figures and verdict, both in one convention (rba.report.equity: behind, never a
signed difference whose sign flips with polarity)."""

from __future__ import annotations

import functools
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.io as pio
from dash import dcc, html

from dashboards import ids
from dashboards.components.badges import TONES, verdict_words
from dashboards.i18n import _
from rba.dimensions import parse_dimension_key
from rba.i18n import localized, series_label, unit_words
from rba.services.equity import FONT, EquityReport, gap_size

#: Okabe-Ito colours for the groups' lines (with dashes, so colour is not the only cue); the
#: best group's line is black, solid and thicker.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")
BEST_COLOUR = "#000000"
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
MAX_LINES = 8


@functools.cache
def white_template() -> dict[str, Any]:
    """Plotly's "plotly_white" template as plain JSON, read once per process."""
    return dict(pio.templates["plotly_white"].to_plotly_json())


def gap_unit(unit: str, per: Any, lang: str, short: bool = False) -> str:
    """The unit a gap is measured in, in words: (percentage) points for a percent."""
    if unit == "percent":
        return _("points") if short else _("percentage points")
    return unit_words(unit, per, lang).lower()


def with_unit(words: str, info: Any, lang: str) -> str:
    """A gap's heading with its unit: "Behind the best group (points)"."""
    return f"{words} ({gap_unit(info['unit'], info['per'], lang, short=True)})"


def chart_height(lines: int) -> int:
    """Pixels for a gap chart: room for the plot and, at phone width, a legend row per line."""
    return 260 + 20 * max(lines, 1)


def drawn_groups(trends: pd.DataFrame) -> list[tuple[str, str]]:
    """The lines a gap chart draws, (series, dimension compared along), nearest the best
    first: the best groups always, then those furthest behind when there are more than
    MAX_LINES."""
    ranked = trends.assign(_b=trends["behind_best"].astype(float).fillna(float("inf")),
                           _best=~trends["is_best"].astype(bool))
    ranked["_line"] = list(zip(ranked["series"], ranked["along"].astype(str), strict=True))
    best = ranked[~ranked["_best"]]["_line"].tolist()
    others = ranked[ranked["_best"]].sort_values("_b", ascending=False, kind="stable")
    keep = set(best + others["_line"].tolist()[:max(MAX_LINES - len(best), 0)])
    return ranked[ranked["_line"].isin(keep)].sort_values(
        ["_best", "_b"], kind="stable")["_line"].tolist()


def gap_range(behind: pd.Series) -> list[float]:
    """The gap axis: from just below 0, so the best group's line at 0 shows above the axis
    line, to a little above the furthest behind."""
    top = float(behind.max()) if behind.notna().any() else 0.0
    top = top * 1.08 if top > 0 else 1.0
    return [-0.04 * top, top]


def gap_chart(report: EquityReport, code: str, group_set: str, names: dict[Any, str],
              lang: str) -> dict[str, Any]:
    """How far each group of one kind (cities, student groups...) is behind the best group
    of that kind, period by period: 0 is the best group that period, higher is further
    behind, the same reading as the table's "Behind the best group" column.

    A plain figure dict, not a go.Figure: validating a dozen figures per page costs more
    than computing them. Untitled: the indicator's name and the kind of group head it.
    """
    info = report.indicators.set_index("indicator").loc[code]
    mine = (report.gaps["indicator"] == code) & (report.gaps["group_set"] == group_set)
    gaps = report.gaps[mine.to_numpy()]
    trends = report.trends[((report.trends["indicator"] == code)
                            & (report.trends["group_set"] == group_set)).to_numpy()]
    order = drawn_groups(trends)
    best_rows = trends[trends["is_best"].astype(bool).to_numpy()]
    best = set(zip(best_rows["series"], best_rows["along"].astype(str), strict=True))
    drawn = pd.MultiIndex.from_tuples(order, names=["series", "along"]) if order else None
    lines = gaps[pd.MultiIndex.from_arrays([gaps["series"], gaps["along"].astype(str)])
                 .isin(drawn if drawn is not None else [])].sort_values("ordinal",
                                                                        kind="stable")
    by_line = {(str(k[0]), str(k[1])): v for k, v in
               lines.groupby([lines["series"], lines["along"].astype(str)], sort=False)}
    others = iter(range(len(order)))
    data = []
    for line in order:
        rows = by_line[(str(line[0]), line[1])]
        name = group_cell(str(rows["dimensions"].iloc[0]), names, lang)  # the kind heads it
        within = str(rows["within"].iloc[0])
        if within != "{}":  # a group of two dimensions: say which parent it is compared in
            name = f"{series_label(str(rows['dimensions'].iloc[0]), names, lang=lang)} " \
                   f"({series_label(within, names, lang=lang)})"
        series = line
        if series in best:
            # Translators: the group that is best in the latest period, in a chart legend.
            name = _("{group} (best)").format(group=name)
            colour, dash_style = BEST_COLOUR, "solid"
        else:
            i = next(others)
            colour, dash_style = COLOURS[i % len(COLOURS)], DASHES[(i + 1) % len(DASHES)]
        data.append({
            "type": "scatter", "mode": "lines+markers", "name": name,
            "x": rows["period"].astype(str).tolist(),
            "y": rows["behind_best"].tolist(),
            "customdata": [gap_size(v, info["unit"], lang) for v in rows["behind_best"]],
            "hovertemplate": "%{x}<br>%{fullData.name}: %{customdata}<extra></extra>",
            "line": {"color": colour, "dash": dash_style,
                     "width": 3 if series in best else 2}})
    layout = {
        "template": white_template(),
        "font": {"family": FONT, "size": 12}, "height": chart_height(len(order)),
        # What the axis measures, as the chart's title: an axis title this long is cut
        # off beside a plot as short as a phone leaves it.
        "title": {"text": with_unit(_("Behind the best group"), info, lang), "x": 0,
                  "xanchor": "left", "xref": "container", "font": {"size": 13}},
        "margin": {"l": 50, "r": 10, "t": 36, "b": 30},
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom",
                   "traceorder": "normal"},
        # Groups may start in different periods: the axis runs in time order, not in the
        # order the first line happens to list them.
        "xaxis": {"type": "category", "title": {"text": ""}, "categoryorder": "array",
                  "categoryarray": list(dict.fromkeys(lines["period"].astype(str)))},
        "yaxis": {"range": gap_range(lines["behind_best"]), "automargin": True},
    }
    return {"data": data, "layout": layout}


def group_cell(key: str, names: dict[Any, str], lang: str) -> Any:
    """A group as a row header: the value's label ("Altadena"); in full where a group
    combines several dimensions ("Student group: Latino · City: Altadena")."""
    values = parse_dimension_key(key)
    if len(values) != 1:
        return series_label(key, names, lang=lang)
    (dimension, value), = values.items()
    return names.get((dimension, value), value)


def group_set_name(group_set: str, names: dict[Any, str]) -> str:
    """A kind of group in words: "City", "Student group", "Student group × City"."""
    return " × ".join(names.get((d, None), d.replace("_", " ").capitalize())
                      for d in group_set.split(","))


def verdict_table(shown: pd.DataFrame, keys: list[str], verdicts: list[str],
                  names: dict[Any, str], lang: str, caption: str | None) -> dbc.Table:
    """Each group's latest figures and verdict, narrow enough for a phone.

    At phone width the group compared within and the comparison with it are left out and
    the verdict moves under the group's name, leaving three columns: group, value, behind
    the best group.
    """
    columns = list(shown.columns)
    # From the end: value, the group compared within, against it, behind the best, over time.
    numeric = {columns[-5], columns[-3], columns[-2]}
    wide = " d-none d-sm-table-cell"
    wide_only = {columns[-4]: wide, columns[-3]: wide, columns[-1]: wide}

    def classes(column: str, cell: bool) -> str:
        align = "text-end" + (" text-nowrap" if cell else "") if column in numeric else ""
        return (align + wide_only.get(column, "")).strip()

    head = html.Thead(html.Tr([html.Th(c, scope="col", className=classes(c, False))
                               for c in columns]))
    rows = []
    for key, verdict, row in zip(keys, verdicts, shown.itertuples(index=False), strict=True):
        verdict_below = html.Span(row[-1], className="d-block d-sm-none small fw-normal")
        cells: list[Any] = [html.Th([group_cell(key, names, lang), verdict_below],
                                    scope="row")]
        cells += [html.Td(v, className=classes(c, True)) for c, v in zip(
            columns[1:], row[1:], strict=True)]
        rows.append(html.Tr(cells, className=TONES.get(verdict, "")))
    return dbc.Table([*([html.Caption(caption)] if caption else []), head, html.Tbody(rows)],
                     striped=True, hover=True, size="sm", responsive=True,
                     className="caption-top")


def group_set_block(report: EquityReport, table: pd.DataFrame, code: str, group_set: str,
                    names: dict[Any, str], lang: str) -> html.Div:
    """One kind of group of an indicator (e.g. its cities): its gap chart and its table."""
    info = report.indicators.set_index("indicator").loc[code]
    trends = report.trends
    mine = ((trends["indicator"] == code) & (trends["group_set"] == group_set)).to_numpy()
    shown = table[mine].drop(columns=table.columns[0]).reset_index(drop=True)
    period, verdict = shown.columns[1], shown.columns[-1]
    verdicts = trends.loc[mine, "verdict"].tolist()
    shown[verdict] = [verdict_words(v, lang) for v in verdicts]
    shown = shown.rename(columns={c: with_unit(c, info, lang) for c in shown.columns[-3:-1]})
    caption = None
    if shown[period].nunique() == 1:  # one latest period for all: say it once
        caption = _("Latest figures: {period}").format(period=shown[period].iloc[0])
        shown = shown.drop(columns=period)
    keys = trends.loc[mine, "dimensions"].astype(str).tolist()
    figure = gap_chart(report, code, group_set, names, lang)
    kind = group_set_name(group_set, names)
    parts: list[Any] = [
        html.H4(kind, className="h6 mt-3 mb-0"),
        html.Figure(dcc.Graph(figure=figure, config={"displaylogo": False},
                              style={"height": f"{figure['layout']['height']}px"}),
                    className="mb-1", **{"aria-label": _(
                        "{kind}: how far each group is behind the best group").format(
                            kind=kind)}),
    ]
    if int(mine.sum()) > len(figure["data"]):
        parts.append(html.P(_("The chart draws the best group and the {n} furthest behind; "
                              "the table lists all {total}.").format(
                                  n=len(figure["data"]) - 1, total=int(mine.sum())),
                            className="small text-body-secondary"))
    parts.append(verdict_table(shown, keys, verdicts, names, lang, caption))
    return html.Div(parts, id=ids.equity_group_set(code, group_set))


def indicator_block(report: EquityReport, table: pd.DataFrame, code: str,
                    names: dict[Any, str], lang: str) -> html.Section:
    """An indicator's heading, then a gap chart and verdict table per kind of group: cities
    and student groups are never drawn on one axis."""
    info = report.indicators.set_index("indicator").loc[code]
    mine = report.trends[(report.trends["indicator"] == code).to_numpy()]
    group_sets = list(dict.fromkeys(mine["group_set"].astype(str)))
    return html.Section([
        html.H3(dcc.Link(localized(info, "name", lang), href=f"/indicators/{code}"),
                className="h5 mt-4"),
        html.P(_("How far each group is behind the best group of its kind, in {unit}: 0 is "
                 "the best group that period, higher is further behind. Groups are compared "
                 "only with groups of the same kind.").format(
                     unit=gap_unit(info["unit"], info["per"], lang)),
               className="small text-body-secondary mb-0"),
        *[group_set_block(report, table, code, g, names, lang) for g in group_sets],
    ], id=ids.equity_indicator(code))
