"""Team members propose targets; coordinators and admins decide; every step audited."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from factories import basic_workbook

from rba.ingest import plan_import
from rba.models import Target
from rba.services.targets import ProposalError, decide_proposal, proposals, propose_target
from rba.store import connect, session_scope
from rba.store.imports import apply_plan
from rba.store.people import add_user
from rba.store.replay import current_state, replayed

PASSWORD = "long enough password"


@pytest.fixture
def store(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    factory = connect(db_url)
    with session_scope(factory) as session:
        apply_plan(session=session, plan=plan_import(session, basic_workbook(tmp_path / "b.xlsx")),
                   actor="t")
        for email, role, team in [("member@x.org", "team_member", "academics"),
                                  ("other@x.org", "team_member", None),
                                  ("coord@x.org", "coordinator", None),
                                  ("viewer@x.org", "viewer", None)]:
            if team is None and role == "team_member":
                continue
            add_user(session=session, email=email, role=role, team=team, password=PASSWORD,
                     actor="t")
    yield factory
    factory.kw["bind"].dispose()


def test_member_proposes_and_coordinator_accepts(store) -> None:  # type: ignore[no-untyped-def]
    with session_scope(store) as session:
        proposal = propose_target(session=session, code="grad_rate", period="2027-28",
                                  value=90, actor="member@x.org", rationale="Board goal",
                                  groups={"city": "Pasadena"})
        pid = proposal.id
    with store() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Target)) == 0
    with session_scope(store) as session:
        batch = decide_proposal(session=session, proposal_id=pid, accept=True,
                                actor="coord@x.org")
    assert batch is not None
    with store() as session:
        target = session.scalars(sa.select(Target)).one()
        assert (target.period, target.value, target.dimensions, target.set_by) == (
            "2027-28", 90.0, '{"city":"Pasadena"}', "coord@x.org")
        table = proposals(session=session)
        assert table["status"].tolist() == ["accepted"]
        assert replayed(session=session) == current_state(session=session)


@pytest.mark.parametrize(("actor", "message"), [
    ("viewer@x.org", "may not propose"),
    ("nobody@x.org", "not an active user"),
])
def test_only_the_team_and_editors_propose(store, actor: str,  # type: ignore[no-untyped-def]
                                           message: str) -> None:
    with session_scope(store) as session, pytest.raises(ProposalError, match=message):
        propose_target(session=session, code="grad_rate", period="2027-28", value=90,
                       actor=actor)


def test_bad_periods_and_percents_are_refused(store) -> None:  # type: ignore[no-untyped-def]
    with session_scope(store) as session, pytest.raises(ProposalError, match="school year"):
        propose_target(session=session, code="grad_rate", period="2027", value=90,
                       actor="member@x.org")
    with session_scope(store) as session, pytest.raises(ProposalError, match="between 0"):
        propose_target(session=session, code="grad_rate", period="2027-28", value=190,
                       actor="member@x.org")


def test_members_cannot_decide_and_a_decline_writes_no_target(  # type: ignore[no-untyped-def]
        store) -> None:
    with session_scope(store) as session:
        pid = propose_target(session=session, code="absence", period="2026-27", value=8,
                             actor="member@x.org").id
    with session_scope(store) as session, pytest.raises(ProposalError, match="may not decide"):
        decide_proposal(session=session, proposal_id=pid, accept=True, actor="member@x.org")
    with session_scope(store) as session:
        assert decide_proposal(session=session, proposal_id=pid, accept=False,
                               actor="coord@x.org") is None
    with store() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Target)) == 0
        assert proposals(session=session)["status"].tolist() == ["declined"]
        assert replayed(session=session) == current_state(session=session)
    with session_scope(store) as session, pytest.raises(ProposalError, match="no open"):
        decide_proposal(session=session, proposal_id=pid, accept=True, actor="coord@x.org")


def test_proposals_through_the_cli(cli_env: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rba.cli import main

    env = {"RBA_PASSWORD": PASSWORD}
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(basic_workbook(tmp_path / "b.xlsx"))]).exit_code == 0
    for email, role in (("member@x.org", "team_member"), ("coord@x.org", "coordinator")):
        extra = ["--team", "academics"] if role == "team_member" else []
        runner.invoke(main, ["users", "add", email, "--role", role, *extra], env=env)
    out = runner.invoke(main, ["targets", "propose", "absence", "2026-27", "9.5", "--as",
                               "member@x.org", "--rationale", "Halve it"], env=env)
    assert out.exit_code == 0 and "proposed as #1" in out.output
    listed = runner.invoke(main, ["targets", "list", "--status", "proposed"])
    assert "#1    proposed  absence 2026-27 {} -> 9.5  by member@x.org  (Halve it)" in \
        listed.output
    refused = runner.invoke(main, ["targets", "decide", "1", "--accept", "--as",
                                   "member@x.org"], env=env)
    assert refused.exit_code == 1 and "may not decide" in refused.output
    wrong = runner.invoke(main, ["targets", "decide", "1", "--accept", "--as", "coord@x.org"],
                          env={"RBA_PASSWORD": "nope nope nope"})
    assert wrong.exit_code == 1 and "wrong email or password" in wrong.output
    accepted = runner.invoke(main, ["targets", "decide", "1", "--accept", "--as",
                                    "coord@x.org"], env=env)
    assert accepted.exit_code == 0 and "accepted #1 as batch" in accepted.output
    with connect(cli_env)() as session:
        assert session.scalar(sa.select(Target.value)) == 9.5


def test_a_decision_keeps_its_reason_in_the_store_and_the_audit_trail(  # type: ignore[no-untyped-def]
        store) -> None:
    from rba.store.audit import audit_events

    with session_scope(store) as session:
        pid = propose_target(session=session, code="absence", period="2026-27", value=8,
                             actor="member@x.org").id
    with session_scope(store) as session:
        decide_proposal(session=session, proposal_id=pid, accept=False, actor="coord@x.org",
                        reason="  Too ambitious for one year ")
    with store() as session:
        row = proposals(session=session, proposed_by="MEMBER@x.org").iloc[0]
        assert (row["status"], row["reason"], row["decided_by"]) == (
            "declined", "Too ambitious for one year", "coord@x.org")
        assert row["name"] == "Chronic absence rate" and row["unit"] == "percent"
        assert proposals(session=session, proposed_by="coord@x.org").empty
        events = audit_events(session=session, entity="target_proposal")
        assert '"reason": "Too ambitious for one year"' in events[-1]["new"]
        assert replayed(session=session) == current_state(session=session)


def test_a_proposal_is_checked_with_the_import_rules_when_made(  # type: ignore[no-untyped-def]
        store) -> None:
    with session_scope(store) as session, pytest.raises(
            ProposalError, match="city: unknown city group; expected one of: Pasadena"):
        propose_target(session=session, code="grad_rate", period="2027-28", value=90,
                       actor="member@x.org", groups={"city": "Glendale"})
    with session_scope(store) as session, pytest.raises(
            ProposalError, match="not disaggregated by city"):
        propose_target(session=session, code="absence", period="2027-28", value=9,
                       actor="member@x.org", groups={"city": "Pasadena"})
    with store() as session:
        assert proposals(session=session).empty


def test_the_page_reads_proposable_indicators_and_their_groups(  # type: ignore[no-untyped-def]
        store) -> None:
    from rba.store.proposals import proposable_indicators, target_groups

    with store() as session:
        team = proposable_indicators(session=session, team="academics")
        assert team["indicator"].tolist() == ["absence", "arrests", "grad_rate"]  # by order, code
        assert team.set_index("indicator").loc["grad_rate", "frequency"] == "school_year"
        assert proposable_indicators(session=session, team="nobody").empty
        groups = target_groups(session=session, code="grad_rate")
        assert groups["key"].tolist() == ['{"city":"Pasadena"}']
        assert target_groups(session=session, code="absence").empty


def test_the_cli_records_a_reason(cli_env: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rba.cli import main

    env = {"RBA_PASSWORD": PASSWORD}
    runner = CliRunner()
    runner.invoke(main, ["import", str(basic_workbook(tmp_path / "b.xlsx"))])
    runner.invoke(main, ["users", "add", "coord@x.org", "--role", "coordinator"], env=env)
    runner.invoke(main, ["targets", "propose", "absence", "2026-27", "9", "--as",
                         "coord@x.org"], env=env)
    out = runner.invoke(main, ["targets", "decide", "1", "--decline", "--as", "coord@x.org",
                               "--reason", "Wait for the new survey"], env=env)
    assert out.exit_code == 0, out.output
    with connect(cli_env)() as session:
        assert proposals(session=session)["reason"].tolist() == ["Wait for the new survey"]
