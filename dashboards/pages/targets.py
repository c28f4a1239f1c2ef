"""Targets page: a result team proposes targets for its indicators; a coordinator or admin
accepts (the target is written with the import's checks) or declines them, with a reason.

The same functions as `rba targets propose/list/decide` (rba.store.proposals), so the page
and the CLI cannot disagree. Viewers and signed-out visitors are refused; team members see
and propose for their own team's indicators only, and the store checks that again.
"""

from __future__ import annotations

import math
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from dashboards import ids
from dashboards.auth import (
    EDITOR_WRITE,
    EDITORS,
    STAFF_READ,
    TEAM_WRITE,
    Account,
    account,
    page_refusal,
    require,
    require_team,
    secure_callback,
)
from dashboards.components import target_context  # noqa: F401  (its callback fills the form's context)
from dashboards.components.shell import PARTNERSHIP
from dashboards.data import read_session, session_factory
from dashboards.i18n import N_, _, current_language, use_language
from rba.dimensions import parse_dimension_key
from rba.i18n import format_date, format_value, label, label_map, localized, render, series_label
from rba.services.catalogue import dimension_labels
from rba.services.database import session_scope
from rba.services.people import Role
from rba.services.stories import indicator_team
from rba.services.targets import (
    ProposalError,
    decide_proposal,
    proposable_indicators,
    proposals,
    propose_target,
    target_groups,
)

PATH = "/targets"
dash.register_page(__name__, path=PATH,
                   title=lambda **_kw: f"{_('Targets')} · {PARTNERSHIP}", name="Targets")

STATUS_WORDS = {"proposed": N_("Waiting for a decision"), "accepted": N_("Accepted"),
                "declined": N_("Declined")}
STATUS_COLOURS = {"proposed": "warning", "accepted": "success", "declined": "secondary"}
#: How a period of each frequency is written (shown as an example under the period box).
PERIOD_EXAMPLES = {"year": "2027", "school_year": "2027-28", "fiscal_year": "FY2027",
                   "quarter": "2027-Q1", "month": "2027-01"}
RECENT = 20


def team_of(user: Account) -> str | None:
    """Whose indicators the user may propose for: their team (team members), else all."""
    return user.team if user.role == Role.team_member else None


def indicator_options(user: Account) -> list[dict[str, str]]:
    """The indicators this user may propose a target for, as dropdown options."""
    if user.role == Role.team_member and not user.team:
        return []
    with read_session() as session:
        frame = proposable_indicators(session=session, team=team_of(user))
    lang = current_language()
    return [{"label": localized(r, "name", lang), "value": r["indicator"]}
            for r in frame.to_dict("records")]


def proposal_table(frame: pd.DataFrame, *, table_id: str, who: bool, empty: str,
                   decided: bool = True) -> Any:
    """Proposals as a table: number, indicator, group, period, target, rationale, and (with
    ``decided``) status and decision; ``who`` adds who proposed each."""
    if frame.empty:
        return html.P(empty, id=table_id, className="text-body-secondary")
    lang = current_language()
    with read_session() as session:
        labels = label_map(dimension_labels(session=session), lang)
    # Status comes early so a phone shows it without scrolling; the rationale, long, last.
    head = [_("No.")] + ([_("Status")] if decided else []) + [
        _("Indicator"), _("Group"), _("Period"), _("Target")]
    head += ([_("Decision")] if decided else []) + ([_("Proposed by")] if who else [])
    head += [_("Rationale")]
    body = []
    for r in frame.to_dict("records"):
        status, decision = decision_cells(r, lang)
        cells = [html.Td(f"#{r['id']}"), *([status] if decided else []),
                 html.Td(localized(r, "name", lang)),
                 html.Td(series_label(r["dimensions"], labels, lang=lang)),
                 html.Td(r["period"], className="text-nowrap"),
                 html.Td(format_value(r["value"], r["unit"], r["per"], lang),
                         className="text-end text-nowrap")]
        cells += ([decision] if decided else []) + (
            [html.Td(r["proposed_by"])] if who else [])
        cells += [html.Td(r["rationale"] or "", className="small")]
        body.append(html.Tr(cells))
    return dbc.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                      html.Tbody(body)], id=table_id, size="sm", striped=True,
                     responsive=True, className="align-middle")


