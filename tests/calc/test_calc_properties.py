"""Properties that must hold for any data (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from calc_factories import indicator, indicators, observations, series
from hypothesis import given, settings
from hypothesis import strategies as st

from rba.calc import compute_curves, rolled_up

SETTINGS = settings(max_examples=60, deadline=None)
value = st.one_of(st.none(), st.floats(-1e3, 1e3, allow_nan=False).map(lambda v: round(v, 3)))


@st.composite
def frames(draw, polarity=None):
    n_series = draw(st.integers(1, 4))
    parts = []
    for s in range(n_series):
        values = draw(st.lists(value, min_size=1, max_size=12))
        ordinals = draw(st.lists(st.integers(0, 30), min_size=len(values), max_size=len(values),
                                 unique=True))
        parts.append(series(values, series_id=s, ordinals=np.array(ordinals) + 2000,
                            code=f"I{s % 2}"))
    pol = [draw(st.sampled_from(["up", "down"])) if polarity is None else polarity
           for _ in range(2)]
    ind = indicators(indicator("I0", polarity=pol[0]), indicator("I1", polarity=pol[1]))
    through = draw(st.one_of(st.none(), st.integers(2000, 2030)))
    return observations(*parts), ind, through


def sorted_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.sort_values(["series", "ordinal"], ignore_index=True)


@SETTINGS
@given(frames(), st.randoms(), st.booleans())
def test_row_order_does_not_matter(data, random, string_ids):
    obs, ind, through = data
    if string_ids:  # as the store names series; "z..." first so grouped rows are unsorted
        obs = obs.assign(series=obs["series"].map(lambda s: f"{'zyx'[s % 3]}:{s}"))
    rows, summary = compute_curves(obs, ind, history_through=through)
    shuffled = obs.sample(frac=1, random_state=random.randint(0, 2**31)).reset_index(drop=True)
    rows2, summary2 = compute_curves(shuffled, ind, history_through=through)
    pd.testing.assert_frame_equal(sorted_rows(rows), sorted_rows(rows2))
    pd.testing.assert_frame_equal(summary, summary2)


MIRROR = {"better_than_forecast": "worse_than_forecast", "improving": "worsening"}
MIRROR.update({v: k for k, v in MIRROR.items()})


@SETTINGS
@given(frames(polarity="up"))
def test_flipping_polarity_mirrors_statuses_and_trends(data):
    obs, ind, through = data
    rows, summary = compute_curves(obs, ind, history_through=through)
    flipped = ind.assign(polarity="down")
    rows2, summary2 = compute_curves(obs, flipped, history_through=through)
    for a, b in ((rows["status"], rows2["status"]),
                 (summary["trend_direction"], summary2["trend_direction"]),
                 (summary["latest_status"], summary2["latest_status"])):
        mirrored = [MIRROR.get(v, v) if isinstance(v, str) else "-" for v in a.astype(object)]
        assert mirrored == [v if isinstance(v, str) else "-" for v in b.astype(object)]
    assert summary["trend_periods"].tolist() == summary2["trend_periods"].tolist()


@SETTINGS
@given(frames(), st.floats(-1e3, 1e3, allow_nan=False))
def test_adding_a_constant_shifts_linear_forecasts_and_intervals(data, shift):
    obs, ind, through = data
    rows, _ = compute_curves(obs, ind, history_through=through)
    rows2, _ = compute_curves(obs.assign(value=obs["value"] + shift), ind,
                              history_through=through)
    tol = 1e-9 * (1 + abs(shift) + np.nanmax(np.abs(rows[["forecast_lower", "forecast_upper"]]
                                                      .to_numpy()), initial=0))
    for column in ("forecast", "forecast_lower", "forecast_upper"):
        a, b = rows[column].to_numpy(), rows2[column].to_numpy()
        assert np.array_equal(np.isnan(a), np.isnan(b))
        assert np.all(np.abs((b - a)[~np.isnan(a)] - shift) <= tol)


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 500), st.integers(1, 500)), min_size=1, max_size=8),
       st.sampled_from(["percent", "count"]))
def test_a_roll_up_of_one_group_equals_that_group(pairs, unit):
    num = np.array([min(n, d) for n, d in pairs], dtype=float)
    den = np.array([d for _, d in pairs], dtype=float)
    values = 100 * num / den if unit == "percent" else num
    obs = series(values, dimensions='{"city":"Altadena"}', numerators=num, denominators=den)
    got = rolled_up(obs, indicators(indicator(unit=unit)), "city")
    np.testing.assert_allclose(got["value"], values, rtol=1e-12)
    assert got["dimensions"].eq("{}").all() and got["complete"].all()
