"""Tables for readers: the figures behind a curve, and the groups to pick from."""

from __future__ import annotations

import pandas as pd

from rba.i18n import MISSING
from rba.report.tables import curve_table, curve_table_headers, series_choices


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
    assert [c["label"] for c in choices][:2] == ["Total", "City: Pasadena · Student group: all"]


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


def test_curve_table_gives_the_inner_band_the_chart_draws() -> None:
    rows = pd.DataFrame({
        "ordinal": [2024], "period": ["2024-25"], "actual": [None], "forecast": [81.5],
        "forecast_lower": [79.0], "forecast_upper": [84.0], "forecast_lower_80": [80.0],
        "forecast_upper_80": [83.0], "target": [None]})
    table = curve_table(rows, unit="percent", lang="es")
    assert list(table.columns)[4:9] == ["Pronóstico", "Inferior (95%)", "Superior (95%)",
                                        "Inferior (80%)", "Superior (80%)"]
    assert table.iloc[0].tolist()[5:9] == ["79.0%", "84.0%", "80.0%", "83.0%"]
    # At the 80% level the one band is the 80% band: its columns once, not twice.
    assert list(curve_table(rows, unit="percent", level=0.8).columns).count("Lower (80%)") == 1


def test_curve_table_headers_in_each_language() -> None:
    assert list(curve_table_headers("es", 0.8).values()) == [
        "Periodo", "Real", "Numerador", "Denominador", "Pronóstico", "Inferior (80%)",
        "Superior (80%)", "Meta"]
    rows = pd.DataFrame({"ordinal": [1], "period": ["2024"], "actual": [4.25],
                         "numerator": [12.25], "denominator": [1000.0]})
    table = curve_table(rows, unit="rate", per=1000, lang="es")
    assert table.iloc[0].tolist()[:4] == ["2024", "4.3", "12.2", "1,000"]
