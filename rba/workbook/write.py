"""Write the store's content in the workbook format: .xlsx (every sheet) or one sheet as CSV.

Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return) is neutralised with a leading apostrophe; import removes it again.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from rba.store import content
from rba.workbook.spec import SHEETS, SHEETS_BY_NAME

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_KINDS = ("text", "list")


def sheet_frame(session: Session, sheet: str) -> pd.DataFrame:
    """One sheet of the store's content as a DataFrame with the sheet's columns."""
    spec = SHEETS_BY_NAME[sheet]
    if sheet in content.READERS:
        frame = pd.DataFrame(content.READERS[sheet](session), columns=spec.column_names)
        if "published" in frame:
            frame["published"] = frame["published"].map({True: "yes", False: "no"})
        return frame
    owner = spec.key[0]
    if sheet == "baselines":
        from rba.store.baselines import baseline_points

        points = baseline_points(session).drop(columns="baseline")
        laid_out = content.figures_as_sheet(points.assign(id=0), sheet, owner)
        names = [c for c in laid_out.columns if c not in spec.column_names]
        laid_out = laid_out.sort_values([owner, *names, "agreed_at", "period"],
                                        na_position="first", kind="stable")
        return laid_out[spec.column_names + names].reset_index(drop=True)
    figures = content.figures(session, sheet)
    laid_out = content.figures_as_sheet(figures, sheet, owner)
    fixed = [c for c in spec.column_names if c in laid_out.columns]
    return laid_out[fixed + [c for c in laid_out.columns if c not in fixed]]


def neutralise(frame: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """Prefix text cells a spreadsheet would evaluate with an apostrophe."""
    spec = SHEETS_BY_NAME[sheet]
    numeric = {c.name for c in spec.columns if c.kind not in TEXT_KINDS}
    out = frame.copy()
    for column in out.columns:
        if column in numeric:
            continue
        text = out[column]
        risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS))
        out.loc[risky, column] = "'" + text[risky].astype(str)
    return out


def write_csv(session: Session, path: Path | io.StringIO, sheet: str) -> int:
    """Write one sheet as UTF-8 CSV; return the number of data rows."""
    frame = neutralise(sheet_frame(session, sheet), sheet)
    frame.to_csv(path, index=False, encoding="utf-8")
    return len(frame)


def write_xlsx(session: Session, path: Path | io.BytesIO) -> dict[str, int]:
    """Write every sheet to one workbook; return the rows written per sheet."""
    counts: dict[str, int] = {}
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for spec in SHEETS:
            frame = neutralise(sheet_frame(session, spec.name), spec.name)
            frame.to_excel(writer, sheet_name=spec.name, index=False)
            worksheet = writer.sheets[spec.name]
            for row in worksheet.iter_rows(min_row=2):
                for cell in row:
                    if cell.data_type == "f":  # never a live formula
                        cell.data_type = "s"
            worksheet.freeze_panes = "A2"
            counts[spec.name] = len(frame)
    return counts
