"""The `rba` command: thin commands over the library, each with help text and an example."""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

import click

from rba.config import SETTINGS, get_settings
from rba.ingest import ImportPlan, InputRejected, plan_import
from rba.ingest.metadata import record_key
from rba.store import connect as _connect
from rba.store import session_scope


def connect():  # type: ignore[no-untyped-def]
    """A session factory for the configured database, once it is at the latest schema."""
    from rba.store.migrate import SchemaOutOfDate, require_current

    try:
        require_current()
    except SchemaOutOfDate as exc:
        raise click.ClickException(str(exc)) from exc
    return _connect()


SETTINGS_HELP = "\b\nSettings (environment variables):\n" + "\n".join(
    f"  {s.env}: {s.help}" for s in SETTINGS.values())


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=SETTINGS_HELP)
@click.version_option(package_name="rba")
def main() -> None:
    """Results-Based Accountability tracker: results, indicators, baselines and targets.

    Example: rba db upgrade && rba demo && rba serve
    """


@main.group()
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
    from rba.store import migrate

    migrate.upgrade(revision=revision)
    click.echo(f"database at {_shown_url()} is at revision {revision}")


@db.command("downgrade")
@click.option("--revision", default="base", show_default=True, help="Migration to reach.")
@click.confirmation_option(prompt="This drops tables and their data. Continue?")
def db_downgrade(revision: str) -> None:
    """Take the configured database down to an earlier schema (base: empty).

    Example: rba db downgrade --revision base --yes
    """
    from rba.store import migrate

    migrate.downgrade(revision=revision)
    click.echo(f"database at {_shown_url()} is at revision {revision}")


@main.command()
def demo() -> None:
    """Load the bundled, illustrative sample data and one demo user per role; idempotent.

    Example: rba db upgrade && rba demo
    """
    from rba.demo import load_sample

    settings = get_settings()
    with session_scope(connect()) as session:
        try:
            plan, batch = load_sample(session, settings.sample_dir, actor=settings.actor)
        except InputRejected as exc:
            _print_problems(exc.problems)
            sys.exit(1)
    _print_summary(plan)
    click.echo(f"batch {batch}" if batch else "the sample was already loaded: nothing changed")
    from rba.demo import ensure_demo_users, freeze_demo_baselines

    with session_scope(connect()) as session:
        made = ensure_demo_users(session, actor=settings.actor,
                                 password=os.environ.get("RBA_DEMO_PASSWORD"))
        frozen = freeze_demo_baselines(session, actor="rba demo")
    if frozen:
        click.echo(f"froze {frozen} illustrative headline baselines (history through 2020-21)")
    if made:
        click.echo("demo users (for trying the dashboard only; sign in at /login):")
        for email, role, password in made:
            click.echo(f"  {email:<24} {role:<12} password: {password}")
    else:
        click.echo("demo users exist already (admin@, coordinator@, team@, viewer@demo.rba)")


class _ImportGroup(click.Group):
    """`rba import FILE` imports; `rba import undo BATCH` undoes an import."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["file", *args]
        return super().parse_args(ctx, args)


@main.group("import", cls=_ImportGroup, subcommand_metavar="FILE [--dry-run] | undo BATCH")
def import_group() -> None:
    """Import a workbook or CSV (rba import FILE), or undo an import (rba import undo BATCH).

    Example: rba import observations-2025-Q1.csv --dry-run
    """


@import_group.command("undo")
@click.argument("batch")
def import_undo(batch: str) -> None:
    """Restore every value a batch changed, as one new audited batch.

    Example: rba import undo 20251015-101500-a1b2c3
    """
    from rba.store.deletes import StillInUse
    from rba.store.locks import LockError
    from rba.store.undo import UndoError, undo_batch

    with session_scope(connect()) as session:
        try:
            new = undo_batch(session=session, batch_id=batch, actor=get_settings().actor)
        except (UndoError, StillInUse, LockError) as exc:
            raise click.ClickException(f"{exc}; nothing was changed") from exc
    click.echo(f"undid batch {batch} as batch {new}")


@import_group.command("file")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and show what would change; write nothing.")
@click.option("--sheet", help="Sheet a CSV holds, when its file name does not say.")
@click.option("--encoding", help="Text encoding of a CSV (default: UTF-8, else Windows-1252).")
@click.option("--decimal-comma", is_flag=True, help="Numbers are written 1.234,5 (not 1,234.5).")
def import_(file: Path, dry_run: bool, sheet: str | None, encoding: str | None,
            decimal_comma: bool) -> None:
    """Import a workbook (.xlsx) or one sheet as CSV: all of it, or nothing if any row is bad.

    Example: rba import observations-2025-Q1.csv --dry-run
    """
    from rba.store.writes import apply_plan

    settings = get_settings()
    with session_scope(connect()) as session, _Progress() as progress:
        try:
            plan = plan_import(session, file, sheet=sheet, encoding=encoding,
                               decimal_comma=decimal_comma, progress=progress.step)
        except InputRejected as exc:
            progress.close()
            _print_problems(exc.problems)
            sys.exit(1)
        progress.close()
        _print_summary(plan, details=True)
        if plan.problems:
            _print_problems(plan.problems)
            sys.exit(1)
        if dry_run:
            click.echo("dry run: nothing was written")
            return
        if not plan.has_changes:
            click.echo("nothing to change")
            return
        progress.step(f"writing {sum(p.n_added + p.n_changed for p in plan.sheets.values()):,}"
                      " records")
        batch = apply_plan(session, plan, actor=settings.actor, description=file.name)
        progress.close()
    click.echo(f"imported as batch {batch}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", help="Write only this sheet as CSV (e.g. observations).")
def export(file: Path, sheet: str | None) -> None:
    """Export everything as a workbook (.xlsx), or one sheet as CSV with --sheet.

    Example: rba export everything.xlsx; rba export obs.csv --sheet observations
    """
    from rba.workbook.spec import SHEETS_BY_NAME
    from rba.workbook.write import write_csv, write_xlsx

    with session_scope(connect()) as session:
        if sheet or file.suffix.lower() == ".csv":
            name = sheet or file.stem
            if name not in SHEETS_BY_NAME:
                raise click.BadParameter(
                    f"{name!r} is not a sheet; sheets: {', '.join(SHEETS_BY_NAME)}",
                    param_hint="--sheet")
            rows = write_csv(session, file, name)
            click.echo(f"wrote {rows} {name} rows to {file}")
            return
        if file.suffix.lower() != ".xlsx":
            raise click.BadParameter("expected a .xlsx file, or --sheet for CSV",
                                     param_hint="FILE")
        counts = write_xlsx(session, file)
    click.echo(f"wrote {sum(counts.values())} rows in {len(counts)} sheets to {file}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8050, show_default=True, type=int, help="Port to listen on.")
@click.option("--debug", is_flag=True, help="Reload on code changes and show Dash dev tools.")
def serve(host: str, port: int, debug: bool) -> None:
    """Serve the dashboard.

    Example: rba serve --port 8050, then open http://127.0.0.1:8050
    """
    # The dashboard is a separate package; the library itself never imports Dash.
    app = importlib.import_module("dashboards.app").create_app()
    # Draws the scorecard into the shared cache after every write (RBA_WARM_SECONDS=0: off).
    importlib.import_module("dashboards.warm").start()
    click.echo(f"serving on http://{host}:{port}")
    app.run(host=host, port=port, debug=debug)


class _Progress:
    """Stages of a long import on stderr (only on a terminal), so nobody stares at nothing."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        # RBA_PROGRESS=1 prints each stage as a line, for logs and scripts.
        self.live = self.tty or os.environ.get("RBA_PROGRESS") == "1"
        self.started = time.monotonic()
        self.shown = False

    def __enter__(self) -> _Progress:
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


