"""Outliers: a new value outside the range its own series leads one to expect must carry a
note to be accepted, and is flagged.

The range (rba.calc.expected): the 99% prediction interval of the series' `auto` forecast
(season and trend) fitted on the figures before the new one's period; for a history too
short or broken for that, the 99% prediction interval of the straight line through them. The
message says the range, what it came from and the value, in the reader's language.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from rba.calc.expected import LEVEL, expected_ranges
from rba.ingest.records import ProblemList
from rba.messages import N_, Message
from rba.periods import PERIODS_PER_YEAR, PeriodError, period_from_ordinal, period_ordinals
from rba.plan import SheetPlan

KEY = ["owner", "dimensions"]
_CHECK = N_("check it, or explain it in the note column to accept it")


def shown(number: float, width: float) -> str:
    """A bound written to three significant figures of the range's width (e.g. 3610, 45.7)."""
    if not math.isfinite(width) or width <= 0:
        return f"{number:g}"
    decimals = 2 - math.floor(math.log10(width))
    return f"{round(number, decimals):.{max(decimals, 0)}f}"


def _series(frame: pd.DataFrame) -> pd.Series:
    return frame["owner"].astype(str) + "\x1f" + frame["dimensions"].astype(str)


def _ordinals(frame: pd.DataFrame, frequencies: pd.Series) -> pd.Series:
    return period_ordinals(frame["period"], frame["owner"].map(frequencies))


def why(value: float, row: pd.Series, frequency: str) -> Message:
    """What was expected and why, for a value outside its range."""
    width = float(row["upper"] - row["lower"])
    first = period_from_ordinal(frequency, int(row["first"])).label
    last = period_from_ordinal(frequency, int(row["last"])).label
    values = {"value": f"{value:g}", "lower": shown(float(row["lower"]), width),
              "upper": shown(float(row["upper"]), width), "first": first, "last": last,
              "level": f"{LEVEL * 100:g}", "check": Message(_CHECK)}
    if row["basis"] == "trend":
        return Message(N_("expected between {lower} and {upper} from the straight line "
                          "through this series' figures {first} to {last} ({level}% "
                          "prediction interval; too few figures in a row for a fuller "
                          "forecast); got {value}: {check}"), **values)
    template = N_("expected between {lower} and {upper} from this series' trend ({level}% "
                  "forecast interval from its figures {first} to {last}); got {value}: "
                  "{check}")
    if PERIODS_PER_YEAR[frequency] > 1:
        template = N_("expected between {lower} and {upper} from this series' seasonal "
                      "trend ({level}% forecast interval from its figures {first} to "
                      "{last}); got {value}: {check}")
    return Message(template, **values)


def flag_outliers(plan: SheetPlan, existing: pd.DataFrame, problems: ProblemList,
                  frequencies: pd.Series) -> None:
    """Mark outliers among added and changed values; reject those without a note.

    ``frequencies`` gives each owner's frequency (indexed by owner code).
    """
    frames = {n: f for n in ("added_frame", "changed_frame")
              if (f := getattr(plan, n)) is not None and len(f)}
    if not frames or existing.empty:
        for frame in frames.values():
            frame["outlier"] = False
        return
    new = pd.concat(frames.values(), keys=list(frames), names=["frame", "position"])
    batch = new[["owner", "period", "dimensions"]].drop_duplicates()
    history = existing.merge(batch, on=["owner", "period", "dimensions"], how="left",
                             indicator=True)
    history = history[(history["_merge"] == "left_only") & history["value"].notna()]
    try:
        history_ordinals, new_ordinals = (_ordinals(history, frequencies),
                                          _ordinals(new, frequencies))
    except PeriodError:  # stored under another frequency: nothing to judge against
        for frame in frames.values():
            frame["outlier"] = False
        return
    ranges = expected_ranges(
        pd.DataFrame({"series": _series(history), "ordinal": history_ordinals,
                      "value": history["value"].astype(float)}),
        pd.DataFrame({"series": _series(new).to_numpy(), "ordinal": new_ordinals.to_numpy(),
                      "periods_per_year": new["owner"].map(frequencies).map(PERIODS_PER_YEAR)
                      .to_numpy()}))
    ranges.index = new.index
    value = new["value"].astype(float)
    outside = ((value < ranges["lower"]) | (value > ranges["upper"])).fillna(False)
    for name, frame in frames.items():
        mine = ranges.loc[name]
        outlier = outside.loc[name].to_numpy(dtype=bool)
        noted = frame["note"].notna().to_numpy() if "note" in frame else np.zeros(len(frame), bool)
        bad = outlier & ~noted
        for position in np.flatnonzero(bad):
            row = frame.iloc[position]
            mask = pd.Series(problems.raw.cells.index == row["_row"],
                             index=problems.raw.cells.index)
            problems.cell(mask, "value", why(float(row["value"]), mine.iloc[position],
                                             str(frequencies[row["owner"]])))
        plan.rejected += int(bad.sum())
        kept = frame[~bad].copy()
        kept["outlier"] = outlier[~bad]
        setattr(plan, name, kept)
