"""Turn-the-curve records: every save adds a version, audited so the trail replays."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from factories import seed_store

from rba.models import AuditEvent
from rba.store import session_scope
from rba.store.audit import audit_events
from rba.store.replay import current_state, replayed
from rba.store.stories import StoryError, indicator_team, save_story, story_versions


@pytest.fixture
def seeded_factory(factory):
    with session_scope(factory) as session:
        seed_store(session)
    return factory


def test_each_save_adds_a_version_and_keeps_the_old_ones(seeded_factory) -> None:
    with session_scope(seeded_factory) as session:
        saved = save_story(session=session, code="grad_rate",
                           fields={"story_behind_the_curve": " New story ",
                                                  "what_works_es": "Tutoría"},
                           actor="member@example.org")
        again = save_story(session=session, code="grad_rate",
                           fields={"action_plan": "Expand tutoring"},
                           actor="coord@example.org")
    assert (saved["version"], again["version"]) == (3, 4)
    with seeded_factory() as session:
        versions = story_versions(session=session, code="grad_rate")
    assert [v["version"] for v in versions] == [4, 3, 2, 1]
    assert versions[0]["action_plan"] == "Expand tutoring"
    assert versions[0]["story_behind_the_curve"] is None  # a version is the whole record
    assert versions[1]["story_behind_the_curve"] == "New story"
    assert versions[1]["what_works_es"] == "Tutoría"
    assert versions[1]["saved_by"] == "member@example.org"
    assert versions[3]["story_behind_the_curve"] == "Old story"


def test_a_save_is_audited_in_workbook_terms(seeded_factory) -> None:
    with session_scope(seeded_factory) as session:
        save_story(session=session, code="arrests", fields={"partners": "Police; Schools"},
                   actor="a@example.org")
    with seeded_factory() as session:
        events = audit_events(session=session, entity="story")
    assert len(events) == 1
    event = events[0]
    assert (event["entity_id"], event["action"], event["source"]) == (
        "arrests#1", "create", "form")
    assert '"partners": "Police; Schools"' in event["new"]
    assert '"indicator": "arrests"' in event["new"] and '"saved_by": "a@example.org"' in \
        event["new"]


def test_replay_still_equals_the_store_after_saves(sqlite_url, cli_env) -> None:
    from pathlib import Path

    from click.testing import CliRunner
    from factories import basic_workbook

    from rba.cli import main
    from rba.store import connect

    tmp = Path(sqlite_url.removeprefix("sqlite:///")).parent
    assert CliRunner().invoke(main, ["import", str(basic_workbook(tmp / "b.xlsx"))]
                              ).exit_code == 0
    factory = connect(sqlite_url)
    with session_scope(factory) as session:
        save_story(session=session, code="absence", fields={"story_behind_the_curve": "Buses"},
                   actor="x")
        save_story(session=session, code="absence", fields={"story_behind_the_curve": "Buses",
                                        "story_behind_the_curve_es": "Autobuses"}, actor="y")
    with factory() as session:
        current = current_state(session=session)
        assert replayed(session=session) == current
    assert set(current["story"]) == {"absence#1", "absence#2"}


@pytest.mark.parametrize(("code", "fields", "words"), [
    ("nope", {"story_behind_the_curve": "x"}, "no indicator"),
    ("grad_rate", {"story_behind_the_curve": "   ", "partners": None}, "every field is blank"),
])
def test_refused_saves_write_nothing(seeded_factory, code, fields, words) -> None:
    with session_scope(seeded_factory) as session:
        before = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        with pytest.raises(StoryError, match=words):
            save_story(session=session, code=code, fields=fields, actor="x")
    with seeded_factory() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before


def test_indicator_team(seeded_factory) -> None:
    with seeded_factory() as session:
        assert indicator_team(session=session, code="grad_rate") == "academics"
        assert indicator_team(session=session, code="nope") is None
