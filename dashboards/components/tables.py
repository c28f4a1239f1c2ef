"""Tables of figures: a DataFrame of text as an accessible table, a chart's figures (one
click away), and the note that small groups are withheld."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboards.i18n import _


def frame_table(frame: pd.DataFrame, *, caption: str | None = None, table_id: str | None = None,
                numeric: tuple[str, ...] = (), tones: dict[int, str] | None = None,
                wrap_row_headers: bool = False) -> dbc.Table:
    """A DataFrame of text as an accessible table: first column as row headers."""
    columns = list(frame.columns)
    head = html.Thead(html.Tr([html.Th(c, scope="col",
                                       className="text-end" if c in numeric else "")
                               for c in columns]))
    body = []
    for i, row in enumerate(frame.itertuples(index=False)):
        cells: list[Any] = [html.Th(row[0], scope="row",
                                    className="" if wrap_row_headers else "text-nowrap")]
        cells += [html.Td(v, className="text-end text-nowrap" if c in numeric else "")
                  for c, v in zip(columns[1:], row[1:], strict=True)]
        body.append(html.Tr(cells, className=(tones or {}).get(i, "")))
    parts: list[Any] = [html.Caption(caption)] if caption else []
    kwargs = {"id": table_id} if table_id else {}
    return dbc.Table([*parts, head, html.Tbody(body)], striped=True, hover=True, size="sm",
                     responsive=True, className="caption-top", **kwargs)


def scroll_region(child: Any, label: str, *, stacked: bool = False, **kwargs: Any) -> html.Div:
    """A wide table (or grid) that scrolls sideways inside its own box, never the page: a
    labelled region a keyboard can reach and scroll, with a visible hint on narrow screens
    (CSS: "Phone and narrow screens" in assets/rba.css). ``stacked``: a table whose cells
    carry ``data-label`` is shown on narrow screens as one block per row instead."""
    return html.Div([
        html.P(["↔ ", _("Scroll sideways to see every column")],
               className="scroll-hint small text-body-secondary mb-1", **{"aria-hidden": "true"}),
        html.Div(child, className="table-scroll", role="region", tabIndex="0",
                 **{"aria-label": label}),
    ], className="scroll-region" + (" stacked" if stacked else ""), **kwargs)


def withheld_note() -> str:
    return _("Figures for groups too small to report are withheld to protect privacy.")


def figures_table(header: list[str], rows: list[list[Any]], caption: str,
                  table_id: str | None = None) -> dbc.Table:
    """A chart's figures as a small table with a caption for screen readers."""
    return dbc.Table([
        html.Caption(caption, className="visually-hidden"),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in header])),
        html.Tbody([html.Tr([html.Td(c) for c in row]) for row in rows]),
    ], size="sm", striped=True, className="mb-0 small", **({"id": table_id} if table_id else {}))


def data_table(header: list[str], rows: list[list[Any]], caption: str,
               table_id: str | None = None) -> html.Details:
    """A chart's figures as a table, one click away (a disclosure)."""
    return html.Details([html.Summary(_("Figures"), className="small"),
                         figures_table(header, rows, caption, table_id)],
                        className="figures")
