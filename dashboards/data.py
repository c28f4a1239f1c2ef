"""How pages reach the store: a session factory kept on the Flask app's config.

`create_app` installs the factory; a page's layout or callback opens a short read session
with `read_session()` inside the request Dash is serving, so every visit reads fresh data.
A request answered from shared responses (dashboards.page_cache) reads the data version
once, in one round trip (`shared_data_version`), and every cached read it makes keys on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import flask
from sqlalchemy.orm import Session, sessionmaker

from rba.services.database import VersionReader, session_scope

CONFIG_KEY = "RBA_SESSION_FACTORY"
VERSION_KEY = "RBA_DATA_VERSION_READER"


def install_sessions(server: flask.Flask, factory: sessionmaker[Session]) -> None:
    """Keep the session factory (and a reader of its data version) on the Flask app, for
    pages to find through current_app."""
    server.config[CONFIG_KEY] = factory
    server.config[VERSION_KEY] = VersionReader(factory)


def close_database(server: flask.Flask) -> None:
    """Close every database connection the app holds (its sessions' and its version
    reader's), as a process that stops serving it should."""
    server.config[CONFIG_KEY].kw["bind"].dispose()
    server.config[VERSION_KEY].engine.dispose()


def shared_data_version() -> int:
    """The store's data version for the current request, read once per request: only for
    requests that write nothing (a write would move it while the request still runs)."""
    version = flask.g.get("rba_data_version")
    if version is None:
        version = flask.g.rba_data_version = flask.current_app.config[VERSION_KEY]()
    return int(version)


def request_data_version() -> int | None:
    """The data version `shared_data_version` read for this request, if it did."""
    return flask.g.get("rba_data_version") if flask.has_request_context() else None


def session_factory() -> sessionmaker[Session]:
    """The session factory of the Flask app handling the current request."""
    try:
        return flask.current_app.config[CONFIG_KEY]
    except KeyError:
        raise RuntimeError("no database configured: build the app with "
                           "dashboards.app.create_app()") from None


@contextmanager
def read_session() -> Iterator[Session]:
    """A session for reading within the current request; closed when the block ends."""
    with session_scope(session_factory()) as session:
        yield session
