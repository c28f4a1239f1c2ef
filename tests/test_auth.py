"""Sign-in, sign-out, cookies, rate limiting and who sees which page."""

from __future__ import annotations

import importlib
import json
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from dash import Dash
from factories import PASSWORD, USERS, as_user, seed_store, seed_users, sign_in, text
from flask.testing import FlaskClient

from dashboards.app import create_app
from dashboards.signin import safe_next
from rba.models import SignInAttempt
from rba.models.base import utcnow
from rba.store import connect, session_scope
from rba.store.people import (
    ADDRESS_MAX_FAILURES,
    MAX_FAILURES,
    Outcome,
    is_limited,
    recent_failures,
)
from rba.store.people import sign_in as store_sign_in


def shell(client: FlaskClient) -> str:
    """The app's layout (navbar and all) as JSON text, slashes unescaped."""
    return json.dumps(client.get("/_dash-layout").get_json())


def test_sign_in_sets_a_httponly_samesite_cookie_and_shows_who(client: FlaskClient) -> None:
    response = sign_in(client, "coordinator")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    layout = shell(client)
    assert USERS["coordinator"] in layout and "Coordinator" in layout
    assert "Sign out" in layout and "/upload" in layout and "/entry" in layout


def test_secure_cookie_when_configured(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
        seed_users(session)
    monkeypatch.setenv("RBA_COOKIE_SECURE", "1")
    secure = create_app(sqlite_url).server.test_client()
    assert "Secure" in sign_in(secure, "viewer").headers["Set-Cookie"]


def test_wrong_password_says_so_without_saying_which_part(client: FlaskClient) -> None:
    response = sign_in(client, "coordinator", password="wrong password")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/login?error=invalid")
    layout = shell(client)
    assert "Sign out" not in layout


def test_sign_in_page_explains_a_failed_attempt(app: Dash) -> None:
    with as_user(app, None, "/login"):
        page = importlib.import_module("dashboards.pages.login")
        words = text(page.layout(error="invalid"))
        assert "do not match an active account" in words
        assert "Wait 15 minutes" in text(page.layout(error="limited"))
        assert "do not match" not in text(page.layout(error="<script>"))


def test_sign_out_forgets_the_user(client: FlaskClient) -> None:
    sign_in(client, "admin")
    assert client.post("/logout").status_code == 303
    layout = shell(client)
    assert USERS["admin"] not in layout and "Sign in" in layout


def test_sign_in_from_another_site_is_refused(client: FlaskClient) -> None:
    response = client.post("/login", data={"email": USERS["admin"], "password": PASSWORD},
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 403


@pytest.mark.parametrize("target, expected", [
    ("/upload", "/upload"), ("//evil.example/x", "/"), ("https://evil.example", "/"),
    ("/\\evil", "/"), (None, "/"), ("javascript:alert(1)", "/"),
])
def test_only_local_pages_are_followed_after_sign_in(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_failures_are_limited_per_email(client: FlaskClient) -> None:
    for _ in range(MAX_FAILURES):
        assert "error=invalid" in sign_in(client, "viewer", "bad password").headers["Location"]
    # Even the right password is refused now, and the refusal says why.
    assert "error=limited" in sign_in(client, "viewer").headers["Location"]


def test_failures_are_limited_per_address(client: FlaskClient) -> None:
    for n in range(ADDRESS_MAX_FAILURES - 1):
        client.post("/login", data={"email": f"nobody{n}@example.org", "password": "x"})
    assert "error=limited" not in sign_in(client, "viewer", "bad").headers["Location"]
    assert "error=limited" in sign_in(client, "admin").headers["Location"]


def test_a_stranger_cannot_lock_an_account_from_another_address(client: FlaskClient) -> None:
    stranger = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(MAX_FAILURES + 3):
        client.post("/login", data={"email": USERS["admin"], "password": "guess"},
                    environ_base=stranger)
    refused = client.post("/login", data={"email": USERS["admin"], "password": PASSWORD},
                          environ_base=stranger)
    assert "error=limited" in refused.headers["Location"]
    # The admin, from their own address, still signs in.
    assert sign_in(client, "admin").headers["Location"] == "/"


def test_the_limit_holds_across_server_processes(sqlite_url: str, app: Dash) -> None:
    """Two apps on one database (as two worker processes) share the count."""
    first = app.server.test_client()
    second = create_app(sqlite_url).server.test_client()
    for _ in range(MAX_FAILURES - 1):
        sign_in(first, "coordinator", "bad password")
    sign_in(second, "coordinator", "bad password")
    assert "error=limited" in sign_in(first, "coordinator").headers["Location"]


def test_store_sign_in_counts_only_recent_failures_since_the_last_success(
        sqlite_url: str) -> None:
    factory = connect(sqlite_url)
    with session_scope(factory) as session:
        seed_store(session)
        seed_users(session)
    email, now = USERS["viewer"], utcnow()
    with session_scope(factory) as session:
        old = now - timedelta(minutes=20)
        for _ in range(MAX_FAILURES):
            store_sign_in(session=session, email=email, password="nope", address="10.0.0.1",
                          now=old)
        assert not is_limited(session=session, email=email, address="10.0.0.1", now=now)
        for _ in range(MAX_FAILURES - 1):
            store_sign_in(session=session, email=email, password="nope", address="10.0.0.2",
                          now=now)
        ok = store_sign_in(session=session, email=" Viewer@Example.org ", password=PASSWORD,
                           address="10.0.0.2", now=now)
        assert ok.outcome is Outcome.signed_in and ok.user is not None
        assert recent_failures(session=session, email=email, now=now) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(SignInAttempt)) == 10


def test_malformed_cookie_gives_401_not_500(client: FlaskClient) -> None:
    client.set_cookie("rba_session", "not-a-signed-cookie")
    response = client.get("/")
    assert response.status_code == 401
    assert "rba_session=;" in response.headers.get("Set-Cookie", "")
    client.set_cookie("rba_session", "")
    client.set_cookie("remember_token", "garbage")
    assert client.get("/_dash-layout").status_code == 401


@pytest.mark.parametrize("header", ["Basic !!!notbase64", "Basic", "Bearer", "Bearer a b",
                                    "Digest", "Basic " + "bm9jb2xvbg=="])
def test_malformed_authorization_header_gives_401_not_500(client: FlaskClient,
                                                          header: str) -> None:
    response = client.get("/", headers={"Authorization": header})
    assert response.status_code == 401


def test_a_disabled_user_is_signed_out_on_the_next_request(client: FlaskClient, app: Dash
                                                          ) -> None:
    from rba.store.people import disable_user

    sign_in(client, "coordinator")
    with session_scope(app.server.config["RBA_SESSION_FACTORY"]) as session:
        disable_user(session=session, email=USERS["coordinator"], actor="test")
    layout = shell(client)
    assert USERS["coordinator"] not in layout


@pytest.mark.parametrize("name", ["upload", "entry"])
@pytest.mark.parametrize("role, shown", [(None, "Sign in to see this page"),
                                         ("viewer", "do not have access"),
                                         ("team_member", "do not have access")])
def test_editor_pages_refuse_others(app: Dash, name: str, role: str | None, shown: str
                                    ) -> None:
    with as_user(app, role, f"/{name}"):
        layout = importlib.import_module(f"dashboards.pages.{name}").layout()
    assert shown in text(layout)


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_editor_pages_open_for_editors(app: Dash, role: str) -> None:
    with as_user(app, role, "/upload"):
        assert "Upload figures" in text(importlib.import_module(
            "dashboards.pages.upload").layout())
        assert "Enter data" in text(importlib.import_module("dashboards.pages.entry").layout())


def test_public_pages_need_no_sign_in(client: FlaskClient) -> None:
    for path in ("/", "/indicators/grad_rate", "/login"):
        assert client.get(path).status_code == 200




def test_the_limit_on_each_database_backend(session: Any) -> None:
    seed_store(session)
    seed_users(session)
    email = USERS["coordinator"]
    for _ in range(MAX_FAILURES):
        result = store_sign_in(session=session, email=email, password="nope", address="a")
        assert result.outcome is Outcome.invalid
    refused = store_sign_in(session=session, email=email, password=PASSWORD, address="a")
    assert refused.outcome is Outcome.limited and refused.user is None
    # From another address the account is not locked: a stranger cannot lock it out.
    elsewhere = store_sign_in(session=session, email=email, password=PASSWORD, address="b")
    assert elsewhere.outcome is Outcome.signed_in
    other = store_sign_in(session=session, email=USERS["admin"], password=PASSWORD,
                          address="b")
    assert other.outcome is Outcome.signed_in
