"""Who may do what: roles, the signed-in account, and a declared policy for every callback.

Every server-side callback is registered with `secure_callback(policy, ...)`, which records
its policy under the callback's output id and checks the policy again inside the function.
A Flask ``before_request`` hook (dashboards.signin.gate_callbacks) reads the ``output`` of
each request to ``/_dash-update-component`` and refuses it before Dash runs anything when
the caller lacks the policy's role (401 signed out, 403 signed in), when no policy was
declared for that output (403: deny by default), or when the body is not a JSON callback
request (400). The check keys on the callback itself, never on the page's pathname, which
the caller controls.

Page layouts are served by Dash's public routing callback, so each private page checks the
signed-in user in its layout with `page_refusal`.

Dash hands the callbacks registered with ``dash.callback`` (and ``dash.clientside_callback``)
to the first app that starts serving, and to no other: a module is imported once per
process, so a second app would lack the callbacks of every module that is not a page (Dash
runs page modules again for each app). `install_callbacks`, called by create_app, keeps them
for the process and gives each app all of them, with their policies unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dash
import flask
from dash import _callback, dcc, html
from dash._utils import create_callback_id
from dash.dependencies import Input, Output
from flask_login import UserMixin, current_user
from werkzeug.exceptions import Forbidden, Unauthorized

from dashboards import ids
from dashboards.i18n import N_, _
from rba.services.people import Role

EDITORS = frozenset({Role.admin, Role.coordinator})
STAFF = frozenset({Role.admin, Role.coordinator, Role.team_member})
ROLE_WORDS = {Role.admin: N_("Admin"), Role.coordinator: N_("Coordinator"),
              Role.team_member: N_("Team member"), Role.viewer: N_("Viewer")}


@dataclass(frozen=True)
class Policy:
    """Who may run a callback: anyone (roles None) or a signed-in user with one of the roles."""

    name: str
    roles: frozenset[Role] | None
    writes: bool = False


PUBLIC = Policy("public read", None)
SIGNED_IN = Policy("any signed-in user", frozenset(Role))
STAFF_READ = Policy("staff read (admin, coordinator, team member)", STAFF)
EDITOR_READ = Policy("coordinator or admin read", EDITORS)
EDITOR_WRITE = Policy("coordinator or admin write", EDITORS, writes=True)
#: Admins only (unlocking a period; rba.store.locks checks the role again).
ADMIN_WRITE = Policy("admin write", frozenset({Role.admin}), writes=True)
#: Turn-the-curve records: coordinators and admins, and members of the indicator's team
#: (the callback must also call `require_team`).
TEAM_WRITE = Policy("team member of that team, coordinator or admin write", STAFF, writes=True)

#: Declared policy of every server-side callback, by its output id (as Dash names it).
POLICIES: dict[str, Policy] = {}
#: Every callback registered with dash.callback or dash.clientside_callback in this process,
#: by output id: (its entry in Dash's callback list, its entry in Dash's callback map).
CALLBACKS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
#: The browser code of clientside callbacks given as JavaScript text, in order.
CLIENTSIDE_SCRIPTS: list[str] = []


def pages_router_id() -> str:
    """The output id of Dash's routing callback, which serves page layouts."""
    return create_callback_id([Output("_pages_content", "children"),
                               Output("_pages_store", "data")],
                              [Input("_pages_location", "pathname")])


# The router is public: every page layout checks the user itself (see page_refusal).
POLICIES[pages_router_id()] = PUBLIC


@dataclass(frozen=True, eq=False)
class Account(UserMixin):
    """The signed-in user as pages see them: never the password hash."""

    id: int
    email: str
    name: str | None
    role: Role
    team: str | None

    def get_id(self) -> str:
        return str(self.id)

    @property
    def role_words(self) -> str:
        return _(ROLE_WORDS[self.role])


