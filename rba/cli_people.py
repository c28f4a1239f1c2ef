"""CLI commands for people and trust: users, period locks and the audit trail."""

from __future__ import annotations

import csv
import os
import sys
from datetime import UTC, datetime

import click

from rba.cli import connect, main
from rba.config import get_settings
from rba.store import session_scope


def _password(prompt: str = "Password") -> str:
    return os.environ.get("RBA_PASSWORD") or click.prompt(
        prompt, hide_input=True, confirmation_prompt=True)


@main.group()
def users() -> None:
    """Add, list and change the people who sign in to the dashboard.

    Example: RBA_PASSWORD=... rba users add coordinator@pasadena.example --role coordinator
    """


@users.command("add")
@click.argument("email")
@click.option("--role", required=True,
              type=click.Choice(["admin", "coordinator", "team_member", "viewer"]))
@click.option("--team", help="Slug of the user's result team (required for team members).")
@click.option("--name", help="The person's name as shown in the audit trail.")
def users_add(email: str, role: str, team: str | None, name: str | None) -> None:
    """Add a user; the password comes from RBA_PASSWORD, else a prompt.

    Example: rba users add ana@pusd.example --role team_member --team academics
    """
    from rba.store.users import UserError, add_user

    password = _password()
    with session_scope(connect()) as session:
        try:
            add_user(session=session, email=email, role=role, team=team, name=name,
                     password=password, actor=get_settings().actor)
        except UserError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"added {email.strip().lower()} as {role}")


@users.command("list")
def users_list() -> None:
    """List users with their role, team and whether they may sign in.

    Example: rba users list
    """
    from rba.store.users import list_users

    with session_scope(connect()) as session:
        rows = list_users(session=session)
    click.echo(f"{'email':<36}{'role':<14}{'team':<24}active")
    for row in rows:
        click.echo(f"{row['email']:<36}{row['role']:<14}{row['team'] or '':<24}"
                   f"{'yes' if row['active'] else 'no'}")


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(["admin", "coordinator", "team_member", "viewer"]))
@click.option("--team", help="Slug of the user's result team.")
def users_set_role(email: str, role: str, team: str | None) -> None:
    """Change a user's role (and team).

    Example: rba users set-role ana@pusd.example coordinator
    """
    from rba.store.users import UserError, set_role

    with session_scope(connect()) as session:
        try:
            set_role(session=session, email=email, role=role, team=team,
                     actor=get_settings().actor)
        except UserError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"{email} is now {role}")


@users.command("disable")
@click.argument("email")
def users_disable(email: str) -> None:
    """Stop a user from signing in; their history stays.

    Example: rba users disable ana@pusd.example
    """
    from rba.store.users import UserError, disable_user

    with session_scope(connect()) as session:
        try:
            disable_user(session=session, email=email, actor=get_settings().actor)
        except UserError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"{email} can no longer sign in")


@main.command("lock")
@click.argument("args", nargs=-1, required=True)
@click.option("--all", "all_", is_flag=True,
              help="Lock the period for every indicator and performance measure.")
def lock_command(args: tuple[str, ...], all_: bool) -> None:
    """Mark a period's values final: nothing may change them until an admin unlocks it.

    CODE is an indicator's or a program performance measure's code; --all locks every
    indicator and measure whose frequency has that period.

    Example: rba lock grad_rate 2024-25; rba lock --all 2025-Q3
    """
    from rba.store.locks import MEASURE, LockError, lock, locked

    if all_ and len(args) != 1 or not all_ and len(args) != 2:
        raise click.UsageError("give CODE PERIOD, or --all PERIOD")
    codes, period = (None, args[0]) if all_ else ([args[0]], args[1])
    with session_scope(connect()) as session:
        try:
            done = lock(session=session, period=period, codes=codes,
                        actor=get_settings().actor)
        except LockError as exc:
            raise click.ClickException(str(exc)) from exc
        measures = set(locked(session=session, owners=done, kind=MEASURE)["owner"])
    indicators = [c for c in done if c not in measures]
    parts = [f"{len(indicators)} indicator(s)"] if indicators or not measures else []
    parts += [f"{len(measures)} measure(s)"] if measures else []
    click.echo(f"locked {period} for {' and '.join(parts)}"
               + (f": {', '.join(done)}" if done and len(done) <= 10 else ""))


@main.command("unlock")
@click.argument("code")
@click.argument("period")
@click.option("--reason", required=True, help="Why the final values must change (audited).")
@click.option("--admin", "admin_email", required=True,
              help="Email of the admin unlocking; the password comes from RBA_PASSWORD or a "
                   "prompt.")
def unlock_command(code: str, period: str, reason: str, admin_email: str) -> None:
    """Unlock a locked period so its values can be corrected (admins only, audited).

    Example: rba unlock grad_rate 2024-25 --reason "state revised the count" --admin a@x.org
    """
    from rba.store.locks import LockError, unlock
    from rba.store.users import authenticate

    password = os.environ.get("RBA_PASSWORD") or click.prompt("Password", hide_input=True)
    with session_scope(connect()) as session:
        if authenticate(session=session, email=admin_email, password=password) is None:
            raise click.ClickException(f"wrong email or password for {admin_email}")
        try:
            unlock(session=session, code=code, period=period, reason=reason,
                   actor=admin_email.strip().lower())
        except LockError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"unlocked {code} {period}")


@main.command("audit")
@click.option("--since", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              help="Only events at or after this date (UTC).")
@click.option("--batch", help="Only the events of this batch.")
@click.option("--entity", help="Only this kind of record, e.g. observation.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table",
              show_default=True)
def audit_command(since: datetime | None, batch: str | None, entity: str | None,
                  fmt: str) -> None:
    """List the audit trail: who changed what, when, from what to what.

    Example: rba audit --since 2025-01-01 --format csv > audit.csv
    """
    from rba.store.audit import AUDIT_COLUMNS, audit_events

    when = since.replace(tzinfo=UTC) if since else None
    with session_scope(connect()) as session:
        rows = audit_events(session=session, since=when, batch=batch, entity=entity)
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=AUDIT_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "at": row["at"].isoformat()})
        return
    for row in rows:
        at = row["at"].strftime("%Y-%m-%d %H:%M")
        change = f"{row['old'] or ''} -> {row['new'] or ''}"
        click.echo(f"{at}  {row['actor']:<24} {row['action']:<7} {row['entity']} "
                   f"{row['entity_id']}  {change[:160]}")
    click.echo(f"{len(rows)} event(s)", err=True)



