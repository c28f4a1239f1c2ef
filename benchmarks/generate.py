"""Synthetic RBA data at realistic scale, in the frames `rba.calc.compute_curves` takes.

About 1,000,000 observations in about 50,000 series: quarterly, yearly and school-year
indicators, each disaggregated by city, student group, school and city x student group,
with gaps, missing values, percent/rate indicators carrying numerators and denominators,
count totals that (mostly) equal the sum of their city parts, some indicators with no total
row at all (so it must be rolled up) and targets on headline totals. Deterministic by seed.

    python benchmarks/generate.py --rows 1000000 --seed 0
"""

from __future__ import annotations

import argparse
import json

import numpy as np
import pandas as pd

CITIES = ["Altadena", "Pasadena", "Sierra Madre"]
GROUPS = ["Asian", "Black", "English learner", "Filipino", "Latino", "Two or more", "White",
          "Low income"]
SCHOOLS = [f"School {i:02d}" for i in range(1, 25)]
FREQUENCIES = np.array(["quarter", "year", "school_year"])
PER_YEAR = {"quarter": 4, "year": 1, "school_year": 1}
UNITS = np.array(["percent", "rate", "count", "number", "score"])
UNIT_P = [0.45, 0.15, 0.2, 0.1, 0.1]
LAST_ORDINAL = {"quarter": 2024 * 4 + 3, "year": 2024, "school_year": 2024}


def _key(values: dict[str, str]) -> str:
    return json.dumps(dict(sorted(values.items())), ensure_ascii=False, separators=(",", ":"))


def _dimension_keys(rng: np.random.Generator) -> tuple[list[str], list[int]]:
    """One indicator's dimension keys ("{}" first) and which city part (0-2, or -1) each is."""
    keys, city = ["{}"], [-1]
    keys += [_key({"city": c}) for c in CITIES]
    city += [0, 1, 2]
    if rng.random() < 0.7:
        keys += [_key({"student_group": g}) for g in GROUPS]
    if rng.random() < 0.5:
        keys += [_key({"school": s}) for s in SCHOOLS]
    if rng.random() < 0.3:
        keys += [_key({"city": c, "student_group": g}) for c in CITIES for g in GROUPS]
    city += [-1] * (len(keys) - len(city))
    return keys, city


def _labels(frequency: str, ordinals: np.ndarray) -> np.ndarray:
    if frequency == "quarter":
        return np.array([f"{o // 4}-Q{o % 4 + 1}" for o in ordinals], dtype=object)
    if frequency == "school_year":
        return np.array([f"{o}-{(o + 1) % 100:02d}" for o in ordinals], dtype=object)
    return np.array([str(o) for o in ordinals], dtype=object)


def _indicators(rng: np.random.Generator, n_obs: int) -> tuple[pd.DataFrame, list]:
    specs, rows = [], 0
    while rows < n_obs / 0.96:  # head-room for the rows dropped as gaps
        i = len(specs)
        freq = str(FREQUENCIES[rng.choice(3, p=[0.4, 0.3, 0.3])])
        n_periods = int(rng.integers(16, 33) if freq == "quarter" else rng.integers(8, 25))
        keys, city = _dimension_keys(rng)
        unit = str(rng.choice(UNITS, p=UNIT_P))
        specs.append(dict(
            indicator=f"IND{i:05d}", unit=unit, per=1000.0 if unit == "rate" else np.nan,
            polarity="up" if rng.random() < 0.6 else "down", frequency=freq,
            periods_per_year=PER_YEAR[freq],
            kind="headline" if rng.random() < 0.25 else "secondary",
            result=f"R{i % 7 + 1}", n_periods=n_periods, keys=keys, city=city,
            has_total=rng.random() < 0.9,
        ))
        rows += n_periods * len(keys)
    frame = pd.DataFrame(specs)
    cols = ["indicator", "unit", "per", "polarity", "frequency", "periods_per_year", "kind",
            "result"]
    return frame[cols].copy(), specs


