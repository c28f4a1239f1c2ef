"""The verdict: is a series doing better than its baseline said it would?

One answer per series, the same on every page and in every file. A *judged figure* is an
actual after the baseline's history that has a baseline value for its period; its status
(better, on, worse) is read against the baseline's prediction band after polarity
(`status.status_codes`). The verdict is the status of the series' latest judged figure, and
`verdict_periods` how many judged figures in a row, back from it, share that status.

The baseline is the agreed (frozen) one where there is one (basis ``agreed``). Where none is
agreed, it is a forecast fitted now (basis ``fitted_now``): the series' own method fitted on
every figure before the latest one, judging the latest figure only (or, where the caller
set an earlier end of history, the figures after it). Otherwise:

- ``no_baseline``: none is agreed and none can be fitted (fewer than three figures before
  the latest);
- ``not_enough_data``: a baseline but no figure to judge against it (no figures at all, or
  none after the agreed baseline's history within its forecast).
"""

from __future__ import annotations

import numpy as np

from rba.calc.groupwise import run_bounds

VERDICTS = ("better_than_baseline", "on_baseline", "worse_than_baseline", "no_baseline",
            "not_enough_data")
BETTER, ON, WORSE, NO_BASELINE, NOT_ENOUGH_DATA = range(len(VERDICTS))
BASES = ("agreed", "fitted_now")
AGREED, FITTED_NOW = range(len(BASES))
#: Figures before the latest one that a baseline fitted now needs (one less leaves no band).
MIN_FIGURES_TO_FIT_NOW = 3


def latest_runs(code: np.ndarray, status: np.ndarray, ordinal: np.ndarray, n: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per series: latest judged status (-1: none), its run length and its ordinal (NaN).

    `code`, `status` and `ordinal` hold the judged figures sorted by (series, ordinal).
    """
    starts, counts = run_bounds(code, n)
    has = counts > 0
    last = np.maximum(starts + counts - 1, 0)
    new_run = np.ones(len(code), dtype=bool)
    new_run[1:] = (status[1:] != status[:-1]) | (code[1:] != code[:-1])
    run_start = np.maximum.accumulate(np.where(new_run, np.arange(len(code)), 0))
    if not len(code):
        return np.full(n, -1, np.int8), np.zeros(n, np.int64), np.full(n, np.nan)
    latest = np.where(has, status[last], -1).astype(np.int8)
    periods = np.where(has, last - run_start[last] + 1, 0).astype(np.int64)
    return latest, periods, np.where(has, ordinal[last], np.nan)


def verdict_codes(latest_status: np.ndarray, agreed: np.ndarray, can_fit: np.ndarray,
                  has_figures: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index into VERDICTS and into BASES (-1: no basis) per series.

    `latest_status` indexes status.STATUSES (better, within, worse; -1 none judged), whose
    order VERDICTS' first three follow.
    """
    judged = latest_status >= 0
    verdict = np.where(judged, latest_status,
                       np.where(agreed | can_fit | ~has_figures, NOT_ENOUGH_DATA,
                                NO_BASELINE))
    basis = np.where(agreed, AGREED, np.where(judged | can_fit, FITTED_NOW, -1))
    return verdict.astype(np.int8), basis.astype(np.int8)
