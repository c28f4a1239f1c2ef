"""Turn-the-curve records saved as drafts (seen by the team) or published (public), with
the reviewer recorded: the public reads the latest published version only."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
import sqlalchemy as sa
from dash import Dash
from factories import USERS, as_user, by_id, text, walk
from werkzeug.exceptions import Forbidden

from dashboards import ids
from dashboards.components.story import FIELDS
from rba.models import AuditEvent, TurnTheCurveRecord
from rba.store.replay import current_state, replayed
from rba.store.stories import StoryError, latest_story, publish_story, save_story

STORY = {"story_behind_the_curve": "Tutors in every school.",
         "story_behind_the_curve_es": "Tutores en cada escuela."}


def story() -> Any:
    return importlib.import_module("dashboards.components.story")


def save(app: Dash, role: str, asked: str | None = None) -> Any:
    with as_user(app, role, "/indicators/grad_rate"):
        return story().save(1, {"code": "grad_rate", "lang": "en"},
                            *[STORY.get(f) for f in FIELDS], asked)


def public_story(app: Dash, role: str | None = None) -> str:
    with as_user(app, role, "/indicators/grad_rate"):
        layout = importlib.import_module("dashboards.pages.indicator").layout(code="grad_rate")
        return text(by_id(layout, ids.STORY))


def records(app: Dash) -> list[tuple[int, str, str | None]]:
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        return [tuple(r) for r in session.execute(sa.select(
            TurnTheCurveRecord.version, TurnTheCurveRecord.status,
            TurnTheCurveRecord.reviewed_by).order_by(TurnTheCurveRecord.version))]


def test_a_team_members_save_is_a_draft_the_public_does_not_read(app: Dash) -> None:
    *_, note = save(app, "team_member", "published")  # asking to publish is not enough
    assert "It is a draft" in text(note)
    assert records(app)[-1] == (3, "draft", None)
    assert "Tutors in every school." not in public_story(app)
    assert "Credit recovery helped." in public_story(app)  # the latest published version
    mine = public_story(app, "team_member")
    assert "Tutors in every school." in mine and "Draft" in mine


def test_a_coordinator_publishes_the_draft_and_is_recorded_as_reviewer(app: Dash) -> None:
    save(app, "team_member")
    with as_user(app, "team_member", "/indicators/grad_rate"), pytest.raises(Forbidden):
        story().publish(1, {"code": "grad_rate", "lang": "en"})
    with as_user(app, "coordinator", "/indicators/grad_rate"):
        card, _history, note = story().publish(1, {"code": "grad_rate", "lang": "en"})
    assert "Published version 3" in text(note)
    reviewer = USERS["coordinator"]
    assert records(app)[-1] == (3, "published", reviewer)
    assert f"published by {reviewer}" in text(card)
    assert "Tutors in every school." in public_story(app)
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        events = session.execute(sa.select(AuditEvent.action, AuditEvent.actor).where(
            AuditEvent.entity == "story_review", AuditEvent.entity_id == "grad_rate#3")
            .order_by(AuditEvent.id)).all()
        assert [tuple(e) for e in events] == [("create", USERS["team_member"]),
                                              ("update", reviewer)]
        assert replayed(session=session)["story_review"] == \
            current_state(session=session)["story_review"]


def test_a_coordinators_save_is_published_at_once_unless_kept_as_draft(app: Dash) -> None:
    save(app, "coordinator")
    save(app, "coordinator", "draft")
    assert [r[1] for r in records(app)[-2:]] == ["published", "draft"]
    assert records(app)[-2][2] is not None


def test_the_publish_button_is_for_reviewers_only(app: Dash) -> None:
    indicator = importlib.import_module("dashboards.pages.indicator")
    for who, shown in (("team_member", False), ("coordinator", True)):
        with as_user(app, who, "/indicators/grad_rate"):
            layout = indicator.layout(code="grad_rate")
        found = [n for n in walk(layout) if getattr(n, "id", None) == ids.STORY_PUBLISH]
        assert bool(found) is shown, who


def test_the_store_refuses_to_publish_twice_and_reads_published_only(factory: Any) -> None:
    from factories import seed_store

    from rba.store import session_scope

    with session_scope(factory) as session:
        seed_store(session)
        save_story(session=session, code="grad_rate", fields=STORY, actor="t@x.org",
                   status="draft")
    with factory() as session:
        assert latest_story(session=session, code="grad_rate")["version"] == 2
    with session_scope(factory) as session:
        publish_story(session=session, code="grad_rate", version=3, actor="c@x.org")
    with factory() as session:
        found = latest_story(session=session, code="grad_rate")
        assert (found["version"], found["reviewed_by"]) == (3, "c@x.org")
        with pytest.raises(StoryError, match="already published"):
            publish_story(session=session, code="grad_rate", version=3, actor="c@x.org")
