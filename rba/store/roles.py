"""The public site's database role (PostgreSQL): it may read the published view and nothing
else, so a public server running as it cannot reach a base table whatever it is asked.

The views (migration 0009) run with their owner's rights, so the role needs SELECT on the
views alone: no table, no sequence, no function of the store is granted, and its sessions
are read-only. Run again, it makes the grants exactly these again (and sets a new password
if one is given).
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from rba.messages import N_, Message
from rba.refusals import Refusal
from rba.store.db import make_engine
from rba.store.migrate import require_current
from rba.store.published_views import VIEW_NAMES

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class RoleError(Refusal):
    """A role that cannot be made; the message says why."""


def _literal(text: str) -> str:
    """Text as an SQL string literal (DDL takes no bound parameters)."""
    if "\x00" in text:
        raise RoleError(Message(N_("the password may not hold a NUL character")))
    return "'" + text.replace("'", "''") + "'"


def public_role(name: str, password: str | None = None, url: str | None = None) -> list[str]:
    """Create (or bring back to exactly these grants) the login role ``name`` that may only
    SELECT the published views of the database at ``url`` (default: RBA_DATABASE_URL).

    Returns the views granted. Raises RoleError on SQLite (no roles) or for a name that is
    not a plain lower-case identifier; the schema must be current (`rba db upgrade`).
    """
    if not ROLE_NAME.fullmatch(name):
        raise RoleError(Message(N_("role name {name!r}: expected lower-case letters, digits "
                                   "and _, starting with a letter or _ (at most 63)"),
                                name=name))
    engine = make_engine(url)
    try:
        if engine.dialect.name != "postgresql":
            raise RoleError(Message(N_(
                "database roles need PostgreSQL; on {dialect} the public site reads the same "
                "published view (rba serve --public) without a role of its own"),
                dialect=engine.dialect.name))
        require_current(url)
        quote = engine.dialect.identifier_preparer.quote
        role = quote(name)
        with engine.begin() as connection:
            exists = connection.scalar(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"),
                                       {"n": name})
            schema = quote(str(connection.scalar(sa.text("SELECT current_schema()"))))
            database = quote(str(connection.scalar(sa.text("SELECT current_database()"))))
            secret = f" PASSWORD {_literal(password)}" if password is not None else ""
            statements = [
                f"{'ALTER' if exists else 'CREATE'} ROLE {role} WITH LOGIN NOSUPERUSER "
                f"NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS{secret}",
                f"ALTER ROLE {role} SET default_transaction_read_only = on",
                f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
                f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
                f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {schema} FROM {role}",
                f"REVOKE CREATE ON SCHEMA {schema} FROM {role}",
                f"GRANT CONNECT ON DATABASE {database} TO {role}",
                f"GRANT USAGE ON SCHEMA {schema} TO {role}",
                *(f"GRANT SELECT ON {quote(view)} TO {role}" for view in VIEW_NAMES),
            ]
            for statement in statements:
                connection.exec_driver_sql(statement)
        return list(VIEW_NAMES)
    finally:
        engine.dispose()