def generate(n_obs: int = 1_000_000, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Frames `observations`, `indicators` and `targets` with about n_obs observations."""
    rng = np.random.default_rng(seed)
    indicators, specs = _indicators(rng, n_obs)
    parts = []
    next_series = 1
    for spec in specs:
        n_s, n_p = len(spec["keys"]), spec["n_periods"]
        freq = spec["frequency"]
        ordinals = np.arange(LAST_ORDINAL[freq] - n_p + 1, LAST_ORDINAL[freq] + 1)
        t = (np.arange(n_p) / spec["periods_per_year"])[None, :]
        level = rng.uniform(20, 80) + rng.normal(0, 8, (n_s, 1))
        slope = rng.normal(0, 1.0) + rng.normal(0, 0.3, (n_s, 1))
        noise = rng.normal(0, 2.0, (n_s, n_p))
        den = np.round(rng.uniform(40, 900, (n_s, 1)) * (1 + 0.02 * t)).astype(float)
        unit, city = spec["unit"], np.array(spec["city"])
        share = np.clip((level + slope * t + noise) / 100, 0.01, 0.99)
        if unit in ("percent", "rate"):
            num = np.round(den * share * (0.2 if unit == "rate" else 1.0))
            city_rows = city >= 0
            num[0], den[0] = num[city_rows].sum(0), den[city_rows].sum(0)
            value = num / den * (100.0 if unit == "percent" else 1000.0)
        else:
            value = np.round(level + slope * t + noise, 1)
            if unit == "count":
                value = np.round(np.abs(value) * 10)
                value[0] = value[city >= 0].sum(0)
            num = den = np.full((n_s, n_p), np.nan)
        series = np.arange(next_series, next_series + n_s)
        next_series += n_s
        frame = pd.DataFrame({
            "series": series.repeat(n_p), "indicator": spec["indicator"],
            "dimensions": np.repeat(np.array(spec["keys"], dtype=object), n_p),
            "period": np.tile(_labels(freq, ordinals), n_s), "ordinal": np.tile(ordinals, n_s),
            "value": value.ravel(), "numerator": num.ravel(),
            "denominator": den.ravel(),
        })
        if not spec["has_total"]:
            frame = frame.iloc[n_p:]
        parts.append(frame)
    obs = pd.concat(parts, ignore_index=True)
    keep = rng.random(len(obs)) > 0.03  # gaps: periods never reported
    obs = obs[keep].reset_index(drop=True)
    missing = rng.random(len(obs)) < 0.02  # reported as missing: NaN, never zero
    obs.loc[missing, ["value", "numerator"]] = np.nan
    count_total = (obs["dimensions"] == "{}") & obs["indicator"].isin(
        indicators.loc[indicators["unit"] == "count", "indicator"])
    disagree = count_total & (rng.random(len(obs)) < 0.01)
    obs.loc[disagree, "value"] += 1
    obs = obs.iloc[:n_obs].copy()
    obs["ordinal"] = obs["ordinal"].astype("int64")
    targets = _targets(rng, obs, indicators)
    return {"observations": obs, "indicators": indicators, "targets": targets}


def _targets(rng: np.random.Generator, obs: pd.DataFrame, indicators: pd.DataFrame
             ) -> pd.DataFrame:
    meta = indicators.set_index("indicator")
    last = obs.dropna(subset=["value"]).groupby("series").tail(1)
    headline = last["indicator"].map(meta["kind"]).eq("headline") & last["dimensions"].eq("{}")
    chosen = last[headline | (rng.random(len(last)) < 0.05)]
    ppy = chosen["indicator"].map(meta["periods_per_year"]).to_numpy()
    sign = np.where(chosen["indicator"].map(meta["polarity"]).eq("up"), 1.0, -1.0)
    ordinal = chosen["ordinal"].to_numpy() + 3 * ppy
    value = chosen["value"].to_numpy() * (1 + sign * rng.uniform(0.02, 0.15, len(chosen)))
    freq = chosen["indicator"].map(meta["frequency"]).to_numpy()
    period = np.empty(len(chosen), dtype=object)
    for f in np.unique(freq):
        period[freq == f] = _labels(f, ordinal[freq == f])
    return pd.DataFrame({"series": chosen["series"].to_numpy(), "ordinal": ordinal,
                         "period": period, "value": value})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="observations to make")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    args = parser.parse_args()
    frames = generate(args.rows, args.seed)
    for name, frame in frames.items():
        print(f"{name}: {len(frame):,} rows")
    obs = frames["observations"]
    print(f"series: {obs['series'].nunique():,}")
    print(obs["indicator"].map(frames["indicators"].set_index("indicator")["frequency"])
          .value_counts().to_string())


if __name__ == "__main__":
    main()
