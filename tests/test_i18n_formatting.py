"""Numbers, percents, money, dates and periods as English and Spanish readers expect them."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rba.i18n import (
    MISSING,
    format_change,
    format_currency,
    format_date,
    format_number,
    format_percent,
    format_period,
    format_signed,
    format_value,
    format_whole_or_decimal,
    is_missing,
    locale_of,
    series_label,
    unit_words,
)


def test_spanish_is_formatted_as_us_spanish() -> None:
    # Deliberate: es_US writes 1,234.5 like PUSD's Spanish materials; Spain's es would
    # write 1.234,5.
    assert locale_of("es") == "es_US"
    assert locale_of("en") == "en_US"


@pytest.mark.parametrize(("value", "lang", "decimals", "expected"), [
    (1234567.891, "en", 1, "1,234,567.9"),
    (1234567.891, "es", 1, "1,234,567.9"),
    (1234.5, "en", 0, "1,235"),  # half away from zero, as Excel rounds
    (82.25, "en", 1, "82.3"),
    (-82.25, "es", 1, "-82.3"),
    (0, "en", 2, "0.00"),
    (12, "es", 1, "12.0"),
    (None, "en", 1, MISSING),
    (math.nan, "es", 1, MISSING),
    (pd.NA, "es", 1, MISSING),
    (math.inf, "en", 1, MISSING),
])
def test_format_number(value: object, lang: str, decimals: int, expected: str) -> None:
    assert format_number(value, lang, decimals) == expected


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (45.25, "en", "45.3%"), (45.25, "es", "45.3%"), (100, "es", "100.0%"),
    (1234.5, "en", "1,234.5%"), (None, "es", MISSING)])
def test_format_percent(value: object, lang: str, expected: str) -> None:
    assert format_percent(value, lang) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (1.25, "+1.3"), (-0.04, "0.0"), (0, "0.0"), (-2, "-2.0"), (None, MISSING)])
def test_format_signed(value: object, expected: str) -> None:
    assert format_signed(value, "es") == expected


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (1250, 0, "$1,250"), (-40.5, 2, "-$40.50"), (850000, 0, "$850,000")])
def test_format_currency(value: float, decimals: int, expected: str) -> None:
    assert format_currency(value, "en", decimals) == expected
    assert format_currency(value, "es", decimals) == expected


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (dt.date(2024, 3, 5), "en", "March 5, 2024"),
    (dt.date(2024, 3, 5), "es", "5 de marzo de 2024"),
    ("2025-10-15", "es", "15 de octubre de 2025"),
    (dt.datetime(2025, 1, 7, 18, 30, tzinfo=dt.UTC), "en", "January 7, 2025"),
    (pd.Timestamp("2025-01-07"), "es", "7 de enero de 2025"),
    (None, "es", MISSING),
])
def test_format_date(value: object, lang: str, expected: str) -> None:
    assert format_date(value, lang) == expected


@pytest.mark.parametrize(("label", "frequency", "en", "es"), [
    ("2023-24", "school_year", "School year 2023-24", "Año escolar 2023-24"),
    ("2024-Q3", "quarter", "Q3 2024", "T3 2024"),
    ("2024-03", "month", "March 2024", "marzo 2024"),
    ("FY2024", "fiscal_year", "FY 2024", "Año fiscal 2024"),
    ("not a period", "year", "not a period", "not a period"),
])
def test_format_period(label: str, frequency: str, en: str, es: str) -> None:
    assert format_period(label, frequency, "en") == en
    assert format_period(label, frequency, "es") == es


@pytest.mark.parametrize(("value", "unit", "per", "en", "es"), [
    (82.14, "percent", None, "82.1%", "82.1%"),
    (4.25, "rate", 1000, "4.3 per 1,000", "4.3 por 1,000"),
    (4.2, "rate", None, "4.2", "4.2"),
    (1234.4, "count", None, "1,234", "1,234"),
    (1250, "currency", None, "$1,250", "$1,250"),
    (12.5, "currency", None, "$12.50", "$12.50"),
    (3.44, "score", None, "3.4", "3.4"),
    (None, "percent", None, MISSING, MISSING),
])
def test_format_value(value: object, unit: str, per: object, en: str, es: str) -> None:
    assert format_value(value, unit, per, "en") == en
    assert format_value(value, unit, per, "es") == es


@pytest.mark.parametrize(("value", "unit", "en", "es"), [
    (-1.25, "percent", "-1.3 pts", "-1.3 p. p."),
    (2.8, "percent", "+2.8 pts", "+2.8 p. p."),
    (51, "count", "+51", "+51"),
    (-43, "currency", "-$43", "-$43"),
    (0.3, "rate", "+0.3", "+0.3"),
    (None, "count", MISSING, MISSING),
])
def test_format_change(value: object, unit: str, en: str, es: str) -> None:
    assert format_change(value, unit, "en") == en
    assert format_change(value, unit, "es") == es


@settings(max_examples=400, deadline=None)
@given(value=st.one_of(
           st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
           st.integers(min_value=-10**12, max_value=10**12),
           st.decimals(min_value=-10**9, max_value=10**9, places=4).map(float)),
       decimals=st.integers(min_value=0, max_value=4), lang=st.sampled_from(["en", "es"]),
       signed=st.booleans())
def test_the_fast_writing_of_numbers_is_babels_own(value: float, decimals: int, lang: str,
                                                   signed: bool) -> None:
    """Where a locale's symbols are Python's, numbers are written without calling Babel:
    the text must be exactly what Babel's CLDR pattern writes."""
    from babel.numbers import format_decimal

    from rba.i18n.formatting import _pattern, _rounded, _written
    from rba.i18n.languages import locale_of

    rounded = _rounded(value, decimals)
    babel = format_decimal(rounded, format=_pattern(decimals, signed), locale=locale_of(lang),
                           decimal_quantization=True)
    assert _written(rounded, decimals, lang, signed) == babel


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
def test_format_value_in_each_unit(value: object, unit: str, per: object,
                                   expected: str) -> None:
    assert format_value(value, unit, per) == expected


