"""History pages: every audit event of one value, a batch's events, and the recent batches."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from dash import Dash
from factories import USERS, as_user, by_id, data_url, sign_in, text, walk
from flask.testing import FlaskClient

from dashboards import ids

CSV = "indicator,period,value\ngrad_rate,2023-24,82.4\n"
ENTITY = "grad_rate|2023-24|{}"



def page(name: str) -> Any:
    return importlib.import_module(f"dashboards.pages.{name}")


def upload(app: Dash, csv: str) -> str:
    with as_user(app, "coordinator", "/upload"):
        _view, checked, *_ = page("upload").check_upload(data_url(csv), "observations.csv")
        message, *_ = page("upload").commit_upload(1, data_url(csv), "observations.csv",
                                                   checked)
    return by_id(message, "committed-batch").children


def test_a_values_history_lists_who_when_how_old_new_and_batch(app: Dash) -> None:
    first = upload(app, CSV)
    second = upload(app, CSV.replace("82.4", "82.6"))
    with as_user(app, "admin", "/history"):
        layout = page("history").layout(entity="observation", id=ENTITY)
    table = by_id(layout, ids.HISTORY_TABLE)
    words = text(table)
    assert words.index("82.1 → 82.4") < words.index("82.4 → 82.6")
    assert words.count(USERS["coordinator"]) == 2 and " upload " in f" {words} "
    links = [n.href for n in _links(table)]
    assert f"/batches/{first}" in links and f"/batches/{second}" in links


def _links(node: Any) -> list[Any]:
    return [n for n in walk(node) if getattr(n, "href", None)]


def test_a_record_without_changes_says_so(app: Dash) -> None:
    with as_user(app, "coordinator", "/history"):
        layout = page("history").layout(entity="observation", id="nothing|2020|{}")
    assert "No recorded changes" in text(layout)


def test_a_batch_page_lists_its_events_with_links_to_each_history(app: Dash) -> None:
    batch = upload(app, CSV)
    with as_user(app, "coordinator", f"/batches/{batch}"):
        layout = page("batch").layout(batch_id=batch)
    words = text(layout)
    assert batch in words and USERS["coordinator"] in words and "upload observations.csv" in words
    assert "82.1 → 82.4" in text(by_id(layout, ids.BATCH_TABLE))
    assert any("entity=observation" in n.href for n in _links(layout))


def test_an_unknown_batch_is_not_found(app: Dash) -> None:
    with as_user(app, "coordinator", "/batches/nope"):
        assert "Batch not found" in text(page("batch").layout(batch_id="nope"))


def test_recent_changes_lists_batches_newest_first(app: Dash) -> None:
    batch = upload(app, CSV)
    with as_user(app, "admin", "/history"):
        table = by_id(page("history").layout(), ids.BATCH_LIST)
    words = text(table)
    assert words.index(batch) < words.index("add user")


@pytest.mark.parametrize("role, shown", [(None, "Sign in to see this page"),
                                         ("viewer", "do not have access"),
                                         ("team_member", "do not have access")])
def test_history_is_for_coordinators_and_admins(app: Dash, role: str | None, shown: str
                                                ) -> None:
    batch = upload(app, CSV)
    with as_user(app, role, "/history"):
        history = page("history").layout(entity="observation", id=ENTITY)
        batch_page = page("batch").layout(batch_id=batch)
    for layout in (history, batch_page):
        assert shown in text(layout) and "82.4" not in text(layout)


def test_history_through_the_browser_route(client: FlaskClient) -> None:
    sign_in(client, "coordinator")
    assert client.get("/history?entity=observation&id=grad_rate|2023-24|{}").status_code == 200
