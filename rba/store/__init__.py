"""The store: the only package that runs queries against the database."""

from rba.store.db import connect, make_engine, session_scope

__all__ = ["connect", "make_engine", "session_scope"]
