"""Target proposals: a result team proposes, a coordinator or admin decides; all audited.

An accepted proposal becomes a target through the ordinary import path (same checks, same
audit), so a proposed target is never written around the rules.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.dimensions import dimension_key, parse_dimension_key
from rba.models import Indicator, Result, Role, TargetProposal, User
from rba.models.base import utcnow
from rba.periods import PeriodError, parse_period
from rba.store.audit import new_batch, record_events

EDITORS = (Role.admin, Role.coordinator)


class ProposalError(ValueError):
    """A proposal or decision was refused; the message says why."""


def _user(session: Session, email: str) -> User:
    user = session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        raise ProposalError(f"{email} is not an active user")
    return user


def record(proposal: TargetProposal, code: str) -> dict[str, Any]:
    """What the audit trail records of a proposal."""
    return {"indicator": code, "period": proposal.period, "dimensions": proposal.dimensions,
            "value": proposal.value, "rationale": proposal.rationale,
            "status": proposal.status, "proposed_by": proposal.proposed_by,
            "decided_by": proposal.decided_by}


def propose_target(*, session: Session, code: str, period: str, value: float, actor: str,
                   rationale: str | None = None, groups: dict[str, str] | None = None,
                   source: str = "form") -> TargetProposal:
    """A team member (of the indicator's team), coordinator or admin proposes a target."""
    user = _user(session, actor)
    indicator, team_id = session.execute(
        sa.select(Indicator, Result.team_id).join(Result, Indicator.result_id == Result.id)
        .where(Indicator.code == code)).one_or_none() or (None, None)
    if indicator is None:
        raise ProposalError(f"no indicator {code!r}")
    if user.role not in EDITORS and not (user.role == Role.team_member
                                         and user.team_id == team_id):
        raise ProposalError(f"{user.email} may not propose targets for {code}: only its "
                            "result team, coordinators and admins may")
    try:
        label = parse_period(period, indicator.frequency.value).label
    except PeriodError as exc:
        raise ProposalError(str(exc)) from exc
    if indicator.unit.value == "percent" and not 0 <= value <= 100:
        raise ProposalError(f"{value:g} is not a percent between 0 and 100")
    proposal = TargetProposal(indicator_id=indicator.id, period=label,
                              dimensions=dimension_key(groups or {}), value=float(value),
                              rationale=rationale, status="proposed", proposed_by=user.email)
    session.add(proposal)
    session.flush()
    batch = new_batch(session, actor=user.email, source=source,
                      description=f"propose target {code} {label}")
    record_events(session, batch, "target_proposal", [
        ("create", f"{code}#{proposal.id}", None, record(proposal, code))])
    return proposal


def decide_proposal(*, session: Session, proposal_id: int, accept: bool, actor: str,
                    source: str = "form") -> str | None:
    """Accept (write the target, as an import would) or decline; return the target's batch."""
    from rba.ingest import plan_sheets
    from rba.store.writes import apply_plan
    from rba.workbook.read import sheet_from_records

    user = _user(session, actor)
    if user.role not in EDITORS:
        raise ProposalError(f"{user.email} may not decide proposals: coordinators and admins do")
    proposal = session.get(TargetProposal, proposal_id)
    if proposal is None or proposal.status != "proposed":
        raise ProposalError(f"no open proposal {proposal_id}")
    code = session.scalar(sa.select(Indicator.code).where(Indicator.id == proposal.indicator_id))
    old = record(proposal, str(code))
    target_batch = None
    if accept:
        groups = parse_dimension_key(proposal.dimensions)
        row: dict[str, object] = {
            "indicator": code, "period": proposal.period, "value": repr(proposal.value),
            "rationale": proposal.rationale or "", **groups}
        plan = plan_sheets(session, [sheet_from_records("proposal", "targets", [row])],
                           file=f"proposal {proposal_id}")
        if plan.problems:
            raise ProposalError("; ".join(str(p) for p in plan.problems))
        target_batch = apply_plan(session, plan, actor=user.email, source=source,
                                  description=f"accept proposal {proposal_id}")
    proposal.status = "accepted" if accept else "declined"
    proposal.decided_by, proposal.decided_at = user.email, utcnow()
    session.flush()
    batch = new_batch(session, actor=user.email, source=source,
                      description=f"{proposal.status} proposal {proposal_id}")
    record_events(session, batch, "target_proposal", [
        ("update", f"{code}#{proposal.id}", old, record(proposal, str(code)))])
    return target_batch


def proposals(*, session: Session, status: str | None = None) -> pd.DataFrame:
    """Target proposals (optionally of one status), newest first."""
    query = sa.select(TargetProposal, Indicator.code).join(
        Indicator, TargetProposal.indicator_id == Indicator.id).order_by(
        TargetProposal.proposed_at.desc(), TargetProposal.id.desc())
    if status is not None:
        query = query.where(TargetProposal.status == status)
    rows = [{"id": p.id, **record(p, code), "proposed_at": p.proposed_at}
            for p, code in session.execute(query)]
    return pd.DataFrame(rows, columns=["id", "indicator", "period", "dimensions", "value",
                                       "rationale", "status", "proposed_by", "decided_by",
                                       "proposed_at"])


def proposal_records(session: Session) -> dict[str, dict[str, Any]]:
    """Every proposal as the audit trail records it, by its audit entity id."""
    frame = proposals(session=session)
    return {f"{r['indicator']}#{r['id']}": {k: r[k] for k in (
        "indicator", "period", "dimensions", "value", "rationale", "status", "proposed_by",
        "decided_by")} for r in frame.to_dict("records")}
