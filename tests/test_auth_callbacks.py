"""Authorization is enforced on the server for every Dash callback, whatever the request says.

Every callback the app has is called with crafted bodies, signed out and as a viewer:
write callbacks answer 401 or 403 and write nothing, and no answer carries an
unpublished indicator's name or value or the audit trail. The same bodies sent by a
coordinator do write, so the refusals are not a body that could never have worked.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from dash import Dash
from factories import USERS, as_user, callback_body, counts, data_url, post_callback, sign_in
from flask.testing import FlaskClient
from werkzeug.exceptions import Forbidden, Unauthorized

from dashboards import ids
from dashboards.auth import POLICIES, pages_router_id
from dashboards.components.entry_grid import grid_rows
from dashboards.components.import_plan import decode_upload, fingerprint
from rba.i18n import label_map
from rba.services.imports import plan_upload
from rba.store.catalogue import dimension_labels
from rba.store.entry import entry_grid

UPLOAD_CSV = "indicator,period,value\ngrad_rate,2024-25,83.0\n"
#: Text that must never reach someone who may not see it.
SECRETS = ("Not yet published", "hidden:", "hidden|", USERS["admin"], USERS["viewer"],
           "add user")
CRAFTED_PATHS = ["/upload", "/entry", "/locks", "/history", "/indicators/hidden",
                 "/batches/{batch}",
                 "/history?entity=user&id=admin@example.org",
                 "/history?entity=observation&id=hidden|2023|{}"]



def crafted_values(app: Dash) -> dict[tuple[str, str], Any]:
    """Inputs that make each write callback write, when its caller may."""
    with as_user(app, "coordinator", "/entry"):
        factory = app.server.config["RBA_SESSION_FACTORY"]
        with factory() as session:
            data, name = decode_upload(data_url(UPLOAD_CSV), "observations.csv")
            plan = plan_upload(session=session, data=data, name=name)
            frame, dims = entry_grid(session=session, period="2024-25", team="academics")
            rows = grid_rows(frame, dims, label_map(dimension_labels(session=session)))
    assert plan.has_changes and not plan.problems
    # A row the upload above does not touch, so both writes can succeed in one test.
    altadena = next(r for r in rows if r["row_id"] == 'grad_rate|2024-25|{"city":"Altadena"}')
    altadena["value"] = "77.5"
    return {
        (ids.UPLOAD_FILE, "contents"): data_url(UPLOAD_CSV),
        (ids.UPLOAD_FILE, "filename"): "observations.csv",
        (ids.UPLOAD_CHECKED, "data"): {"file": name, "fingerprint": fingerprint(plan),
                                       "sha256": hashlib.sha256(data).hexdigest()},
        (ids.UPLOAD_COMMIT, "n_clicks"): 1,
        (ids.UNDO_BUTTON, "n_clicks"): 1,
        (ids.UNDO_CONFIRM, "n_clicks"): 1,
        (ids.LOCK_BUTTON, "n_clicks"): 1,
        (ids.LOCK_PERIOD, "value"): "2023-24",
        (ids.LOCK_SCOPE, "value"): "all",
        (ids.UNLOCK_BUTTON, "n_clicks"): 1,
        (ids.UNLOCK_CHOICE, "value"): "grad_rate|2023-24",
        (ids.UNLOCK_REASON, "value"): "crafted",
        (ids.TEMPLATE_BUTTON, "n_clicks"): 1,
        (ids.TEMPLATE_PERIOD, "value"): "2024-25",
        (ids.ENTRY_LOAD, "n_clicks"): 1,
        (ids.ENTRY_PERIOD, "value"): "2023",
        (ids.ENTRY_GRID, "cellValueChanged"): [{"rowIndex": 0}],
        (ids.ENTRY_GRID, "rowData"): [altadena],
        (ids.ENTRY_LOADED, "data"): {"period": "2024-25", "team": "academics", "dims": dims},
        (ids.ENTRY_SAVE, "n_clicks"): 1,
        (ids.SERIES_DROPDOWN, "value"): "hidden:{}",
        (ids.CURVE_ROWS, "data"): [],
        (ids.CURVE_META, "data"): {"name": "x", "unit": "count", "per": None, "labels": {}},
        ("_pages_location", "search"): "",
        ("_pages_store", "data"): {"title": "x"},
    }


def bodies(app: Dash, output: str, values: dict, batch: str) -> list[dict]:
    """The crafted bodies for one callback (the page router: one per private pathname)."""
    if output != pages_router_id():
        return [callback_body(app, output, values)]
    out = []
    for path in CRAFTED_PATHS:
        pathname, _sep, search = path.replace("{batch}", batch).partition("?")
        out.append(callback_body(app, output, {
            **values, ("_pages_location", "pathname"): pathname,
            ("_pages_location", "search"): f"?{search}" if search else ""}))
    return out


def some_batch(app: Dash) -> str:
    from rba.store.audit import recent_batches

    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        return recent_batches(session=session)[0]["id"]


def test_every_callback_declares_a_policy(client: FlaskClient, app: Dash) -> None:
    server_side = {o for o, cb in app.callback_map.items() if cb.get("callback")}
    undeclared = sorted(o for o in server_side if o not in POLICIES)
    assert undeclared == []
    assert POLICIES[pages_router_id()].roles is None


@pytest.mark.parametrize("role", [None, "viewer", "team_member"])
def test_crafted_calls_to_every_callback_write_nothing_and_leak_nothing(
        client: FlaskClient, app: Dash, role: str | None) -> None:
    if role is not None:
        sign_in(client, role)
    values, batch = crafted_values(app), some_batch(app)
    before = counts(app)
    calls = 0
    for output in app.callback_map:
        policy = POLICIES.get(output)
        for body in bodies(app, output, values, batch):
            response = post_callback(client, body)
            calls += 1
            if policy is None:  # undeclared: refused whoever asks
                assert response.status_code == 403, output
            elif policy.roles is not None and (role is None or role not in policy.roles):
                assert response.status_code == (401 if role is None else 403), output
            elif policy.roles is not None:  # a role the policy admits (team members, on
                # team callbacks): it may still be refused by the callback's own check
                # (another team's record), and must write and leak nothing either way.
                assert response.status_code in (200, 204, 403), (output, response.data[:300])
            else:
                assert response.status_code in (200, 204), (output, response.data[:300])
            answer = response.get_data(as_text=True)
            leaked = [s for s in SECRETS if s in answer]
            assert leaked == [], (output, body["inputs"], leaked)
    assert counts(app) == before
    assert calls >= len(app.callback_map) + len(CRAFTED_PATHS) - 1


def test_the_same_bodies_do_write_for_a_coordinator(client: FlaskClient, app: Dash) -> None:
    sign_in(client, "coordinator")
    values = crafted_values(app)
    before = counts(app)
    commit = next(o for o in app.callback_map if o.startswith("..upload-committed.children@"))
    assert post_callback(client, callback_body(app, commit, values)).status_code == 200
    after_upload = counts(app)
    assert after_upload["batches"] == before["batches"] + 1
    save = next(o for o in app.callback_map if o.startswith("..entry-saved.children@"))
    response = post_callback(client, callback_body(app, save, values))
    assert response.status_code == 200, response.data[:500]
    assert counts(app)["batches"] == after_upload["batches"] + 1


@pytest.mark.parametrize("payload", ["not json", "[]", '{"output": 5}', "{}"])
def test_malformed_callback_bodies_get_400(client: FlaskClient, payload: str) -> None:
    response = client.post("/_dash-update-component", data=payload,
                           content_type="application/json")
    assert response.status_code == 400


def test_a_body_not_matching_its_callback_gets_400_not_500(client: FlaskClient,
                                                          app: Dash) -> None:
    """Outputs that do not match the callback's definition are the caller's mistake."""
    client.get("/_dash-layout")  # the app registers its callbacks on its first request
    output = next(o for o, policy in POLICIES.items()
                  if o in app.callback_map and policy.roles is None and "." in o
                  and not o.startswith(".."))
    body = {"output": output, "outputs": {"id": output.rsplit(".", 1)[0],
                                          "property": "not-what-it-declares"},
            "inputs": [], "state": [], "changedPropIds": []}
    response = post_callback(client, body)
    assert response.status_code == 400, response.data


def test_an_undeclared_callback_is_refused(client: FlaskClient) -> None:
    sign_in(client, "admin")
    for output in ("..nothing.children..", "_pages_dummy.children"):
        body = {"output": output, "outputs": [], "inputs": [], "state": []}
        assert post_callback(client, body).status_code == 403


def test_a_forged_session_cookie_cannot_run_a_write_callback(client: FlaskClient, app: Dash
                                                             ) -> None:
    values = crafted_values(app)
    before = counts(app)
    commit = next(o for o in app.callback_map if o.startswith("..upload-committed.children@"))
    client.set_cookie("rba_session", "eyJfdXNlcl9pZCI6IjEifQ.forged.signature")
    assert post_callback(client, callback_body(app, commit, values)).status_code == 401
    assert counts(app) == before


def test_write_functions_check_the_role_themselves(app: Dash) -> None:
    """Defense in depth: called directly, past the request gate, they still refuse."""
    import importlib

    upload = importlib.import_module("dashboards.pages.upload")
    entry = importlib.import_module("dashboards.pages.entry")
    values = crafted_values(app)
    before = counts(app)
    for role, error in ((None, Unauthorized), ("viewer", Forbidden),
                        ("team_member", Forbidden)):
        with as_user(app, role), pytest.raises(error):
            upload.commit_upload(1, values[(ids.UPLOAD_FILE, "contents")], "observations.csv",
                                 values[(ids.UPLOAD_CHECKED, "data")])
        with as_user(app, role), pytest.raises(error):
            entry.save_grid(1, values[(ids.ENTRY_GRID, "rowData")],
                            values[(ids.ENTRY_LOADED, "data")])
        with as_user(app, role), pytest.raises(error):
            upload.check_upload(values[(ids.UPLOAD_FILE, "contents")], "observations.csv")
    assert counts(app) == before


