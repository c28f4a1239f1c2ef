"""How good is the default baseline, out of sample, on real series?

Real yearly, quarterly and monthly series bundled with statsmodels are cut into windows as
short as a result team's: 10 years, 20 quarters or 48 months of history, then the next 3
years, 8 quarters or 12 months to judge. Every window is one series in one call of
`rba.calc.compute_curves` (fitted on its history only), and its forecast is scored against
what came next:

  - MASE per window: the mean absolute error over the judged periods, divided by the
    history's mean absolute seasonal difference (lag 4 for quarters, 12 for months, 1 for
    years); printed as the mean per frequency and overall, for the default (`auto`), the
    project's `linear`, and the simple benchmarks computed here from their definitions:
    naive (last value), seasonal naive (the value a season before), drift (last value plus
    the history's mean step) and mean (the history's mean);
  - coverage: the share of judged actuals inside the default's 80% and 95% intervals (and
    inside the 80% band of the 95% fit, which the chart draws inside the 95% band).

Goals (issue 11): the default beats every simple benchmark on mean MASE; 95% coverage
between 88% and 98%, 80% between 72% and 88%. Then the speed: `compute_curves` on the
~1,000,000-observation synthetic store (benchmarks/generate.py) with the default against
`linear` (today's former default), measured in the same run.

    python benchmarks/bench_baselines.py            # add --rows 0 to skip the speed part
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.datasets as sd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rba.calc import compute_curves  # noqa: E402
from rba.services.curves import DEFAULT_METHOD  # noqa: E402

#: History and judged length per frequency, as a result team has them.
WINDOWS = {"year": (10, 3), "quarter": (20, 8), "month": (48, 12)}
SEASON = {"year": 1, "quarter": 4, "month": 12}


def real_series() -> dict[str, list[np.ndarray]]:
    """Every bundled real series by frequency (positive, no gaps)."""
    fertility = sd.fertility.load_pandas().data
    years = [c for c in fertility.columns if c.isdigit()]
    yearly = [r.dropna().to_numpy(float) for _, r in fertility[years].iterrows()]
    yearly += [sd.nile.load_pandas().data["volume"].to_numpy(float),
               sd.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(float)]
    grunfeld = sd.grunfeld.load_pandas().data
    yearly += [g["invest"].to_numpy(float) for _, g in grunfeld.groupby("firm")]
    macro = sd.macrodata.load_pandas().data
    quarterly = [macro[c].to_numpy(float) for c in ("realgdp", "realcons", "realinv",
                                                    "realgovt", "realdpi", "cpi", "m1",
                                                    "tbilrate", "unemp", "pop", "infl",
                                                    "realint")]
    rates = sd.interest_inflation.load_pandas().data
    quarterly += [rates[c].to_numpy(float) for c in ("Dp", "R")]
    danish = sd.danish_data.load_pandas().data
    quarterly += [danish[c].to_numpy(float) for c in ("lrm", "lry", "lpy", "ibo", "ide")]
    elnino = sd.elnino.load_pandas().data.drop(columns="YEAR").to_numpy(float).ravel()
    co2 = sd.co2.load_pandas().data["co2"]
    co2 = co2.interpolate().resample("MS").mean().dropna().to_numpy(float)
    return {"year": yearly, "quarter": quarterly, "month": [elnino, co2]}


def windows(series: dict[str, list[np.ndarray]]) -> pd.DataFrame:
    """Non-overlapping (history + judged) windows, one row per value."""
    parts, sid = [], 0
    for freq, many in series.items():
        n_hist, n_next = WINDOWS[freq]
        span = n_hist + n_next
        for values in many:
            values = values[~np.isnan(values)]
            for start in range(0, len(values) - span + 1, span):
                sid += 1
                chunk = values[start:start + span]
                parts.append(pd.DataFrame({
                    "series": sid, "frequency": freq, "ordinal": np.arange(span) + 4000,
                    "value": chunk, "history": np.arange(span) < n_hist}))
    return pd.concat(parts, ignore_index=True)


def frames(data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict[int, int]]:
    """compute_curves' frames: each window its own indicator of its frequency, in `number`."""
    first = data.drop_duplicates("series")
    per_year = first["frequency"].map(SEASON).to_numpy()
    indicators = pd.DataFrame({
        "indicator": first["series"].astype(str).to_numpy(), "unit": "number",
        "polarity": "up", "per": np.nan,
        "frequency": first["frequency"].map({"year": "year", "quarter": "quarter",
                                             "month": "month"}).to_numpy(),
        "periods_per_year": per_year, "kind": "headline", "result": "r"})
    obs = pd.DataFrame({
        "series": data["series"].to_numpy(), "indicator": data["series"].astype(str).to_numpy(),
        "dimensions": "{}", "ordinal": data["ordinal"].to_numpy(),
        "value": data["value"].to_numpy(), "numerator": np.nan, "denominator": np.nan})
    through = data[data["history"]].groupby("series")["ordinal"].max().to_dict()
    return obs, indicators, through


def simple_forecasts(data: pd.DataFrame) -> dict[str, pd.Series]:
    """naive, seasonal naive, drift and mean forecasts of every judged value."""
    out: dict[str, list[np.ndarray]] = {k: [] for k in ("naive", "seasonal_naive", "drift",
                                                         "mean")}
    for _, w in data.groupby("series", sort=True):
        m = SEASON[w["frequency"].iloc[0]]
        hist = w.loc[w["history"], "value"].to_numpy()
        h = np.arange(1, (~w["history"]).sum() + 1)
        out["naive"].append(np.full(len(h), hist[-1]))
        out["seasonal_naive"].append(hist[len(hist) - m + (h - 1) % m])
        out["drift"].append(hist[-1] + h * (hist[-1] - hist[0]) / (len(hist) - 1))
        out["mean"].append(np.full(len(h), hist.mean()))
    index = data[~data["history"]].sort_values(["series", "ordinal"]).index
    return {k: pd.Series(np.concatenate(v), index=index) for k, v in out.items()}


