"""The store's data version through the published view: what the public site's caches and
open data's ETag and Last-Modified key on (rba.store.audit's functions of the same names).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.store.published_views import data_versions


def data_version(*, session: Session) -> int:
    """The store's data version (rba.store.audit.data_version), read through the view."""
    return int(session.scalar(sa.select(data_versions.c.version)) or 0)


def data_changed_at(*, session: Session) -> dt.datetime | None:
    """When the store's data last changed (the data version's time, in UTC; None: never)."""
    at = session.scalar(sa.select(data_versions.c.changed_at))
    at = dt.datetime.fromisoformat(at) if isinstance(at, str) else at  # SQLite: text
    return None if at is None else (at.replace(tzinfo=dt.UTC) if at.tzinfo is None
                                    else at.astimezone(dt.UTC))
