"""Turn-the-curve records (the story behind the curve, partners, what works, the action
plan): every save a new version, audited; history never overwritten."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rba.store import stories as store
from rba.store.published import reads
from rba.store.stories import STORY_FIELDS, TEXT_FIELDS, StoryError

__all__ = ["STORY_FIELDS", "TEXT_FIELDS", "StoryError", "indicator_team", "save_story",
           "story_versions"]


def save_story(*, session: Session, code: str, fields: dict[str, Any], actor: str,
               source: str = "form") -> dict[str, Any]:
    """Save the record of indicator ``code`` as its next version; return it."""
    return store.save_story(session=session, code=code, fields=fields, actor=actor, source=source)


def story_versions(*, session: Session, code: str) -> list[dict[str, Any]]:
    """Every saved version of an indicator's record, newest first (on the public site:
    of a published indicator, with its team's name and never who saved it)."""
    return reads(session, store).story_versions(session=session, code=code)


def indicator_team(*, session: Session, code: str) -> str | None:
    """The slug of the result team whose result the indicator measures (None: none)."""
    return reads(session, store).indicator_team(session=session, code=code)
