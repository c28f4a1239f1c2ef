"""Entry templates: a workbook pre-filled with the rows a coordinator fills in for a period.

One row per indicator and group to enter (rba.store.entry says which), the previous period's
value alongside (in columns headed "... (for reference)", which import ignores), and
drop-down lists in the cells. In Spanish (``lang="es"``) the sheet, its headers, the
instructions and the drop-down messages are in Spanish; import reads them back as they are
(rba.sheets.english_name).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from rba.i18n import gettext
from rba.messages import N_
from rba.sheets import REFERENCE, spanish_header
from rba.workbook.write import neutralise

INSTRUCTIONS = N_(
    "Fill in value (or numerator and denominator) for each row, then upload this file on the "
    "dashboard's Upload page (sign in, then Upload), or import it with `rba import FILE`. "
    "Nothing is written until the check finds no problem. Columns marked (for reference) are "
    "not imported. Leave a row's value blank to skip it.")


def write_template(path: Path | io.BytesIO, rows: pd.DataFrame,
                   groups: dict[str, list[str]], *, measures: bool = False,
                   lang: str = "en") -> int:
    """Write an entry workbook of ``rows`` (rba.store.entry's entry_rows or, with
    ``measures``, measure_rows) with drop-down lists of ``groups`` (dimension -> values),
    in English or Spanish (``lang``); return its number of rows."""
    spanish = lang == "es"
    book = Workbook()
    sheet = book.active
    title = "measure_observations" if measures else "observations"
    sheet.title = spanish_header(title) if spanish else title
    sheet.append([spanish_header(c) if spanish else c for c in rows.columns])
    # Stored text (a name typed as =HYPERLINK(...)) must never become a live formula.
    for row in neutralise(rows).itertuples(index=False):
        sheet.append([None if pd.isna(v) else v for v in row])
    _style(sheet, rows)
    _validations(book, sheet, rows, groups, lang)
    about = book.create_sheet("_about")
    about.append([gettext(INSTRUCTIONS, lang)])
    book.save(path)
    return len(rows)


def _style(sheet, frame: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    grey = PatternFill("solid", fgColor="EEEEEE")
    for index, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(12, min(40, len(name) + 2))
        if REFERENCE in name:
            for cell in sheet[letter][1:]:
                cell.fill = grey
    sheet.freeze_panes = "C2"


def _validations(book: Workbook, sheet, frame: pd.DataFrame,  # type: ignore[no-untyped-def]
                 groups: dict[str, list[str]], lang: str) -> None:
    lists = book.create_sheet("_lists")
    lists.sheet_state = "hidden"
    choices = {"status": ["provisional", "final"],
               **{d: groups.get(d, []) for d in frame.columns if d in groups}}
    last = len(frame) + 1
    for index, (column, values) in enumerate(choices.items(), start=1):
        if not values or column not in frame.columns:
            continue
        letter = get_column_letter(index)
        for row, value in enumerate(values, start=1):
            lists[f"{letter}{row}"] = value
        rule = DataValidation(type="list", allow_blank=True,
                              formula1=f"_lists!${letter}$1:${letter}${len(values)}")
        rule.error = gettext("Choose one of: {values}", lang).format(values=", ".join(values))
        target = get_column_letter(list(frame.columns).index(column) + 1)
        rule.add(f"{target}2:{target}{last}")
        sheet.add_data_validation(rule)
    number = DataValidation(type="decimal", allow_blank=True, operator="between",
                            formula1="-1000000000000", formula2="1000000000000")
    number.error = gettext("Enter a number (45, 45.5 or 1234)", lang)
    for column in ("value", "numerator", "denominator"):
        letter = get_column_letter(list(frame.columns).index(column) + 1)
        number.add(f"{letter}2:{letter}{last}")
    sheet.add_data_validation(number)
