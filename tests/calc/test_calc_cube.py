"""The roll-up cube: every subset of an indicator's dimensions is a series, rolled up from the
finest figures; given figures at any level are authoritative; mixed entry works.

Hand-worked tables first, then plotly's bundled gapminder and tips tables against an
independent pandas group-by.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.express as px
import pytest
from calc_factories import indicator, indicators

from rba.calc import compute_curves, count_discrepancies, roll_up_refusals, rolled_up_levels
from rba.dimensions import dimension_key


def cells(code: str, table: list[tuple]) -> pd.DataFrame:
    """Observation rows from (year, {dimension: value}, value, numerator, denominator)."""
    keys = [dimension_key(d) for _, d, *_ in table]
    return pd.DataFrame({
        "series": [f"{code}:{k}" for k in keys], "indicator": code, "dimensions": keys,
        "period": [str(y) for y, *_ in table], "ordinal": [y for y, *_ in table],
        "value": [np.nan if v is None else v for _, _, v, *_ in table],
        "numerator": [n for *_, n, _ in table], "denominator": [d for *_, d in table],
    }).sort_values(["series", "ordinal"], ignore_index=True)


def percent(year: int, city: str, group: str, hits: float, size: float) -> tuple:
    return (year, {"city": city, "group": group}, 100 * hits / size, hits, size)


PCT = indicators(indicator("PCT", unit="percent"))
# Finest figures only: city x group, two years. In 2021 Pasadena-y is missing.
FINEST = cells("PCT", [
    percent(2020, "Altadena", "x", 1, 10), percent(2020, "Altadena", "y", 5, 10),
    percent(2020, "Pasadena", "x", 3, 10), percent(2020, "Pasadena", "y", 2, 20),
    percent(2021, "Altadena", "x", 2, 10), percent(2021, "Altadena", "y", 6, 10),
    percent(2021, "Pasadena", "x", 4, 10),
    (2021, {"city": "Pasadena", "group": "y"}, None, np.nan, np.nan),
])


def level(frame: pd.DataFrame, **values: str) -> pd.DataFrame:
    return frame[(frame["dimensions"] == dimension_key(values)).to_numpy()].set_index("ordinal")


def test_every_subset_of_the_dimensions_is_rolled_up_from_the_finest_figures():
    got = rolled_up_levels(FINEST, PCT)
    # Worked by hand, 2020: Altadena 6/20, Pasadena 5/30, x 4/20, y 7/30, total 11/50.
    expected = {(("city", "Altadena"),): (6, 20), (("city", "Pasadena"),): (5, 30),
                (("group", "x"),): (4, 20), (("group", "y"),): (7, 30), (): (11, 50)}
    for key, (hits, size) in expected.items():
        row = level(got, **dict(key)).loc[2020]
        assert row["value"] == pytest.approx(100 * hits / size)
        assert (row["numerator"], row["denominator"]) == (hits, size)
        assert row["series"] == f"PCT:{dimension_key(dict(key))}"
    assert level(got).loc[2020, "value"] != pytest.approx(np.mean([30, 100 * 5 / 30]))


def test_a_missing_part_makes_every_level_above_it_missing_not_smaller():
    got = rolled_up_levels(FINEST, PCT)
    assert level(got, city="Altadena").loc[2021, "value"] == pytest.approx(100 * 8 / 20)
    assert level(got, group="x").loc[2021, "value"] == pytest.approx(100 * 6 / 20)
    assert 2021 not in level(got, city="Pasadena").index  # Pasadena-y missing
    assert 2021 not in level(got, group="y").index
    assert 2021 not in level(got).index  # neither cities nor groups all present


def test_curves_have_every_level_flagged_rolled_up_and_a_where_finds_the_subtotal():
    rows, summary = compute_curves(FINEST, PCT)
    assert len(summary) == 4 + 2 + 2 + 1  # finest, cities, groups, total
    by_key = summary.set_index("dimensions")
    altadena = by_key.loc[dimension_key({"city": "Altadena"}), "series"]
    got = rows[rows["series"] == altadena].set_index("ordinal")
    assert got.loc[[2020, 2021], "actual"].tolist() == pytest.approx([30.0, 40.0])
    assert got.loc[[2020, 2021], "rolled_up"].all()
    assert got.loc[[2020, 2021], "period"].tolist() == ["2020", "2021"]
    assert "rolled_up" in by_key.loc[dimension_key({"city": "Altadena"}), "notes"]
    finest = rows[rows["series"] == by_key.loc[
        dimension_key({"city": "Altadena", "group": "x"}), "series"]]
    assert not finest["rolled_up"].any()


def test_mixed_entry_given_figures_are_authoritative_at_every_level():
    given = cells("PCT", [
        (2020, {}, 99.0, np.nan, np.nan),  # a total given for 2020 only
        (2021, {"city": "Pasadena"}, 50.0, 10.0, 20.0),  # Pasadena given for 2021 only
    ])
    frame = pd.concat([FINEST, given], ignore_index=True)
    got = rolled_up_levels(frame, PCT)
    assert 2020 not in level(got).index  # the given 2020 total is never replaced
    assert 2021 not in level(got, city="Pasadena").index  # nor the given Pasadena
    # 2021's total rolls up from Altadena (rolled up, 8/20) and Pasadena (given, 10/20).
    row = level(got).loc[2021]
    assert row["value"] == pytest.approx(100 * 18 / 40) and row["rolled_up_over"] == "city"
    rows, summary = compute_curves(frame, PCT)
    total = rows[rows["series"] == "PCT:{}"].set_index("ordinal")
    assert total.loc[2020, "actual"] == 99.0 and not total.loc[2020, "rolled_up"]
    assert total.loc[2021, "actual"] == pytest.approx(45.0) and total.loc[2021, "rolled_up"]


def test_a_given_row_without_a_value_gives_way_to_its_rolled_up_figure():
    frame = pd.concat([FINEST, cells("PCT", [(2020, {"city": "Altadena"}, None, np.nan,
                                                np.nan)])], ignore_index=True)
    got = rolled_up_levels(frame, PCT)
    assert level(got, city="Altadena").loc[2020, "value"] == pytest.approx(30.0)


COUNTS = indicators(indicator("N", unit="count"))


def count(year: int, value: float | None, **dims: str) -> tuple:
    return (year, dims, value, np.nan, np.nan)


def test_counts_over_three_crossed_dimensions():
    rng = np.random.default_rng(4)
    table = [count(2024, float(rng.integers(0, 50)), a=a, b=b, c=c)
             for a in "pq" for b in "rst" for c in "uv"]
    frame = cells("N", table)
    got = rolled_up_levels(frame, COUNTS)
    finest = pd.DataFrame([{**d, "value": v} for _, d, v, *_ in table])
    assert len(got) == 1 + (2 + 3 + 2) + (6 + 4 + 6)  # every subset but the finest
    assert level(got).loc[2024, "value"] == finest["value"].sum()
    for (a, c), expected in finest.groupby(["a", "c"])["value"].sum().items():
        assert level(got, a=a, c=c).loc[2024, "value"] == expected


def test_count_parts_that_disagree_with_a_given_subtotal_are_reported():
    frame = cells("N", [count(2024, 3.0, city="A", group="x"), count(2024, 4.0, city="A",
                                                                     group="y"),
                        count(2024, 8.0, city="A"), count(2023, 7.0, city="A"),
                        count(2023, 3.0, city="A", group="x"),
                        count(2023, 4.0, city="A", group="y")])
    found = count_discrepancies(frame, COUNTS)
    assert found[["dimensions", "period", "dimension", "total", "sum_of_parts",
                  "difference"]].values.tolist() == [
        ['{"city":"A"}', "2024", "group", 8.0, 7.0, -1.0]]
    _, summary = compute_curves(frame, COUNTS)
    row = summary.set_index("dimensions").loc['{"city":"A"}']
    assert "parts_disagree" in row["notes"] and row["latest_value"] == 8.0  # given kept
    # The total above it rolls up from the given (authoritative) Altadena figure.
    got = rolled_up_levels(frame, COUNTS)
    assert level(got).loc[2024, "value"] == 8.0


def test_percent_parts_without_numerators_and_denominators_are_refused_per_dimension():
    frame = cells("PCT", [(2024, {"city": "A", "group": "x"}, 50.0, np.nan, np.nan),
                          (2024, {"city": "A", "group": "y"}, 40.0, np.nan, np.nan)])
    assert rolled_up_levels(frame, PCT).empty
    refused = roll_up_refusals(frame, PCT)
    assert sorted(refused["dimension"]) == ["city", "group"]
    assert refused["reason"].str.contains("numerators and denominators").all()


def test_two_series_with_one_key_are_no_cube_and_nothing_is_rolled_up():
    frame = cells("N", [count(2024, 1.0, city="A"), count(2024, 2.0, city="B")])
    frame = pd.concat([frame, frame.assign(series=frame["series"] + "#2")], ignore_index=True)
    assert rolled_up_levels(frame, COUNTS).empty


# Real data shipped with plotly, against an independent pandas group-by.

@pytest.fixture(scope="module")
def gdp() -> pd.DataFrame:
    """GDP per person by continent and country (nested), entered as total GDP over people."""
    g = px.data.gapminder()
    keys = [json.dumps({"continent": c, "country": k}, separators=(",", ":"), sort_keys=True,
                       ensure_ascii=False) for c, k in zip(g["continent"], g["country"],
                                                           strict=True)]
    return pd.DataFrame({
        "series": "GDP:" + pd.Series(keys), "indicator": "GDP", "dimensions": keys,
        "period": g["year"].astype(str), "ordinal": g["year"].astype("int64"),
        "value": g["gdpPercap"], "numerator": g["gdpPercap"] * g["pop"],
        "denominator": g["pop"].astype(float), "continent": g["continent"],
        "country": g["country"],
    })


GDP = indicators(indicator("GDP", unit="currency"))


def test_gdp_per_person_by_continent_and_world_match_pandas(gdp):
    got = rolled_up_levels(gdp, GDP)
    sums = gdp.groupby(["continent", "ordinal"])[["numerator", "denominator"]].sum()
    expected = (sums["numerator"] / sums["denominator"]).rename("value")
    continents = got[got["dimensions"].str.startswith('{"continent"')]
    continents = continents.assign(continent=continents["dimensions"].map(
        lambda k: json.loads(k)["continent"])).set_index(["continent", "ordinal"])
    pd.testing.assert_series_equal(continents["value"].sort_index(), expected.sort_index(),
                                   check_names=False, rtol=1e-12)
    world = gdp.groupby("ordinal")[["numerator", "denominator"]].sum()
    np.testing.assert_allclose(level(got)["value"].sort_index(),
                               world["numerator"] / world["denominator"], rtol=1e-12)
    # A country alone is a level too ({"country": ...}), the same as its finest series.
    norway = level(got, country="Norway")["value"].sort_index()
    np.testing.assert_allclose(norway, gdp[gdp["country"] == "Norway"]["value"], rtol=1e-12)
    # Never the mean of the countries' figures.
    assert not np.allclose(expected.loc["Europe"], gdp[gdp["continent"] == "Europe"].groupby(
        "ordinal")["value"].mean())


def test_gdp_mixed_entry_missing_parts_and_given_continents(gdp):
    frame = gdp.copy()
    drop = (frame["country"] == "Chad") & (frame["ordinal"] == 2007)
    frame.loc[drop, ["value", "numerator", "denominator"]] = np.nan  # Chad not yet reported
    given = frame[(frame["continent"] == "Europe") & (frame["ordinal"] == 2007)]
    europe = pd.DataFrame({"series": "GDP:" + dimension_key({"continent": "Europe"}),
                           "indicator": "GDP", "dimensions": dimension_key({"continent":
                                                                            "Europe"}),
                           "period": ["2007"], "ordinal": [2007], "value": [12345.0],
                           "numerator": [12345.0 * given["denominator"].sum()],
                           "denominator": [given["denominator"].sum()]})
    got = rolled_up_levels(pd.concat([frame, europe], ignore_index=True), GDP)
    africa = level(got, continent="Africa")
    assert 2007 not in africa.index and 2002 in africa.index  # a part missing: no Africa
    assert 2007 not in level(got).index  # ... so no world either
    europe_rows = level(got, continent="Europe")
    assert 2007 not in europe_rows.index  # given: authoritative
    kept = gdp[gdp["ordinal"] == 2002]
    assert level(got).loc[2002, "value"] == pytest.approx(
        kept["numerator"].sum() / kept["denominator"].sum(), rel=1e-12)


@pytest.fixture(scope="module")
def diners() -> pd.DataFrame:
    """People served per day by sex and smoker (crossed), from plotly's tips table."""
    t = px.data.tips()
    days = {"Thur": 1, "Fri": 2, "Sat": 3, "Sun": 4}
    finest = t.groupby(["day", "sex", "smoker"], observed=True)["size"].sum().reset_index()
    keys = [dimension_key({"sex": s, "smoker": m}) for s, m in zip(finest["sex"],
                                                                     finest["smoker"],
                                                                     strict=True)]
    return pd.DataFrame({
        "series": ["N:" + k for k in keys], "indicator": "N", "dimensions": keys,
        "period": finest["day"].astype(str), "ordinal": finest["day"].map(days).astype("int64"),
        "value": finest["size"].astype(float), "numerator": np.nan, "denominator": np.nan,
    }).sort_values(["series", "ordinal"], ignore_index=True)


