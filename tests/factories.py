"""Plain functions that write small workbooks and CSVs for tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TEAMS = [{"slug": "academics", "name": "Students Succeed Team"}]
RESULTS = [{"code": "R2", "name": "Students succeed academically", "team": "academics",
            "order": 2}]
INDICATORS = [
    {"code": "grad_rate", "result": "R2", "name": "High-school graduation rate",
     "unit": "percent", "polarity": "up", "frequency": "school_year", "kind": "headline",
     "dimensions": "city", "published": "yes", "min_n": 11},
    {"code": "absence", "result": "R2", "name": "Chronic absence rate", "unit": "percent",
     "polarity": "down", "frequency": "school_year", "kind": "headline"},
    {"code": "arrests", "result": "R2", "name": "Juvenile arrests", "unit": "rate", "per": 1000,
     "polarity": "down", "frequency": "year", "kind": "secondary"},
]
OBSERVATIONS = [
    {"indicator": "grad_rate", "period": "2021-22", "value": 80, "numerator": 800,
     "denominator": 1000, "city": None},
    {"indicator": "grad_rate", "period": "2022-23", "value": 81, "numerator": 810,
     "denominator": 1000, "city": None},
    {"indicator": "grad_rate", "period": "2022-23", "value": 82, "numerator": 410,
     "denominator": 500, "city": "Pasadena"},
    {"indicator": "absence", "period": "2022-23", "value": 12.5},
    {"indicator": "arrests", "period": "2023", "value": 4.2},
]


def write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    """Write ``rows`` as a CSV at ``path`` and return the path."""
    pd.DataFrame(rows, columns=columns).to_csv(path, index=False)
    return path


def write_workbook(path: Path, sheets: dict[str, list[dict]]) -> Path:
    """Write a .xlsx with one sheet per entry."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, rows in sheets.items():
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, index=False)
    return path


def basic_workbook(path: Path) -> Path:
    """A workbook with one team, one result, three indicators and five observations."""
    return write_workbook(path, {"teams": TEAMS, "results": RESULTS,
                                 "indicators": INDICATORS, "observations": OBSERVATIONS})
