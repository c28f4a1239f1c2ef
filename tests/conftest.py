"""Shared fixtures: a fresh, migrated database on SQLite and, when configured, PostgreSQL.

PostgreSQL tests use RBA_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1/test).
Without it they skip, unless RBA_REQUIRE_POSTGRES=1 (set by .ci/run), when they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from rba.store import connect, migrate

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"


def _postgres_url(worker: str) -> str:
    base = os.environ.get("RBA_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("RBA_REQUIRE_POSTGRES") == "1":
            pytest.fail("RBA_REQUIRE_POSTGRES=1 but RBA_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured: set RBA_TEST_POSTGRES_URL")
    url = make_url(base)
    name = f"rba_test_{worker}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {url.render_as_string()} is not reachable: {exc}")
    finally:
        admin.dispose()
    test_url = url.set(database=name).render_as_string(hide_password=False)
    engine = sa.create_engine(test_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return test_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database (no tables), on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rba.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return _postgres_url(worker)


@pytest.fixture
def db_url(empty_db_url: str) -> str:
    """The URL of a database migrated to the latest schema, on each backend."""
    migrate.upgrade(empty_db_url)
    return empty_db_url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database, for tests that need only one backend."""
    url = f"sqlite:///{tmp_path / 'rba.db'}"
    migrate.upgrade(url)
    return url


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    maker = connect(db_url)
    yield maker
    maker.kw["bind"].dispose()


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as s:
        yield s


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> str:
    """Point the CLI at a fresh migrated SQLite database; returns its URL."""
    monkeypatch.setenv("RBA_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("RBA_ACTOR", "cli:tester")
    return sqlite_url
