"""Dashboard benchmark: indicator page updates and the scorecard with 1,000,000 observations.

Loads benchmarks/generate.py's observations into a fresh SQLite database through the
store's own bulk path (rba.store.bulk.bulk_insert into the observations and targets
tables, one audited batch, the way figure imports write; the row-by-row checks of
`rba import` are skipped: bench_import.py times those). Then:

1. the indicator page's update callback (dashboards.pages.indicator.update_curve), called
   as Dash calls it inside a Flask request, cycling through the controls (another group,
   each forecast method and level): N times with one of the indicator's figures changed
   before every call (nothing cached), N times with a write elsewhere before every call
   (the figures read again, the rest reused), N times as the first update after the page
   was drawn, and N times cached (each view drawn once first): p50, p95. Floor: one SQL
   count of the indicator's observations on the same database.
2. the scorecard (home page) in headless Chromium (/usr/bin/chromium through playwright):
   from navigation until the page's content (and any charts) are drawn. The first visit
   after a write draws the scorecard (reported on its own: in `rba serve` the cache warmer
   does this drawing in the background, turned off here so it is measured); the visits
   after it are served from the cache. Floor: the same browser loading a plain response
   (the Dash layout JSON) from the same server.

Targets (issue 5): update p95 under 100 ms; scorecard under 1.5 s.

    python benchmarks/bench_dashboard.py [--rows 1000000] [--n 50] [--db /tmp/bench.db]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from rba.models import (  # noqa: E402
    Dimension,
    DimensionValue,
    Indicator,
    Observation,
    Result,
    ResultTeam,
    Target,
)
from rba.store import connect, migrate, session_scope
from rba.store.audit import new_batch, record_events  # noqa: E402
from rba.store.bulk import bulk_insert  # noqa: E402


def load(url: str, rows: int) -> dict[str, int]:
    """Generate and load the observations; returns row counts."""
    frames = generate(rows)
    obs, meta, targets = frames["observations"], frames["indicators"], frames["targets"]
    migrate.upgrade(url)
    with session_scope(connect(url)) as session:
        team = ResultTeam(slug="bench", name="Benchmark team")
        results = {f"R{i}": Result(code=f"R{i}", name=f"Result {i}", display_order=i,
                                   team=team) for i in range(1, 8)}
        dims: dict[str, set[str]] = {}
        for key in obs["dimensions"].unique():
            for name, value in json.loads(key).items():
                dims.setdefault(name, set()).add(value)
        session.add_all([Dimension(name=n, label=n.replace("_", " ").capitalize(), values=[
            DimensionValue(value=v, label=v, display_order=i) for i, v in enumerate(sorted(vs))])
            for n, vs in dims.items()])
        declared = obs.groupby("indicator")["dimensions"].agg(
            lambda ks: ", ".join(sorted({n for k in set(ks) for n in json.loads(k)})))
        indicators = {}
        for i, r in enumerate(meta.to_dict("records")):
            indicators[r["indicator"]] = Indicator(
                code=r["indicator"], result=results[r["result"]], name=f"Indicator {i}",
                unit=r["unit"], per=None if r["per"] != r["per"] else r["per"],
                polarity=r["polarity"], frequency=r["frequency"], kind=r["kind"],
                dimensions=declared.get(r["indicator"], ""), min_n=11, display_order=i)
        session.add_all(list(indicators.values()))
        session.flush()
        ids = {code: ind.id for code, ind in indicators.items()}
        batch = new_batch(session=session, actor="bench", source="import", description="bench load")
        clean = obs.replace({np.nan: None})
        bulk_insert(session=session, table=Observation.__table__, columns={
            "indicator_id": obs["indicator"].map(ids).tolist(),
            "period": obs["period"].tolist(), "dimensions": obs["dimensions"].tolist(),
            "value": clean["value"].tolist(), "numerator": clean["numerator"].tolist(),
            "denominator": clean["denominator"].tolist(), "status": "final",
            "revision": 1, "outlier": False, "entered_by": "bench",
            "entered_at": batch.started_at}, n=len(obs))
        series = obs.drop_duplicates("series").set_index("series")
        bulk_insert(session=session, table=Target.__table__, columns={
            "indicator_id": targets["series"].map(series["indicator"]).map(ids).tolist(),
            "period": targets["period"].tolist(),
            "dimensions": targets["series"].map(series["dimensions"]).tolist(),
            "value": targets["value"].tolist(), "set_by": "bench",
            "set_at": batch.started_at}, n=len(targets))
        # One summary event: the data version the cache keys on.
        record_events(session=session, batch=batch, entity="bench", changes=[("create", "load",
                                                                              None,
                                                 {"observations": len(obs)})])
    return {"observations": len(obs), "indicators": len(meta), "targets": len(targets)}


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def bump_version(url: str) -> None:
    """Write one audit event, as every write does, so the cache misses next time."""
    with session_scope(connect(url)) as session:
        batch = new_batch(session=session, actor="bench", source="cli")
        record_events(session=session, batch=batch, entity="bench",
                      changes=[("update", "tick", None, {"t": time.time()})])


def change_figure(url: str, indicator_id: int) -> None:
    """Change one of this indicator's observations (audited) to a value it never had."""
    with session_scope(connect(url)) as session:
        row = session.query(Observation).filter(
            Observation.indicator_id == indicator_id, Observation.value.is_not(None)
        ).order_by(Observation.id).first()
        assert row is not None
        row.value = float(row.value) + 0.001  # so no earlier figures come back
        batch = new_batch(session=session, actor="bench", source="cli")
        record_events(session=session, batch=batch, entity="bench", changes=[
            ("update", "observation", str(row.id), {"value": row.value})])


