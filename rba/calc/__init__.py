"""Pure turn-the-curve calculations over whole frames of series (no I/O, no clock).

Start with `compute_curves`: one call gives every series' curve rows (actual, baseline
forecast and interval, target, turn-the-curve status) and a summary row per series (trend,
baseline % change, target variance and band, progress status, notes). The other functions
are the same definitions one at a time, for the CLI and dashboards.
"""

from rba.calc.baseline import frozen_baseline
from rba.calc.curves import ROW_COLUMNS, compute_curves
from rba.calc.equity import equity_gaps, gap_trends
from rba.calc.forecast import METHODS
from rba.calc.freshness import freshness
from rba.calc.impact import impact_scores
from rba.calc.inputs import CurveInputs
from rba.calc.rollup import (
    RollUpRefused,
    count_discrepancies,
    roll_up_refusals,
    rolled_up,
    rolled_up_levels,
    rolled_up_totals,
)
from rba.calc.series import InputError
from rba.calc.status import STATUSES, turn_the_curve_status
from rba.calc.summary import SUMMARY_COLUMNS
from rba.calc.targets import (
    BANDS,
    PROGRESS,
    baseline_pct_change,
    percent_of_target,
    progress_status,
    target_band,
    variance_from_target,
)
from rba.calc.trend import DIRECTIONS, current_trend

__all__ = [
    "BANDS", "DIRECTIONS", "METHODS", "PROGRESS", "ROW_COLUMNS", "STATUSES", "SUMMARY_COLUMNS",
    "CurveInputs", "InputError", "RollUpRefused", "baseline_pct_change", "compute_curves",
    "count_discrepancies", "current_trend", "equity_gaps", "freshness", "frozen_baseline",
    "gap_trends", "impact_scores", "percent_of_target", "progress_status", "roll_up_refusals",
    "rolled_up", "rolled_up_levels", "rolled_up_totals", "target_band", "turn_the_curve_status",
    "variance_from_target",
]
