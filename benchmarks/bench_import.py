"""Import benchmark: 100,000 observation rows (parse, validate, upsert) against a floor.

The floor, measured in the same run on the same machine: pandas `read_csv` of the same file
plus one plain bulk insert of the same rows into a fresh copy of the observations table.
Prints both times, their ratio and peak memory. Then the next quarter (one figure per series)
is imported on top of that history and timed, with the outlier check's share (it fits each
series' forecast on its history: see README "How the numbers are computed"). Targets
(issue 4): ratio <= 4 and the import under 10 s on SQLite. On a shared machine wall times
swing with other work, so the CPU time of this process is printed too (on PostgreSQL the
server's work is not in it).

    python benchmarks/bench_import.py [--rows 100000] [--url URL of an empty database]
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from rba.ingest import plan_import
from rba.models import Observation
from rba.store import connect, migrate, session_scope
from rba.store.imports import apply_plan


def make_files(folder: Path, rows: int, seed: int = 0) -> tuple[Path, Path, Path]:
    """A results/indicators workbook and an observations CSV of ``rows`` rows."""
    rng = np.random.default_rng(seed)
    n_indicators = 50
    schools = rows // (n_indicators * 20) + 1
    pd.DataFrame([{"slug": "bench", "name": "Benchmark team"}]).to_csv(
        folder / "teams.csv", index=False)
    pd.DataFrame([{"code": "R1", "name": "Benchmark result", "team": "bench"}]).to_csv(
        folder / "results.csv", index=False)
    indicators = pd.DataFrame({
        "code": [f"ind_{i:02d}" for i in range(n_indicators)], "result": "R1",
        "name": [f"Indicator {i}" for i in range(n_indicators)], "unit": "percent",
        "polarity": "up", "frequency": "quarter", "dimensions": "school"})
    indicators.to_csv(folder / "indicators.csv", index=False)
    quarters = [f"{y}-Q{q}" for y in range(2021, 2026) for q in range(1, 5)]
    grid = pd.MultiIndex.from_product(
        [indicators["code"], quarters, [f"School {s:03d}" for s in range(schools)]],
        names=["indicator", "period", "school"]).to_frame(index=False).head(rows)
    denominator = rng.integers(50, 500, len(grid))
    numerator = (denominator * rng.uniform(0.3, 0.9, len(grid))).astype(int)
    grid["numerator"], grid["denominator"] = numerator, denominator
    grid["value"] = np.round(numerator / denominator * 100, 1)
    csv = folder / "observations.csv"
    grid.to_csv(csv, index=False)
    return folder / "teams.csv", folder / "indicators.csv", csv


def next_quarter(folder: Path, csv: Path, seed: int = 1) -> Path:
    """One 2026-Q1 figure for every indicator and school of the observations CSV."""
    frame = pd.read_csv(csv)
    last = frame[frame["period"] == frame["period"].max()].copy()
    last["period"] = "2026-Q1"
    rng = np.random.default_rng(seed)
    last["numerator"] = (last["denominator"] * rng.uniform(0.3, 0.9, len(last))).astype(int)
    last["value"] = np.round(last["numerator"] / last["denominator"] * 100, 1)
    path = folder / "next" / "observations.csv"
    path.parent.mkdir()
    last.to_csv(path, index=False)
    return path


def next_seconds(url: str, csv: Path) -> tuple[float, tuple[float, float], int]:
    """Time importing ``csv`` on top of the stored history: wall seconds, the outlier
    check's wall and CPU seconds, and the rows added."""
    from rba import ingest

    spent = [0.0, 0.0]
    check = ingest.flag_outliers

    def timed(*args: object, **kwargs: object) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        check(*args, **kwargs)  # type: ignore[arg-type]
        spent[0] += time.perf_counter() - started
        spent[1] += time.process_time() - cpu

    ingest.flag_outliers = timed  # type: ignore[assignment]
    factory = connect(url)
    started = time.perf_counter()
    with session_scope(factory) as session:
        plan = plan_import(session, csv)
        apply_plan(session=session, plan=plan, actor="bench")
    wall = time.perf_counter() - started
    ingest.flag_outliers = check  # type: ignore[assignment]
    factory.kw["bind"].dispose()
    return wall, (spent[0], spent[1]), plan.summary()["observations"]["added"]


def floor_seconds(csv: Path, folder: Path) -> tuple[float, float]:
    """read_csv plus one executemany of the same rows into a plain observations table.

    Wall and CPU seconds.
    """
    connection = sqlite3.connect(folder / "floor.db")
    connection.execute("CREATE TABLE observations (id INTEGER PRIMARY KEY, indicator TEXT, "
                       "period TEXT, dimensions TEXT, value REAL, numerator REAL, "
                       "denominator REAL, UNIQUE (indicator, period, dimensions))")
    started, cpu = time.perf_counter(), time.process_time()
    frame = pd.read_csv(csv)
    rows = list(zip(frame["indicator"], frame["period"], frame["school"], frame["value"],
                    frame["numerator"], frame["denominator"], strict=True))
    connection.executemany("INSERT INTO observations (indicator, period, dimensions, value, "
                           "numerator, denominator) VALUES (?, ?, ?, ?, ?, ?)", rows)
    connection.commit()
    elapsed = time.perf_counter() - started, time.process_time() - cpu
    connection.close()
    return elapsed


def import_seconds(url: str, files: tuple[Path, Path, Path]) -> tuple[float, float, dict]:
    """Time `rba import` of the observations CSV (the setup files are loaded first).

    Wall and CPU seconds, and the import's summary.
    """
    factory = connect(url)
    with factory() as session:
        if session.scalar(sa.select(sa.func.count()).select_from(Observation)):
            raise SystemExit(f"{url} already holds observations: give an empty database")
    for setup in files[:2]:
        results = setup.parent / "results.csv"
        for path in ([setup, results] if setup.name == "teams.csv" else [setup]):
            with session_scope(factory) as session:
                apply_plan(session=session, plan=plan_import(session, path), actor="bench")
    started, cpu = time.perf_counter(), time.process_time()
    with session_scope(factory) as session:
        plan = plan_import(session, files[2])
        assert not plan.problems, plan.problems[:3]
        apply_plan(session=session, plan=plan, actor="bench")
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    factory.kw["bind"].dispose()
    return wall, cpu, plan.summary()["observations"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--url", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = make_files(folder, args.rows)
        url = args.url or f"sqlite:///{folder / 'bench.db'}"
        migrate.upgrade(url)
        floor, floor_cpu = floor_seconds(files[2], folder)
        seconds, cpu, summary = import_seconds(url, files)
        then, checking, added = next_seconds(url, next_quarter(folder, files[2]))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows imported:        {summary['added']:,}")
    print(f"import (parse, validate, upsert, audit): {seconds:6.2f} s   (CPU {cpu:.2f} s)")
    print(f"floor (read_csv + one bulk insert):      {floor:6.2f} s   (CPU {floor_cpu:.2f} s)")
    print(f"ratio:                {seconds / floor:6.2f}   (target <= 4; CPU time "
          f"{cpu / floor_cpu:.2f})")
    print(f"peak RSS:             {peak:6.0f} MiB")
    print(f"target under 10 s:    {'met' if seconds < 10 else 'NOT met'}")
    print(f"next quarter:         {added:,} rows on top of that history in {then:.2f} s, "
          f"of which the outlier check {checking[0]:.2f} s (CPU {checking[1]:.2f} s)")


if __name__ == "__main__":
    main()