def decision_cells(proposal: dict[str, Any], lang: str) -> tuple[html.Td, html.Td]:
    """A proposal's status as a badge, and who decided it, when and why."""
    status = str(proposal["status"])
    decision = [] if status == "proposed" else [
        html.Div(_("by {who}, {when}").format(who=proposal["decided_by"], when=format_date(
            proposal["decided_at"], lang, "medium")), className="small"),
        html.Div(proposal["reason"] or "", className="small fst-italic")]
    return (html.Td(dbc.Badge(_(STATUS_WORDS[status]), color=STATUS_COLOURS[status],
                              text_color="dark" if status == "proposed" else None,
                              className="text-wrap")),
            html.Td(decision))


def my_proposals(user: Account) -> Any:
    """The proposals this user made, newest first, with their status."""
    with read_session() as session:
        frame = proposals(session=session, proposed_by=user.email)
    return proposal_table(frame, table_id=ids.TARGETS_MINE_TABLE, who=False,
                          empty=_("You have not proposed a target yet."))


def review_section(user: Account | None) -> list[Any]:
    """For coordinators and admins: the proposals to decide, the decision form and the
    recent decisions; nothing for anyone else."""
    if user is None or user.role not in EDITORS:
        return []
    with read_session() as session:
        pending = proposals(session=session, status="proposed")
        every = proposals(session=session)
    decided = every[every["status"] != "proposed"].head(RECENT)
    lang = current_language()
    choices = [{"label": f"#{r['id']} · {localized(r, 'name', lang)} · {r['period']} → "
                         f"{format_value(r['value'], r['unit'], r['per'], lang)}",
                "value": r["id"]} for r in pending.to_dict("records")]
    form = dbc.Row([
        dbc.Col([dbc.Label(_("Proposal"), html_for=ids.TARGETS_CHOICE),
                 dcc.Dropdown(id=ids.TARGETS_CHOICE, options=choices,
                              value=choices[0]["value"] if choices else None,
                              clearable=False, placeholder=_("No proposal is waiting"))],
                lg=5),
        dbc.Col([dbc.Label(_("Decision"), html_for=ids.TARGETS_DECISION),
                 dbc.RadioItems(id=ids.TARGETS_DECISION, value="accept", inline=True,
                                options=[{"label": _("Accept"), "value": "accept"},
                                         {"label": _("Decline"), "value": "decline"}])],
                sm=6, lg=3),
        dbc.Col([dbc.Label(_("Reason"), html_for=ids.TARGETS_REASON),
                 dbc.Textarea(id=ids.TARGETS_REASON, rows=2,
                              placeholder=_("Why (needed to decline)"))], lg=4),
        dbc.Col(dbc.Button(_("Record the decision"), id=ids.TARGETS_DECIDE,
                           color="primary", disabled=not choices), width=12),
    ], className="g-3")
    return [
        html.H2(_("Waiting for a decision"), className="h4"),
        proposal_table(pending, table_id=ids.TARGETS_PENDING, who=True, decided=False,
                       empty=_("No proposal is waiting for a decision.")),
        # Without a proposal to decide the form stays in the page (its callback needs it)
        # but hidden.
        dbc.Card(dbc.CardBody(form), className="mb-4 bg-body-tertiary",
                 style=None if choices else {"display": "none"}),
        html.H2(_("Recent decisions"), className="h5"),
        proposal_table(decided, table_id=ids.TARGETS_RECENT, who=True,
                       empty=_("No proposal has been decided yet.")),
    ]


