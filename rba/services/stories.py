"""Turn-the-curve records (the story behind the curve, partners, what works, the action
plan): every save a new version, audited; history never overwritten."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rba.store import published
from rba.store import stories as store
from rba.store.published import is_published, reads
from rba.store.stories import STORY_FIELDS, TEXT_FIELDS, StoryError

__all__ = ["STORY_FIELDS", "TEXT_FIELDS", "StoryError", "indicator_team", "publish_story",
           "save_story", "story_versions"]


def save_story(*, session: Session, code: str, fields: dict[str, Any], actor: str,
               source: str = "form", status: str = "published") -> dict[str, Any]:
    """Save the record of indicator ``code`` as its next version (a draft, or published
    with ``actor`` as its reviewer); return it."""
    return store.save_story(session=session, code=code, fields=fields, actor=actor,
                            source=source, status=status)


def publish_story(*, session: Session, code: str, version: int, actor: str,
                  source: str = "form") -> dict[str, Any]:
    """Publish a draft version, ``actor`` recorded as its reviewer; return it."""
    return store.publish_story(session=session, code=code, version=version, actor=actor,
                               source=source)


def story_versions(*, session: Session, code: str, drafts: bool = False
                   ) -> list[dict[str, Any]]:
    """The published versions of an indicator's record (and with ``drafts`` the drafts),
    newest first. On the public site: of a published indicator, published versions only,
    with its team's name and never who saved it."""
    if is_published(session):
        return published.story_versions(session=session, code=code)
    return store.story_versions(session=session, code=code, drafts=drafts)


def indicator_team(*, session: Session, code: str) -> str | None:
    """The slug of the result team whose result the indicator measures (None: none)."""
    return reads(session, store).indicator_team(session=session, code=code)
