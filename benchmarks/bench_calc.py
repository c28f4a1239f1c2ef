"""Benchmark `rba.calc.compute_curves` at realistic scale.

Prints, for ~1,000,000 observations in ~50,000 series (see generate.py):
  - the time to compute every curve and summary (best of --repeat runs),
  - the floor: one pandas group-by pass summing value, numerator and denominator by series
    over the same frame, and the ratio of the two,
  - the same for the frame with its rows shuffled (insertion order, not series order),
    and with the store's string series ids ("<indicator>:<dimensions>"),
  - peak memory (RSS, from resource.getrusage) of a process that only loads the frames and
    computes the curves,
  - a straightforward per-series statsmodels OLS loop on a 2,000-series sample, against
    compute_curves on the same sample (the speed-up).

    python benchmarks/bench_calc.py --rows 1000000
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import generate  # noqa: E402

from rba.calc import compute_curves, equity_gaps, gap_trends  # noqa: E402


def best_time(fn, repeat: int) -> float:
    """Fastest of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def floor(obs: pd.DataFrame) -> pd.DataFrame:
    """One pandas group-by pass summing the same columns over the same frame."""
    return obs.groupby("series")[["value", "numerator", "denominator"]].sum()


def timings(frames: dict, repeat: int) -> dict:
    obs, ind, tg = frames["observations"], frames["indicators"], frames["targets"]
    curves = best_time(lambda: compute_curves(obs, ind, tg), repeat)
    base = best_time(lambda: floor(obs), repeat)
    return {"curves_s": curves, "floor_s": base, "ratio": curves / base}


def child(path: str, repeat: int) -> None:
    """Load the frames, time the curves (sorted and shuffled rows), print JSON with peak RSS."""
    with open(path, "rb") as fh:
        frames = pickle.load(fh)
    compute_curves(frames["observations"].head(5000), frames["indicators"], frames["targets"])
    result = {"sorted": timings(frames, repeat)}
    rows, summary = compute_curves(frames["observations"], frames["indicators"],
                                   frames["targets"])
    result["rows"], result["series"] = len(rows), len(summary)
    shuffled = dict(frames, observations=frames["observations"].sample(frac=1, random_state=0)
                    .reset_index(drop=True))
    result["shuffled"] = timings(shuffled, repeat)
    obs = frames["observations"]
    named = obs.assign(series=obs["indicator"].astype(str) + ":" + obs["dimensions"].astype(str))
    ids = dict(zip(obs["series"], named["series"], strict=True))
    result["string ids"] = timings(dict(frames, observations=named, targets=frames["targets"]
                                        .assign(series=frames["targets"]["series"].map(ids))),
                                   repeat)
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["equity_s"] = best_time(lambda: gap_trends(equity_gaps(
        frames["observations"], frames["indicators"]), frames["indicators"]), repeat)
    print(json.dumps(result))


def statsmodels_loop(obs: pd.DataFrame, level: float = 0.95) -> list[pd.DataFrame]:
    """The straightforward way: one statsmodels OLS fit and prediction per series."""
    import statsmodels.api as sm

    out = []
    for _, history in obs.dropna(subset=["value"]).groupby("series"):
        x = history["ordinal"].to_numpy(float)
        fit = sm.OLS(history["value"].to_numpy(), sm.add_constant(x, has_constant="add")).fit()
        new = np.arange(x[-1] + 1, x[-1] + 21)
        out.append(fit.get_prediction(sm.add_constant(new, has_constant="add"))
                   .summary_frame(alpha=1 - level))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="observations")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best kept)")
    parser.add_argument("--sample", type=int, default=2000, help="series in the OLS loop")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeat)
        return
    start = time.perf_counter()
    frames = generate(args.rows, args.seed)
    obs = frames["observations"]
    print(f"generated {len(obs):,} observations in {obs['series'].nunique():,} series "
          f"({time.perf_counter() - start:.1f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "frames.pkl")
        with open(path, "wb") as fh:
            pickle.dump(frames, fh)
        out = subprocess.run([sys.executable, __file__, "--child", path, "--repeat",
                              str(args.repeat)], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"rows out: {result['rows']:,}; summaries: {result['series']:,}")
    for order in ("sorted", "shuffled", "string ids"):
        r = result[order]
        print(f"[{order} rows] every curve and summary: {r['curves_s'] * 1000:8.1f} ms | "
              f"floor (group-by sum): {r['floor_s'] * 1000:7.1f} ms | ratio {r['ratio']:5.1f}")
    print(f"peak RSS (load + compute): {result['peak_rss_mib']:,.0f} MiB")
    print(f"equity gaps and gap trends (extra, sorted rows): {result['equity_s'] * 1000:.1f} ms")
    ids = obs["series"].drop_duplicates().sample(args.sample, random_state=args.seed)
    sample = obs[obs["series"].isin(ids)]
    loop = best_time(lambda: statsmodels_loop(sample), 1)
    ours = best_time(lambda: compute_curves(sample, frames["indicators"],
                                            roll_up_totals=False), args.repeat)
    print(f"statsmodels OLS loop on {args.sample:,} series: {loop * 1000:8.1f} ms | "
          f"compute_curves on them: {ours * 1000:6.1f} ms | speed-up {loop / ours:5.0f}x")


if __name__ == "__main__":
    main()