def propose_card(user: Account) -> dbc.Card:
    """The form a team member (or coordinator, admin) proposes a target with."""
    options = indicator_options(user)
    intro = _("For your result team's indicators.") if user.role == Role.team_member else _(
        "For any indicator.")
    if not options:
        intro = _("You are not on a result team, so there is no indicator to propose a "
                  "target for. Ask an admin to add you to your team.")
    return dbc.Card(dbc.CardBody([
        html.H2(_("Propose a target"), className="h4"),
        html.P(intro, className="small text-body-secondary"),
        dbc.Label(_("Indicator"), html_for=ids.TARGETS_INDICATOR),
        dcc.Dropdown(id=ids.TARGETS_INDICATOR, options=options, className="mb-2",
                     placeholder=_("Choose an indicator")),
        dbc.Label(_("Group (optional)"), html_for=ids.TARGETS_GROUP),
        dcc.Dropdown(id=ids.TARGETS_GROUP, options=[], className="mb-2",
                     placeholder=_("Total (everyone)")),
        html.Div(id=ids.TARGETS_CONTEXT, className="mb-2", **{"aria-live": "polite"}),
        dbc.Row([
            dbc.Col([dbc.Label(_("Period"), html_for=ids.TARGETS_PERIOD),
                     dbc.Input(id=ids.TARGETS_PERIOD,
                               placeholder=_("e.g. 2027-28")),
                     dbc.FormText(id=ids.TARGETS_PERIOD_HINT)], sm=6),
            dbc.Col([dbc.Label(_("Target value"), html_for=ids.TARGETS_VALUE),
                     dbc.Input(id=ids.TARGETS_VALUE, type="number", step="any")], sm=6),
        ], className="g-2 mb-2"),
        dbc.Label(_("Rationale"), html_for=ids.TARGETS_RATIONALE),
        dbc.Textarea(id=ids.TARGETS_RATIONALE, rows=3, className="mb-3",
                     placeholder=_("Why this target: evidence, what the team will do")),
        dbc.Button(_("Propose"), id=ids.TARGETS_PROPOSE, color="primary",
                   disabled=not options),
        html.Div(id=ids.TARGETS_PROPOSED, role="status", className="mt-3"),
    ]), className="mb-4")


def layout(**_query: str) -> html.Div:
    """Editors: the proposals to decide first; everyone on staff: propose, and their own."""
    use_language(_query.get("lang"))
    refusal = page_refusal(STAFF_READ, PATH)
    if refusal is not None:
        return refusal
    user = account()
    assert user is not None
    return html.Div([
        html.H1(_("Targets"), className="h2"),
        html.P(_("Result teams propose targets for their indicators; a coordinator or admin "
                 "accepts them (the target is then written with the same checks as an "
                 "import) or declines them, with a reason. Every step is in the audit trail."),
               className="text-body-secondary"),
        html.Div(id=ids.TARGETS_DECIDED, role="status"),
        html.Section(review_section(user), id=ids.TARGETS_REVIEW),
        dbc.Row([
            dbc.Col(propose_card(user), lg=5),
            dbc.Col([html.H2(_("Your proposals"), className="h4"),
                     html.Div(my_proposals(user), id=ids.TARGETS_MINE)], lg=7),
        ]),
    ])


@secure_callback(
    STAFF_READ,
    Output(ids.TARGETS_GROUP, "options"),
    Output(ids.TARGETS_GROUP, "value"),
    Output(ids.TARGETS_PERIOD_HINT, "children"),
    Input(ids.TARGETS_INDICATOR, "value"),
    prevent_initial_call=True,
)
def indicator_chosen(code: str | None) -> tuple:
    """The chosen indicator's groups, and how its periods are written (for a team member,
    only of their own team's indicators)."""
    user = require(STAFF_READ)
    if user is None or not isinstance(code, str) or not code or (
            user.role == Role.team_member and not user.team):
        return [], None, ""
    lang = current_language()
    with read_session() as session:
        about = proposable_indicators(session=session, team=team_of(user))
        if code not in set(about["indicator"]):
            return [], None, ""
        groups = target_groups(session=session, code=code)
        labels = label_map(dimension_labels(session=session), lang)
    mine = about[about["indicator"] == code]
    if mine.empty:
        return [], None, ""
    frequency = mine.iloc[0]["frequency"]
    hint = _("{frequency}, e.g. {example}").format(
        frequency=label("frequency", frequency, lang),
        example=PERIOD_EXAMPLES.get(frequency, ""))
    options = [{"label": series_label(k, labels, lang=lang), "value": k}
               for k in groups["key"]]
    return options, None, hint


def refusal_words(error: Exception) -> str:
    """Why the store refused, in the page's language (a refusal it did not word: as is)."""
    if isinstance(error, ProposalError):
        return render(error.detail, current_language())
    return str(error)


