"""The turn-the-curve chart: history, forecast with its interval, and targets."""

from __future__ import annotations

import base64
import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from rba.report.charts import (
    ACTUAL_COLOUR,
    BAND_COLOUR,
    FORECAST_COLOUR,
    INNER_BAND_COLOUR,
    MAX_X_LABELS,
    TARGET_COLOUR,
    anchored,
    figure_json,
    turn_the_curve_figure,
    turn_the_curve_spec,
)

NAN = np.nan


def curve_rows() -> pd.DataFrame:
    return pd.DataFrame({
        "series": "grad_rate:{}",
        "ordinal": [2021, 2022, 2023, 2024, 2025],
        "period": ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26"],
        "actual": [80.0, 81.0, 82.1, NAN, NAN],
        "forecast": [NAN, NAN, NAN, 83.0, 84.0],
        "forecast_lower": [NAN, NAN, NAN, 81.0, 81.5],
        "forecast_upper": [NAN, NAN, NAN, 85.0, 86.5],
        "forecast_lower_80": [NAN, NAN, NAN, 82.0, 82.5],
        "forecast_upper_80": [NAN, NAN, NAN, 84.0, 85.5],
        "target": [NAN, NAN, NAN, NAN, 86.0],
    })


def traces(figure: go.Figure) -> dict[str, go.Scatter]:
    return {t.name: t for t in figure.data if t.showlegend is not False}


