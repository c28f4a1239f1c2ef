"""The turn-the-curve record on an indicator's page: the latest version, its history, and
an editor for the indicator's result team (and coordinators and admins)."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from dashboards import ids
from dashboards.auth import (
    EDITOR_WRITE,
    EDITORS,
    STAFF_READ,
    TEAM_WRITE,
    Account,
    account,
    allowed,
    require,
    require_team,
    secure_callback,
)
from dashboards.data import read_session, session_factory
from dashboards.i18n import N_, _, use_language
from dashboards.public import public_site
from rba.i18n import format_date, localized
from rba.services.catalogue import result_teams
from rba.services.database import session_scope
from rba.services.people import Role
from rba.services.stories import (
    StoryError,
    indicator_team,
    publish_story,
    save_story,
    story_versions,
)

SECTIONS = (("story_behind_the_curve", N_("The story behind the curve")),
            ("partners", N_("Partners with a role to play")),
            ("what_works", N_("What works")),
            ("action_plan", N_("Action plan")))
FIELDS = [f for name, _heading in SECTIONS for f in (name, f"{name}_es")]


def field_id(field: str) -> str:
    """The editor's input of one field of the turn-the-curve record."""
    return ids.story_field(field)


def may_edit(user: Account | None, team: str | None) -> bool:
    """Whether this user may save the record of an indicator of this team."""
    if user is None:
        return False
    return user.role in EDITORS or (user.role == Role.team_member and team is not None
                                    and user.team == team)


def story_body(story: dict[str, Any], lang: str) -> list[Any]:
    """The four sections of a record, in the language (English where not translated)."""
    body: list[Any] = []
    for field, heading in SECTIONS:
        text = localized(story, field, lang)
        if not text:
            continue
        body.append(html.H3(_(heading), className="h6 mt-3"))
        if field == "partners":
            body.append(html.Ul([html.Li(p.strip()) for p in text.split(";") if p.strip()]))
        else:
            body += [html.P(line) for line in str(text).split("\n") if line.strip()]
    return body


def saved_words(story: dict[str, Any], lang: str, team: str | None = None) -> str:
    """Which version, when, by whom, and whether it is a draft or who published it: a
    person's e-mail only for staff signed in on the staff site; everyone else reads which
    result team saved it (``team``: its name in the language), never who."""
    when = format_date(story["saved_at"], lang)
    staff = allowed(STAFF_READ) and not public_site()
    if story.get("saved_by") and staff:
        words = _("Version {version}, saved by {who} on {when}").format(
            version=story["version"], who=story["saved_by"], when=when)
    elif team:
        words = _("Version {version}, saved by the {team} on {when}").format(
            version=story["version"], team=team, when=when)
    else:
        words = _("Version {version}, saved on {when}").format(version=story["version"],
                                                               when=when)
    if story.get("status") == "draft":
        return words + " · " + _("Draft: seen by the result team only, not yet public")
    if story.get("reviewed_by") and staff:
        return words + " · " + _("published by {who} on {when}").format(
            who=story["reviewed_by"], when=format_date(story["reviewed_at"], lang))
    return words


def team_name(slug: str | None, lang: str) -> str | None:
    """The name of the result team with this slug, in the language (None: no team)."""
    if slug is None:
        return None
    with read_session() as session:
        teams = result_teams(session=session)
    found = teams[teams["team"] == slug]
    return None if found.empty else localized(found.iloc[0].to_dict(), "name", lang)


def history(versions: list[dict[str, Any]], lang: str, team: str | None = None) -> html.Div:
    """Every version, newest first: who saved it and when, its text behind a disclosure."""
    if len(versions) < 2:
        return html.Div(id=ids.STORY_HISTORY)
    items = [html.Details([html.Summary(saved_words(v, lang, team)),
                           html.Div(story_body(v, lang),
                                                                       className="ms-3")],
                          className="mb-1") for v in versions[1:]]
    return html.Div([html.H3(_("Earlier versions"), className="h6 mt-3"), *items],
                    id=ids.STORY_HISTORY, className="small mt-2")


def story_card(versions: list[dict[str, Any]], lang: str, team: str | None = None
               ) -> html.Div:
    """The latest record with its history, or a note that none is written yet."""
    if not versions:
        return html.Div(html.P(_("The result team has not yet written the story behind this "
                                 "curve."), className="text-body-secondary"), id=ids.STORY)
    latest = versions[0]
    draft = [dbc.Badge(_("Draft"), color="warning", text_color="dark", className="ms-2",
                       id=ids.STORY_DRAFT_BADGE)] if latest.get("status") == "draft" else []
    return html.Div(dbc.Card([
        dbc.CardHeader(html.H2([_("Turn the curve"), *draft], className="h5 mb-0")),
        dbc.CardBody(story_body(latest, lang)),
        dbc.CardFooter(saved_words(latest, lang, team), className="small text-body-secondary"),
    ]), id=ids.STORY)


