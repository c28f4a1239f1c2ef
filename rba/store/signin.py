"""Sign-in with rate limiting kept in the database, so every server process sees the same count.

A sign-in is refused without checking the password once an email has had ``MAX_FAILURES``
failed attempts (since its last success) within ``WINDOW``, or an address has had that many
failures for any email. Every attempt, failed or not, is recorded in ``sign_in_attempts``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from rba.models import SignInAttempt, User
from rba.models.base import utcnow
from rba.store.users import authenticate

MAX_FAILURES = 5
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
    """Failed attempts within the window for this email (since its last success) or address."""
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
    """Whether sign-in is paused for this email or this address."""
    if recent_failures(session=session, email=email, now=now) >= MAX_FAILURES:
        return True
    return address is not None and recent_failures(
        session=session, address=address, now=now) >= MAX_FAILURES


def record_attempt(*, session: Session, email: str, address: str | None, succeeded: bool,
                   now: datetime | None = None) -> None:
    """Record one attempt, and forget attempts older than ``KEEP``."""
    at = now or utcnow()
    session.add(SignInAttempt(email=email, address=(address or "")[:64] or None, at=at,
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
