"""How figures, units, periods and groups are written for readers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rba.report.format import (
    MISSING,
    format_number,
    format_value,
    is_missing,
    series_label,
    unit_words,
)
from rba.report.tables import curve_table, series_choices


@pytest.mark.parametrize(("value", "unit", "per", "expected"), [
    (82.14, "percent", None, "82.1%"),
    (82, "percent", None, "82.0%"),
    (4.2, "rate", 1000, "4.2 per 1,000"),
    (7.66, "rate", 10000.0, "7.7 per 10,000"),
    (4.2, "rate", None, "4.2"),
    (1234, "count", None, "1,234"),
    (1234.4, "count", None, "1,234"),
    (1250, "currency", None, "$1,250"),
    (12.5, "currency", None, "$12.50"),
    (3.44, "score", None, "3.4"),
    (1234.56, "number", None, "1,234.6"),
    (0, "percent", None, "0.0%"),
    (None, "percent", None, MISSING),
    (math.nan, "count", None, MISSING),
    (pd.NA, "rate", 1000, MISSING),
])
def test_format_value(value: object, unit: str, per: object, expected: str) -> None:
    assert format_value(value, unit, per) == expected


def test_rate_in_spanish_and_without_base() -> None:
    assert format_value(4.2, "rate", 1000, lang="es") == "4.2 por 1,000"
    assert format_value(4.2, "rate", 1000, with_base=False) == "4.2"


@pytest.mark.parametrize(("value", "expected"), [
    (1000, "1,000"), (987.0, "987"), (12.34, "12.3"), (0, "0"), (None, MISSING)])
def test_format_number(value: object, expected: str) -> None:
    assert format_number(value) == expected


@pytest.mark.parametrize(("value", "missing"), [
    (None, True), (math.nan, True), (pd.NA, True), ("", True), ("2023-24", False),
    (0, False), (0.0, False)])
def test_is_missing(value: object, missing: bool) -> None:
    assert is_missing(value) is missing


def test_units_in_words() -> None:
    assert unit_words("percent") == "Percent"
    assert unit_words("rate", 1000) == "Rate per 1,000"
    assert unit_words("rate", 1000, "es") == "Tasa por 1,000"


LABELS = {("city", None): "City", ("city", "Altadena"): "Altadena",
          ("student_group", None): "Student group", ("student_group", "Latino"): "Latino"}


@pytest.mark.parametrize(("key", "expected"), [
    ("{}", "Total"),
    ('{"city":"Altadena"}', "City: Altadena"),
    ('{"city":"Altadena","student_group":"Latino"}', "Student group: Latino · City: Altadena"),
    ('{"school":"Muir"}', "School: Muir"),
])
def test_series_label(key: str, expected: str) -> None:
    assert series_label(key, LABELS, order=["student_group", "city"]) == expected


def test_series_choices_put_the_total_first_then_groups_in_order() -> None:
    series = pd.DataFrame({"series": ["a", "b", "c", "d"], "dimensions": [
        '{"city":"Pasadena"}', "{}", '{"city":"Altadena"}',
        '{"city":"Altadena","student_group":"Latino"}']})
    labels = pd.DataFrame({
        "dimension": ["city", "city", "city", "student_group", "student_group"],
        "value": [None, "Altadena", "Pasadena", None, "Latino"],
        "label": ["City", "Altadena", "Pasadena", "Student group", "Latino"],
        "order": [-1, 2, 1, -1, 1]})
    choices = series_choices(series, labels, order=["city", "student_group"])
    assert [c["value"] for c in choices] == ["b", "a", "c", "d"]
    assert [c["label"] for c in choices][:2] == ["Total", "City: Pasadena"]


def test_curve_table_formats_every_column_and_skips_empty_periods() -> None:
    rows = pd.DataFrame({
        "ordinal": [2024, 2022, 2023], "period": ["2024-25", "2022-23", "2023-24"],
        "actual": [None, 80.0, None], "numerator": [None, 800.0, None],
        "denominator": [None, 1000.0, None], "forecast": [81.5, None, None],
        "forecast_lower": [79.0, None, None], "forecast_upper": [84.0, None, None],
        "target": [85.0, None, None]})
    table = curve_table(rows, unit="percent")
    assert list(table.columns) == ["Period", "Actual", "Numerator", "Denominator", "Forecast",
                                   "Lower (95%)", "Upper (95%)", "Target"]
    assert table.to_dict("records") == [
        {"Period": "2022-23", "Actual": "80.0%", "Numerator": "800", "Denominator": "1,000",
         "Forecast": MISSING, "Lower (95%)": MISSING, "Upper (95%)": MISSING,
         "Target": MISSING},
        {"Period": "2024-25", "Actual": MISSING, "Numerator": MISSING,
         "Denominator": MISSING, "Forecast": "81.5%", "Lower (95%)": "79.0%",
         "Upper (95%)": "84.0%", "Target": "85.0%"},
    ]
