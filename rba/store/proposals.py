"""Target proposals: stored, decided and listed; every write audited.

Who may propose or decide, and the import's checks a proposal goes through, are
rba.services.targets' to apply; this module keeps the records.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.dimensions import dimension_key, split_dimension_names
from rba.messages import N_, Message
from rba.models import (
    Dimension,
    DimensionValue,
    Indicator,
    Result,
    TargetProposal,
    User,
)
from rba.models.base import utcnow
from rba.refusals import Refusal
from rba.sheets import text_problem
from rba.store.audit import new_batch, record_events
from rba.store.catalogue import measured_indicators


class ProposalError(Refusal):
    """A proposal or decision was refused; the message says why."""


def active_user(*, session: Session, email: str) -> User:
    """The active user with this email; refused when there is none."""
    user = session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        raise ProposalError(Message(N_("{email} is not an active user"), email=email))
    return user


def record(proposal: TargetProposal, code: str) -> dict[str, Any]:
    """What the audit trail records of a proposal."""
    return {"indicator": code, "period": proposal.period, "dimensions": proposal.dimensions,
            "value": proposal.value, "rationale": proposal.rationale,
            "status": proposal.status, "proposed_by": proposal.proposed_by,
            "decided_by": proposal.decided_by, "reason": proposal.decision_reason}


def indicator_and_team(*, session: Session, code: str) -> tuple[Indicator | None, int | None]:
    """The indicator with this code and its result's team id ((None, None): no indicator)."""
    found = session.execute(
        sa.select(Indicator, Result.team_id).join(Result, Indicator.result_id == Result.id)
        .where(Indicator.code == code)).one_or_none()
    return (None, None) if found is None else (found[0], found[1])


def add_proposal(*, session: Session, indicator: Indicator, period: str, dimensions: str,
                 value: float, rationale: str | None, proposed_by: str, source: str
                 ) -> TargetProposal:
    """Store a proposed target (already checked); audited as ``proposed_by``."""
    _check_text(rationale)
    proposal = TargetProposal(indicator_id=indicator.id, period=period, dimensions=dimensions,
                              value=float(value), rationale=rationale, status="proposed",
                              proposed_by=proposed_by)
    session.add(proposal)
    session.flush()
    batch = new_batch(session=session, actor=proposed_by, source=source,
                      description=f"propose target {indicator.code} {period}")
    record_events(session=session, batch=batch, entity="target_proposal", changes=[
        ("create", f"{indicator.code}#{proposal.id}", None, record(proposal, indicator.code))])
    return proposal


def _check_text(text: str | None) -> None:
    problem = None if text is None else text_problem(text)
    if problem is not None:
        raise ProposalError(problem)


def open_proposal(*, session: Session, proposal_id: int) -> tuple[TargetProposal, str]:
    """The proposal still waiting for a decision, and its indicator's code."""
    proposal = session.get(TargetProposal, proposal_id)
    if proposal is None or proposal.status != "proposed":
        raise ProposalError(Message(N_("no open proposal {number}"), number=proposal_id))
    code = session.scalar(sa.select(Indicator.code).where(Indicator.id == proposal.indicator_id))
    return proposal, str(code)


def record_decision(*, session: Session, proposal: TargetProposal, code: str, accept: bool,
                    decided_by: str, reason: str | None, source: str) -> None:
    """Mark a proposal accepted or declined, with who decided and why; audited."""
    _check_text(reason)
    old = record(proposal, code)
    proposal.status = "accepted" if accept else "declined"
    proposal.decided_by, proposal.decided_at = decided_by, utcnow()
    proposal.decision_reason = (reason or "").strip() or None
    session.flush()
    batch = new_batch(session=session, actor=decided_by, source=source,
                      description=f"{proposal.status} proposal {proposal.id}")
    record_events(session=session, batch=batch, entity="target_proposal", changes=[
        ("update", f"{code}#{proposal.id}", old, record(proposal, code))])


PROPOSAL_COLUMNS = ["id", "indicator", "period", "dimensions", "value", "rationale", "status",
                    "proposed_by", "decided_by", "reason", "proposed_at", "decided_at",
                    "name", "name_es", "unit", "per"]


def proposals(*, session: Session, status: str | None = None,
              proposed_by: str | None = None) -> pd.DataFrame:
    """Target proposals (optionally of one status, or by one person), newest first, with
    the indicator's name and unit."""
    query = sa.select(TargetProposal, Indicator.code, Indicator.name, Indicator.name_es,
                      Indicator.unit, Indicator.per).join(
        Indicator, TargetProposal.indicator_id == Indicator.id).order_by(
        TargetProposal.proposed_at.desc(), TargetProposal.id.desc())
    if status is not None:
        query = query.where(TargetProposal.status == status)
    if proposed_by is not None:
        query = query.where(TargetProposal.proposed_by == proposed_by.strip().lower())
    rows = [{"id": p.id, **record(p, code), "proposed_at": p.proposed_at,
             "decided_at": p.decided_at, "name": name, "name_es": name_es,
             "unit": getattr(unit, "value", unit), "per": per}
            for p, code, name, name_es, unit, per in session.execute(query)]
    return pd.DataFrame(rows, columns=PROPOSAL_COLUMNS)


def proposable_indicators(*, session: Session, team: str | None = None) -> pd.DataFrame:
    """Indicators a target may be proposed for (all but the data development agenda), of
    one result team (by slug) or of all: code, names, unit, per, frequency, dimensions."""
    query = measured_indicators(Indicator.code, Indicator.name, Indicator.name_es,
                                Indicator.unit, Indicator.per, Indicator.frequency,
                                Indicator.dimensions, team=team)
    frame = pd.DataFrame(session.execute(query).all(), columns=[
        "indicator", "name", "name_es", "unit", "per", "frequency", "dimensions"])
    for column in ("unit", "frequency"):
        frame[column] = frame[column].map(lambda v: getattr(v, "value", v))
    return frame


def target_groups(*, session: Session, code: str) -> pd.DataFrame:
    """The groups a target of this indicator may be for: each registered value of each
    dimension it declares, with its key (as proposals and targets store it) and labels."""
    declared = split_dimension_names(session.scalar(
        sa.select(Indicator.dimensions).where(Indicator.code == code)))
    rows = session.execute(sa.select(
        Dimension.name, Dimension.label, Dimension.label_es, DimensionValue.value,
        DimensionValue.label, DimensionValue.label_es).join(DimensionValue).where(
        Dimension.name.in_(declared)).order_by(
        Dimension.name, DimensionValue.display_order, DimensionValue.value)).all()
    frame = pd.DataFrame(rows, columns=["dimension", "dimension_label", "dimension_label_es",
                                        "value", "label", "label_es"])
    frame.insert(0, "key", [dimension_key({d: v}) for d, v in
                            zip(frame["dimension"], frame["value"], strict=True)])
    return frame


def proposal_records(*, session: Session) -> dict[str, dict[str, Any]]:
    """Every proposal as the audit trail records it, by its audit entity id."""
    frame = proposals(session=session)
    return {f"{r['indicator']}#{r['id']}": {k: r[k] for k in (
        "indicator", "period", "dimensions", "value", "rationale", "status", "proposed_by",
        "decided_by", "reason")} for r in frame.to_dict("records")}