def number(value: Any) -> float | None:
    """A typed number, or None when the box is blank or not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        found = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return found if math.isfinite(found) else None


#: The largest row id either database stores (a 32-bit integer column on PostgreSQL).
LARGEST_ID = 2**31 - 1


def proposal_number(value: Any) -> int | None:
    """A proposal's number as chosen or sent, or None when it cannot name one (not a whole
    number from 1 to the largest id: "inf", "nan", 10**19...)."""
    found = number(value)
    if found is None or not found.is_integer() or not 1 <= found <= LARGEST_ID:
        return None
    return int(found)


@secure_callback(
    TEAM_WRITE,
    Output(ids.TARGETS_PROPOSED, "children"),
    Output(ids.TARGETS_MINE, "children"),
    Output(ids.TARGETS_REVIEW, "children"),
    Input(ids.TARGETS_PROPOSE, "n_clicks"),
    State(ids.TARGETS_INDICATOR, "value"),
    State(ids.TARGETS_GROUP, "value"),
    State(ids.TARGETS_PERIOD, "value"),
    State(ids.TARGETS_VALUE, "value"),
    State(ids.TARGETS_RATIONALE, "value"),
    prevent_initial_call=True,
)
def submit_proposal(n_clicks: int | None, code: str | None, group: str | None,
                    period: str | None, value: Any, rationale: str | None) -> tuple:
    """Propose the target; refused unless on the indicator's team (or an editor)."""
    user = require(TEAM_WRITE)
    assert user is not None
    if not isinstance(code, str) or not code:
        return dbc.Alert(_("Choose an indicator."), color="warning"), no_update, no_update
    with read_session() as session:
        team = indicator_team(session=session, code=code)
    require_team(user, team)
    period = (period or "").strip() if isinstance(period, str) else ""
    wanted = number(value)
    if not period or wanted is None:
        return (dbc.Alert(_("Give the period and the target value."), color="warning"),
                no_update, no_update)
    try:
        with session_scope(session_factory()) as session:
            proposal = propose_target(
                session=session, code=code, period=period, value=wanted, actor=user.email,
                rationale=(rationale or "").strip() or None, source="form",
                groups=parse_dimension_key(group) if isinstance(group, str) and group
                else None)
            proposal_id = proposal.id
    except (ProposalError, ValueError) as exc:
        return (dbc.Alert(_("Not proposed: {error}").format(error=refusal_words(exc)),
                          color="danger"), no_update, no_update)
    done = dbc.Alert(_("Proposed as #{number}. A coordinator or admin will accept or "
                       "decline it; its status shows under Your proposals.").format(
                           number=proposal_id), color="success", id=ids.PROPOSAL_MADE)
    return done, my_proposals(user), review_section(user)


@secure_callback(
    EDITOR_WRITE,
    Output(ids.TARGETS_DECIDED, "children"),
    Output(ids.TARGETS_REVIEW, "children", allow_duplicate=True),
    Output(ids.TARGETS_MINE, "children", allow_duplicate=True),
    Input(ids.TARGETS_DECIDE, "n_clicks"),
    State(ids.TARGETS_CHOICE, "value"),
    State(ids.TARGETS_DECISION, "value"),
    State(ids.TARGETS_REASON, "value"),
    prevent_initial_call=True,
)
def decide(n_clicks: int | None, proposal_id: Any, decision: str | None,
           reason: str | None) -> tuple:
    """Accept (the target is written through the import's checks) or decline a proposal."""
    user = require(EDITOR_WRITE)
    assert user is not None
    pid = proposal_number(proposal_id)
    if not n_clicks or pid is None or decision not in ("accept", "decline"):
        return (dbc.Alert(_("Choose a proposal and a decision."), color="warning"),
                no_update, no_update)
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if decision == "decline" and not reason:
        return (dbc.Alert(_("Give the reason for declining: the team will read it."),
                          color="warning"), no_update, no_update)
    accept = decision == "accept"
    try:
        with session_scope(session_factory()) as session:
            batch = decide_proposal(session=session, proposal_id=pid, accept=accept,
                                    actor=user.email, reason=reason or None, source="form")
    except ProposalError as exc:
        return (dbc.Alert(_("Not decided: {error}").format(error=refusal_words(exc)),
                          color="danger"), no_update, no_update)
    if accept:
        words: list[Any] = [_("Accepted #{number}: the target is written as batch ").format(
            number=pid), dcc.Link(batch, href=f"/batches/{batch}", id=ids.TARGET_BATCH), "."]
    else:
        words = [_("Declined #{number}.").format(number=pid)]
    return (dbc.Alert(words, color="success", id=ids.DECISION_MADE), review_section(user),
            my_proposals(user))
