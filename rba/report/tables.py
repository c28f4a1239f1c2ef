"""Tables for readers: the figures behind a turn-the-curve chart, and the series to pick from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from rba.calc.forecast import INNER_LEVEL
from rba.dimensions import parse_dimension_key
from rba.i18n import (
    LabelMap,
    format_value,
    format_whole_or_decimal,
    label_map,
    pgettext,
    series_label,
)

VALUE_COLUMNS = ("actual", "forecast", "forecast_lower", "forecast_upper", "target")
COUNT_COLUMNS = ("numerator", "denominator")


def curve_table_headers(lang: str = "en", level: float = 0.95) -> dict[str, str]:
    """Each column of a curve table -> its header in a language ("Period", "Lower (95%)")."""
    # Translators: the headers of the table of figures behind a turn-the-curve chart;
    # {level:.0%} is the prediction interval's level, such as 95%.
    headers = {"period": pgettext("curve table", "Period", lang),
               "actual": pgettext("curve table", "Actual", lang),
               "numerator": pgettext("curve table", "Numerator", lang),
               "denominator": pgettext("curve table", "Denominator", lang),
               "forecast": pgettext("curve table", "Forecast", lang),
               "forecast_lower": pgettext("curve table", "Lower ({level:.0%})", lang),
               "forecast_upper": pgettext("curve table", "Upper ({level:.0%})", lang),
               "target": pgettext("curve table", "Target", lang)}
    return {column: header.format(level=level) for column, header in headers.items()}


def curve_table(rows: pd.DataFrame, *, unit: str, per: Any = None, lang: str = "en",
                level: float = 0.95) -> pd.DataFrame:
    """One series' curve rows as text, one row per period that has any figure, in order.

    Columns are the `curve_table_headers` in ``lang``, and the inner 80% band's bounds
    after the level's (where the level is above 80% and the rows have them, as the chart
    draws them); a blank figure is a dash. Rates are written without their base ("4.2",
    not "4.2 per 1,000"): say it in a caption.
    """
    headers = curve_table_headers(lang, level)
    if level > INNER_LEVEL + 1e-9 and "forecast_lower_80" in rows and rows[
            "forecast_lower_80"].notna().any():
        inner = curve_table_headers(lang, INNER_LEVEL)
        order = list(headers)
        at = order.index("forecast_upper") + 1
        order[at:at] = ["forecast_lower_80", "forecast_upper_80"]
        headers = {**headers, "forecast_lower_80": inner["forecast_lower"],
                   "forecast_upper_80": inner["forecast_upper"]}
        headers = {column: headers[column] for column in order}
    rows = rows.sort_values("ordinal", kind="stable") if "ordinal" in rows else rows
    figures = [c for c in (*VALUE_COLUMNS, *COUNT_COLUMNS) if c in rows]
    rows = rows[rows[figures].notna().any(axis=1)] if figures else rows.iloc[:0]
    columns: dict[str, list[str]] = {}
    if "period" in rows:
        columns[headers["period"]] = rows["period"].astype(str).tolist()
    for column in headers:
        if column == "period":
            continue
        values = rows[column].tolist() if column in rows else [None] * len(rows)
        if column in COUNT_COLUMNS:
            columns[headers[column]] = [format_whole_or_decimal(v) for v in values]
        else:  # without a rate's base: say it in a caption
            columns[headers[column]] = [format_value(v, unit, None, lang) for v in values]
    return pd.DataFrame(columns)


def series_choices(series: pd.DataFrame, labels: pd.DataFrame,
                   order: Sequence[str] = (), lang: str = "en") -> list[dict[str, str]]:
    """Dropdown options ({"label", "value"}) for one indicator's series.

    The total comes first, then groups of one dimension in the indicator's dimension order
    and each dimension's value order, then combinations of several dimensions.
    """
    names: LabelMap = label_map(labels, lang)
    rank = {name: i for i, name in enumerate(order)}
    value_rank = {(d, v): o for d, v, o in labels[["dimension", "value", "order"]].itertuples(
        index=False) if isinstance(v, str)}

    def sort_key(key: str) -> tuple[Any, ...]:
        values = parse_dimension_key(key)
        dims = sorted(values, key=lambda n: (rank.get(n, len(rank)), n))
        return (len(values),
                tuple((rank.get(d, len(rank)), d, value_rank.get((d, values[d]), 1e9),
                       values[d]) for d in dims))

    keyed = sorted(zip(series["dimensions"], series["series"], strict=True),
                   key=lambda pair: sort_key(pair[0]))
    return [{"label": series_label(key, names, order, lang), "value": sid}
            for key, sid in keyed]
