"""Reject planned changes to locked periods; unchanged rows of a locked period are fine."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from rba.ingest.records import ProblemList
from rba.messages import N_, Message
from rba.plan import SheetPlan
from rba.store.locks import INDICATOR, MEASURE, locked


def reject_locked(session: Session, plan: SheetPlan, problems: ProblemList) -> None:
    """Move added or changed rows in a locked period out of the plan, as problems."""
    kind = MEASURE if plan.sheet.startswith("measure") else INDICATOR
    frames = [f for f in (plan.added_frame, plan.changed_frame) if f is not None and len(f)]
    if not frames:
        return
    owners = pd.concat(frames)["owner"].unique()
    locks = locked(session=session, owners=owners, kind=kind)
    if locks.empty:
        return
    for name in ("added_frame", "changed_frame"):
        frame = getattr(plan, name)
        hits = frame.merge(locks, on=["owner", "period"], how="left")["locked_by"].notna()
        hits.index = frame.index
        if not hits.any():
            continue
        info = frame[hits].merge(locks, on=["owner", "period"], how="left")
        for row, (_, lock) in zip(frame.loc[hits, "_row"], info.iterrows(), strict=True):
            mask = pd.Series(problems.raw.cells.index == row, index=problems.raw.cells.index)
            problems.cell(mask, "period", Message(
                N_("{code} {period} is locked (final since {date}, by {who}): an admin must "
                   "unlock it before it can change"),
                code=lock["owner"], period=lock["period"],
                date=f"{pd.Timestamp(lock['locked_at']):%Y-%m-%d}", who=lock["locked_by"]))
        plan.rejected += int(hits.sum())
        setattr(plan, name, frame[~hits])
