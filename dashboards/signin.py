"""The Flask side of signing in: cookies, the sign-in and sign-out routes, and the gate
that checks every Dash callback request against its declared policy (dashboards.auth).
"""

from __future__ import annotations

import base64
import functools
import re
import secrets
from typing import Any
from urllib.parse import urlencode

import dash
import flask
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, login_user, logout_user
from flask_login.utils import decode_cookie
from itsdangerous import BadSignature, SignatureExpired
from werkzeug.exceptions import Forbidden

from dashboards.auth import POLICIES, Account, account, allowed
from dashboards.data import read_session, session_factory
from dashboards.i18n import _
from rba.config import get_settings
from rba.services import people
from rba.services.database import session_scope
from rba.services.imports import MAX_FILE_BYTES
from rba.services.people import Outcome, Person

SESSION_COOKIE = "rba_session"


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


def install_auth(app: dash.Dash, secret_key: str | None = None, *, sign_in: bool = True
                 ) -> None:
    """Cookies, Flask-Login, the sign-in and sign-out routes and the callback gate.

    Without ``sign_in`` (the public site), no sign-in or sign-out route, and no cookie
    makes anyone signed in: every callback needing a role is refused."""
    server = app.server
    server.secret_key = secret_key or get_settings().secret_key or secrets.token_hex(32)
    secure = get_settings().cookie_secure
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
    manager.user_loader(load_account if sign_in else nobody)
    server.before_request(refuse_malformed_credentials)
    server.before_request(functools.partial(gate_callbacks, app))
    # A request whose outputs or inputs do not match any callback is the caller's mistake.
    server.register_error_handler(dash.exceptions.CallbackException, malformed_callback)
    if sign_in:
        server.add_url_rule("/login", "rba_sign_in", sign_in_view, methods=["POST"])
        server.add_url_rule("/logout", "rba_sign_out", sign_out_view, methods=["POST"])


def nobody(_user_id: str) -> None:
    """The public site's user loader: whatever cookie is sent, nobody is signed in."""
    return None


def malformed_callback(error: Exception) -> tuple[str, int]:
    """400, not 500, for a callback request Dash cannot match to its definition."""
    return f"Bad callback request: {error}", 400


def load_account(user_id: str) -> Account | None:
    """The active user with this id (Flask-Login's user loader), read fresh each request."""
    try:
        key = int(user_id)
    except (TypeError, ValueError):
        return None
    with read_session() as session:
        person = people.person(session=session, user_id=key)
    return None if person is None else _account(person)


def _account(person: Person) -> Account:
    return Account(person.id, person.email, person.name, person.role, person.team)


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
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return True
        return ":" not in decoded
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
        outcome, person = people.sign_in(session=session, email=form.get("email", ""),
                                         password=form.get("password", ""),
                                         address=flask.request.remote_addr)
    if outcome is Outcome.signed_in and person is not None:
        flask.session.clear()
        login_user(_account(person))
        return flask.redirect(target, code=303)
    query = {"error": outcome.value, **({"next": target} if target != "/" else {})}
    return flask.redirect("/login?" + urlencode(query), code=303)


def sign_out_view() -> flask.Response:
    """POST /logout: forget the signed-in user and go home."""
    if not _same_origin():
        raise Forbidden(_("Sign out from this site's own pages."))
    logout_user()
    flask.session.clear()
    return flask.redirect("/", code=303)