def account() -> Account | None:
    """The signed-in user of the current request, or None."""
    user = current_user._get_current_object() if flask.has_request_context() else None
    return user if isinstance(user, Account) else None


def allowed(policy: Policy, user: Account | None = None) -> bool:
    """Whether ``user`` (default: the current one) may run something with this policy."""
    if policy.roles is None:
        return True
    user = user if user is not None else account()
    return user is not None and user.role in policy.roles


def require(policy: Policy) -> Account | None:
    """The current user if the policy allows them; else raise 401 (signed out) or 403."""
    if policy.roles is None:
        return account()
    user = account()
    if user is None:
        raise Unauthorized(_("Sign in to do this."))
    if user.role not in policy.roles:
        raise Forbidden(_("Your role may not do this."))
    return user


def require_team(user: Account, team: str | None) -> None:
    """Team members may change only their own team's records (403 otherwise)."""
    if user.role == Role.team_member and (team is None or user.team != team):
        raise Forbidden(_("Team members may change only their own result team's records."))


def secure_callback(policy: Policy, *args: Any, **kwargs: Any) -> Callable[[Callable], Callable]:
    """`dash.callback` with a declared access policy, checked again inside the function."""
    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def checked(*call_args: Any, **call_kwargs: Any) -> Any:
            require(policy)
            return func(*call_args, **call_kwargs)

        checked.policy = policy  # type: ignore[attr-defined]
        registered = dash.callback(*args, **kwargs)(checked)
        POLICIES[_callback.GLOBAL_CALLBACK_LIST[-1]["output"]] = policy
        return registered
    return decorator


def install_callbacks(app: dash.Dash) -> None:
    """Give ``app`` every callback registered in this process, whichever app was built first.

    Takes what dash.callback registered since the last app was built out of Dash's global
    lists (so no app's start-up takes them for itself alone); a later registration of the
    same output (a page module Dash ran again for this app) replaces the earlier one. Each
    callback keeps its function, so `secure_callback`'s check and the request gate's policy
    (by output id, see dashboards.signin.gate_callbacks) are the same in every app.
    """
    for spec in _callback.GLOBAL_CALLBACK_LIST:
        CALLBACKS[spec["output"]] = (spec, _callback.GLOBAL_CALLBACK_MAP[spec["output"]])
    CLIENTSIDE_SCRIPTS.extend(script for script in dict.fromkeys(
        _callback.GLOBAL_INLINE_SCRIPTS) if script not in CLIENTSIDE_SCRIPTS)
    _callback.GLOBAL_CALLBACK_LIST.clear()
    _callback.GLOBAL_CALLBACK_MAP.clear()
    _callback.GLOBAL_INLINE_SCRIPTS.clear()
    for output, (spec, entry) in CALLBACKS.items():
        if output not in app.callback_map:  # one the app registered itself stays
            app.callback_map[output] = dict(entry)
            app._callback_list.append(dict(spec))
    app._inline_scripts.extend(script for script in CLIENTSIDE_SCRIPTS
                               if script not in app._inline_scripts)


def page_refusal(policy: Policy, path: str) -> html.Div | None:
    """What a private page shows instead of itself to a visitor the policy refuses; else None."""
    if allowed(policy):
        return None
    if account() is None:
        return html.Div(dbc_alert([
            html.H1(_("Sign in to see this page"), className="h4 alert-heading"),
            html.P(_("This page is for the partnership's staff.")),
            dcc.Link(_("Sign in"), href=f"/login?next={path}", className="btn btn-primary"),
        ]), id=ids.SIGN_IN_NEEDED)
    return html.Div(dbc_alert([
        html.H1(_("You do not have access to this page"), className="h4 alert-heading"),
        html.P(_("Ask an admin if you need it for your work.")),
    ]), id=ids.ACCESS_REFUSED)


def dbc_alert(children: list) -> Any:
    import dash_bootstrap_components as dbc

    return dbc.Alert(children, color="warning", className="my-4")
