"""How far each group is behind the total and the best group after polarity: one sign for
every indicator (positive: behind), against hand-computed tables and a pandas reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from calc_factories import indicator, indicators, observations, series

from rba.calc import equity_gaps

CITY = '{{"city":"{}"}}'
GROUP = '{{"student_group":"{}"}}'


def table(code: str) -> pd.DataFrame:
    """A total, three cities and two student groups over three years."""
    return observations(
        series([50, 52, 55], series_id=1, code=code, start=2020),
        series([40, 45, 50], series_id=2, code=code, dimensions=CITY.format("A"), start=2020),
        series([60, 58, 61], series_id=3, code=code, dimensions=CITY.format("B"), start=2020),
        series([55, 60, 57], series_id=4, code=code, dimensions=CITY.format("C"), start=2020),
        series([30, 70, 10], series_id=5, code=code, dimensions=GROUP.format("x"), start=2020),
        series([35, 65, 20], series_id=6, code=code, dimensions=GROUP.format("y"), start=2020),
    )


def by_series(gaps: pd.DataFrame, column: str) -> list[list[float]]:
    return gaps.set_index(["series", "ordinal"])[column].unstack().values.tolist()


def test_behind_is_positive_for_the_worse_group_where_up_is_good() -> None:
    gaps = equity_gaps(table("UP"), indicators(indicator("UP", unit="percent")))
    # Best city each year: B (60), C (60), B (61); best student group: y, x, y.
    assert by_series(gaps, "behind_best") == [[20, 15, 11], [0, 2, 0], [5, 0, 4],
                                              [5, 0, 10], [0, 5, 0]]
    assert by_series(gaps, "behind_total") == [[10, 7, 5], [-10, -6, -6], [-5, -8, -2],
                                               [20, -18, 45], [15, -13, 35]]


def test_behind_is_positive_for_the_worse_group_where_down_is_good() -> None:
    gaps = equity_gaps(table("DOWN"), indicators(indicator("DOWN", polarity="down")))
    # Lower is better: best city A every year; best student group x, y, x.
    assert by_series(gaps, "behind_best") == [[0, 0, 0], [20, 13, 11], [15, 15, 7],
                                              [0, 5, 0], [5, 0, 10]]
    assert by_series(gaps, "behind_total") == [[-10, -7, -5], [10, 6, 6], [5, 8, 2],
                                               [-20, 18, -45], [-15, 13, -35]]
    # The signed gaps keep the unit's direction: the best group is lowest, so others are +.
    assert (gaps["gap_to_best"] >= 0).all()


@pytest.mark.parametrize("polarity", ["up", "down"])
def test_behind_matches_a_pandas_reference(polarity: str) -> None:
    rng = np.random.default_rng(7)
    frames = [series(rng.normal(50, 10, 6), series_id=1, code="R", start=2010)]
    for i in range(12):
        dims = (CITY if i % 2 else GROUP).format(f"g{i}")
        values = [None if rng.random() < 0.2 else v for v in rng.normal(50, 10, 6)]
        frames.append(series(values, series_id=i + 2, code="R", dimensions=dims, start=2010))
    obs = observations(*frames)
    gaps = equity_gaps(obs, indicators(indicator("R", polarity=polarity)))
    s = 1.0 if polarity == "up" else -1.0
    groups = obs[(obs["dimensions"] != "{}") & obs["value"].notna()].copy()
    groups["kind"] = groups["dimensions"].str.extract(r'"(\w+)"', expand=False)
    best = groups.groupby(["kind", "ordinal"])["value"].transform("max" if s > 0 else "min")
    total = groups["ordinal"].map(obs[obs["dimensions"] == "{}"].set_index("ordinal")["value"])
    expected = pd.DataFrame({"series": groups["series"], "ordinal": groups["ordinal"],
                             "behind_best": s * (best - groups["value"]),
                             "behind_total": s * (total - groups["value"])})
    got = gaps.merge(expected, on=["series", "ordinal"], suffixes=("", "_ref"))
    assert len(got) == len(expected) == len(gaps)
    np.testing.assert_allclose(got["behind_best"], got["behind_best_ref"], atol=1e-12)
    np.testing.assert_allclose(got["behind_total"], got["behind_total_ref"], atol=1e-12)
    assert (gaps["behind_best"] >= 0).all()
    # The same distance as the signed gap, whichever the polarity.
    np.testing.assert_allclose(gaps["behind_best"], gaps["gap_to_best"].abs(), atol=1e-12)
