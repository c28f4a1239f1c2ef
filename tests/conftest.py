"""Shared fixtures: fresh, migrated databases on SQLite and, when configured, PostgreSQL; the
dashboard over the bundled sample and over a small seeded store.

The PostgreSQL test databases (their names, making and dropping) are the business of the
postgres_databases plugin; the builders these fixtures call are in factories.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dash import Dash
from factories import SAMPLE_DIR, seed_store, seed_users
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from dashboards.app import create_app
from rba.services.demo import load_sample
from rba.store import connect, migrate, session_scope

pytest_plugins = ["postgres_databases"]


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


# --- The bundled sample -------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dash]:
    """The dashboard over the bundled sample, one per test module."""
    folder = tmp_path_factory.mktemp("sample")
    url = f"sqlite:///{folder / 'rba.db'}"
    migrate.upgrade(url)
    with session_scope(connect(url)) as session:
        load_sample(session=session, sample_dir=SAMPLE_DIR, actor="t")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RBA_CACHE_DIR", str(folder / "cache"))
        yield create_app(url)


# --- The dashboard over seed_store's store --------------------------------------------------

@pytest.fixture
def app(sqlite_url: str) -> Dash:
    """The dashboard over factories.seed_store's store plus one user per role
    (factories.USERS, every password factories.PASSWORD)."""
    with session_scope(connect(sqlite_url)) as s:
        seed_store(s)
        seed_users(s)
    return create_app(sqlite_url)


@pytest.fixture
def client(app: Dash) -> FlaskClient:
    """A test client of ``app`` that has made its first request."""
    client = app.server.test_client()
    client.get("/")  # Dash sets up its callbacks on the first request
    return client
