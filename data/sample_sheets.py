"""Reading and writing the sample's sheets as CSV, in the workbook's own columns."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

# The one place data/ learns the workbook's columns, so the sample cannot drift from them.
from rba.sheets import SHEETS_BY_NAME

SAMPLE = Path(__file__).resolve().parent / "sample"

#: The figure sheets' dimension columns (one per dimension of dimensions.csv), in the order the
#: sample has always written them.
DIMENSION_COLUMNS = ("student_group", "city")

#: A row of a hand-edited sheet, as the text in the file.
Row = dict[str, str]
Cell = str | int
#: A row of a simulated sheet: text, or a whole numerator or denominator.
Figure = dict[str, Cell]


def sheet_columns(sheet: str) -> list[str]:
    """The header of one sheet's CSV: the spec's columns, then the dimension columns."""
    spec = SHEETS_BY_NAME[sheet]
    return list(spec.column_names) + (list(DIMENSION_COLUMNS) if spec.has_dimensions else [])


def read_sheet(folder: Path, sheet: str) -> list[Row]:
    """The rows of a hand-edited sheet, each cell as the text in the file."""
    path = folder / f"{sheet}.csv"
    expected = sheet_columns(sheet)
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != expected:
            raise ValueError(f"{path}: the header row should be {','.join(expected)}; "
                             f"found {','.join(reader.fieldnames or [])}")
        return list(reader)


def write_sheet(folder: Path, sheet: str, rows: Iterable[Mapping[str, Cell]]) -> int:
    """Write a simulated sheet (UTF-8, "\\n" line ends, as committed); return its row count."""
    columns = sheet_columns(sheet)
    count = 0
    with (folder / f"{sheet}.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            if set(row) != set(columns):
                raise ValueError(f"{sheet}: a row has columns {sorted(row)}, not {columns}")
            writer.writerow([row[c] for c in columns])
            count += 1
    return count
