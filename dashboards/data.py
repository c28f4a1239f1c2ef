"""How pages reach the store: a session factory kept on the Flask app's config.

`create_app` installs the factory; a page's layout or callback opens a short read session
with `read_session()` inside the request Dash is serving, so every visit reads fresh data.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import flask
from sqlalchemy.orm import Session, sessionmaker

from rba.services.database import session_scope

CONFIG_KEY = "RBA_SESSION_FACTORY"


def install_sessions(server: flask.Flask, factory: sessionmaker[Session]) -> None:
    """Keep the session factory on the Flask app, for pages to find through current_app."""
    server.config[CONFIG_KEY] = factory


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
