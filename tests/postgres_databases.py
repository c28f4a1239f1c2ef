"""The test session's PostgreSQL databases: named, made, and dropped (a pytest plugin).

Registered by conftest.py (``pytest_plugins``). PostgreSQL tests use RBA_TEST_POSTGRES_URL
(e.g. postgresql+psycopg://postgres@127.0.0.1/test). Without it they skip, unless
RBA_REQUIRE_POSTGRES=1 (set by .ci/run), when they fail.

Each test session makes its own PostgreSQL databases, named for the session
(``rba_test_<UTC start>_<random>_<worker>``), so sessions of several checkouts can share one
server; a process drops the databases it made when its session ends. Databases of a session
that started more than a day ago and that nobody is connected to are dropped at the start
of the next session (one whose process was killed never dropped its own).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

#: The name of the test session, set by the process that starts it (the xdist controller,
#: or pytest alone) and inherited by its workers: "<UTC start, %Y%m%d%H%M%S>_<8 hex>".
RUN_VARIABLE = "RBA_TEST_RUN"
RUN_TIME = "%Y%m%d%H%M%S"
#: Names of test databases: rba_test_<run>_<worker>[_<purpose>].
DATABASE_NAME = re.compile(r"rba_test_(?P<started>\d{14})_[0-9a-f]{8}_\w+")
STALE_AFTER = dt.timedelta(days=1)
#: The PostgreSQL databases this process made, dropped when its session ends.
_MADE: set[str] = set()


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller: workers inherit its environment
        started = dt.datetime.now(dt.UTC).strftime(RUN_TIME)
        os.environ[RUN_VARIABLE] = f"{started}_{secrets.token_hex(4)}"


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput") and os.environ.get("RBA_TEST_POSTGRES_URL"):
        _drop_stale_databases(make_url(os.environ["RBA_TEST_POSTGRES_URL"]))


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _MADE:
        _drop_databases(make_url(os.environ["RBA_TEST_POSTGRES_URL"]), sorted(_MADE))
        _MADE.clear()


def database_name(purpose: str = "") -> str:
    """This session's (and this worker's) PostgreSQL database for a purpose ("": the main)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return "_".join(part for part in ("rba_test", os.environ[RUN_VARIABLE], worker, purpose)
                    if part)


def postgres_url(purpose: str = "") -> str:
    """An empty database of this session on the configured server (made on first use)."""
    base = os.environ.get("RBA_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("RBA_REQUIRE_POSTGRES") == "1":
            pytest.fail("RBA_REQUIRE_POSTGRES=1 but RBA_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured: set RBA_TEST_POSTGRES_URL")
    url = make_url(base)
    name = database_name(purpose)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
            _MADE.add(name)
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


def stale_databases(names: list[str], now: dt.datetime) -> list[str]:
    """Test databases of sessions that started more than STALE_AFTER before ``now``."""
    stale = []
    for name in names:
        match = DATABASE_NAME.fullmatch(name)
        if match is None:  # not a name this plugin makes (e.g. rba_test_gw0): not ours
            continue
        started = dt.datetime.strptime(match["started"], RUN_TIME).replace(tzinfo=dt.UTC)
        if now - started > STALE_AFTER:
            stale.append(name)
    return stale


def _drop_databases(url: sa.URL, names: list[str], *, force: bool = True) -> list[str]:
    """Drop the named databases (with force: whoever is still connected); the ones dropped."""
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    dropped = []
    try:
        with admin.connect() as connection:
            for name in names:
                try:
                    connection.execute(sa.text(
                        f'DROP DATABASE IF EXISTS "{name}"{" WITH (FORCE)" if force else ""}'))
                    dropped.append(name)
                except sa.exc.DBAPIError:  # in use (without force), or not ours to drop
                    pass
    except sa.exc.OperationalError:
        pass  # the server is gone: nothing to clean, and the tests said so already
    finally:
        admin.dispose()
    return dropped


def _drop_stale_databases(url: sa.URL) -> list[str]:
    """Drop test databases left by sessions over a day old, unless someone is connected."""
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            idle = list(connection.scalars(sa.text(
                "SELECT datname FROM pg_database WHERE datname NOT IN "
                "(SELECT datname FROM pg_stat_activity WHERE datname IS NOT NULL)")))
    except sa.exc.OperationalError:
        return []  # unreachable: the PostgreSQL tests report it
    finally:
        admin.dispose()
    # Without force: a session that connects meanwhile keeps its database.
    return _drop_databases(url, stale_databases(idle, dt.datetime.now(dt.UTC)), force=False)