def test_rate_in_spanish_and_without_base() -> None:
    assert format_value(4.2, "rate", 1000, lang="es") == "4.2 por 1,000"
    assert format_value(4.2, "rate", None) == "4.2"


@pytest.mark.parametrize(("value", "expected"), [
    (1000, "1,000"), (987.0, "987"), (12.34, "12.3"), (12.25, "12.2"), (0, "0"),
    (None, MISSING)])
def test_format_whole_or_decimal(value: object, expected: str) -> None:
    """Whole numbers lose their decimals (unlike format_number), in any language."""
    assert format_whole_or_decimal(value) == expected


@pytest.mark.parametrize(("value", "missing"), [
    (None, True), (math.nan, True), (pd.NA, True), ("", True), ("2023-24", False),
    (0, False), (0.0, False)])
def test_is_missing(value: object, missing: bool) -> None:
    assert is_missing(value) is missing


def test_units_in_words() -> None:
    assert unit_words("percent") == "Percent"
    assert unit_words("rate", 1000) == "Rate per 1,000"
    assert unit_words("rate", 1000, "es") == "Tasa por 1,000"
    # As it heads an axis, a count is "Número" (its label elsewhere says "Cantidad").
    assert unit_words("count", lang="es") == "Número"
    assert unit_words("furlongs", lang="es") == "furlongs"


GROUP_LABELS = {("city", None): "City", ("city", "Altadena"): "Altadena",
          ("student_group", None): "Student group", ("student_group", "Latino"): "Latino"}


@pytest.mark.parametrize(("key", "expected"), [
    ("{}", "Total"),
    # A subtotal says which of the indicator's dimensions it adds up.
    ('{"city":"Altadena"}', "City: Altadena · Student group: all"),
    ('{"city":"Altadena","student_group":"Latino"}', "Student group: Latino · City: Altadena"),
    ('{"school":"Muir"}', "School: Muir · Student group: all · City: all"),
])
def test_series_label(key: str, expected: str) -> None:
    assert series_label(key, GROUP_LABELS, order=["student_group", "city"]) == expected


def test_series_label_of_a_subtotal_in_spanish() -> None:
    labels = {("city", None): "Ciudad", ("city", "Altadena"): "Altadena",
              ("student_group", None): "Grupo de estudiantes"}
    assert series_label('{"city":"Altadena"}', labels, ["city", "student_group"], "es") == \
        "Ciudad: Altadena · Grupo de estudiantes: sin desglosar"
    # Without the indicator's dimensions, a group is named by its own values only.
    assert series_label('{"city":"Altadena"}', labels, lang="es") == "Ciudad: Altadena"
