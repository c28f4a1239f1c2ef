"""Pieces the indicator, team, equity and alignment pages share (not a page: Dash skips
modules whose name starts with an underscore)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import html

from dashboards.i18n import _, use_language
from rba.i18n import label
from rba.report.suppression import any_small, suppress

#: Symbols shown beside status words, so colour is never the only cue.
STATUS_SYMBOLS = {"better_than_forecast": "▲", "within_forecast": "≈",
                  "worse_than_forecast": "▼"}
VERDICT_SYMBOLS = {"narrowing": "↘", "widening": "↗", "steady": "→", "unknown": "?"}
CHANGE_SYMBOLS = {"improving": "▲", "worsening": "▼", "unchanged": "●", "none": ""}
#: Bootstrap text colours per code (a second cue besides the symbol and the words).
TONES = {"better_than_forecast": "text-success", "worse_than_forecast": "text-danger",
         "narrowing": "text-success", "widening": "text-danger", "improving": "text-success",
         "worsening": "text-danger"}


def page_language(lang: object = None) -> str:
    """The language to draw this request in: ``lang`` (the page's ?lang=) or the request's."""
    return use_language(lang)


def status_words(code: Any, lang: str) -> str:
    """A period's status as symbol and words, e.g. "▲ Better than forecast"; "" if none."""
    if not isinstance(code, str) or not code:
        return ""
    return f"{STATUS_SYMBOLS.get(code, '')} {label('status', code, lang)}".strip()


def verdict_words(code: Any, lang: str) -> str:
    """An equity verdict as symbol and words, e.g. "↘ Gap narrowing"."""
    if not isinstance(code, str) or not code:
        return ""
    return f"{VERDICT_SYMBOLS.get(code, '')} {label('gap_trend', code, lang)}".strip()


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


def published_rows(rows: pd.DataFrame, summary: pd.DataFrame, unit: str, min_n: Any
                   ) -> pd.DataFrame:
    """Curve rows as a public page may show them: small and complementary cells withheld.

    Withheld cells lose actual, numerator and denominator (``withheld`` is True); a series
    with any withheld cell also loses its forecast, which was fitted on those figures.
    """
    out = rows.copy()
    out["withheld"] = False
    if min_n is None or min_n != min_n or out.empty:
        return out
    if not any_small(out.rename(columns={"actual": "value"}), unit, min_n):
        return out  # nothing small: nothing to withhold, nor to withhold beside it
    dims = summary.set_index("series")["dimensions"].astype(str)
    cells = pd.DataFrame({
        "indicator": "x", "period": out["period"].astype(str),
        "dimensions": out["series"].map(dims).astype(object),
        "value": out["actual"], "numerator": out["numerator"],
        "denominator": out["denominator"]}).reset_index(drop=True)
    has_figure = cells["value"].notna().to_numpy()
    checked = suppress(cells[has_figure], pd.DataFrame(
        {"indicator": ["x"], "unit": [unit], "min_n": [min_n]}))
    withheld = np.zeros(len(out), dtype=bool)
    withheld[np.flatnonzero(has_figure)] = checked["suppressed"].to_numpy(dtype=bool)
    out["withheld"] = withheld
    for column in ("actual", "numerator", "denominator"):
        out[column] = out[column].where(~withheld, np.nan)
    hidden_series = set(out.loc[withheld, "series"])
    forecasts = out["series"].isin(hidden_series).to_numpy()
    for column in ("forecast", "forecast_lower", "forecast_upper", "status"):
        if column in out:
            out[column] = out[column].where(~forecasts, None if column == "status" else np.nan)
    return out


def withheld_note() -> str:
    return _("Figures for groups too small to report are withheld to protect privacy.")
