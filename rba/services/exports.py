"""Exports and entry templates: the store's content written as the workbook it imports from,
and the workbook a coordinator fills in for a period."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from rba.i18n import localized_column
from rba.i18n.labels import label
from rba.sheets import REFERENCE, SHEETS_BY_NAME
from rba.store import catalogue, content, entry, programs
from rba.store.entry import TemplateError
from rba.workbook import template, write

__all__ = ["SHEETS_BY_NAME", "TemplateError", "export_sheet", "export_workbook",
           "neutral_cell", "neutralised", "write_entry_template"]


def export_sheet(*, session: Session, path: Path | io.StringIO, sheet: str) -> int:
    """Write one sheet of the store's content as CSV; return its number of rows."""
    if sheet not in SHEETS_BY_NAME:
        raise KeyError(sheet)
    return write.write_csv(path, sheet, content.sheet_frame(session=session, sheet=sheet))


def export_workbook(*, session: Session, path: Path | io.BytesIO) -> dict[str, int]:
    """Write everything as one workbook (every sheet); return the rows per sheet."""
    return write.write_xlsx(
        path, lambda sheet: content.sheet_frame(session=session, sheet=sheet))


def write_entry_template(*, session: Session, path: Path | io.BytesIO,
                         period: str | None = None, team: str | None = None,
                         program: str | None = None, lang: str = "en") -> int:
    """Write the entry workbook for a period (default: each indicator's next): a result
    team's indicators by group (or every team's), or with ``program`` that program's
    performance measures; headers and instructions in ``lang`` (English or Spanish, both
    import back). Returns the rows to fill in; raises TemplateError when there are none."""
    if program is not None:
        rows = entry.measure_rows(session=session, program=program, period=period)
        names = programs.measures_frame(session=session, programs=[program]).rename(
            columns={"measure": "code"})
    else:
        rows = entry.entry_rows(session=session, period=period, team=team)
        names = catalogue.indicator_table(session=session, published_only=False).rename(
            columns={"indicator": "code"})
    return template.write_template(path, in_words(rows, names, lang),
                                   entry.registered_groups(session=session),
                                   measures=program is not None, lang=lang)


def in_words(rows: pd.DataFrame, names: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Entry rows whose reference columns (name, unit, kind) are in ``lang``: the Spanish
    name where one is given, the unit and kind in words."""
    if lang == "en":
        return rows
    rows = rows.copy()
    code = rows["measure" if "measure" in rows else "indicator"]
    named = localized_column(names.drop_duplicates("code"), "name", lang)
    rows[f"name {REFERENCE}"] = code.map(dict(zip(names["code"].drop_duplicates(), named,
                                                  strict=True))).fillna(rows[f"name {REFERENCE}"])
    for column, group in (("unit", "unit"), ("kind", "measure_kind")):
        if f"{column} {REFERENCE}" in rows:
            rows[f"{column} {REFERENCE}"] = rows[f"{column} {REFERENCE}"].map(
                lambda v, g=group: label(g, v, lang))
    return rows


def neutral_cell(value: object) -> object:
    """A cell about to be written to a file, neutralised as `neutralised` does."""
    return write.neutral_cell(value)


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A table about to be downloaded with text a spreadsheet would run as a formula
    prefixed with an apostrophe (as every export writes it)."""
    return write.neutralise(frame)
