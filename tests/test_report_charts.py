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
    FORECAST_COLOUR,
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
        "target": [NAN, NAN, NAN, NAN, 86.0],
    })


def traces(figure: go.Figure) -> dict[str, go.Scatter]:
    return {t.name: t for t in figure.data if t.showlegend is not False}


def test_chart_has_history_forecast_band_and_targets() -> None:
    figure = turn_the_curve_figure(curve_rows(), title="Graduation rate", unit="percent",
                                   subtitle="Total")
    shown = traces(figure)
    assert set(shown) == {"Actual", "Forecast (current course)", "95% prediction interval",
                          "Target"}
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
