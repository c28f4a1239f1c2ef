"""Targets proposed by result teams and decided by coordinators; all audited.

A proposal is checked with the import's rules when it is made (so a team hears at once
that a group or value is wrong), and an accepted proposal becomes a target through the
ordinary import path (same checks, same audit), so a proposed target is never written
around the rules. The CLI (`rba targets`) and the dashboard's /targets page call these.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from rba.dimensions import dimension_key, parse_dimension_key
from rba.messages import N_, Message, joined
from rba.models import Role, TargetProposal
from rba.periods import PeriodError, parse_period
from rba.services import imports
from rba.services.curves import CurveError, indicator_curve
from rba.store import catalogue
from rba.store import proposals as store
from rba.store.proposals import ProposalError

__all__ = ["ProposalError", "decide_proposal", "proposable_indicators", "proposals",
           "propose_target", "target_context", "target_groups"]

EDITORS = (Role.admin, Role.coordinator)
#: What an accepted proposal's problems name as their file.
PROPOSAL = Message(N_("proposal"))
#: Several reasons in one refusal, as "a; b; c".
EACH = N_("{first}; {rest}")


def _refusal(problems: list[Message]) -> ProposalError:
    return ProposalError(joined(EACH, problems))


def _target_row(code: str, period: str, value: float, rationale: str | None,
                groups: dict[str, str]) -> dict[str, object]:
    """A target as a row of the targets sheet, as an import would read it."""
    return {"indicator": code, "period": period, "value": repr(value),
            "rationale": rationale or "", **groups}


def propose_target(*, session: Session, code: str, period: str, value: float, actor: str,
                   rationale: str | None = None, groups: dict[str, str] | None = None,
                   source: str = "form") -> TargetProposal:
    """A team member (of the indicator's team), coordinator or admin proposes a target."""
    user = store.active_user(session=session, email=actor)
    indicator, team_id = store.indicator_and_team(session=session, code=code)
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
    plan = imports.plan_records(session=session, file="proposal", sheet="targets", records=[
        _target_row(code, label, float(value), rationale, groups or {})])
    if plan.problems:
        raise _refusal([p.in_column for p in plan.problems])
    return store.add_proposal(session=session, indicator=indicator, period=label,
                              dimensions=dimension_key(groups or {}), value=float(value),
                              rationale=rationale, proposed_by=user.email, source=source)


def decide_proposal(*, session: Session, proposal_id: int, accept: bool, actor: str,
                    reason: str | None = None, source: str = "form") -> str | None:
    """Accept (write the target, as an import would) or decline; return the target's batch.

    ``reason`` (why) is kept with the decision and in the audit trail.
    """
    user = store.active_user(session=session, email=actor)
    if user.role not in EDITORS:
        raise ProposalError(Message(N_("{email} may not decide proposals: coordinators and "
                                       "admins do"), email=user.email))
    proposal, code = store.open_proposal(session=session, proposal_id=proposal_id)
    target_batch = None
    if accept:
        plan = imports.plan_records(session=session, file=PROPOSAL, sheet="targets", records=[
            _target_row(code, proposal.period, proposal.value, proposal.rationale,
                        parse_dimension_key(proposal.dimensions))])
        if plan.problems:
            raise _refusal([p.description for p in plan.problems])
        target_batch = imports.apply(session=session, plan=plan, actor=user.email,
                                     source=source,
                                     description=f"accept proposal {proposal_id}")
    store.record_decision(session=session, proposal=proposal, code=code, accept=accept,
                          decided_by=user.email, reason=reason, source=source)
    return target_batch


def proposals(*, session: Session, status: str | None = None,
              proposed_by: str | None = None) -> pd.DataFrame:
    """Target proposals (optionally of one status, or by one person), newest first, with
    the indicator's name and unit."""
    return store.proposals(session=session, status=status, proposed_by=proposed_by)


def proposable_indicators(*, session: Session, team: str | None = None) -> pd.DataFrame:
    """Indicators a target may be proposed for (all but the data development agenda), of
    one result team (by slug) or of all."""
    return store.proposable_indicators(session=session, team=team)


def target_groups(*, session: Session, code: str) -> pd.DataFrame:
    """The groups a target of this indicator may be for, with their keys and labels."""
    return store.target_groups(session=session, code=code)


#: How many forecast periods after the latest figure the target form shows.
FORECAST_SHOWN = 3


def target_context(*, session: Session, code: str, dimensions: str = "{}"
                   ) -> dict[str, object] | None:
    """What a team weighs a target against, for one series of an indicator: its latest
    figure, the baseline's forecast for the next periods (agreed, or fitted now) and the
    targets already set; None when the series has no figures.

    Keys: latest_period, latest_value, unit, per, agreed (whether the forecast is the
    agreed baseline), forecast (rows of period, forecast, lower, upper) and targets (rows
    of period, value).
    """
    try:
        curve = indicator_curve(session=session, code=code,
                                where=parse_dimension_key(dimensions))
    except (CurveError, ValueError):
        return None
    rows = curve.rows[curve.rows["series"].str.endswith(":" + dimensions)]
    if rows.empty or curve.summary.empty:
        return None
    summary = curve.summary[curve.summary["dimensions"] == dimensions]
    if summary.empty or pd.isna(summary.iloc[0]["latest_value"]):
        return None
    about = summary.iloc[0]
    rows = rows.sort_values("ordinal")
    latest = rows.loc[rows["period"] == about["latest_period"], "ordinal"].iloc[0]
    ahead = rows[(rows["ordinal"] > latest) & rows["forecast"].notna()].head(FORECAST_SHOWN)
    targets = rows[rows["target"].notna()]
    return {
        "latest_period": about["latest_period"],
        "latest_value": float(about["latest_value"]),
        "unit": about["unit"],
        "per": (catalogue.indicator_record(session=session, code=code, published_only=False)
                or {}).get("per"),
        "agreed": "frozen" in tuple(about["notes"] or ()),
        "forecast": ahead[["period", "forecast", "forecast_lower", "forecast_upper"]]
        .rename(columns={"forecast_lower": "lower", "forecast_upper": "upper"})
        .to_dict("records"),
        "targets": targets[["period", "target"]].rename(columns={"target": "value"})
        .to_dict("records"),
    }
