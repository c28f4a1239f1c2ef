"""People: the users who sign in (add, list, change role, disable; all audited) and signing
in with rate limiting kept in the database, so every server process sees the same count.

A sign-in is refused without checking the password once an email has had ``MAX_FAILURES``
failed attempts from the same address (since the email's last success) within ``WINDOW``, or
an address has had ``ADDRESS_MAX_FAILURES`` failures for any emails. The account and the
address are throttled together, so a stranger guessing from elsewhere never locks a person
out; a guesser from one address gets five tries per account and twenty in all per window.
Every attempt, failed or not, is recorded in ``sign_in_attempts``.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from rba.messages import N_, Message
from rba.models import ResultTeam, Role, SignInAttempt, User
from rba.models.base import utcnow
from rba.refusals import Refusal
from rba.store.audit import new_batch, record_events

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
TEAM_NEEDED = Message(N_("a team member needs --team (the slug of their result team)"))


class UserError(Refusal):
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
        raise UserError(Message(N_("no result team {slug!r}; teams: {teams}"), slug=slug,
                                teams=known or Message(N_("none yet"))))
    return team_id


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise UserError(Message(N_("no role {role!r}; roles: {roles}"), role=role,
                                roles=", ".join(r.value for r in Role))) from None


def get_user(*, session: Session, email: str) -> User:
    user = session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise UserError(Message(N_("no user {email!r}: add one with `rba users add`"),
                                email=email))
    return user


def add_user(*, session: Session, email: str, role: str, password: str, actor: str,
             team: str | None = None, name: str | None = None, source: str = "cli") -> User:
    """Create a user with a hashed password (scrypt); one audited batch."""
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise UserError(Message(N_("{email!r} is not an email address"), email=email))
    if len(password) < MIN_PASSWORD:
        raise UserError(Message(N_("the password is too short: use at least {n} characters"),
                                n=MIN_PASSWORD))
    if session.scalar(sa.select(User.id).where(User.email == email)):
        raise UserError(Message(N_("{email} already exists: use `rba users set-role` to "
                                   "change it"), email=email))
    if _role(role) == Role.team_member and team is None:
        raise UserError(TEAM_NEEDED)
    user = User(email=email, name=name, role=_role(role), team_id=_team_id(session, team),
                password_hash=generate_password_hash(password, method="scrypt"), active=True)
    session.add(user)
    session.flush()
    batch = new_batch(session=session, actor=actor, source=source, description=f"add user {email}")
    record_events(session=session, batch=batch, entity="user", changes=[
        ("create", email, None, public(user, team))])
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
        raise UserError(TEAM_NEEDED)
    session.flush()
    batch = new_batch(session=session, actor=actor, source=source, description=f"set role {email}")
    record_events(session=session, batch=batch, entity="user", changes=[
        ("update", user.email, old, public(user, _team_slug(session, user.team_id)))])
    return user


def disable_user(*, session: Session, email: str, actor: str, source: str = "cli") -> User:
    """Stop a user from signing in (their history stays); audited."""
    user = get_user(session=session, email=email)
    team = _team_slug(session, user.team_id)
    old = public(user, team)
    user.active = False
    session.flush()
    batch = new_batch(session=session, actor=actor, source=source, description=f"disable {email}")
    record_events(session=session, batch=batch, entity="user", changes=[
        ("update", user.email, old, public(user, team))])
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


MAX_FAILURES = 5
#: Failures from one address, for any emails, before that address is paused.
ADDRESS_MAX_FAILURES = 20
WINDOW = timedelta(minutes=15)
#: Attempts older than this are deleted as new ones are recorded, so the table stays small.
KEEP = timedelta(days=30)


class Outcome(enum.StrEnum):
    signed_in = "signed_in"
    invalid = "invalid"
    limited = "limited"


@dataclass(frozen=True)
class SignIn:
    """The result of a sign-in attempt: the user when it succeeded, else why not."""

    outcome: Outcome
    user: User | None = None


def normal_email(email: str) -> str:
    """An email as users are stored: trimmed and lower case (at most 254 characters)."""
    return email.strip().lower()[:254]


def recent_failures(*, session: Session, email: str | None = None, address: str | None = None,
                    now: datetime | None = None) -> int:
    """Failed attempts within the window for this email (since its last success), from this
    address, or both."""
    since = (now or utcnow()) - WINDOW
    query = sa.select(sa.func.count()).select_from(SignInAttempt).where(
        SignInAttempt.at >= since, SignInAttempt.succeeded.is_(False))
    if email is not None:
        last_success = session.scalar(sa.select(sa.func.max(SignInAttempt.at)).where(
            SignInAttempt.email == email, SignInAttempt.succeeded.is_(True)))
        query = query.where(SignInAttempt.email == email)
        if last_success is not None:
            query = query.where(SignInAttempt.at > last_success)
    if address is not None:
        query = query.where(SignInAttempt.address == address)
    return int(session.scalar(query) or 0)


def is_limited(*, session: Session, email: str, address: str | None,
               now: datetime | None = None) -> bool:
    """Whether sign-in is paused for this email from this address, or for this address."""
    where = _stored_address(address)
    if recent_failures(session=session, email=email, address=where, now=now) >= MAX_FAILURES:
        return True
    return where is not None and recent_failures(
        session=session, address=where, now=now) >= ADDRESS_MAX_FAILURES


def _stored_address(address: str | None) -> str | None:
    return (address or "")[:64] or None


def record_attempt(*, session: Session, email: str, address: str | None, succeeded: bool,
                   now: datetime | None = None) -> None:
    """Record one attempt, and forget attempts older than ``KEEP``."""
    at = now or utcnow()
    session.add(SignInAttempt(email=email, address=_stored_address(address), at=at,
                              succeeded=succeeded))
    session.execute(sa.delete(SignInAttempt).where(SignInAttempt.at < at - KEEP))
    session.flush()


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not a real password", method="scrypt")


def sign_in(*, session: Session, email: str, password: str, address: str | None,
            now: datetime | None = None) -> SignIn:
    """Check an email and password, unless sign-in is paused; the attempt is recorded."""
    email = normal_email(email)
    if is_limited(session=session, email=email, address=address, now=now):
        return SignIn(Outcome.limited)
    user = authenticate(session=session, email=email, password=password) if email else None
    if user is None and not session.scalar(sa.select(User.id).where(User.email == email)):
        # Take as long as a real check, so timing does not tell which emails exist.
        check_password_hash(_dummy_hash(), password)
    record_attempt(session=session, email=email, address=address, succeeded=user is not None,
                   now=now)
    return SignIn(Outcome.signed_in, user) if user else SignIn(Outcome.invalid)


def person(*, session: Session, user_id: int) -> dict[str, Any] | None:
    """The active user with this id (id, email, name, role, team slug), else None."""
    found = session.execute(sa.select(User, ResultTeam.slug).outerjoin(
        ResultTeam, User.team_id == ResultTeam.id).where(User.id == user_id)).first()
    if found is None or not found[0].active:
        return None
    user, team = found
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role,
            "team": team}
