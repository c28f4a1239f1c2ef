"""Whole responses shared by visitors who see published data only (dashboards.page_cache):
separate by language, role, address and data version; never for a role that sees more;
compressed once; and the long-lived caching of files that never change at their address."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from collections import Counter
from typing import Any

import dash
import flask
import pytest
from dash import Dash
from factories import USERS, sign_in
from flask.testing import FlaskClient

from dashboards import ids, page_cache, warm
from dashboards.data import VERSION_KEY
from dashboards.i18n import COOKIE
from rba.i18n import LANGUAGES
from rba.store import audit, connect, session_scope
from rba.store.people import add_user
from rba.store.stories import save_story


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each page's layout really runs (a response sent from the cache runs none)."""
    counted: Counter[str] = Counter()
    for page in dash.page_registry.values():
        real = page["layout"]

        def counting(*args: Any, _real: Any = real,
                     _path: str = page.get("path_template") or page["path"], **kw: Any
                     ) -> Any:
            counted[_path] += 1
            return _real(*args, **kw)

        monkeypatch.setitem(page, "layout", counting)
    return counted


def content(client: FlaskClient, path: str, search: str = "", lang: str | None = None,
            gzipped: bool = False) -> Any:
    """What a browser is sent for a page's content (Dash's routing callback)."""
    if lang is not None:
        client.set_cookie(COOKIE, lang)
    response = client.post("/_dash-update-component", json=warm.content_request(path, search),
                           headers={"Accept-Encoding": "gzip"} if gzipped else {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def shown(response: Any) -> str:
    """The page content's JSON as text (uncompressed)."""
    body = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def test_a_page_is_drawn_once_per_language_then_sent_from_the_cache(
        client: FlaskClient, draws: Counter[str]) -> None:
    english = shown(content(client, "/indicators/grad_rate", lang="en"))
    assert shown(content(client, "/indicators/grad_rate", lang="en")) == english
    assert draws["/indicators/<code>"] == 1
    spanish = shown(content(client, "/indicators/grad_rate", lang="es"))
    assert draws["/indicators/<code>"] == 2
    assert "Which way is better" in english and "Which way is better" not in spanish
    assert shown(content(client, "/indicators/grad_rate", lang="es")) == spanish
    assert shown(content(client, "/indicators/grad_rate", "?lang=es", lang="en")) == spanish
    assert draws["/indicators/<code>"] == 3  # another address, drawn in the language it asks


def test_another_page_or_query_is_another_response(client: FlaskClient,
                                                   draws: Counter[str]) -> None:
    content(client, "/indicators/grad_rate")
    content(client, "/indicators/arrests")
    assert draws["/indicators/<code>"] == 2
    content(client, "/equity", "?result=R2&page=1")
    content(client, "/equity", "?page=1&result=R2")  # the same query in another order
    assert draws["/equity"] == 1
    content(client, "/equity", "?result=R2&page=2")
    assert draws["/equity"] == 2


def test_a_write_makes_the_next_request_fresh(app: Dash, client: FlaskClient,
                                              draws: Counter[str], sqlite_url: str) -> None:
    assert "Credit recovery helped." in shown(content(client, "/indicators/grad_rate"))
    with session_scope(connect(sqlite_url)) as session:
        save_story(session=session, code="grad_rate", actor="t",
                   fields={"story_behind_the_curve": "Tutoring after school helped."})
    after = shown(content(client, "/indicators/grad_rate"))
    assert "Tutoring after school helped." in after
    assert draws["/indicators/<code>"] == 2


@pytest.mark.parametrize("first", ["anonymous", "viewer", "coordinator"])
def test_an_editor_and_a_visitor_never_get_each_others_page(
        app: Dash, first: str, draws: Counter[str]) -> None:
    """Whoever asks first, a coordinator gets the baseline form and a visitor does not."""
    clients = {who: app.server.test_client() for who in ("anonymous", "viewer", "coordinator")}
    for who in ("viewer", "coordinator"):
        assert sign_in(clients[who], who).status_code == 303
    order = [first, *(who for who in clients if who != first)]
    for who in order * 2:  # each twice: the second time from the cache where shared
        page = shown(content(clients[who], "/indicators/grad_rate"))
        assert (ids.BASELINE_AGREEMENT in page) is (who == "coordinator"), who
    # Anonymous visitors and viewers are each drawn once; a coordinator's page every time.
    assert draws["/indicators/<code>"] == 1 + 1 + 2


def test_a_team_member_gets_the_editor_of_their_team_record(app: Dash,
                                                             client: FlaskClient) -> None:
    assert ids.STORY_EDITOR not in shown(content(client, "/indicators/grad_rate"))
    member = app.server.test_client()
    sign_in(member, "team_member")
    assert ids.STORY_EDITOR in shown(content(member, "/indicators/grad_rate"))
    assert ids.STORY_EDITOR not in shown(content(client, "/indicators/grad_rate"))


def test_the_shell_is_shared_by_anonymous_visitors_only(app: Dash, client: FlaskClient) -> None:
    """The navbar names whoever is signed in: a viewer's shell is never kept for others."""
    viewer = app.server.test_client()
    sign_in(viewer, "viewer")
    for _round in range(2):
        assert USERS["viewer"] in viewer.get("/_dash-layout").get_data(as_text=True)
        anonymous = client.get("/_dash-layout").get_data(as_text=True)
        assert "@" not in anonymous and "Sign in" in anonymous


def test_a_page_not_listed_is_drawn_for_each_visitor(app: Dash, sqlite_url: str,
                                                     draws: Counter[str]) -> None:
    """The sign-in page names who is signed in: two viewers each see their own address."""
    with session_scope(connect(sqlite_url)) as session:
        add_user(session=session, email="another.reader@example.org", role="viewer",
                 password="correct horse battery", actor="test")
    first, second = app.server.test_client(), app.server.test_client()
    sign_in(first, "viewer")
    second.post("/login", data={"email": "another.reader@example.org",
                                "password": "correct horse battery"})
    assert USERS["viewer"] in shown(content(first, "/login"))
    page = shown(content(second, "/login"))
    assert "another.reader@example.org" in page and USERS["viewer"] not in page
    assert draws["/login"] == 2


def test_a_compressed_response_is_the_same_page(client: FlaskClient) -> None:
    plain = content(client, "/results/R2")
    packed = content(client, "/results/R2", gzipped=True)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert "Content-Encoding" not in plain.headers
    assert json.loads(shown(packed)) == json.loads(shown(plain))
    drawn_now = content(client, "/results/R1", gzipped=True)  # drawn, then kept: compressed
    assert drawn_now.headers["Content-Encoding"] == "gzip"
    assert json.loads(shown(drawn_now)) == json.loads(shown(content(client, "/results/R1")))


def test_a_compressed_page_allows_exactly_its_own_scripts(client: FlaskClient) -> None:
    response = client.get("/equity", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.get_data()).decode()
    scripts = re.findall(r"<script(?![^>]*src=)([^>]*)>(.*?)</script>", html, re.S)
    policy = response.headers["Content-Security-Policy"]
    for attributes, body in scripts:
        if "application/json" not in attributes:
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy


def test_dash_scripts_are_kept_a_year_and_compressed(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    script = next(src for src in re.findall(r'<script src="([^"]+)"', page)
                  if "_dash-component-suites/dash/dcc/" in src)
    plain = client.get(script)
    packed = client.get(script, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    for response in (plain, packed):
        control = response.cache_control
        assert control.max_age == 365 * 24 * 3600 and control.public and control.immutable


def test_assets_are_kept_a_year_only_at_an_address_that_names_their_version(
        client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    stylesheet = re.search(r'href="(/assets/rba\.css\?m=[^"]+)"', page)
    assert stylesheet is not None
    versioned = client.get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    assert versioned.cache_control.max_age == 365 * 24 * 3600
    assert versioned.headers["Content-Encoding"] == "gzip"
    assert b"{" in gzip.decompress(versioned.get_data())
    bare = client.get("/assets/rba.css")
    assert bare.cache_control.max_age is None and bare.headers.get("ETag")


def test_the_list_of_callbacks_is_dash_own(app: Dash, client: FlaskClient) -> None:
    first = client.get("/_dash-dependencies").get_json()
    assert first == client.get("/_dash-dependencies").get_json()
    outputs = {callback["output"] for callback in first}
    assert page_cache.pages_router_id() in outputs and len(outputs) == len(app._callback_list)


def test_after_the_warmer_a_visitor_draws_nothing(app: Dash, client: FlaskClient,
                                                  draws: Counter[str]) -> None:
    warm.warm_once(app.server)
    draws.clear()
    for lang in LANGUAGES:
        for path in ("/", "/results/R2", "/equity", "/teams/academics",
                     "/indicators/grad_rate"):
            content(client, path, lang=lang)
    assert sum(draws.values()) == 0


def test_the_result_and_alignment_pages_both_draw_in_either_order(client: FlaskClient) -> None:
    """They once kept different reads under one cache key: whichever came second failed."""
    for path in ("/results/R2", "/alignment", "/results/R1"):
        assert '"multi":true' in shown(content(client, path))


@pytest.fixture
def pages_drawn(app: Dash, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each address's HTML is really written (Dash's index page)."""
    counted: Counter[str] = Counter()
    real = app.interpolate_index

    def counting(**kwargs: Any) -> str:
        counted[flask.request.full_path.rstrip("?")] += 1
        return real(**kwargs)

    monkeypatch.setattr(app, "interpolate_index", counting)
    return counted


def page_html(response: Any) -> str:
    body = response.get_data()
    return (gzip.decompress(body) if response.headers.get("Content-Encoding") == "gzip"
            else body).decode()


def test_a_page_html_is_written_once_and_sent_with_the_policy_of_its_scripts(
        client: FlaskClient, pages_drawn: Counter[str]) -> None:
    plain = client.get("/indicators/grad_rate")
    for _round in range(3):
        packed = client.get("/indicators/grad_rate", headers={"Accept-Encoding": "gzip"})
        assert packed.headers["Content-Encoding"] == "gzip"
        assert page_html(packed) == page_html(plain)
        policy = packed.headers["Content-Security-Policy"]
        assert policy == plain.headers["Content-Security-Policy"]
        scripts = re.findall(r"<script(?![^>]*src=)([^>]*)>(.*?)</script>", page_html(packed),
                             re.S)
        assert scripts
        for attributes, body in scripts:
            if "application/json" not in attributes:
                digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                assert f"'sha256-{digest}'" in policy
        assert packed.headers["X-Frame-Options"] == "DENY"
    assert pages_drawn["/indicators/grad_rate"] == 1


def test_a_page_html_is_kept_by_language_and_whole_address(
        client: FlaskClient, pages_drawn: Counter[str]) -> None:
    client.set_cookie(COOKIE, "en")
    english = page_html(client.get("/indicators/grad_rate"))
    client.set_cookie(COOKIE, "es")
    spanish = page_html(client.get("/indicators/grad_rate"))
    assert '<html lang="en">' in english and '<html lang="es">' in spanish
    assert "Result:" in english and "Resultado:" in spanish  # the link-preview text
    elsewhere = page_html(client.get("/indicators/grad_rate",
                                     base_url="https://data.example.org"))
    assert "https://data.example.org/indicators/grad_rate" in elsewhere
    assert "https://data.example.org" not in english + spanish
    asked = page_html(client.get("/indicators/grad_rate?where=city%3DAltadena"))
    assert "where=city%3DAltadena" in asked
    assert pages_drawn["/indicators/grad_rate"] == 3  # en, es, another host: one each
    for cookie in ("en", "es"):
        client.set_cookie(COOKIE, cookie)
        again = page_html(client.get("/indicators/grad_rate"))
        assert again == (english if cookie == "en" else spanish)
    assert sum(pages_drawn.values()) == 4


def test_a_page_html_after_a_write_and_for_an_editor_is_written_afresh(
        app: Dash, client: FlaskClient, pages_drawn: Counter[str], sqlite_url: str) -> None:
    client.get("/equity")
    client.get("/equity")
    with session_scope(connect(sqlite_url)) as session:
        save_story(session=session, code="grad_rate", actor="t",
                   fields={"story_behind_the_curve": "Tutoring after school helped."})
    client.get("/equity")
    assert pages_drawn["/equity"] == 2
    coordinator = app.server.test_client()
    sign_in(coordinator, "coordinator")
    for _round in range(2):
        assert coordinator.get("/equity").status_code == 200
    assert pages_drawn["/equity"] == 4  # never kept for, nor sent to, a coordinator


def test_a_shared_request_reads_the_data_version_once_in_one_query(
        app: Dash, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    content(client, "/results/R2")  # drawn and kept
    client.get("/results/R2")
    reads: Counter[str] = Counter()
    reader = app.server.config[VERSION_KEY]
    monkeypatch.setitem(app.server.config, VERSION_KEY,
                        lambda: reads.update(["reader"]) or reader())
    real = audit.data_version
    monkeypatch.setattr(audit, "data_version",
                        lambda **kw: reads.update(["session"]) or real(**kw))
    for request in (lambda: content(client, "/results/R2"),
                    lambda: client.get("/results/R2"), lambda: client.get("/_dash-layout")):
        reads.clear()
        assert request().status_code == 200
        assert reads == Counter(reader=1)


def test_made_up_addresses_keep_a_bounded_number_of_responses(
        client: FlaskClient, pages_drawn: Counter[str], monkeypatch: pytest.MonkeyPatch,
        cache_folder: Any) -> None:
    monkeypatch.setattr(page_cache, "MAX_KEPT", 3)
    for n in range(6):
        client.get(f"/equity?made-up={n}")
    kept = [p for p in cache_folder.rglob("*.pkl") if "memo" not in p.parts]
    for n in range(6):  # the first two are sent from the cache; the rest drawn again
        client.get(f"/equity?made-up={n}")
    # The client's first page ("/", see the fixture) took one of the three places.
    assert [pages_drawn[f"/equity?made-up={n}"] for n in range(6)] == [1, 1, 2, 2, 2, 2]
    assert len([p for p in cache_folder.rglob("*.pkl") if "memo" not in p.parts]) \
        == len(kept)
