"""Shared fixtures: a fresh, migrated database on SQLite and, when configured, PostgreSQL.

The PostgreSQL test databases (their names, making and dropping) are the business of the
postgres_databases plugin.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from rba.store import connect, migrate

pytest_plugins = ["postgres_databases"]

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database (no tables), on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rba.db'}"
    from postgres_databases import postgres_url  # the plugin, loaded by pytest_plugins

    return postgres_url()


@pytest.fixture
def db_url(empty_db_url: str) -> str:
    """The URL of a database migrated to the latest schema, on each backend."""
    migrate.upgrade(empty_db_url)
    return empty_db_url


@pytest.fixture(autouse=True)
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own dashboard cache folder (RBA_CACHE_DIR), so no test reads what
    another computed."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("RBA_CACHE_DIR", folder.as_posix())
    return folder


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
