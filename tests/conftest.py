"""Shared fixtures: fresh, migrated databases on SQLite and, when configured, PostgreSQL; the
bundled sample, loaded once per test session; the dashboard over a small seeded store.

The PostgreSQL test databases (their names, making and dropping) are the business of the
postgres_databases plugin; the builders these fixtures call are in factories.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from dash import Dash
from factories import load_sample_into, seed_store, seed_users
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from dashboards.app import create_app
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

@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database file holding the sample, built once per test session (per
    xdist worker). Never write it: read it through sample_url, write to a sample_copy."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    load_sample_into(url)  # disposing the engine checkpoints the WAL: the file is complete
    return path


@pytest.fixture(scope="session")
def sample_url(sample_db: Path) -> str:
    """The session's sample database, opened read-only: a test that writes to it fails
    ("attempt to write a readonly database") instead of changing what others read."""
    return f"sqlite:///file:{sample_db}?mode=ro&uri=true"


@pytest.fixture
def sample_copy(sample_db: Path, tmp_path: Path) -> str:
    """The URL of this test's own, writable copy of the sample database (a file copy, far
    cheaper than loading the sample again)."""
    path = tmp_path / "sample.db"
    shutil.copyfile(sample_db, path)
    return f"sqlite:///{path}"


@pytest.fixture
def sample_db_url(empty_db_url: str, request: pytest.FixtureRequest) -> str:
    """The URL of a writable database holding the sample, on each backend: on SQLite a copy
    of the session's sample database, on PostgreSQL migrated and loaded afresh."""
    if empty_db_url.startswith("sqlite"):
        shutil.copyfile(request.getfixturevalue("sample_db"), make_url(empty_db_url).database)
        return empty_db_url
    migrate.upgrade(empty_db_url)
    load_sample_into(empty_db_url)
    return empty_db_url


@pytest.fixture
def sample_factory(sample_db_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on sample_db_url's database (on each backend)."""
    maker = connect(sample_db_url)
    yield maker
    maker.kw["bind"].dispose()


@pytest.fixture(scope="module")
def sample_app(sample_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dash]:
    """The dashboard over the session's sample database (read-only), one per test module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RBA_CACHE_DIR", str(tmp_path_factory.mktemp("sample-cache")))
        yield create_app(sample_url)


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