def editor(code: str, team: str | None, versions: list[dict[str, Any]]) -> html.Div | None:
    """The edit form for a user who may save this indicator's record (else None)."""
    if not may_edit(account(), team):
        return None
    user = account()
    latest = versions[0] if versions else {}
    reviewer = user is not None and user.role in EDITORS
    inputs: list[Any] = []
    for field, heading in SECTIONS:
        for suffix, words in (("", _("English")), ("_es", _("Spanish"))):
            name = field + suffix
            inputs.append(dbc.Col([
                dbc.Label(f"{_(heading)} ({words})", html_for=field_id(name)),
                dbc.Textarea(id=field_id(name), value=latest.get(name) or "", rows=3),
            ], md=6, className="mb-2"))
    return html.Details([
        html.Summary(_("Edit the turn-the-curve record"), className="fw-semibold"),
        html.P(_("Saving adds a new version; earlier versions are kept."),
               className="small text-body-secondary"),
        dbc.Row(inputs),
        dbc.Label(_("Save as"), html_for=ids.STORY_STATUS),
        dbc.RadioItems(id=ids.STORY_STATUS, value="published" if reviewer else "draft",
                       className="mb-2", options=[
                           {"label": _("Draft: seen by the result team only"),
                            "value": "draft"},
                           {"label": _("Published: public (coordinators and admins "
                                       "review and publish)"), "value": "published",
                            "disabled": not reviewer}]),
        dbc.Button(_("Save a new version"), id=ids.STORY_SAVE, color="primary"),
        *([dbc.Button(_("Publish the latest draft"), id=ids.STORY_PUBLISH,
                      color="success", outline=True, className="ms-2",
                      disabled=latest.get("status") != "draft")] if reviewer else []),
        html.Div(id=ids.STORY_SAVED, className="mt-2", role="status"),
    ], id=ids.STORY_EDITOR, className="mt-3 border rounded p-3")


def story_section(code: str, lang: str) -> html.Section:
    """The record, its history and (for its team) the editor."""
    with read_session() as session:
        team = indicator_team(session=session, code=code)
        versions = story_versions(session=session, code=code,
                                  drafts=may_edit(account(), team))
    name = team_name(team, lang)
    parts: list[Any] = [story_card(versions, lang, name), history(versions, lang, name)]
    form = editor(code, team, versions)
    if form is not None:
        parts.append(form)
    return html.Section([dash.dcc.Store(id=ids.STORY_CODE, data={"code": code, "lang": lang}),
                         html.Div(parts, id=ids.STORY_AREA)], className="mt-4")


@secure_callback(
    TEAM_WRITE,
    Output(ids.STORY, "children"),
    Output(ids.STORY_HISTORY, "children"),
    Output(ids.STORY_SAVED, "children"),
    Input(ids.STORY_SAVE, "n_clicks"),
    State(ids.STORY_CODE, "data"),
    *[State(field_id(f), "value") for f in FIELDS],
    State(ids.STORY_STATUS, "value"),
    prevent_initial_call=True,
)
def save(n_clicks: int | None, code_data: dict[str, Any] | None, *values: str | None
         ) -> tuple[Any, Any, Any]:
    """Save the form as the next version of the record (a draft; published only by a
    coordinator or admin, who is recorded as its reviewer); refused unless on the team."""
    user = require(TEAM_WRITE)
    assert user is not None
    code = (code_data or {}).get("code")
    with read_session() as session:
        team = indicator_team(session=session, code=code) if isinstance(code, str) else None
    require_team(user, team)
    if not n_clicks or not isinstance(code, str):
        raise dash.exceptions.PreventUpdate
    lang = use_language((code_data or {}).get("lang"))
    fields = dict(zip(FIELDS, values[:len(FIELDS)], strict=True))
    asked = values[len(FIELDS)] if len(values) > len(FIELDS) else None
    reviewer = user.role in EDITORS
    status = "published" if reviewer and asked in (None, "published") else "draft"
    try:
        with session_scope(session_factory()) as session:
            save_story(session=session, code=code, fields=fields, actor=user.email,
                       source="form", status=status)
    except StoryError:
        refusal = dbc.Alert(_("Write at least one field before saving."), color="warning",
                            className="mb-0")
        return dash.no_update, dash.no_update, refusal
    with read_session() as session:
        versions = story_versions(session=session, code=code, drafts=True)
    words = _("Saved as version {version}.").format(version=versions[0]["version"])
    if status == "draft":
        words += " " + _("It is a draft: a coordinator or admin publishes it.")
    note = dbc.Alert(words, color="success", className="mb-0")
    name = team_name(team, lang)
    return (story_card(versions, lang, name).children,
            history(versions, lang, name).children, note)


@secure_callback(
    EDITOR_WRITE,
    Output(ids.STORY, "children", allow_duplicate=True),
    Output(ids.STORY_HISTORY, "children", allow_duplicate=True),
    Output(ids.STORY_SAVED, "children", allow_duplicate=True),
    Input(ids.STORY_PUBLISH, "n_clicks"),
    State(ids.STORY_CODE, "data"),
    prevent_initial_call=True,
)
def publish(n_clicks: int | None, code_data: dict[str, Any] | None) -> tuple[Any, Any, Any]:
    """Publish the latest draft, the coordinator or admin recorded as its reviewer."""
    user = require(EDITOR_WRITE)
    assert user is not None
    code = (code_data or {}).get("code")
    if not n_clicks or not isinstance(code, str):
        raise dash.exceptions.PreventUpdate
    lang = use_language((code_data or {}).get("lang"))
    with read_session() as session:
        drafts = [v for v in story_versions(session=session, code=code, drafts=True)[:1]
                  if v["status"] == "draft"]
    if not drafts:
        return dash.no_update, dash.no_update, dbc.Alert(
            _("The latest version is already published."), color="warning", className="mb-0")
    try:
        with session_scope(session_factory()) as session:
            publish_story(session=session, code=code, version=drafts[0]["version"],
                          actor=user.email, source="form")
    except StoryError:
        raise dash.exceptions.PreventUpdate from None
    with read_session() as session:
        versions = story_versions(session=session, code=code, drafts=True)
        name = team_name(indicator_team(session=session, code=code), lang)
    note = dbc.Alert(_("Published version {version}: the public now reads it.").format(
        version=drafts[0]["version"]), color="success", className="mb-0")
    return (story_card(versions, lang, name).children,
            history(versions, lang, name).children, note)
