"""Read a workbook (.xlsx) or one-sheet CSV into raw sheets of text cells.

Every cell comes back as text exactly as the user would see it (numbers in full precision,
Excel percentage cells as ``"45%"``, dates as ISO ``YYYY-MM-DD``), with the spreadsheet row
number of each data row, so validation can point at the very cell.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from rba import config
from rba.messages import N_, Message
from rba.problems import InputRejected, Problem
from rba.sheets import SHEETS_BY_NAME, english_name, sheet_for_filename
from rba.workbook import guard
from rba.workbook.sandbox import run_limited

#: The largest file read (rba.config.FILE_LIMITS holds every limit).
MAX_FILE_BYTES = config.FILE_LIMITS.file_bytes
REFERENCE_SUFFIXES = ("(for_reference)", "(para_referencia)")


@dataclass
class RawSheet:
    """One sheet's cells as text: ``cells`` has one column per header, ``rows`` the row numbers.

    Cells are stripped strings ("" when blank); build one with :func:`sheet_from_records`.
    ``file`` is the file's name, or a Message naming what stands for one (an entry grid).
    """

    file: str | Message
    name: str
    cells: pd.DataFrame
    rows: pd.Series


def normalise_header(text: object) -> str:
    """A header as a column name: trimmed, lower case, spaces and dashes as underscores, in
    English when written in Spanish ("valor" -> "value", as a Spanish template heads it)."""
    return english_name(re.sub(r"[\s\-]+", "_", str(text or "").strip().lower()))


def read_file(
    path: Path, *, sheet: str | None = None, encoding: str | None = None
) -> list[RawSheet]:
    """The sheets in ``path``: every known sheet of an .xlsx, or the one sheet of a .csv.

    ``sheet`` names the sheet a CSV holds (or the one sheet of a workbook to read), as the
    CLI's --sheet does.
    """
    size = path.stat().st_size
    if size > config.FILE_LIMITS.file_bytes:
        raise _reject(path.name, Message(N_("the file is {size:,} bytes; the limit is {limit:,}"),
                                         size=size, limit=config.FILE_LIMITS.file_bytes))
    return read_bytes(path.read_bytes(), path.name, sheet=sheet, encoding=encoding,
                      sheet_option=True)


def read_bytes(data: bytes, name: str, *, sheet: str | None = None,
               encoding: str | None = None, sheet_option: bool = False) -> list[RawSheet]:
    """The sheets of a file's bytes (an upload, or a file read by `read_file`), by its name:
    every known sheet of an .xlsx, or the one sheet of a .csv named after its sheet.

    ``sheet_option``: whoever sent the file can name a CSV's sheet (the CLI's --sheet), so
    a refusal says so. The file is checked (rba.workbook.guard) and parsed in a child
    process held to rba.config.FILE_LIMITS (rba.workbook.sandbox).
    """
    if len(data) > config.FILE_LIMITS.file_bytes:
        raise _reject(name, Message(N_("the file is {size:,} bytes; the limit is {limit:,}"),
                                    size=len(data), limit=config.FILE_LIMITS.file_bytes))
    guard.check_not_empty(data, name)
    return run_limited(read_bytes_here, name, data, name, sheet=sheet, encoding=encoding,
                       sheet_option=sheet_option)


def read_bytes_here(data: bytes, name: str, *, sheet: str | None = None,
                    encoding: str | None = None, sheet_option: bool = False
                    ) -> list[RawSheet]:
    """`read_bytes` in this process (no time or memory limit but the pre-checks')."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data, name, only=sheet)
    if suffix in (".csv", ".txt"):
        spec = SHEETS_BY_NAME.get(sheet) if sheet else sheet_for_filename(name)
        if spec is None:
            raise _reject(name, Message(
                N_("cannot tell which sheet this CSV holds: name the file after a sheet (e.g. "
                   "observations.csv) or pass --sheet; sheets: {sheets}") if sheet_option else
                N_("cannot tell which sheet this CSV holds: name the file after a sheet (e.g. "
                   "observations.csv); sheets: {sheets}"),
                sheets=", ".join(SHEETS_BY_NAME)))
        return [read_csv(data, name, spec.name, encoding=encoding)]
    raise _reject(name, Message(N_("expected a .xlsx workbook or a .csv file, not {suffix}"),
                                suffix=suffix or Message(N_("no suffix"))))


def _reject(file: str, message: Message) -> InputRejected:
    return InputRejected([Problem(file, "", None, None, None, message)])


def decode(data: bytes, file: str, encoding: str | None = None) -> str:
    """Text of a CSV: the given encoding, else UTF-8 (with or without BOM), else Windows-1252."""
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise _reject(file, Message(N_("cannot read the file as {encoding}: {error}"),
                                        encoding=encoding, error=str(exc))) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" as Windows-1252, a superset of Latin-1's printables.
        return data.decode("cp1252", errors="strict") if _is_cp1252(data) else data.decode(
            "latin-1"
        )


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def read_csv(data: bytes, file: str, sheet: str, *, encoding: str | None = None) -> RawSheet:
    """One CSV sheet; comma or semicolon separated, detected from the header line."""
    guard.check_not_empty(data, file)
    text = decode(data, file, encoding or guard.sniff_csv(data, file))
    first_line = _first_line(text)
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    guard.check_csv_shape(text, delimiter, file, sheet)
    try:  # pandas' C parser; rows are CSV records, numbered as a spreadsheet shows them
        grid = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=object,
                           keep_default_na=False, na_filter=False, skip_blank_lines=False,
                           engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        # Ragged rows, or blank lines above the header (the C parser then sees no columns):
        # the csv module reads every record.
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        width = max((len(r) for r in records), default=0)
        grid = pd.DataFrame([r + [""] * (width - len(r)) for r in records], dtype="object")
    return _grid_to_sheet(file, sheet, grid, np.arange(1, len(grid) + 1, dtype="int64"))


def _first_line(text: str, head: int = 65536) -> str:
    """The first line with anything on it ("" if none), splitting only the file's start."""
    start = text[:head]
    lines = start.splitlines()
    for i, line in enumerate(lines):
        if line.strip():
            if i < len(lines) - 1 or len(start) == len(text):
                return line
            break  # the line may go on past the part split
    else:
        if len(start) == len(text):
            return ""
    return next((line for line in text.splitlines() if line.strip()), "")


def read_xlsx(data: bytes, file: str, *, only: str | None = None) -> list[RawSheet]:
    """The known sheets of a workbook (or just ``only``), read safely with cached values."""
    import openpyxl  # defusedxml, installed beside it, guards its XML parsing

    has_formulas = guard.check_workbook(data, file)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a zip that is not a workbook, or a corrupt one
        raise _reject(file, Message(N_("cannot open the workbook: {error}"),
                                    error=str(exc))) from exc
    formulas = openpyxl.load_workbook(
        io.BytesIO(data), read_only=True, data_only=False) if has_formulas else None
    wanted = {normalise_header(n): n for n in book.sheetnames}
    if only is not None and only not in wanted:
        raise _reject(file, Message(N_("no sheet named {name!r}; the workbook has {sheets}"),
                                    name=only, sheets=", ".join(wanted)))
    unknown = [n for n in wanted if n not in SHEETS_BY_NAME and not n.startswith("_")]
    if unknown and only is None:
        known = ", ".join(SHEETS_BY_NAME)
        raise InputRejected([
            Problem(file, wanted[n], None, None, None,
                    Message(N_("unknown sheet; sheets are: {sheets}"), sheets=known))
            for n in unknown
        ])
    sheets = []
    for key, title in wanted.items():
        if key.startswith("_") or (only is not None and key != only):
            continue
        worksheet = book[title]
        try:
            rows = [
                (number, [_cell_text(c) for c in row])
                for number, row in enumerate(worksheet.iter_rows(), start=1)
            ]
        except (ValueError, TypeError, KeyError, OSError, EOFError) as exc:
            raise _reject(file, Message(N_("cannot read the sheet {sheet}: {error}"),
                                        sheet=title, error=str(exc))) from exc
        if formulas is not None:
            _reject_uncached_formulas(file, title, rows, formulas[title])
        sheets.append(_to_sheet(file, key, rows, title))
    book.close()
    if formulas is not None:
        formulas.close()
    return sheets


UNCACHED_FORMULA = Message(N_(
    "a formula with no saved result: open the file in Excel, let it calculate, save it, and "
    "import again (or paste the values)"))


def _reject_uncached_formulas(
    file: str, title: str, rows: list[tuple[int, list[str]]], formula_sheet: object
) -> None:
    """A formula whose result Excel never saved reads as blank: refuse it, never guess."""
    problems = []
    for (number, values), cells in zip(rows, formula_sheet.iter_rows(), strict=False):  # type: ignore[attr-defined]
        for text, cell in zip(values, cells, strict=False):
            formula = getattr(cell, "value", None)
            if text == "" and isinstance(formula, str) and formula.startswith("="):
                column = getattr(cell, "column_letter", "?")
                problems.append(Problem(file, title, number, column, formula, UNCACHED_FORMULA))
    if problems:
        raise InputRejected(problems)


def _cell_text(cell: object) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        if "%" in str(getattr(cell, "number_format", "") or ""):
            return f"{value * 100:.12g}%"
        if isinstance(value, float):  # shortest text that reads back as the same double
            return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else (
            value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _header_index(filled: list[tuple[int, list[str]]], sheet: str) -> int:
    """Where the header is: the first of the top rows naming the sheet's required columns.

    Coordinators often put a title (merged across the top) or notes above the header.
    """
    spec = SHEETS_BY_NAME.get(sheet)
    required = {c.name for c in spec.columns if c.required} if spec else set()
    for index, (_, row) in enumerate(filled[:10]):
        if required and required <= {normalise_header(c) for c in row}:
            return index
    return 0


def _to_sheet(
    file: str, sheet: str, rows: list[tuple[int, list[str]]], title: str | None = None
) -> RawSheet:
    """A sheet from (row number, cells) pairs, as read from a workbook."""
    width = max((len(r) for _, r in rows), default=0)
    grid = pd.DataFrame([r + [""] * (width - len(r)) for _, r in rows], dtype="object")
    return _grid_to_sheet(file, sheet, grid, np.array([n for n, _ in rows], dtype="int64"),
                          title)


def _grid_to_sheet(
    file: str | Message, sheet: str, grid: pd.DataFrame, numbers: np.ndarray,
    title: str | None = None
) -> RawSheet:
    """Header = the sheet's header row; blank rows dropped; every cell stripped text.

    ``numbers`` are the rows' numbers as the user sees them (spreadsheet rows, CSV records).
    """
    label = title or sheet
    if grid.empty:
        return RawSheet(file, sheet, pd.DataFrame(), pd.Series([], dtype="int64"))
    grid = pd.DataFrame({i: stripped_text(grid.iloc[:, i]) for i in range(grid.shape[1])},
                        dtype=object)
    filled = (grid != "").any(axis=1).to_numpy()
    grid, numbers = grid[filled], numbers[filled]
    if grid.empty:
        return RawSheet(file, sheet, pd.DataFrame(), pd.Series([], dtype="int64"))
    top = [(int(n), list(r)) for n, r in zip(numbers[:10], grid.head(10).itertuples(
        index=False), strict=False)]
    start = _header_index(top, sheet)
    header_row = int(numbers[start])
    names = [normalise_header(h) for h in grid.iloc[start]]
    body, body_numbers = grid.iloc[start + 1:], numbers[start + 1:]
    if len(body) > config.FILE_LIMITS.rows:
        raise InputRejected([Problem(file, label, None, None, None, Message(
            N_("{rows:,} rows; the limit is {limit:,}"), rows=len(body),
            limit=config.FILE_LIMITS.rows))])
    while names and names[-1] == "":
        names.pop()
    width = len(names)
    if width > config.FILE_LIMITS.columns:
        raise InputRejected([Problem(file, label, header_row, None, None, Message(
            N_("{columns} columns; the limit is {limit}"), columns=width,
            limit=config.FILE_LIMITS.columns))])
    # Columns headed "... (for reference)" (as in entry templates) are for the reader only.
    keep = [i for i, n in enumerate(names) if not n.endswith(REFERENCE_SUFFIXES)]
    kept = [names[i] for i in keep]
    problems = [
        Problem(file, label, header_row, name or f"#{i + 1}", None,
                Message(N_("repeated column header")) if name else Message(
                    N_("blank column header")))
        for i, name in enumerate(kept)
        if name == "" or kept.index(name) != i
    ]
    extra = body.iloc[:, width:]
    overflow = (extra != "").any(axis=1).to_numpy() if extra.shape[1] else np.zeros(
        len(body), dtype=bool)
    problems += [
        Problem(file, label, int(n), None, " ".join(c for c in row if c),
                Message(N_("a value stands in a column with no header")))
        for n, row in zip(body_numbers[overflow], extra[overflow].itertuples(index=False),
                          strict=True)
    ]
    if problems:
        raise InputRejected(problems)
    cells = body.iloc[:, keep].reset_index(drop=True)
    cells.columns = kept
    return RawSheet(file, sheet, cells, pd.Series(body_numbers, dtype="int64"))


def stripped_text(column: pd.Series) -> np.ndarray:
    """A column's cells as stripped Python strings ("" where blank), as an object array."""
    values = column.to_numpy(dtype=object).tolist()
    try:
        texts = [v.strip() for v in values]
    except AttributeError:  # not all text (records from a form): blanks first, then str()
        texts = [("" if v is None or v is pd.NA or v != v else str(v)).strip() for v in values]
    array = np.empty(len(texts), dtype=object)
    array[:] = texts
    return array


def sheet_from_records(file: str | Message, sheet: str, records: list[dict[str, object]],
                       rows: list[int] | None = None) -> RawSheet:
    """A raw sheet from records (e.g. an entry grid's rows), as if read from a file."""
    frame = pd.DataFrame(records, dtype="object")
    header = pd.DataFrame([list(frame.columns)], dtype="object")
    grid = pd.concat([header, pd.DataFrame(frame.to_numpy(), dtype="object")],
                     ignore_index=True)
    numbers = np.array([1, *(rows or range(2, len(frame) + 2))], dtype="int64")
    return _grid_to_sheet(file, sheet, grid, numbers)
