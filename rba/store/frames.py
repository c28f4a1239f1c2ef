"""Query rows as DataFrames in calc's terms: the helpers every read of the store shares.

Rows are built into frames column by column (much faster than row tuples at a million rows),
enum members arrive as their plain string values, and figure rows get their series id
(``indicator:{dimensions}``) and each period's ordinal, read with its own frequency.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa

from rba.periods import period_ordinals

ENUM_COLUMNS = ("unit", "polarity", "frequency", "kind", "status")


def series_id(indicator: str, dimensions: str) -> str:
    """The id of one indicator's series for one group, as rba.calc names rolled-up totals.

    For example ``grad_rate:{}`` (the total) or ``grad_rate:{"city":"Altadena"}``.
    """
    return f"{indicator}:{dimensions}"


def series_ids(frame: pd.DataFrame) -> pd.Series:
    return frame["indicator"].astype(str) + ":" + frame["dimensions"].astype(str)


def plain(value: Any) -> Any:
    """An enum member as its value; anything else as it is."""
    return getattr(value, "value", value)


def rows_frame(rows: Any, columns: list[str]) -> pd.DataFrame:
    """Query rows as a DataFrame, with enum members as their plain string values.

    Built column by column (much faster than row tuples at a million rows); an enum
    column selected through `stored_text` arrives as plain strings already.
    """
    fetched = rows.all() if hasattr(rows, "all") else list(rows)  # one fetchall
    if not fetched:
        return pd.DataFrame(columns=columns, dtype=object)
    frame = pd.DataFrame(dict(zip(columns, zip(*fetched, strict=True), strict=True)),
                         columns=columns)
    for column in ENUM_COLUMNS:
        if column not in frame:
            continue
        values = frame[column].dropna()
        if len(values) and type(values.iloc[0]) is not str:  # enum members (StrEnum too)
            frame[column] = frame[column].map(plain).astype(object)
    return frame


def stored_text(column: Any) -> Any:
    """An enum column read as its stored text, skipping the per-value enum conversion."""
    return sa.type_coerce(column, sa.String).label(column.key)


def with_ordinals(frame: pd.DataFrame) -> pd.DataFrame:
    """Add series ids and each period's ordinal, read with its indicator's frequency."""
    frame["series"] = series_ids(frame)
    frame["ordinal"] = period_ordinals(frame["period"].astype(object),
                                       frame.pop("frequency").astype(object))
    return frame
