"""Who may do what: sign-in, cookies, and a declared access policy for every Dash callback.

Every server-side callback is registered with `secure_callback(policy, ...)`, which records
its policy under the callback's output id and checks the policy again inside the function.
A Flask ``before_request`` hook reads the ``output`` of each request to
``/_dash-update-component`` and refuses it before Dash runs anything when the caller lacks
the policy's role (401 signed out, 403 signed in), when no policy was declared for that
output (403: deny by default), or when the body is not a JSON callback request (400). The
check keys on the callback itself, never on the page's pathname, which the caller controls.

Page layouts are served by Dash's public routing callback, so each private page checks the
signed-in user in its layout with `page_refusal`.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import dash
import flask
import sqlalchemy as sa
from dash import _callback, dcc, html
from dash._utils import create_callback_id
from dash.dependencies import Input, Output
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_login.utils import decode_cookie
from itsdangerous import BadSignature, SignatureExpired
from werkzeug.exceptions import Forbidden, Unauthorized

from dashboards.data import read_session, session_factory
from dashboards.i18n import _
from rba.config import get_settings
from rba.models import ResultTeam, Role, User
from rba.store import session_scope
from rba.store.signin import Outcome, sign_in

EDITORS = frozenset({Role.admin, Role.coordinator})
STAFF = frozenset({Role.admin, Role.coordinator, Role.team_member})
ROLE_WORDS = {Role.admin: "Admin", Role.coordinator: "Coordinator",
              Role.team_member: "Team member", Role.viewer: "Viewer"}
SESSION_COOKIE = "rba_session"


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
#: Turn-the-curve records: coordinators and admins, and members of the indicator's team
#: (the callback must also call `require_team`).
TEAM_WRITE = Policy("team member of that team, coordinator or admin write", STAFF, writes=True)

#: Declared policy of every server-side callback, by its output id (as Dash names it).
POLICIES: dict[str, Policy] = {}


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


def page_refusal(policy: Policy, path: str) -> html.Div | None:
    """What a private page shows instead of itself to a visitor the policy refuses; else None."""
    if allowed(policy):
        return None
    if account() is None:
        return html.Div(dbc_alert([
            html.H1(_("Sign in to see this page"), className="h4 alert-heading"),
            html.P(_("This page is for the partnership's staff.")),
            dcc.Link(_("Sign in"), href=f"/login?next={path}", className="btn btn-primary"),
        ]), id="sign-in-needed")
    return html.Div(dbc_alert([
        html.H1(_("You do not have access to this page"), className="h4 alert-heading"),
        html.P(_("Ask an admin if you need it for your work.")),
    ]), id="access-refused")


def dbc_alert(children: list) -> Any:
    import dash_bootstrap_components as dbc

    return dbc.Alert(children, color="warning", className="my-4")


# --- Flask side: cookies, sign-in, sign-out and the callback gate ---------------------------

class StrictSessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions that remember when the cookie sent was malformed or forged."""

    def open_session(self, app: flask.Flask, request: flask.Request) -> Any:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            data = serializer.loads(
                value, max_age=int(app.permanent_session_lifetime.total_seconds()))
        except SignatureExpired:
            return self.session_class()
        except BadSignature:
            session = self.session_class()
            session.malformed = True  # type: ignore[attr-defined]
            return session
        return self.session_class(data if isinstance(data, dict) else {})


def cookie_secure(environ: dict[str, str] | None = None) -> bool:
    """RBA_COOKIE_SECURE: send cookies over HTTPS only (1, true, yes or on)."""
    env = os.environ if environ is None else environ
    return env.get("RBA_COOKIE_SECURE", "").strip().lower() in ("1", "true", "yes", "on")


def install_auth(app: dash.Dash) -> None:
    """Cookies, Flask-Login, the sign-in and sign-out routes and the callback gate."""
    # Imported here: rba.workbook.read must not be the first rba.ingest module imported.
    from rba.workbook.read import MAX_FILE_BYTES

    server = app.server
    server.secret_key = get_settings().secret_key or secrets.token_hex(32)
    secure = cookie_secure()
    server.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE, SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        # The largest callback request: an upload as base64 (4/3 of its bytes) plus JSON.
        MAX_CONTENT_LENGTH=MAX_FILE_BYTES * 4 // 3 + 1024 * 1024,
    )
    server.session_interface = StrictSessionInterface()
    manager = LoginManager()
    manager.init_app(server)
    manager.user_loader(load_account)
    server.before_request(refuse_malformed_credentials)
    server.before_request(functools.partial(gate_callbacks, app))
    server.add_url_rule("/login", "rba_sign_in", sign_in_view, methods=["POST"])
    server.add_url_rule("/logout", "rba_sign_out", sign_out_view, methods=["POST"])


