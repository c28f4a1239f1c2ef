"""Roll-ups: totals from numerators and denominators, counts summed, refusals, discrepancies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from calc_factories import indicator, indicators, observations, series

from rba.calc import (
    RollUpRefused,
    compute_curves,
    count_discrepancies,
    roll_up_refusals,
    rolled_up,
    rolled_up_totals,
)

CITY = '{{"city":"{}"}}'


def city_parts(code="PCT", values=((50.0, 80.0), (20.0, 25.0)), num=((10, 40), (3, 5)),
               den=((20, 50), (15, 20)), first_id=10, start=2020):
    """Two cities x two periods; value/num/den given per city as (period 1, period 2)."""
    return observations(*(
        series(v, series_id=first_id + i, code=code, dimensions=CITY.format(city), start=start,
               numerators=None if num is None else num[i],
               denominators=None if den is None else den[i])
        for i, (city, v) in enumerate(zip(["Altadena", "Pasadena"], values, strict=True))))


def test_percent_total_is_sum_of_numerators_over_sum_of_denominators():
    got = rolled_up(city_parts(), indicators(indicator("PCT", unit="percent")), "city")
    assert got["dimensions"].tolist() == ["{}", "{}"]
    np.testing.assert_allclose(got["value"], [100 * 13 / 35, 100 * 45 / 70])
    np.testing.assert_allclose(got["numerator"], [13, 45])
    np.testing.assert_allclose(got["denominator"], [35, 70])
    assert not np.allclose(got["value"], [35.0, 52.5])  # never the mean of the percents


def test_rate_uses_per():
    obs = city_parts(code="RATE", values=((5.0, 8.0), (2.0, 4.0)))
    got = rolled_up(obs, indicators(indicator("RATE", unit="rate", per=1000.0)), "city")
    np.testing.assert_allclose(got["value"], [1000 * 13 / 35, 1000 * 45 / 70])


def test_counts_are_summed():
    obs = city_parts(code="N", values=((3.0, 4.0), (10.0, 20.0)), num=None, den=None)
    got = rolled_up(obs, indicators(indicator("N", unit="count")), "city")
    np.testing.assert_allclose(got["value"], [13, 24])


def test_numerator_is_derived_from_value_and_denominator():
    obs = city_parts(values=((50.0, 80.0), (20.0, 25.0)))
    obs["numerator"] = np.nan
    got = rolled_up(obs, indicators(indicator("PCT", unit="percent")), "city")
    np.testing.assert_allclose(got["value"], [100 * 13 / 35, 100 * 45 / 70])


def test_a_missing_part_makes_the_period_missing_not_smaller():
    obs = city_parts(code="N", values=((3.0, None), (10.0, 20.0)), num=None, den=None)
    got = rolled_up(obs, indicators(indicator("N", unit="count")), "city")
    assert got["value"].iloc[0] == 13 and np.isnan(got["value"].iloc[1])
    assert got["complete"].tolist() == [True, False]


def test_percent_without_numerators_and_denominators_is_refused_clearly():
    obs = city_parts(num=None, den=None)
    with pytest.raises(RollUpRefused, match=r"'PCT' \(percent\) across city.*numerators"):
        rolled_up(obs, indicators(indicator("PCT", unit="percent")), "city")
    refusals = roll_up_refusals(obs, indicators(indicator("PCT", unit="percent")))
    assert refusals[["indicator", "dimension"]].values.tolist() == [["PCT", "city"]]


def test_roll_up_across_one_of_two_dimensions():
    rows = []
    for i, (city, group, num, den) in enumerate([("A", "x", 1, 10), ("B", "x", 3, 10),
                                                 ("A", "y", 5, 10), ("B", "y", 2, 20)]):
        dims = f'{{"city":"{city}","group":"{group}"}}'
        rows.append(series([100 * num / den], series_id=i, code="PCT", dimensions=dims,
                           numerators=[num], denominators=[den]))
    got = rolled_up(observations(*rows), indicators(indicator("PCT", unit="percent")), "city")
    assert got["dimensions"].tolist() == ['{"group":"x"}', '{"group":"y"}']
    np.testing.assert_allclose(got["value"], [100 * 4 / 20, 100 * 7 / 30])


def test_totals_fill_only_periods_without_a_given_total():
    total = series([99.0, None], series_id=1, code="PCT", start=2020)
    obs = observations(total, city_parts())
    got = rolled_up_totals(obs, indicators(indicator("PCT", unit="percent")))
    assert got["ordinal"].tolist() == [2021]  # 2020's given total is authoritative
    assert got["series"].tolist() == [1] and got["rolled_up_over"].tolist() == ["city"]
    np.testing.assert_allclose(got["value"], [100 * 45 / 70])


def test_an_indicator_without_a_total_series_gets_a_new_id():
    got = rolled_up_totals(city_parts(), indicators(indicator("PCT", unit="percent")))
    assert (got["series"] == -1).all() and (got["dimensions"] == "{}").all()


def test_counts_whose_parts_disagree_with_the_given_total_are_reported():
    parts = city_parts(code="N", values=((3.0, 4.0), (10.0, 20.0)), num=None, den=None)
    total = series([13.0, 25.0], series_id=1, code="N", start=2020)
    got = count_discrepancies(observations(total, parts), indicators(indicator("N", "count")))
    assert got[["ordinal", "total", "sum_of_parts", "difference"]].values.tolist() == [
        [2021, 25.0, 24.0, -1.0]]
    _, summary = compute_curves(observations(total, parts), indicators(indicator("N", "count")))
    total_notes = summary.set_index("series").loc[1, "notes"]
    assert "parts_disagree" in total_notes
    assert summary.set_index("series").loc[1, "latest_value"] == 25.0  # given total kept


def test_curves_include_rolled_up_totals_flagged():
    rows, summary = compute_curves(city_parts(), indicators(indicator("PCT", unit="percent")))
    total = rows[rows["series"] == -1]
    np.testing.assert_allclose(total["actual"].dropna(), [100 * 13 / 35, 100 * 45 / 70])
    assert total["rolled_up"].sum() == 2
    assert total["period"].iloc[:2].tolist() == ["2020", "2021"]
    row = summary.set_index("series").loc[-1]
    assert row["dimensions"] == "{}" and "rolled_up" in row["notes"]
    rows2, _ = compute_curves(city_parts(), indicators(indicator("PCT", unit="percent")),
                              roll_up_totals=False)
    assert -1 not in set(rows2["series"])


def test_string_series_ids_get_a_readable_new_total_id():
    obs = city_parts()
    obs["series"] = obs["series"].map({10: "a", 11: "b"})
    got = rolled_up_totals(obs, indicators(indicator("PCT", unit="percent")))
    assert set(got["series"]) == {"PCT:{}"}


def test_totals_use_the_first_complete_dimension_alphabetically():
    cities = city_parts(code="N", values=((3.0, None), (10.0, 20.0)), num=None, den=None)
    groups = observations(*(series(v, series_id=20 + i, code="N", start=2020,
                                   dimensions=f'{{"group":"{g}"}}')
                            for i, (g, v) in enumerate([("x", [6.0, 9.0]), ("y", [7.0, 9.0])])))
    got = rolled_up_totals(observations(cities, groups), indicators(indicator("N", "count")))
    assert got[["ordinal", "value", "rolled_up_over"]].values.tolist() == [
        [2020, 13.0, "city"], [2021, 18.0, "group"]]
    assert pd.api.types.is_integer_dtype(got["series"])