def _shown_url() -> str:
    from sqlalchemy.engine import make_url

    return make_url(get_settings().database_url).render_as_string(hide_password=True)


def _print_summary(plan: ImportPlan, details: bool = False) -> None:
    header = f"{'sheet':<22}{'added':>8}{'changed':>9}{'unchanged':>11}{'skipped':>9}" \
             f"{'rejected':>10}"
    click.echo(header)
    for name, counts in plan.summary().items():
        click.echo(f"{name:<22}{counts['added']:>8}{counts['changed']:>9}"
                   f"{counts['unchanged']:>11}{counts['skipped']:>9}{counts['rejected']:>10}")
    if details:
        for line in describe_changes(plan):
            click.echo(line)


def describe_changes(plan: ImportPlan, limit: int = 200) -> list[str]:
    """Lines for every addition and change ('field old -> new'), the first ``limit``."""
    lines: list[str] = []
    for name, sheet_plan in plan.sheets.items():
        if sheet_plan.added_frame is not None:
            lines += [
                f"added {name} {r['owner']} {r['period']} {r['dimensions']}: value "
                f"{r.get('value')!r}" for r in sheet_plan.added_frame.head(limit).to_dict(
                    "records")]
        lines += [f"added {name} {record_key(name, r)}" for r in sheet_plan.added[:limit]]
        if sheet_plan.changed_frame is not None:
            for r in sheet_plan.changed_frame.to_dict("records"):
                diffs = [f"{f} {r.get(f + '_old')!r} -> {r.get(f)!r}"
                         for f in ("value", "numerator", "denominator", "status", "note",
                                   "rationale")
                         if f + "_old" in r and not _same(r.get(f), r.get(f + "_old"))]
                lines.append(f"changed {name} {r['owner']} {r['period']} {r['dimensions']}: "
                             + "; ".join(diffs))
        for old, new in sheet_plan.changed:
            diffs = [f"{k} {old.get(k)!r} -> {v!r}" for k, v in new.items() if old.get(k) != v]
            lines.append(f"changed {name} {record_key(name, new)}: " + "; ".join(diffs))
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more changes"]
    return lines


def _same(a: object, b: object) -> bool:
    return a == b or (a != a and b != b) or (a is None and b != b) or (b is None and a != a)


def _print_problems(problems: list, limit: int = 500) -> None:
    click.echo(f"rejected: {len(problems)} problem(s); nothing was written", err=True)
    for problem in problems[:limit]:
        click.echo(f"  {problem}", err=True)
    if len(problems) > limit:
        click.echo(f"  ... and {len(problems) - limit} more", err=True)



@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--period", help="Period to enter, e.g. 2025-Q3 (default: each indicator's next).")
@click.option("--team", help="Only this result team's indicators (its slug).")
@click.option("--program", help="A program's performance measures instead (its code).")
def template(file: Path, period: str | None, team: str | None, program: str | None) -> None:
    """Write an entry workbook: the rows to fill in, last period's values alongside.

    Example: rba template entry-2025-Q3.xlsx --period 2025-Q3 --team healthy-students
    """
    from rba.workbook.template import TemplateError, write_template

    with session_scope(connect()) as session:
        try:
            rows = write_template(session, file, period=period, team=team, program=program)
        except TemplateError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {rows} rows to fill in to {file}")


# Commands defined in other modules register themselves on `main` when imported.
from rba import cli_curves, cli_people, cli_targets  # noqa: E402,F401

if __name__ == "__main__":  # pragma: no cover
    main()
