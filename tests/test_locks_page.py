"""The locks page: coordinators lock a period (one indicator, a team's, or all), admins
unlock one with a reason; the same checks as `rba lock` and `rba unlock`, recorded as the
signed-in person."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
import sqlalchemy as sa
from dash import Dash
from factories import as_user, by_id, counts, text
from werkzeug.exceptions import Forbidden, Unauthorized

from dashboards import ids
from rba.models import AuditEvent, Batch, PeriodLock


def locks_page() -> Any:
    return importlib.import_module("dashboards.pages.locks")


def lock_events(app: Dash) -> list[tuple[str, str, str, str]]:
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        return [(e.actor, e.source.value, e.action, e.entity_id) for e in session.scalars(
            sa.select(AuditEvent).where(AuditEvent.entity == "period_lock")
            .order_by(AuditEvent.id))]


def test_a_coordinator_locks_a_period_for_an_indicator_then_again(app: Dash) -> None:
    with as_user(app, "coordinator", "/locks"):
        done, table = locks_page().lock_period(1, "2023-24", "indicator", "grad_rate", None)
        again, _table = locks_page().lock_period(1, "2023-24", "indicator", "grad_rate", None)
    assert text(done) == "locked 2023-24 for 1 indicator(s): grad_rate"
    assert "High school graduation rate School year 2023-24 coord@example.org" in text(table)
    assert text(again) == "2023-24 is already locked for grad_rate: nothing changed"
    assert lock_events(app) == [("coord@example.org", "form", "create", "grad_rate|2023-24")]


def test_a_team_or_all_can_be_locked(app: Dash) -> None:
    with as_user(app, "coordinator", "/locks"):
        team, _t = locks_page().lock_period(1, "2023", "team", None, "academics")
        every, _t = locks_page().lock_period(1, "2022", "all", None, None)
    assert text(team) == "locked 2023 for 2 indicator(s): arrests, hidden"
    assert "locked 2022 for" in text(every)


@pytest.mark.parametrize("period, scope, indicator, message", [
    ("2026-Q5", "all", None, "'2026-Q5' is not a valid period: quarters run from Q1 to Q4"),
    ("2024", "indicator", "grad_rate", "grad_rate: '2024' is not a school year"),
    ("2024", "indicator", None, "Choose the indicator to lock."),
    ("", "all", None, "Give the period to lock"),
])
def test_a_lock_that_cannot_be_made_says_why(app: Dash, period: str, scope: str,
                                            indicator: str | None, message: str) -> None:
    before = counts(app)
    with as_user(app, "coordinator", "/locks"):
        refused, table = locks_page().lock_period(1, period, scope, indicator, None)
    assert message in text(refused)
    assert counts(app) == before


def test_an_admin_unlocks_with_a_reason_recorded_as_them(app: Dash) -> None:
    with as_user(app, "coordinator", "/locks"):
        locks_page().lock_period(1, "2023-24", "indicator", "grad_rate", None)
    with as_user(app, "admin", "/locks"):
        no_reason, *_ = locks_page().unlock_period(1, "grad_rate|2023-24", "  ")
        done, table, options = locks_page().unlock_period(1, "grad_rate|2023-24",
                                                          "state revised the count")
    assert "give the reason for unlocking" in text(no_reason)
    assert "Unlocked 2023-24 for grad_rate, as admin@example.org" in text(done)
    assert options == [] and "No period is locked yet" in text(table)
    events = lock_events(app)
    assert events[-1] == ("admin@example.org", "form", "delete", "grad_rate|2023-24")
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(PeriodLock)) == 0
        reason = session.scalar(sa.select(AuditEvent.new).where(AuditEvent.action == "delete",
                                                                AuditEvent.entity == "period_lock"))
        assert "state revised the count" in reason
        assert session.scalar(sa.select(Batch.actor).order_by(Batch.started_at.desc())
                              ) == "admin@example.org"


@pytest.mark.parametrize("role, error", [(None, Unauthorized), ("viewer", Forbidden),
                                         ("team_member", Forbidden), ("coordinator", Forbidden)])
def test_only_admins_may_unlock(app: Dash, role: str | None, error: type) -> None:
    with as_user(app, "coordinator", "/locks"):
        locks_page().lock_period(1, "2023-24", "indicator", "grad_rate", None)
    before = counts(app)
    with as_user(app, role, "/locks"), pytest.raises(error):
        locks_page().unlock_period(1, "grad_rate|2023-24", "because")
    assert counts(app) == before


@pytest.mark.parametrize("role, error", [(None, Unauthorized), ("viewer", Forbidden),
                                         ("team_member", Forbidden)])
def test_only_coordinators_and_admins_may_lock(app: Dash, role: str | None,
                                               error: type) -> None:
    before = counts(app)
    with as_user(app, role, "/locks"), pytest.raises(error):
        locks_page().lock_period(1, "2023-24", "all", None, None)
    assert counts(app) == before


def test_the_page_shows_the_unlock_form_to_admins_only(app: Dash) -> None:
    with as_user(app, "coordinator", "/locks"):
        coordinator = locks_page().layout()
    with as_user(app, "admin", "/locks"):
        admin = locks_page().layout()
    assert "Unlock a period" not in text(coordinator) and "Lock a period" in text(coordinator)
    assert by_id(admin, ids.UNLOCK_BUTTON) is not None
    with as_user(app, "team_member", "/locks"):
        assert "You do not have access" in text(locks_page().layout())


def test_a_fully_locked_period_has_nothing_to_enter(app: Dash) -> None:
    entry = importlib.import_module("dashboards.pages.entry")
    with as_user(app, "coordinator", "/locks"):
        locks_page().lock_period(1, "2024-25", "indicator", "grad_rate", None)
        rows, _c, _l, notices, status, _s = entry.load_grid(1, "2024-25", "academics")
    assert len(rows) == 2 and all(r["locked"] for r in rows)
    assert text(status) == "Nothing to enter: all 2 rows are locked (final)."
    assert "rows to enter" not in text(status)
    assert "Locks page" in text(notices) and "rba unlock" not in text(notices)


def links(component: Any) -> list[str]:
    """Every href in a layout."""
    found = [component.href] if getattr(component, "href", None) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += links(child)
    return found


@pytest.mark.parametrize("path", ["/history", "/entry"])
def test_the_history_and_entry_pages_lead_to_the_locks_page(app: Dash, path: str) -> None:
    page = importlib.import_module(f"dashboards.pages.{path.strip('/')}")
    with as_user(app, "coordinator", path):
        assert "/locks" in links(page.layout())
