"""The simulated targets of one indicator, set from its latest simulated figures."""

from __future__ import annotations

from sample_cells import tenths_text
from sample_model import IndicatorModel, Simulation
from sample_sheets import DIMENSION_COLUMNS, Figure, Row


def targets_for(indicator: Row, model: IndicatorModel, observations: list[Figure],
                sim: Simulation) -> list[Figure]:
    """The interim and final targets of the total, then any equity targets."""
    if not observations:
        return []
    code, unit, frequency = indicator["code"], indicator["unit"], indicator["frequency"]
    interim_period, final_period = sim.target_periods[frequency]
    rows = []
    if model.target is not None:
        plan = model.target
        for period, change, label in zip((interim_period, final_period),
                                         (plan.interim, plan.final),
                                         ("Interim target", "Target"), strict=True):
            # a quarterly series is compared with the same quarter, so seasons do not count
            base = (latest_same_quarter(observations, int(period[-1])) if frequency == "quarter"
                    else latest_value(observations))
            rows.append(target_row(code, period, target_value(base, change, unit),
                                   f"{label}. {plan.rationale}"))
    for equity in model.equity_target:
        if equity.dimension not in DIMENSION_COLUMNS:
            raise ValueError(f"simulation.toml: [indicator.{code}] equity_target: dimension "
                             f"should be one of {', '.join(DIMENSION_COLUMNS)}")
        base = latest_value(observations, equity.dimension, equity.group)
        row = target_row(code, final_period, f"{round(base + equity.change):.1f}",
                         f"Equity target. {equity.rationale}")
        row[equity.dimension] = equity.group
        rows.append(row)
    return rows


def target_value(base: float, change: float, unit: str) -> str:
    """The target: counts change by a share, rounded to tens; others to the nearest half."""
    if unit == "count":
        return str(int(round(base * (1 + change), -1)))
    value = tenths_text(int(round((base + change) * 2)) * 5)
    if unit == "percent":
        value = f"{min(float(value), 99.0):.1f}"
    return value


def target_row(code: str, period: str, value: str, rationale: str) -> Figure:
    return dict(indicator=code, period=period, value=value, rationale=rationale,
                student_group="", city="")


def latest_value(rows: list[Figure], dimension: str | None = None,
                 group: str | None = None) -> float:
    """The latest value of the total, or of one city or group when given."""
    if dimension is None:
        chosen = [r for r in rows if r["student_group"] == "" and r["city"] == ""]
    else:
        chosen = [r for r in rows if r[dimension] == group]
    return float([r for r in chosen if r["value"] != ""][-1]["value"])


def latest_same_quarter(rows: list[Figure], quarter: int) -> float:
    """The latest value of the total in the given quarter (1-4)."""
    same = [r for r in rows if r["student_group"] == "" and r["city"] == ""
            and str(r["period"]).endswith(f"Q{quarter}") and r["value"] != ""]
    return float(same[-1]["value"])
