"""Target proposals: a result team proposes, a coordinator or admin decides; all audited.

A proposal is checked with the import's rules when it is made (so a team hears at once
that a group or value is wrong), and an accepted proposal becomes a target through the
ordinary import path (same checks, same audit), so a proposed target is never written
around the rules. The CLI (rba targets) and the dashboard's /targets page call these
functions.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.dimensions import dimension_key, parse_dimension_key, split_dimension_names
from rba.messages import N_, Message, joined
from rba.models import (
    Dimension,
    DimensionValue,
    Indicator,
    Result,
    Role,
    TargetProposal,
    User,
)
from rba.models.base import utcnow
from rba.periods import PeriodError, parse_period
from rba.store.audit import new_batch, record_events
from rba.store.queries import measured_indicators

EDITORS = (Role.admin, Role.coordinator)
#: What an accepted proposal's problems name as their file.
PROPOSAL = Message(N_("proposal"))


class ProposalError(ValueError):
    """A proposal or decision was refused; the message says why.

    ``detail`` is why as a `Message`, to be written in the reader's language; str() is the
    English.
    """

    def __init__(self, detail: Message) -> None:
        super().__init__(str(detail))
        self.detail = detail


#: Several reasons in one refusal, as "a; b; c".
EACH = N_("{first}; {rest}")


def _refusal(problems: list[Message]) -> ProposalError:
    return ProposalError(joined(EACH, problems))


def _user(session: Session, email: str) -> User:
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


def _target_problems(session: Session, code: str, period: str, value: float,
                     rationale: str | None, groups: dict[str, str], file: str
                     ) -> list[Message]:
    """What the import would refuse in this target, each as "column: what is wrong"."""
    from rba.ingest import plan_sheets
    from rba.workbook.read import sheet_from_records

    row: dict[str, object] = {"indicator": code, "period": period, "value": repr(value),
                              "rationale": rationale or "", **groups}
    plan = plan_sheets(session, [sheet_from_records("proposal", "targets", [row])], file=file)
    return [p.in_column for p in plan.problems]


def propose_target(*, session: Session, code: str, period: str, value: float, actor: str,
                   rationale: str | None = None, groups: dict[str, str] | None = None,
                   source: str = "form") -> TargetProposal:
    """A team member (of the indicator's team), coordinator or admin proposes a target."""
    user = _user(session, actor)
    indicator, team_id = session.execute(
        sa.select(Indicator, Result.team_id).join(Result, Indicator.result_id == Result.id)
        .where(Indicator.code == code)).one_or_none() or (None, None)
    if indicator is None:
        raise ProposalError(Message(N_("no indicator {code!r}"), code=code))
    if user.role not in EDITORS and not (user.role == Role.team_member
                                         and user.team_id == team_id):
        raise ProposalError(Message(N_("{email} may not propose targets for {code}: only its "
                                       "result team, coordinators and admins may"),
                                    email=user.email, code=code))
    try:
        label = parse_period(period, indicator.frequency.value).label
    except PeriodError as exc:
        raise ProposalError(exc.detail) from exc
    if indicator.unit.value == "percent" and not 0 <= value <= 100:
        raise ProposalError(Message(N_("{value:g} is not a percent between 0 and 100"),
                                    value=value))
    problems = _target_problems(session, code, label, float(value), rationale, groups or {},
                                file=f"proposal for {code}")
    if problems:
        raise _refusal(problems)
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
                    reason: str | None = None, source: str = "form") -> str | None:
    """Accept (write the target, as an import would) or decline; return the target's batch.

    ``reason`` (why) is kept with the decision and in the audit trail.
    """
    from rba.ingest import plan_sheets
    from rba.store.writes import apply_plan
    from rba.workbook.read import sheet_from_records

    user = _user(session, actor)
    if user.role not in EDITORS:
        raise ProposalError(Message(N_("{email} may not decide proposals: coordinators and "
                                       "admins do"), email=user.email))
    proposal = session.get(TargetProposal, proposal_id)
    if proposal is None or proposal.status != "proposed":
        raise ProposalError(Message(N_("no open proposal {number}"), number=proposal_id))
    code = session.scalar(sa.select(Indicator.code).where(Indicator.id == proposal.indicator_id))
    old = record(proposal, str(code))
    target_batch = None
    if accept:
        groups = parse_dimension_key(proposal.dimensions)
        row: dict[str, object] = {
            "indicator": code, "period": proposal.period, "value": repr(proposal.value),
            "rationale": proposal.rationale or "", **groups}
        plan = plan_sheets(session, [sheet_from_records(PROPOSAL, "targets", [row])],
                           file=f"proposal {proposal_id}")
        if plan.problems:
            raise _refusal([p.description for p in plan.problems])
        target_batch = apply_plan(session, plan, actor=user.email, source=source,
                                  description=f"accept proposal {proposal_id}")
    proposal.status = "accepted" if accept else "declined"
    proposal.decided_by, proposal.decided_at = user.email, utcnow()
    proposal.decision_reason = (reason or "").strip() or None
    session.flush()
    batch = new_batch(session, actor=user.email, source=source,
                      description=f"{proposal.status} proposal {proposal_id}")
    record_events(session, batch, "target_proposal", [
        ("update", f"{code}#{proposal.id}", old, record(proposal, str(code)))])
    return target_batch


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


def proposal_records(session: Session) -> dict[str, dict[str, Any]]:
    """Every proposal as the audit trail records it, by its audit entity id."""
    frame = proposals(session=session)
    return {f"{r['indicator']}#{r['id']}": {k: r[k] for k in (
        "indicator", "period", "dimensions", "value", "rationale", "status", "proposed_by",
        "decided_by", "reason")} for r in frame.to_dict("records")}
