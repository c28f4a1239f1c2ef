"""Engines and sessions. Nothing here connects until a function is called."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from rba.config import get_settings


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default: RBA_DATABASE_URL); SQLite enforces foreign keys."""
    url = url or get_settings().database_url
    if url.startswith("postgresql://"):
        # The bare scheme means psycopg2 to SQLAlchemy; we ship psycopg 3.
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # Write-ahead logging: readers (the dashboard) never wait for an import, and a killed
    # writer still leaves the database as before or after its transaction.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: large imports update indexes in memory
    cursor.close()


def connect(url: str | None = None, *, published: bool = False) -> sessionmaker[Session]:
    """A session factory bound to a new engine for ``url``; with ``published``, its
    sessions are the public site's, which read only the published view
    (rba.store.published)."""
    return sessionmaker(make_engine(url), expire_on_commit=False,
                        info={"published": True} if published else None)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit when the block ends, roll back everything if it raises."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def database_name(*, session: Session) -> str:
    """The URL of the database a session is bound to, as it may be shown (no password)."""
    name = session.get_bind().engine.url.render_as_string(hide_password=True)
    # The public site's pages differ from the staff site's: never share their cache.
    return f"{name} (published view)" if session.info.get("published") else name


def shown_url(url: str | None = None) -> str:
    """A database URL (default: RBA_DATABASE_URL) as it may be shown: without its password."""
    return sa.engine.make_url(url or get_settings().database_url).render_as_string(
        hide_password=True)
