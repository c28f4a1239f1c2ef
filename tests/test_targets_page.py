"""The targets page: team members propose targets for their own team's indicators and see
their status; coordinators and admins accept or decline them with a reason; viewers and
signed-out visitors are refused, in the layout and at /_dash-update-component."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
import sqlalchemy as sa
from dash import Dash
from factories import USERS, as_user, by_id, callback_body, post_callback, sign_in, text
from flask.testing import FlaskClient
from werkzeug.exceptions import Forbidden, Unauthorized

from dashboards import ids
from dashboards.signin import load_account
from rba.models import AuditEvent, Batch, Indicator, Result, ResultTeam, Target, TargetProposal
from rba.store import session_scope


def targets() -> Any:
    return importlib.import_module("dashboards.pages.targets")


def propose(app: Dash, role: str | None = "team_member", code: str = "grad_rate",
            group: str | None = None, period: str = "2027-28", value: Any = 88,
            rationale: str | None = "Credit recovery reaches more seniors") -> tuple:
    with as_user(app, role, "/targets"):
        return targets().submit_proposal(1, code, group, period, value, rationale)


def decide(app: Dash, proposal: int, decision: str = "accept", reason: str | None = None,
           role: str | None = "coordinator") -> tuple:
    with as_user(app, role, "/targets"):
        return targets().decide(1, proposal, decision, reason)


def written(app: Dash) -> dict[str, int]:
    """Rows in the tables proposing or deciding a target writes."""
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        return {model.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(
            model)) for model in (TargetProposal, Target, AuditEvent, Batch)}


def proposal_rows(app: Dash) -> list[TargetProposal]:
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        return list(session.scalars(sa.select(TargetProposal).order_by(TargetProposal.id)))


def add_other_team(app: Dash) -> None:
    """A second team with one indicator, which the academics team member may not touch."""
    with session_scope(app.server.config["RBA_SESSION_FACTORY"]) as session:
        team = ResultTeam(slug="early", name="Early Childhood Team")
        result = session.scalar(sa.select(Result).where(Result.code == "R1"))
        result.team = team
        session.add(Indicator(code="ready_k", result=result, name="Ready for kindergarten",
                              unit="percent", polarity="up", frequency="school_year",
                              kind="headline"))


def page(app: Dash, role: str | None, query: str = "") -> Any:
    with as_user(app, role, f"/targets{query}"):
        return targets().layout(**({"lang": query.split("=")[1]} if query else {}))


@pytest.mark.parametrize(("role", "shown"), [(None, "sign-in-needed"),
                                             ("viewer", "access-refused")])
def test_viewers_and_signed_out_visitors_are_refused_the_page(app: Dash, role: str | None,
                                                              shown: str) -> None:
    layout = page(app, role)
    assert layout.id == shown
    assert "Propose a target" not in text(layout)


def test_a_team_member_sees_the_form_for_their_own_teams_indicators(app: Dash) -> None:
    add_other_team(app)
    layout = page(app, "team_member")
    options = by_id(layout, ids.TARGETS_INDICATOR).options
    assert {o["value"] for o in options} == {"grad_rate", "arrests", "hidden"}  # not ready_k
    assert "in_college" not in {o["value"] for o in options}  # data development agenda
    assert by_id(layout, ids.TARGETS_REVIEW).children == []  # no decisions for members
    assert "You have not proposed a target yet." in text(layout)


def test_a_coordinator_sees_the_proposals_waiting_and_any_indicator(app: Dash) -> None:
    add_other_team(app)
    propose(app)
    layout = page(app, "coordinator")
    options = {o["value"] for o in by_id(layout, ids.TARGETS_INDICATOR).options}
    assert {"grad_rate", "ready_k"} <= options
    pending = text(by_id(layout, ids.TARGETS_PENDING))
    assert "High school graduation rate" in pending and USERS["team_member"] in pending
    assert "88.0%" in pending and "Credit recovery reaches more seniors" in pending
    choice = by_id(layout, ids.TARGETS_CHOICE)
    assert choice.value == 1 and choice.options[0]["label"].startswith("#1 · High school")


def test_the_page_speaks_spanish(app: Dash) -> None:
    words = text(page(app, "team_member", "?lang=es"))
    assert "Proponer una meta" in words and "Sus propuestas" in words


def test_choosing_an_indicator_offers_its_groups_and_how_periods_are_written(
        app: Dash) -> None:
    with as_user(app, "team_member", "/targets"):
        options, value, hint = targets().indicator_chosen("grad_rate")
        assert targets().indicator_chosen("arrests")[0] == []  # no dimensions: total only
    assert [o["label"] for o in options] == ["City: Pasadena", "City: Altadena"]
    assert options[1]["value"] == '{"city":"Altadena"}' and value is None
    assert hint == "School year, e.g. 2027-28"


def test_a_team_member_learns_nothing_of_another_teams_indicator(app: Dash) -> None:
    add_other_team(app)
    with as_user(app, "team_member", "/targets"):
        assert targets().indicator_chosen("ready_k") == ([], None, "")
    with as_user(app, "coordinator", "/targets"):
        assert targets().indicator_chosen("ready_k")[2] == "School year, e.g. 2027-28"


def test_a_team_member_proposes_and_sees_it_waiting(app: Dash) -> None:
    before = written(app)
    message, mine, review = propose(app, group='{"city":"Altadena"}')
    assert "Proposed as #1" in text(message) and review == []
    [proposal] = proposal_rows(app)
    assert (proposal.period, proposal.value, proposal.dimensions, proposal.proposed_by,
            proposal.status) == ("2027-28", 88.0, '{"city":"Altadena"}',
                                 USERS["team_member"], "proposed")
    after = written(app)
    assert after["target_proposals"] == before["target_proposals"] + 1
    assert after["audit_events"] == before["audit_events"] + 1
    assert after["targets"] == before["targets"]  # nothing is a target until accepted
    words = text(mine)
    assert "Waiting for a decision" in words and "City: Altadena" in words


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"code": None}, "Choose an indicator."),
    ({"period": " "}, "Give the period and the target value."),
    ({"value": "lots"}, "Give the period and the target value."),
    ({"period": "2027"}, "Not proposed: '2027' is not a school year"),
    ({"value": 120}, "Not proposed: 120 is not a percent between 0 and 100"),
    ({"group": '{"city":"Glendale"}'}, "Not proposed: city: unknown city group"),
])
def test_a_bad_proposal_says_why_and_writes_nothing(app: Dash, kwargs: dict,
                                                    expected: str) -> None:
    before = written(app)
    message, *_ = propose(app, **kwargs)
    assert expected in text(message)
    assert written(app) == before


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"period": "2027"}, "No se propuso: '2027' no es un año escolar: se esperaba una forma "
                         "como 2023-24; se lee como el año calendario 2027 (del 2027-01-01 al "
                         "2027-12-31)"),
    ({"value": 120}, "No se propuso: 120 no es un porcentaje entre 0 y 100"),
    ({"group": '{"city":"Glendale"}'}, "No se propuso: city: grupo de city desconocido; se "
                                       "esperaba uno de estos: Altadena, Pasadena"),
    ({"group": '{"town":"Glendale"}'}, "No se propuso: town: este indicador no se desglosa "
                                       "por town"),
])
def test_a_bad_proposal_says_why_in_the_language_of_the_page(app: Dash, kwargs: dict,
                                                             expected: str) -> None:
    with as_user(app, "team_member", "/targets?lang=es"):
        message, *_ = targets().submit_proposal(
            1, kwargs.get("code", "grad_rate"), kwargs.get("group"),
            kwargs.get("period", "2027-28"), kwargs.get("value", 88), "why")
    words = text(message)
    assert expected in words
    assert "not" not in words.split(": ", 1)[1] and "expected" not in words


def test_a_refused_decision_says_why_in_the_language_of_the_page(app: Dash) -> None:
    propose(app, group='{"city":"Altadena"}')
    with session_scope(app.server.config["RBA_SESSION_FACTORY"]) as session:
        session.get(TargetProposal, 1).dimensions = '{"city":"Glendale"}'  # gone since
    message, *_ = decide(app, 1, "accept")
    assert text(message) == (
        "Not decided: proposal, sheet targets, row 2, column city: value 'Glendale': unknown "
        "city group; expected one of: Altadena, Pasadena (add new groups on the dimensions "
        "sheet)")
    with as_user(app, "coordinator", "/targets?lang=es"):
        message, *_ = targets().decide(1, 1, "accept", None)
        assert text(message) == (
            "No se decidió: propuesta, hoja targets, fila 2, columna city: valor 'Glendale': "
            "grupo de city desconocido; se esperaba uno de estos: Altadena, Pasadena (agregue "
            "los grupos nuevos en la hoja dimensions)")
        targets().decide(1, 1, "decline", "No such city")
        message, *_ = targets().decide(1, 1, "accept", None)
        assert text(message) == (
            "No se decidió: no hay ninguna propuesta n.º 1 en espera de una decisión")


def test_a_team_member_may_not_propose_for_another_team(app: Dash) -> None:
    add_other_team(app)
    before = written(app)
    with pytest.raises(Forbidden):
        propose(app, code="ready_k")
    assert written(app) == before


def test_a_coordinator_accepts_and_the_target_is_written_with_the_reason(app: Dash) -> None:
    propose(app)
    message, review, _mine = decide(app, 1, "accept", "Matches the board goal")
    words = text(message)
    assert "Accepted #1: the target is written as batch" in words
    assert by_id(message, "target-batch").href.startswith("/batches/")
    recent = text(by_id(review, ids.TARGETS_RECENT))
    assert "Accepted" in recent and "Matches the board goal" in recent
    assert "No proposal is waiting for a decision." in text(review)
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        target = session.scalar(sa.select(Target).where(Target.period == "2027-28"))
        assert target is not None and (target.value, target.set_by) == (
            88.0, USERS["coordinator"])
    [proposal] = proposal_rows(app)
    assert (proposal.status, proposal.decided_by, proposal.decision_reason) == (
        "accepted", USERS["coordinator"], "Matches the board goal")
    with as_user(app, "team_member", "/targets"):
        mine = text(targets().my_proposals(load_account(str(member_id(app)))))
    assert "Accepted" in mine and "Matches the board goal" in mine


def member_id(app: Dash) -> int:
    from rba.models import User

    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        return int(session.scalar(sa.select(User.id).where(
            User.email == USERS["team_member"])))


def test_declining_needs_a_reason_and_writes_no_target(app: Dash) -> None:
    propose(app)
    before = written(app)
    message, review, mine = decide(app, 1, "decline", "  ")
    assert "Give the reason for declining" in text(message)
    assert written(app) == before and proposal_rows(app)[0].status == "proposed"
    message, review, mine = decide(app, 1, "decline", "Too low: aim for 90")
    assert "Declined #1." in text(message)
    [proposal] = proposal_rows(app)
    assert (proposal.status, proposal.decision_reason) == ("declined", "Too low: aim for 90")
    assert written(app)["targets"] == before["targets"]
    message, *_ = decide(app, 1, "accept")  # decided already
    assert "Not decided: no open proposal 1" in text(message)


@pytest.mark.parametrize(("role", "error"), [(None, Unauthorized), ("viewer", Forbidden),
                                             ("team_member", Forbidden)])
def test_only_coordinators_and_admins_decide(app: Dash, role: str | None,
                                             error: type[Exception]) -> None:
    propose(app)
    before = written(app)
    with pytest.raises(error):
        decide(app, 1, "accept", role=role)
    assert written(app) == before and proposal_rows(app)[0].status == "proposed"


@pytest.mark.parametrize(("role", "error"), [(None, Unauthorized), ("viewer", Forbidden)])
def test_viewers_and_signed_out_callers_may_not_propose_or_read(app: Dash, role: str | None,
                                                                error: type[Exception]) -> None:
    before = written(app)
    with pytest.raises(error):
        propose(app, role=role)
    with as_user(app, role, "/targets"), pytest.raises(error):
        targets().indicator_chosen("grad_rate")
    assert written(app) == before


def crafted(app: Dash) -> dict[tuple[str, str], Any]:
    """Inputs that propose a target, and accept proposal 1, when the caller may."""
    return {(ids.TARGETS_PROPOSE, "n_clicks"): 1, (ids.TARGETS_INDICATOR, "value"): "grad_rate",
            (ids.TARGETS_PERIOD, "value"): "2027-28", (ids.TARGETS_VALUE, "value"): 90,
            (ids.TARGETS_RATIONALE, "value"): "crafted", (ids.TARGETS_DECIDE, "n_clicks"): 1,
            (ids.TARGETS_CHOICE, "value"): 1, (ids.TARGETS_DECISION, "value"): "accept",
            (ids.TARGETS_REASON, "value"): "crafted"}


def output_of(app: Dash, component: str) -> str:
    return next(o for o in app.callback_map if o.startswith(f"..{component}.children"))


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("viewer", 403)])
def test_crafted_requests_are_refused_on_the_server(client: FlaskClient, app: Dash,
                                                    role: str | None, status: int) -> None:
    propose(app)  # proposal 1, for the crafted decision
    if role is not None:
        sign_in(client, role)
    before = written(app)
    for component in (ids.TARGETS_PROPOSED, ids.TARGETS_DECIDED, ids.TARGETS_GROUP):
        output = next(o for o in app.callback_map if f"..{component}." in o)
        response = post_callback(client, callback_body(app, output, crafted(app)))
        assert response.status_code == status, component
        assert "Credit recovery" not in response.get_data(as_text=True)
    assert written(app) == before and proposal_rows(app)[0].status == "proposed"


def test_the_same_requests_work_for_whom_they_are_meant(client: FlaskClient, app: Dash
                                                        ) -> None:
    propose(app)
    sign_in(client, "team_member")
    refused = post_callback(client, callback_body(app, output_of(app, ids.TARGETS_DECIDED),
                                                  crafted(app)))
    assert refused.status_code == 403  # a team member may not decide
    response = post_callback(client, callback_body(app, output_of(app, ids.TARGETS_PROPOSED),
                                                   crafted(app)))
    assert response.status_code == 200 and "Proposed as #2" in response.get_data(as_text=True)
    client.post("/logout")
    sign_in(client, "coordinator")
    response = post_callback(client, callback_body(app, output_of(app, ids.TARGETS_DECIDED),
                                                   crafted(app)))
    assert response.status_code == 200 and "Accepted #1" in response.get_data(as_text=True)
    assert [p.status for p in proposal_rows(app)] == ["accepted", "proposed"]