def time_callback(url: str, n: int) -> dict[str, Any]:
    """update_curve timings (ms) for the indicator with most series, in four situations.

    - changed: one of this indicator's figures changed just before every call, so nothing
      this call needs is cached (the worst case: someone saves this indicator's figures
      between each of your clicks);
    - cold: a write elsewhere just before every call (the data version moves; the
      indicator's figures are read again, and the view, drawn once from the same figures
      before these calls, is reused);
    - first update after the page was drawn: a write to this indicator's figures, the page
      drawn (its agreed curve is then cached, as the page or the cache warmer leaves it),
      then one update to a view not drawn yet, timed;
    - cached: each view already drawn once at this data version.
    Updates cycle through the controls: another group, and each forecast method and level.
    """
    from dashboards.app import create_app

    app = create_app(url)
    engine = sa.create_engine(url)
    with engine.connect() as c:
        code, indicator_id = c.execute(sa.text(
            "SELECT i.code, i.id FROM observations o JOIN indicators i ON i.id = o.indicator_id "
            "GROUP BY i.id ORDER BY count(*) DESC LIMIT 1")).one()
        groups = [f"{code}:{d}" for (d,) in c.execute(sa.text(
            "SELECT DISTINCT dimensions FROM observations WHERE indicator_id = :i "
            "ORDER BY dimensions"), {"i": indicator_id})]
    with app.server.test_request_context("/"):
        import importlib

        page = importlib.import_module("dashboards.pages.indicator")
        meta = {"code": code, "lang": "en"}
        total = f"{code}:{{}}"
        updates = [(groups[1 % len(groups)], "frozen", None), (total, "linear", 0.9),
                   (total, "holt", 0.8), (total, "flat", 0.95),
                   (groups[2 % len(groups)], "log_linear", None), (total, "average", 0.8)]
        changed, cold, first, warm, floor = [], [], [], [], []

        def timed(series: str, method: str, level: float | None) -> float:
            start = time.perf_counter()
            page.update_curve(series, False, method, level, meta)
            return (time.perf_counter() - start) * 1000

        for update in updates:  # the process's one-time costs (first fits, imports)
            change_figure(url, indicator_id)
            timed(*update)
        for i in range(n):
            change_figure(url, indicator_id)
            changed.append(timed(*updates[i % len(updates)]))
        for update in updates:  # each view drawn once from the figures as they are now
            timed(*update)
        for i in range(n):
            bump_version(url)
            cold.append(timed(*updates[i % len(updates)]))
        for i in range(n):
            change_figure(url, indicator_id)
            page.layout(code=code)  # the page as a visitor first sees it
            first.append(timed(*updates[i % len(updates)]))
        for update in updates:  # each view drawn once at this data version
            timed(*update)
        for i in range(n):
            warm.append(timed(*updates[i % len(updates)]))
        with engine.connect() as c:
            for _ in range(n):
                start = time.perf_counter()
                c.execute(sa.text("SELECT count(*) FROM observations WHERE indicator_id = :i"),
                          {"i": indicator_id}).scalar()
                floor.append((time.perf_counter() - start) * 1000)
    figures: dict[str, Any] = {"indicator": code, "series": len(groups)}
    for name, values in (("changed", changed), ("cold", cold), ("first", first),
                         ("cached", warm), ("floor", floor)):
        figures[f"{name}_p50"] = percentile(values, 50)
        figures[f"{name}_p95"] = percentile(values, 95)
    return figures


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def time_scorecard(url: str, runs: int) -> dict[str, float]:
    """Seconds until the home page (scorecard) is drawn in headless Chromium, and a floor."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "RBA_DATABASE_URL": url, "RBA_WARM_SECONDS": "0"}
    server = subprocess.Popen([sys.executable, "-m", "rba", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        drawn, floor, first = [], [], 0.0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu"])
            for i in range(runs + 1):  # the first load draws (cold): reported apart
                page = browser.new_page()
                start = time.perf_counter()
                page.goto(f"{base}/_dash-layout")  # a plain response from the same server
                plain = time.perf_counter() - start
                start = time.perf_counter()
                page.goto(base + "/")
                page.wait_for_selector("#_pages_content > *", timeout=300000)
                page.wait_for_function(
                    "() => !document.querySelector('[data-dash-is-loading=\"true\"]') && "
                    "[...document.querySelectorAll('.js-plotly-plot')].every("
                    "g => g.querySelector('.main-svg'))", timeout=300000)
                took = time.perf_counter() - start
                page.close()
                if i:
                    drawn.append(took)
                    floor.append(plain)
                else:
                    first = took
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {"scorecard_p50": statistics.median(drawn), "scorecard_max": max(drawn),
            "floor_p50": statistics.median(floor), "first_visit": first}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--n", type=int, default=50, help="callback calls per measurement")
    parser.add_argument("--runs", type=int, default=5, help="browser loads of the scorecard")
    parser.add_argument("--db", default=None, help="SQLite file (reused if it exists)")
    args = parser.parse_args()
    db = Path(args.db or Path(tempfile.mkdtemp()) / "bench.db")
    url = f"sqlite:///{db}"
    os.environ.setdefault("RBA_CACHE_DIR", tempfile.mkdtemp(prefix="rba-bench-cache-"))
    if not db.exists():
        start = time.perf_counter()
        counts = load(url, args.rows)
        print(f"loaded {counts} in {time.perf_counter() - start:.1f} s ({db})")
    cb = time_callback(url, args.n)
    print(f"indicator page update ({cb['indicator']}, {cb['series']} series), ms over "
          f"{args.n} calls each:")
    print(f"  its figures changed before each call p50 {cb['changed_p50']:7.1f}  "
          f"p95 {cb['changed_p95']:7.1f}")
    print(f"  a write elsewhere before each call   p50 {cb['cold_p50']:7.1f}  "
          f"p95 {cb['cold_p95']:7.1f}")
    print(f"  first update after the page is drawn p50 {cb['first_p50']:7.1f}  "
          f"p95 {cb['first_p95']:7.1f}")
    print(f"  cached                               p50 {cb['cached_p50']:7.1f}  "
          f"p95 {cb['cached_p95']:7.1f}   (target p95 < 100 ms)")
    print(f"  floor (one SQL count) p50 {cb['floor_p50']:.2f}  p95 {cb['floor_p95']:.2f}")
    for name in ("changed", "cold", "first", "cached"):
        print(f"  ratio {name} p95 / floor p95: {cb[name + '_p95'] / cb['floor_p95']:.1f}x")
    if Path("/usr/bin/chromium").exists():
        sc = time_scorecard(url, args.runs)
        print(f"scorecard in headless Chromium, s: p50 {sc['scorecard_p50']:.2f}  max "
              f"{sc['scorecard_max']:.2f}   (target < 1.5 s)")
        print(f"  first visit after a write (draws it; `rba serve` warms this in the "
              f"background): {sc['first_visit']:.2f}")
        print(f"  floor (plain page load) p50 {sc['floor_p50']:.3f}; ratio "
              f"{sc['scorecard_p50'] / sc['floor_p50']:.1f}x")
    else:
        print("scorecard: /usr/bin/chromium not found; skipped")


if __name__ == "__main__":
    main()
