"""Every app create_app builds has every callback, with the same access checks, however many
apps one process builds: Dash gives the callbacks registered outside page modules (the nav
toggle, the story editor, the indicator downloads, the sparkline figures) to the first app
that starts serving only, unless dashboards.auth.install_callbacks hands them to each app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from dash import Dash
from factories import callback_body, post_callback, seed_store, seed_users, sign_in
from flask.testing import FlaskClient

from dashboards import ids
from dashboards.app import create_app
from dashboards.auth import CALLBACKS, POLICIES
from dashboards.components import story as _story
from rba.models import TurnTheCurveRecord
from rba.store import connect, session_scope

#: Callbacks registered by modules that are not pages, each found by its output id.
SHARED: dict[str, Callable[[str], bool]] = {
    "nav toggle": lambda o: o == f"{ids.NAV_COLLAPSE}.is_open",
    "story editor": lambda o: f".{ids.STORY}.children." in o,
    "indicator data download": lambda o: o == f"{ids.CURVE_DOWNLOAD}.data",
    "indicator chart download": lambda o: o == f"{ids.CURVE_CHART_SAVED}.children",
    "sparkline figures": lambda o: f'"type":"{ids.SPARKLINE_FIGURES}"' in o,
}


@pytest.fixture
def apps(sqlite_url: str) -> list[Dash]:
    """Two apps of one store, both built before either serves a request."""
    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
        seed_users(session)
    return [create_app(sqlite_url), create_app(sqlite_url)]


def started(app: Dash) -> FlaskClient:
    client = app.server.test_client()
    client.get("/")  # Dash sets up its callbacks on the first request
    return client


def output_of(app: Dash, name: str) -> str:
    """The output id of one of the SHARED callbacks in this app."""
    found = [o for o in app.callback_map if SHARED[name](o)]
    assert found, f"this app lacks the {name}"
    return found[0]


def story_values() -> dict[tuple[str, str], Any]:
    return {(ids.STORY_SAVE, "n_clicks"): 1,
            (ids.STORY_CODE, "data"): {"code": "grad_rate", "lang": "en"},
            **{(_story.field_id(f), "value"): f"Crafted {f}." for f in _story.FIELDS}}


def story_versions(app: Dash) -> int:
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(TurnTheCurveRecord))


def test_each_app_has_every_callback_once(apps: list[Dash]) -> None:
    for app in apps:
        started(app)
    first, second = (set(app.callback_map) for app in apps)
    for name, found in SHARED.items():
        assert any(found(o) for o in second), f"the second app lacks the {name}"
        assert any(found(o) for o in first), f"the first app lacks the {name}"
    assert second == first and set(CALLBACKS) <= first
    for app in apps:
        listed = [c["output"] for c in app._callback_list]
        assert sorted(listed) == sorted(set(listed)) == sorted(app.callback_map)
        server_side = {o for o, cb in app.callback_map.items() if cb.get("callback")}
        assert sorted(o for o in server_side if o not in POLICIES) == []


def test_each_app_serves_the_browser_code_of_its_clientside_callbacks(apps: list[Dash]
                                                                       ) -> None:
    for app in apps:
        page = started(app).get("/").get_data(as_text=True)
        assert "return n ? !open : open" in page  # the nav toggle
        assert "Plotly.downloadImage" in page  # the chart download


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("viewer", 403),
                                               ("coordinator", 200)])
def test_a_crafted_call_is_judged_the_same_by_each_app(apps: list[Dash], role: str | None,
                                                       status: int) -> None:
    for app in apps:
        client = started(app)
        if role is not None:
            sign_in(client, role)
        before = story_versions(app)
        story = output_of(app, "story editor")
        response = post_callback(client, callback_body(app, story, story_values()))
        assert response.status_code == status, response.data[:300]
        assert story_versions(app) == before + (status == 200)
        figures = output_of(app, "sparkline figures")
        opened = post_callback(client, callback_body(app, figures, {}))
        assert opened.status_code in (200, 204), opened.data[:300]  # public: never refused
