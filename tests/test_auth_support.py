"""Shared fixtures and helpers of the dashboard's auth, upload, entry and history tests.

The store is test_queries' seed (with the unpublished indicator "hidden", value 7 in 2023)
plus one user per role; every password is PASSWORD.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from dash import Dash
from dash._utils import split_callback_id
from flask.testing import FlaskClient
from flask_login import login_user
from test_queries import seed_store

from dashboards.app import create_app
from dashboards.signin import load_account
from rba.models import AuditEvent, Batch, Observation, ObservationRevision, User
from rba.store import connect, session_scope
from rba.store.people import add_user

PASSWORD = "correct horse battery"
USERS = {"admin": "admin@example.org", "coordinator": "coord@example.org",
         "team_member": "member@example.org", "viewer": "viewer@example.org"}


def seed_users(session: Any) -> None:
    for role, email in USERS.items():
        add_user(session=session, email=email, role=role, password=PASSWORD, actor="test",
                 team="academics" if role == "team_member" else None)


@pytest.fixture
def app(sqlite_url: str) -> Dash:
    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
        seed_users(session)
    return create_app(sqlite_url)


@pytest.fixture
def client(app: Dash) -> FlaskClient:
    client = app.server.test_client()
    client.get("/")  # Dash sets up its callbacks on the first request
    return client


def sign_in(client: FlaskClient, role: str, password: str = PASSWORD) -> Any:
    """Sign in through the form; returns the response (303 to the next page)."""
    return client.post("/login", data={"email": USERS[role], "password": password,
                                       "next": "/"})


@contextmanager
def as_user(app: Dash, role: str | None, path: str = "/") -> Iterator[None]:
    """A request context with this role signed in (None: signed out), as Dash calls pages."""
    with app.server.test_request_context(path):
        if role is not None:
            with app.server.config["RBA_SESSION_FACTORY"]() as session:
                user_id = session.scalar(sa.select(User.id).where(User.email == USERS[role]))
            login_user(load_account(str(user_id)))
        yield


def counts(app: Dash) -> dict[str, int]:
    """Rows in the tables a write would touch."""
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        return {model.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(
            model)) for model in (AuditEvent, Batch, Observation, ObservationRevision, User)}


def data_url(text: str, mime: str = "text/csv") -> str:
    return f"data:{mime};base64," + base64.b64encode(text.encode()).decode()


def callback_body(app: Dash, output: str, values: dict[tuple[str, str], Any]) -> dict:
    """A request body for the callback with this output id, inputs and states from values."""
    spec = next(c for c in app._callback_list if c["output"] == output)

    def concrete(dep_id: str) -> Any:
        """A pattern-matching id as a browser sends it: wildcards filled with crafted text."""
        if not dep_id.startswith("{"):
            return dep_id
        return {k: "crafted" if v in (["MATCH"], ["ALL"], ["ALLSMALLER"]) else v
                for k, v in json.loads(dep_id).items()}

    def item(dep: dict) -> dict:
        return {"id": concrete(dep["id"]), "property": dep["property"],
                "value": values.get((dep["id"], dep["property"]))}

    inputs = [item(d) for d in spec["inputs"]]
    outputs = split_callback_id(output)
    if isinstance(outputs, dict):
        outputs = {**outputs, "id": concrete(outputs["id"])}
    return {"output": output, "outputs": outputs, "inputs": inputs,
            "state": [item(d) for d in spec["state"]],
            "changedPropIds": [f"{d['id']}.{d['property']}" for d in spec["inputs"]]}


def post_callback(client: FlaskClient, body: Any) -> Any:
    return client.post("/_dash-update-component", data=json.dumps(body),
                       content_type="application/json")