def test_people_served_by_two_crossed_dimensions_match_pandas(diners):
    t = px.data.tips()
    got = rolled_up_levels(diners, COUNTS)
    for dim in ("sex", "smoker"):
        expected = t.groupby([dim, "day"], observed=True)["size"].sum()
        for (value, day), people in expected.items():
            assert level(got, **{dim: value}).set_index("period").loc[day, "value"] == people
    totals = level(got).set_index("period")["value"]
    pd.testing.assert_series_equal(totals.sort_index(), t.groupby("day")["size"].sum().astype(
        float).sort_index(), check_names=False)


def test_equity_gaps_at_every_level_compare_groups_within_their_parent():
    from rba.calc import equity_gaps

    frame = pd.concat([FINEST, rolled_up_levels(FINEST, PCT).drop(columns="rolled_up_over")],
                      ignore_index=True)
    gaps = equity_gaps(frame, PCT)
    x = gaps[(gaps["dimensions"] == dimension_key({"city": "Altadena", "group": "x"}))
             & (gaps["ordinal"] == 2020)].set_index("along")
    # Student groups within Altadena (30%): x 10%, y 50%.
    assert x.loc["group", "within"] == dimension_key({"city": "Altadena"})
    assert (x.loc["group", "total"], x.loc["group", "gap_to_total"]) == pytest.approx((30, -20))
    assert x.loc["group", "gap_to_best"] == pytest.approx(10 - 50)
    # Cities for group x (20%): Altadena 10%, Pasadena 30%.
    assert x.loc["city", "within"] == dimension_key({"group": "x"})
    assert (x.loc["city", "total"], x.loc["city", "gap_to_best"]) == pytest.approx((20, -20))
    # One dimension: compared with the total and the other cities, as before.
    city = gaps[gaps["dimensions"] == dimension_key({"city": "Pasadena"})].set_index("ordinal")
    assert city.loc[2020, "within"] == "{}" and city.loc[2020, "total"] == pytest.approx(22)
    assert len(gaps) == 2 * 7 + 4 + 2  # finest: 2 comparisons x 7 cells; groups and cities