def test_chart_has_history_forecast_band_and_targets() -> None:
    figure = turn_the_curve_figure(curve_rows(), title="Graduation rate", unit="percent",
                                   subtitle="Total")
    shown = traces(figure)
    assert set(shown) == {"Actual", "Forecast (current course)", "95% prediction interval",
                          "80% prediction interval", "Target"}
    actual, forecast = shown["Actual"], shown["Forecast (current course)"]
    assert actual.mode == "lines+markers" and actual.line.color == ACTUAL_COLOUR
    assert forecast.line.dash == "dash" and forecast.line.color == FORECAST_COLOUR
    assert shown["95% prediction interval"].fill == "tonexty"
    target = shown["Target"]
    assert target.mode == "markers" and target.marker.symbol == "diamond"
    assert target.marker.color == TARGET_COLOUR
    assert list(target.y[-1:]) == [86.0]
    assert figure.layout.title.text == "Graduation rate"
    assert figure.layout.title.subtitle.text == "Total"
    assert figure.layout.yaxis.ticksuffix == "%"
    assert list(figure.layout.xaxis.categoryarray) == [
        "2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]


def test_forecast_is_drawn_from_the_last_actual() -> None:
    figure = turn_the_curve_figure(curve_rows(), title="t", unit="percent")
    forecast = traces(figure)["Forecast (current course)"]
    assert list(forecast.y)[2:] == [82.1, 83.0, 84.0]
    assert "81.0% to 85.0%" in forecast.customdata[3]


def alpha(colour: str) -> float:
    return float(colour.rsplit(",", 1)[1].rstrip(")"))


def test_the_80_band_is_drawn_darker_inside_the_95_band_and_both_are_named() -> None:
    figure = turn_the_curve_figure(curve_rows(), title="t", unit="percent")
    fills = [t for t in figure.data if t.fill == "tonexty"]
    assert [t.name for t in fills] == ["95% prediction interval", "80% prediction interval"]
    wide, inner = fills  # the inner band drawn last, over the wide one
    assert (wide.fillcolor, inner.fillcolor) == (BAND_COLOUR, INNER_BAND_COLOUR)
    assert alpha(inner.fillcolor) > alpha(wide.fillcolor)
    assert list(inner.y) == [82.1, 82.0, 82.5]  # from the last actual, like the forecast
    # The legend reads the inner band before the wide one; the hover gives both.
    assert inner.legendrank < wide.legendrank
    hover = traces(figure)["Forecast (current course)"].customdata[3]
    assert hover == "83.0% (95%: 81.0% to 85.0%; 80%: 82.0% to 84.0%)"


@pytest.mark.parametrize(("level", "drop"), [(0.8, False), (0.95, True)])
def test_one_band_at_the_80_level_or_for_a_baseline_stored_without_the_inner_band(
        level: float, drop: bool) -> None:
    rows = curve_rows()
    if drop:
        rows = rows.drop(columns=["forecast_lower_80", "forecast_upper_80"])
    figure = turn_the_curve_figure(rows, title="t", unit="percent", level=level)
    assert [t.name for t in figure.data if t.fill] == [f"{level:.0%} prediction interval"]


def test_spanish_band_names() -> None:
    figure = turn_the_curve_figure(curve_rows(), title="t", unit="percent", lang="es")
    assert {"Intervalo de predicción del 95%", "Intervalo de predicción del 80%"} <= set(
        traces(figure))


@pytest.mark.parametrize(("season", "first", "periods", "expected"), [
    (4, 8072, 44, ["2018-Q1", "2020-Q1", "2022-Q1", "2024-Q1", "2026-Q1", "2028-Q1"]),
    (4, 8074, 20, ["2019-Q1", "2020-Q1", "2021-Q1", "2022-Q1", "2023-Q1"]),
    (1, 2016, 15, ["2016", "2019", "2022", "2025", "2028"]),
    (1, 2016, 5, ["2016", "2017", "2018", "2019", "2020"]),
])
def test_x_labels_fall_on_years_and_are_few_enough_for_a_phone(
        season: int, first: int, periods: int, expected: list[str]) -> None:
    ordinal = np.arange(first, first + periods)
    label = (lambda o: f"{o // 4}-Q{o % 4 + 1}") if season == 4 else str
    rows = pd.DataFrame({"ordinal": ordinal, "period": [label(o) for o in ordinal],
                         "actual": np.linspace(1, 2, periods)})
    frequency = "quarter" if season == 4 else "year"
    figure = turn_the_curve_figure(rows, title="t", unit="count", frequency=frequency)
    assert list(figure.layout.xaxis.tickvals) == expected
    assert len(expected) <= MAX_X_LABELS
    assert list(figure.layout.xaxis.autotickangles) == [0, 30]  # level, else a slight turn


def test_anchor_adds_only_the_actual() -> None:
    actual = pd.Series([1.0, 2.0, NAN])
    assert np.allclose(anchored(actual, pd.Series([NAN, NAN, 3.0])), [NAN, 2.0, 3.0],
                       equal_nan=True)
    assert np.isnan(anchored(actual, pd.Series([NAN, NAN, NAN]))).all()


def test_rows_are_ordered_by_period() -> None:
    rows = curve_rows().iloc[::-1]
    figure = turn_the_curve_figure(rows, title="t", unit="percent")
    assert list(traces(figure)["Actual"].x[:3]) == ["2021-22", "2022-23", "2023-24"]


def test_history_only_draws_no_forecast_and_rates_say_their_base() -> None:
    rows = curve_rows().drop(columns=["forecast", "forecast_lower", "forecast_upper",
                                      "target"])
    figure = turn_the_curve_figure(rows, title="Arrests", unit="rate", per=1000)
    assert set(traces(figure)) == {"Actual"}
    assert figure.layout.yaxis.title.text == "Rate per 1,000"
    assert "4.2 per 1,000" in turn_the_curve_figure(
        pd.DataFrame({"ordinal": [1], "period": ["2023"], "actual": [4.2]}),
        title="t", unit="rate", per=1000).data[0].customdata[0]


def test_empty_rows_say_there_is_nothing_yet() -> None:
    figure = turn_the_curve_figure(curve_rows().iloc[:0], title="t", unit="count")
    assert not figure.data
    assert figure.layout.annotations[0].text == "No figures yet for this series"


def test_spanish_names() -> None:
    figure = turn_the_curve_figure(curve_rows(), title="t", unit="percent", lang="es")
    assert {"Real", "Meta"} <= set(traces(figure))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_attaching_the_template_as_json_gives_the_same_figure(lang: str) -> None:
    styled = turn_the_curve_figure(curve_rows(), title="Graduation rate", unit="percent",
                                   lang=lang, subtitle="Altadena")
    plain = turn_the_curve_figure(curve_rows(), title="Graduation rate", unit="percent",
                                  lang=lang, subtitle="Altadena", template=None)
    assert figure_json(plain) == styled.to_plotly_json()
    assert figure_json(plain)["layout"]["template"]["layout"]["plot_bgcolor"] == "white"
    assert plain.to_plotly_json() != styled.to_plotly_json()  # the template is what differs


def plain(value: Any) -> Any:
    """Figure JSON with arrays (numpy, or plotly's base64 form) as lists and NaN as None."""
    if isinstance(value, dict) and {"dtype", "bdata"} <= set(value):
        value = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        return [plain(v) for v in value]
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    return value


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("rows", [curve_rows(), curve_rows().iloc[:0],
                                  curve_rows().drop(columns=["forecast_lower"]),
                                  curve_rows().iloc[::-1]],
                         ids=["full", "empty", "no-band", "unordered"])
def test_plain_spec_is_exactly_what_plotly_validates(rows: pd.DataFrame, lang: str) -> None:
    spec = turn_the_curve_spec(rows, title="A long title that wraps onto a second line here",
                               unit="rate", per=1000, lang=lang, subtitle="Altadena")
    # plotly raises on any property it does not know, and coerces values it would change;
    # it also attaches its default template, which figure_json replaces.
    validated = go.Figure(spec).to_plotly_json()
    assert validated["layout"].pop("template")
    assert plain(validated) == plain(spec)
    assert plain(figure_json(spec)) == plain(turn_the_curve_figure(
        rows, title="A long title that wraps onto a second line here", unit="rate", per=1000,
        lang=lang, subtitle="Altadena").to_plotly_json())