def scales(data: pd.DataFrame) -> pd.Series:
    """Per window: the history's mean absolute seasonal difference (the MASE scale)."""
    def scale(w: pd.DataFrame) -> float:
        m = SEASON[w["frequency"].iloc[0]]
        hist = w.loc[w["history"], "value"].to_numpy()
        return float(np.mean(np.abs(hist[m:] - hist[:-m])))
    return data.groupby("series").apply(scale, include_groups=False)


def fitted(data: pd.DataFrame, method: str, level: float) -> pd.DataFrame:
    """compute_curves' forecast and interval for every judged value."""
    obs, indicators, through = frames(data)
    rows, _ = compute_curves(obs, indicators, method=method, level=level,
                             history_through=through)
    rows = rows[["series", "ordinal", "forecast", "forecast_lower", "forecast_upper",
                 "forecast_lower_80", "forecast_upper_80"]]
    judged = data[~data["history"]].sort_values(["series", "ordinal"])
    merged = judged.merge(rows, on=["series", "ordinal"], how="left")
    merged.index = judged.index
    return merged


def quality(data: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, float]]:
    """Mean MASE per method and frequency, and the default's interval coverage."""
    judged = data[~data["history"]].sort_values(["series", "ordinal"])
    forecasts = simple_forecasts(data)
    default95 = fitted(data, DEFAULT_METHOD, 0.95)
    default80 = fitted(data, DEFAULT_METHOD, 0.80)
    forecasts[f"{DEFAULT_METHOD} (default)"] = default95["forecast"]
    forecasts["linear"] = fitted(data, "linear", 0.95)["forecast"]
    scale = judged["series"].map(scales(data).replace(0.0, np.nan))  # constant: no MASE
    table = {}
    for name, forecast in forecasts.items():
        error = (judged["value"] - forecast.loc[judged.index]).abs() / scale
        per_window = error.groupby(judged["series"]).mean()
        freq = judged.drop_duplicates("series").set_index("series")["frequency"]
        table[name] = per_window.groupby(freq).mean()
        table[name]["all windows"] = per_window.mean()
        table[name]["mean of the three"] = table[name][["year", "quarter", "month"]].mean()
    coverage = {}
    # The 80% band the chart draws inside the 95% one comes from the same fit as the 95%.
    inner = default95.rename(columns={"forecast_lower_80": "lower", "forecast_upper_80": "upper"})
    for lvl, f in (("80%", default80.rename(columns={"forecast_lower": "lower",
                                                      "forecast_upper": "upper"})),
                   ("80% inner", inner),
                   ("95%", default95.rename(columns={"forecast_lower": "lower",
                                                      "forecast_upper": "upper"}))):
        inside = (judged["value"] >= f["lower"]) & (judged["value"] <= f["upper"])
        coverage[lvl] = float(inside.mean())
        for freq, part in inside.groupby(judged["frequency"]):
            coverage[f"{lvl} {freq}"] = float(part.mean())
    return pd.DataFrame(table).T, coverage


def speed(rows: int) -> None:
    """compute_curves at scale: the default against linear, in the same run."""
    from generate import generate

    f = generate(rows, 0)
    obs, ind, tg = f["observations"], f["indicators"], f["targets"]
    times = {}
    for method in ("linear", DEFAULT_METHOD):
        best = np.inf
        for _ in range(2):
            start = time.perf_counter()
            compute_curves(obs, ind, tg, method=method)
            best = min(best, time.perf_counter() - start)
        times[method] = best
    print(f"\ncompute_curves on {len(obs):,} observations in "
          f"{obs['series'].nunique():,} series (best of 2):")
    for method, seconds in times.items():
        print(f"  {method:<8} {seconds:6.2f} s")
    print(f"  ratio {DEFAULT_METHOD}/linear: {times[DEFAULT_METHOD] / times['linear']:.2f}x "
          "(goal: the whole scorecard within 2x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000,
                        help="observations for the speed part (0: skip it)")
    args = parser.parse_args()
    data = windows(real_series())
    counts = data.drop_duplicates("series")["frequency"].value_counts()
    print("windows: " + ", ".join(f"{counts.get(f, 0)} {f}ly ({h}+{k})"
                                  for f, (h, k) in WINDOWS.items()))
    table, coverage = quality(data)
    print("\nmean MASE out of sample (lower is better):")
    columns = ["year", "quarter", "month", "all windows", "mean of the three"]
    print(table[columns].round(3).to_string())
    print("(windows whose history is constant have no MASE and are left out)")
    default = f"{DEFAULT_METHOD} (default)"
    simple = ["naive", "seasonal_naive", "drift", "mean", "linear"]
    for column in columns:
        beaten = [m for m in simple if table.loc[default, column] < table.loc[m, column]]
        print(f"{column}: the default beats {len(beaten)} of {len(simple)} (goal: all)"
              + ("" if len(beaten) == len(simple)
                 else f"; not {', '.join(sorted(set(simple) - set(beaten)))}"))
    print("coverage of the default's intervals (goals: 80% in [72%, 88%], 95% in [88%, 98%]):")
    for name, share in coverage.items():
        print(f"  {name:<18} {share:6.1%}")
    if args.rows:
        speed(args.rows)


if __name__ == "__main__":
    main()
