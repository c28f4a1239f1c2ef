"""People who sign in: add, list, change role, disable, and check a password. All audited."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from rba.models import ResultTeam, Role, User
from rba.store.audit import new_batch, record_events

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10


class UserError(ValueError):
    """A user could not be added or changed; the message says why and what to do."""


def public(user: User, team: str | None = None) -> dict[str, Any]:
    """What the audit trail records of a user: never the password hash."""
    return {"email": user.email, "name": user.name, "role": user.role.value, "team": team,
            "active": user.active}


def _team_id(session: Session, slug: str | None) -> int | None:
    if slug is None:
        return None
    team_id = session.scalar(sa.select(ResultTeam.id).where(ResultTeam.slug == slug))
    if team_id is None:
        known = ", ".join(session.scalars(sa.select(ResultTeam.slug).order_by(ResultTeam.slug)))
        raise UserError(f"no result team {slug!r}; teams: {known or 'none yet'}")
    return team_id


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise UserError(f"no role {role!r}; roles: {', '.join(r.value for r in Role)}") from None


def get_user(*, session: Session, email: str) -> User:
    user = session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise UserError(f"no user {email!r}: add one with `rba users add`")
    return user


def add_user(*, session: Session, email: str, role: str, password: str, actor: str,
             team: str | None = None, name: str | None = None, source: str = "cli") -> User:
    """Create a user with a hashed password (scrypt); one audited batch."""
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise UserError(f"{email!r} is not an email address")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    if session.scalar(sa.select(User.id).where(User.email == email)):
        raise UserError(f"{email} already exists: use `rba users set-role` to change it")
    if _role(role) == Role.team_member and team is None:
        raise UserError("a team member needs --team (the slug of their result team)")
    user = User(email=email, name=name, role=_role(role), team_id=_team_id(session, team),
                password_hash=generate_password_hash(password, method="scrypt"), active=True)
    session.add(user)
    session.flush()
    batch = new_batch(session, actor=actor, source=source, description=f"add user {email}")
    record_events(session, batch, "user", [("create", email, None, public(user, team))])
    return user


def set_role(*, session: Session, email: str, role: str, actor: str,
             team: str | None = None, source: str = "cli") -> User:
    """Change a user's role (and team); audited."""
    user = get_user(session=session, email=email)
    old_team = _team_slug(session, user.team_id)
    old = public(user, old_team)
    user.role = _role(role)
    if team is not None:
        user.team_id = _team_id(session, team)
    if user.role == Role.team_member and user.team_id is None:
        raise UserError("a team member needs --team (the slug of their result team)")
    session.flush()
    batch = new_batch(session, actor=actor, source=source, description=f"set role {email}")
    record_events(session, batch, "user", [
        ("update", user.email, old, public(user, _team_slug(session, user.team_id)))])
    return user


def disable_user(*, session: Session, email: str, actor: str, source: str = "cli") -> User:
    """Stop a user from signing in (their history stays); audited."""
    user = get_user(session=session, email=email)
    team = _team_slug(session, user.team_id)
    old = public(user, team)
    user.active = False
    session.flush()
    batch = new_batch(session, actor=actor, source=source, description=f"disable {email}")
    record_events(session, batch, "user", [("update", user.email, old, public(user, team))])
    return user


def list_users(*, session: Session) -> list[dict[str, Any]]:
    """Every user with role, team and whether they may sign in."""
    query = sa.select(User, ResultTeam.slug).outerjoin(
        ResultTeam, User.team_id == ResultTeam.id).order_by(User.email)
    return [public(user, slug) for user, slug in session.execute(query)]


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, else None."""
    user = session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active or not user.password_hash:
        return None
    return user if check_password_hash(user.password_hash, password) else None


def _team_slug(session: Session, team_id: int | None) -> str | None:
    if team_id is None:
        return None
    return session.scalar(sa.select(ResultTeam.slug).where(ResultTeam.id == team_id))
