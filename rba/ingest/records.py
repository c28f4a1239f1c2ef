"""Turn a raw sheet into typed columns by the workbook spec, collecting every problem."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from rba.ingest.values import (
    as_text,
    by_value,
    is_missing,
    parse_choices,
    parse_integers,
    parse_numbers,
    parse_yes_no,
)
from rba.messages import N_, Message
from rba.problems import Problem

if TYPE_CHECKING:  # read.py imports the ingest package: import only for the annotations
    from rba.workbook.read import RawSheet
from rba.sheets import LIST_SEPARATORS, Column, Sheet, text_limit, text_problem


class ProblemList(list[Problem]):
    """Problems of one sheet, with helpers that point at rows and columns."""

    def __init__(self, raw: RawSheet):
        super().__init__()
        self.raw = raw

    def cell(self, mask: pd.Series, column: str, messages: pd.Series | Message) -> None:
        """Add a problem for each row where ``mask`` is true, naming the cell's value.

        ``messages`` is one Message for every such row, or a Series of them by row.
        """
        if not mask.any():
            return
        cells = self.raw.cells.get(column)
        texts = messages if isinstance(messages, pd.Series) else None
        for index in mask[mask].index:
            value = None if cells is None else str(cells.loc[index])
            message = texts.loc[index] if texts is not None else messages
            self.append(Problem(self.raw.file, self.raw.name, int(self.raw.rows.loc[index]),
                                column, value, message))

    def sheet(self, message: Message, column: str | None = None) -> None:
        self.append(Problem(self.raw.file, self.raw.name, None, column, None, message))


def typed_columns(
    raw: RawSheet, spec: Sheet, problems: ProblemList, *, decimal_comma: bool = False
) -> pd.DataFrame:
    """The spec's columns present in ``raw``, parsed by kind; blanks are None.

    Columns the spec does not know are kept as text when the sheet takes dimension
    columns, and reported otherwise.
    """
    cells = raw.cells
    known = set(spec.column_names)
    for name in cells.columns:
        if name not in known and not spec.has_dimensions:
            problems.sheet(Message(N_("unknown column; the {sheet} sheet has: {columns}"),
                                   sheet=spec.name, columns=", ".join(spec.column_names)),
                           column=name)
    for column in spec.columns:
        if column.required and column.name not in cells.columns:
            problems.sheet(Message(N_("the required column {column} is missing"),
                                   column=column.name), column=column.name)
    for name in cells.columns:
        check_text(cells[name], spec.name, name, problems)
    typed = pd.DataFrame(index=cells.index)
    for column in spec.columns:
        if column.name in cells.columns:
            typed[column.name] = _parse_column(cells[column.name], column, problems,
                                               decimal_comma)
    for name in cells.columns:
        if name not in known:
            typed[name] = _text(cells[name])
    return typed


def check_text(cells: pd.Series, sheet: str, column: str, problems: ProblemList) -> None:
    """Refuse cells longer than their column holds, or holding control characters, so every
    database stores exactly what an import accepted."""
    text = as_text(cells)
    limit = text_limit(sheet, column)
    problems_found = by_value(text, lambda t: text_problem(t, limit) or "")
    bad = problems_found != ""
    problems.cell(bad, column, problems_found[bad])


def _parse_column(
    text: pd.Series, column: Column, problems: ProblemList, decimal_comma: bool
) -> pd.Series:
    text = as_text(text)  # stripped by the reader
    if column.required:
        problems.cell(is_missing(text), column.name,
                      Message(N_("{column} is required"), column=column.name))
    if column.kind in ("number", "integer"):
        if column.kind == "number":
            values, errors = parse_numbers(text, decimal_comma=decimal_comma)
        else:
            values, errors = parse_integers(text)
        problems.cell(errors != "", column.name, errors)
        if column.kind == "integer":
            return objects(values).map(lambda v: None if v is None else int(v))
        return objects(values)
    if column.kind == "yes_no":
        values, errors = parse_yes_no(text)
        problems.cell(errors != "", column.name, errors)
        return objects(values)
    if column.kind == "choice":
        values, errors = parse_choices(text, column.choices)
        problems.cell(errors != "", column.name, errors)
        return objects(values.where(values != ""))
    if column.kind == "date":
        given = text.str.strip() != ""
        # ISO dates, optionally with a time: no guessing between 10/11 and 11/10.
        iso = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?")
        parsed = pd.to_datetime(text.where(iso), errors="coerce", format="ISO8601")
        problems.cell(given & parsed.isna(), column.name,
                      Message(N_("expected a date written 2025-10-15 (or 2025-10-15 14:30:00)")))
        return _text(text.where(parsed.notna(), ""))
    if column.kind == "list":
        separator = LIST_SEPARATORS.get(column.name, ",")
        return objects(text.map(lambda t: _list_cell(t, separator, column.name)))
    return _text(text)


def objects(series: pd.Series) -> pd.Series:
    """An object Series with None (not NaN or pd.NA) where a value is missing."""
    if series.dtype == "float64":
        return series.astype(object).where(series.notna(), None)
    if series.dtype in ("string", "str", "object") and not series.map(type).eq(bool).any():
        values = series.astype(object)
        return values.where(values.notna(), None)
    return pd.Series([None if v is None or v is pd.NA or v != v else _plain(v) for v in series],
                     index=series.index, dtype="object")


def _plain(value: object) -> object:
    """A Python scalar for a numpy one (np.bool_ and np.float64 must not reach the store)."""
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, str) else value


def _text(text: pd.Series) -> pd.Series:
    """Text cells with None where blank."""
    return by_value(as_text(text), _unquoted)


def _unquoted(text: str) -> str | None:
    if not text:
        return None
    # Export writes '=... for text a spreadsheet would run; the apostrophe is not content.
    if text[0] == "'" and len(text) > 1 and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _list_cell(text: str, separator: str, name: str) -> str | None:
    items = [item.strip() for item in text.split(separator) if item.strip()]
    if not items:
        return None
    if name == "dimensions":  # order matters: it is the display order
        unique = list(dict.fromkeys(items))
        return ", ".join(unique)
    joined = f"{separator} " if separator != "," else ", "
    return joined.join(sorted(set(items)))
