"""The data version read in one round trip, for a server's check on every request.

A server answers most of its visitors' requests from responses kept by data version
(dashboards.page_cache), so it reads the version on each of them. Through a session that
costs a pool checkout, a transaction's BEGIN, the query and a ROLLBACK (about 2 ms on
PostgreSQL on loopback); through `VersionReader` it is the query alone (about 0.3 ms): its
own small engine, in autocommit, its connections never reset (they run nothing else).
On SQLite, a query on a file of this machine, the factory's own engine is used.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from rba.models import AuditEvent
from rba.store.db import make_engine
from rba.store.published_views import data_versions

#: Connections the reader may hold per process: one per server thread asking at once.
POOL_SIZE = 4


class VersionReader:
    """Reads the data version of the database a session factory is bound to: the newest
    audit event's id (rba.store.audit.data_version), or for the public site's factory the
    published view's (rba.store.published.data_version), as the public role may read it."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        bound = factory.kw["bind"]
        self.engine = bound if bound.dialect.name == "sqlite" else make_engine(
            bound.url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT",
            pool_reset_on_return=None, pool_size=POOL_SIZE, max_overflow=POOL_SIZE)
        published = bool((factory.kw.get("info") or {}).get("published"))
        self.query = (sa.select(data_versions.c.version) if published
                      else sa.select(sa.func.max(AuditEvent.id)))

    def __call__(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.scalar(self.query) or 0)
