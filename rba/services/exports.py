"""Exports and entry templates: the store's content written as the workbook it imports from,
and the workbook a coordinator fills in for a period."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from rba.sheets import SHEETS_BY_NAME
from rba.store import content, entry
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
    else:
        rows = entry.entry_rows(session=session, period=period, team=team)
    return template.write_template(path, rows, entry.registered_groups(session=session),
                                   measures=program is not None, lang=lang)


def neutral_cell(value: object) -> object:
    """A cell about to be written to a file, neutralised as `neutralised` does."""
    return write.neutral_cell(value)


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A table about to be downloaded with text a spreadsheet would run as a formula
    prefixed with an apostrophe (as every export writes it)."""
    return write.neutralise(frame)
