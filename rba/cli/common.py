"""What the CLI's commands share: the database session, a signed-in user, --where pairs,
refusals as CLI errors, and an import's progress on stderr."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from rba.config import get_settings
from rba.refusals import Refusal
from rba.services import people
from rba.services.database import SchemaOutOfDate, open_database, session_scope


@contextmanager
def store() -> Iterator[Session]:
    """One transaction on the configured database, once it is at the latest schema; a
    refusal raised inside becomes a CLI error (exit 1) with nothing written."""
    try:
        factory = open_database()
    except SchemaOutOfDate as exc:
        raise click.ClickException(str(exc)) from exc
    with session_scope(factory) as session:
        yield session


@contextmanager
def refused(suffix: str = "") -> Iterator[None]:
    """Turn a refusal into a CLI error (its English reason, then ``suffix``)."""
    try:
        yield
    except Refusal as exc:
        raise click.ClickException(f"{exc}{suffix}") from exc


def password(prompt: str = "Password", *, confirm: bool = False) -> str:
    """RBA_PASSWORD, else typed at a prompt (twice with ``confirm``)."""
    return get_settings().password or click.prompt(prompt, hide_input=True,
                                                   confirmation_prompt=confirm)


def signed_in(session: Session, email: str) -> str:
    """The user's email once their password (RBA_PASSWORD or a prompt) checks out."""
    user = people.authenticate(session=session, email=email, password=password())
    if user is None:
        raise click.ClickException(f"wrong email or password for {email}")
    return user.email


def where_pairs(values: tuple[str, ...]) -> dict[str, str]:
    """--where DIM=VALUE options as a dict."""
    pairs = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise click.BadParameter(f"{item!r}: expected DIM=VALUE, e.g. city=Altadena",
                                     param_hint="--where")
        pairs[name.strip()] = value.strip()
    return pairs


class Progress:
    """Stages of a long import on stderr (only on a terminal), so nobody stares at nothing."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        # RBA_PROGRESS=1 prints each stage as a line, for logs and scripts.
        self.live = self.tty or get_settings().progress
        self.started = time.monotonic()
        self.shown = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def step(self, label: str) -> None:
        if not self.live:
            return
        elapsed = time.monotonic() - self.started
        if not self.tty:
            click.echo(f"[{elapsed:5.1f}s] {label}", err=True)
            return
        click.echo(f"\r\033[K[{elapsed:5.1f}s] {label} ...", nl=False, err=True)
        self.shown = True

    def close(self) -> None:
        if self.shown:
            click.echo("\r\033[K", nl=False, err=True)
            self.shown = False
