"""The team page draws each indicator's curve as a sparkline and, for whoever may edit its
turn-the-curve record, links to the editor."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from dash import Dash, html
from factories import GRAD_TOTALS, as_user, walk

from dashboards import ids


def layout(app: Dash, role: str | None) -> Any:
    with as_user(app, role, "/teams/academics"):
        team = importlib.import_module("dashboards.pages.team")
        return team.layout(slug="academics", as_of="2026-01-15")


def edit_links(tree: Any) -> dict[str, str]:
    return {n.id["indicator"]: n.href for n in walk(tree)
            if isinstance(getattr(n, "id", None), dict)
            and n.id.get("type") == ids.TEAM_STORY_LINK}


def test_every_indicator_has_a_sparkline_of_its_published_figures(app: Dash) -> None:
    images = [n for n in walk(layout(app, None))
              if isinstance(n, html.Img) and n.className == "sparkline"]
    alts = [n.alt for n in images]
    assert f"High school graduation rate: {len(GRAD_TOTALS)} published figures" in alts
    assert "Juvenile arrests: 2 published figures" in alts
    assert all(n.src.startswith("data:image/svg+xml,") for n in images)


@pytest.mark.parametrize(("role", "links"), [(None, False), ("viewer", False),
                                              ("team_member", True), ("coordinator", True)])
def test_the_story_editor_is_linked_for_those_who_may_edit(app: Dash, role: str | None,
                                                           links: bool) -> None:
    found = edit_links(layout(app, role))
    if not links:
        assert found == {}
    else:
        assert found["grad_rate"] == f"/indicators/grad_rate#{ids.STORY_EDITOR}"
