"""Sign-in page: a plain HTML form posted to Flask (see dashboards.auth.sign_in_view)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboards import ids
from dashboards.auth import account
from dashboards.components.shell import PARTNERSHIP
from dashboards.i18n import N_, _, use_language
from dashboards.signin import safe_next

dash.register_page(__name__, path="/login",
                   title=lambda **_kw: f"{_('Sign in')} · {PARTNERSHIP}", name="Sign in")

ERRORS = {
    "invalid": N_("That email and password do not match an active account. Check them and "
                 "try again."),
    "limited": N_("Too many failed sign-in attempts. Wait 15 minutes, then try again, or ask "
                 "an admin to check your account."),
}


def layout(error: str | None = None, **query: str) -> html.Div:
    """The sign-in form; after a failed attempt, why it failed (never which part was wrong)."""
    use_language(query.get("lang"))
    user = account()
    notice = []
    if user is not None:
        notice.append(dbc.Alert(_("You are signed in as {email}.").format(email=user.email),
                                color="info"))
    if error in ERRORS:
        notice.append(dbc.Alert(_(ERRORS[error]), color="danger", id=ids.LOGIN_ERROR))
    form = html.Form([
        dbc.Label(_("Email"), html_for=ids.LOGIN_EMAIL),
        dbc.Input(id=ids.LOGIN_EMAIL, name="email", type="email", required=True,
                  autocomplete="username", className="mb-3", autoFocus=True),
        dbc.Label(_("Password"), html_for=ids.LOGIN_PASSWORD),
        dbc.Input(id=ids.LOGIN_PASSWORD, name="password", type="password", required=True,
                  autocomplete="current-password", className="mb-3"),
        hidden("next", safe_next(query.get("next"))),
        dbc.Button(_("Sign in"), id=ids.LOGIN_SUBMIT, type="submit", color="primary"),
    ], id=ids.LOGIN_FORM, action="/login", method="POST")
    return html.Div(dbc.Row(dbc.Col([
        html.H1(_("Sign in"), className="h2"),
        html.P(_("Staff of the partnership sign in to enter data and see the history of "
                 "changes. The results and indicators are public: no sign-in is needed to "
                 "read them."), className="text-body-secondary"),
        *notice,
        dbc.Card(dbc.CardBody(form), className="shadow-sm"),
    ], md=6, lg=5)), className="py-2")


def hidden(name: str, value: str) -> dbc.Input:
    """A hidden form field: where to go after signing in."""
    return dbc.Input(type="hidden", name=name, value=value)
