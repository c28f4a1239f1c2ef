"""Benchmark the roll-up cube: what rolling up 1,000,000 finest figures over two dimensions
adds to the scorecard.

The data: indicators entered only at their finest level, city x student group (20 x 50
groups by default), quarterly, percents with numerators and denominators and counts, about
1% of the figures missing. Prints, each the best of --repeat runs in one process (the two
scorecards alternate):
  - the scorecard (rba.report.scorecard.scorecard: every series' curve and summary,
    freshness, labels) with the roll-up turned off: the floor, today's scorecard on the
    same figures without the levels above them;
  - the scorecard with every level rolled up (total, each city, each group, and the finest);
  - the roll-up alone as a frame (rba.calc.rolled_up_levels, which also maps the rows to
    series and writes the rolled-up rows out);
and what the roll-up adds to the scorecard, against the target of under 50%.

    python benchmarks/bench_rollup.py --rows 1000000
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from functools import partial
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rba.calc import CurveInputs, compute_curves, rolled_up_levels  # noqa: E402
from rba.report import curves as report_curves  # noqa: E402
from rba.report.scorecard import scorecard  # noqa: E402


def finest_figures(rows: int, cities: int, groups: int, periods: int, seed: int
                   ) -> CurveInputs:
    """Curve inputs of indicators entered only at city x student group, `rows` figures."""
    rng = np.random.default_rng(seed)
    per_indicator = cities * groups * periods
    n_ind = max(1, round(rows / per_indicator))
    city = np.repeat(np.arange(cities), groups)
    group = np.tile(np.arange(groups), cities)
    keys = np.array([f'{{"city":"C{c:02d}","student_group":"G{g:02d}"}}'
                     for c, g in zip(city, group, strict=True)], dtype=object)
    codes = np.array([f"ind{i:03d}" for i in range(n_ind)], dtype=object)
    units = np.where(np.arange(n_ind) % 3 == 2, "count", "percent")
    ind = np.repeat(np.arange(n_ind), len(keys) * periods)
    key = np.tile(np.repeat(np.arange(len(keys)), periods), n_ind)
    ordinal = np.tile(np.arange(periods), n_ind * len(keys)) + 2000 * 4
    size = rng.integers(20, 400, len(ind)).astype(float)
    hits = np.floor(size * rng.uniform(0.2, 0.9, len(ind)))
    count = units[ind] == "count"
    value = np.where(count, size, 100 * hits / size)
    value[rng.random(len(ind)) < 0.01] = np.nan  # a part missing: its levels are missing
    observations = pd.DataFrame({
        "series": pd.Categorical(codes[ind]).astype(str) + ":" + keys[key].astype(str),
        "indicator": codes[ind], "dimensions": keys[key],
        "period": [f"{o // 4}-Q{o % 4 + 1}" for o in ordinal], "ordinal": ordinal,
        "value": value, "numerator": np.where(count, np.nan, hits),
        "denominator": np.where(count, np.nan, size)})
    indicators = pd.DataFrame({
        "indicator": codes, "unit": units, "per": np.nan, "polarity": "up",
        "frequency": "quarter", "periods_per_year": 4.0, "kind": "headline",
        "result": "R1"})
    empty = pd.DataFrame(columns=["series", "ordinal", "period", "value"])
    frozen = pd.DataFrame(columns=["series", "ordinal", "period", "forecast", "lower",
                                   "upper", "method", "level", "history_through_ordinal",
                                   "baseline_value"])
    series = observations[["series", "indicator", "dimensions"]].drop_duplicates()
    return CurveInputs(observations, indicators, empty, frozen, series)


def best_time(fn, repeat: int) -> tuple[float, object]:
    """Fastest of `repeat` runs in seconds, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="finest figures")
    parser.add_argument("--cities", type=int, default=20)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--periods", type=int, default=100, help="quarters per series")
    parser.add_argument("--method", default="linear", help="forecast method of the scorecard")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best kept)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    inputs = finest_figures(args.rows, args.cities, args.groups, args.periods, args.seed)
    obs = inputs.observations
    print(f"{len(obs):,} finest figures in {obs['series'].nunique():,} series of "
          f"{len(inputs.indicators)} indicators ({args.cities} cities x {args.groups} groups "
          f"x {args.periods} quarters)")
    today = date(2026, 12, 3)
    order = inputs.indicators["indicator"].tolist()
    fitted = partial(report_curves.indicator_curves, method=args.method)

    def card() -> pd.DataFrame:
        with mock.patch("rba.report.scorecard.indicator_curves", fitted):
            return scorecard(inputs, today=today, order=order)

    def card_without_roll_up() -> pd.DataFrame:
        flat = partial(compute_curves, roll_up_totals=False)
        with mock.patch("rba.report.curves.compute_curves", flat), \
                mock.patch("rba.report.scorecard.indicator_curves", fitted):
            return scorecard(inputs, today=today, order=order)

    card()  # warm up (imports, caches)
    # Alternate the two, so load from elsewhere on the machine hits both alike; keep the best.
    floors, fulls = [], []
    for _ in range(args.repeat):
        floor_s, plain = best_time(card_without_roll_up, 1)
        full_s, rolled = best_time(card, 1)
        floors.append(floor_s)
        fulls.append(full_s)
    floor, full = min(floors), min(fulls)
    alone, levels = best_time(lambda: rolled_up_levels(obs, inputs.indicators), args.repeat)
    assert isinstance(plain, pd.DataFrame) and isinstance(rolled, pd.DataFrame)
    assert isinstance(levels, pd.DataFrame)
    added = (full - floor) / floor
    print(f"scorecard without roll-up (floor): {floor:7.2f} s, {len(plain):,} rows "
          f"(runs: {', '.join(f'{t:.2f}' for t in floors)})")
    print(f"scorecard with every level:        {full:7.2f} s, {len(rolled):,} rows "
          f"(runs: {', '.join(f'{t:.2f}' for t in fulls)})")
    print(f"the roll-up alone, as a frame:     {alone:7.2f} s, {len(levels):,} rolled-up "
          f"figures")
    print(f"the roll-up adds {added:.0%} to the scorecard (target: under 50%) "
          f"[{'met' if added < 0.5 else 'NOT met'}]")


if __name__ == "__main__":
    main()
