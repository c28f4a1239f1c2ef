"""Real data nobody here wrote: statsmodels' US macro data and plotly's gapminder table."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.express as px
import pytest
import statsmodels.api as sm
from calc_factories import indicator, indicators

from rba.calc import compute_curves, current_trend, equity_gaps, rolled_up, rolled_up_totals


@pytest.fixture(scope="module")
def macro() -> pd.DataFrame:
    """Quarterly unemployment, inflation and real GDP 1959Q1-2009Q3 as three series."""
    data = sm.datasets.macrodata.load_pandas().data
    ordinal = (data["year"] * 4 + data["quarter"] - 1).astype("int64")
    period = data["year"].astype(int).astype(str) + "-Q" + data["quarter"].astype(int).astype(str)
    parts = [pd.DataFrame({"series": code, "indicator": code, "dimensions": "{}",
                           "period": period, "ordinal": ordinal, "value": data[column],
                           "numerator": np.nan, "denominator": np.nan})
             for code, column in (("UNEMP", "unemp"), ("INFL", "infl"), ("GDP", "realgdp"))]
    return pd.concat(parts, ignore_index=True)


MACRO_INDICATORS = indicators(
    indicator("UNEMP", unit="percent", polarity="down", frequency="quarter"),
    indicator("INFL", unit="number", polarity="down", frequency="quarter"),
    indicator("GDP", unit="currency", polarity="up", frequency="quarter"))
THROUGH = 1999 * 4 + 3  # 1999-Q4


def test_macro_forecasts_match_statsmodels(macro):
    rows, summary = compute_curves(macro, MACRO_INDICATORS, history_through=THROUGH, level=0.9)
    for code, history in macro[macro["ordinal"] <= THROUGH].groupby("series"):
        got = rows[(rows["series"] == code) & rows["forecast"].notna()]
        assert got["ordinal"].min() == THROUGH + 1 and got["ordinal"].max() == 2009 * 4 + 2
        x0 = history["ordinal"].min()
        fit = sm.OLS(history["value"].to_numpy(), sm.add_constant(history["ordinal"] - x0)).fit()
        ref = fit.get_prediction(sm.add_constant(got["ordinal"].to_numpy() - x0)).summary_frame(
            alpha=0.1)
        lower = ref["obs_ci_lower"].clip(lower=0) if code == "UNEMP" else ref["obs_ci_lower"]
        np.testing.assert_allclose(got["forecast"], ref["mean"], rtol=1e-9)
        np.testing.assert_allclose(got["forecast_lower"], lower, rtol=1e-9)
        np.testing.assert_allclose(got["forecast_upper"], ref["obs_ci_upper"], rtol=1e-9)
    assert (summary["history_points"] == 164).all()


def test_macro_2009_unemployment_is_worse_than_its_pre_recession_baseline(macro):
    rows, summary = compute_curves(macro, MACRO_INDICATORS, history_through=2007 * 4 + 3)
    unemp = rows[rows["series"] == "UNEMP"].set_index("period")
    assert unemp.loc["2009-Q3", "actual"] == 9.6
    assert unemp.loc[["2008-Q4", "2009-Q1"], "status"].tolist() == ["within_forecast"] * 2
    assert unemp.loc[["2009-Q2", "2009-Q3"], "status"].tolist() == ["worse_than_forecast"] * 2
    row = summary.set_index("series").loc["UNEMP"]
    assert row["baseline_pct_change"] == pytest.approx((9.6 - 5.8) / 5.8 * 100)
    assert row["latest_status"] == "worse_than_forecast"


def reference_trend(values: np.ndarray, sign: int) -> tuple[str, int]:
    """Plain-Python current trend: sign of the last step and its run length."""
    steps = [sign * (b - a) for a, b in zip(values[:-1], values[1:], strict=True)]
    if not steps:
        return "none", 0
    last = np.sign(steps[-1])
    run = 0
    for step in reversed(steps):
        if np.sign(step) != last:
            break
        run += 1
    return {1: "improving", -1: "worsening", 0: "flat"}[last], run


def test_macro_trends_match_a_plain_python_reference(macro):
    _, summary = compute_curves(macro, MACRO_INDICATORS)
    signs = {"UNEMP": -1, "INFL": -1, "GDP": 1}
    for code, history in macro.groupby("series"):
        expected = reference_trend(history.sort_values("ordinal")["value"].to_numpy(),
                                   signs[code])
        row = summary.set_index("series").loc[code]
        assert (row["trend_direction"], row["trend_periods"]) == expected


@pytest.fixture(scope="module")
def gapminder() -> pd.DataFrame:
    """Life expectancy by country, five-yearly, with population as the weight."""
    g = px.data.gapminder()
    keys = [json.dumps({"continent": c, "country": k}, separators=(",", ":"), sort_keys=True)
            for c, k in zip(g["continent"], g["country"], strict=True)]
    return pd.DataFrame({
        "series": pd.factorize(g["country"])[0], "indicator": "LIFE", "dimensions": keys,
        "period": g["year"].astype(str), "ordinal": g["year"].astype("int64"),
        "value": g["lifeExp"], "numerator": g["lifeExp"] * g["pop"],
        "denominator": g["pop"].astype(float), "country": g["country"],
        "continent": g["continent"], "pop": g["pop"],
    })


LIFE = indicators(indicator("LIFE", unit="number", polarity="up"))


def weighted(frame: pd.DataFrame, by: list[str]) -> pd.Series:
    return frame.groupby(by).apply(
        lambda g: np.average(g["value"], weights=g["pop"]), include_groups=False)


def test_continent_life_expectancy_weighted_by_population(gapminder):
    got = rolled_up(gapminder, LIFE, "country")
    got["continent"] = got["dimensions"].map(lambda k: json.loads(k)["continent"])
    expected = weighted(gapminder, ["continent", "ordinal"])
    got = got.set_index(["continent", "ordinal"])["value"].sort_index()
    np.testing.assert_allclose(got.to_numpy(), expected.sort_index().to_numpy(), rtol=1e-12)
    assert len(got) == 5 * 12


def test_world_total_rolled_up_from_countries(gapminder):
    by_country = gapminder.assign(dimensions=[json.dumps({"country": k}) .replace(" ", "")
                                              for k in gapminder["country"]])
    totals = rolled_up_totals(by_country, LIFE).set_index("ordinal")["value"]
    expected = weighted(gapminder, ["ordinal"])
    np.testing.assert_allclose(totals.to_numpy(), expected.to_numpy(), rtol=1e-12)


def test_population_counts_sum_by_continent(gapminder):
    pop = gapminder.assign(indicator="POP", value=gapminder["pop"].astype(float),
                           numerator=np.nan, denominator=np.nan)
    got = rolled_up(pop, indicators(indicator("POP", unit="count")), "country")
    expected = gapminder.groupby(["continent", "ordinal"])["pop"].sum()
    np.testing.assert_allclose(got["value"].to_numpy(), expected.to_numpy(dtype=float))


def test_gapminder_curves_with_five_year_gaps(gapminder):
    rows, summary = compute_curves(gapminder, LIFE, history_through=1987)
    for sid, history in gapminder[gapminder["ordinal"] <= 1987].groupby("series"):
        got = rows[(rows["series"] == sid) & rows["ordinal"].isin([1992, 1997, 2002, 2007])]
        fit = sm.OLS(history["value"].to_numpy(), sm.add_constant(history["ordinal"] - 1952)).fit()
        ref = fit.get_prediction(sm.add_constant(got["ordinal"].to_numpy() - 1952)
                                 ).summary_frame(alpha=0.05)
        np.testing.assert_allclose(got["forecast"], ref["mean"], rtol=1e-9)
        np.testing.assert_allclose(got["forecast_upper"], ref["obs_ci_upper"], rtol=1e-9)
    by_country = rows.merge(gapminder[["series", "country"]].drop_duplicates(), on="series")
    status = by_country.set_index(["country", "ordinal"])["status"]
    assert status.loc[("Rwanda", 1992)] == "worse_than_forecast"  # genocide
    assert status.loc[("Botswana", 2002)] == "worse_than_forecast"  # HIV/AIDS
    gaps_in_rows = rows[(rows["series"] == 0) & rows["ordinal"].between(1953, 1956)]
    assert gaps_in_rows["actual"].isna().all()  # years between surveys stay missing
    ref = current_trend(gapminder.assign(polarity="up"))
    given = summary[summary["series"] >= 0]  # rolled-up levels (continents...) have new ids
    assert len(summary) - len(given) == 142 + 5 + 1  # by country alone, continent, world
    pd.testing.assert_series_equal(given.set_index("series")["trend_periods"],
                                   ref["trend_periods"], check_names=False)


def test_gapminder_gap_to_best_country(gapminder):
    gaps = equity_gaps(gapminder.drop(columns=["country", "continent", "pop"]), LIFE)
    assert gaps["group_set"].eq("continent,country").all() and gaps["total"].isna().all()
    # Countries are compared with the other countries of their continent ...
    within = gaps[gaps["along"] == "country"]
    best = gapminder.groupby(["continent", "ordinal"])["value"].transform("max")
    expected = pd.Series((gapminder["value"] - best).to_numpy(),
                         index=pd.MultiIndex.from_frame(gapminder[["series", "ordinal"]]))
    got = within.set_index(["series", "ordinal"])["gap_to_best"]
    np.testing.assert_allclose(got.reindex(expected.index).to_numpy(), expected.to_numpy())
    japan = within[within["best_dimensions"].str.contains("Japan")]["ordinal"].unique()
    assert 2007 in japan  # Japan has the longest lives in Asia in 2007
    # ... and each country with its continent alone along continent (nested: no sibling).
    assert (gaps[gaps["along"] == "continent"]["gap_to_best"] == 0).all()
