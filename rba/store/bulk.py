"""Bulk inserts straight to the driver: rows built column-wise, one executemany.

SQLAlchemy's per-row parameter processing costs more than the database's own work for
100,000-row imports; here each column's type conversion (SQLite's datetimes and booleans)
runs once per column, and the driver gets plain tuples.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": ":{}"}


def plain_column(values: pd.Series | Sequence[Any]) -> list[Any]:
    """A column as Python values with None for missing (NaN, NA, NaT)."""
    series = pd.Series(values, dtype="object") if not isinstance(values, pd.Series) else values
    array = series.to_numpy(dtype=object, na_value=None) if hasattr(series, "to_numpy") else (
        list(series))
    out = array.tolist() if isinstance(array, np.ndarray) else list(array)
    return [None if (isinstance(v, float) and v != v) else v for v in out]


def bulk_insert(session: Session, table: Any, columns: dict[str, Any], n: int) -> None:
    """Insert ``n`` rows given as {column: list or constant}; one executemany on the driver."""
    if n == 0:
        return
    connection = session.connection()
    dialect = connection.dialect
    names = list(columns)
    prepared = []
    for name in names:
        processor = _processor(table.c[name].type, dialect)
        value = columns[name]
        if isinstance(value, list | pd.Series | np.ndarray):
            data = plain_column(value)
            prepared.append([processor(v) for v in data] if processor else data)
        else:
            prepared.append([processor(value) if processor else value] * n)
    marks = ", ".join(
        PLACEHOLDER[dialect.paramstyle].format(i + 1) for i in range(len(names)))
    quoted = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
    sql = f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({quoted}) " \
          f"VALUES ({marks})"
    connection.exec_driver_sql(sql, list(zip(*prepared, strict=True)))


def _processor(type_: Any, dialect: Any) -> Any:
    """The driver conversion a column needs (SQLite datetimes and booleans), else None."""
    if isinstance(type_, sa.DateTime | sa.Boolean):
        # The dialect's own type (SQLite stores datetimes as text in its own format).
        return type_.dialect_impl(dialect).bind_processor(dialect)
    if isinstance(type_, sa.Enum):
        return lambda v: getattr(v, "value", v)
    return None
