"""The report card's hand-drawn turn-the-curve chart (rba.report.svg_chart)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from rba.report.svg_chart import HEIGHT, WIDTH, nice_ticks, turn_the_curve_svg

NS = {"svg": "http://www.w3.org/2000/svg"}


def curve_rows() -> pd.DataFrame:
    """Four years of history, then a forecast with its interval, and a target."""
    return pd.DataFrame({
        "period": ["2020", "2021", "2022", "2023", "2024", "2025"],
        "ordinal": [2020, 2021, 2022, 2023, 2024, 2025],
        "actual": [40.0, 42.0, np.nan, 46.0, 47.0, np.nan],
        "forecast": [np.nan, np.nan, np.nan, np.nan, 48.0, 50.0],
        "forecast_lower": [np.nan, np.nan, np.nan, np.nan, 44.0, 43.0],
        "forecast_upper": [np.nan, np.nan, np.nan, np.nan, 52.0, 57.0],
        "target": [np.nan, np.nan, np.nan, np.nan, np.nan, 55.0],
    })


@pytest.mark.parametrize(("low", "high", "expected"), [
    (40.0, 57.0, [40.0, 45.0, 50.0, 55.0, 60.0]),
    (0.0, 1.0, [0.0, 0.25, 0.5, 0.75, 1.0]),
    (1234.0, 2890.0, [1000.0, 1500.0, 2000.0, 2500.0, 3000.0]),
    (5.0, 5.0, [4.5, 4.75, 5.0, 5.25, 5.5]),
])
def test_ticks_are_round_and_cover_the_values(low: float, high: float,
                                              expected: list[float]) -> None:
    ticks = nice_ticks(low, high)
    assert ticks == pytest.approx(expected)
    assert ticks[0] <= low and ticks[-1] >= high


def test_chart_is_valid_svg_with_every_mark() -> None:
    svg = turn_the_curve_svg(curve_rows(), title="Readiness <K>", unit="percent")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    assert root.find("svg:title", NS).text == "Readiness <K>"  # escaped, read back
    assert len(root.findall(".//svg:circle[@class='actual-point']", NS)) == 4
    assert len(root.findall(".//svg:path[@class='target']", NS)) == 1
    assert root.find(".//svg:polygon[@class='band']", NS) is not None
    # The missing 2022 breaks the line: two runs, never a zero.
    actual = root.find(".//svg:path[@class='actual']", NS).get("d")
    assert actual.count("M") == 2
    keys = [t.text for t in root.findall(".//svg:text[@class='key-text']", NS)]
    assert keys == ["Actual", "Forecast (current course)", "95% prediction interval", "Target"]
    ticks = [t.text for t in root.findall(".//svg:text[@class='tick']", NS)]
    assert "40%" in ticks and "60%" in ticks and "2024" in ticks
    assert "From 40.0% (2020) to 47.0% (2024)." in root.find("svg:desc", NS).text


def test_points_sit_at_their_values() -> None:
    """A point's height is its value on the axis: 50% lies halfway between 40% and 60%."""
    rows = curve_rows().assign(forecast=np.nan, forecast_lower=np.nan, forecast_upper=np.nan,
                               target=np.nan, actual=[40.0, 60.0, 50.0, np.nan, np.nan, np.nan])
    root = ET.fromstring(turn_the_curve_svg(rows, title="t", unit="percent"))
    ys = [float(c.get("cy")) for c in root.findall(".//svg:circle", NS)]
    ticks = {t.text: float(t.get("y")) - 4 for t in root.findall(".//svg:text[@class='tick']",
                                                                 NS) if t.text.endswith("%")}
    assert ys[0] == pytest.approx(ticks["40%"], abs=0.1)
    assert ys[1] == pytest.approx(ticks["60%"], abs=0.1)
    assert ys[2] == pytest.approx((ticks["40%"] + ticks["60%"]) / 2, abs=0.1)


def test_spanish_words_and_no_band_without_an_interval() -> None:
    rows = curve_rows().assign(forecast_lower=np.nan, forecast_upper=np.nan)
    svg = turn_the_curve_svg(rows, title="t", unit="percent", lang="es")
    assert "band" not in svg and "Real" in svg and "Pronóstico" in svg


def test_empty_series_says_so() -> None:
    svg = turn_the_curve_svg(curve_rows().iloc[0:0], title="t", unit="count")
    assert "No figures yet for this series" in svg
    ET.fromstring(svg)


def test_chart_fetches_nothing() -> None:
    svg = turn_the_curve_svg(curve_rows(), title="t", unit="percent")
    assert not re.search(r"href|url\(|<image|<script", svg)


def test_a_narrow_chart_wraps_its_legend_inside_its_width() -> None:
    root = ET.fromstring(turn_the_curve_svg(curve_rows(), title="t", unit="percent",
                                            width=420, height=240))
    places = [tuple(float(v) for v in re.findall(r"[\d.]+", k.get("transform")))
              for k in root.findall(".//svg:g[@class='key']", NS)]
    assert len({y for _x, y in places}) == 2  # two rows
    assert all(x < 420 - 60 for x, _y in places)


def test_period_labels_stay_inside_the_chart() -> None:
    quarters = [f"{y}-Q{q}" for y in range(2016, 2025) for q in range(1, 5)]
    rows = pd.DataFrame({"period": quarters, "ordinal": range(len(quarters)),
                         "actual": np.linspace(10, 20, len(quarters))})
    root = ET.fromstring(turn_the_curve_svg(rows, title="t", unit="count", width=470,
                                            frequency="quarter"))
    labels = [t for t in root.findall(".//svg:text[@class='tick']", NS) if "-Q" in t.text]
    assert labels[0].text == "2024-Q4"  # the last period is always labelled
    for label in labels:
        half = 12 * 0.62 * len(label.text) / 2
        assert float(label.get("x")) + half <= 470
