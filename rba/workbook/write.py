"""Write sheets in the workbook format: .xlsx (every sheet) or one sheet as CSV.

Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return) is neutralised with a leading apostrophe; import removes it again.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from rba.sheets import SHEETS, SHEETS_BY_NAME

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_KINDS = ("text", "list")


def neutralise(frame: pd.DataFrame, sheet: str | None = None) -> pd.DataFrame:
    """Prefix text cells a spreadsheet would evaluate with an apostrophe.

    With ``sheet``, its text and list columns (by the sheet spec); without, every column
    that does not hold numbers.
    """
    if sheet is not None:
        spec = SHEETS_BY_NAME[sheet]
        numeric = {c.name for c in spec.columns if c.kind not in TEXT_KINDS}
    else:
        numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c].dtype)}
    out = frame.copy()
    for column in out.columns:
        if column in numeric:
            continue
        text = out[column]
        risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS))
        out.loc[risky, column] = "'" + text[risky].astype(str)
    return out


def neutral_cell(value: object) -> object:
    """One cell as every written file holds it: text a spreadsheet would run as a formula
    gets a leading apostrophe; anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(path: Path | io.StringIO, sheet: str, frame: pd.DataFrame) -> int:
    """Write one sheet's rows as UTF-8 CSV; return the number of data rows."""
    frame = neutralise(frame, sheet)
    frame.to_csv(path, index=False, encoding="utf-8")
    return len(frame)


def write_xlsx(path: Path | io.BytesIO, frames: Callable[[str], pd.DataFrame]
               ) -> dict[str, int]:
    """Write every sheet, in the workbook's order, to one workbook; ``frames`` gives each
    sheet's rows by its name. Return the rows written per sheet."""
    counts: dict[str, int] = {}
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for spec in SHEETS:
            frame = neutralise(frames(spec.name), spec.name)
            frame.to_excel(writer, sheet_name=spec.name, index=False)
            worksheet = writer.sheets[spec.name]
            for row in worksheet.iter_rows(min_row=2):
                for cell in row:
                    if cell.data_type == "f":  # never a live formula
                        cell.data_type = "s"
            worksheet.freeze_panes = "A2"
            counts[spec.name] = len(frame)
    return counts
