"""Turn-the-curve records: save a new version (audited) and list an indicator's versions.

A record is never overwritten: every save adds a version, and writes one audit event
(entity "story", id ``"{code}#{version}"``) whose new value is the record in workbook terms,
exactly as an import of the ``stories`` sheet writes it (rba.store.writes), so replaying the
audit trail (rba.store.replay) still gives the store's content.

A version saved from the dashboard is a **draft** (seen by the indicator's team,
coordinators and admins) or **published** (public), with who published it; public readers
see the latest published version only. The review is audited as entity "story_review"
(same id): {status, reviewed_by}, written with the save and again when a draft is published.
A version imported from a workbook is published, with no reviewer, and has no such event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.messages import N_, Message
from rba.models import Indicator, Result, ResultTeam, TurnTheCurveRecord
from rba.refusals import Refusal
from rba.sheets import text_problem
from rba.store.audit import new_batch, record_events

STORY_FIELDS = ("story_behind_the_curve", "partners", "what_works", "action_plan")
STATUSES = ("draft", "published")
#: The eight text fields of a record: each of STORY_FIELDS in English and Spanish.
TEXT_FIELDS = tuple(f for name in STORY_FIELDS for f in (name, f"{name}_es"))


class StoryError(Refusal):
    """A record that cannot be saved; the message says why."""


def _clean(text: object) -> str | None:
    """A field as stored: stripped text, None when blank."""
    if text is None:
        return None
    value = str(text).replace("\r\n", "\n").strip()
    return value or None


def save_story(*, session: Session, code: str, fields: dict[str, Any], actor: str,
               source: str = "form", at: datetime | None = None,
               status: str = "published") -> dict[str, Any]:
    """Save the turn-the-curve record of indicator ``code`` as its next version; audited.

    ``status`` "draft" keeps it from the public; "published" publishes it, ``actor`` as
    its reviewer (the caller checks that the actor may publish).

    ``fields`` holds any of TEXT_FIELDS (others are ignored; blanks are stored as None).
    Returns the saved record (indicator, the fields, version, saved_by, saved_at).
    Raises StoryError for an unknown indicator or a record with every field blank.
    """
    indicator_id = session.scalar(sa.select(Indicator.id).where(Indicator.code == code))
    if indicator_id is None:
        raise StoryError(Message(N_("no indicator {code!r}"), code=code))
    values = {f: _clean(fields.get(f)) for f in TEXT_FIELDS}
    for name, value in values.items():
        problem = None if value is None else text_problem(value)
        if problem is not None:
            raise StoryError(Message(N_("{field}: {problem}"), field=name, problem=problem))
    if status not in STATUSES:
        raise StoryError(Message(N_("status {status!r}: expected draft or published"),
                                 status=status))
    if not any(values.values()):
        raise StoryError(Message(N_("every field is blank: write at least the story behind "
                                   "the curve")))
    batch = new_batch(session=session, actor=actor, source=source,
                      description=f"turn-the-curve record of {code}", at=at)
    latest = session.scalar(sa.select(sa.func.max(TurnTheCurveRecord.version)).where(
        TurnTheCurveRecord.indicator_id == indicator_id)) or 0
    saved_at = batch.started_at
    reviewer = actor if status == "published" else None
    session.add(TurnTheCurveRecord(indicator_id=indicator_id, version=latest + 1,
                                   saved_by=actor, saved_at=saved_at, status=status,
                                   reviewed_by=reviewer,
                                   reviewed_at=saved_at if reviewer else None, **values))
    session.flush()
    # The same shape rba.store.imports.apply._apply_stories audits (dates as ISO days).
    saved = {"indicator": code, **values, "saved_by": actor,
             "saved_at": saved_at.date().isoformat()}
    record_events(session=session, batch=batch, entity="story", changes=[
        ("create", f"{code}#{latest + 1}", None, saved)])
    record_events(session=session, batch=batch, entity="story_review", changes=[
        ("create", f"{code}#{latest + 1}", None,
         {"status": status, "reviewed_by": reviewer})])
    return {**values, "indicator": code, "version": latest + 1, "saved_by": actor,
            "saved_at": saved_at, "status": status, "reviewed_by": reviewer,
            "reviewed_at": saved_at if reviewer else None}


def publish_story(*, session: Session, code: str, version: int, actor: str,
                  source: str = "form", at: datetime | None = None) -> dict[str, Any]:
    """Publish a draft version of the indicator's record, ``actor`` as its reviewer; audited.

    Raises StoryError when there is no such version or it is already published.
    """
    record = session.scalar(
        sa.select(TurnTheCurveRecord).join(Indicator)
        .where(Indicator.code == code, TurnTheCurveRecord.version == version))
    if record is None:
        raise StoryError(Message(N_("{code} has no version {version} of its record"),
                                 code=code, version=version))
    if record.status == "published":
        raise StoryError(Message(N_("version {version} of {code}'s record is already "
                                    "published"), code=code, version=version))
    batch = new_batch(session=session, actor=actor, source=source,
                      description=f"publish the turn-the-curve record of {code}", at=at)
    record.status, record.reviewed_by, record.reviewed_at = "published", actor, \
        batch.started_at
    record_events(session=session, batch=batch, entity="story_review", changes=[
        ("update", f"{code}#{version}", {"status": "draft", "reviewed_by": None},
         {"status": "published", "reviewed_by": actor})])
    session.flush()
    return _as_dict(code, record)


def _as_dict(code: str, r: TurnTheCurveRecord) -> dict[str, Any]:
    return {"indicator": code, **{f: getattr(r, f) for f in TEXT_FIELDS},
            "version": r.version, "saved_by": r.saved_by, "saved_at": r.saved_at,
            "status": r.status, "reviewed_by": r.reviewed_by, "reviewed_at": r.reviewed_at}


def story_versions(*, session: Session, code: str, drafts: bool = False
                   ) -> list[dict[str, Any]]:
    """The saved versions of the indicator's record, newest first (empty if none): the
    published ones, and with ``drafts`` the drafts too (for its team and editors only)."""
    query = (sa.select(TurnTheCurveRecord).join(Indicator).where(Indicator.code == code)
             .order_by(TurnTheCurveRecord.version.desc()))
    if not drafts:
        query = query.where(TurnTheCurveRecord.status == "published")
    return [_as_dict(code, r) for r in session.scalars(query)]


def latest_story(*, session: Session, code: str) -> dict[str, Any] | None:
    """The latest published turn-the-curve record of an indicator, as a dict, or None."""
    record = session.scalar(
        sa.select(TurnTheCurveRecord).join(Indicator)
        .where(Indicator.code == code, TurnTheCurveRecord.status == "published")
        .order_by(TurnTheCurveRecord.version.desc()).limit(1))
    return None if record is None else _as_dict(code, record)


def story_reviews(*, session: Session) -> dict[str, dict[str, Any]]:
    """Every version's review as the audit trail records it ("code#version" -> status,
    reviewed_by): drafts, and versions published by a reviewer (imports have none)."""
    query = sa.select(TurnTheCurveRecord.version, TurnTheCurveRecord.status,
                      TurnTheCurveRecord.reviewed_by, Indicator.code).join(Indicator).where(
        sa.or_(TurnTheCurveRecord.status != "published",
               TurnTheCurveRecord.reviewed_by.is_not(None)))
    return {f"{code}#{version}": {"status": status, "reviewed_by": reviewer}
            for version, status, reviewer, code in session.execute(query)}


def indicator_team(*, session: Session, code: str) -> str | None:
    """The slug of the result team owning the indicator's result (None if none or unknown)."""
    return session.scalar(
        sa.select(ResultTeam.slug).select_from(Indicator).join(Result)
        .join(ResultTeam, Result.team_id == ResultTeam.id).where(Indicator.code == code))


def latest_stories(*, session: Session) -> pd.DataFrame:
    """The latest published turn-the-curve record of every indicator that has one (drafts
    are the team's, not the public's): indicator, TEXT_FIELDS, version, saved_at. Who saved
    it is left out: public documents say which result team's record it is, never a person."""
    latest = (sa.select(TurnTheCurveRecord.indicator_id,
                        sa.func.max(TurnTheCurveRecord.version).label("version"))
              .where(TurnTheCurveRecord.status == "published")
              .group_by(TurnTheCurveRecord.indicator_id).subquery())
    query = (sa.select(Indicator.code, *(getattr(TurnTheCurveRecord, f) for f in TEXT_FIELDS),
                       TurnTheCurveRecord.version, TurnTheCurveRecord.saved_at)
             .join(Indicator, TurnTheCurveRecord.indicator_id == Indicator.id)
             .join(latest, (latest.c.indicator_id == TurnTheCurveRecord.indicator_id)
                   & (latest.c.version == TurnTheCurveRecord.version))
             .order_by(Indicator.code))
    return pd.DataFrame(session.execute(query).all(),
                        columns=["indicator", *TEXT_FIELDS, "version", "saved_at"])
