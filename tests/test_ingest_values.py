"""Cells are read once per distinct text: the result must equal reading every cell alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rba.ingest.values import as_text, by_values, is_missing, parse_numbers

CELLS = st.sampled_from(["45", "45%", "45 %", "1,234", "1,234.5", "1,5", "n/a", "NA", "",
                         "−3", "$12", "abc", "1e3", "inf", "0.1", " 7 ", "-", "12.50"])


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(CELLS, min_size=1, max_size=30), percent=st.booleans(),
       comma=st.booleans())
def test_numbers_read_per_distinct_text_equal_each_cell_read_alone(
        cells: list[str], percent: bool, comma: bool) -> None:
    text = pd.Series(cells, index=range(10, 10 + len(cells)), dtype=object)
    numbers, errors = parse_numbers(text, percent_allowed=percent, decimal_comma=comma)
    assert list(numbers.index) == list(text.index)
    for i, cell in zip(text.index, cells, strict=True):
        alone, alone_errors = parse_numbers(pd.Series([cell], dtype=object),
                                            percent_allowed=pd.Series([percent]),
                                            decimal_comma=comma)
        assert errors[i] == alone_errors[0]
        assert (np.isnan(numbers[i]) and np.isnan(alone[0])) or numbers[i] == alone[0]


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["a", "b", None, "A"]),
                               st.sampled_from(["x", None, "y"])), min_size=1, max_size=25))
def test_by_values_calls_once_per_combination_and_broadcasts(rows: list[tuple]) -> None:
    first = pd.Series([r[0] for r in rows], dtype=object)
    second = pd.Series([r[1] for r in rows], dtype=object)
    calls: list[tuple] = []

    def joined(a: str | None, b: str | None) -> str:
        calls.append((a, b))
        return f"{a}|{b}"

    result = by_values([first, second], joined)
    assert result.tolist() == [f"{a}|{b}" for a, b in rows]
    assert sorted(calls, key=repr) == sorted(set(rows), key=repr)


@pytest.mark.parametrize(("cells", "expected"), [
    ([None, float("nan"), 5, True, " x "], ["", "", "5", "True", " x "]),
    (["a", ""], ["a", ""]),
])
def test_cells_as_text(cells: list, expected: list[str]) -> None:
    assert as_text(pd.Series(cells, dtype=object)).tolist() == expected


def test_missing_tokens_whatever_their_case() -> None:
    cells = pd.Series(["N/A", "na", "", "—", "none", "nan", "0", "NAN ", "null"], dtype=object)
    assert is_missing(cells).tolist() == [True, True, True, True, True, True, False, False,
                                          True]


@pytest.mark.parametrize("blank_lines", [0, 1, 70_000])
def test_the_header_is_found_below_blank_lines_and_gives_the_separator(
        blank_lines: int) -> None:
    """Blank lines above the header once made the whole file read as empty."""
    from rba.workbook.read import read_csv

    text = "\n" * blank_lines + "indicator;period;value;note\nabsence;2023-24;12,5;" + (
        "x," * 40_000)
    sheet = read_csv(text.encode(), "observations.csv", "observations")
    assert list(sheet.cells.columns) == ["indicator", "period", "value", "note"]
    assert sheet.cells.loc[0, "value"] == "12,5"
    assert sheet.rows.tolist() == [blank_lines + 2]
