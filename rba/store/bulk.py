"""Bulk writes straight to the driver: rows built column-wise, sent to the database once.

SQLAlchemy's per-row parameter processing costs more than the database's own work for
100,000-row imports. Two tools:

- :func:`bulk_insert`: one executemany of plain tuples into a table.
- :func:`stage`: rows loaded once into a temporary table (SQLite: one executemany;
  PostgreSQL: COPY), so that several statements (a figure, its revision, its audit event)
  read them set-wise with INSERT .. SELECT and UPDATE .. FROM instead of each sending the
  rows again. A column whose every value is the same is sent once, as a parameter.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": ":{}"}


def plain_column(values: pd.Series | Sequence[Any]) -> list[Any]:
    """A column as Python values with None for missing (NaN, NA, NaT)."""
    if isinstance(values, pd.Series) and values.dtype == "float64":
        array = values.to_numpy()
        out = array.tolist()
        if np.isnan(array).any():
            return [None if v != v else v for v in out]
        return out
    series = pd.Series(values, dtype="object") if not isinstance(values, pd.Series) else values
    return series.to_numpy(dtype=object, na_value=None).tolist()  # na_value: NaN, NA, NaT


def bulk_insert(*, session: Session, table: Any, columns: dict[str, Any], n: int) -> None:
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


@dataclass
class Staged:
    """Rows loaded into a temporary table; ``column(name)`` is what a statement selects.

    A column sent once as a constant is a typed parameter rather than a table column.
    """

    table: sa.Table
    constants: dict[str, Any]

    def column(self, name: str) -> Any:
        if name in self.constants:
            return self.constants[name]
        return self.table.c[name]

    def order(self) -> Any:
        """The rows' order as given (their position)."""
        return self.table.c["_seq"]


def stage(*, session: Session, columns: dict[str, tuple[Any, Any]], n: int) -> Staged:
    """Load ``n`` rows, given as {name: (SQL type, values or constant)}, into a temporary table.

    Values are a list of plain Python values (None where missing), or a Series or array
    (converted with :func:`plain_column`). Drop the table with :func:`unstage` when done; it
    lives in this session's transaction, so a rollback or a killed process leaves nothing.
    """
    connection = session.connection()
    dialect = connection.dialect
    varying: dict[str, tuple[Any, list[Any]]] = {}
    constants: dict[str, Any] = {}
    for name, (type_, value) in columns.items():
        data = value if isinstance(value, list) else plain_column(value) if isinstance(
            value, pd.Series | np.ndarray) else None
        if data is None or (n and _all_same(data)):
            constants[name] = constant(data[0] if data else value, type_, dialect)
        else:
            varying[name] = (type_, data)
    # _seq numbers the rows in the order they are sent (SQLite's rowid; a serial on PostgreSQL).
    table = sa.Table(f"rba_stage_{secrets.token_hex(4)}", sa.MetaData(),
                     sa.Column("_seq", sa.Integer, primary_key=True, autoincrement=True),
                     *[sa.Column(name, type_) for name, (type_, _) in varying.items()],
                     prefixes=["TEMPORARY"])
    table.create(connection)
    names = list(varying)
    rows = zip(*[data for _, data in varying.values()], strict=True)
    if not names:  # every column constant (a single row): the rows are just numbered
        connection.execute(table.insert(), [{}] * n)
    elif dialect.name == "postgresql":
        _copy(connection, table, names, rows)
    else:
        preparer = dialect.identifier_preparer
        marks = ", ".join(PLACEHOLDER[dialect.paramstyle].format(i + 1)
                          for i in range(len(names)))
        connection.exec_driver_sql(
            f"INSERT INTO {preparer.format_table(table)} "
            f"({', '.join(preparer.quote(c) for c in names)}) VALUES ({marks})", list(rows))
    return Staged(table, constants)


def unstage(*, session: Session, staged: Staged) -> None:
    """Drop a staging table."""
    staged.table.drop(session.connection())


def constant(value: Any, type_: Any, dialect: Any) -> Any:
    """A parameter of a known type for INSERT .. SELECT (PostgreSQL needs the cast for nulls)."""
    literal = sa.literal(getattr(value, "value", value), type_)
    return sa.cast(literal, type_) if dialect.name == "postgresql" else literal


def _all_same(data: list[Any]) -> bool:
    """True when every value equals the first (a column of one type; NaN already None)."""
    return data.count(data[0]) == len(data)


def _copy(connection: Any, table: sa.Table, names: list[str], rows: Any) -> None:
    """COPY rows into a table over psycopg's connection (within the same transaction)."""
    driver = connection.connection.driver_connection
    quoted = ", ".join(f'"{name}"' for name in names)
    with driver.cursor() as cursor, cursor.copy(
            f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
