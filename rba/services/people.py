"""People: the users who sign in to the dashboard (added, listed, changed and disabled from
the CLI, all audited), and signing in, rate-limited in the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rba.models import Role
from rba.store import people as store
from rba.store.people import Outcome, UserError

__all__ = ["Outcome", "Person", "Role", "UserError", "add_user", "authenticate",
           "disable_user", "list_users", "person", "set_role", "sign_in"]


@dataclass(frozen=True)
class Person:
    """Someone signed in: who they are, their role and their result team (a slug)."""

    id: int
    email: str
    name: str | None
    role: Role
    team: str | None


def person(*, session: Session, user_id: int) -> Person | None:
    """The active user with this id, else None."""
    found = store.person(session=session, user_id=user_id)
    return None if found is None else Person(**found)


def sign_in(*, session: Session, email: str, password: str, address: str | None
            ) -> tuple[Outcome, Person | None]:
    """Check an email and password unless sign-in is paused for the email or the address;
    the attempt is recorded. The person is given when the outcome is signed_in."""
    result = store.sign_in(session=session, email=email, password=password, address=address)
    who = None if result.user is None else person(session=session, user_id=result.user.id)
    return result.outcome, who


def authenticate(*, session: Session, email: str, password: str) -> Person | None:
    """The active user with this email and password (a CLI command signed as them)."""
    user = store.authenticate(session=session, email=email, password=password)
    return None if user is None else person(session=session, user_id=user.id)


def add_user(*, session: Session, email: str, role: str, password: str, actor: str,
             team: str | None = None, name: str | None = None) -> None:
    """Add a user with a hashed password (scrypt); audited as ``actor``."""
    store.add_user(session=session, email=email, role=role, password=password, actor=actor,
                   team=team, name=name)


def set_role(*, session: Session, email: str, role: str, actor: str,
             team: str | None = None) -> None:
    """Change a user's role (and team); audited as ``actor``."""
    store.set_role(session=session, email=email, role=role, actor=actor, team=team)


def disable_user(*, session: Session, email: str, actor: str) -> None:
    """Stop a user from signing in (their history stays); audited as ``actor``."""
    store.disable_user(session=session, email=email, actor=actor)


def list_users(*, session: Session) -> list[dict[str, Any]]:
    """Every user: email, name, role, team and whether they may sign in."""
    return store.list_users(session=session)
