"""The database a front end works on: open it (checking its schema), change its schema, one
transaction per unit of work, and the data version every cache keys on."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError as DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from rba.store import audit, db, migrate, published, roles
from rba.store.db import connect, session_scope
from rba.store.migrate import SchemaOutOfDate
from rba.store.roles import RoleError
from rba.store.versions import VersionReader

__all__ = ["DatabaseError", "RoleError", "SchemaOutOfDate", "VersionReader", "data_version",
           "database_name", "downgrade", "open_database", "public_role", "session_scope",
           "shown_url", "upgrade"]


def open_database(url: str | None = None, *, check_schema: bool = True,
                  published: bool = False) -> sessionmaker[Session]:
    """A session factory for the database at ``url`` (default: RBA_DATABASE_URL).

    With ``check_schema``, raises SchemaOutOfDate (saying to run `rba db upgrade`) unless
    the database is at the latest migration. Nothing connects before this is called.
    With ``published``, the sessions read only the published view (rba.store.published):
    the public site's.
    """
    if check_schema:
        migrate.require_current(url)
    return connect(url, published=published)


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Create or upgrade the schema of the database at ``url`` (default: the latest)."""
    migrate.upgrade(url, revision=revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    """Take the schema down to ``revision`` (base: no tables, no data)."""
    migrate.downgrade(url, revision=revision)


def public_role(name: str, password: str | None = None, url: str | None = None) -> list[str]:
    """Make the PostgreSQL role ``name`` that may only read the published view (the public
    site's); returns the views it may read (rba.store.roles.public_role)."""
    return roles.public_role(name, password, url)


def shown_url(url: str | None = None) -> str:
    """The database's URL as it may be shown (without its password)."""
    return db.shown_url(url)


def data_version(*, session: Session, alone: bool = False) -> int:
    """The store's data version: it moves with every write (0 for an empty store).
    ``alone``: the session reads only this (it is then read without a transaction)."""
    if published.is_published(session):
        return published.data_version(session=session)
    return audit.data_version(session=session, alone=alone)


def database_name(*, session: Session) -> str:
    """The URL of the database a session is bound to, as it may be shown (no password)."""
    return db.database_name(session=session)
