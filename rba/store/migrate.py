"""Alembic, configured in code so `rba db upgrade` works from any directory."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from rba.config import PROJECT_ROOT, get_settings
from rba.messages import N_, Message
from rba.refusals import Refusal

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config pointing at migrations/ and at ``url`` (default: RBA_DATABASE_URL)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    url = url or get_settings().database_url
    # ConfigParser treats % as interpolation; URLs may hold %-escapes in passwords.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database at ``url`` up to ``revision`` (default: the latest)."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    """Take the database at ``url`` down to ``revision`` (default: empty)."""
    command.downgrade(alembic_config(url), revision)


def check(url: str | None = None) -> None:
    """Raise if the models and the migrations have drifted apart."""
    command.check(alembic_config(url))


def head_revision() -> str:
    """The newest migration's revision id."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    return heads[0]


def current_revision(url: str | None = None) -> str | None:
    """The revision the database at ``url`` is at (None: never upgraded)."""
    from alembic.runtime.migration import MigrationContext

    from rba.store.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


class SchemaOutOfDate(Refusal):
    """The database is missing tables or columns the code expects."""


def require_current(url: str | None = None) -> None:
    """Raise SchemaOutOfDate with the fix when the database is not at the latest migration."""
    current, head = current_revision(url), head_revision()
    if current != head:
        state = (Message(N_("has no rba tables")) if current is None
                 else Message(N_("is at revision {revision}"), revision=current))
        raise SchemaOutOfDate(Message(N_("the database {state}; the latest is {head}: run "
                                         "`rba db upgrade`"), state=state, head=head))
