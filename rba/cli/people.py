"""CLI commands for people and trust: users, period locks and the audit trail."""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime

import click

from rba.cli.common import password, refused, store
from rba.config import get_settings
from rba.i18n import render
from rba.services import audit, locks, people
from rba.services.exports import neutral_cell


@click.group()
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
    secret = password(confirm=True)
    with store() as session, refused():
        people.add_user(session=session, email=email, role=role, team=team, name=name,
                        password=secret, actor=get_settings().actor)
    click.echo(f"added {email.strip().lower()} as {role}")


@users.command("list")
def users_list() -> None:
    """List users with their role, team and whether they may sign in.

    Example: rba users list
    """
    with store() as session:
        rows = people.list_users(session=session)
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
    with store() as session, refused():
        people.set_role(session=session, email=email, role=role, team=team,
                        actor=get_settings().actor)
    click.echo(f"{email} is now {role}")


@users.command("disable")
@click.argument("email")
def users_disable(email: str) -> None:
    """Stop a user from signing in; their history stays.

    Example: rba users disable ana@pusd.example
    """
    with store() as session, refused():
        people.disable_user(session=session, email=email, actor=get_settings().actor)
    click.echo(f"{email} can no longer sign in")


@click.command("lock")
@click.argument("args", nargs=-1, required=True)
@click.option("--all", "all_", is_flag=True,
              help="Lock the period for every indicator and performance measure.")
def lock_command(args: tuple[str, ...], all_: bool) -> None:
    """Mark a period's values final: nothing may change them until an admin unlocks it.

    CODE is an indicator's or a program performance measure's code; --all locks every
    indicator and measure whose frequency has that period.

    Example: rba lock grad_rate 2024-25; rba lock --all 2025-Q3
    """
    if all_ and len(args) != 1 or not all_ and len(args) != 2:
        raise click.UsageError("give CODE PERIOD, or --all PERIOD")
    codes, period = (None, args[0]) if all_ else ([args[0]], args[1])
    with store() as session, refused():
        done = locks.lock(session=session, period=period, codes=codes,
                          actor=get_settings().actor)
    click.echo(render(done.message))


@click.command("unlock")
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
    secret = password()
    with store() as session:
        if people.authenticate(session=session, email=admin_email, password=secret) is None:
            raise click.ClickException(f"wrong email or password for {admin_email}")
        with refused():
            locks.unlock(session=session, code=code, period=period, reason=reason,
                         actor=admin_email.strip().lower())
    click.echo(f"unlocked {code} {period}")


@click.command("audit")
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
    when = since.replace(tzinfo=UTC) if since else None
    with store() as session:
        rows = audit.audit_events(session=session, since=when, batch=batch, entity=entity)
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=audit.AUDIT_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: neutral_cell(v) for k, v in {
                **row, "at": row["at"].isoformat()}.items()})
        return
    for row in rows:
        at = row["at"].strftime("%Y-%m-%d %H:%M")
        change = f"{row['old'] or ''} -> {row['new'] or ''}"
        click.echo(f"{at}  {row['actor']:<24} {row['action']:<7} {row['entity']} "
                   f"{row['entity_id']}  {change[:160]}")
    click.echo(f"{len(rows)} event(s)", err=True)


COMMANDS = [users, lock_command, unlock_command, audit_command]
