"""CLI commands for the database: its schema (rba db) and the bundled sample (rba demo)."""

from __future__ import annotations

import sys

import click

from rba.cli.common import password as typed_password
from rba.cli.common import refused, store
from rba.cli.imports import print_problems, print_summary
from rba.config import get_settings
from rba.services import database
from rba.services import demo as sample
from rba.services.imports import InputRejected


@click.group("db")
def db() -> None:
    """Create and upgrade the database schema.

    Example: rba db upgrade
    """


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Migration to reach.")
def db_upgrade(revision: str) -> None:
    """Upgrade the configured database (RBA_DATABASE_URL) to the latest schema.

    Example: RBA_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/test rba db upgrade
    """
    database.upgrade(revision=revision)
    click.echo(f"database at {database.shown_url()} is at revision {revision}")


@db.command("downgrade")
@click.option("--revision", default="base", show_default=True, help="Migration to reach.")
@click.confirmation_option(prompt="This drops tables and their data. Continue?")
def db_downgrade(revision: str) -> None:
    """Take the configured database down to an earlier schema (base: empty).

    Example: rba db downgrade --revision base --yes
    """
    database.downgrade(revision=revision)
    click.echo(f"database at {database.shown_url()} is at revision {revision}")


@db.command("public-role")
@click.argument("name")
@click.option("--password", "set_password", is_flag=True,
              help="Give the role a password: RBA_PASSWORD, else typed at a prompt.")
def db_public_role(name: str, set_password: bool) -> None:
    """Create a PostgreSQL role that can only read the published view, for the public site.

    The role may SELECT the published_* views (published indicators, final figures, no
    people) and nothing else; run `rba serve --public` with RBA_DATABASE_URL naming it.
    Run it again after `rba db upgrade` to grant any new view.

    Example: rba db public-role rba_public --password
    """
    secret = typed_password(f"Password for {name}", confirm=True) if set_password else None
    with refused():
        views = database.public_role(name, secret)
    click.echo(f"role {name} may read {len(views)} views of {database.shown_url()} "
               "and nothing else")


@click.command("demo")
def demo() -> None:
    """Load the bundled, illustrative sample data and one demo user per role; idempotent.

    Example: rba db upgrade && rba demo
    """
    settings = get_settings()
    with store() as session:
        try:
            plan, batch = sample.load_sample(session=session, sample_dir=settings.sample_dir,
                                             actor=settings.actor)
        except InputRejected as exc:
            print_problems(exc.problems)
            sys.exit(1)
    print_summary(plan)
    click.echo(f"batch {batch}" if batch else "the sample was already loaded: nothing changed")
    with store() as session:
        made = sample.ensure_demo_users(session=session, actor=settings.actor,
                                        password=settings.demo_password)
        frozen = sample.freeze_demo_baselines(session=session, actor="rba demo")
    if frozen:
        click.echo(f"froze {frozen} illustrative headline baselines (history through 2020-21)")
    if made:
        click.echo("demo users (for trying the dashboard only; sign in at /login):")
        for email, role, password in made:
            click.echo(f"  {email:<24} {role:<12} password: {password}")
    else:
        click.echo("demo users exist already (admin@, coordinator@, team@, viewer@demo.rba)")


COMMANDS = [db, demo]