def load_account(user_id: str) -> Account | None:
    """The active user with this id (Flask-Login's user loader), read fresh each request."""
    try:
        key = int(user_id)
    except (TypeError, ValueError):
        return None
    with read_session() as session:
        user = session.get(User, key)
        return None if user is None or not user.active else _account(session, user)


def _account(session: Any, user: User) -> Account:
    team = None if user.team_id is None else session.scalar(
        sa.select(ResultTeam.slug).where(ResultTeam.id == user.team_id))
    return Account(user.id, user.email, user.name, user.role, team)


def _refusal(status: int, message: str) -> flask.Response:
    response = flask.jsonify({"error": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Cookie realm="rba", form="/login"'
    return response


def malformed_authorization(header: str) -> bool:
    """Whether an Authorization header cannot be read: no credentials, bad Basic or Bearer.

    The dashboard signs in with cookies only; a well-formed header (a proxy's, say) is
    ignored, but one that cannot be read is refused rather than guessed at.
    """
    scheme, _sep, credentials = header.strip().partition(" ")
    credentials = credentials.strip()
    if not scheme or not credentials:
        return True
    if scheme.lower() == "basic":
        parsed = flask.request.authorization
        return parsed is None or parsed.username is None
    if scheme.lower() == "bearer":
        return re.fullmatch(r"[A-Za-z0-9\-._~+/]+=*", credentials) is None
    return False


def refuse_malformed_credentials() -> flask.Response | None:
    """401 for an Authorization header or session cookie that cannot be read (never a 500)."""
    header = flask.request.headers.get("Authorization")
    if header is not None and malformed_authorization(header):
        return _refusal(401, _("The Authorization header is malformed."))
    remember = flask.current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    if getattr(flask.session, "malformed", False) or (
            remember in flask.request.cookies
            and decode_cookie(flask.request.cookies[remember]) is None):
        response = _refusal(401, _("Your sign-in cookie is not valid (the server may have "
                                   "restarted). Reload the page and sign in again."))
        response.delete_cookie(SESSION_COOKIE)
        response.delete_cookie(remember)
        return response
    return None


def gate_callbacks(app: dash.Dash) -> flask.Response | None:
    """Refuse a callback request the caller's role does not allow, before Dash runs it."""
    request = flask.request
    if request.path != app.config.routes_pathname_prefix + "_dash-update-component":
        return None
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return _refusal(400, _("Expected a JSON callback request naming its output."))
    output = body["output"]
    policy = POLICIES.get(output) if output in app.callback_map else None
    if policy is None:
        return _refusal(403, _("No access policy is declared for this callback."))
    if allowed(policy):
        return None
    if account() is None:
        return _refusal(401, _("Sign in to do this."))
    return _refusal(403, _("Your role may not do this."))


def safe_next(target: str | None) -> str:
    """A path on this site to go to after signing in (anything else: the home page)."""
    if (not target or not target.startswith("/") or target.startswith("//")
            or "\\" in target or any(ord(c) < 32 for c in target)):
        return "/"
    return target


def _same_origin() -> bool:
    origin = flask.request.headers.get("Origin")
    if not origin or origin == "null":
        return origin is None
    return origin.split("://", 1)[-1] == flask.request.host


def sign_in_view() -> flask.Response:
    """POST /login: check the form's email and password (rate-limited), then redirect."""
    if not _same_origin():
        raise Forbidden(_("Sign in from this site's own sign-in page."))
    form = flask.request.form
    target = safe_next(form.get("next"))
    with session_scope(session_factory()) as session:
        result = sign_in(session=session, email=form.get("email", ""),
                         password=form.get("password", ""),
                         address=flask.request.remote_addr)
        found = None if result.user is None else _account(session, result.user)
    if result.outcome is Outcome.signed_in and found is not None:
        flask.session.clear()
        login_user(found)
        return flask.redirect(target, code=303)
    query = {"error": result.outcome.value, **({"next": target} if target != "/" else {})}
    return flask.redirect("/login?" + urlencode(query), code=303)


def sign_out_view() -> flask.Response:
    """POST /logout: forget the signed-in user and go home."""
    if not _same_origin():
        raise Forbidden(_("Sign out from this site's own pages."))
    logout_user()
    flask.session.clear()
    return flask.redirect("/", code=303)


def declared(outputs: Iterable[str]) -> dict[str, Policy | None]:
    """The policy declared for each callback output id (None: undeclared)."""
    return {output: POLICIES.get(output) for output in outputs}
