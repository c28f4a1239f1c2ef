"""The simulated figures of one performance measure."""

from __future__ import annotations

from sample_cells import ratio_row
from sample_model import MeasureModel, Simulation
from sample_sheets import Figure, Row


def measure_observations(measure: Row, model: MeasureModel, sim: Simulation) -> list[Figure]:
    """One row per period: percents with numerator and denominator, others a plain value."""
    code, unit, frequency = measure["code"], measure["unit"], measure["frequency"]
    if unit == "percent" and model.den is None:
        raise ValueError(f"simulation.toml: [measure] {code} is a percent, so it needs "
                         "den = [first, last]")
    rng = sim.rng_for("measure:" + code)
    periods = sim.measure_periods[frequency]
    if model.since is not None:
        periods = periods[periods.index(model.since):]
    dip = sim.measure_pandemic
    start, end = model.path
    rows = []
    for t, p in enumerate(periods):
        frac = t / (len(periods) - 1)
        row: Figure = dict(measure=code, period=p, numerator="", denominator="",
                           status="provisional" if p == periods[-1] else "final",
                           note=dip.note if p == dip.period and unit == "count" else "")
        if unit == "percent" and model.den is not None:  # never None for a percent: checked above
            d0, d1 = model.den
            d = int(round(d0 + (d1 - d0) * frac + rng.normal(0, 0.03 * d0)))
            r = start + (end - start) * frac + rng.normal(0, 1.5)
            if p == dip.period:
                r += dip.percent_change
            k, d, row["value"] = ratio_row(int(round(r / 100 * d)), d, 100)
            row.update(numerator=k, denominator=d)
        else:
            x = start + (end - start) * frac
            if frequency == "quarter" and model.season:
                x *= model.season[int(p[-1]) - 1]
            if p == dip.period:
                x *= dip.multiplier
            x *= 1 + rng.normal(0, 0.04)
            row["value"] = str(int(round(x))) if unit in ("count", "currency") else f"{x:.1f}"
        rows.append(row)
    return rows
